"""The answer for an IRI under the base: its HTML page or its RDF, in the negotiated or named format.

Built from the request alone (path, query parameters, Accept headers), the store and the named
queries, so that the server or a query worker (:mod:`kg.web.lod.page_job`) builds the same bytes.
"""

from __future__ import annotations

import json
from itertools import islice
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from kg.queries import QueryLibrary
from kg.web.errors import error_response
from kg.web.lod.describe import describe
from kg.web.lod.labels import Labeller, fallback
from kg.web.lod.links import checked_iri, iri_of, with_lang
from kg.web.lod.pages import build_page, t
from kg.web.lod.render import languages, render
from kg.web.lod.responses import (
    OFFERED,
    alternates,
    negotiation_headers,
    rdf_response,
    split_extension,
)
from kg.web.lod.serialize import to_jsonld
from kg.web.lod.termdoc import kind_of, ontology_tables, shapes_for, uses
from kg.web.lod.values import ValueMaker
from kg.web.lod.vocab import TYPE
from kg.web.negotiation import HTML, choose

KIND_LABELS = {
    "ontology": ("ontologie", "ontology", None),
    "class": ("classe", "class", ("instances", "instances")),
    "property": ("propriété", "property", ("triplets qui l'utilisent", "triples using it")),
    "scheme": ("schéma de concepts SKOS", "SKOS concept scheme", None),
    "concept": (
        "concept SKOS",
        "SKOS concept",
        ("ressources qui l'utilisent", "resources using it"),
    ),
    "graph": ("graphe nommé", "named graph", ("triplets", "triples")),
}


def more_url(request: Request, iri: str) -> str:
    """Absolute URL of the paged incoming links of ``iri`` on this server."""
    return f"{str(request.base_url).rstrip('/')}/incoming?iri={quote(iri, safe='')}"


def page_number(request: Request, name: str) -> int | Response:
    """The page number of the ``name`` query parameter (1 when absent), or a 400 naming it."""
    raw = request.query_params.get(name)
    if raw is None:
        return 1
    if not raw.isdigit() or int(raw) < 1:
        return error_response(400, f"the parameter {name}={raw!r} must be a page number from 1")
    return int(raw)


def resolve(request: Request, store: ox.Store, base: str, queries: QueryLibrary) -> Response:
    """Answer for the IRI the request path stands for, in the negotiated or named format."""
    raw_path = request.scope["path"]
    path, explicit = split_extension(raw_path)
    iri = checked_iri(iri_of(path, base)).value
    partners_page = page_number(request, "partners")
    if isinstance(partners_page, Response):
        return partners_page
    desc = describe(store, iri, queries=queries)
    is_graph = path.startswith("/graph/") and store.contains_named_graph(ox.NamedNode(iri))
    if explicit is not None and not desc.exists and not is_graph:
        whole = describe(
            store, checked_iri(iri_of(raw_path, base)).value, queries=queries
        )  # an IRI may end in ".ttl" itself
        if whole.exists:
            path, explicit, iri, desc = raw_path, None, whole.iri, whole
    fmt = explicit or choose(request.headers.get("accept"), OFFERED)
    if fmt is None:
        offered = ", ".join(f.media_type for f in OFFERED)
        return error_response(
            406, f"no acceptable representation; this resource is offered as {offered}"
        )
    if not desc.exists and not is_graph:
        if fmt is HTML:
            lang, _ = languages(request)
            suggestion = fallback(iri).replace("-", " ")
            return render(request, "not_found.html", {"iri": iri, "suggestion": suggestion}, 404)
        return error_response(
            404, f"the graph says nothing about <{iri}>; search for it at /search?q="
        )
    headers = negotiation_headers(path, fmt, negotiated=explicit is None)
    more = more_url(request, iri) if desc.incoming_more else None
    if fmt is not HTML:
        return rdf_response(desc, fmt, headers, more)
    lang, lang_param = languages(request)
    labeller = Labeller(store, lang)
    labeller.learn(desc.context)  # the labels of linked IRIs were read with the description
    maker = ValueMaker(labeller, base, lang_param)
    page = build_page(
        store,
        desc,
        maker,
        with_lang("/incoming", lang_param, iri=iri),
        queries,
        partners_page,
        lambda n: with_lang(path, lang_param, partners=n),
    )
    types = {
        q.object.value
        for q in desc.own
        if q.predicate == TYPE and isinstance(q.object, ox.NamedNode)
    }
    kind = "graph" if is_graph else kind_of(types)
    doc = None
    if kind is not None:
        fr, en, uses_names = KIND_LABELS[kind]
        count = None
        if kind == "graph":
            count = sum(
                1
                for _ in islice(
                    store.quads_for_pattern(None, None, None, ox.NamedNode(iri)), 10_000_000
                )
            )
        elif uses_names:
            count = uses(store, iri, kind)
        doc = {
            "kind_label": t(lang, fr, en),
            "uses": f"{count:,}".replace(",", "\u202f") if count is not None else None,
            "uses_label": t(lang, *uses_names) if uses_names else "",
            "shapes": shapes_for(store, iri, kind, maker),
        }
        page.tables.extend(ontology_tables(store, iri, maker))
    jsonld = to_jsonld(desc.triples(more))
    return render(
        request,
        "resource.html",
        {
            "page": page,
            "doc": doc,
            "alternates": alternates(path),
            "jsonld": json.dumps(jsonld, ensure_ascii=False).replace("</", "<\\/"),
        },
        headers=headers,
    )
