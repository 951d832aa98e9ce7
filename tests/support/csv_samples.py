"""CSV files shaped like real CRM exports, shared by unit and end-to-end tests."""

from __future__ import annotations

# HubSpot-style headers with odd spacing and case. Lines 4 and 9 are bad (header is line 1).
HUBSPOT_10_ROWS_2_BAD = (
    "first name,Last Name , Company,JOB TITLE,Email,LinkedIn URL,Twitter Username\n"
    "Ada,Lovelace,Analytical Engines,CTO,ada@engines.example,https://www.linkedin.com/in/ada,ada\n"
    "Grace,Hopper,Navy Systems,Rear Admiral,grace@navy.example,,@grace_h\n"
    "Broken,Email,Nowhere Inc,Buyer,not-an-email,,\n"
    "Alan,Turing,Bletchley,Researcher,alan@bletchley.example,,\n"
    "Katherine,Johnson,NASA,Mathematician,katherine@nasa.example,,\n"
    "Margaret,Hamilton,MIT,Director,margaret@mit.example,,\n"
    "Edsger,Dijkstra,Eindhoven,Professor,edsger@tue.example,,\n"
    ",,Ghost Corp,Nobody,ghost@ghost.example,,\n"
    "Barbara,Liskov,MIT,Professor,barbara@mit.example,,\n"
    "Donald,Knuth,Stanford,Professor,don@stanford.example,,\n"
)
