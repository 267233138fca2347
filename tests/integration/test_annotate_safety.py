"""Errors and safety of the annotation bridge against a real Label Studio server: tokens,
server URLs, the push lock, article ids pull would reject."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.annotate.client import LabelStudioClient, Secret, server_key
from newscorpus.annotate.pull import pull
from newscorpus.annotate.push import PushOptions, push, push_lock
from newscorpus.cli.main import cli
from newscorpus.errors import LabelStudioError
from newscorpus.records import dumps
from newscorpus.text import sha256_text
from newscorpus.workspace import Workspace
from tests.annotate_workspace import articles, make_workspace
from tests.labelstudio_server import LabelStudioServer

pytestmark = [pytest.mark.labelstudio]


def _b64(d: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()


EXPIRED_PAT = (
    _b64({"alg": "HS256", "typ": "JWT"})
    + "."
    + _b64({"token_type": "refresh", "exp": 1_000_000_000, "jti": "x", "user_id": 1})
    + ".c2ln"
)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("not-the-token", "the token is wrong, expired or revoked"),
        (EXPIRED_PAT, "the token is wrong, expired or revoked"),
        ("tök€n", "is malformed"),
    ],
)
def test_bad_token_is_one_line_with_the_right_advice(
    tmp_path: Path, ls: LabelStudioServer, token: str, message: str
) -> None:
    make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(
        cli,
        ["annotate", "push", "-w", str(tmp_path / "ws"), "--url", ls.url, "--no-prelabel"],
        env={"NEWSCORPUS_LS_TOKEN": token},
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert "run the push again" not in lines[0] and "Traceback" not in result.output
    assert token not in result.output


def test_server_url_is_normalized(tmp_path: Path, ls: LabelStudioServer) -> None:
    assert (
        server_key("http://localhost:8080/") == server_key("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    )
    assert server_key("HTTP://LocalHost:80/") == "http://127.0.0.1"
    ws = make_workspace(tmp_path / "ws")
    with LabelStudioClient(ls.url, Secret(ls.token)) as client:
        project = push(ws, client, PushOptions()).project_id
    other = ls.url.replace("127.0.0.1", "localhost") + "/"
    with LabelStudioClient(other, Secret(ls.token)) as client:
        again = push(ws, client, PushOptions())
        assert (again.project_id, again.project_created, again.created) == (project, False, 0)
        assert pull(ws, client).project_id == project


def test_push_lock_and_article_ids_pull_would_reject(tmp_path: Path, ls: LabelStudioServer) -> None:
    ws = make_workspace(tmp_path / "ws")
    base = next(iter(articles(ws).values()))
    text = base["text"] + " More."
    bad = {**base, "id": "nc-NOT-AN-ID", "text": text, "text_sha256": sha256_text(text)}
    (ws.articles_dir / "bad.jsonl").write_bytes(dumps(bad))
    with LabelStudioClient(ls.url, Secret(ls.token)) as client:
        with (
            push_lock(ws),
            pytest.raises(LabelStudioError, match="another push of this workspace is running"),
        ):
            push(ws, client, PushOptions())
        report = push(ws, client, PushOptions())
    assert report.articles == 4 and [p.record_id for p in report.problems] == ["nc-NOT-AN-ID"]
    assert "pull could never read work on its task" in report.problems[0].message


def test_overlap_is_set_on_the_project_and_its_tasks(tmp_path: Path, ls: LabelStudioServer) -> None:
    client = LabelStudioClient(ls.url, Secret(ls.token))
    ws = make_workspace(tmp_path / "ws")
    config = ws.root / "newscorpus.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("annotate test", "overlap test"), encoding="utf-8"
    )
    ws = Workspace.open(ws.root)
    fresh = client.get_project(int(push(ws, client, PushOptions()).project_id))  # type: ignore[arg-type]
    assert fresh is not None and fresh["maximum_annotations"] == 1  # what Label Studio starts with
    config = ws.root / "newscorpus.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "annotate:\n  overlap: 2\n", encoding="utf-8")
    ws = Workspace.open(ws.root)
    report = push(ws, client, PushOptions())
    assert report.overlap == 2 and "2 annotators per task" in report.summary()
    project = client.get_project(int(report.project_id))  # type: ignore[arg-type]
    assert project is not None
    assert (project["maximum_annotations"], project["overlap_cohort_percentage"]) == (2, 100)
    assert project["show_overlap_first"] is True
    overlaps = {
        t["overlap"]
        for page in client.list_tasks(int(report.project_id), include="id,overlap", all_fields=False)  # type: ignore[arg-type]
        for t in page
    }
    assert overlaps == {2}
    assert push(ws, client, PushOptions(overlap=3)).overlap == 3
    project = client.get_project(int(report.project_id))  # type: ignore[arg-type]
    assert project is not None and project["maximum_annotations"] == 3
    client.close()
