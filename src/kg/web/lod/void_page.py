"""The VoID/DCAT description as a page for people: read back from the very triples the RDF forms
serve (so the page and the Turtle cannot disagree), with the classes and graphs by size, the source
datasets with their licences, and the dumps."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from kg.web.lod import vocab as v
from kg.web.lod.catalogue import Snapshot
from kg.web.lod.links import local_path, with_lang
from kg.web.lod.values import format_number

Node = ox.NamedNode | ox.BlankNode | ox.Literal
LICENCE_NAMES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://www.etalab.gouv.fr/licence-ouverte-open-licence/": "Licence Ouverte / Open Licence",
}


def _index(triples: list[ox.Triple]) -> dict[str, dict[str, list[Node]]]:
    """Subject (IRI or blank-node id) -> property IRI -> objects."""
    out: dict[str, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        if not isinstance(t.object, ox.Triple):
            out[str(t.subject)][t.predicate.value].append(t.object)
    return out


def _text(nodes: list[Node], lang: str) -> str:
    for node in nodes:
        if isinstance(node, ox.Literal) and node.language == lang:
            return node.value
    return nodes[0].value if nodes and not isinstance(nodes[0], ox.BlankNode) else ""


def _int(nodes: list[Node]) -> int:
    return int(nodes[0].value) if nodes and isinstance(nodes[0], ox.Literal) else 0


def _dataset_sources(store: ox.Store, snapshot: Snapshot, lang: str) -> list[dict[str, str]]:
    """The source datasets the data says it is derived from (``dcat:Dataset`` resources)."""
    sources = []
    for quad in store.quads_for_pattern(None, v.TYPE, v.n(v.DCAT + "Dataset"), ox.DefaultGraph()):
        if not isinstance(quad.subject, ox.NamedNode):
            continue
        values: dict[str, str] = {}
        for prop in ("license", "source", "issued"):
            for q in store.quads_for_pattern(
                quad.subject, v.n(v.DCT + prop), None, ox.DefaultGraph()
            ):
                if not isinstance(q.object, ox.Triple):
                    values.setdefault(prop, q.object.value)
        licence = values.get("license", "")
        sources.append(
            {
                "iri": quad.subject.value,
                "title": snapshot.label(quad.subject.value, lang),
                "licence": licence,
                "licence_name": LICENCE_NAMES.get(licence, licence),
                "origin": values.get("source", ""),
                "issued": values.get("issued", ""),
            }
        )
    return sorted(sources, key=lambda s: s["title"].casefold())


def void_view(
    triples: list[ox.Triple],
    dataset: str,
    store: ox.Store,
    snapshot: Snapshot,
    lang: str,
    lang_param: str | None,
    base: str,
) -> dict[str, Any]:
    """What void.html shows, from the VoID triples of ``dataset`` (the ``#dataset`` IRI)."""
    index = _index(triples)
    ds = index[f"<{dataset}>"]

    def href(iri: str) -> str:
        path = local_path(iri, base)
        return with_lang(path, lang_param) if path else iri

    def counted(n: int) -> dict[str, Any]:
        return {"count": n, "count_text": format_number(str(n), lang)}

    classes = []
    for part in ds.get(v.VOID + "classPartition", []):
        p = index[str(part)]
        cls = p[v.VOID + "class"][0].value
        browse = with_lang("/browse", lang_param, **{"class": cls})
        label = snapshot.label(cls, lang)
        classes.append(
            {"iri": cls, "label": label, "browse": browse, **counted(_int(p[v.VOID + "entities"]))}
        )
    graphs = [
        {"iri": s.value, "href": href(s.value), **counted(_int(index[str(s)][v.VOID + "triples"]))}
        for s in ds.get(v.VOID + "subset", [])
    ]
    dumps = []
    for dist in ds.get(v.DCAT + "distribution", []):
        d = index[str(dist)]
        url = d[v.DCAT + "downloadURL"][0].value
        size = _int(d[v.DCAT + "byteSize"])
        dumps.append(
            {
                "url": url,
                "name": url.rsplit("/", 1)[-1],
                "media_type": _text(d[v.DCAT + "mediaType"], lang),
                "size_text": format_number(str(size), lang),
            }
        )
    licence = _text(ds[v.DCT + "license"], lang)
    sources = _dataset_sources(store, snapshot, lang)
    for source in sources:
        source["href"] = href(source["iri"])
    return {
        "title": _text(ds[v.DCT + "title"], lang),
        "description": _text(ds[v.DCT + "description"], lang),
        "licence": licence,
        "licence_name": LICENCE_NAMES.get(licence, licence),
        "modified": _text(ds[v.DCT + "modified"], lang),
        "triples_text": format_number(str(_int(ds[v.VOID + "triples"])), lang),
        "entities_text": format_number(str(_int(ds[v.VOID + "entities"])), lang),
        "endpoint": _text(ds[v.VOID + "sparqlEndpoint"], lang),
        "classes": sorted(classes, key=lambda c: (-c["count"], c["label"].casefold())),
        "graphs": sorted(graphs, key=lambda g: (-g["count"], g["iri"])),
        "dumps": dumps,
        "sources": sources,
    }
