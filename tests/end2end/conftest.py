"""Run the real `smarketing` command in a subprocess against a throwaway data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Cli:
    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.home = home
        self.env = env

    def __call__(self, *args: str, home: Path | None = None, **env: str) -> Result:
        return self.bare("--home", str(home or self.home), *args, **env)

    def bare(self, *args: str, **env: str) -> Result:
        """The command exactly as given: no --home added."""
        run_env = {**self.env, **env}
        argv = [sys.executable, "-m", "smarketing_desktop", *args]
        done = subprocess.run(
            argv, capture_output=True, text=True, env=run_env, timeout=120, check=False
        )
        return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARKETING_")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return Cli(tmp_path / "home", env)
