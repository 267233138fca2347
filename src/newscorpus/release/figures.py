"""PNG figures for the dataset card: articles per month, articles per source, label
distribution. Drawn with matplotlib's Agg canvas (no pyplot, no global backend change) and
saved without metadata that varies (no software version or date), so the same statistics
give the same bytes. Names the bundled font cannot draw (e.g. CJK source names) are shown
as ``#k``, the row of the card's sources table.
"""

from __future__ import annotations

import io
from typing import Any

from ..records import STANCE_VALUES

FIGURES = {
    "articles_per_month": "Articles per month",
    "articles_per_source": "Articles per source",
    "label_distribution": "Label distribution",
}
MAX_BARS = 20
_RC: dict[str, Any] = {"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "newscorpus",
       "path.simplify": True, "figure.dpi": 100, "savefig.dpi": 100}


def _drawable(names: list[str]) -> list[str]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    charmap = FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap()
    return [n if all(ord(c) in charmap for c in n) else f"#{i + 1}" for i, n in enumerate(names)]


def _png(draw: Any, size: tuple[float, float]) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig = Figure(figsize=size)
        canvas = FigureCanvasAgg(fig)
        draw(fig)
        fig.tight_layout()
        buf = io.BytesIO()
        canvas.print_png(buf, metadata={"Software": None})
    return buf.getvalue()


def _continuous(months: list[list[Any]]) -> list[tuple[str, int]]:
    """Every month from the first to the last, with 0 where no article was published."""
    counts = {m: n for m, n in months}
    if not counts:
        return []
    (y, m), (y_end, m_end) = (tuple(map(int, k.split("-"))) for k in (min(counts), max(counts)))
    out = []
    while (y, m) <= (y_end, m_end):
        key = f"{y:04d}-{m:02d}"
        out.append((key, counts.get(key, 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _integers(ax: Any, axis: str = "y") -> None:
    from matplotlib.ticker import MaxNLocator

    getattr(ax, f"{axis}axis").set_major_locator(MaxNLocator(integer=True))


def _months(stats: dict[str, Any]) -> bytes:
    months = _continuous(stats["months"])

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        _integers(ax)
        ax.bar(range(len(months)), [n for _, n in months], color="#4472c4")
        step = max(1, len(months) // 12)
        ax.set_xticks(range(0, len(months), step), [m for m, _ in months][::step], rotation=45,
                      ha="right")
        ax.set_ylabel("articles")
        ax.set_title(FIGURES["articles_per_month"])

    return _png(draw, (7, 3.2))


def _sources(stats: dict[str, Any]) -> bytes:
    rows = stats["sources"][:MAX_BARS]

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        names = _drawable([str(s) for s, _ in rows])
        ax.barh(range(len(rows)), [n for _, n in rows], color="#ed7d31")
        _integers(ax, "x")
        ax.set_yticks(range(len(rows)), names)
        ax.invert_yaxis()
        ax.set_xlabel("articles")
        more = len(stats["sources"]) - len(rows)
        ax.set_title(FIGURES["articles_per_source"] + (f" (top {len(rows)}, {more} more)"
                                                        if more > 0 else ""))

    return _png(draw, (7, 1.2 + 0.3 * max(len(rows), 1)))


def _labels(stats: dict[str, Any]) -> bytes:
    labels = stats["labels"]

    def draw(fig: Any) -> None:
        left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
        ent = labels["entities"]
        left.bar(range(len(ent)), [n for _, n in ent], color="#70ad47")
        left.set_xticks(range(len(ent)), [name for name, _ in ent], rotation=45, ha="right")
        left.set_title("entity mentions by label")
        _integers(left)
        _integers(right)
        totals: dict[str, int] = {}
        for _target, value, n in labels["stances"]:
            totals[value] = totals.get(value, 0) + n
        names = list(STANCE_VALUES)
        right.bar(range(len(names)), [totals.get(v, 0) for v in names], color="#a5a5a5")
        right.set_xticks(range(len(names)), names)
        right.set_title("stances by value")

    return _png(draw, (8, 3.2))


def render_figures(stats: dict[str, Any]) -> dict[str, bytes]:
    """``{file name: PNG bytes}`` for the card's figures."""
    return {f"{name}.png": fn(stats) for name, fn in (
        ("articles_per_month", _months), ("articles_per_source", _sources),
        ("label_distribution", _labels))}
