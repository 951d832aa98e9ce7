"""The `smarketing` command: every capability scriptable, `--json` for machines."""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
from collections.abc import Sequence
from typing import Any

from smarketing_desktop import __version__, clock
from smarketing_desktop.cli import checklist as checklist_commands
from smarketing_desktop.cli import content as content_commands
from smarketing_desktop.cli import feeds as feed_commands
from smarketing_desktop.cli import plans as plan_commands
from smarketing_desktop.cli import prospects as prospect_commands
from smarketing_desktop.cli import queue as queue_commands
from smarketing_desktop.cli import settings as settings_commands
from smarketing_desktop.cli import suggest as suggest_commands
from smarketing_desktop.cli import today as today_commands
from smarketing_desktop.cli import workspace as workspace_commands
from smarketing_desktop.cli import x as x_commands
from smarketing_desktop.cli.base import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_PARTIAL,
    CliParser,
    CommandAdder,
    Handler,
)
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.db.migrate import MigrationError
from smarketing_desktop.db.store import open_database
from smarketing_desktop.logging_setup import setup_logging
from smarketing_desktop.paths import resolve_workspace

log = logging.getLogger(__name__)


def _common_options(*, suppress: bool) -> argparse.ArgumentParser:
    """Options accepted before or after the command; after wins."""
    default: Any = argparse.SUPPRESS if suppress else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home", default=default, metavar="DIR", help="data folder (default: per-user data dir)"
    )
    common.add_argument("--db-url", default=default, metavar="URL", help="database URL")
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="print one JSON document on stdout",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = CliParser(
        prog="smarketing",
        description="Smarketing Desktop from the command line: prospects, feeds, content, plans.",
        parents=[_common_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    command = CommandAdder(_common_options(suppress=True))
    commands: Any = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CliParser)
    for area in (
        prospect_commands,
        feed_commands,
        content_commands,
        suggest_commands,
        queue_commands,
        today_commands,
        checklist_commands,
        plan_commands,
        settings_commands,
        workspace_commands,
        x_commands,
    ):
        area.register(commands, command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a reader that stops early (`smarketing today | head -1`) ends it quietly.

    When the reader closes the pipe, the rest of the output has nowhere to go and nobody to
    read an error about it, so, as the Python docs' "Note on SIGPIPE" advises, stdout is
    pointed at devnull (so the flush at exit cannot fail again) and the command exits with the
    status a shell reports for a program stopped by SIGPIPE, as `grep` or `cat` would.
    """
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # inside the try: buffered output fails here, not at exit
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _run(argv: Sequence[str] | None) -> int:
    # A frozen build starts refresh's parse workers by re-running itself; this catches that.
    multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        (getattr(args, "subparser", None) or parser).print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        clock.now()  # a bad SMARKETING_NOW is bad input, reported before anything happens
        workspace = resolve_workspace(args.home, args.db_url)
        workspace.ensure_dirs()
        setup_logging(workspace.logs_dir)
        db = open_database(workspace)
    except (ValueError, OSError, MigrationError) as exc:
        print(f"smarketing: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return handler(args, db)
    except UserError as exc:
        print(f"smarketing: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        raise  # the reader went away: not a failure to log (see `main`)
    except Exception as exc:
        log.exception("Command failed")
        log_file = workspace.logs_dir / "smarketing.log"
        print(f"smarketing: unexpected error: {exc} (details in {log_file})", file=sys.stderr)
        return EXIT_PARTIAL
    finally:
        db.dispose()
