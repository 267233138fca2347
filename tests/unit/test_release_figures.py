"""The card's figures: the PNG bytes do not depend on how the figure is drawn and saved
(one layout pass, the canvas's own PNG writer) nor on the process that draws them."""

from __future__ import annotations

import io
from typing import Any

import pytest

from newscorpus.release import figures

STATS: dict[str, Any] = {
    "months": [["2024-11", 3], ["2025-06", 40], ["2026-01", 1]],
    "sources": [["北浜日報", 2], ["Courier", 12], ["L'Écho des Berges", 7]]
    + [[f"Source number {i}", 30 - i] for i in range(25)],
    "labels": {"entities": [["PERSON", 4], ["ORG", 0], ["GPE", 9]],
               "stances": [["t", "favor", 2], ["u", "against", 5], ["t", "none", 1]]},
}


def _savefig_png(draw: Any, size: tuple[float, float]) -> bytes:
    """The figures as Figure.savefig writes them (tight_layout, then savefig's own passes)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(figures._RC):  # type: ignore[arg-type]
        fig = Figure(figsize=size)
        FigureCanvasAgg(fig)
        draw(fig)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def test_figures_are_the_bytes_savefig_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    got = figures.render_figures(STATS)
    monkeypatch.setattr(figures, "_png", _savefig_png)
    assert got == figures.render_figures(STATS)
    assert sorted(got) == sorted(f"{name}.png" for name in figures.FIGURES)
