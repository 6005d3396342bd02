"""Programmes and territories: what a text names without a collectivity behind it.

- A programme is introduced by its kind: "le programme « Tandems solidaires »", "du programme
  Interreg", "le dispositif X"; its IRI is minted from its name (no register of programmes).
- A French territory is a département or a région named as an area, after "dans le/la/l'" or
  "en" ("dans le Jura", "en Bourgogne-Franche-Comté"): the area the collectivity governs, so it
  takes the collectivity's IRI in the territory namespace.
- "le territoire", "du territoire", "notre territoire" with no name after it is, in a
  collectivity's own text, the area its publisher governs ("L'attractivité du territoire se
  confirme…"): the publisher must be a French collectivity the text names at least twice (a
  press release names itself again and again; a programme listing several collectivities has no
  publisher), and "aménagement du territoire" (the policy, a sector) is not a mention of it.
- A territory of its own is a name set in apposition to a noun of area ("l'Arc jurassien, un
  bassin de vie partagé…", "le Grand Genève, une agglomération transfrontalière"), minted from its
  name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.link import Link
from kg.extract.model import Context, Fact, extractor
from kg.extract.rules.entities import _taken, entity_fact
from kg.extract.rules.names import NAME, trim_name
from kg.iris import slugify
from kg.namespaces import ID

_PROGRAMME = re.compile(
    rf"\b(?:[Pp]rogrammes?|[Dd]ispositif)\s+(?:[«“\"]\s*(?P<quoted>[^»”\"\n]{{2,60}}?)\s*[»”\"]"
    rf"|(?P<name>{NAME}))"
)
_AREA = re.compile(rf"\b(?:dans\s+(?:le|la|les|l['\u2019])|en)\s*(?P<name>{NAME})")
#: "l'Arc jurassien, un bassin de vie": a name (capitalised, perhaps with one adjective) in
#: apposition to a noun of area.
_APPOSED = re.compile(
    r"\b(?:l['\u2019]|le\s+|la\s+)"
    r"(?P<name>[A-ZÀ-Þ][\w\u2019'-]+(?:\s+[A-ZÀ-Þ][\w\u2019'-]+)*(?:\s+[a-zà-ÿ][\w-]+)?),\s+"
    r"(?:un|une)\s+(?:bassin|territoire|zone|espace|aire|agglomération|région|massif)\b"
)


@extractor("entity", "programme-named")
def programmes(ctx: Context) -> Iterator[Fact]:
    """ "le programme « Tandems solidaires »", "du programme Interreg"."""
    for m in _PROGRAMME.finditer(ctx.text):
        group = "quoted" if m.group("quoted") else "name"
        name = m.group(group).strip() if group == "quoted" else trim_name(m.group("name"))
        start, end = m.start(), m.start(group) + len(name) + (1 if group == "quoted" else 0)
        if len(name) < 3 or _taken(ctx, m.start(group), m.start(group) + len(name)):
            continue
        link = Link(f"{ID}programme/{slugify(name)}", "programme", name, 0.6, "minted-from-text")
        yield entity_fact(ctx, "programme-named", start, end, link)


_OWN_TERRITORY = re.compile(
    r"\b(?P<lead>(?:am[ée]nagement|l['\u2019]am[ée]nagement)\s+)?"
    r"(?:le|du|notre|au|sur\s+le)\s+(?P<name>territoire)\b(?!\s+(?:de|du|des|d['\u2019])\s*)"
    r"(?!\s+[A-ZÀ-Þ])"
)
#: How often a French collectivity must be named to be taken as the text's publisher here.
_PUBLISHER_MENTIONS = 2


@extractor("entity", "territory-of-publisher")
def publisher_territory(ctx: Context) -> Iterator[Fact]:
    """ "l'attractivité du territoire": the area the publishing collectivity governs."""
    publisher = ctx.publisher()
    if publisher is None:
        return
    if sum(m.link.iri == publisher.link.iri for m in ctx.entities) < _PUBLISHER_MENTIONS:
        return
    iri = publisher.link.iri.replace(f"{ID}collectivity/", f"{ID}territory/")
    name = publisher.link.label.removeprefix("Région ")
    link = Link(iri, "territory", name, 0.6, "publisher-territory")
    for m in _OWN_TERRITORY.finditer(ctx.text):
        if m.group("lead") or _taken(ctx, m.start("name"), m.end("name")):
            continue
        yield entity_fact(ctx, "territory-of-publisher", m.start("name"), m.end("name"), link)


@extractor("entity", "territory-named")
def territories(ctx: Context) -> Iterator[Fact]:
    """ "dans le Jura", "en Bourgogne-Franche-Comté"; "l'Arc jurassien, un bassin de vie"."""
    for m in _AREA.finditer(ctx.text):
        name = trim_name(m.group("name"))
        end = m.start("name") + len(name)
        if _taken(ctx, m.start("name"), end):
            continue
        found = ctx.linker.departement(name) or ctx.linker.region(name)
        if found is not None:
            iri = found.iri.replace(f"{ID}collectivity/", f"{ID}territory/")
            link = Link(iri, "territory", name, 0.8, found.method)
            yield entity_fact(ctx, "territory-named", m.start("name"), end, link)
    for m in _APPOSED.finditer(ctx.text):
        name = m.group("name")
        end = m.start("name") + len(name)
        if _taken(ctx, m.start("name"), end) or ctx.linker.country(name) is not None:
            continue
        link = Link(f"{ID}territory/{slugify(name)}", "territory", name, 0.5, "minted-from-text")
        yield entity_fact(ctx, "territory-apposed", m.start("name"), end, link)
