"""Shared pieces of the `smarketing` command: parser class, output and file helpers.

Exit codes: 0 success, 1 when some items failed (e.g. skipped CSV rows), 2 on bad input with a
one-line message on stderr and nothing changed; 141 (128 + SIGPIPE) when whoever read the
output stopped early, as `head` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.db.store import Database

EXIT_OK, EXIT_PARTIAL, EXIT_BAD_INPUT = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a program stopped by SIGPIPE (13)

Handler = Callable[[argparse.Namespace, Database], int]
T = TypeVar("T")


class CliParser(argparse.ArgumentParser):
    """argparse, but usage errors are one line on stderr, like every other error here."""

    def error(self, message: str) -> Any:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


class Subcommands(Protocol):
    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


class CommandAdder:
    """Adds a command with the common options (--json, --home, --db-url) and its handler."""

    def __init__(self, common: argparse.ArgumentParser) -> None:
        self.common = common

    def __call__(
        self, group: Subcommands, name: str, handler: Handler, help_text: str
    ) -> argparse.ArgumentParser:
        sub = group.add_parser(name, help=help_text, description=help_text, parents=[self.common])
        sub.set_defaults(handler=handler)
        return sub

    @staticmethod
    def group(parent: Subcommands, name: str, help_text: str) -> Subcommands:
        """A command with actions below it (`prospect add`, `feed list`)."""
        parser = parent.add_parser(name, help=help_text, description=help_text)
        actions: Subcommands = parser.add_subparsers(
            dest="action", metavar="ACTION", parser_class=CliParser
        )
        parser.set_defaults(handler=None, subparser=parser)
        return actions


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def respond(args: argparse.Namespace, data: Any, text: str) -> int:
    """The usual ending of a command: the JSON document with --json, else a line for people."""
    if args.json:
        emit_json(data)
    else:
        print(text)
    return EXIT_OK


def emit_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    text_rows = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in text_rows]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip())
    for row in text_rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def read_input_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a file.") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror}).") from None


def read_and_parse(path: str, parse: Callable[[bytes], T], errors: type[Exception]) -> T:
    """Read a file the user named and parse it; a parse error becomes a one-line message."""
    data = read_input_file(path)
    try:
        return parse(data)
    except errors as exc:
        raise UserError(f"{path}: {exc}") from None


def write_output_file(path: str, data: bytes) -> Path:
    """Write atomically enough for a export: a clear error, never a half-written target."""
    target = Path(path)
    if not target.parent.exists():
        raise UserError(f"{target.parent}: no such folder.")
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(f"{target}: cannot be written ({exc.strerror}).") from None
    return target
