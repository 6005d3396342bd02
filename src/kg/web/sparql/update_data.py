"""The data side of the update path: INSERT DATA / DELETE DATA blocks parsed as TriG into quads,
the graphs no update may write, and the one function that turns a graph's new content into a
:class:`~kg.ingest.Batch`. Shared by the data-only path (:mod:`kg.web.sparql.update`), the planner
(:mod:`kg.web.sparql.update_plan`) and the snapshot executor (:mod:`kg.web.sparql.snapshot`)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import InputError
from kg.ingest import Batch
from kg.namespaces import GRAPH
from kg.web.sparql.errors import ForbiddenError
from kg.web.sparql.lexer import Token, emit, tokens, unescape

#: One update at a time computes and writes (the snapshot must not move under it).
_WRITE_LOCK = threading.Lock()


#: Graphs only ``kg build`` writes: load records, SHACL shapes, the ontology.
PROTECTED_GRAPHS = frozenset(f"{GRAPH}{name}" for name in ("provenance", "shapes", "ontology"))


@dataclass(frozen=True)
class DataOperation:
    """One ``INSERT DATA`` or ``DELETE DATA`` operation: its kind and the quads it names."""

    kind: str  # "insert" or "delete"
    quads: list[ox.Quad]


def parse_update(update: str, base: str | None = None) -> list[DataOperation]:
    """The data operations of an update, read without executing it; 400 for anything else.

    Relative IRIs resolve against the update's own BASE, else against ``base`` (the service's).

    >>> ops = parse_update("PREFIX ex: <http://e/> INSERT DATA { GRAPH ex:g { ex:a ex:b 1 } }")
    >>> ops[0].kind, str(ops[0].quads[0].graph_name)
    ('insert', '<http://e/g>')
    """
    toks = tokens(unescape(update))
    prefixes: dict[str, str] = {}
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


def top_level(block: list[Token]) -> list[tuple[Token, Token | None, list[Token] | None]]:
    """The top-level items of a group, each as ``(first token, graph token, inner tokens)``: the
    graph and inner tokens of ``GRAPH x { }``, ``None`` for anything else (a triple pattern, a
    filter, a nested group). Shared by the data path and the update planner."""
    items: list[tuple[Token, Token | None, list[Token] | None]] = []
    index = 0
    while index < len(block):
        tok = block[index]
        if tok.text == ".":
            index += 1
            continue
        if _is(tok, "graph") and index + 2 < len(block) and block[index + 2].text == "{":
            end = _block_end(block, index + 2)
            items.append((tok, block[index + 1], block[index + 3 : end]))
            index = end + 1
            continue
        items.append((tok, None, None))
        index += 1
    return items


def _check_graph_blocks(block: list[Token], kind: str) -> None:
    """Refuse a data block with anything but ``GRAPH <g> { ... }`` groups at its top level."""
    for tok, graph, _ in top_level(block):
        if graph is None or graph.kind not in ("iri", "pname"):
            raise InputError(
                f"the {kind.upper()} DATA block writes to the default graph (at {tok.text!r}); "
                "put every triple inside GRAPH <...> { } so that it has a named graph"
            )


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
    Graph Store paths build batches."""
    target = ox.NamedNode(graph)
    return Batch.from_quads(
        graph,
        [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads],
        f"{source}:{graph}",
    )


def _batches(scratch: ox.Store, graphs: set[ox.NamedNode]) -> list[Batch]:
    """One batch per touched graph holding that graph's content after the update."""
    return [
        graph_batch(g.value, scratch.quads_for_pattern(None, None, None, g), "sparql-update")
        for g in sorted(graphs, key=str)
    ]
