"""Minting of stable, readable IRIs: lower-case ascii slugs under a type prefix."""

from __future__ import annotations

import re
import unicodedata

from kg.namespaces import ID

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters that Unicode decomposition does not reduce to ascii.
_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
    }
)


def slugify(name: str) -> str:
    """Turn a name into the project's slug: ascii, lower-case, words joined by hyphens.

    >>> slugify("Île-de-France")
    'ile-de-france'
    >>> slugify("Généralité de Catalogne")
    'generalite-de-catalogne'
    >>> slugify("  Saint-Barthélemy / L'Île ")
    'saint-barthelemy-l-ile'
    >>> slugify("Schœlcher")
    'schoelcher'
    """
    ascii_name = (
        unicodedata.normalize("NFKD", name.translate(_LIGATURES))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    return _NON_ALNUM.sub("-", ascii_name.lower()).strip("-")


def mint(kind: str, name: str) -> str:
    """Return the IRI of an entity of type ``kind`` named ``name``.

    >>> mint("collectivity", "Île-de-France")
    'https://w3id.org/kgci/id/collectivity/ile-de-france'
    """
    slug = slugify(name)
    if not slug:
        raise ValueError(f"cannot mint an IRI from the empty name {name!r}")
    return f"{ID}{kind}/{slug}"
