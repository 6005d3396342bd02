"""SPARQL Update through the endpoint: off unless ``KG_UPDATE_TOKEN`` is set, and validated like
``kg load``.

Only ``INSERT DATA`` and ``DELETE DATA`` into named graphs are accepted: their effect is known from
the text alone. The touched graphs are copied into a scratch in-memory store, the update is applied
there, and each resulting graph goes to :func:`kg.ingest.load_batches` as a batch replacing that
graph: the same SHACL validation, quarantine, provenance record and single transaction as
``kg load``. The store is untouched when validation fails.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import threading

import pyoxigraph as ox
from fastapi import Request

from kg.errors import InputError
from kg.ingest import Batch, load_batches
from kg.settings import Settings
from kg.web.sparql_errors import ForbiddenError
from kg.web.sparql_lexer import tokens
from kg.web.sparql_protocol import ProtocolRequest, check_text

ALLOWED = ("insert data", "delete data")
_WRITE_LOCK = threading.Lock()


def check_token(request: Request, settings: Settings) -> None:
    """403 unless updates are enabled and the request carries the right Bearer token."""
    if not settings.update_token:
        raise ForbiddenError(
            "this endpoint is read-only: SPARQL Update is disabled (the server has no "
            "KG_UPDATE_TOKEN)"
        )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        token.strip().encode(), settings.update_token.encode()
    ):
        raise ForbiddenError(
            "SPARQL Update needs the header 'Authorization: Bearer <KG_UPDATE_TOKEN>'; "
            "the token is missing or wrong"
        )


def touched_graphs(update: str) -> set[ox.NamedNode]:
    """The graphs an INSERT DATA / DELETE DATA update writes to; default-graph data is refused."""
    # Rewriting each DELETE keyword as INSERT (by token offset, never inside strings or IRIs) and
    # running the result on an empty store shows every quad the update mentions.
    text = update
    for tok in reversed(tokens(update)):
        if tok.kind == "word" and tok.text.lower() == "delete":
            text = text[: tok.offset] + "INSERT" + text[tok.offset + len(tok.text) :]
    scratch = ox.Store()
    try:
        scratch.update(text)
    except SyntaxError as exc:
        raise InputError(f"the update is malformed: {exc}") from exc
    graphs: set[ox.NamedNode] = set()
    for quad in scratch:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise InputError(
                f"the update writes {quad.subject} {quad.predicate} {quad.object} to the default "
                "graph; put every triple inside GRAPH <...> { } so that it has a named graph"
            )
        graphs.add(quad.graph_name)
    return graphs


def _batches(scratch: ox.Store, graphs: set[ox.NamedNode]) -> list[Batch]:
    """One batch per touched graph holding that graph's content after the update."""
    batches = []
    for graph in sorted(graphs, key=str):
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in scratch.quads_for_pattern(None, None, None, graph)
        ]
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        batches.append(
            Batch(
                graph=graph.value,
                data=data,
                format=ox.RdfFormat.N_TRIPLES,
                source_name=f"sparql-update:{graph.value}",
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
    return batches


async def run_update(
    request: Request, settings: Settings, store: ox.Store, parsed: ProtocolRequest
) -> str:
    """Check, validate and apply one update; returns a one-line summary."""
    check_token(request, settings)
    assert parsed.update is not None
    analysis = check_text(parsed.update, settings, kind="update")
    refused = [op for op in analysis.operations if op not in ALLOWED]
    if refused or not analysis.operations:
        raise InputError(
            f"only INSERT DATA and DELETE DATA updates are accepted here, not "
            f"{', '.join(op.upper() for op in refused) or 'this request'}; "
            "load larger changes with `kg load` while the server is stopped"
        )
    return await asyncio.to_thread(_apply, store, settings, parsed.update)


def _apply(store: ox.Store, settings: Settings, update: str) -> str:
    """Compute, validate and write the new content of the touched graphs (one update at a time)."""
    with _WRITE_LOCK:
        graphs = touched_graphs(update)
        scratch = ox.Store()
        for graph in graphs:
            scratch.extend(store.quads_for_pattern(None, None, None, graph))
        try:
            scratch.update(update)
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(f"the update cannot be applied: {exc}") from exc
        report = load_batches(store, settings, _batches(scratch, graphs), progress=False)
        store.flush()
    return (
        f"update applied: {report.triples} triples now in {len(graphs)} graph(s) "
        f"({', '.join(sorted(g.value for g in graphs))})"
    )
