"""Credentials live in the OS keyring, and only there.

With no secure keyring (headless Linux without a Secret Service, or an insecure backend such as
a plain-text file), nothing is written anywhere: the caller is told why and may keep the secret
in memory for this session only. Every value that passes through here is registered with the
log redactor so it cannot end up in a log file or a traceback written by the app.
"""

from __future__ import annotations

import logging

import keyring
import keyring.backend
import keyring.errors

from smarketing_desktop.logging_setup import register_secret

SERVICE = "smarketing-desktop"

log = logging.getLogger(__name__)

NO_KEYRING_MESSAGE = (
    "No secure password store is available on this computer (on Linux, install and unlock "
    "GNOME Keyring or KWallet). Smarketing Desktop never saves credentials in plain text; "
    "you can use this credential for the current session only and enter it again next time."
)

_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class SecretsUnavailableError(RuntimeError):
    """No secure store; the message is written for the user."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(NO_KEYRING_MESSAGE)
        self.detail = detail


def _backend_is_secure(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES):
        return False
    # The chainer is secure only if it chains at least one secure backend.
    backends = getattr(backend, "backends", None)
    if backends is not None:
        return any(_backend_is_secure(b) for b in backends)
    return True


class SecretStore:
    """set/get/delete by name, with an opt-in, memory-only fallback for this session."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service
        self._session_only: dict[str, str] = {}

    @staticmethod
    def backend_available() -> bool:
        return _backend_is_secure(keyring.get_keyring())

    def _require_backend(self) -> None:
        if not self.backend_available():
            raise SecretsUnavailableError(type(keyring.get_keyring()).__name__)

    def set(self, name: str, value: str, *, session_only_ok: bool = False) -> str:
        """Store a secret; returns "keyring" or "session" to say where it went."""
        register_secret(value)
        try:
            self._require_backend()
            keyring.set_password(self.service, name, value)
        except (SecretsUnavailableError, keyring.errors.NoKeyringError, keyring.errors.InitError):
            if not session_only_ok:
                raise SecretsUnavailableError() from None
            self._session_only[name] = value
            log.info("Keeping credential %r for this session only (no secure keyring)", name)
            return "session"
        except keyring.errors.PasswordSetError as exc:
            raise SecretsUnavailableError(type(exc).__name__) from None
        self._session_only.pop(name, None)
        log.info("Stored credential %r in the system keyring", name)
        return "keyring"

    def get(self, name: str) -> str | None:
        if name in self._session_only:
            return self._session_only[name]
        if not self.backend_available():
            return None
        try:
            value = keyring.get_password(self.service, name)
        except (
            keyring.errors.NoKeyringError,
            keyring.errors.InitError,
            keyring.errors.KeyringLocked,
        ):
            return None
        if value is not None:
            register_secret(value)
        return value

    def delete(self, name: str) -> bool:
        """Forget a secret wherever it is; True when something was removed."""
        removed = self._session_only.pop(name, None) is not None
        if self.backend_available():
            try:
                keyring.delete_password(self.service, name)
                removed = True
            except keyring.errors.PasswordDeleteError:
                pass
            except (keyring.errors.NoKeyringError, keyring.errors.InitError):
                pass
        if removed:
            log.info("Deleted credential %r", name)
        return removed
