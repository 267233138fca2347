"""Bylines: the one parser that turns author fields into people's names, for every format.

Sources give authors as one string ("By Ana Lima and Jonas Berg, Reuters"), as lists of
strings, or as lists of objects with a ``name``. :func:`parse_byline` and
:func:`parse_authors` return the people (one name per item, in byline order, duplicates
dropped case-insensitively) and, separately, the wire agencies and the photographers named
among them, which every converter (HTML, feeds, wire JSON/CSV, NewsML, NITF) records as
``wire`` and ``photo`` credits (:meth:`Byline.credits`) rather than as authors.

Rules, in order: Unicode normalization; "jane@x.org (Jane Doe)" keeps the name; "(jane@x.org)"
and a leading "By"/"Par"/"Von"/... are dropped; the string is split on ``;``, ``|``, ``&`` and
"and"/"und"/"et"/"y"/"e"; each part is split on commas, except "Lima, Ana" (two single
capitalised words: surname first); a wire agency becomes an agency (also in brackets: "Ana
Lima (Reuters)"); a one-word piece after a full name ("Ana Lima, Washington") is a place or
role and is dropped; URLs, e-mail addresses, handles, login names ("loening.meyel"), domains,
newsroom labels ("Staff", "Web Desk") and the publisher's own name are not people. A name
written in capitals ("ASHOK SHARMA") is capitalised as a name (:func:`name_case`: "Juan de
la Cruz", "McDonald", "O'Neil").

NewsML-G2 and NITF list *parties* (creators, contributors) with roles: :func:`sort_parties`
keeps the people who wrote the story as authors and credits the others (organisations,
photographers, editors, translators).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..records import Credit
from ..text import normalize

WIRE_AGENCIES = {name.casefold(): name for name in (
    "AP", "Associated Press", "The Associated Press", "Reuters", "Thomson Reuters", "AFP",
    "Agence France-Presse", "Agence France Presse", "AA", "Anadolu", "Anadolu Agency", "dpa",
    "Deutsche Presse-Agentur", "EFE", "ANSA", "Xinhua", "Kyodo", "Kyodo News", "PA", "PA Media",
    "Press Association", "UPI", "TASS", "Yonhap", "ANI", "PTI", "IANS", "Europa Press", "APA",
    "Belga", "Lusa", "NTB", "Ritzau", "TT", "CNA", "Bernama", "Antara", "KNA", "epd", "SDA",
    "Keystone-SDA", "AAP", "CP", "The Canadian Press", "Bloomberg", "WAM", "SPA", "MENA", "IRNA",
)}

# Words that make a byline entry a newsroom label rather than a person's name.
_ROLE_WORDS = re.compile(
    r"\b(?:staff|desk|newsroom|editorial|editors?|team|bureau|correspondents?|reporters?|"
    r"contributors?|writers?|admin|administrator|webmaster|redaktion|rédaction|redacción|"
    r"redazione|redação|agenc(?:y|ies)|wires?|online|news service|press release|sponsored|"
    r"material|reporting)\b",
    re.IGNORECASE)
_BY_PREFIX = re.compile(r"^(?:(?:by|par|por|von|di|door|przez|av|af|(?:written|posted|reporting|words|text|"
                        r"story|reported) by)\s*:?\s+|(?:text|texto|words|story)\s*:\s*)", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||[·•]|\s+(?:and|&|und|et|y|e)\s+|,\s*(?:and|&|und|et)\s+|"
                           r"\s*&\s*)\s*", re.IGNORECASE)
# "Fotos: Anna Beispiel", "Photo by Ana Lima", "Daniel Reinhardt (Foto)": a photographer.
_PHOTO_WORDS = (r"(?:fotos?|photos?|photographs?|photography|photographed|pictures?|pics|bilder?|images?|"
                r"fotograf(?:ie|ia|ía|ías)?|photographer|photographe)")
_PHOTO_PREFIX = re.compile(rf"^{_PHOTO_WORDS}(?:\s+by|\s+von|\s+par|\s+por|\s+di|\s*:)\s*", re.IGNORECASE)
_PHOTO_NOTE = re.compile(rf"\s*\({_PHOTO_WORDS}\)\s*$", re.IGNORECASE)
_PHOTO_ROLE = re.compile(rf"^{_PHOTO_WORDS}$", re.IGNORECASE)  # "Ana Lima, photographer"
# "Ana Lima. Photos by Ben Ruiz": a sentence of photo credits after the byline
_PHOTO_SENTENCE = re.compile(rf"[.,]\s+(?={_PHOTO_WORDS}(?:\s+by|\s+von|\s+par|\s+por|\s*:))", re.IGNORECASE)
_PAREN_NOTE = re.compile(r"\s*\(([^()]+)\)\s*$")
_EMAIL_NAME = re.compile(r"^\s*[^@\s()]+@[^@\s()]+\s*\((?P<name>[^)]+)\)\s*$")
_EMAIL_IN_PARENS = re.compile(r"\s*[(<][^()<>@\s]+@[^()<>\s]+[)>]")
_AFFILIATION = re.compile(r"(?<=[^\W\d_]{2})\.\s+(?=\w)")
_DOMAIN = re.compile(r"\w\.(?:com|org|net|co|uk|de|fr|info|news|io|tv)\b", re.IGNORECASE)
_LOGIN = re.compile(r"^[^\W\d_]+(?:[._][^\W\d_]+)+$")  # "loening.meyel", "j_doe": no spaces
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Words of an organisation's name (a creator that is a company, a network, a broadcaster).
_ORGANISATION = re.compile(
    r"\b(?:inc|ltd|llc|plc|gmbh|ag|corp|corporation|company|group|network|television|tv|"
    r"radio|broadcasting|news|press|media|agency|agence|agentur|service|services|associates?)\b\.?",
    re.IGNORECASE)


@dataclass(slots=True)
class Byline:
    """People and wire agencies named in author fields."""

    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)

    def add(self, other: Byline) -> None:
        seen = {a.casefold() for a in self.authors}
        for name in other.authors:
            if name.casefold() not in seen:
                seen.add(name.casefold())
                self.authors.append(name)
        self.agencies += [a for a in other.agencies if a not in self.agencies]
        self.photographers += [p for p in other.photographers if p not in self.photographers]

    def credits(self) -> list[Credit]:
        """The agencies as ``wire`` credits and the photographers as ``photo`` credits."""
        return [Credit("wire", a) for a in self.agencies] + [Credit("photo", p) for p in self.photographers]


def wire_agency(name: str) -> str | None:
    """The canonical name of the wire agency ``name`` ("AP", "(Reuters)"), or None."""
    key = normalize(name).strip(" .:-–—").casefold()
    if key.startswith("(") and key.endswith(")"):
        key = key[1:-1]
    return WIRE_AGENCIES.get(key)


def parse_byline(raw: str | None, publisher: str | None = None) -> Byline:
    """People and agencies in one byline string (see the module's rules)."""
    people = Byline()
    if not raw:
        return people
    text = normalize(raw)
    m = _EMAIL_NAME.match(text)
    if m:
        text = m.group("name")
    text = _BY_PREFIX.sub("", _EMAIL_IN_PARENS.sub("", text).strip())
    text = _PHOTO_SENTENCE.sub("; ", text)
    for part in _AUTHOR_SPLIT.split(text):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        role_photo = len(pieces) >= 2 and bool(_PHOTO_ROLE.match(pieces[-1].strip(" .")))
        if role_photo:
            pieces = pieces[:-1]
        if (len(pieces) == 2 and all(len(p.split()) == 1 for p in pieces)
                and all(p[:1].isupper() for p in pieces)
                and not any(wire_agency(p) for p in pieces)):
            pieces = [f"{pieces[0]}, {pieces[1]}"]  # "Lima, Ana": one name, surname first
        photo = role_photo or bool(_PHOTO_PREFIX.match(part))
        for i, piece in enumerate(pieces):
            piece = _BY_PREFIX.sub("", piece).strip(" :-–—")
            piece = piece if _SUFFIX_DOT.search(piece) else piece.strip(" .")
            if _PHOTO_PREFIX.match(piece) or _PHOTO_NOTE.search(piece):
                photo, piece = True, _PHOTO_NOTE.sub("", _PHOTO_PREFIX.sub("", piece))
            note = _PAREN_NOTE.search(piece)
            if note and note.start() and (noted := wire_agency(note.group(1))):  # "Ana Lima (Reuters)"
                people.add(Byline([], [noted]))
                piece = piece[:note.start()]
            agencies = [wire_agency(a) for a in piece.split("/")] if "/" in piece else []
            if agencies and all(agencies):  # "dpa/AFP"
                people.add(Byline([], [a for a in agencies if a]))
                continue
            if len(agencies) == 2 and agencies[1]:  # "Ben Ruiz/AP": a name, then the agency
                if not photo:  # a photo agency is no wire credit of the story
                    people.add(Byline([], [agencies[1]]))
                piece = piece.split("/")[0].strip()
            agency = wire_agency(piece)
            if agency is None:
                piece, agency = _split_trailing_agency(piece)
                if agency:
                    people.add(Byline([], [agency]))
                    agency = None if piece else agency
            if agency:
                people.add(Byline([], [agency]))
            elif i > 0 and len(piece.split()) == 1 and len(pieces[0].split()) > 1:
                continue  # "Ana Lima, Washington": a place or role after the name
            elif (name := person_name(piece, publisher)) is not None:
                people.add(Byline([], [], [name]) if photo else Byline([name]))
    return people


_AGENCY_SUFFIXES = sorted(WIRE_AGENCIES, key=len, reverse=True)


def _split_trailing_agency(piece: str) -> tuple[str, str | None]:
    """``("Ashok Sharma", "Associated Press")`` for "Ashok Sharma Associated Press": an agency
    glued after a name of two words or more (no comma)."""
    folded = piece.casefold()
    for key in _AGENCY_SUFFIXES:
        if folded.endswith(" " + key):
            name = piece[: len(piece) - len(key)].strip(" ,-–—/")
            if len(name.split()) >= 2:
                return name, WIRE_AGENCIES[key]
    return piece, None


def parse_authors(values: Iterable[object] | str | None, publisher: str | None = None) -> Byline:
    """People and agencies in an author field: a byline string, or a list of strings and
    objects with a ``name`` (an object of ``@type``/``type`` Organization counts as an agency
    when it is one, and is never a person)."""
    out = Byline()
    if values is None:
        return out
    for value in [values] if isinstance(values, str) else values:
        if isinstance(value, dict):
            kind = str(value.get("@type") or value.get("type") or "")
            value = value.get("name")
            if "Organization" in kind:
                agency = wire_agency(value) if isinstance(value, str) else None
                out.add(Byline([], [agency] if agency else []))
                continue
        if isinstance(value, str):
            out.add(parse_byline(value, publisher))
    return out


def person_name(name: str, publisher: str | None = None) -> str | None:
    """``name`` when it looks like a person's name, else None (URL, e-mail, handle, login,
    domain, newsroom label, the publisher). An affiliation after a full stop ("Ana Lima.
    Courier International") is cut off; initials ("Sarah E. Needleman") are kept."""
    name = re.sub(r"\s*\((?:[^()]*)\)\s*$", "", name).strip(" ,:;-–—")
    name = name if _SUFFIX_DOT.search(name) else name.strip(" .")
    name = _AFFILIATION.split(name, maxsplit=1)[0]
    lowered = name.casefold()
    site = (publisher or "").casefold()
    if (not name or not _HAS_LETTER.search(name) or len(name) > 80 or len(name.split()) > 6
            or "://" in name or lowered.startswith("www.") or "/" in name
            or "@" in name or any(ch.isdigit() for ch in name) or _DOMAIN.search(name)
            or _LOGIN.match(name) or _ROLE_WORDS.search(name)
            or (" " not in name and name.isupper())  # one word in capitals: an acronym ("KWCH")
            or (site and (lowered == site or re.match(re.escape(lowered) + r"\W", site)))):
        return None
    return name_case(name)


# Name particles written in lower case inside a name ("Juan de la Cruz", "van der Berg").
_PARTICLES = frozenset({"de", "da", "das", "do", "dos", "di", "del", "della", "der", "den", "van",
                        "von", "du", "des", "la", "le", "ter", "ten", "zu", "bin", "ibn", "y"})
_SUFFIX_DOT = re.compile(r"\s(?:jr|sr)\.$", re.IGNORECASE)  # "John Smith Jr." keeps its full stop
_ROMAN = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|X)$")
_MAC = re.compile(r"^(Mc|Mac(?=[dglnq]))(\w)(.*)$", re.IGNORECASE)


