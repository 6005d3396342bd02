"""Figures: a number with its scale and unit ("21,7 milliards d'euros", "430 entreprises",
"12 %", "plus de 140 participants", "40 ans"), the qualifier before it ("plus de", "près de"),
the year of the sentence ("en 2024"), the indicator of the indicator scheme the sentence names, and
as subject the collectivity the sentence names (else the document's first collectivity, since
"la Région" refers back to it). Dates, years, ordinals and article numbers are not figures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.extract.model import Context, Fact, Value, extractor

KGC = "https://w3id.org/kgci/def/"
SDMX_M = "http://purl.org/linked-data/sdmx/2009/measure#"
SDMX_A = "http://purl.org/linked-data/sdmx/2009/attribute#"
SDMX_D = "http://purl.org/linked-data/sdmx/2009/dimension#"
XSD = "http://www.w3.org/2001/XMLSchema#"

FIGURE = re.compile(
    r"(?P<qual>\b(?:plus de|près de|environ|quelque|moins de|au moins|pr[èe]s d['\u2019]|plus d['\u2019])\s*)?"
    r"(?<![\w,.])(?P<num>\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
    r"(?:\s*(?P<scale>milliards?|millions?|milliers?|Md|M)\b)?"
    r"\s*(?P<unit>%|€|pour\s?cent\b|(?:d['\u2019]\s*|de\s+)?euros?\b|(?:d['\u2019]\s*|de\s+)?[a-zà-ÿ]{3,}\b)"
)
_SCALE = {
    "milliard": Decimal(10**9),
    "md": Decimal(10**9),
    "million": Decimal(10**6),
    "m": Decimal(10**6),
    "millier": Decimal(1000),
}
_QUALIFIER = {
    "plus": "more-than",
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
_NOT_COUNTED = {"fois", "heures", "h", "min", "dernier", "derniers", "premier", "premiers"}


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


@extractor("observation", "number-with-unit")
def figures(ctx: Context) -> Iterator[Fact]:
    """One observation per number with a unit or a counted noun."""
    collectivities = ctx.mentions_in(0, len(ctx.text), ("collectivity",))
    default_subject = collectivities[0].link.iri if collectivities else None
    for start, end in ctx.sentences():
        sentence = ctx.text[start:end]
        for m in FIGURE.finditer(sentence):
            number, scale, unit_raw = m.group("num"), m.group("scale"), m.group("unit")
            bare = unit_raw.strip().lower()
            if _MONTHS.match(bare) or bare in _NOT_COUNTED:
                continue
            if re.fullmatch(r"(?:19|20)\d\d", number) and not scale:
                continue  # a year
            value = Decimal(re.sub(r"[\u00a0\u202f ]", "", number).replace(",", "."))
            if scale:
                value *= _SCALE[scale.lower().rstrip("s")]
            unit, counted = _unit(unit_raw)
            if counted is not None and (len(counted) < 4 or counted.endswith(("é", "ée"))):
                continue  # "2 au", "3 passé": not a counted noun
            subjects = ctx.mentions_in(start, end, ("collectivity",))
            subject = subjects[0].link.iri if subjects else default_subject
            props: list[tuple[str, Value]] = [
                (SDMX_M + "obsValue", (format(value.normalize(), "f"), XSD + "decimal")),
                (SDMX_A + "unitMeasure", ctx.vocab.concept("unit", unit)),
            ]
            if subject:
                props.append((KGC + "subject", subject))
            qualifier = (m.group("qual") or "").strip().split(" ")[0].lower()
            props.append(
                (
                    KGC + "valueQualifier",
                    ctx.vocab.concept("value-qualifier", _QUALIFIER.get(qualifier, "exact")),
                )
            )
            year = _YEAR.search(sentence)
            if year:
                props.append((SDMX_D + "refPeriod", (year.group(1), XSD + "gYear")))
            indicators = ctx.vocab.find("indicator", sentence)
            if indicators:
                props.append((KGC + "indicator", indicators[0][2].concept))
            quoted = m.group(0).strip()
            label = quoted + (f" ({counted})" if counted else "")
            props.append(("http://www.w3.org/2000/01/rdf-schema#label", (label, "@fr")))
            f_start = start + m.start()
            subject_iri = f"https://w3id.org/kgci/id/observation/{ctx.document_iri.rsplit('/', 1)[-1]}-{f_start}"
            yield Fact(
                "observation",
                "number-with-unit",
                subject_iri,
                ("http://purl.org/linked-data/cube#Observation",),
                label,
                start,
                end,
                0.7 if subject else 0.4,
                props,
            )
