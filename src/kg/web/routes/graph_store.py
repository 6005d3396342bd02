"""``/rdf-graph-store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect identification).

A graph is named by ``?graph=IRI``; ``?default`` is the store's default graph, the merge of the
data graphs (:mod:`kg.store.default_graph`), which can be read but not written. GET and HEAD answer
the graph in the RDF format the Accept header prefers. PUT (replace), POST (merge) and DELETE need
the update token (:func:`kg.web.sparql.update.check_token`); the new content of the graph goes to
:func:`kg.ingest.load_batches` as one batch, the entry point of ``kg load``: parsed and checked by
the same reader, validated against the shapes, written in one transaction with its load record, or
quarantined with nothing changed.
"""

from __future__ import annotations

import asyncio

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from kg.errors import InputError, NotFoundError, ValidationFailed
from kg.ingest import Batch, load_batches
from kg.ingest.pipeline import quarantine
from kg.ingest.rdfio import parse_quads, sha256_hex
from kg.namespaces import PREFIXES
from kg.settings import Settings
from kg.web.deps import SettingsDep, StoreDep, store_changed
from kg.web.errors import echo
from kg.web.negotiation import Format, choose, rdf_format
from kg.web.sparql.errors import ForbiddenError, NotAcceptableError, UnsupportedMediaTypeError
from kg.web.sparql.protocol import GRAPH_FORMATS
from kg.web.sparql.update import check_token
from kg.web.sparql.update_data import _WRITE_LOCK, PROTECTED_GRAPHS, graph_batch
from kg.web.sparql.update_plan import DEFAULT_RULE

router = APIRouter()

#: The source name load records and quarantined copies carry for this protocol.
SOURCE = "graph-store"

Target = ox.NamedNode | ox.DefaultGraph


def target_graph(request: Request) -> Target:
    """The graph a request names: ``?graph=<absolute IRI>`` or ``?default``, exactly one of them."""
    params = request.query_params
    graphs = params.getlist("graph")
    has_default = "default" in params
    if has_default == bool(graphs) or len(graphs) > 1:
        raise InputError(
            "name one graph: '?graph=<IRI>' for a named graph, or '?default' for the default graph"
        )
    if has_default:
        return ox.DefaultGraph()
    try:
        node = ox.NamedNode(graphs[0])
    except ValueError:
        raise InputError(
            f"the graph parameter {echo(graphs[0])!r} is not an absolute IRI"
        ) from None
    if ":" not in graphs[0]:
        raise InputError(f"the graph parameter {echo(graphs[0])!r} is not an absolute IRI")
    return node


def exists(store: ox.Store, graph: Target) -> bool:
    """Whether ``graph`` is in the store (the default graph always is)."""
    return isinstance(graph, ox.DefaultGraph) or store.contains_named_graph(graph)


def serialise(store: ox.Store, graph: Target, fmt: Format) -> bytes:
    """The triples of ``graph`` in ``fmt`` (quad formats put them in the default graph)."""
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, graph)
    ]
    items: list[ox.Triple] | list[ox.Quad] = triples
    if fmt.name in ("trig", "nquads"):
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    plain = fmt.name in ("ntriples", "nquads")
    return ox.serialize(items, format=rdf_format(fmt), prefixes=None if plain else PREFIXES) or b""


