"""`smarketing settings ...`: read and change the declared settings."""

from __future__ import annotations

import argparse
import json
from typing import Any

from smarketing_desktop.cli.base import (
    EXIT_OK,
    CommandAdder,
    Subcommands,
    emit_json,
    emit_table,
    respond,
)
from smarketing_desktop.core.settings import SETTINGS, SettingError, spec_for
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database


def _shown(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def cmd_settings_list(args: argparse.Namespace, db: Database) -> int:
    values = SettingsRepository(db).all()
    rows = [
        {
            "key": key,
            "value": values[key],
            "default": spec.default,
            "allowed": spec.allowed(),
            "description": spec.description,
        }
        for key, spec in SETTINGS.items()
    ]
    if args.json:
        emit_json(rows)
    else:
        emit_table(
            [(r["key"], _shown(r["value"]), r["description"]) for r in rows],
            ("KEY", "VALUE", "WHAT IT DOES"),
        )
    return EXIT_OK


def cmd_settings_get(args: argparse.Namespace, db: Database) -> int:
    value = SettingsRepository(db).get(args.key)
    return respond(args, {"key": args.key, "value": value}, _shown(value))


def cmd_settings_set(args: argparse.Namespace, db: Database) -> int:
    value = SettingsRepository(db).set_text(args.key, args.value)
    return respond(args, {"key": args.key, "value": value}, f"{args.key} = {_shown(value)}")


def cmd_settings_reset(args: argparse.Namespace, db: Database) -> int:
    value = SettingsRepository(db).reset(args.key)
    return respond(
        args, {"key": args.key, "value": value}, f"{args.key} = {_shown(value)} (default)"
    )


def register(commands: Subcommands, command: CommandAdder) -> None:
    settings = command.group(commands, "settings", "read and change settings")
    command(settings, "list", cmd_settings_list, "every setting with its value and what it does")
    get = command(settings, "get", cmd_settings_get, "print one setting")
    get.add_argument("key", metavar="KEY", type=_known_key)
    put = command(settings, "set", cmd_settings_set, "change one setting")
    put.add_argument("key", metavar="KEY", type=_known_key)
    put.add_argument("value", metavar="VALUE")
    reset = command(settings, "reset", cmd_settings_reset, "back to the default")
    reset.add_argument("key", metavar="KEY", type=_known_key)


def _known_key(key: str) -> str:
    """Unknown keys fail while parsing arguments, before the database is opened."""
    try:
        spec_for(key)
    except SettingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return key
