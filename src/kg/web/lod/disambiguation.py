"""What tells homonyms apart wherever a name is shown: the kind of thing (a collectivity's type, else
its class) and where it is ("Paris — commune, 75", "Paris — département, Île-de-France",
"Paris — municipality, US"), read from the store's default graph for one page of names at a time.

French places say where they are by their département's code (or their région's name); foreign ones
by their country's code and, when known, the region they lie in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.namespaces import ID
from kg.web.lod import vocab as v
from kg.web.lod.objects import iris, literals

FRANCE = f"{ID}country/fr"
COUNTRY_PREFIX = f"{ID}country/"

Labeller = Callable[[str], str]


@dataclass(frozen=True)
class Context:
    """The kind and the place of a named thing; either may be unknown."""

    kind: str | None
    where: str | None

    @property
    def text(self) -> str:
        """``kind, where`` (what follows the name after a dash), or empty."""
        return ", ".join(part for part in (self.kind, self.where) if part)


def _objects(store: ox.Store, iri: str, prop: ox.NamedNode) -> list[str]:
    return sorted(iris(store, iri, prop))


def _literal(store: ox.Store, iri: str, prop: ox.NamedNode) -> str | None:
    found = literals(store, iri, prop)
    return found[0].value if found else None


def _country_code(country: str) -> str | None:
    if country.startswith(COUNTRY_PREFIX):
        return country[len(COUNTRY_PREFIX) :].upper() or None
    return None


def _parent_text(store: ox.Store, parent: str, label: Labeller) -> str:
    """A French parent by its département code when it has one (a département, or a single
    collectivity holding a département's powers), else by its name."""
    code = _literal(store, parent, v.INSEE_DEPARTEMENT_CODE)
    return code or label(parent)


def context_of(store: ox.Store, iri: str, label: Labeller, class_label: Labeller) -> Context:
    """Kind and place of ``iri``; ``label`` names a resource, ``class_label`` a class."""
    kinds = [label(t) for t in _objects(store, iri, v.COLLECTIVITY_TYPE)]
    if not kinds:
        kinds = [class_label(c) for c in _objects(store, iri, v.TYPE)]
    kind = ", ".join(dict.fromkeys(k for k in kinds if k)) or None
    parents = _objects(store, iri, v.LOCATED_IN)
    countries = _objects(store, iri, v.COUNTRY)
    foreign = [c for c in countries if c != FRANCE]
    if foreign:
        code = _country_code(foreign[0]) or label(foreign[0])
        region = label(parents[0]) if parents else None
        return Context(kind, f"{code} ({region})" if region else code)
    if parents:
        return Context(kind, _parent_text(store, parents[0], label))
    return Context(kind, None)
