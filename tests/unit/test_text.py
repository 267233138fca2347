from __future__ import annotations

import pytest

from newscorpus.errors import OffsetError
from newscorpus.text import (
    check_span,
    collapse_spaces,
    find_span,
    join_blocks,
    nfc,
    normalize,
    sha256_text,
    unify_newlines,
)


def test_steps_one_by_one() -> None:
    assert unify_newlines("a\r\nb\rc\u2028d") == "a\nb\nc\nd"
    assert nfc("e\u0301") == "é"
    assert nfc("q\u0303") == "q\u0303"  # no precomposed form: stays two code points
    assert collapse_spaces("  a \t\u00a0 b  ") == "a b"


def test_zero_width_joiner_is_not_whitespace() -> None:
    scientist = "\U0001F469\u200d\U0001F52C"
    assert normalize(f"  {scientist}  works ") == f"{scientist} works"


def test_join_blocks_offsets_are_code_points() -> None:
    text, blocks = join_blocks([("title", "İstanbul 👩‍🔬"), ("dek", ""), ("paragraph", "مرحبا بالعالم")])
    assert [b["kind"] for b in blocks] == ["title", "paragraph"]
    for b in blocks:
        assert text[b["start"]:b["end"]] in {"İstanbul 👩‍🔬", "مرحبا بالعالم"}
    assert text[blocks[0]["end"]:blocks[1]["start"]] == "\n\n"


def test_dotted_capital_i_is_never_lowercased() -> None:
    text = "İzmir said"
    start, end = find_span(text, "said")
    assert (start, end) == (6, 10)
    assert len("İ".lower()) == 2  # why offsets never go through lower()


def test_check_span() -> None:
    check_span("abc", 1, 2, "b")
    with pytest.raises(OffsetError, match="text\\[0:1\\] is 'a'"):
        check_span("abc", 0, 1, "b")
    with pytest.raises(OffsetError, match="outside"):
        check_span("abc", 2, 9, "c")
    with pytest.raises(OffsetError, match="fewer than 2"):
        find_span("abc", "b", occurrence=2)


def test_sha256_text() -> None:
    assert sha256_text("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
