"""Every prefix of the project in one registry: the vocabularies of :mod:`kg.namespaces`, one prefix
per family of minted IRIs and one per SKOS scheme.

The endpoint pre-declares them (a query's own ``PREFIX`` lines override), ``/prefixes`` lists them and
the service description advertises them. A family gets its own prefix because a SPARQL local name
cannot hold an unescaped ``/``: ``collectivity:ile-de-france`` works where ``id:collectivity/...``
cannot.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.namespaces import GRAPH, ID, PREFIXES, SHAPES, VOCAB

#: The ``<type>`` of ``<base>id/<type>/<slug>`` (see :mod:`kg.namespaces`), one prefix each.
ENTITY_TYPES: tuple[str, ...] = (
    "collectivity",
    "territory",
    "country",
    "place",
    "organisation",
    "person",
    "agreement",
    "partnership",
    "membership",
    "participation",
    "event",
    "programme",
    "action",
    "observation",
    "document",
    "passage",
)

#: The SKOS schemes of ``ontology/vocab/<scheme>.ttl`` (a test checks the list against the files).
SCHEMES: tuple[str, ...] = (
    "agreement-type",
    "collectivity-type",
    "curation-status",
    "event-type",
    "indicator",
    "membership-role",
    "participation-role",
    "sector",
    "status",
    "unit",
    "value-qualifier",
)

#: Standard vocabularies the ontology, the shapes and the service description use beside PREFIXES.
STANDARD: dict[str, str] = {
    "sh": "http://www.w3.org/ns/shacl#",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}


def registry() -> dict[str, str]:
    """Prefix name -> namespace IRI for every prefix of the project, in a stable order."""
    out: dict[str, str] = dict(PREFIXES)
    out.update(STANDARD)
    out["graph"] = str(GRAPH)
    out["kgs"] = str(SHAPES)
    out.update({kind: f"{ID}{kind}/" for kind in ENTITY_TYPES})
    out.update({scheme: f"{VOCAB}{scheme}/" for scheme in SCHEMES})
    return out


#: The registry, computed once.
ALL: dict[str, str] = registry()


def turtle() -> str:
    """The registry as Turtle ``@prefix`` lines (what ``/prefixes`` answers for text/turtle)."""
    width = max(len(name) for name in ALL) + 1
    return "".join(f"@prefix {name + ':':<{width}} <{iri}> .\n" for name, iri in ALL.items())


def sparql_header() -> str:
    """The registry as SPARQL ``PREFIX`` lines (what the query editor starts with)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in ALL.items())


#: Namespaces longest first, so ``collectivity:`` wins over the ``id:`` it lives under.
_BY_LENGTH: tuple[tuple[str, str], ...] = tuple(
    sorted(((iri, name) for name, iri in ALL.items()), key=lambda pair: -len(pair[0]))
)


def compact(
    iri: str,
    namespaces: Iterable[tuple[str, str]] = _BY_LENGTH,
    *,
    local_names_only: bool = True,
) -> str:
    """``iri`` as ``prefix:local`` with the first of ``namespaces`` (``(namespace, prefix)`` pairs,
    by default the registry's, longest first) that fits, or unchanged when none fits or, with
    ``local_names_only``, the rest is not a plain local name (a reader's table may take
    ``id:territory/x``; SPARQL's prefixed names may not).

    >>> compact("https://w3id.org/kgci/id/collectivity/paris-75056")
    'collectivity:paris-75056'
    >>> compact("https://example.org/x")
    'https://example.org/x'
    >>> ids = [("https://w3id.org/kgci/id/", "id")]
    >>> compact("https://w3id.org/kgci/id/territory/x", ids, local_names_only=False)
    'id:territory/x'
    """
    for namespace, name in namespaces:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if not local_names_only or ("/" not in local and "#" not in local):
                return f"{name}:{local}"
    return iri
