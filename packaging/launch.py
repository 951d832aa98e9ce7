"""Frozen entry point for both programs: the name it was started by picks which one runs."""

import sys
from pathlib import Path

if __name__ == "__main__":
    name = Path(sys.argv[0]).stem.lower()
    if name == "smarketing" or name.startswith("smarketing-cli"):
        from smarketing_desktop.cli import main
    else:
        from smarketing_desktop.app import main  # type: ignore[assignment]
    raise SystemExit(main())
