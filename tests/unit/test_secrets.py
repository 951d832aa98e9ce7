"""Credentials go to the OS keyring or nowhere, and never into the database or logs."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.logging_setup import setup_logging
from smarketing_desktop.secrets import NO_KEYRING_MESSAGE, SecretStore, SecretsUnavailableError
from tests.support.memory_keyring import MemoryKeyring

TOKEN = "xoxb-SECRET-token-4f9a1c77"


def test_set_get_delete_round_trip_through_the_keyring() -> None:
    store = SecretStore()
    assert store.set("x_access_token", TOKEN) == "keyring"
    assert MemoryKeyring.store[("smarketing-desktop", "x_access_token")] == TOKEN
    assert SecretStore().get("x_access_token") == TOKEN
    assert store.delete("x_access_token")
    assert store.get("x_access_token") is None
    assert not store.delete("x_access_token")


def test_without_a_secure_keyring_the_user_is_told_and_nothing_is_saved() -> None:
    keyring.set_keyring(FailKeyring())
    store = SecretStore()
    with pytest.raises(SecretsUnavailableError) as caught:
        store.set("x_access_token", TOKEN)
    assert str(caught.value) == NO_KEYRING_MESSAGE
    assert "plain text" in NO_KEYRING_MESSAGE
    assert store.get("x_access_token") is None


def test_session_only_credentials_live_in_memory_for_this_store_only() -> None:
    keyring.set_keyring(FailKeyring())
    store = SecretStore()
    assert store.set("x_access_token", TOKEN, session_only_ok=True) == "session"
    assert store.get("x_access_token") == TOKEN
    assert SecretStore().get("x_access_token") is None  # a new session starts empty
    assert store.delete("x_access_token")


def test_plain_text_keyring_backends_are_not_trusted() -> None:
    insecure_module = type(
        "PlaintextKeyring", (MemoryKeyring,), {"__module__": "keyrings.alt.file"}
    )
    keyring.set_keyring(insecure_module())
    assert not SecretStore.backend_available()
    with pytest.raises(SecretsUnavailableError):
        SecretStore().set("x_access_token", TOKEN)


def test_a_stored_secret_appears_in_neither_the_database_nor_the_logs(db: Database) -> None:
    log_file = setup_logging(db.workspace.logs_dir, verbose=True)
    store = SecretStore()
    store.set("x_access_token", TOKEN)
    ProspectRepository(db).add(ProspectDraft(name="Jane", notes="met at the fair"))
    assert store.get("x_access_token") == TOKEN
    # Even a careless log line or a traceback holding the value is redacted on the way out.
    logging.getLogger("careless").warning("calling the API with %s", TOKEN)
    try:
        raise RuntimeError(f"request failed with token {TOKEN}")
    except RuntimeError:
        logging.getLogger("careless").exception("boom")
    for handler in logging.getLogger().handlers:
        handler.flush()
    db.dispose()

    logged = "\n".join(p.read_text(encoding="utf-8") for p in log_file.parent.glob("*.log*"))
    assert "[redacted]" in logged
    assert TOKEN not in logged
    home = db.workspace.home
    for path in home.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
