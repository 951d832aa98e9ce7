"""How counts read in messages, shared by the CLI and the window so both word them the same."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {word}"
