"""Routes: dereferencing every IRI under the base (``/id/...``, ``/def``, ``/def/<Term>``,
``/vocab/...``, ``/graph/...``, ``/shapes/...``) in HTML or RDF, and the paged incoming links.

Content negotiation is direct (``Vary: Accept`` + ``Content-Location`` naming the document of the
chosen format); ``<path>.<ext>`` serves one format; every answer lists its alternates in ``Link``.
"""

from __future__ import annotations

from itertools import islice

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from kg.web.deps import QueriesDep, SettingsDep, StoreDep, get_executor
from kg.web.lod.describe import incoming_count, incoming_groups
from kg.web.lod.labels import Labeller
from kg.web.lod.links import checked_iri, with_lang
from kg.web.lod.page_job import page_request, response_of
from kg.web.lod.render import languages, render
from kg.web.lod.values import ValueMaker

router = APIRouter()

INCOMING_PAGE = 100


@router.api_route("/def", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/def.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/def/{rest:path}", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/vocab/{rest:path}", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/id/{rest:path}", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/graph/{rest:path}", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/shapes/{rest:path}", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/shapes", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/shapes.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
async def resource(request: Request, settings: SettingsDep) -> Response:
    """Any IRI under the base: its page, or its RDF in the negotiated or named format, built by
    a query worker (:mod:`kg.web.lod.page_job`) under the query time limit, on the store as the
    last write left it (the workers reopen it after each write, as for queries)."""
    job = page_request(request, settings.base_iri, settings.queries_dir)
    result = await get_executor(request).run(job, settings.query_timeout)
    body = b"".join([chunk async for chunk in result.body])
    return response_of(result.header, body)


@router.api_route("/incoming", methods=["GET", "HEAD"], include_in_schema=False)
def incoming(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    queries: QueriesDep,
    iri: str = Query(..., description="IRI whose incoming links to list"),
    page: int = Query(1, ge=1),
) -> Response:
    """Every resource that links to ``iri``, paged (the resource pages show the first ones): each
    distinct link once, in index order, with the total from one aggregate query."""
    lang, lang_param = languages(request)
    node = checked_iri(iri)
    total = incoming_count(store, queries, node.value)
    pages = max(1, -(-total // INCOMING_PAGE))
    start = (page - 1) * INCOMING_PAGE
    triples = [
        g[0].triple
        for g in islice(incoming_groups(store, node, queries), start, start + INCOMING_PAGE)
    ]
    maker = ValueMaker(Labeller(store, lang), settings.base_iri, lang_param)
    rows = [
        (maker.term(tr.subject), maker.iri(tr.predicate.value))
        for tr in triples
        if isinstance(tr.subject, ox.NamedNode | ox.BlankNode)
    ]
    target = maker.iri(iri)
    return render(
        request,
        "incoming.html",
        {
            "target": target,
            "rows": rows,
            "first": start + 1,
            "last": start + len(triples),
            "total": total,
            "page": page,
            "pages": pages,
            "page_href": lambda n: with_lang("/incoming", lang_param, iri=iri, page=n),
        },
    )
