"""The X account panel: connection status, the cost meter, connecting and disconnecting.

Three ways to connect, as `smarketing x connect` offers them: OAuth 2.0 with PKCE (the browser
sign-in), OAuth 1.0a keys copied from the X developer portal (API key and secret, access token
and secret: for apps set up before OAuth 2.0, or a rep who prefers not to use the browser), and
an app bearer token that only reads. OAuth 1.0a keys are checked field by field before anything
is sent, then verified with get_me on the network pool and saved only when X accepts them.

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
    connect_oauth1,
    disconnect,
    finish_oauth2,
    set_bearer_token,
    start_oauth2,
)
from smarketing_desktop.social.x_budget import XMeter
from smarketing_desktop.social.x_client import OAuth1Keys, XUser
from smarketing_desktop.social.x_tracking import XStatus, x_status
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.confirm import confirm_destructive
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

DEFAULT_REDIRECT_URI = "http://127.0.0.1:8765/callback"

# A step that stores secrets, repeatable with session_only_ok=True.
Retry = Callable[[bool], None]

# The OAuth 1.0a keys: (field, label with mnemonic, accessible name, where to find it).
OAUTH1_FIELDS = (
    (
        "consumer_key",
        "API &key",
        "X API key (consumer key)",
        "X developer portal > your app > Keys and tokens > Consumer keys: API Key",
    ),
    (
        "consumer_secret",
        "API key s&ecret",
        "X API key secret (consumer secret)",
        "X developer portal > your app > Keys and tokens > Consumer keys: API Key Secret",
    ),
    (
        "access_token",
        "&Access token",
        "X access token",
        "X developer portal > your app > Keys and tokens > Access Token (for your own account)",
    ),
    (
        "access_token_secret",
        "Access token secre&t",
        "X access token secret",
        "X developer portal > your app > Keys and tokens > Access Token Secret",
    ),
)


def oauth1_problems(values: dict[str, str]) -> dict[str, str]:
    """Per-field problems with typed OAuth 1.0a keys (empty, or broken by spaces)."""
    problems: dict[str, str] = {}
    for key, _label, name, _where in OAUTH1_FIELDS:
        value = values.get(key, "").strip()
        if not value:
            problems[key] = f"Paste the {name.removeprefix('X ')} from the X developer portal."
        elif any(c.isspace() for c in value):
            problems[key] = (
                f"The {name.removeprefix('X ')} is one piece of text without spaces; copy it again."
            )
    return problems


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
        self.oauth1_button = accessible(
            QPushButton("Use OAuth 1.0a keys…"),
            "Connect with OAuth 1.0a keys",
            "Paste the API key and secret and your access token and secret from the X "
            "developer portal",
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
        self.oauth1_button.clicked.connect(self._toggle_oauth1)
        self.bearer_button.clicked.connect(self._toggle_bearer)
        self.test_button.clicked.connect(self.test_connection)
        self.disconnect_button.clicked.connect(self.ask_disconnect)
        buttons = QHBoxLayout()
        for button in (
            self.connect_button,
            self.oauth1_button,
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

        # OAuth 1.0a keys
        self.oauth1_box = QWidget()
        oauth1_form = QFormLayout(self.oauth1_box)
        self.oauth1_fields: dict[str, QLineEdit] = {}
        self.oauth1_errors: dict[str, ErrorLabel] = {}
        for key, label, name, where in OAUTH1_FIELDS:
            field = _password_field(name, "Paste it here; it is stored in the system keyring")
            field.setToolTip(where)
            field.returnPressed.connect(self.save_oauth1)
            error = ErrorLabel(self.oauth1_box)
            error.setAccessibleName(f"{name} problem")
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(field)
            cell_layout.addWidget(error)
            caption = QLabel(label)
            caption.setBuddy(field)
            oauth1_form.addRow(caption, cell)
            self.oauth1_fields[key] = field
            self.oauth1_errors[key] = error
        self.save_oauth1_button = accessible(
            QPushButton("Connect with these keys"),
            "Connect X with the OAuth 1.0a keys",
            "X is asked who these keys belong to; they are saved only if X accepts them",
        )
        self.save_oauth1_button.clicked.connect(self.save_oauth1)
        oauth1_form.addRow(self.save_oauth1_button)
        self.oauth1_box.setVisible(False)

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
        layout.addWidget(self.oauth1_box)
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

    def _show_only(self, box: QWidget) -> None:
        """Toggle one connection form; the others close."""
        show = not box.isVisibleTo(self)
        for other in (self.oauth_box, self.oauth1_box, self.bearer_box):
            other.setVisible(show and other is box)

    def _toggle_connect(self) -> None:
        self._show_only(self.oauth_box)

    def _toggle_oauth1(self) -> None:
        self._show_only(self.oauth1_box)
        if self.oauth1_box.isVisibleTo(self):
            self.oauth1_fields["consumer_key"].setFocus()

    def _toggle_bearer(self) -> None:
        self._show_only(self.bearer_box)

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

    # -- OAuth 1.0a keys -----------------------------------------------------------------

    @Slot()
    def save_oauth1(self) -> None:
        """Check the four keys, then verify them with X (get_me) and store them."""
        values = {key: field.text() for key, field in self.oauth1_fields.items()}
        problems = oauth1_problems(values)
        first: QLineEdit | None = None
        for key, field in self.oauth1_fields.items():
            message = problems.get(key, "")
            self.oauth1_errors[key].show_message(message)
            field.setAccessibleDescription(message)
            if message and first is None:
                first = field
        if first is not None:
            first.setFocus()
            return
        for field in self.oauth1_fields.values():
            field.clear()  # out of the widgets at once; the keys travel only to the keyring
        keys = OAuth1Keys(
            values["consumer_key"],
            values["consumer_secret"],
            values["access_token"],
            values["access_token_secret"],
        )
        db, store = self._db, self._store

        def run(session_only_ok: bool) -> None:
            def work() -> Connected:
                return connect_oauth1(
                    keys, store, session_only_ok=session_only_ok, meter=XMeter(db)
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
        self.oauth1_box.setVisible(False)
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
            self.status_label.setText(f"Connection works: signed in as @{user.username}.")
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
