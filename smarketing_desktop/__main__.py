"""`python -m smarketing_desktop` runs the command line, like the `smarketing` script.

Guarded, because worker processes started with "spawn" import the parent's main module.
"""

from smarketing_desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
