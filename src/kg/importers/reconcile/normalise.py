"""Name normalisation for matching: accents, case, hyphens, apostrophes, "St"/"Saint", articles."""

from __future__ import annotations

import math
import re
import unicodedata

# ASCII separators plus hyphen, non-breaking hyphen, en and em dashes, typographic apostrophe, acute.
_SEPARATORS = re.compile("[\\s\\-\u2010\u2011\u2013\u2014'\u2019`\u00b4/.,_]+")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes", "mt": "mont"}
_ARTICLES = {"le", "la", "les", "l"}


def fold(name: str) -> str:
    """Accent-free, lower-case, single-spaced words; abbreviations of Saint expanded.

    >>> fold("St-Étienne-du-Rouvray")
    'saint etienne du rouvray'
    >>> fold("L'Haÿ-les-Roses")
    'l hay les roses'
    """
    ascii_name = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "Oe"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode("ascii").lower()
    words = [w for w in _SEPARATORS.split(ascii_name) if w]
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def without_article(folded: str) -> str:
    """The folded name without a leading French article.

    >>> without_article("le havre")
    'havre'
    """
    words = folded.split(" ")
    if len(words) > 1 and words[0] in _ARTICLES:
        return " ".join(words[1:])
    return folded


def split_qualifier(name: str) -> tuple[str, str]:
    """Separate a name from a parenthesised or comma qualifier.

    >>> split_qualifier("Saint-Denis (Réunion)")
    ('Saint-Denis', 'Réunion')
    >>> split_qualifier("Valence, Drôme")
    ('Valence', 'Drôme')
    """
    match = re.search(r"\(([^)]*)\)", name)
    if match:
        return _PARENTHESIS.sub(" ", name).strip(), match.group(1).strip()
    head, sep, tail = name.partition(",")
    return (head.strip(), tail.strip()) if sep else (name.strip(), "")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(distance_km(48.8566, 2.3522, 47.3220, 5.0415))
    263
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
