"""Recorded X API v2 traffic replayed by the local test server, and a fake X around it.

The corpus holds tweepy's vcrpy cassettes. Their sync bodies are gzip bytes (base64 in YAML)
with `content-encoding: gzip`; urllib3 2 fails to replay them as recorded, so the loader
decompresses each body and drops the encoding and length headers (the server sets its own).
`FakeX` serves those answers, and hand-made ones for what the corpus lacks (errors, 429s, a
server that never answers), on the `http_server` fixture; the app's client reaches it through
`XConfig(api_url=...)`, the same host rewrite the app uses in production.

`FileKeyring` is a keyring backend for end-to-end tests: the CLI runs as separate processes,
which cannot share the in-memory keyring, so they share a JSON file named by an environment
variable. Tests only: it stores secrets in plain text.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from smarketing_desktop.social.x_client import XConfig
from tests.support.http_server import LocalServer, RequestHandler, Response

CASSETTES = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "x_api_v2_cassettes"
KEYRING_FILE_ENV = "SMARKETING_TEST_KEYRING_FILE"
_DROPPED_HEADERS = frozenset(
    {"content-encoding", "content-length", "transfer-encoding", "set-cookie", "connection"}
)


def corpus_available() -> bool:
    return CASSETTES.is_dir()


@dataclass(frozen=True)
class Recorded:
    """One recorded exchange, body decompressed."""

    method: str
    path: str
    query: dict[str, list[str]]
    request_body: bytes | None
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def response(self) -> Response:
        return Response(self.body, self.status, dict(self.headers))


def _text(value: Any) -> bytes:
    if value is None:
        return b""
    return value if isinstance(value, bytes) else str(value).encode()


def load(name: str) -> list[Recorded]:
    """The interactions of `<name>.yaml`, in recorded order."""
    data = yaml.safe_load((CASSETTES / f"{name}.yaml").read_bytes())
    recorded = []
    for interaction in data["interactions"]:
        request, response = interaction["request"], interaction["response"]
        headers = {k.lower(): ", ".join(v) for k, v in (response.get("headers") or {}).items()}
        body = _text(response["body"]["string"])
        if headers.get("content-encoding") == "gzip" and body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        uri = urlsplit(request["uri"])
        recorded.append(
            Recorded(
                method=request["method"],
                path=uri.path,
                query=parse_qs(uri.query),
                request_body=_text(request.get("body")) or None,
                status=int(response["status"]["code"]),
                headers={k: v for k, v in headers.items() if k not in _DROPPED_HEADERS},
                body=body,
            )
        )
    return recorded


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data).encode(),
        status,
        {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )


def problem(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    """An error as X v2 sends it (RFC 7807 problem JSON)."""
    return Response(
        json.dumps(
            {"title": title, "detail": detail, "type": "about:blank", "status": status}
        ).encode(),
        status,
        {"Content-Type": "application/problem+json", **(headers or {})},
    )


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


Answer = Response | Callable[[Call], Response | None]


class _AnyMethodHandler(RequestHandler):
    """The shared server answers GET only; X also needs POST and DELETE."""

    def do_POST(self) -> None:
        self.do_GET()

    def do_DELETE(self) -> None:
        self.do_GET()

    def do_PUT(self) -> None:
        self.do_GET()


@dataclass
class FakeX:
    """A local X API on the test server: answers by (method, path), every call recorded."""

    server: LocalServer
    calls: list[Call] = field(default_factory=list)
    _answers: dict[tuple[str, str], Answer] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.server.RequestHandlerClass = _AnyMethodHandler

    @property
    def url(self) -> str:
        return self.server.url("")

    def config(self, read_timeout: float = 5.0) -> XConfig:
        return XConfig(api_url=self.url, connect_timeout=2.0, read_timeout=read_timeout)

    def on(self, method: str, path: str, answer: Answer) -> None:
        self._answers[(method.upper(), path)] = answer
        self.server.routes[path] = self._dispatch

    def replay(self, *recorded: Recorded) -> None:
        for item in recorded:
            self.on(item.method, item.path, item.response())

    def hang(self, method: str, path: str) -> None:
        """Accept the request and never answer (until the server stops)."""

        def never(call: Call) -> None:
            self.server.stopping.wait(30)

        self.on(method, path, never)

    def calls_to(self, path: str, method: str = "GET") -> list[Call]:
        return [c for c in self.calls if c.path == path and c.method == method]

    def _dispatch(self, handler: RequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        call = Call(
            handler.command,
            parts.path,
            parse_qs(parts.query),
            {k.lower(): v for k, v in handler.headers.items()},
            body,
        )
        self.calls.append(call)
        answer = self._answers.get((handler.command, parts.path))
        if answer is None:
            handler.send(problem(404, "Not Found", f"no fake for {handler.command} {parts.path}"))
            return
        response = answer(call) if callable(answer) else answer
        if response is not None:
            handler.send(response)


class FileKeyring(KeyringBackend):
    """Secrets in a JSON file named by SMARKETING_TEST_KEYRING_FILE (end-to-end tests only)."""

    priority = 1

    @staticmethod
    def _path() -> Path:
        return Path(os.environ[KEYRING_FILE_ENV])

    def _load(self) -> dict[str, str]:
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def _save(self, data: dict[str, str]) -> None:
        self._path().write_text(json.dumps(data))

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self._save(data)
