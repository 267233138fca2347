"""Safe XML for converters: a parser that never expands entities nor touches the network,
and a cheap look at a document's root element for format sniffing.

Every XML converter parses through :func:`parse`: no DTD is loaded, no entity is expanded
(neither external — no file or network access — nor internal, so a billion-laughs input
stays small), libxml2's size limits stay on (``huge_tree=False``), and inputs over the
byte limit are refused before parsing. An entity reference that survives in the tree is
read back only when it names a standard HTML character (``&mdash;`` → "—"), which is what
NITF documents written against their DTD expect; any other reference is dropped.
"""

from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass

from lxml import etree

_PROLOG = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*",
    re.DOTALL | re.IGNORECASE,
)
_START_TAG = re.compile(rb"<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s[^>]*)?)/?>", re.DOTALL)
_XMLNS = re.compile(rb"""\bxmlns(?::([\w.-]+))?\s*=\s*(["'])(.*?)\2""", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Root:
    """A document's root element as seen in its first bytes: prefix, local name, namespace."""

    prefix: str | None
    local: str
    namespace: str | None


def sniff_root(head: bytes) -> Root | None:
    """The root element of the XML document starting with ``head``, or None when ``head``
    does not start (after an XML declaration, comments, processing instructions and a
    DOCTYPE) with a start tag. Only ASCII-compatible encodings are looked at."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        except UnicodeError:  # pragma: no cover - errors="ignore" does not raise
            return None
    prolog = _PROLOG.match(head)
    pos = prolog.end() if prolog else 0
    m = _START_TAG.match(head, pos)
    if m is None:
        return None
    qname = m.group(1).decode("ascii", errors="replace")
    prefix, _, local = qname.rpartition(":")
    namespaces = {
        (ns.group(1) or b"").decode("ascii", errors="replace"):
            ns.group(3).decode("utf-8", errors="replace")
        for ns in _XMLNS.finditer(m.group(2))
    }
    return Root(prefix or None, local, namespaces.get(prefix) or None)


@dataclass(frozen=True, slots=True)
class XmlProblem:
    """Why a document could not be parsed, and where."""

    reason: str
    line: int | None = None


def safe_parser(recover: bool = False) -> etree.XMLParser:
    """An lxml parser that loads no DTD, expands no entity and opens no network connection."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
        dtd_validation=False, remove_pis=True, recover=recover,
    )


def parse(data: bytes, max_bytes: int) -> etree._Element | XmlProblem:
    """The root element of ``data``, or an :class:`XmlProblem` (too large, not well-formed)."""
    if len(data) > max_bytes:
        return XmlProblem(f"XML document of {len(data)} bytes is over the {max_bytes}-byte limit")
    if not data.strip():
        return XmlProblem("empty file (no XML)")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        return XmlProblem(f"not well-formed XML: {exc.msg}", line)
    if root is None:
        return XmlProblem("no root element")
    return root


def local_name(el: etree._Element) -> str | None:
    """Local name of an element (namespace dropped); None for comments, PIs and entities."""
    tag = el.tag
    if not isinstance(tag, str):
        return None
    return tag.rpartition("}")[2]


def entity_text(el: etree._Element) -> str:
    """The character a kept entity reference stands for when it is a standard HTML
    character entity, else ``""`` (document-defined entities are never expanded)."""
    name = el.text.strip("&;") if isinstance(el.text, str) else ""
    return html.entities.html5.get(name + ";", "")


def is_entity(el: etree._Element) -> bool:
    return el.tag is etree.Entity
