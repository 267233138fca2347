"""Token and URL resolution, the sync state file (no server)."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import Any

import pytest

from newscorpus.annotate.client import Secret, http_transport, resolve_token, resolve_url
from newscorpus.annotate.state import SyncState, TaskRef
from newscorpus.errors import ConfigError, CredentialsError

TOKEN = "0123456789abcdef0123456789abcdef01234567"


def test_token_from_env_then_file(tmp_path: Path) -> None:
    assert resolve_token({"NEWSCORPUS_LS_TOKEN": TOKEN}).reveal() == TOKEN
    assert resolve_token({"LABEL_STUDIO_API_KEY": f" {TOKEN}\n"}).reveal() == TOKEN
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    assert resolve_token({"NEWSCORPUS_LS_TOKEN_FILE": str(token_file)}).reveal() == TOKEN
    (tmp_path / "newscorpus").mkdir()
    (tmp_path / "newscorpus" / "labelstudio-token").write_text(TOKEN)
    assert resolve_token({"XDG_CONFIG_HOME": str(tmp_path)}).reveal() == TOKEN
    assert resolve_token({"NEWSCORPUS_LS_TOKEN": "env", "XDG_CONFIG_HOME": str(tmp_path)}).reveal() == "env"


def test_missing_token_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError, match="NEWSCORPUS_LS_TOKEN") as excinfo:
        resolve_token({"XDG_CONFIG_HOME": str(tmp_path)})
    assert isinstance(excinfo.value, PermissionError)


def test_secret_never_prints() -> None:
    secret = Secret(TOKEN)
    assert TOKEN not in f"{secret} {secret!r} {[secret]}"


def test_url() -> None:
    assert resolve_url(None, {}) == "http://localhost:8080"
    assert resolve_url(None, {"LABEL_STUDIO_URL": "http://h:1/"}) == "http://h:1"
    assert resolve_url("http://x:2", {"NEWSCORPUS_LS_URL": "http://h:1"}) == "http://x:2"


def test_state_round_trip_and_stable_bytes(tmp_path: Path) -> None:
    state = SyncState(
        tmp_path / "s.json",
        "http://h:1",
        3,
        "p",
        "c" * 64,
        {"nc-b": TaskRef(2, "t" * 64, "d" * 64), "nc-a": TaskRef(1, "u" * 64, "e" * 64)},
        ["nc-c"],
        "2026-01-01T00:00:00.000000Z",
    )
    state.save()
    first = state.path.read_bytes()
    loaded = SyncState.load(state.path)
    assert loaded == state
    loaded.save()
    assert state.path.read_bytes() == first
    assert '\n  "nc-a": [1, ' in first.decode() and '\n  "nc-b": [2, ' in first.decode()  # one line per task
    loaded.bind("http://other:2", 3, "p")
    assert loaded.tasks == {} and loaded.cursor is None


def test_bad_state_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("{nope")
    with pytest.raises(ConfigError, match="delete it"):
        SyncState.load(path)
    assert SyncState.load(tmp_path / "missing.json").tasks == {}


def _proxy_server() -> tuple[Any, list[str]]:
    """An HTTP proxy on 127.0.0.1 that answers every request itself and records its target."""
    seen: list[str] = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the handler's name
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def test_the_client_transport_honours_the_environments_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick-ACK transport replaced httpx's own, which is what reads HTTP(S)_PROXY: a user
    behind a proxy went direct (and failed) to a remote server."""
    import httpx

    server, seen = _proxy_server()
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_address[1]}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        url = "http://labelstudio.invalid:8080"
        with httpx.Client(timeout=5, transport=http_transport(url)) as client:
            assert client.get(f"{url}/health").text == "ok"
        assert seen == [f"{url}/health"]
        monkeypatch.setenv("NO_PROXY", "labelstudio.invalid")
        assert http_transport(url) is not None  # bypassed: the quick-ACK transport again
    finally:
        server.shutdown()
        server.server_close()
