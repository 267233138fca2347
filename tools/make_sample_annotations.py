#!/usr/bin/env python3
"""Build the annotations of the bundled SYNTHETIC sample corpus from a declarative spec.

Every sample page dump in ``src/newscorpus/sample/raw/`` is converted with the page-dump
converter and the sample site profiles; the spec below names, per raw file, the entity
mentions, quotes (with speaker, cue, kind) and stances by their *surface text*. This script
turns surfaces into code-point offsets with :func:`newscorpus.text.find_span`, checks every
span and the annotation schema, and writes:

- ``annotations/gold.jsonl``: annotator ``sample-annotator-1``, ``ground_truth: true``;
- ``annotations/annotator2.jsonl``: a second annotator on three of the same articles, with
  deliberate disagreements (for agreement metrics).

Span references in the spec
---------------------------
A reference is a string, or ``(string, n)`` for the n-th occurrence (default 1). Square
brackets mark the span inside a longer context string: ``"[he] said"`` is the ``he`` of the
first ``he said``. Entities and quotes are searched in the whole article text; a quote's
speaker and cue are searched inside the block (paragraph) that holds the quote. A quote whose
speaker span is also an entity mention gets that entity as ``speaker_entity``; give
``entity`` to name the entity explicitly (e.g. for a pronoun speaker).

Quote spans cover the quoted words without the quotation marks and without a trailing comma
or full stop that belongs to the reporting sentence. Stances: ``favor`` / ``against`` mean
support for / opposition to the measure the article reports under that target (the budget,
the dam project, the fare change, the climate plan, the talks).

Run from the repository root: ``python tools/make_sample_annotations.py [OUT_DIR]``. The
output depends only on the raw files and this spec: two runs give identical bytes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml

from newscorpus.convert.base import ConvertOptions, Input
from newscorpus.convert.pagedump import PageDumpConverter
from newscorpus.records import (
    Annotation,
    Article,
    Entity,
    Holder,
    Quote,
    Span,
    Stance,
    annotation_span_problems,
    write_jsonl,
)
from newscorpus.schema import DEFAULT_STORE
from newscorpus.text import find_span

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "newscorpus" / "sample"
RAW = SAMPLE / "raw"
PROFILES = SAMPLE / "profiles"
CONFIG = SAMPLE / "newscorpus.yaml"
DEFAULT_OUT = SAMPLE / "annotations"

GOLD = "sample-annotator-1"
SECOND = "sample-annotator-2"
GOLD_FILE = "gold.jsonl"
SECOND_FILE = "annotator2.jsonl"

Ref = Union[str, tuple[str, int]]  # noqa: UP007 (spec readability)

# --------------------------------------------------------------------------------------
# The spec. Per raw file: entities [(ref, LABEL)], quotes [{...}], stances [(holder, target,
# value)] where holder is "article", "q<n>" (the n-th quote of the list) or ("entity", ref).
# --------------------------------------------------------------------------------------

GOLD_SPEC: dict[str, dict[str, Any]] = {
    "lakeshore-2025-09-budget-vote.txt": {
        "entities": [
            ("Alderport City Council", "ORG"),
            ("Alderport Transit Authority", "ORG"),
            ("Ana Ruiz", "PERSON"),
            ("Ben Whitaker", "PERSON"),
            ("Priscilla Moreau", "PERSON"),
            ("City Hall", "LOC"),
        ],
        "quotes": [
            {"text": "This is a budget that keeps buses running and pools open without asking "
                     "families for more than they can give",
             "speaker": "Ana Ruiz", "cue": "Ana Ruiz [said]"},
            {"text": "We are papering over a structural deficit, and next year the bill comes due",
             "speaker": "[he] said", "entity": "Ben Whitaker", "cue": "he [said]"},
            {"text": "a small correction with a large meaning",
             "speaker": "Priscilla Moreau", "cue": "called"},
        ],
        "stances": [
            ("article", "city-budget", "neutral"),
            ("q1", "city-budget", "favor"),
            ("q2", "city-budget", "against"),
            ("q3", "city-budget", "neutral"),
        ],
    },
    "lakeshore-2025-10-fare-freeze.txt": {
        "entities": [
            ("Alderport Transit Authority", "ORG"),
            ("Harriet Lindqvist", "PERSON"),
            ("Marcus Bell", "PERSON"),
            ("Riders’ Union of Alderport", "ORG"),
            ("TapLake", "MISC"),
            ("[Lindqvist] said the card", "PERSON"),
        ],
        "quotes": [
            {"text": "We can absorb it this winter, but not forever",
             "speaker": "[she] said", "entity": "Harriet Lindqvist", "cue": "she [said]"},
            {"text": "At some point the numbers have to add up",
             "speaker": "[she] said", "entity": "Harriet Lindqvist", "cue": "she [said]"},
            {"text": "off the bus and onto the shoulder of the highway",
             "speaker": "Marcus Bell", "cue": "said"},
            {"text": "in the spring, once it works every time",
             "speaker": "[Lindqvist] said", "cue": "Lindqvist [said]"},
        ],
        "stances": [
            ("article", "transit-fares", "neutral"),
            ("q1", "transit-fares", "neutral"),
            ("q3", "transit-fares", "favor"),
            ("article", "city-budget", "none"),
        ],
    },
    "lakeshore-2025-12-dam-hearing.txt": {
        "entities": [
            ("Holloway Dam", "LOC"),
            ("Alder Valley Water Board", "ORG"),
            ("Millbrook", "GPE"),
            ("Millbrook Community Centre", "LOC"),
            (("Holloway Dam", 2), "LOC"),
            ("Alder River", "LOC"),
            (("Alder Valley Water Board", 2), "ORG"),
            ("Gordon Achebe", "PERSON"),
            ("Sunita Rao", "PERSON"),
            ("Friends of the Alder", "ORG"),
            ("Walt Jessup", "PERSON"),
        ],
        "quotes": [
            {"text": "The river has come within half a metre of the levee twice in ten years",
             "speaker": "Gordon Achebe", "cue": "told"},
            {"text": "We are not going to wait for the third time",
             "speaker": "Gordon Achebe", "cue": "told"},
            {"text": "a higher reservoir would drown 14 kilometres of spawning grounds and that "
                     "cheaper upstream wetlands could do much of the same work",
             "kind": "indirect", "speaker": "Sunita Rao", "cue": "said"},
            {"text": "You are solving a 1950s problem with a 1950s tool",
             "speaker": "Walt Jessup", "cue": "said"},
        ],
        "stances": [
            ("article", "river-dam", "neutral"),
            ("q1", "river-dam", "favor"),
            ("q2", "river-dam", "favor"),
            ("q3", "river-dam", "against"),
            ("q4", "river-dam", "against"),
            (("entity", "Friends of the Alder"), "river-dam", "against"),
        ],
    },
    "lakeshore-2026-01-science-fair.txt": {
        "entities": [
            ("Amara Singh", "PERSON"),
            ("Alderport Youth Science Fair", "EVENT"),
            (("Amara Singh", 2), "PERSON"),
            ("Alder River", "LOC"),
            (("Alderport Youth Science Fair", 2), "EVENT"),
            ("Holloway Dam", "LOC"),
            ("[Singh]’s school", "PERSON"),
            ("Bayview Middle School", "ORG"),
            ("you, [Amara]", "PERSON"),  # after a ZWJ emoji sequence: offsets in code points
        ],
        "quotes": [
            {"text": "careful and genuinely surprising", "speaker": "[judges] called",
             "cue": "judges [called]"},
            {"text": "Our scientist! 👩‍🔬🏆 So proud of you, Amara 💙",
             "speaker": "Bayview Middle School", "cue": "[read] “Our"},
        ],
        "stances": [
            ("article", "river-dam", "none"),
            ("q1", "river-dam", "none"),
        ],
    },
    "lakeshore-2026-02-izmir-sister-city.txt": {
        "entities": [
            ("Alderport", "GPE"),
            ("İzmir", "GPE"),
            ("Turkey", "GPE"),
            ("Elif Şahin", "PERSON"),
            ("Ana Ruiz", "PERSON"),
            ("City Hall", "LOC"),
            ("with [İzmir]", "GPE"),
            ("İstanbul", "GPE"),
            ("Lakeshore Ferry Co.", "ORG"),
            (("Elif Şahin", 2), "PERSON"),
            ("İzmir Bay Maritime Cooperative", "ORG"),
            (("Ana Ruiz", 2), "PERSON"),
        ],
        "quotes": [
            {"text": "Our ferries carry millions of people a year and yours carry far fewer, "
                     "but your harbour is cleaner than ours",
             "speaker": "Elif Şahin", "cue": "said"},
            {"text": "We came here to learn, and to teach a little",
             "speaker": "Elif Şahin", "cue": "said"},
            # the banner's quotation mark is never closed in the source
            {"text": "Hoş geldiniz, İzmir! Welcome, friends from across the sea",
             "speaker": None, "cue": "[read] “Hoş"},
            {"text": "she hoped to lead a return visit in the autumn", "kind": "indirect",
             "speaker": "Ana Ruiz", "cue": "Ana Ruiz [said]"},
        ],
        "stances": [
            ("article", "transit-fares", "none"),
            ("q1", "climate-policy", "none"),
        ],
    },
    "lakeshore-2026-04-climate-plan.txt": {
        "entities": [
            ("Alderport", "GPE"),
            ("Earth Day", "EVENT"),
            ("Owen Castellanos", "PERSON"),
            ("Gloria Pham", "PERSON"),
            ("Alderport Chamber of Commerce", "ORG"),
        ],
        "quotes": [
            {"text": "Every year we wait, the retrofit gets more expensive and the storms get "
                     "worse",
             "speaker": "Owen Castellanos", "cue": "said"},
            {"text": "written for landlords with an engineering department",
             "speaker": "Gloria Pham", "cue": "said"},
        ],
        "stances": [
            ("article", "climate-policy", "neutral"),
            ("q1", "climate-policy", "favor"),
            ("q2", "climate-policy", "against"),
            (("entity", "Alderport Chamber of Commerce"), "climate-policy", "against"),
        ],
    },
    "lakeshore-2026-06-ceasefire-vigil.txt": {
        "entities": [
            ("Velmaran", "NORP"),
            ("Geneva", "GPE"),
            ("Harbor Square", "LOC"),
            (("Harbor Square", 2), "LOC"),
            ("in [Velmara],", "GPE"),  # not the 'Velmara' inside 'Velmaran'
            ("of [Velmara]", "GPE"),
            ("Ostrenian Federation", "GPE"),
            ("Norwegian", "NORP"),
            ("Hanne Solberg", "PERSON"),
            ("Teodor Vass", "PERSON"),
            ("Cyrillic", "MISC"),
            ("Irina Dobrev", "PERSON"),
            ("Kalna", "GPE"),
        ],
        "quotes": [
            {"text": "For the first time in two years my mother sleeps through the night",
             "speaker": "Teodor Vass", "cue": "said"},
            {"text": "Whatever they are arguing about in Geneva, they must not let that end",
             "speaker": "Teodor Vass", "cue": "said"},
            {"text": "Мир сейчас", "speaker": None, "cue": None},
            {"text": "like the last four times", "speaker": "Irina Dobrev", "cue": "said"},
        ],
        "stances": [
            ("article", "ceasefire-talks", "neutral"),
            ("q1", "ceasefire-talks", "favor"),
            ("q2", "ceasefire-talks", "favor"),
            ("q3", "ceasefire-talks", "favor"),
            ("q4", "ceasefire-talks", "against"),
        ],
    },
    "echo-2025-07-barrage-pont-sauvage.txt": {
        "entities": [
            ("Barrage de Pont-Sauvage", "LOC"),
            ("syndicat mixte de la Sévrine", "ORG"),
            ("sur la [Sévrine]", "LOC"),
            ("Office régional de l'eau", "ORG"),
            ("Hélène Rocher", "PERSON"),
            ("association [Sévrine vivante]", "ORG"),
            ("Mathis Garnier", "PERSON"),
            ("Saint-Aubin-sur-Sévrine", "GPE"),
            ("Gérard Lemoine", "PERSON"),
        ],
        "quotes": [
            {"text": "Nous préférons perdre six mois que perdre un procès",
             "speaker": "Hélène Rocher", "cue": "a déclaré"},
            {"text": "que la nouvelle étude soit confiée à un cabinet indépendant",
             "kind": "indirect", "speaker": "Mathis Garnier", "cue": "réclame"},
            {"text": "Le syndicat ne peut pas être juge et partie",
             "speaker": "estime-t-[il]", "entity": "Mathis Garnier", "cue": "[estime]-t-il"},
            {"text": "n'attendra pas la troisième", "speaker": "Gérard Lemoine",
             "cue": "rappelle"},
        ],
        "stances": [
            ("article", "river-dam", "neutral"),
            ("q1", "river-dam", "neutral"),
            ("q3", "river-dam", "against"),
            ("q4", "river-dam", "favor"),
            (("entity", "association [Sévrine vivante]"), "river-dam", "against"),
        ],
    },
    "echo-2025-11-tarifs-tram.txt": {
        "entities": [
            ("Montclar", "GPE"),
            ("Régie des transports de Montclar", "ORG"),
            ("RTM", "ORG"),
            ("Karim Belkacem", "PERSON"),
            ("Lucie Marchand", "PERSON"),
            ("Tram pour tous", "ORG"),
            ("Sophie Lachaume", "PERSON"),
        ],
        "quotes": [
            {"text": "le prix à payer pour garder un tram toutes les six minutes",
             "speaker": "Karim Belkacem", "cue": None},
            {"text": "Ce sont les voyageurs occasionnels, souvent les plus modestes, qui paieront",
             "speaker": "Lucie Marchand", "cue": "a réagi"},
            {"text": "Nous avons gelé les tarifs trois ans de suite. L'énergie, elle, n'a pas gelé",
             "speaker": "a-t-[elle] déclaré", "entity": "Sophie Lachaume",
             "cue": "a-t-elle [déclaré]"},
        ],
        "stances": [
            ("article", "transit-fares", "neutral"),
            ("q1", "transit-fares", "favor"),
            ("q2", "transit-fares", "against"),
            ("q3", "transit-fares", "favor"),
        ],
    },
    "echo-2026-03-pourparlers-geneve.txt": {
        "entities": [
            ("Velmara", "GPE"),
            ("Ostrénie", "GPE"),
            ("Genève", "GPE"),
            ("norvégienne", "NORP"),
            ("République de Velmara", "GPE"),
            ("Fédération ostrénienne", "GPE"),
            (("Genève", 2), "GPE"),
            (("norvégienne", 2), "NORP"),
            ("Hanne Solberg", "PERSON"),
            ("Andrei Kostal", "PERSON"),
            ("Kalna", "GPE"),
            ("Mirela Tarnow", "PERSON"),
        ],
        "quotes": [
            {"text": "premier jour utile", "speaker": "Hanne Solberg", "cue": "a parlé"},
            {"text": "Personne n'a quitté la salle, et c'est déjà un progrès",
             "speaker": "a-t-[elle] confié", "entity": "Hanne Solberg",
             "cue": "a-t-elle [confié]"},
            {"text": "que son gouvernement ne signerait rien tant que les prisonniers de Kalna ne "
                     "seraient pas libérés",
             "kind": "indirect", "speaker": "[Il] a affirmé", "entity": "Andrei Kostal",
             "cue": "Il [a affirmé]"},
            {"text": "irréalistes", "speaker": "Mirela Tarnow", "cue": "a jugé"},
            {"text": "aussi longtemps qu'il le faudra", "speaker": "Mirela Tarnow",
             "cue": "assurant"},
        ],
        "stances": [
            ("article", "ceasefire-talks", "neutral"),
            ("q1", "ceasefire-talks", "favor"),
            ("q2", "ceasefire-talks", "favor"),
            ("q3", "ceasefire-talks", "neutral"),
            ("q4", "ceasefire-talks", "against"),
            ("q5", "ceasefire-talks", "favor"),
        ],
    },
    "echo-2026-09-manuscrits.txt": {
        "entities": [
            ("Montclar", "GPE"),
            ("médiathèque de Montclar", "ORG"),
            ("Encres et parchemins", "EVENT"),
            ("q̃", "MISC"),  # q + U+0303: no precomposed form, two code points after NFC
            ("Agnès Morvan", "PERSON"),
            ("vallée de la [Sévrine]", "LOC"),
        ],
        "quotes": [
            {"text": "On découvre que les moines écrivaient comme nous envoyons des SMS",
             "speaker": "Agnès Morvan", "cue": "s'amuse"},
        ],
        "stances": [
            ("article", "climate-policy", "none"),
        ],
    },
    "sawt-2025-08-sadd-wadi-alsidr.txt": {
        "entities": [
            ("سد وادي السدر", "LOC"),
            ("المجلس البلدي", "ORG"),
            (("سد وادي السدر", 2), "LOC"),
            ("مدينة [نخلان]", "GPE"),
            (("سد وادي السدر", 3), "LOC"),
            ("سالم العامري", "PERSON"),
            ("عين الحمرا", "GPE"),
            ("خالد الراشدي", "PERSON"),
            ("ريم السيابي", "PERSON"),
            ("هيئة المياه في نخلان", "ORG"),
        ],
        "quotes": [
            {"text": "حماية الأحياء المنخفضة من السيول التي باتت أشدّ في السنوات الأخيرة",
             "speaker": "سالم العامري", "cue": "و[قال] رئيس"},
            {"text": "السد يحجز الماء عنا منذ عشرين سنة، ورفعه يعني أن نخسر ما تبقى",
             "speaker": "خالد الراشدي", "cue": "و[قال] المزارع"},
            {"text": "أن الدراسة ستقيس أثر المشروع على المياه الجوفية قبل اتخاذ أي قرار نهائي",
             "kind": "indirect", "speaker": "ريم السيابي", "cue": "و[أكدت]"},
        ],
        "stances": [
            ("article", "river-dam", "neutral"),
            ("q1", "river-dam", "favor"),
            ("q2", "river-dam", "against"),
            ("q3", "river-dam", "neutral"),
        ],
    },
    "sawt-2025-10-muhadathat-masqat.txt": {
        "entities": [
            ("فيلمارا", "GPE"),
            ("و[أوسترينيا]", "GPE"),
            ("مسقط", "GPE"),
            (("مسقط", 2), "GPE"),
            ("جمهورية فيلمارا", "GPE"),
            ("و[اتحاد أوسترينيا]", "GPE"),
            ("النرويجية", "NORP"),
            ("هانا سولبرغ", "PERSON"),
            ("أندريه كوستال", "PERSON"),
            ("ميريلا تارنوف", "PERSON"),
        ],
        "quotes": [
            {"text": "أفضل مما توقعنا", "speaker": "هانا سولبرغ", "cue": "و[قالت]"},
            {"text": "لن نوقّع على أي اتفاق لا يضمن عودة النازحين إلى قراهم",
             "speaker": "أندريه كوستال", "cue": "صرّح"},
            {"text": "جاءت لتبقى حتى النهاية", "speaker": "ميريلا تارنوف", "cue": "ف[قالت]"},
        ],
        "stances": [
            ("article", "ceasefire-talks", "neutral"),
            ("q1", "ceasefire-talks", "favor"),
            ("q2", "ceasefire-talks", "neutral"),
            ("q3", "ceasefire-talks", "favor"),
        ],
    },
    "sawt-2026-02-muwazanat-nakhlan.txt": {
        "entities": [
            ("بلدية نخلان", "ORG"),
            ("المجلس البلدي", "ORG"),
            ("في [نخلان]", "GPE"),
            (("المجلس البلدي", 2), "ORG"),
            (("في [نخلان]", 2), "GPE"),
            ("سالم العامري", "PERSON"),
            ("نورة الشامسي", "PERSON"),
        ],
        "quotes": [
            {"text": "متوازنة ولا تحمّل المواطنين أي رسوم جديدة", "speaker": "سالم العامري",
             "cue": "و[قال]"},
            {"text": "تهمل الأحياء الجنوبية للمرة الثالثة على التوالي",
             "speaker": "نورة الشامسي", "cue": "معتبرة"},
        ],
        "stances": [
            ("article", "city-budget", "neutral"),
            ("q1", "city-budget", "favor"),
            ("q2", "city-budget", "against"),
            (("entity", "نورة الشامسي"), "city-budget", "against"),
            ("article", "transit-fares", "none"),
        ],
    },
    "sawt-2026-11-maarad-alkitab.txt": {
        "entities": [
            ("معرض نخلان للكتاب", "EVENT"),
            (("معرض نخلان للكتاب", 2), "EVENT"),
            ("الأدب [الياباني]", "NORP"),
            ("ナフラン", "GPE"),
            ("هدى الكندي", "PERSON"),
        ],
        "quotes": [
            {"text": "إن الدورة الحالية تركّز على القراءة لدى الأطفال", "kind": "indirect",
             "speaker": "هدى الكندي", "cue": "و[قالت]"},
            {"text": "كل طفل يخرج من المعرض بكتاب هدية", "speaker": "هدى الكندي",
             "cue": "مشيرة"},
        ],
        "stances": [
            ("article", "city-budget", "none"),
        ],
    },
    "clip-northwind-gull-island-seawall.txt": {
        "entities": [
            ("Gull Island", "GPE"),
            (("Gull Island", 2), "GPE"),
            ("Agnes Fairweather", "PERSON"),
            ("Dennis Cole", "PERSON"),
        ],
        "quotes": [
            {"text": "We did not cause the lake to rise, but we are the ones who have to live "
                     "with it",
             "speaker": "Agnes Fairweather", "cue": "said"},
            {"text": "the best deal a town of 900 people will ever get",
             "speaker": "[She] called", "entity": "Agnes Fairweather", "cue": "She [called]"},
            {"text": "a wall would only push the erosion further down the shore",
             "kind": "indirect", "speaker": "Dennis Cole", "cue": "said"},
        ],
        "stances": [
            ("article", "climate-policy", "neutral"),
            ("q1", "climate-policy", "favor"),
            ("q2", "climate-policy", "favor"),
            ("q3", "climate-policy", "against"),
        ],
    },
    "clip-kalamida-ferry-fares.txt": {
        "entities": [
            ("Καλαμίδα", "GPE"),
            ("Πειραιάς", "GPE"),
            ("Αιγαίον Γραμμές", "ORG"),
            ("Νίκος Βαρδάκης", "PERSON"),
            ("Ελένη Μαυρίδου", "PERSON"),
        ],
        "quotes": [
            {"text": "ταφόπλακα για τον χειμερινό τουρισμό", "speaker": "Νίκος Βαρδάκης",
             "cue": "χαρακτήρισε"},
            {"text": "Χωρίς αναπροσαρμογή, η γραμμή δεν μπορεί να λειτουργήσει τον χειμώνα",
             "speaker": "Ελένη Μαυρίδου", "cue": "δήλωσε"},
        ],
        "stances": [
            ("article", "transit-fares", "neutral"),
            ("q1", "transit-fares", "against"),
            ("q2", "transit-fares", "favor"),
        ],
    },
}

# A second annotator on three articles, with deliberate disagreements: a missed entity, a
# different label, a longer quote span, a pronoun speaker resolved to a name, a missed quote,
# and different stance values.
SECOND_SPEC: dict[str, dict[str, Any]] = {
    "lakeshore-2025-09-budget-vote.txt": {
        "entities": [
            ("Alderport City Council", "ORG"),
            ("Alderport Transit Authority", "ORG"),
            ("Ana Ruiz", "PERSON"),
            ("Ben Whitaker", "PERSON"),
            ("City Hall", "ORG"),  # gold: LOC; Priscilla Moreau missed
        ],
        "quotes": [
            {"text": "This is a budget that keeps buses running and pools open without asking "
                     "families for more than they can give,",  # trailing comma included
             "speaker": "Mayor Ana Ruiz", "entity": "Ana Ruiz",  # gold: 'Ana Ruiz'
             "cue": "Ana Ruiz [said]"},
            {"text": "We are papering over a structural deficit, and next year the bill comes due",
             "speaker": "[he] said", "entity": "Ben Whitaker", "cue": "he [said]"},
        ],
        "stances": [
            ("article", "city-budget", "favor"),  # gold: neutral
            ("q1", "city-budget", "favor"),
            ("q2", "city-budget", "against"),
        ],
    },
    "echo-2025-11-tarifs-tram.txt": {
        "entities": [
            ("Montclar", "GPE"),
            ("Régie des transports de Montclar", "ORG"),  # RTM missed
            ("Karim Belkacem", "PERSON"),
            ("Lucie Marchand", "PERSON"),
            ("Tram pour tous", "ORG"),
            ("Sophie Lachaume", "PERSON"),
        ],
        "quotes": [
            {"text": "le prix à payer pour garder un tram toutes les six minutes",
             "speaker": "Karim Belkacem", "cue": None},
            {"text": "Ce sont les voyageurs occasionnels, souvent les plus modestes, qui paieront",
             "speaker": "Lucie Marchand", "cue": "a réagi"},
            {"text": "Nous avons gelé les tarifs trois ans de suite. L'énergie, elle, n'a pas gelé",
             "speaker": "Sophie Lachaume", "cue": "a défendu"},  # gold: pronoun + 'déclaré'
        ],
        "stances": [
            ("article", "transit-fares", "neutral"),
            ("q1", "transit-fares", "neutral"),  # gold: favor
            ("q2", "transit-fares", "against"),
            ("q3", "transit-fares", "favor"),
        ],
    },
    "sawt-2025-10-muhadathat-masqat.txt": {
        "entities": [
            ("فيلمارا", "GPE"),
            ("و[أوسترينيا]", "GPE"),
            ("مسقط", "LOC"),  # gold: GPE
            (("مسقط", 2), "LOC"),
            ("جمهورية فيلمارا", "GPE"),
            ("و[اتحاد أوسترينيا]", "GPE"),  # النرويجية missed
            ("هانا سولبرغ", "PERSON"),
            ("أندريه كوستال", "PERSON"),
            ("ميريلا تارنوف", "PERSON"),
        ],
        "quotes": [
            {"text": "أفضل مما توقعنا", "speaker": "هانا سولبرغ", "cue": "و[قالت]"},
            {"text": "لن نوقّع على أي اتفاق لا يضمن عودة النازحين إلى قراهم",
             "speaker": "أندريه كوستال", "cue": "صرّح"},
            {"text": "جاءت لتبقى حتى النهاية", "speaker": "ميريلا تارنوف", "cue": "ف[قالت]"},
        ],
        "stances": [
            ("article", "ceasefire-talks", "none"),  # gold: neutral
            ("q1", "ceasefire-talks", "favor"),
            ("q2", "ceasefire-talks", "against"),  # gold: neutral
            ("q3", "ceasefire-talks", "favor"),
        ],
    },
}


# --------------------------------------------------------------------------------------
# Building records from the spec
# --------------------------------------------------------------------------------------


class SpecError(ValueError):
    """The spec does not fit the converted article."""


@dataclass(frozen=True, slots=True)
class Labels:
    entities: frozenset[str]
    targets: frozenset[str]


def load_labels(config: Path = CONFIG) -> Labels:
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    labels = data["labels"]
    return Labels(frozenset(labels["entities"]), frozenset(labels["stance_targets"]))


def convert_all(raw: Path = RAW, profiles: Path = PROFILES) -> dict[str, Article]:
    """Every sample dump converted: file name -> Article (exactly one per file)."""
    converter = PageDumpConverter(ConvertOptions(profile_dirs=(profiles,)))
    articles: dict[str, Article] = {}
    for path in sorted(raw.glob("*.txt")):
        outcomes = list(converter.convert(Input(path, path.name, path.read_bytes())))
        if len(outcomes) != 1 or not isinstance(outcomes[0], Article):
            raise SpecError(f"{path.name}: expected one article, got {outcomes!r}")
        articles[path.name] = outcomes[0]
    return articles


def locate(text: str, ref: Ref, lo: int = 0, hi: int | None = None) -> tuple[int, int, str]:
    """``(start, end, surface)`` of ``ref`` in ``text[lo:hi]`` (see the module docstring)."""
    pattern, n = (ref, 1) if isinstance(ref, str) else ref
    if "[" in pattern:
        before, rest = pattern.split("[", 1)
        inner, after = rest.split("]", 1)
    else:
        before, inner, after = "", pattern, ""
    start, end = find_span(text, before + inner + after, n, after=lo)
    if hi is not None and end > hi:
        raise SpecError(f"{pattern!r} (occurrence {n}) not found in {text[lo:hi]!r}")
    start += len(before)
    return start, start + len(inner), inner


def _block_of(article: Article, start: int, end: int) -> tuple[int, int]:
    for block in article.blocks:
        if block.start <= start and end <= block.end:
            return block.start, block.end
    raise SpecError(f"span {start}..{end} crosses a block boundary")


def build(article: Article, spec: dict[str, Any], annotator: str, labels: Labels) -> Annotation:
    text = article.text
    entities: list[Entity] = []
    for ref, label in spec.get("entities", []):
        if label not in labels.entities:
            raise SpecError(f"entity label {label!r} is not in the label set")
        start, end, surface = locate(text, ref)
        entities.append(Entity("", start, end, surface, label))
    entities.sort(key=lambda e: (e.start, e.end))
    for i, entity in enumerate(entities, 1):
        entity.id = f"e{i}"
    for a, b in zip(entities, entities[1:], strict=False):
        if b.start < a.end:
            raise SpecError(f"entity mentions {a.text!r}@{a.start} and {b.text!r}@{b.start} "
                            "overlap")
    by_span = {(e.start, e.end): e.id for e in entities}

    def entity_id(ref: Ref) -> str:
        start, end, _ = locate(text, ref)
        if (start, end) not in by_span:
            raise SpecError(f"{ref!r} is not an entity mention of the spec")
        return by_span[(start, end)]

    quotes: list[Quote] = []
    for i, q in enumerate(spec.get("quotes", []), 1):
        start, end, surface = locate(text, q["text"])
        if quotes and start < quotes[-1].start:
            raise SpecError(f"quote {i} comes before quote {i - 1} in the text; keep text order")
        lo, hi = _block_of(article, start, end)
        speaker = cue = None
        speaker_entity = None
        if q.get("speaker"):
            s, e, t = locate(text, q["speaker"], lo, hi)
            speaker = Span(s, e, t)
            speaker_entity = by_span.get((s, e))
        if q.get("entity"):
            speaker_entity = entity_id(q["entity"])
        if q.get("cue"):
            s, e, t = locate(text, q["cue"], lo, hi)
            cue = Span(s, e, t)
        kind = q.get("kind", "direct")
        if kind not in ("direct", "indirect"):
            raise SpecError(f"quote kind {kind!r}")
        quotes.append(Quote(f"q{i}", start, end, surface, kind, speaker, speaker_entity, cue))

    stances: list[Stance] = []
    for i, (holder, target, value) in enumerate(spec.get("stances", []), 1):
        if target not in labels.targets:
            raise SpecError(f"stance target {target!r} is not in the label set")
        if holder == "article":
            h = Holder("article", None)
        elif isinstance(holder, str) and holder.startswith("q"):
            h = Holder("quote", holder)
        elif isinstance(holder, tuple) and holder[0] == "entity":
            h = Holder("entity", entity_id(holder[1]))
        else:
            raise SpecError(f"stance holder {holder!r}")
        stances.append(Stance(f"s{i}", h, target, value))

    annotation = Annotation(
        id=f"{article.id}:{annotator}",
        article_id=article.id,
        text_sha256=article.text_sha256,
        annotator=annotator,
        origin="sample",
        ground_truth=annotator == GOLD,
        entities=entities,
        quotes=quotes,
        stances=stances,
    )
    record = annotation.to_dict()
    problems = [f"{ptr}: {msg}" for ptr, msg in annotation_span_problems(record, text)]
    problems += [str(p) for p in DEFAULT_STORE.problems(record, "annotation", article_text=text)]
    if problems:
        raise SpecError(f"{article.origin['path']}: " + "; ".join(problems))
    return annotation


def build_all(spec: dict[str, dict[str, Any]], annotator: str, articles: dict[str, Article],
              labels: Labels) -> list[dict[str, Any]]:
    records = []
    for name, entry in spec.items():
        if name not in articles:
            raise SpecError(f"no sample dump named {name!r}")
        try:
            records.append(build(articles[name], entry, annotator, labels).to_dict())
        except (SpecError, ValueError) as exc:
            raise SpecError(f"{name}: {exc}") from None
    return sorted(records, key=lambda r: r["article_id"])


def main(out_dir: Path = DEFAULT_OUT) -> dict[str, int]:
    """Write ``gold.jsonl`` and ``annotator2.jsonl`` into ``out_dir``; return line counts."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    labels = load_labels()
    articles = convert_all()
    counts = {
        GOLD_FILE: write_jsonl(out_dir / GOLD_FILE, build_all(GOLD_SPEC, GOLD, articles, labels)),
        SECOND_FILE: write_jsonl(out_dir / SECOND_FILE,
                                 build_all(SECOND_SPEC, SECOND, articles, labels)),
    }
    return counts


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    for filename, n in main(target).items():
        print(f"{target / filename}: {n} annotation(s)")
