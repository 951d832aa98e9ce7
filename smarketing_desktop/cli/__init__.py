"""The `smarketing` command line; `main` is the console-script entry point."""

from smarketing_desktop.cli.main import main

__all__ = ["main"]
