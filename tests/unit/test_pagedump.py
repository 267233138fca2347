"""Page-dump converter on fixtures written here (the real dump is in tests/integration)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.pagedump import PageDumpConverter
from newscorpus.convert.profiles import load_profile
from newscorpus.errors import ConfigError
from newscorpus.records import Article
from newscorpus.report import Rejection
from newscorpus.schema import DEFAULT_STORE

GENERIC = """Harbour bridge reopens after repairs
Commuters return to the crossing after three months.
By Ana Lima and Jonas Berg
URL: https://news.example/harbour?utm_source=feed#top
Section: City
November 3, 2026

The bridge reopened on Monday   morning,
the city said.

"It is safe," the engineer said.
"""


def run(data: bytes, name: str = "dump.txt", **options: object) -> list[object]:
    converter = PageDumpConverter(ConvertOptions(**options))  # type: ignore[arg-type]
    return list(converter.convert(Input(Path(name), name, data)))


def test_generic_profile() -> None:
    [article] = run(GENERIC.encode())
    assert isinstance(article, Article)
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.subtitle == "Commuters return to the crossing after three months."
    assert article.authors == ["Ana Lima", "Jonas Berg"]
    assert article.url == "https://news.example/harbour"
    assert article.section == "City"
    assert article.published_at == "2026-11-03"
    paragraphs = [article.text[b.start:b.end] for b in article.blocks if b.kind == "paragraph"]
    assert paragraphs == ["The bridge reopened on Monday morning, the city said.",
                          '"It is safe," the engineer said.']
    assert DEFAULT_STORE.problems(article.to_dict()) == []


def test_crlf_and_decomposed_marks_normalized_before_offsets() -> None:
    data = GENERIC.replace("Commuters", "Cafe\u0301 owners").replace("\n", "\r\n").encode()
    [article] = run(data)
    assert isinstance(article, Article)
    assert "\r" not in article.text
    assert "Café owners" in article.text  # NFC composed
    for block in article.blocks:
        assert article.text[block.start:block.end].strip() == article.text[block.start:block.end]


def test_same_input_same_bytes() -> None:
    [a] = run(GENERIC.encode())
    [b] = run(GENERIC.encode())
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.to_dict() == b.to_dict()


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (b"   \n\n ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
    (b"Title\n\nBody caf\xe9 text\n", "invalid UTF-8 at byte 15 (line 3)"),
    (b"\n\nSection: City\nNovember 3, 2026\n", "no title found"),
    (b"Only a title\n", "no body paragraphs"),
])
def test_bad_inputs_become_rejections(data: bytes, reason: str) -> None:
    [outcome] = run(data, "bad.txt")
    assert isinstance(outcome, Rejection)
    assert reason in outcome.reason
    assert outcome.path == "bad.txt"


def test_invalid_utf8_location() -> None:
    [outcome] = run(b"Title\n\nBody caf\xe9 text\n")
    assert isinstance(outcome, Rejection)
    assert (outcome.offset, outcome.line) == (15, 3)


def test_forced_unknown_profile_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="known: .*generic"):
        run(GENERIC.encode(), profile="nope")


def test_profile_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nhead:\n  - pattern: '(?P<colour>x)'\n")
    with pytest.raises(ConfigError, match=r"bad.yaml: head\[0\]: unknown field group"):
        load_profile(bad)
    bad.write_text("name: bad\nhead:\n  - pattern: '(x'\n")
    with pytest.raises(ConfigError, match="bad regular expression"):
        load_profile(bad)


def test_workspace_profile_overrides_and_detects(tmp_path: Path) -> None:
    (tmp_path / "gazette.yaml").write_text(
        "name: gazette\nsite: The Gazette\nlanguage: en\n"
        "match:\n  filenames: ['gazette-*']\n"
        "head:\n  - name: stamp\n    pattern: '^Filed (?P<published>[0-9-]{10})$'\n"
        "body:\n  - name: more\n    pattern: '^Read more$'\n    action: drop\n")
    data = b"Filed 2026-01-02\nDam vote delayed\nCouncil waits.\n\nFirst.\n\nRead more\n\nSecond.\n"
    [article] = run(data, "gazette-1.txt", profile_dirs=(tmp_path,))
    assert isinstance(article, Article)
    assert article.source == "The Gazette" and article.published_at == "2026-01-02"
    assert article.provenance["published_at"]["rule"] == "profile:gazette:stamp"
    assert "Read more" not in article.text


def test_profile_options_modified_dates_separators_and_cjk_wrapping(tmp_path: Path) -> None:
    (tmp_path / "shimbun.yaml").write_text(
        "name: shimbun\nsite: Shimbun\nlanguage: ja\nparagraphs: blank_line\n"
        "author_separators: '\\s*(?:、|・)\\s*'\n"
        "match:\n  filenames: ['shimbun-*']\n"
        "head:\n  - name: byline\n    pattern: '^記者 (?P<authors>.+)$'\n"
        "  - name: stamp\n    pattern: '^(?P<published>[0-9-]{10})$'\n"
        "  - name: updated\n    pattern: '^更新 (?P<modified>[0-9-]{10})$'\n"
        "  - name: wire\n    pattern: '^配信 (?P<wire>.+)$'\n")
    data = ("ダム計画\n記者 田中、鈴木\n2026-01-02\n更新 2026-01-03\n配信 共同\n\n"
            "市議会は\n計画を承認した。\nThe vote\nwas close.\n").encode()
    [article] = run(data, "shimbun-1.txt", profile_dirs=(tmp_path,))
    assert isinstance(article, Article)
    assert article.authors == ["田中", "鈴木"]
    assert (article.published_at, article.modified_at) == ("2026-01-02", "2026-01-03")
    assert article.text.endswith("市議会は計画を承認した。 The vote was close.")
    assert article.provenance["credits"]["rule"] == "profile:shimbun:wire"
    assert DEFAULT_STORE.problems(article.to_dict()) == []


def test_provenance_joins_every_rule_that_set_a_field(tmp_path: Path) -> None:
    [article] = run(b"Title\nDek.\nCaption here / AP\n\nBody.\n\nSOURCE: Reuters\n", "x.txt",
                    profile="trtworld")
    assert isinstance(article, Article)
    assert article.provenance["credits"]["rule"] == (
        "profile:trtworld:caption + profile:trtworld:wire-source")
