"""Large inputs validated in chunks by subject, so memory follows the chunk and not the file.

Why: validating a whole file at once holds every parsed quad, its neighbourhood and the validator's
indexes in memory together (3.5 GB for 1M triples). Here the input is bulk-loaded by Oxigraph,
streamed from its file, into a staging store on disk (a temporary store next to the target), then
read back grouped by
subject, :data:`CHUNK_QUADS` quads at a time; each chunk is validated with the neighbourhood the
store gives (:func:`kg.ingest.neighbourhood.pull`) plus the same neighbourhood taken from the rest
of the input (:func:`file_context`), so a chunk sees what a whole-file validation would see of the
nodes it touches. All or nothing is kept: nothing is written before every chunk passed, and the
write (``kg.ingest.pipeline._write_staged``: bulk loads under a recovery journal) is undone if it
fails.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.ingest import neighbourhood
from kg.ingest.batch import Batch, ProgressHook
from kg.ingest.rdfio import (
    _RELATIVE,
    PARSER_BUFFER,
    _longest_line,
    _syntax_message,
    bad_literal,
    check_bytes,
    check_literals,
    check_utf8_file,
    longest_line_file,
)
from kg.queries import QueryLibrary, get_library
from kg.settings import PROJECT_ROOT, Settings
from kg.validation import (
    ValidationReport,
    Violation,
    inverse_predicates,
    schema_graphs,
    validate_quads,
)

#: Quads validated together (whole subjects: a chunk ends at a change of subject). 200k: 9.4 s ->
#: 6.5 s CPU of validation for 200k triples against 50k (fewer lookups of shared nodes), 370 MB.
CHUNK_QUADS = 200_000
#: Inputs above this many bytes go through the chunked path (smaller ones are validated at once).
CHUNKED_ABOVE = 16 * 2**20


@dataclass
class Staged:
    """The input parsed into a staging store on disk."""

    store: ox.Store
    quads: int
    graphs: dict[str, int]  # quads per graph


def stage(batch: Batch, folder: Path, queries: QueryLibrary | None = None) -> Staged:
    """Parse ``batch`` into a new store in ``folder`` with Oxigraph's bulk loader, streamed from
    the file of a streamed batch: default-graph quads re-homed into the batch's graph, blank nodes
    renamed (as the in-memory path does), literals checked (:func:`check_staged_literals`)."""
    queries = queries or get_library(PROJECT_ROOT / "queries")
    staging = ox.Store(str(folder))
    try:
        bulk_load(staging, batch, ox.NamedNode(batch.graph))
    except SyntaxError as exc:
        _check_encoding(batch)  # a file that is not UTF-8 is named as such
        message = _syntax_message(exc, batch.source_name)
        if batch.base_iri is None and _RELATIVE.search(message):
            message += "; the input has relative IRIs: give their base with `kg load --base IRI`"
        raise InputError(message) from exc
    except MemoryError as exc:
        if batch.path is not None:
            line, length = longest_line_file(batch.path)
        else:
            line, length = _longest_line(batch.data)
        raise InputError(
            f"{batch.source_name} line {line}: a line of {length} bytes is over the parser's limit "
            f"of {PARSER_BUFFER} bytes for one line or token; split it or shorten its literal"
        ) from exc
    except ValueError as exc:
        raise InputError(f"{batch.source_name}: {exc}") from exc
    check_staged_literals(staging, queries, batch.source_name)
    graphs = {
        row["g"].value: int(row["triples"].value)
        for row in staging.query(queries.text("ingest-graphs"))  # type: ignore[union-attr]
    }
    return Staged(staging, sum(graphs.values()), graphs)


def bulk_load(store: ox.Store, batch: Batch, to_graph: ox.NamedNode | ox.DefaultGraph) -> None:
    """``Store.bulk_load`` of the batch's file (or bytes): its triples, and default-graph quads, go
    to ``to_graph``; blank nodes are renamed (afresh at each call)."""
    if batch.path is not None:
        store.bulk_load(
            path=batch.path, format=batch.format, base_iri=batch.base_iri, to_graph=to_graph
        )
    else:
        store.bulk_load(batch.data, batch.format, base_iri=batch.base_iri, to_graph=to_graph)


def _check_encoding(batch: Batch) -> None:
    if batch.path is not None:
        check_utf8_file(batch.path, batch.source_name)
    else:
        check_bytes(batch.data, batch.source_name)


def check_staged_literals(staging: ox.Store, queries: QueryLibrary, source: str) -> None:
    """:func:`kg.ingest.rdfio.check_literals` over the distinct typed literals of the staging store
    (found by one query, not by a Python pass over every quad); a bad one is named with the first
    statement that has it."""
    for row in staging.query(queries.text("ingest-staged-typed-literals")):  # type: ignore[union-attr]
        literal = row["o"]
        if bad_literal(literal) is None:
            continue
        quad = next(iter(staging.quads_for_pattern(None, None, literal, None)))
        check_literals([quad], source)


def chunks(staging: ox.Store, size: int) -> Iterator[list[ox.Quad]]:
    """The staged quads, whole subjects at a time, about ``size`` quads per chunk."""
    chunk: list[ox.Quad] = []
    last: object = None
    for quad in staging.quads_for_pattern(None, None, None, None):
        if len(chunk) >= size and quad.subject != last:
            yield chunk
            chunk = []
        chunk.append(quad)
        last = quad.subject
    if chunk:
        yield chunk


@dataclass(frozen=True)
class Context:
    """What the rest of the input says about a chunk's nodes, and which of its IRIs it describes."""

    quads: list[ox.Quad]
    described: set[str]


