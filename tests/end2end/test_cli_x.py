"""`smarketing x ...` as a subprocess against a fake X API on a local server.

The processes share a test keyring file (`FileKeyring`): a real desktop would use the system
keyring, which a test must not touch. Secrets go in on stdin, never on the command line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.end2end.conftest import Cli, Result
from tests.support.http_server import LocalServer, Response
from tests.support.x_cassettes import (
    KEYRING_FILE_ENV,
    Call,
    FakeX,
    corpus_available,
    json_response,
    load,
)

needs_corpus = pytest.mark.skipif(
    not corpus_available(), reason="shared corpus not checked out beside the repo"
)
REPO = Path(__file__).resolve().parents[2]
NOW = "2027-03-31T09:00:00+00:00"
OAUTH1 = [
    "consumer-key-e2e1",
    "consumer-secret-e2e2",
    "1072250532645998596-e2e3",
    "tok-secret-e2e4",
]
ME = {"data": {"id": "1072250532645998596", "name": "Tweepy Testing", "username": "TweepyDev"}}


class XCli:
    """The `cli` fixture plus the fake X, the test keyring and stdin."""

    def __init__(self, cli: Cli, fake: FakeX, keyring_file: Path) -> None:
        self.cli = cli
        self.fake = fake
        self.env = {
            **cli.env,
            "PYTHON_KEYRING_BACKEND": "tests.support.x_cassettes.FileKeyring",
            KEYRING_FILE_ENV: str(keyring_file),
            "SMARKETING_X_API_URL": fake.url,
            "SMARKETING_NOW": NOW,
            "PYTHONPATH": str(REPO),
        }
        self.keyring_file = keyring_file

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "smarketing_desktop", "--home", str(self.cli.home), *args]

    def __call__(self, *args: str, stdin: str = "") -> Result:
        done = subprocess.run(
            self.argv(*args),
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=REPO,
            timeout=120,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def x(cli: Cli, http_server: LocalServer, tmp_path: Path) -> XCli:
    fake = FakeX(http_server)
    fake.on("GET", "/2/users/me", json_response(ME))
    return XCli(cli, fake, tmp_path / "keyring.json")


def test_status_without_an_account(x: XCli) -> None:
    result = x("x", "status", "--json")
    assert result.code == 0, result.stderr
    status = result.json()
    assert {
        k: status[k]
        for k in ("connected", "handle", "reads_this_month", "estimated_cost", "budget")
    } == {
        "connected": False,
        "handle": None,
        "reads_this_month": 0,
        "estimated_cost": 0.0,
        "budget": 10,
    }
    refused = x("x", "track", "--json")
    assert refused.code == 2 and "Connect an X account" in refused.stderr


@needs_corpus
def test_connect_track_publish_and_disconnect(x: XCli) -> None:
    x.fake.replay(*load("test_client_get_users"), *load("test_client_get_users_tweets"))
    x.fake.replay(load("test_client_create_and_delete_tweet")[0])

    connected = x("x", "connect", "--oauth1", "--json", stdin="\n".join(OAUTH1) + "\n")
    assert connected.code == 0, connected.stderr
    assert connected.json()["handle"] == "TweepyDev" and connected.json()["connected"] is True
    assert x.fake.calls[0].headers["authorization"].startswith("OAuth ")

    prospect = x("prospect", "add", "Twitter Inc", "--x-handle", "@Twitter", "--json").json()
    tracked = x("x", "track", "--json")
    assert tracked.code == 0, tracked.stderr
    report = tracked.json()
    assert (report["new_posts"], report["skipped"], report["checked"]) == (2, 0, 1)
    # get_me on connect, the recorded lookup's 2 accounts, 2 posts
    assert report["budget"]["reads_this_month"] == 5
    entries = x("entries", "--json", "--prospect", str(prospect["id"])).json()
    assert len(entries) == 2

    # Now, not earlier: a time gone by is refused, as `queue edit` refuses it.
    queued = x(
        "queue", "add", "--channel", "x", "--text", "Test Tweet",
        "--at", NOW, "--prospect", str(prospect["id"]), "--json",
    )  # fmt: skip
    assert queued.code == 0, queued.stderr
    published = x("queue", "publish-due", "--json")
    assert published.code == 0, published.stderr
    (posted,) = published.json()["posted"]
    assert posted["external_id"] == "1456012973835788293"
    assert posted["external_url"] == "https://x.com/TweepyDev/status/1456012973835788293"

    status = x("x", "status", "--json").json()
    assert status["connected"] is True and status["handle"] == "TweepyDev"
    assert status["reads_this_month"] == 5
    # 3 user reads at $0.010, 2 post reads at $0.005, one post written at $0.015
    assert status["estimated_cost"] == pytest.approx(0.03 + 0.01 + 0.015)

    for path in x.cli.home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in OAUTH1:
                assert secret.encode() not in data, path

    gone = x("x", "disconnect", "--json")
    assert gone.json() == {"disconnected": True}
    assert json.loads(x.keyring_file.read_text()) == {}
    assert x("x", "status", "--json").json()["connected"] is False


def test_interactive_oauth2_connect_reads_the_pasted_address(x: XCli) -> None:
    tokens: list[Call] = []

    def token(call: Call) -> Response:
        tokens.append(call)
        return json_response(
            {
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": "at-e2e-91",
                "scope": "tweet.read",
            }
        )

    x.fake.on("POST", "/2/oauth2/token", token)
    argv = x.argv(
        "x", "connect", "--client-id", "cid-1", "--redirect-uri", "http://127.0.0.1/cb", "--json"
    )
    with subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=x.env,
        cwd=REPO,
    ) as process:
        assert process.stderr is not None and process.stdin is not None
        url = ""
        for line in process.stderr:
            if line.startswith("https://"):
                url = line.strip()
                break
        state = parse_qs(urlsplit(url).query)["state"][0]
        out, err = process.communicate(f"http://127.0.0.1/cb?state={state}&code=c0de\n", timeout=60)
    assert process.returncode == 0, err
    assert json.loads(out)["handle"] == "TweepyDev"
    assert tokens[0].form()["code"] == "c0de"
    assert "at-e2e-91" in x.keyring_file.read_text()


def test_bearer_token_comes_from_stdin(x: XCli) -> None:
    result = x("x", "connect", "--bearer-token-stdin", "--json", stdin="AAAA-app-bearer-e2e\n")
    assert result.code == 0, result.stderr
    status = x("x", "status", "--json").json()
    assert status["connected"] is False and status["reads_with"] == "app"
    empty = x("x", "connect", "--bearer-token-stdin", stdin="")
    assert empty.code == 2 and "stdin" in empty.stderr


def test_without_a_keyring_connecting_says_so(x: XCli) -> None:
    x.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    result = x("x", "connect", "--oauth1", stdin="\n".join(OAUTH1) + "\n")
    assert result.code == 2 and "password store" in result.stderr


def test_an_x_share_too_long_is_refused_before_queueing(x: XCli) -> None:
    result = x(
        "queue", "add", "--channel", "x", "--text", "a" * 270, "--url", "https://acme.example/p"
    )
    assert result.code == 2
    assert "294 characters as X counts them" in result.stderr
    assert x("queue", "list", "--json").json() == []


PROFILE_ME = {
    "data": {
        **ME["data"],
        "description": "Helping finance teams with cloud migration. Book a call.",
        "url": "https://t.co/XyZ",
        "entities": {
            "url": {"urls": [{"url": "https://t.co/XyZ", "expanded_url": "https://acme.example"}]}
        },
        "profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/x_normal.png",
    }
}


def test_checklist_review_from_the_connected_x_account(x: XCli, tmp_path: Path) -> None:
    """Fetch, review and store; a refused fetch (401, 429, no account) stores nothing."""

    def me(call: Call) -> Response:
        return json_response(PROFILE_ME if call.param("user.fields") else ME)

    x.fake.on("GET", "/2/users/me", me)
    missing = x("checklist", "review", "x", "--from-account", "--json")
    assert missing.code == 2 and "No X account is connected" in missing.stderr
    assert x("x", "connect", "--oauth1", stdin="\n".join(OAUTH1) + "\n").code == 0
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"bio_value": True}), encoding="utf-8")

    reviewed = x("checklist", "review", "x", "--from-account", "--answers", str(answers), "--json")
    assert reviewed.code == 0, reviewed.stderr
    items = {i["id"]: i for i in reviewed.json()["items"]}
    assert items["link"]["status"] == "pass" and "acme.example" in items["link"]["detail"]
    assert items["pinned_post"]["status"] == "fail"
    assert items["photo"]["status"] == "fail" and "default image" in items["photo"]["detail"]
    assert items["header"]["status"] == "fail"
    assert items["bio_value"]["status"] == "pass"
    profile_call = x.fake.calls[-1]
    assert "pinned_tweet_id" in (profile_call.param("user.fields") or "")

    x.fake.on(
        "GET",
        "/2/users/me",
        Response(
            b'{"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}',
            401,
            {"Content-Type": "application/problem+json"},
        ),
    )
    refused = x("checklist", "review", "x", "--from-account", "--json")
    assert refused.code == 2 and refused.stdout == ""
    assert "Could not fetch your X profile" in refused.stderr and "Reconnect" in refused.stderr
    x.fake.on(
        "GET",
        "/2/users/me",
        Response(b"{}", 429, {"Content-Type": "application/json", "retry-after": "600"}),
    )
    limited = x("checklist", "review", "x", "--from-account")
    assert limited.code == 2 and "rate limit" in limited.stderr
    history = x("checklist", "history", "x", "--json")
    assert len(history.json()) == 1  # only the review that worked

    wrong = x("checklist", "review", "linkedin", "--from-account")
    assert wrong.code == 2 and "checklist review x" in wrong.stderr
