"""The record language: one normalized form, declarations checked against the text."""

from __future__ import annotations

from newscorpus.language import add_language, normalize_tag

EN = ("The city council approved the new budget on Tuesday after a long debate about the cost "
      "of repairing the harbour bridge, which has been closed to heavy traffic since the spring "
      "floods damaged two of its piers and forced the ferry company to add extra crossings.")
ES = ("El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate sobre el coste "
      "de reparar el puente del puerto, cerrado al tráfico pesado desde que las inundaciones de "
      "la primavera dañaron dos de sus pilares y obligaron a la naviera a añadir travesías.")


def record(text: str, language: str | None, rule: str = "html") -> dict:
    prov = {"language": {"converter": "html", "rule": rule}} if language else {}
    return {"text": text, "language": language, "provenance": prov}


def test_tags_normalized_to_the_primary_subtag() -> None:
    assert [normalize_tag(t) for t in ("it-IT", "it", "IT", "pt_BR", "iw", "und", "x-klingon", "")] \
        == ["it", "it", "it", "pt", "he", None, None, None]
    out = add_language(record(ES, "es-ES"))
    assert out["language"] == "es"
    assert out["provenance"]["language"] == {"converter": "html", "rule": "html es-ES, normalized"}


def test_text_wins_over_a_strongly_contradicted_declaration() -> None:
    out = add_language(record(EN, "de-DE", "opengraph"))
    assert out["language"] == "en"
    assert out["provenance"]["language"]["rule"].startswith("py3langid p=")
    assert "over the declared de-DE (opengraph" in out["provenance"]["language"]["rule"]


def test_agreeing_or_short_texts_keep_their_declaration() -> None:
    same = record(ES, "es")
    assert add_language(same) is same  # nothing to change, nothing recorded
    short = add_language(record("Breve nota.", "en"))
    assert short["language"] == "en"


def test_missing_or_bogus_declaration_identified_from_the_text() -> None:
    assert add_language(record(ES, None))["language"] == "es"
    out = add_language(record(ES, "und"))
    assert out["language"] == "es"
    assert "declared 'und' is no language tag" in out["provenance"]["language"]["rule"]


ID = ("Dewan kota menyetujui anggaran baru pada hari Selasa setelah perdebatan panjang tentang biaya "
      "perbaikan jembatan pelabuhan, yang telah ditutup untuk kendaraan berat sejak banjir musim semi "
      "merusak dua tiangnya dan memaksa perusahaan feri menambah penyeberangan.")


def test_close_languages_add_up_against_a_declaration_of_another_language() -> None:
    # py3langid gives this Indonesian text id p~0.69 and ms p~0.31: neither alone is confident,
    # together they are, and English has no chance
    out = add_language(record(ID, "en"))
    assert out["language"] == "id"
    assert "over the declared en" in out["provenance"]["language"]["rule"]
    assert add_language(record(ID, "ms"))["language"] == "ms"  # a close declaration stays


def test_chinese_split_between_zh_wu_and_cantonese_is_chinese() -> None:
    # py3langid: zh ~0.50, wuu ~0.48, yue ~0.02 for this list of products; all of them are "zh"
    text = ("商务礼品，庆典礼品，会议礼品，工艺品，纪念品，水晶，广告伞，广告笔，上海礼品公司，"
            "上海工艺品公司，上海水晶礼品")
    out = add_language(record(text, None))
    assert out["language"] == "zh"
    assert out["provenance"]["language"]["rule"].startswith("py3langid p=1.00")
