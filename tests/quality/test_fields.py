"""Field-level gates: title, language, date, authors and URL per format, against the
expectations in ``expected/`` (how they were written: ``expected/README.md``), with the
floors pinned in ``baseline.json`` under ``fields``. ``make quality`` prints the figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.quality.fields import FieldScores, all_suites

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

FIELDS = json.loads((Path(__file__).parent / "baseline.json").read_text())["fields"]


SUITES = all_suites()


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_fields_meet_pinned_floors(suite: str, shared_data: Path) -> None:
    scores: FieldScores = SUITES[suite](shared_data)
    report = scores.report(misses=10)
    print("\n" + report)
    floors = FIELDS[suite]["floors"]
    assert set(floors) == set(scores.checked), report  # every field measured has a floor
    low = {f: (round(scores.rate(f), 4), floor) for f, floor in floors.items() if scores.rate(f) < floor}
    assert not low, f"below the pinned floors (measured, floor): {low}\n{report}"


def test_field_floors_are_pinned_at_3_decimals() -> None:
    for suite in FIELDS.values():
        for name, floor in suite["floors"].items():
            assert floor == round(floor, 3)
            assert floor <= suite["measured"][name]
