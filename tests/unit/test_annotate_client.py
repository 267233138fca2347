"""Token and URL resolution, the sync state file (no server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscorpus.annotate.client import Secret, resolve_token, resolve_url
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
