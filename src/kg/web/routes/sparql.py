"""``/sparql`` (SPARQL 1.1 Protocol: query, update, service description) and ``/query`` (the page).

The default graph of a query is the store's own, the merge of the data graphs
(:mod:`kg.store.default_graph`), unless ``default-graph-uri`` names one graph. Queries run in worker processes with a time limit (:mod:`kg.web.worker_pool`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, StreamingResponse

from kg import prefixes as project_prefixes
from kg.errors import InputError
from kg.namespaces import PREFIXES
from kg.queries import QueryLibrary
from kg.settings import Settings
from kg.web import query_examples
from kg.web.deps import QueriesDep, SettingsDep, StoreDep, get_executor, store_changed
from kg.web.negotiation import HTML, RDF_FORMATS, RESULT_FORMATS, choose
from kg.web.sparql.messages import QuerySyntaxError, explain
from kg.web.sparql.protocol import (
    GRAPH_FORMATS,
    PreparedQuery,
    prepare,
)
from kg.web.sparql.service import service_description
from kg.web.sparql.update import run_update, service_base
from kg.web.templating import TEMPLATES
from kg.web.worker import QueryRequest

router = APIRouter()
STREAM_AFTER = 64 * 1024


async def run_query(
    request: Request, settings: Settings, prepared: PreparedQuery, **extra: Any
) -> Response:
    """Run and stream one prepared query; ``extra`` goes into the worker request (substitutions)."""
    parsed, analysis, fmt = prepared.protocol, prepared.analysis, prepared.format
    assert parsed.query is not None
    job = QueryRequest(
        text=analysis.text,
        format=fmt.name,
        max_rows=prepared.max_rows,
        default_graphs=tuple(parsed.default_graphs),
        named_graphs=tuple(parsed.named_graphs),
        prefixes=PREFIXES,
        declared=project_prefixes.ALL,
        base_iri=service_base(settings),
        federated=bool(analysis.services),
        **extra,
    )
    try:
        result = await get_executor(request).run(job, prepared.timeout)
    except QuerySyntaxError as exc:  # said in words about the user's own text
        raise InputError(explain(parsed.query, exc.raw, project_prefixes.ALL)) from None
    truncated = bool(result.header["truncated"])
    headers = {
        "X-KG-Rows": str(result.header["rows"]),
        "X-KG-Truncated": "true" if truncated else "false",
        "Vary": "Accept",
    }
    media_type = fmt.media_type
    if media_type.startswith("text/") or media_type.endswith(("json", "xml")):
        media_type += "; charset=utf-8"
    return await respond(result.body, media_type, headers)


async def respond(body: AsyncIterator[bytes], media_type: str, headers: dict[str, str]) -> Response:
    """A plain response when the body ends within its first 64 KiB, else a streamed one.

    Small answers (most of them) then go out in one write with a Content-Length, and an error
    while they are produced (time limit) still becomes a proper error status.
    """
    first: list[bytes] = []
    size = 0
    iterator = aiter(body)
    try:
        while size < STREAM_AFTER:
            chunk = await anext(iterator)
            first.append(chunk)
            size += len(chunk)
    except StopAsyncIteration:
        return Response(b"".join(first), media_type=media_type, headers=headers)

    async def rest() -> AsyncIterator[bytes]:
        try:
            for chunk in first:
                yield chunk
            async for chunk in iterator:
                yield chunk
        finally:  # client gone mid-stream: let the executor reclaim (or replace) its worker
            close = getattr(iterator, "aclose", None)
            if close is not None:
                await close()

    return StreamingResponse(rest(), media_type=media_type, headers=headers)


@router.get("/sparql", name="sparql", response_model=None, tags=["SPARQL"])
async def sparql_get(
    request: Request, settings: SettingsDep, store: StoreDep, queries: QueriesDep
) -> Response:
    """SPARQL 1.1 Protocol: ``query=`` (results by Accept or ``format=``); without a query, the
    service description (RDF) or the query page (HTML)."""
    return await sparql(request, settings, store, queries)


@router.post("/sparql", name="sparql_post", response_model=None, tags=["SPARQL"])
async def sparql_post(
    request: Request, settings: SettingsDep, store: StoreDep, queries: QueriesDep
) -> Response:
    """SPARQL 1.1 Protocol: a query or an update as a form, or as application/sparql-query or
    application/sparql-update (updates need ``Authorization: Bearer <KG_UPDATE_TOKEN>``)."""
    return await sparql(request, settings, store, queries)


async def sparql(
    request: Request, settings: Settings, store: ox.Store, queries: QueryLibrary
) -> Response:
    """One protocol request: an update, a query, or a description of the service."""
    prepared = await prepare(request, settings)
    if isinstance(prepared, PreparedQuery):
        return await run_query(request, settings, prepared)
    parsed = prepared
    if parsed.update is not None:
        message = await run_update(request, settings, store, parsed)
        store_changed(request)
        return Response(message + "\n", media_type="text/plain; charset=utf-8")
    accept = request.headers.get("accept")
    if parsed.format:
        wants_html = parsed.format.lower() == "html"
    else:
        best = choose(accept, (*RDF_FORMATS, HTML))
        wants_html = best is not None and best.name == "html"
    if wants_html:
        return query_page(request, settings, queries)
    return service_description(request, settings, store, parsed, accept)


@router.get("/query", response_class=HTMLResponse, name="query_page")
async def query(request: Request, settings: SettingsDep, queries: QueriesDep) -> Response:
    """The query page: an editor with the prefixes, the example queries, results as a table."""
    return query_page(request, settings, queries)


def query_page(request: Request, settings: Settings, queries: QueryLibrary) -> Response:
    """Render the query page (no CDN: its script and style are served from /static): the editor
    starts with ``?query=`` (a permalink) or the first user-facing example."""
    prefixes = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items())
    listed = query_examples.examples(queries)
    examples = [
        {"name": e.name, "title": e.title, "description": e.description, "text": e.text}
        for e in listed
    ]
    first = (
        listed[0].text
        if listed
        else prefixes + "\n\nSELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n} LIMIT 20\n"
    )
    return TEMPLATES.TemplateResponse(
        request,
        "query.html",
        {
            "lang": "en",
            "prefixes": prefixes,
            "initial": request.query_params.get("query") or first,
            "from_permalink": bool(request.query_params.get("query")),
            "examples": examples,
            "groups": query_examples.grouped(listed),
            "base_iri": settings.base_iri,
            "timeout": f"{settings.query_timeout:g}",
            "max_rows": settings.max_rows,
            "result_formats": [f.name for f in RESULT_FORMATS],
            "graph_formats": [f.name for f in GRAPH_FORMATS],
        },
    )