@router.api_route("/rdf-graph-store", methods=["GET", "HEAD"], name="graph_store", tags=["SPARQL"])
async def graph_get(request: Request, store: StoreDep) -> Response:
    """A graph in every RDF format by Accept (Turtle by default); 404 for a graph not in the store;
    HEAD answers the same headers without the body."""
    graph = target_graph(request)
    accept = request.headers.get("accept")
    fmt = choose(accept, GRAPH_FORMATS)
    if fmt is None:
        raise NotAcceptableError(accept or "", [f.media_type for f in GRAPH_FORMATS])
    if not await asyncio.to_thread(exists, store, graph):
        raise NotFoundError(f"there is no graph {graph} in this store")
    body = await asyncio.to_thread(serialise, store, graph, fmt)
    media_type = fmt.media_type
    if media_type.startswith("text/") or media_type.endswith(("json", "xml")):
        media_type += "; charset=utf-8"
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(b"", media_type=media_type, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def writable(request: Request, settings: Settings) -> ox.NamedNode:
    """The named graph a write request targets, after the token check; the default graph (the
    merge) and the graphs only ``kg build`` writes are refused as updates refuse them."""
    check_token(request, settings)
    graph = target_graph(request)
    if isinstance(graph, ox.DefaultGraph):
        raise InputError(f"{request.method} ?default: {DEFAULT_RULE} with ?graph=<IRI>")
    if graph.value in PROTECTED_GRAPHS:
        raise ForbiddenError(
            f"{graph} changes only through `kg build`, not through the Graph Store"
        )
    return graph


def body_format(request: Request) -> ox.RdfFormat:
    """The RDF format of the request body, from its Content-Type; 415 for anything else."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = next((f for f in GRAPH_FORMATS if media in f.media_types), None)
    if fmt is None:
        raise UnsupportedMediaTypeError(
            f"the body's Content-Type {echo(media or '(none)')!r} is not an RDF format this "
            f"store reads; send one of {', '.join(f.media_type for f in GRAPH_FORMATS)}"
        )
    return rdf_format(fmt)


def read_body(settings: Settings, graph: str, data: bytes, fmt: ox.RdfFormat) -> list[ox.Quad]:
    """The triples of a request body, read by ``kg load``'s reader (file, line and column on a
    syntax error, the input quarantined); relative IRIs resolve against the graph's IRI."""
    source = f"{SOURCE}:{graph}"
    try:
        quads = parse_quads(data, fmt, source, graph, graph)
        strays = [q for q in quads if q.graph_name != ox.NamedNode(graph)]
        if strays:
            raise InputError(
                f"{source}: the body names the graph {strays[0].graph_name}; a Graph Store "
                "request writes the one graph of its ?graph= parameter"
            )
    except InputError as exc:
        batch = Batch(graph, data, fmt, source, sha256_hex(data))
        folder = quarantine(settings, [batch], str(exc))
        raise InputError(f"{exc}; the input is kept in {folder}") from exc
    return quads


def write(
    store: ox.Store, settings: Settings, graph: str, quads: list[ox.Quad], merge: bool
) -> bool:
    """Replace (or, with ``merge``, add to) ``graph`` through the load pipeline; whether the graph
    is new. One write at a time, shared with SPARQL Update."""
    node = ox.NamedNode(graph)
    with _WRITE_LOCK:
        created = not store.contains_named_graph(node)
        content: list[ox.Quad | ox.Triple] = list(quads)
        if merge and not created:
            content += store.quads_for_pattern(None, None, None, node)
        try:
            load_batches(store, settings, [graph_batch(graph, content, SOURCE)], progress=False)
        except ValidationFailed as exc:
            raise ReportedValidationError(exc) from exc
        if not content and not store.contains_named_graph(node):
            store.add_graph(node)  # an empty PUT leaves an empty graph, not none
        store.flush()
    return created


class ReportedValidationError(InputError):
    """A write broke the shapes: the message carries the summary and the report's rows."""

    def __init__(self, failed: ValidationFailed) -> None:
        table = getattr(failed.report, "table", None)
        rows = table() if callable(table) else ""
        super().__init__(f"{failed}\n\n{rows}".rstrip())


async def _write(request: Request, settings: Settings, store: ox.Store, merge: bool) -> Response:
    graph = writable(request, settings)
    fmt = body_format(request)
    data = await request.body()
    quads = await asyncio.to_thread(read_body, settings, graph.value, data, fmt)
    created = await asyncio.to_thread(write, store, settings, graph.value, quads, merge)
    store_changed(request)
    return Response(status_code=201 if created else 204)


@router.put("/rdf-graph-store", name="graph_store_put", tags=["SPARQL"])
async def graph_put(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    """Replace a graph with the body (201 when the graph is new, else 204)."""
    return await _write(request, settings, store, merge=False)


@router.post("/rdf-graph-store", name="graph_store_post", tags=["SPARQL"])
async def graph_post(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    """Merge the body into a graph (201 when the graph is new, else 204)."""
    return await _write(request, settings, store, merge=True)


@router.delete("/rdf-graph-store", name="graph_store_delete", tags=["SPARQL"])
async def graph_delete(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    """Remove a graph (204; 404 when it is not in the store), recorded like a load."""
    graph = writable(request, settings)

    def drop() -> None:
        with _WRITE_LOCK:
            if not store.contains_named_graph(graph):
                raise NotFoundError(f"there is no graph {graph} in this store")
            load_batches(store, settings, [graph_batch(graph.value, [], SOURCE)], progress=False)
            if store.contains_named_graph(graph):
                store.remove_graph(graph)
            store.flush()

    await asyncio.to_thread(drop)
    store_changed(request)
    return Response(status_code=204)
