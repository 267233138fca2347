"""Two annotators label a task in the real Label Studio web UI (Chromium, mouse and keyboard),
a reviewer stars one annotation as ground truth there; then pull, agreement, adjudicate and
release build give exactly the records they made.

Needs ``apt-get install -y chromium`` and Playwright (the dev extra): a missing browser is a
failure, never a skip (``.ci/run`` installs it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import newscorpus
from newscorpus.annotate.adjudicate import adjudicate, collect
from newscorpus.annotate.agreement import agreement
from newscorpus.annotate.client import LabelStudioClient, Secret
from newscorpus.annotate.pull import pull
from newscorpus.annotate.push import PushOptions, push
from newscorpus.records import Annotation, Entity, Holder, Quote, Span, Stance, read_jsonl
from newscorpus.text import find_span
from tests.annotate_workspace import by_title, make_workspace
from tests.browser.labelstudio_ui import CHROMIUM, CHROMIUM_ARGS, LabelingScreen, set_password
from tests.labelstudio_server import LabelStudioServer

pytestmark = [pytest.mark.labelstudio, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install -y chromium` (the browser tests need it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.fail(f"playwright is missing ({exc}): install the dev extra")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def ls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudioServer]:
    with LabelStudioServer(base_dir=tmp_path_factory.mktemp("labelstudio")) as server:
        yield server


def _annotate_budget_article(screen: LabelingScreen) -> None:
    """Entities, a SPEAKER on a PERSON region, a quote across a paragraph break, its cue,
    relations, the quote's stance and the article's stance; then submit."""
    screen.label("PERSON")
    screen.drag("Ben Whitaker")
    screen.region("Ben Whitaker")
    screen.label("SPEAKER")  # the same region now carries PERSON and SPEAKER
    screen.unselect()
    screen.label("GPE")
    screen.drag("Millbrook")
    screen.label("QUOTE")
    screen.drag("This budget", 1, "4 percent")
    screen.label("CUE")
    screen.drag("said")
    screen.unselect()
    screen.region("CUE")
    assert not screen.stance_block_visible()  # no stance choice on a CUE region
    screen.unselect()
    screen.relate("QUOTE", "PERSON")
    screen.relate("QUOTE", "CUE")
    screen.region("QUOTE")
    assert screen.stance_block_visible()
    screen.choose(1, "favor")  # the quote's stance toward "city budget"
    screen.unselect()
    screen.choose(1, "neutral")  # the article's stance toward "city budget"
    screen.submit()


def test_two_annotators_in_the_browser_then_pull_agreement_adjudicate(
    tmp_path: Path, ls: LabelStudioServer, browser: Any
) -> None:
    ws = make_workspace(tmp_path / "ws")
    article = by_title(ws, "Millbrook")
    t = article["text"]
    passwords = {}
    with LabelStudioClient(ls.url, Secret(ls.token)) as client:
        for name in ("ann1", "ann2"):
            email, password = f"{name}@newscorpus.invalid", uuid.uuid4().hex
            client.sdk.users.create(username=name, email=email, password=password)
            set_password(ls, email, password)
            passwords[email] = password
        project = push(ws, client, PushOptions(overlap=2)).project_id
        assert project is not None
        task = next(
            int(x["id"])
            for page in client.list_tasks(project, include="id,data", all_fields=False)
            for x in page
            if x["data"]["newscorpus_id"] == article["id"]
        )
        for i, (email, password) in enumerate(passwords.items()):
            screen = LabelingScreen.open(browser, ls.url, email, password, project, task)
            if i > 0:
                screen.new_annotation()
            _annotate_budget_article(screen)
            if i == 0:
                screen.region("QUOTE")
                screen.screenshot("labelstudio-labeling-screen.png")
            screen.page.context.close()
        [listed] = [
            x for page in client.list_tasks(project, query=None) for x in page if int(x["id"]) == task
        ]
        first = min(int(a["id"]) for a in listed["annotations"])  # ann1's
        # The reviewer opens the task in the browser: both submitted annotations are there, but
        # the community 1.23 UI renders no ground-truth control (see ground_truth_control), so
        # the star is set with the request the Enterprise UI sends for it.
        reviewer = LabelingScreen.open(browser, ls.url, ls.username, ls.password, project, task)
        regions = reviewer.page.locator("[class*=outliner] [class*=item]")
        assert regions.filter(has_text="Ben Whitaker").count() >= 1  # the annotators' regions show
        star = reviewer.ground_truth_control(first)
        if star.count():
            star.click()
            reviewer.page.wait_for_load_state("networkidle")
        else:
            client.sdk.annotations.update(id=first, ground_truth=True)
        reviewer.screenshot("labelstudio-reviewer.png")
        reviewer.page.context.close()
        starred = {int(a["id"]): a["ground_truth"] for a in client.get_task(task)["annotations"]}
        assert starred == {first: True, max(starred): False}, starred
        report = pull(ws, client)
    assert (report.annotations, report.rejected, report.written) == (2, 0, 2), report.problems
    assert report.notes == []
    rows = [Annotation.from_dict(r) for _, r in read_jsonl(ws.annotations_dir / "labelstudio.jsonl")]
    ben, mill, said = find_span(t, "Ben Whitaker"), find_span(t, "Millbrook"), find_span(t, "said")
    q0, q1 = t.index("This budget"), t.index("4 percent") + len("4 percent")
    assert "\n" in t[q0:q1]
    for record in rows:
        ids = {e.text: e.id for e in record.entities}
        assert record.entities == [
            Entity(ids["Millbrook"], *mill, "Millbrook", "GPE"),
            Entity(ids["Ben Whitaker"], *ben, "Ben Whitaker", "PERSON"),
        ]
        [quote] = record.quotes
        assert quote == Quote(
            quote.id,
            q0,
            q1,
            t[q0:q1],
            "direct",
            Span(*ben, "Ben Whitaker"),
            ids["Ben Whitaker"],
            Span(*said, "said"),
        )
        assert record.stances == [
            Stance("article:city budget", Holder("article"), "city budget", "neutral"),
            Stance(f"{quote.id}:city budget", Holder("quote", quote.id), "city budget", "favor"),
        ]
    assert sorted(r.annotator for r in rows) == sorted({r.annotator for r in rows})  # two people
    agree = agreement(*collect(ws))
    assert agree.double_annotated == 1
    [pair] = agree.pairs
    assert pair.spans["PERSON"]["exact_f1"] == 1.0 and pair.spans["QUOTE"]["exact_f1"] == 1.0
    [truth] = [r for r in rows if r.ground_truth]
    assert truth.external is not None and truth.external["annotation"] == first
    # The reviewer's star decides the article: adjudicate writes no second gold for it.
    gold = adjudicate(ws)
    assert gold.decided == {"ground_truth": 1} and gold.written == 0, gold.summary()
    adjudicated = ws.annotations_dir / "adjudicated.jsonl"
    assert not adjudicated.exists() or [r for _, r in read_jsonl(adjudicated)] == []

    # The release holds exactly that annotation as the article's gold.
    built = newscorpus.build_release(ws, "0.1.0", newscorpus.BuildOptions(first_release=True))
    assert newscorpus.verify_release(built.path).valid
    import pyarrow.parquet as pq

    [g] = [
        row
        for part in sorted((Path(built.path) / "data" / "default").glob("*.parquet"))
        for row in pq.read_table(part).to_pylist()
        if row["id"] == article["id"]
    ]
    assert g["annotators"] == [truth.annotator]
    assert sorted((e["start"], e["end"], e["text"]) for e in g["entities"]) == sorted(
        [(*mill, "Millbrook"), (*ben, "Ben Whitaker")]
    )
    assert [
        (q["start"], q["end"], q["speaker_start"], q["speaker_end"], q["cue_start"], q["cue_end"])
        for q in g["quotes"]
    ] == [(q0, q1, *ben, *said)]
    assert len(g["stances"]) == 2
