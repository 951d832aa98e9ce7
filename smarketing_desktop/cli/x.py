"""`smarketing x ...`: the rep's X account, tracking prospects' posts, and the cost meter.

Secrets are read from stdin (without echo on a terminal), never from the command line, where
they would land in shell history and in every process listing. Prompts and the authorization
address go to stderr so that `--json` keeps stdout to one JSON document. tweepy is imported
only by the commands that need it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from smarketing_desktop.cli.base import (
    EXIT_OK,
    EXIT_PARTIAL,
    CommandAdder,
    Subcommands,
    emit_json,
    respond,
)
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.wording import plural
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore, SecretsUnavailableError

if TYPE_CHECKING:
    from smarketing_desktop.social.x_budget import BudgetState


def _read(prompt: str, *, secret: bool) -> str:
    """One line from stdin; on a terminal, prompted (and hidden for secrets)."""
    if sys.stdin.isatty():
        if secret:
            return getpass.getpass(prompt, stream=sys.stderr).strip()
        sys.stderr.write(prompt)
        sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise UserError(f"Expected input on stdin: {prompt.strip().rstrip(':')}.")
    return line.strip()


def _budget_line(state: BudgetState) -> str:
    usage = state.usage
    return (
        f"X this month: {plural(usage.reads, 'read')}, about ${state.estimated_cost:.2f} "
        f"of your ${state.budget_usd} budget."
    )


def cmd_x_status(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.social.x_tracking import x_status

    status = x_status(db, SecretStore())
    if args.json:
        emit_json(status.to_json())
        return EXIT_OK
    if status.connected:
        print(f"X: connected as @{status.handle} ({status.method}).")
    elif status.reads_with == "app":
        print("X: app bearer token only (tracking works; connect an account to publish).")
    else:
        print("X: not connected. Connect with: smarketing x connect")
    print(f"Tracking {plural(status.tracked_prospects, 'prospect')} with an X handle.")
    print(_budget_line(status.budget))
    if status.budget.notice:
        print(status.budget.notice)
    return EXIT_OK


def cmd_x_connect(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.social import x_auth
    from smarketing_desktop.social.x_budget import XMeter
    from smarketing_desktop.social.x_client import OAuth1Keys

    store = SecretStore()
    meter = XMeter(db)
    try:
        if args.bearer_token_stdin:
            done = x_auth.set_bearer_token(_read("App bearer token: ", secret=True), store)
            text = "Saved the app bearer token in the system keyring (used for reading posts)."
        elif args.oauth1:
            keys = OAuth1Keys(
                _read("API key: ", secret=True),
                _read("API key secret: ", secret=True),
                _read("Access token: ", secret=True),
                _read("Access token secret: ", secret=True),
            )
            done = x_auth.connect_oauth1(keys, store, meter=meter)
            text = f"Connected X account @{done.handle} (OAuth 1.0a)."
        else:
            if not args.client_id or not args.redirect_uri:
                raise UserError(
                    "OAuth 2.0 needs --client-id and --redirect-uri (from the X developer "
                    "portal); or use --oauth1 or --bearer-token-stdin."
                )
            secret = _read("Client secret: ", secret=True) if args.client_secret_stdin else None
            attempt = x_auth.start_oauth2(args.client_id, args.redirect_uri, client_secret=secret)
            sys.stderr.write(
                "Open this address, approve the app, then paste the address the browser "
                f"lands on:\n{attempt.authorization_url}\n"
            )
            sys.stderr.flush()
            pasted = _read("Address after approval: ", secret=False)
            done = x_auth.finish_oauth2(attempt, pasted, store, meter=meter)
            text = f"Connected X account @{done.handle} (OAuth 2.0)."
    except SecretsUnavailableError as exc:
        raise UserError(str(exc)) from None
    return respond(args, done.to_json(), text)


def cmd_x_test(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.social.x_auth import check_connection
    from smarketing_desktop.social.x_budget import XMeter
    from smarketing_desktop.social.x_client import XApiError

    try:
        me = check_connection(SecretStore(), meter=XMeter(db))
    except XApiError as exc:
        raise UserError(exc.message) from None
    return respond(
        args,
        {"ok": True, "handle": me.username, "user_id": me.id, "name": me.name},
        f"Connected to X as @{me.username} ({me.name}).",
    )


def cmd_x_disconnect(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.social.x_auth import disconnect

    removed = disconnect(SecretStore())
    text = "Disconnected X: its keys are deleted." if removed else "No X account was connected."
    return respond(args, {"disconnected": removed}, text)


def cmd_x_track(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.social.x_tracking import track

    report = track(db, SecretStore(), due_only=args.due)
    if args.json:
        emit_json(report.to_json())
    else:
        print(
            f"Checked {plural(report.checked, 'prospect')} on X: "
            f"{plural(report.new_posts, 'new post')}, "
            f"{len(report.skipped)} skipped."
        )
        for skipped in report.skipped:
            print(f"  @{skipped.handle} (prospect {skipped.prospect_id}): {skipped.reason}")
        if report.budget is not None:
            print(_budget_line(report.budget))
            if report.budget.notice:
                print(report.budget.notice)
    return EXIT_PARTIAL if report.skipped or report.error else EXIT_OK


def register(commands: Subcommands, command: CommandAdder) -> None:
    x = command.group(commands, "x", "your X account, prospects' X posts and the X cost meter")
    command(x, "status", cmd_x_status, "connection, reads this month and the budget")
    connect = command(
        x,
        "connect",
        cmd_x_connect,
        "connect an X account (OAuth 2.0 by default; secrets are read from stdin)",
    )
    connect.add_argument("--client-id", metavar="ID", help="the X app's OAuth 2.0 client ID")
    connect.add_argument(
        "--redirect-uri", metavar="URL", help="the callback address registered for the X app"
    )
    connect.add_argument(
        "--client-secret-stdin",
        action="store_true",
        help="the app is a confidential client: read its client secret from stdin first",
    )
    connect.add_argument(
        "--oauth1",
        action="store_true",
        help="read OAuth 1.0a keys from stdin: API key, secret, access token, token secret",
    )
    connect.add_argument(
        "--bearer-token-stdin",
        action="store_true",
        help="read the app's bearer token (used for reads) from stdin",
    )
    command(x, "test", cmd_x_test, "check the connection (get_me) and show the handle")
    command(x, "disconnect", cmd_x_disconnect, "delete the X account's keys from the keyring")
    track = command(x, "track", cmd_x_track, "fetch prospects' new X posts into the inbox now")
    track.add_argument("--due", action="store_true", help="only prospects whose check is due")
