"""Drive Label Studio's labeling screen in Debian's Chromium with Playwright, as a person does.

Playwright cannot download its own browsers here: it runs ``/usr/bin/chromium``
(``apt-get install -y chromium``). Regions are drawn by dragging the mouse over the
characters (their boxes come from the DOM), labels are picked by clicking them, relations are
made with the editor's Alt+R shortcut and a click on the target region.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.labelstudio_server import SERVER_ENV, LabelStudioServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Box of the first character of ``needle`` (its ``occurrence``-th match) and of the last
# character of ``end`` (or of ``needle``), in viewport coordinates.
_RECT_JS = """([needle, occurrence, end]) => {
  const box = document.querySelector('.lsf-richtext__container');
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const nodes = []; let n; while ((n = walker.nextNode())) nodes.push(n);
  function find(s, occ) {
    let seen = 0;
    for (const node of nodes) {
      let i = -1;
      while ((i = node.data.indexOf(s, i + 1)) >= 0) { seen++; if (seen === occ) return [node, i]; }
    }
    return null;
  }
  const a = find(needle, occurrence); if (!a) return null;
  let b = a, len = needle.length;
  if (end) { b = find(end, 1); len = end.length; if (!b) return null; }
  const r1 = document.createRange(); r1.setStart(a[0], a[1]); r1.setEnd(a[0], a[1] + 1);
  const r2 = document.createRange(); r2.setStart(b[0], b[1] + len - 1); r2.setEnd(b[0], b[1] + len);
  const s = r1.getBoundingClientRect(), e = r2.getBoundingClientRect();
  return [s.left + 1, s.top + s.height / 2, e.right - 1, e.top + e.height / 2];
}"""


def set_password(ls: LabelStudioServer, email: str, password: str) -> None:
    """Users made through the API cannot log in until a password is set this way."""
    assert ls.data_dir is not None
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(SERVER_ENV)
    env["LABEL_STUDIO_BASE_DATA_DIR"] = str(ls.data_dir)
    subprocess.run(
        [str(ls.executable), "reset_password", "--username", email, "--password", password],
        env=env,
        cwd=ls.workdir,
        check=True,
        capture_output=True,
        timeout=120,
    )


class LabelingScreen:
    """One annotator's browser page on one task."""

    def __init__(self, page: Any) -> None:
        self.page = page

    @classmethod
    def open(
        cls, browser: Any, url: str, email: str, password: str, project: int, task: int
    ) -> LabelingScreen:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(f"{url}/user/login/")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{url}/projects/{project}/data?task={task}")
        page.wait_for_selector(".lsf-richtext__container", timeout=90_000)
        time.sleep(1.0)
        return cls(page)

    def new_annotation(self) -> None:
        """Start this annotator's own annotation (the screen opens on an existing one)."""
        self.page.get_by_role("button", name="Create an annotation").click()
        self.page.wait_for_selector(".lsf-richtext__container")
        time.sleep(1.0)

    def pause(self) -> None:
        time.sleep(0.4)

    def label(self, name: str) -> None:
        self.page.locator(".lsf-labels .lsf-label__text").get_by_text(name, exact=True).click()
        self.pause()

    def drag(self, needle: str, occurrence: int = 1, end: str | None = None) -> None:
        box = self.page.evaluate(_RECT_JS, [needle, occurrence, end])
        assert box is not None, f"{needle!r} is not on the labeling screen"
        x0, y0, x1, y1 = box
        mouse = self.page.mouse
        mouse.move(x0, y0)
        mouse.down()
        mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
        mouse.move(x1, y1, steps=4)
        mouse.up()
        self.pause()

    def region(self, text: str) -> None:
        """Select a region by clicking it in the Regions panel."""
        self.page.locator("[class*=outliner] [class*=item]").filter(has_text=text).first.click()
        self.pause()

    def unselect(self) -> None:
        self.page.keyboard.press("Escape")
        self.pause()

    def relate(self, source: str, target: str) -> None:
        """A relation from region ``source`` to region ``target`` (both named by their text)."""
        self.region(source)
        self.page.keyboard.press("Alt+r")
        self.pause()
        self.region(target)
        self.unselect()

    def stance_block_visible(self) -> bool:
        return bool(self.page.get_by_text("Stance of the selected quote or entity").is_visible())

    def choose(self, group: int, stance: str) -> None:
        """Click ``stance`` in the ``group``-th visible choice group, top to bottom (with a
        quote or entity selected: its stance per target first, then the article's)."""
        groups = self.page.locator(".lsf-choices:visible")
        groups.nth(group).locator(f"input[name={_xq(stance)}]").click()
        self.pause()

    def submit(self) -> None:
        self.page.get_by_role("button", name="Submit").click()
        self.page.wait_for_load_state("networkidle")
        time.sleep(1.5)

    def ground_truth_control(self, annotation_id: int) -> Any:
        """The ground-truth star of annotation ``annotation_id`` (its button opened first).

        Label Studio's editor has the star in its bottom bar (``bottombar-ground-truth-button``)
        but shows it only when the data manager enables the ``groundTruth`` interface; the
        community 1.23 app creates its data manager with ``import, export, backButton,
        labelingHeader, autoAnnotation`` only (web/dist/apps/labelstudio/main.js), so there the
        locator finds nothing."""
        tab = self.page.locator(f"[data-annotation-id='{annotation_id}']").first
        if tab.count():
            tab.click()
            self.pause()
        return self.page.locator("[data-testid=bottombar-ground-truth-button]")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path))
        return path


def _xq(s: str) -> str:
    return '"' + s.replace('"', '\\"') + '"'
