"""The X account panel: connection status, the cost meter, connecting and disconnecting.

Secrets are typed into password-mode fields and taken out of them as soon as they are handed to
`social.x_auth`; they are never logged (the secrets module registers each with the log
redactor). When there is no secure keyring, the store's message is shown with a "Use for this
session only" button that repeats the last step with `session_only_ok=True`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore, SecretsUnavailableError
from smarketing_desktop.social.x_auth import (
    Connected,
    OAuth2Attempt,
    check_connection,
    disconnect,
    finish_oauth2,
    set_bearer_token,
    start_oauth2,
)
from smarketing_desktop.social.x_budget import XMeter
from smarketing_desktop.social.x_client import XUser
from smarketing_desktop.social.x_tracking import XStatus, x_status
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.confirm import confirm_destructive
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

DEFAULT_REDIRECT_URI = "http://127.0.0.1:8765/callback"

# A step that stores secrets, repeatable with session_only_ok=True.
Retry = Callable[[bool], None]


def status_text(status: XStatus) -> str:
    if status.connected:
        who = f"Connected as @{status.handle}" if status.handle else "Connected"
    elif status.reads_with == "app":
        who = "Not connected to an account (an app bearer token is stored for reading)"
    else:
        who = "Not connected"
    budget = status.budget
    return (
        f"{who}. Reads this month: {budget.usage.reads}; estimated cost "
        f"${budget.estimated_cost:.2f} of a ${budget.budget_usd} budget."
    )


def _password_field(name: str, placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    accessible(field, name)
    return field


class XAccountPanel(QGroupBox):
    """`notice` carries status-bar messages; `connection_changed` follows connect/disconnect."""

    notice = Signal(str)
    connection_changed = Signal()

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        store: SecretStore | None = None,
    ) -> None:
        super().__init__("X account", parent)
        self.setObjectName("x-account-panel")
        self._db = db
        self._runner = runner
        self._store = store or SecretStore()
        self._attempt: OAuth2Attempt | None = None
        self._retry: Retry | None = None
        self.last_status: XStatus | None = None

        self.status_label = QLabel("Checking the X connection…")
        self.status_label.setWordWrap(True)
        accessible(self.status_label, "X connection status")
        self.budget_notice = QLabel()
        self.budget_notice.setWordWrap(True)
        self.budget_notice.setVisible(False)
        self.error = ErrorLabel(self)
        self.keyring_button = accessible(
            QPushButton("Use for this session only"),
            "Use the credential for this session only",
            "Keep it in memory until the app closes; nothing is written to disk.",
        )
        self.keyring_button.setVisible(False)
        self.keyring_button.clicked.connect(self._retry_session_only)

        self.connect_button = accessible(
            QPushButton("Connect…"), "Connect an X account", "Sign in with OAuth 2.0 (PKCE)"
        )
        self.bearer_button = accessible(
            QPushButton("Use an app bearer token…"),
            "Use an app bearer token",
            "Read posts with the X app's own token, without an account sign-in",
        )
        self.test_button = accessible(
            QPushButton("Test connection"), "Test the X connection", "Ask X who is signed in"
        )
        self.disconnect_button = accessible(
            QPushButton("Disconnect"), "Disconnect X", "Forget every stored X credential"
        )
        self.connect_button.clicked.connect(self._toggle_connect)
        self.bearer_button.clicked.connect(self._toggle_bearer)
        self.test_button.clicked.connect(self.test_connection)
        self.disconnect_button.clicked.connect(self.ask_disconnect)
        buttons = QHBoxLayout()
        for button in (
            self.connect_button,
            self.bearer_button,
            self.test_button,
            self.disconnect_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)

        # OAuth 2.0 PKCE
        self.oauth_box = QWidget()
        oauth_form = QFormLayout(self.oauth_box)
        self.client_id = accessible(QLineEdit(), "X client ID")
        self.client_id.setPlaceholderText("From the X developer portal > Keys and tokens")
        self.client_secret = _password_field(
            "X client secret", "Only for confidential apps; leave empty otherwise"
        )
        self.redirect_uri = accessible(QLineEdit(DEFAULT_REDIRECT_URI), "X callback address")
        self.redirect_uri.setToolTip("The callback address registered for the X app")
        self.open_button = accessible(
            QPushButton("Open the X sign-in page"),
            "Open the X sign-in page in the browser",
        )
        self.open_button.clicked.connect(self.start_connect)
        oauth_form.addRow("Client &ID", self.client_id)
        oauth_form.addRow("Client &secret (optional)", self.client_secret)
        oauth_form.addRow("&Redirect URI", self.redirect_uri)
        oauth_form.addRow(self.open_button)
        self.paste_box = QWidget()
        paste_form = QFormLayout(self.paste_box)
        paste_form.setContentsMargins(0, 0, 0, 0)
        self.pasted = _password_field("The address your browser was sent to")
        self.finish_button = accessible(QPushButton("Finish"), "Finish connecting X")
        self.finish_button.clicked.connect(self.finish_connect)
        paste_form.addRow("Paste the address your browser was sent to", self.pasted)
        paste_form.addRow(self.finish_button)
        self.paste_box.setVisible(False)
        oauth_form.addRow(self.paste_box)
        self.oauth_box.setVisible(False)

        # App bearer token
        self.bearer_box = QWidget()
        bearer_form = QFormLayout(self.bearer_box)
        self.bearer_token = _password_field("X app bearer token", "Paste the app's bearer token")
        self.save_bearer_button = accessible(QPushButton("Save token"), "Save the bearer token")
        self.save_bearer_button.clicked.connect(self.save_bearer)
        self.bearer_token.returnPressed.connect(self.save_bearer)
        bearer_form.addRow("&Bearer token", self.bearer_token)
        bearer_form.addRow(self.save_bearer_button)
        self.bearer_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.budget_notice)
        layout.addLayout(buttons)
        layout.addWidget(self.oauth_box)
        layout.addWidget(self.bearer_box)
        layout.addWidget(self.error)
        layout.addWidget(self.keyring_button)

    # -- status --------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        db, store = self._db, self._store

        def work() -> XStatus:
            return x_status(db, store)

        self._runner.run_db(work, self._show_status, context=self)

    def _show_status(self, status: XStatus) -> None:
        self.last_status = status
        self.status_label.setText(status_text(status))
        notice = status.budget.notice or ""
        self.budget_notice.setText(notice)
        self.budget_notice.setVisible(bool(notice))
        stored = status.connected or status.reads_with is not None
        self.test_button.setEnabled(status.connected)
        self.disconnect_button.setEnabled(stored)

    # -- showing the forms ---------------------------------------------------------------

    def _toggle_connect(self) -> None:
        self.oauth_box.setVisible(not self.oauth_box.isVisibleTo(self))
        self.bearer_box.setVisible(False)

    def _toggle_bearer(self) -> None:
        self.bearer_box.setVisible(not self.bearer_box.isVisibleTo(self))
        self.oauth_box.setVisible(False)

    # -- OAuth 2.0 PKCE ------------------------------------------------------------------

    @Slot()
    def start_connect(self) -> None:
        """Create the attempt (no network) and open its page in the browser."""
        self._clear_problem()
        secret = self.client_secret.text()
        self.client_secret.clear()
        try:
            attempt = start_oauth2(
                self.client_id.text(),
                self.redirect_uri.text(),
                client_secret=secret or None,
            )
        except UserError as exc:
            self._show_problem(str(exc))
            return
        self._attempt = attempt
        QDesktopServices.openUrl(QUrl(attempt.authorization_url))
        self.paste_box.setVisible(True)
        self.pasted.setFocus()
        emit(self.notice, "Approve the app in your browser, then paste the address it shows")

    @Slot()
    def finish_connect(self) -> None:
        attempt = self._attempt
        if attempt is None:
            self._show_problem("Open the X sign-in page first.")
            return
        pasted = self.pasted.text()
        self.pasted.clear()
        db, store = self._db, self._store

        def run(session_only_ok: bool) -> None:
            def work() -> Connected:
                return finish_oauth2(
                    attempt, pasted, store, session_only_ok=session_only_ok, meter=XMeter(db)
                )

            self._runner.run_network(work, self._connected, self._store_failed(run), context=self)

        self._clear_problem()
        run(False)

    # -- bearer token --------------------------------------------------------------------

    @Slot()
    def save_bearer(self) -> None:
        token = self.bearer_token.text()
        self.bearer_token.clear()
        store = self._store

        def run(session_only_ok: bool) -> None:
            def work() -> Connected:
                return set_bearer_token(token, store, session_only_ok=session_only_ok)

            self._runner.run_db(work, self._connected, self._store_failed(run), context=self)

        self._clear_problem()
        run(False)

    # -- outcomes ------------------------------------------------------------------------

    def _connected(self, connected: Connected) -> None:
        self._attempt = None
        self._retry = None
        self.paste_box.setVisible(False)
        self.oauth_box.setVisible(False)
        self.bearer_box.setVisible(False)
        self._clear_problem()
        where = " for this session only" if connected.stored_in == "session" else ""
        if connected.method == "bearer":
            emit(self.notice, f"Bearer token saved{where}")
        else:
            who = f" as @{connected.handle}" if connected.handle else ""
            emit(self.notice, f"Connected to X{who}{where}")
        emit(self.connection_changed)
        self.refresh()

    def _store_failed(self, retry: Retry) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            if isinstance(exc, SecretsUnavailableError):
                self._retry = retry
                self.error.show_message(str(exc))
                self.keyring_button.setVisible(True)
                return
            self._show_problem(describe_error(exc))
            if not isinstance(exc, UserError):
                self._runner.report_error(exc)

        return failed

    @Slot()
    def _retry_session_only(self) -> None:
        retry, self._retry = self._retry, None
        self._clear_problem()
        if retry is not None:
            retry(True)

    def _show_problem(self, message: str) -> None:
        self.keyring_button.setVisible(False)
        self.error.show_message(message)

    def _clear_problem(self) -> None:
        self.keyring_button.setVisible(False)
        self.error.clear_message()

    # -- test and disconnect -------------------------------------------------------------

    @Slot()
    def test_connection(self) -> None:
        db, store = self._db, self._store

        def work() -> XUser:
            return check_connection(store, meter=XMeter(db))

        def done(user: XUser) -> None:
            self._clear_problem()
            emit(self.notice, f"X connection works: signed in as @{user.username}")
            self.refresh()

        def failed(exc: Exception) -> None:
            self._show_problem(describe_error(exc))
            if not isinstance(exc, UserError):
                self._runner.report_error(exc)

        self._clear_problem()
        self._runner.run_network(work, done, failed, context=self)

    @Slot()
    def ask_disconnect(self) -> None:
        confirm_destructive(
            self,
            title="Disconnect X",
            question="Disconnect the X account?",
            consequence="Every stored X credential is forgotten; tracking X posts stops until "
            "you connect again.",
            action="Disconnect",
            action_name="Disconnect X",
            keep_name="Keep X connected",
            on_confirm=self.disconnect_now,
        )

    @Slot()
    def disconnect_now(self) -> None:
        store = self._store

        def work() -> bool:
            return disconnect(store)

        def done(removed: bool) -> None:
            emit(self.notice, "X disconnected" if removed else "Nothing was connected to X")
            emit(self.connection_changed)
            self.refresh()

        self._runner.run_db(work, done, context=self)
