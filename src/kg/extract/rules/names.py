"""Shared regular expressions for the proper names of French administrative prose."""

from __future__ import annotations

import re

_UP = r"[A-ZÀ-ÖØ-Þ]"
_WORD = rf"{_UP}(?:\.|[\w\u2019']*)"
#: Lower-case linking words allowed inside a proper name ("Provence-Alpes-Côte d'Azur", "Pays de la Loire").
_LINK = r"(?:de |du |des |de la |de l['\u2019]|d['\u2019]|sur |le |la |les |l['\u2019])"
#: A proper name: capitalised words, possibly joined by linking words.
#: Press texts often join compound names with an en dash or a non-breaking hyphen
#: (an en dash between "Bourgogne" and "Franche-Comté"); all count as the hyphen.
_DASH = "[-\u2010\u2011\u2013]"
_HYPHEN_LINK = rf"(?:{_DASH}(?:de|du|des|la|le|les|sur|en|et|lès|d['\u2019]))*{_DASH}"
NAME = rf"{_WORD}(?:[ ](?:{_LINK})?{_WORD}|{_HYPHEN_LINK}{_WORD})*"
#: "de", "du", "de la", "de l'", "d'", "des" before a name.
OF = r"(?:de\s+la\s+|de\s+l['\u2019]\s*|du\s+|des\s+|de\s+|d['\u2019]\s*)"

NAME_RE = re.compile(NAME)


def trim_name(name: str) -> str:
    """Drop a trailing linking word or "et ..." a greedy match took ("Dijon et" -> "Dijon")."""
    name = re.split(r"\s+et\s+", name)[0]
    return re.sub(rf"\s+(?:{_LINK.strip('()?:')})$", "", name).strip(" -\u2019'")