def name_case(name: str) -> str:
    """``name`` capitalised as a person's name when it is written in capitals ("ASHOK
    SHARMA" → "Ashok Sharma"; particles "de", "van", "von"... in lower case inside the name;
    "McDonald", "MacDonald", "O'Neil", "Jean-Pierre", "Jr.", "III"); any other name as given."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2 or any(c.islower() for c in letters):
        return name
    words = name.split()
    out = []
    for i, word in enumerate(words):
        if _ROMAN.match(word) and i > 0:
            out.append(word)
        elif i > 0 and word.lower() in _PARTICLES and i < len(words) - 1:
            out.append(word.lower())
        else:
            out.append("-".join(_word_case(part) for part in word.split("-")))
    return " ".join(out)


def _word_case(word: str) -> str:
    if len(word) > 2 and word[1] in "'’" and word[0].isalpha():  # O'Neil, D'Alessandro
        return word[0].upper() + word[1] + _word_case(word[2:])
    cased = word[:1].upper() + word[1:].lower()
    m = _MAC.match(cased)
    if m and len(m.group(3)) >= 2:
        return m.group(1).capitalize() + m.group(2).upper() + m.group(3)
    return cased


@dataclass(frozen=True, slots=True)
class Party:
    """A creator or contributor as NewsML-G2/NITF list them: a name, its role QCode or URI
    ("crol:photographer"), and ``kind`` "person"/"organisation" where the source says so."""

    name: str
    role: str = ""
    kind: str = ""


@dataclass(slots=True)
class Parties:
    """The authors among parties, and the credits of the others."""

    authors: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)


_CREDIT_ROLES = (("photo", "photo"), ("camera", "photo"), ("video", "photo"), ("edit", "editor"),
                 ("translat", "translator"))


def _credit_role(role: str) -> str | None:
    code = role.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower()
    return next((credit for key, credit in _CREDIT_ROLES if key in code), None)


def sort_parties(creators: Iterable[Party], contributors: Iterable[Party] = ()) -> Parties:
    """Authors and credits of an item's creators and contributors, by their roles: a creator
    who is a person with no role or a writing role is an author; photographers, editors and
    translators are credited as such; an organisation is a ``wire`` credit when it is a wire
    agency, else a ``contributor`` credit; a contributor is never an author. Login names,
    e-mail addresses and newsroom labels are neither (see :func:`person_name`); names in
    capitals are capitalised."""
    out = Parties()
    seen: set[tuple[str, str]] = set()

    def credit(role: str, name: str) -> None:
        if (role, name.casefold()) not in seen:
            seen.add((role, name.casefold()))
            out.credits.append(Credit(role, name))

    for is_creator, parties in ((True, creators), (False, contributors)):
        for party in parties:
            raw = normalize(party.name).strip()
            agency = wire_agency(raw)
            if agency or party.kind == "organisation" or (
                    party.kind != "person" and _ORGANISATION.search(raw)):
                if raw and not _LOGIN.match(raw):
                    credit("wire" if agency else "contributor", agency or raw)
                continue
            name = person_name(raw)
            if name is None:
                continue
            role = _credit_role(party.role)
            if role:
                credit(role, name)
            elif is_creator:
                if name.casefold() not in {a.casefold() for a in out.authors}:
                    out.authors.append(name)
            else:
                credit("contributor", name)
    return out
