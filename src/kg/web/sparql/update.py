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
import hashlib
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import Request

from kg.errors import InputError
from kg.ingest import Batch, load_batches
from kg.namespaces import GRAPH
from kg.settings import Settings
from kg.web.sparql.errors import ForbiddenError, PayloadTooLargeError
from kg.web.sparql.lexer import Token, analyse, emit, tokens, unescape
from kg.web.sparql.protocol import ProtocolRequest
from kg.web.sparql.snapshot import apply_plan
from kg.web.sparql.update_plan import plan

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


#: Graphs only ``kg build`` writes: load records, SHACL shapes, the ontology.
PROTECTED_GRAPHS = frozenset(f"{GRAPH}{name}" for name in ("provenance", "shapes", "ontology"))


@dataclass(frozen=True)
class DataOperation:
    """One ``INSERT DATA`` or ``DELETE DATA`` operation: its kind and the quads it names."""

    kind: str  # "insert" or "delete"
    quads: list[ox.Quad]


def parse_update(update: str) -> list[DataOperation]:
    """The data operations of an update, read without executing it; 400 for anything else.

    >>> ops = parse_update("PREFIX ex: <http://e/> INSERT DATA { GRAPH ex:g { ex:a ex:b 1 } }")
    >>> ops[0].kind, str(ops[0].quads[0].graph_name)
    ('insert', '<http://e/g>')
    """
    toks = tokens(unescape(update))
    prefixes: dict[str, str] = {}
    base: str | None = None
    operations: list[DataOperation] = []
    index = 0
    while index < len(toks):
        word = toks[index].text.lower()
        if word == "prefix" and index + 2 < len(toks) and toks[index + 1].kind == "pname":
            if toks[index + 2].kind != "iri":
                raise InputError(f"PREFIX {toks[index + 1].text} must be followed by an <IRI>")
            prefixes[toks[index + 1].text[:-1]] = _resolve(toks[index + 2].text[1:-1], base)
            index += 3
        elif word == "base" and index + 1 < len(toks) and toks[index + 1].kind == "iri":
            base = _resolve(toks[index + 1].text[1:-1], base)
            index += 2
        elif (
            word in ("insert", "delete") and index + 1 < len(toks) and _is(toks[index + 1], "data")
        ):
            end = _block_end(toks, index + 2)
            quads = _quads(toks[index + 3 : end], prefixes, base, word)
            operations.append(DataOperation(word, quads))
            index = end + 1
            if index < len(toks):
                if toks[index].text != ";":
                    raise InputError(
                        f"expected ';' between update operations, found {toks[index].text!r}"
                    )
                index += 1
        else:
            following = toks[index + 1].text if index + 1 < len(toks) else ""
            raise InputError(
                f"only INSERT DATA and DELETE DATA updates are accepted here, not "
                f"{toks[index].text} {following}".rstrip()
                + "; load larger changes with `kg load` while the server is stopped"
            )
    if not operations:
        raise InputError("the update has no INSERT DATA or DELETE DATA operation")
    return operations


def _is(tok: Token, word: str) -> bool:
    return tok.kind == "word" and tok.text.lower() == word


def _resolve(iri: str, base: str | None) -> str:
    """``iri`` resolved against ``base`` (pyoxigraph's own IRI resolution, through its parser)."""
    if base is None:
        return iri
    quad = next(ox.parse(f"<{iri}> <{iri}> <{iri}> .", format=ox.RdfFormat.TURTLE, base_iri=base))
    return str(quad.subject.value)


def _block_end(toks: list[Token], start: int) -> int:
    """The index of the ``}`` closing the data block whose ``{`` is at ``start``."""
    if start >= len(toks) or toks[start].text != "{":
        raise InputError("INSERT DATA and DELETE DATA must be followed by a block { ... }")
    depth = 0
    for index in range(start, len(toks)):
        if toks[index].kind != "punct":
            continue
        if toks[index].text == "{":
            depth += 1
        elif toks[index].text == "}":
            depth -= 1
            if depth == 0:
                return index
    raise InputError("a data block of the update is not closed: a '}' is missing")


def _check_graph_blocks(block: list[Token], kind: str) -> None:
    """Refuse a data block with anything but ``GRAPH <g> { ... }`` groups at its top level."""
    index = 0
    while index < len(block):
        tok = block[index]
        if tok.text == ".":
            index += 1
            continue
        named = (
            _is(tok, "graph")
            and index + 2 < len(block)
            and block[index + 1].kind in ("iri", "pname")
            and block[index + 2].text == "{"
        )
        if not named:
            raise InputError(
                f"the {kind.upper()} DATA block writes to the default graph (at {tok.text!r}); "
                "put every triple inside GRAPH <...> { } so that it has a named graph"
            )
        index = _block_end(block, index + 2) + 1


def _quads(
    block: list[Token], prefixes: dict[str, str], base: str | None, kind: str
) -> list[ox.Quad]:
    """The quads of one data block, parsed as TriG; default-graph and protected graphs refused."""
    _check_graph_blocks(block, kind)
    prologue = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items())
    try:
        quads = list(
            ox.parse((prologue + emit(block)).encode(), format=ox.RdfFormat.TRIG, base_iri=base)
        )
    except SyntaxError as exc:
        raise InputError(f"the {kind.upper()} DATA block cannot be applied: {exc}") from exc
    for quad in quads:
        where = f"{quad.subject} {quad.predicate} {quad.object}"
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise InputError(
                f"the update writes {where} to the default graph; put every triple inside "
                "GRAPH <...> { } so that it has a named graph"
            )
        if quad.graph_name.value in PROTECTED_GRAPHS:
            raise ForbiddenError(
                f"the update writes to {quad.graph_name}, which changes only through `kg build`"
            )
        if kind == "delete" and (
            isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)
        ):
            raise InputError(
                f"DELETE DATA cannot be applied to {where}: it may not contain blank nodes"
            )
    return quads


def graph_batch(graph: str, quads: Iterable[ox.Quad | ox.Triple], source: str) -> Batch:
    """A batch replacing ``graph`` with the triples of ``quads``: the one place the update and
    Graph Store paths build batches (N-Quads bytes until ``Batch`` carries quads)."""
    target = ox.NamedNode(graph)
    data = (
        ox.serialize(
            (ox.Quad(q.subject, q.predicate, q.object, target) for q in quads),
            format=ox.RdfFormat.N_QUADS,
        )
        or b""
    )
    return Batch(
        graph=graph,
        data=data,
        format=ox.RdfFormat.N_QUADS,
        source_name=f"{source}:{graph}",
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _batches(scratch: ox.Store, graphs: set[ox.NamedNode]) -> list[Batch]:
    """One batch per touched graph holding that graph's content after the update."""
    return [
        graph_batch(g.value, scratch.quads_for_pattern(None, None, None, g), "sparql-update")
        for g in sorted(graphs, key=str)
    ]


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
        operations = parse_update(parsed.update)
        return await asyncio.to_thread(_apply, store, settings, operations)
    bounds = plan(parsed.update, parsed.default_graphs, parsed.named_graphs)
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
