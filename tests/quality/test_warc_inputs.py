"""Every archive under ../shared/data/warc converts or is rejected with a reason.

No converter exception reaches the batch (a rejection saying "converter ... failed" would
be a caught traceback), every article passes the schema, and the counts add up — per
file, the outcomes are one per record, and where a truncated or corrupt place stops the reading, one
rejection (naming the byte offset) that stands for the record there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newscorpus.convert.base import Input
from newscorpus.convert.batch import convert_paths, iter_inputs
from newscorpus.convert.warc import WarcConverter
from newscorpus.records import Article, read_jsonl
from newscorpus.report import Rejection, Skip

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def warc_dir(shared_data: Path) -> Path:
    return shared_data / "warc"


def _outcomes(path: Path) -> list[object]:
    return list(WarcConverter().convert(Input(path, path.name, path.read_bytes())))


def test_batch_over_every_archive(warc_dir: Path, tmp_path: Path) -> None:
    out, quarantine = tmp_path / "articles.jsonl", tmp_path / "quarantine.jsonl"
    report = convert_paths([warc_dir], out, quarantine)
    assert report.inputs == report.converted + report.rejected + report.skipped
    names = {name for _, name in iter_inputs([warc_dir])
             if name.endswith((".warc", ".warc.gz", ".warc.lz4", ".arc.gz"))}
    assert len(names) == 20
    for rejection in report.rejections:
        assert rejection.reason
        assert "failed:" not in rejection.reason, rejection  # a caught converter exception
        assert "fails the article schema" not in rejection.reason, rejection
    assert report.converted >= 40
    written = [record for _, record in read_jsonl(out)]
    assert len(written) == report.converted
    assert all(r["origin"]["format"] == "warc" and r["origin"]["offset"] is not None
               for r in written)
    assert len(list(read_jsonl(quarantine))) == report.rejected


def test_each_file_accounts_for_every_record(warc_dir: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    for path in sorted(warc_dir.rglob("*")):
        if not path.name.endswith((".warc", ".warc.gz", ".arc.gz")):
            continue
        outcomes = _outcomes(path)
        assert outcomes, path
        tail = [o for o in outcomes if isinstance(o, Rejection) and not o.reason.startswith("record at")]
        assert len(tail) <= 1, (path, tail)
        try:  # an independent count of the records, where warcio reads the whole file
            with path.open("rb") as fh:
                records = sum(1 for _ in ArchiveIterator(fh, arc2warc=True))
        except Exception:  # noqa: BLE001 - warcio gives up on damaged files; FastWARC goes on
            continue
        # one outcome per record; where reading stops, one rejection stands for the rest
        assert len(outcomes) == records, (path, len(outcomes), records)


@pytest.mark.parametrize(("name", "articles"), [
    ("warcio/example.warc", 1), ("warcio/example.warc.gz", 1), ("warcio/example.arc.gz", 1),
    ("warcio/example-iana.org-chunked.warc", 1), ("warcio/example-resource.warc.gz", 1),
    ("resiliparse/clueweb-quirk.warc.gz", 29),
])
def test_html_responses_become_articles(warc_dir: Path, name: str, articles: int) -> None:
    outcomes = _outcomes(warc_dir / name)
    found = [o for o in outcomes if isinstance(o, Article)]
    assert len(found) == articles, [str(o) for o in outcomes if isinstance(o, Rejection)]
    for article in found:
        assert article.origin["offset"] >= 0 and article.url
        assert article.provenance["origin"]["converter"] == "warc"
        assert "WARC-Target-URI" in article.provenance["origin"]["rule"]


@pytest.mark.parametrize(("name", "offset", "words"), [
    # its third record's Content-Length is 2 bytes short: that record is rejected, and reading
    # resumes at the next WARC header (the request record after it is read, as warcio does)
    ("warcio/example-trunc.warc", 1197, "payload digest mismatch"),
    ("resiliparse/clipped.warc.gz", 0, "gzip member at byte 0 is cut short"),
])
def test_truncated_archives_name_the_offset(warc_dir: Path, name: str, offset: int, words: str) -> None:
    outcomes = _outcomes(warc_dir / name)
    assert any(isinstance(o, Rejection) and o.offset == offset and words in o.reason
               for o in outcomes), outcomes


def test_non_html_records_are_skips_with_reasons(warc_dir: Path) -> None:
    outcomes = _outcomes(warc_dir / "warcio" / "post-test.warc.gz")
    assert outcomes and all(isinstance(o, Skip) for o in outcomes)
    reasons = " ".join(o.reason for o in outcomes if isinstance(o, Skip))
    assert "application/json, not HTML" in reasons and "request record" in reasons