def file_context(
    staging: ox.Store, chunk: Sequence[ox.Quad], inverse: Iterable[str], whole_subjects: bool
) -> Context:
    """What the rest of the input says about the nodes ``chunk`` mentions: their own statements,
    those pointing at them through the ``inverse`` predicates, the blank nodes reached (closed),
    and the types of the other nodes named — the part of the input a whole-file validation of
    these nodes would read. ``whole_subjects``: the chunk holds every statement of its subjects
    (one graph staged), so their own statements are not looked up again."""
    backwards = [ox.NamedNode(p) for p in sorted(set(inverse))]
    own = set(chunk)
    subjects = {q.subject for q in chunk} if whole_subjects else set()
    nodes = {t for q in chunk for t in (q.subject, q.object) if not isinstance(t, ox.Literal)}
    found: set[ox.Quad] = set()
    described = {t.value for t in subjects if isinstance(t, ox.NamedNode)}
    todo = list(nodes)
    done: set[object] = set()
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        more = [] if node in subjects else list(staging.quads_for_pattern(node, None, None, None))
        if more and isinstance(node, ox.NamedNode):
            described.add(node.value)
        for predicate in backwards:
            more += staging.quads_for_pattern(None, predicate, node, None)
        for quad in more:
            if quad in found or quad in own:
                continue
            found.add(quad)
            todo += [t for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)]
    named = {t for q in found for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)} - nodes
    for node in named:
        found.update(staging.quads_for_pattern(node, neighbourhood.RDF_TYPE, None, None))
    found -= own
    return Context(list(found), described | neighbourhood.described(found))


def validate_staged(
    store: ox.Store,
    settings: Settings,
    staged: Staged,
    batch: Batch,
    replaced: set[str],
    hook: ProgressHook,
    size: int | None = None,
) -> ValidationReport:
    """Every chunk of the staged input validated; one report, rows in order, each once."""
    _, shapes, _ = schema_graphs(settings)
    inverse = inverse_predicates(shapes)
    rows: dict[Violation, None] = {}
    first: ValidationReport | None = None
    done = 0
    for chunk in chunks(staged.store, size or CHUNK_QUADS):
        hood = neighbourhood.pull(store, chunk, replaced, inverse)
        context = file_context(staged.store, chunk, inverse, len(staged.graphs) == 1)
        known = set(hood.known) | context.described | neighbourhood.described(chunk)
        report = validate_quads(
            settings,
            chunk,
            [*hood.quads, *context.quads],
            known,
            (batch.source_name,),
            _chunk_progress(hook, done, len(chunk), staged.quads),
        )
        first = first or report
        rows.update(dict.fromkeys(replace(r, source=batch.source_name) for r in report.rows))
        done += len(chunk)
        hook("validate", done, staged.quads)
    if first is None:  # an empty input
        return validate_quads(settings, [], [], set(), (batch.source_name,))
    conforms = not any(r.severity == "Violation" for r in rows)
    return replace(
        first, conforms=conforms, rows=tuple(rows), triples=staged.quads, turtle=_turtle(rows)
    )


def _chunk_progress(
    hook: ProgressHook, before: int, size: int, total: int
) -> Callable[[int, int], None]:
    """The validation progress of one chunk (shapes done of all) as quads of the whole input."""
    return lambda shapes, of: hook("validate", before + size * shapes // max(of, 1), total)


def _turtle(rows: Iterable[Violation]) -> str:
    """The report of every chunk's rows (focus, path, value, message, shape) as Turtle."""
    from rdflib import RDF, SH, BNode, Graph, Literal, URIRef

    graph = Graph()
    graph.bind("sh", SH)
    root = BNode()
    listed = list(rows)
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(not any(r.severity == "Violation" for r in listed))))
    for row in listed:
        result = BNode()
        graph.add((root, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, URIRef(row.focus)))
        if row.path and row.path != "(complex path)":
            graph.add((result, SH.resultPath, URIRef(row.path)))
        if row.value:
            graph.add((result, SH.value, Literal(row.value)))
        graph.add((result, SH.resultMessage, Literal(row.message)))
        graph.add((result, SH.resultSeverity, SH[row.severity]))
        if row.component:
            graph.add((result, SH.sourceConstraintComponent, URIRef(row.component)))
    return graph.serialize(format="turtle")


def release_memory() -> None:
    """Hand the memory validation freed back to the system before the write's bulk loads.

    Why: the bulk loader holds its batches (about 1 GB for 1M quads) on top of whatever the
    process keeps; CPython and glibc keep freed memory mapped, so without this the write's peak is
    the validation's plus the loader's. ``malloc_trim`` exists only in glibc; elsewhere this is
    the garbage collection alone."""
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def staging_folder(settings: Settings) -> tempfile.TemporaryDirectory[str]:
    """A temporary directory next to the store (same disk; the system's for an in-memory store),
    removed after the load."""
    if settings.store is None:
        return tempfile.TemporaryDirectory(prefix="kg-staging-")
    parent = settings.store.parent
    parent.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=".kg-staging-", dir=parent)
