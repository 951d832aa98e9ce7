"""Workspace-wide commands: the sample workspace and where things live."""

from __future__ import annotations

import argparse

from smarketing_desktop import __version__, clock
from smarketing_desktop.cli.base import EXIT_OK, CommandAdder, Subcommands, emit_json, respond
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore


def cmd_demo(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.demo import load_demo

    report = load_demo(db)
    if args.json:
        emit_json(report.to_json())
    else:
        print(report.summary())
        print(f"Open it with: smarketing-desktop --home {db.workspace.home}")
    return EXIT_OK


def cmd_info(args: argparse.Namespace, db: Database) -> int:
    ws = db.workspace
    info = {
        "version": __version__,
        "home": str(ws.home),
        "database": ws.db_url,
        "logs": str(ws.logs_dir),
        "backups": str(ws.backups_dir),
        "secure_keyring": SecretStore.backend_available(),
        "now": clock.now().isoformat(),
    }
    if args.json:
        emit_json(info)
    else:
        for key, value in info.items():
            print(f"{key + ':':<16}{value}")
    return EXIT_OK


def cmd_autostart(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.autostart import is_enabled, set_enabled

    if args.state is not None:
        try:
            set_enabled(args.state == "on")
        except OSError as exc:
            raise UserError(str(exc)) from None
    enabled = is_enabled()
    state = "on" if enabled else "off"
    return respond(args, {"start_at_login": enabled}, f"Start at login: {state}")


def register(commands: Subcommands, command: CommandAdder) -> None:
    command(commands, "demo", cmd_demo, "fill an empty workspace with sample data")
    command(commands, "info", cmd_info, "show where data lives and the app's settings")
    autostart = command(commands, "autostart", cmd_autostart, "start the window when you log in")
    autostart.add_argument("state", nargs="?", choices=("on", "off"), help="omit to show")
