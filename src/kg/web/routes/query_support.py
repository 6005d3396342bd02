"""What the query editor reads besides ``/sparql``: ``/query/vocabulary.json`` (the prefixes, and
the ontology's classes and properties as ``prefix:name`` for completion) and ``POST /labels`` (the
label and the disambiguating kind/place of the IRIs a result shows, from the label index)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kg import prefixes
from kg.errors import InputError
from kg.web.deps import StoreDep
from kg.web.lod.disambiguation import context_of
from kg.web.lod.render import languages
from kg.web.lod.state import CatalogueDep

router = APIRouter()

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL = "http://www.w3.org/2002/07/owl#"
KINDS = {
    f"{OWL}Class": "class",
    "http://www.w3.org/2000/01/rdf-schema#Class": "class",
    f"{OWL}ObjectProperty": "property",
    f"{OWL}DatatypeProperty": "property",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property": "property",
}
#: IRIs one request may ask labels for (a page of results).
MAX_LABELS = 2000


@router.get("/query/vocabulary.json", include_in_schema=False)
def vocabulary(request: Request, store: StoreDep, catalogue: CatalogueDep) -> JSONResponse:
    """Prefixes, and every class and property the ontology declares or the data uses, compacted."""
    lang, _ = languages(request)
    snapshot = catalogue.snapshot(store)
    terms: dict[str, dict[str, str]] = {}
    for declared, kind in KINDS.items():
        for quad in store.quads_for_pattern(
            None, RDF_TYPE, ox.NamedNode(declared), ox.DefaultGraph()
        ):
            if isinstance(quad.subject, ox.NamedNode):
                terms.setdefault(quad.subject.value, {"kind": kind})
    for cls, _ in snapshot.class_counts:
        terms.setdefault(cls, {"kind": "class"})
    out = []
    for iri, info in sorted(terms.items()):
        name = prefixes.compact(iri)
        if name != iri:
            out.append(
                {"name": name, "iri": iri, "kind": info["kind"], "label": snapshot.label(iri, lang)}
            )
    return JSONResponse({"prefixes": prefixes.ALL, "terms": out})


@router.post("/labels", include_in_schema=False)
async def labels(request: Request, store: StoreDep, catalogue: CatalogueDep) -> JSONResponse:
    """``{"iris": [...]}`` -> ``{"labels": {iri: {"label", "context"}}}`` for the labelled ones."""
    try:
        body: Any = await request.json()
    except ValueError:
        raise InputError('the body of POST /labels is not JSON; send {"iris": [...]}') from None
    iris = body.get("iris") if isinstance(body, dict) else None
    if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
        raise InputError('POST /labels needs a JSON object {"iris": [list of IRI strings]}')
    if len(iris) > MAX_LABELS:
        raise InputError(f"POST /labels takes at most {MAX_LABELS} IRIs, not {len(iris)}")
    lang, _ = languages(request)
    snapshot = catalogue.snapshot(store)

    def name(iri: str) -> str:
        return snapshot.label(iri, lang)

    found = {}
    for iri in dict.fromkeys(iris):
        if iri not in snapshot.labels:
            continue
        try:
            ctx = context_of(store, iri, name, lambda c: name(c).lower())
        except ValueError:  # not an IRI pyoxigraph accepts
            continue
        found[iri] = {"label": name(iri), "context": ctx.text}
    return JSONResponse({"labels": found})
