"""SPARQL Update through the endpoint: off unless ``KG_UPDATE_TOKEN`` is set, and validated like
``kg load``.

Only ``INSERT DATA`` and ``DELETE DATA`` into named graphs are accepted, and the update text is never
executed: the strict tokenizer (:mod:`kg.web.sparql.lexer`) delimits a prologue and each data
block, and every block is parsed as TriG data by pyoxigraph's RDF parser (``GRAPH <g> { }`` is TriG
syntax), giving quads and nothing else. The touched graphs are copied into a scratch store, the quads
are added or removed there, and each resulting graph goes to :func:`kg.ingest.load_batches` as a
batch replacing that graph: the same SHACL validation, quarantine, provenance record and single
transaction as ``kg load``. The store is untouched when validation fails. The provenance, shapes
and ontology graphs change only through ``kg build``.
"""

from __future__ import annotations

import asyncio

import pyoxigraph as ox
from fastapi import Request

from kg.ingest import load_batches
from kg.settings import Settings
from kg.web.sparql.errors import ForbiddenError, PayloadTooLargeError
from kg.web.sparql.lexer import analyse
from kg.web.sparql.protocol import ProtocolRequest
from kg.web.sparql.snapshot import apply_plan
from kg.web.sparql.update_data import (
    _WRITE_LOCK,
    PROTECTED_GRAPHS,
    DataOperation,
    _batches,
    graph_batch,
    parse_update,
)
from kg.web.sparql.update_plan import plan
from kg.web.tokens import bearer, matches

__all__ = ["PROTECTED_GRAPHS", "check_token", "graph_batch", "parse_update", "run_update"]


def check_token(request: Request, settings: Settings) -> None:
    """403 unless updates are enabled and the request carries the right Bearer token."""
    if not settings.update_token:
        raise ForbiddenError(
            "this endpoint is read-only: SPARQL Update is disabled (the server has no "
            "KG_UPDATE_TOKEN)"
        )
    if not matches(bearer(request), settings.update_token):
        raise ForbiddenError(
            "SPARQL Update needs the header 'Authorization: Bearer <KG_UPDATE_TOKEN>'; "
            "the token is missing or wrong"
        )


def service_base(settings: Settings) -> str:
    """The base IRI the service defines for relative IRIs (the endpoint's own IRI), as for queries."""
    return f"{settings.base_iri.rstrip('/')}/sparql"


async def run_update(
    request: Request, settings: Settings, store: ox.Store, parsed: ProtocolRequest
) -> str:
    """Check, validate and apply one update; returns a one-line summary."""
    check_token(request, settings)
    assert parsed.update is not None
    if len(parsed.update) > settings.max_query_length:
        raise PayloadTooLargeError(
            f"the update is {len(parsed.update)} characters long; the limit is "
            f"{settings.max_query_length} (KG_MAX_QUERY_LENGTH)"
        )
    kinds = analyse(parsed.update).operations
    if (
        kinds
        and set(kinds) <= {"insert data", "delete data"}
        and not (parsed.default_graphs or parsed.named_graphs)
    ):
        operations = parse_update(parsed.update, service_base(settings))
        return await asyncio.to_thread(_apply, store, settings, operations)
    bounds = plan(parsed.update, parsed.default_graphs, parsed.named_graphs, service_base(settings))
    return await asyncio.to_thread(apply_plan, store, settings, bounds)


def _apply(store: ox.Store, settings: Settings, operations: list[DataOperation]) -> str:
    """Compute, validate and write the new content of the touched graphs (one update at a time)."""
    graphs = {q.graph_name for op in operations for q in op.quads}
    named = {g for g in graphs if isinstance(g, ox.NamedNode)}
    with _WRITE_LOCK:
        scratch = ox.Store()
        for graph in named:
            scratch.extend(store.quads_for_pattern(None, None, None, graph))
        for op in operations:
            for quad in op.quads:
                if op.kind == "insert":
                    scratch.add(quad)
                else:
                    scratch.remove(quad)
        report = load_batches(store, settings, _batches(scratch, named), progress=False)
        store.flush()
    return (
        f"update applied: {report.triples} triples now in {len(named)} graph(s) "
        f"({', '.join(sorted(g.value for g in named))})"
    )
