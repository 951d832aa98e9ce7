"""How counts read in messages, shared by the CLI and the window so both word them the same."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {word}"


# How each channel is written on screen, whatever lists it: the queue, plans, share dialogs.
CHANNEL_NAMES = {
    "x": "X",
    "linkedin": "LinkedIn",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "blog": "Blog",
    "email": "Email",
}


def channel_name(channel: str | None) -> str:
    if not channel:
        return ""
    return CHANNEL_NAMES.get(channel, channel.capitalize())
