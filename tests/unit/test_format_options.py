"""Per-format converter options: declared by each converter, reached from the workspace
config (``convert:``) and the CLI (``--option FORMAT.KEY=VALUE``), checked with one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import newscorpus
from newscorpus.cli.main import cli
from newscorpus.convert.formatoptions import format_options, parse_assignments
from newscorpus.convert.html import ExtractionOptions, HtmlConverter
from newscorpus.errors import ConfigError
from tests.conftest import copy_sample_workspace


def test_assignments_reach_the_html_converter() -> None:
    formats = format_options(parse_assignments(["html.mode=full", "html.favor_precision=false",
                                                "html.short_chars=200", "html.page_share=0.5"]))
    converter = HtmlConverter(newscorpus.ConvertOptions(formats=formats))
    assert converter.extraction == ExtractionOptions(mode="full", favor_precision=False,
                                                     short_chars=200, page_share=0.5)
    assert HtmlConverter().extraction == ExtractionOptions()


def test_later_specs_win() -> None:
    [(name, opts)] = format_options({"html": {"mode": "full", "include_tables": False}},
                                    parse_assignments(["html.mode=fast"]))
    assert (name, opts.mode, opts.include_tables) == ("html", "fast", False)


@pytest.mark.parametrize(("spec", "message"), [
    ({"html": {"nope": "1"}}, "convert.html: unknown option 'nope' (known: "),
    ({"html": {"mode": "sometimes"}}, "convert.html: mode must be one of cascade, full, fast"),
    ({"html": {"favor_precision": "maybe"}}, "convert.html.favor_precision must be true or false"),
    ({"html": {"short_chars": "many"}}, "convert.html.short_chars must be an integer"),
    ({"nosuch": {"x": 1}}, "convert.nosuch: unknown input format 'nosuch'"),
    ({"csv": {"x": 1}}, "convert.csv: the csv converter takes no options"),
    ({"html": "full"}, "convert.html must be a mapping"),
])
def test_bad_options_are_one_line_errors(spec: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        format_options(spec)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_bad_assignment_syntax() -> None:
    with pytest.raises(ConfigError, match="expected FORMAT.KEY=VALUE"):
        parse_assignments(["mode=full"])


TABLE_PAGE = """<html lang="en"><head><title>Fares rise</title></head><body><article>
<h1>Fares rise</h1>{paras}
<table><tr><td>Zone one fare rises to two crowns and ten cents</td></tr>
<tr><td>Zone two fare rises to three crowns and forty cents</td></tr></table>
</article></body></html>"""


def _page(tmp_path: Path) -> Path:
    para = "<p>The transit board voted on Tuesday to raise fares for the first time in six years.</p>"
    path = tmp_path / "pages" / "fares.html"
    path.parent.mkdir(parents=True)
    path.write_text(TABLE_PAGE.format(paras=para * 8), encoding="utf-8")
    return path.parent


def test_config_and_cli_options_change_the_conversion(tmp_path: Path) -> None:
    ws_root = copy_sample_workspace(tmp_path / "ws")
    pages = _page(tmp_path)
    default = CliRunner().invoke(cli, ["convert", str(pages), "-w", str(ws_root), "-o",
                                       str(tmp_path / "a.jsonl")])
    assert default.exit_code == 0, default.output
    assert "Zone one fare" in (tmp_path / "a.jsonl").read_text(encoding="utf-8")

    no_tables = CliRunner().invoke(cli, ["convert", str(pages), "-w", str(ws_root), "-o",
                                         str(tmp_path / "b.jsonl"), "--option", "html.include_tables=false"])
    assert no_tables.exit_code == 0, no_tables.output
    assert "Zone one fare" not in (tmp_path / "b.jsonl").read_text(encoding="utf-8")

    config = ws_root / "newscorpus.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "convert:\n  html: {include_tables: false}\n",
                      encoding="utf-8")
    ws = newscorpus.Workspace.open(ws_root)
    by_config = newscorpus.convert([pages], tmp_path / "c.jsonl", workspace=ws)
    assert by_config.output is not None
    assert "Zone one fare" not in by_config.output.read_text(encoding="utf-8")
    cli_wins = CliRunner().invoke(cli, ["convert", str(pages), "-w", str(ws_root), "-o",
                                        str(tmp_path / "d.jsonl"), "--option", "html.include_tables=true"])
    assert cli_wins.exit_code == 0, cli_wins.output
    assert "Zone one fare" in (tmp_path / "d.jsonl").read_text(encoding="utf-8")


def test_cli_reports_a_bad_option_in_one_line(tmp_path: Path) -> None:
    ws_root = copy_sample_workspace(tmp_path / "ws")
    result = CliRunner().invoke(cli, ["convert", "-w", str(ws_root), "--option", "html.mode=sometimes"])
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: convert.html: mode must be one of")


def test_every_html_option_is_documented() -> None:
    from newscorpus.convert.formatoptions import describe

    doc = (Path(__file__).resolve().parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
    for name, _, default in describe("html"):
        default_text = str(default).lower() if isinstance(default, bool) else str(default)
        assert f"| `html.{name}` | `{default_text}` |" in doc, name


def test_install_hints_name_real_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    from newscorpus.convert import registry
    from newscorpus.errors import MissingDependencyError

    monkeypatch.setitem(registry.BUILTIN, "fakefmt", "no_such_module_nc:Converter")
    registry._load.cache_clear()
    with pytest.raises(MissingDependencyError) as info:
        registry.get("fakefmt")
    message = str(info.value)
    assert "no_such_module_nc is not installed" in message and "newscorpus[" not in message
    registry.register("plugfmt", "no_such_plugin_nc:Converter")
    try:
        with pytest.raises(MissingDependencyError, match="no_such_plugin_nc is not installed$"):
            registry.get("plugfmt")
    finally:
        registry._registered.pop("plugfmt")
        registry._load.cache_clear()


def test_detection_follows_declared_priority(tmp_path: Path) -> None:
    from newscorpus.convert import registry

    order = [name for name, _ in registry.detection_order()]
    assert order.index("warc") < order.index("feed") < order.index("html") < order.index("json")
    assert order[-1] == "pagedump"
    feed = b'{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": []}'
    assert registry.detect(tmp_path / "f.json", feed) == "feed"
    assert registry.detect(tmp_path / "rows.json", b'[{"title": "x"}]') == "json"
    assert registry.detect(tmp_path / "crawl.html", b"WARC/1.0\r\nWARC-Type: warcinfo\r\n") == "warc"
    assert registry.detect(tmp_path / "page.html", b"<!doctype html><html>") == "html"
