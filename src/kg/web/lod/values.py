"""RDF terms as things a page shows: literals written for people (dates, numbers), IRIs as labelled
links to their local page, or to the outside world for external IRIs."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kg.web.lod.dates import DATE_TYPES, format_date
from kg.web.lod.labels import Labeller
from kg.web.lod.links import linkable, local_path, with_lang
from kg.web.lod.vocab import XSD

NUMERIC = {
    XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")
}


@dataclass
class Value:
    """One shown value: text, optional link (local or external), language, footnoted sources, and
    a note telling homonyms apart ("commune, 75")."""

    text: str
    href: str | None = None
    external: bool = False
    lang: str | None = None
    raw: str = ""
    sources: list[int] = field(default_factory=list)
    note: str = ""


def format_number(value: str, lang: str) -> str:
    """A number with thousands separators ("21 700 000 000" in French, "21,700,000,000" in English).

    >>> format_number("21700000000.0", "fr"), format_number("1234.5", "en"), format_number("x", "en")
    ('21\\u202f700\\u202f000\\u202f000', '1,234.5', 'x')
    """
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if number == number.to_integral_value():
        text = f"{int(number):,}"
    else:
        text = f"{number.normalize():,f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


class ValueMaker:
    """Turns terms into :class:`Value` for one page (one language, one IRI base)."""

    def __init__(self, labeller: Labeller, base: str, lang_param: str | None) -> None:
        self.labeller = labeller
        self.base = base
        self.lang_param = lang_param
        self._hrefs: dict[str, tuple[str | None, bool]] = {}  # a page links the same IRIs often

    @property
    def lang(self) -> str:
        return self.labeller.lang

    def href(self, iri: str) -> tuple[str | None, bool]:
        """Local path (keeping the chosen language), the external http(s) IRI itself, or no link
        at all for any other scheme (``javascript:``, ``data:``: shown as text)."""
        found = self._hrefs.get(iri)
        if found is None:
            path = local_path(iri, self.base)
            if path is None:
                found = (iri, True) if linkable(iri) else (None, False)
            else:
                found = (with_lang(path, self.lang_param), False)
            self._hrefs[iri] = found
        return found

    def iri(self, iri: str) -> Value:
        href, external = self.href(iri)
        return Value(self.labeller(iri), href, external, raw=iri)

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Value:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal):
            return self.literal(term)
        return Value(str(term), raw=str(term))

    def literal(self, lit: ox.Literal) -> Value:
        datatype = lit.datatype.value
        text = lit.value
        if datatype in DATE_TYPES:
            text = format_date(lit.value, self.lang)
        elif datatype in NUMERIC:
            text = format_number(lit.value, self.lang)
        elif datatype == XSD + "boolean":
            text = {"true": "oui" if self.lang == "fr" else "yes"}.get(
                lit.value, "non" if self.lang == "fr" else "no"
            )
        return Value(text, lang=lit.language, raw=lit.value)
