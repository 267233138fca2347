"""The dataset card as a reader and the Hub see it: a data-fields table explaining every
column of every config, BibTeX, Uses / personal information / source terms sections from
the datasheet, the Hub's full licence list (``other`` with a name and link), and YAML that
huggingface_hub's DatasetCardData accepts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from newscorpus.release.card import HUB_LICENSES, hub_license, license_fields
from newscorpus.release.features import config_features, list_item
from newscorpus.release.writer import build_release
from newscorpus.workspace import Workspace
from tests.conftest import REPO, copy_sample_workspace


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("card")
    release = build_release(Workspace.open(REPO), "0.9.0", "2026-11-26", out, previous=None).path
    return (release / "README.md").read_text(encoding="utf-8")


def section(card: str, title: str) -> str:
    body = card.split(f"\n{title}\n", 1)[1]
    return re.split(r"\n## ", body, maxsplit=1)[0]


def test_data_fields_table_explains_every_column_of_every_config(card: str) -> None:
    table = section(card, "## Data fields")
    features = config_features(Workspace.open(REPO).config.labels)
    for config, feats in features.items():
        rows = dict(re.findall(r"^\| `([^`]+)` \| [^|]+ \| (.+) \|$",
                               table.split(f"### `{config}`", 1)[1].split("\n### ", 1)[0], re.M))
        expected = set()
        for name, feature in feats.items():
            expected.add(name)
            inner = list_item(feature)
            if inner is not None and "_type" not in inner:  # a list of structs
                expected |= {f"{name}.{sub}" for sub in inner}
        assert set(rows) == expected, config
        assert all(len(text) > 10 and "not documented" not in text for text in rows.values()), config
    assert "index into the article's `entities` list" in table  # speaker_entity
    assert "index into the article's `quotes`" in table  # holder_index
    assert "near-duplicate" in table  # duplicate_group
    assert "ClassLabel: 0 PERSON, 1 ORG" in table


def test_bibtex_entry(card: str) -> None:
    bib = section(card, "## Cite").split("```bibtex\n", 1)[1].split("```", 1)[0]
    assert bib.startswith("@misc{newscorpus_sample_0_9_0,\n")
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},$", bib, re.M))
    assert fields["title"] == "{newscorpus synthetic sample corpus (version 0.9.0)}"
    assert fields["author"] == "{newscorpus developers}"
    assert fields["year"] == "2026" and fields["version"] == "0.9.0"
    assert bib.count("{") == bib.count("}")


def test_uses_personal_information_and_source_terms_from_the_datasheet(card: str) -> None:
    sheet = Workspace.open(REPO).config.datasheet
    assert sheet["uses"] in section(card, "## Uses")
    assert sheet["out_of_scope"] in section(card, "## Uses")
    personal = section(card, "## Personal and sensitive information")
    assert sheet["personal_information"] in personal and "45 PERSON entity mentions" in personal
    assert sheet["source_terms"] in section(card, "## Source terms")


def test_card_yaml_has_multilinguality_and_creators(card: str) -> None:
    from huggingface_hub import DatasetCardData

    meta = yaml.safe_load(card.split("---\n")[1])
    assert meta["multilinguality"] == ["multilingual"]
    assert meta["annotations_creators"] == ["expert-generated"]
    assert meta["language_creators"] == ["expert-generated"]
    data = DatasetCardData(**meta)
    assert data.multilinguality == ["multilingual"]


@pytest.mark.parametrize(("spdx", "hub"), [
    ("CC-BY-4.0", "cc-by-4.0"), ("CC-BY-NC-SA-4.0", "cc-by-nc-sa-4.0"), ("CC-BY-ND-4.0", "cc-by-nd-4.0"),
    ("GPL-3.0-only", "gpl-3.0"), ("LGPL-2.1-or-later", "lgpl-2.1"), ("ODbL-1.0", "odbl"),
    ("ODC-By-1.0", "odc-by"), ("PDDL-1.0", "pddl"), ("CDLA-Permissive-2.0", "cdla-permissive-2.0"),
    ("Unlicense", "unlicense"), ("etalab-2.0", "etalab-2.0"), ("GFDL-1.3-only", "gfdl"),
    ("LicenseRef-news-terms", "other"), ("EUPL-1.2", "other"),
])
def test_hub_licence_ids(spdx: str, hub: str) -> None:
    assert hub_license(spdx) == hub


def test_every_hub_licence_id_is_reachable_and_others_carry_a_name_and_link() -> None:
    assert len(HUB_LICENSES) > 60
    assert all(hub_license(h.upper()) == h for h in HUB_LICENSES)
    assert license_fields("EUPL-1.2") == {"license": "other", "license_name": "eupl-1.2",
                                          "license_link": "https://spdx.org/licenses/EUPL-1.2.html"}


@pytest.mark.parametrize(("spdx", "expected"), [
    ("CC-BY-NC-SA-4.0", {"license": "cc-by-nc-sa-4.0"}),
    ("LicenseRef-news-terms", {"license": "other", "license_name": "licenseref-news-terms",
                               "license_link": "https://spdx.org/licenses/LicenseRef-news-terms.html"}),
])
def test_built_card_with_a_licence_outside_the_old_map(spdx: str, expected: dict, tmp_path: Path) -> None:
    from huggingface_hub import DatasetCard

    from newscorpus.release.verify import verify_release

    root = copy_sample_workspace(tmp_path / "ws")
    config = root / "newscorpus.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("license: CC-BY-4.0",
                                                                 f"license: {spdx}"), encoding="utf-8")
    shutil.copytree(REPO / "articles", root / "articles")
    release = build_release(Workspace.open(root), "0.9.0", "2026-11-26", tmp_path / "out",
                            previous=None).path
    data = DatasetCard((release / "README.md").read_text(encoding="utf-8")).data.to_dict()
    assert {k: data.get(k) for k in expected} == expected
    assert verify_release(release, reload=False).valid


def test_load_example_names_the_hub_repo_and_tag_when_configured(tmp_path: Path, card: str) -> None:
    assert 'load_dataset("path/to/releases/0.9.0", "default")' in card  # no hub_repo: a local path
    root = copy_sample_workspace(tmp_path / "ws")
    cfg = root / "newscorpus.yaml"
    data = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    data.setdefault("release", {})["hub_repo"] = "harbour-lab/newscorpus-sample"
    cfg.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    shutil.copytree(REPO / "articles", root / "articles")
    release = build_release(Workspace.open(root), "0.9.0", "2026-11-26", tmp_path / "out", previous=None).path
    text = (release / "README.md").read_text(encoding="utf-8")
    assert 'load_dataset("harbour-lab/newscorpus-sample", "default", revision="v0.9.0")' in text
    assert "path/to/releases" not in text


@pytest.mark.parametrize("repo", ["no-slash", "a/b/c", "owner/na me", 3])
def test_a_bad_hub_repo_is_a_config_error(tmp_path: Path, repo: object) -> None:
    from newscorpus.errors import ConfigError

    root = copy_sample_workspace(tmp_path / "ws")
    cfg = root / "newscorpus.yaml"
    data = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    data.setdefault("release", {})["hub_repo"] = repo
    cfg.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="hub_repo"):
        Workspace.open(root)
