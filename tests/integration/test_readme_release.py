"""The README's reproduce and publish examples run as written, from the repository root."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from newscorpus.cli.main import cli
from tests.conftest import REPO


def readme_command(section: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    body = text.split(f"### `newscorpus {section}`", 1)[1]
    [line] = re.findall(r"```bash\n(.*?)\n```", body, re.S)[:1]
    args = shlex.split(line)
    assert args[0] == "newscorpus"
    return args[1:]


@pytest.mark.parametrize("section", ["release reproduce", "release publish"])
def test_readme_example_runs_as_written(section: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, readme_command(section), env={"HF_HUB_OFFLINE": "1"})
    assert result.exit_code == 0, result.output
    last = result.stdout.splitlines()[-1]
    if section == "release reproduce":
        assert last.startswith("reproduced: every SHA256SUMS entry of releases/"), last
    else:
        assert last.startswith("dry run: nothing was sent"), last
