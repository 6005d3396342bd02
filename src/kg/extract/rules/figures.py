"""Figures: a number with its scale and unit ("21,7 milliards d'euros", "430 entreprises", "48.000
travailleurs", "12 %", "plus de 140 participants", "40 ans", "un milliard", "la première place"),
the qualifier before it ("plus de", "près de", "dépassant"), the year of the sentence ("en 2024"),
the indicator of the indicator scheme the sentence names, and its subject (:mod:`.subjects`).

Ellipsis: a scale without a unit ("un excédent dépassant un milliard") takes the unit of the figure
before it in the sentence. A duration ("depuis 40 ans") measures the partnership the sentence
states, when it states one. Dates, years, ordinals other than ranks and article numbers are not
figures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.extract.model import Context, Fact, Mention, Value, extractor
from kg.extract.rules.subjects import subject_of

KGC = "https://w3id.org/kgci/def/"
SDMX_M = "http://purl.org/linked-data/sdmx/2009/measure#"
SDMX_A = "http://purl.org/linked-data/sdmx/2009/attribute#"
SDMX_D = "http://purl.org/linked-data/sdmx/2009/dimension#"
XSD = "http://www.w3.org/2001/XMLSchema#"

_SCALES = r"milliards?|millions?|milliers?|Md|M"
FIGURE = re.compile(
    r"(?P<qual>\b(?:plus de|près de|environ|quelque|moins de|au moins|pr[èe]s d['\u2019]|"
    r"plus d['\u2019]|dépassant|supérieure? à|au-delà de)\s*)?"
    r"(?<![\w,.])(?P<num>\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?![.,]?\d)"
    rf"|\d+(?:,\d+)?|\b[Uu]n(?=\s+(?:{_SCALES})\b))"
    rf"(?:\s*(?P<scale>{_SCALES})\b)?"
    r"(?:\s*(?P<unit>%|€|pour\s?cent\b|(?:d['\u2019]\s*|de\s+)?euros?\b"
    r"|(?:d['\u2019]\s*|de\s+)?[a-zà-ÿ]{3,}\b))?"
)
#: "la première place", "au 3e rang": a rank (unit rank), the number being the ordinal.
RANK = re.compile(
    r"\b(?P<ord>premi[eè]re?|1(?:re|er)|deuxi[eè]me|seconde?|troisi[eè]me|quatri[eè]me|"
    r"cinqui[eè]me|(?P<digits>\d{1,2})(?:e|ème))\s+(?:place|rang)\b",
    re.I,
)
_ORDINALS = {"premi": 1, "1r": 1, "1e": 1, "deux": 2, "seco": 2, "troi": 3, "quat": 4, "cinq": 5}
_SCALE = {
    "milliard": Decimal(10**9),
    "md": Decimal(10**9),
    "million": Decimal(10**6),
    "m": Decimal(10**6),
    "millier": Decimal(1000),
}
_QUALIFIER = {
    "plus": "more-than",
    "dépassant": "more-than",
    "supérieur": "more-than",
    "supérieure": "more-than",
    "au-delà": "more-than",
    "près": "about",
    "pres": "about",
    "environ": "about",
    "quelque": "about",
    "moins": "less-than",
    "au": "at-least",
}
_YEAR = re.compile(r"\b(?:en|pour|depuis)\s+((?:19|20)\d\d)\b")
_MONTHS = re.compile(
    r"^(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre|au|et|à|h|heures?|er|e|ème|ans?\s+et)$",
    re.I,
)
_TIME_UNITS = {"ans": "year", "an": "year", "années": "year", "année": "year"}
_NOT_COUNTED = {
    *("fois", "heures", "h", "min", "dernier", "derniers", "premier", "premiers"),
    *("pour", "dans", "avec", "par", "sur", "sont", "qui", "dont", "entre", "chez", "vers"),
}


def _unit(raw: str) -> tuple[str, str | None]:
    """(unit notation, counted noun or None)."""
    word = re.sub(r"^(?:d['\u2019]\s*|de\s+)", "", raw.strip().lower())
    if word in {"%", "pour cent", "pourcent"}:
        return "percent", None
    if word in {"€", "euro", "euros"}:
        return "euro", None
    if word in _TIME_UNITS:
        return _TIME_UNITS[word], None
    return "number", word


def _number(text: str) -> Decimal:
    """The value of "48.000", "4 000", "21,7" or "un"."""
    if text.lower() == "un":
        return Decimal(1)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")
    return Decimal(re.sub(r"[\u00a0\u202f ]", "", text).replace(",", "."))


def _found(sentence: str) -> Iterator[tuple[int, int, Decimal, str, str | None, str]]:
    """(start, end, value, unit, counted noun, qualifier word) of each figure of ``sentence``."""
    last_unit: str | None = None
    for m in FIGURE.finditer(sentence):
        number, scale, unit_raw = m.group("num"), m.group("scale"), m.group("unit")
        if unit_raw is not None:
            bare = re.sub(r"^(?:d['\u2019]\s*|de\s+)", "", unit_raw.strip().lower())
            if _MONTHS.match(bare) or bare in _NOT_COUNTED:
                unit_raw = None
        if re.fullmatch(r"(?:19|20)\d\d", number) and not scale:
            continue  # a year
        if unit_raw is None:
            if not scale or last_unit is None:
                continue  # a bare number; "un milliard" with no unit before it to refer to
            unit, counted = last_unit, None  # "dépassant un milliard": the unit said before
        else:
            unit, counted = _unit(unit_raw)
            if counted is not None and (len(counted) < 4 or counted.endswith(("é", "ée"))):
                continue  # "2 au", "3 passé": not a counted noun
        value = _number(number)
        if scale:
            value *= _SCALE[scale.lower().rstrip("s")]
        last_unit = unit
        qualifier = (m.group("qual") or "").strip().split(" ")[0].lower()
        yield m.start(), m.end(), value, unit, counted, qualifier
    for m in RANK.finditer(sentence):
        digits = m.group("digits")
        rank = int(digits) if digits else _ORDINALS.get(m.group("ord").lower()[:5].rstrip("eè"), 0)
        rank = rank or next(
            (v for k, v in _ORDINALS.items() if m.group("ord").lower().startswith(k)), 0
        )
        if rank:
            yield m.start(), m.end(), Decimal(rank), "rank", None, ""


#: How far (characters) an indicator's label may lie from its figure: the counted noun right
#: after the number, or the noun the figure completes just before it ("les exportations ... avec
#: 21,7 milliards").
_INDICATOR_NEAR = 60


def _indicator(ctx: Context, sentence: str, start: int, end: int) -> str | None:
    """The indicator whose label is nearest the figure [start, end) of ``sentence``, within
    :data:`_INDICATOR_NEAR` characters; the label inside or right after the figure first."""
    best: tuple[int, str] | None = None
    for l_start, l_end, term in ctx.vocab.find("indicator", sentence):
        gap = max(0, l_start - end) if l_start >= start else start - l_end
        if gap <= _INDICATOR_NEAR and (best is None or gap < best[0]):
            best = (gap, term.concept)
    return best[1] if best else None


def _subject(
    ctx: Context, start: int, end: int, sentence: tuple[int, int], unit: str
) -> Mention | None:
    """The holder of the figure at [start, end): a duration's partnership, else by the parse."""
    if unit == "year":
        partnerships = ctx.mentions_in(*sentence, ("partnership",))
        if partnerships:
            return partnerships[0]
    return subject_of(ctx, start, end) or ctx.publisher()


