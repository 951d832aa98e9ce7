"""Output read by another program: `smarketing today | head -1` and friends."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.end2end.conftest import Cli

NOW = "2026-11-23T09:00:00+00:00"


@pytest.mark.parametrize(
    "command",
    [("today",), ("plan", "list"), ("settings", "list", "--json"), ("prospect", "list")],
)
def test_a_reader_that_stops_early_ends_the_command_quietly(
    cli: Cli, command: tuple[str, ...]
) -> None:
    cli("prospect", "add", "Dana Whitfield", SMARKETING_NOW=NOW)  # the workspace exists
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before a byte is written, as after `head -1`
    try:
        done = subprocess.run(
            [sys.executable, "-m", "smarketing_desktop", "--home", str(cli.home), *command],
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            env={**cli.env, "SMARKETING_NOW": NOW},
            timeout=120,
            check=False,
        )
    finally:
        os.close(writing)
    assert done.stderr == ""
    assert done.returncode == 141  # as a shell reports `grep` or `cat` stopped by SIGPIPE
