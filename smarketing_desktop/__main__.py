"""`python -m smarketing_desktop` runs the command line, like the `smarketing` script."""

from smarketing_desktop.cli import main

raise SystemExit(main())