@extractor("observation", "number-with-unit")
def figures(ctx: Context) -> Iterator[Fact]:
    """One observation per number with a unit, a counted noun or a rank."""
    for start, end in ctx.sentences():
        sentence = ctx.text[start:end]
        for f_rel, e_rel, value, unit, counted, qualifier in _found(sentence):
            f_start = start + f_rel
            holder = _subject(ctx, f_start, start + e_rel, (start, end), unit)
            props: list[tuple[str, Value]] = [
                (SDMX_M + "obsValue", (format(value.normalize(), "f"), XSD + "decimal")),
                (SDMX_A + "unitMeasure", ctx.vocab.concept("unit", unit)),
            ]
            if holder is not None:
                props.append((KGC + "subject", holder.link.iri))
            props.append(
                (
                    KGC + "valueQualifier",
                    ctx.vocab.concept("value-qualifier", _QUALIFIER.get(qualifier, "exact")),
                )
            )
            year = _YEAR.search(sentence)
            if year:
                props.append((SDMX_D + "refPeriod", (year.group(1), XSD + "gYear")))
            indicator = _indicator(ctx, sentence, f_rel, e_rel)
            if indicator:
                props.append((KGC + "indicator", indicator))
            quoted = sentence[f_rel:e_rel].strip()
            label = quoted + (f" ({counted})" if counted else "")
            props.append(("http://www.w3.org/2000/01/rdf-schema#label", (label, "@fr")))
            document = ctx.document_iri.rsplit("/", 1)[-1]
            yield Fact(
                "observation",
                "number-with-unit",
                f"https://w3id.org/kgci/id/observation/{document}-{f_start}",
                ("http://purl.org/linked-data/cube#Observation",),
                label,
                start,
                end,
                0.7 if holder is not None else 0.4,
                props,
            )
