"""After connect, track and publish, no X credential is in the database, the logs or any file."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.logging_setup import setup_logging
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_auth import finish_oauth2, set_bearer_token, start_oauth2
from smarketing_desktop.social.x_publish import publish_due
from smarketing_desktop.social.x_tracking import track
from tests.support.http_server import LocalServer
from tests.support.memory_keyring import MemoryKeyring
from tests.support.x_cassettes import FakeX, json_response

NOW = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
SECRETS = {
    "client_secret": "client-secret-Zq81kXw",
    "access_token": "access-token-Yt55hPl",
    "refresh_token": "refresh-token-Rk09mNa",
    "bearer": "AAAAbearer-app-token-Wv77",
    "code": "authorization-code-Jd33",
}


@pytest.fixture
def fake_x(http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> FakeX:
    monkeypatch.setenv("SMARKETING_NOW", NOW.isoformat())
    fake = FakeX(http_server)
    fake.on(
        "POST",
        "/2/oauth2/token",
        json_response(
            {
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": SECRETS["access_token"],
                "refresh_token": SECRETS["refresh_token"],
                "scope": "tweet.read users.read tweet.write offline.access",
            }
        ),
    )
    fake.on(
        "GET",
        "/2/users/me",
        json_response({"data": {"id": "10", "name": "Rep", "username": "rep"}}),
    )
    fake.on(
        "GET",
        "/2/users/by",
        json_response({"data": [{"id": "20", "name": "Jane", "username": "jane"}]}),
    )
    fake.on(
        "GET",
        "/2/users/20/tweets",
        json_response({"data": [{"id": "30", "text": "Hello"}], "meta": {"newest_id": "30"}}),
    )
    fake.on("POST", "/2/tweets", json_response({"data": {"id": "40", "text": "Shared"}}, 201))
    return fake


def test_no_token_reaches_the_database_or_the_logs(db: Database, fake_x: FakeX) -> None:
    log_file = setup_logging(db.workspace.logs_dir, verbose=True)  # DEBUG: the worst case
    store = SecretStore()
    config = fake_x.config()
    attempt = start_oauth2(
        "client-id-1", "http://127.0.0.1/cb", client_secret=SECRETS["client_secret"], config=config
    )
    state = parse_qs(urlsplit(attempt.authorization_url).query)["state"][0]
    finish_oauth2(
        attempt, f"http://127.0.0.1/cb?state={state}&code={SECRETS['code']}", store, config=config
    )
    set_bearer_token(SECRETS["bearer"], store)
    prospect = ProspectRepository(db).add(ProspectDraft(name="Jane", x_handle="jane"))
    assert track(db, store, config=config, now=NOW).new_posts == 1
    QueueRepository(db).add_share(
        channel="x", text="Shared", prospect_id=prospect.id, at=NOW - timedelta(minutes=1)
    )
    assert publish_due(db, store, config=config, now=NOW).outcomes[0].status == "posted"
    logging.getLogger("careless").warning("token was %s", SECRETS["access_token"])
    for handler in logging.getLogger().handlers:
        handler.flush()
    db.dispose()

    keyring_text = "".join(MemoryKeyring.store.values())
    assert all(value in keyring_text for key, value in SECRETS.items() if key != "code")
    logged = "\n".join(p.read_text(encoding="utf-8") for p in log_file.parent.glob("*.log*"))
    assert "Connected X account @rep" in logged
    files = [p for p in db.workspace.home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in files)
    for path in files:
        data = path.read_bytes()
        for name, value in SECRETS.items():
            assert value.encode() not in data, f"{name} found in {path}"
