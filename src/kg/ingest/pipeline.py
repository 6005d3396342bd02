"""Read -> validate -> load, atomically, with provenance.

:func:`load_batches` parses every batch, validates them together with their neighbourhood in the
store, and only then writes, in ONE pyoxigraph transaction, the new content of every graph (old
content dropped), plus one PROV-O load record per batch in ``graph/provenance``. Rejected input is
kept in the quarantine directory with its report. :func:`validate_batches` is the same without writing.
"""

from __future__ import annotations

import itertools
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, ValidationFailed
from kg.ingest import chunked, neighbourhood
from kg.ingest import records as load_records
from kg.ingest.batch import Batch, LoadReport, ProgressHook
from kg.ingest.rdfio import check_bytes, check_literals, parse_quads
from kg.queries import get_library
from kg.settings import Settings
from kg.store import journal
from kg.store.default_graph import is_data_graph, merged
from kg.validation import ValidationReport, inverse_predicates, schema_graphs, validate_quads

#: Quads written between two reports to the progress hook.
WRITE_REPORT_EVERY = 200_000


@dataclass
class _Parsed:
    batch: Batch
    quads: list[ox.Quad]

    @property
    def graphs(self) -> set[str]:
        """The graphs the batch writes into."""
        return {q.graph_name.value for q in self.quads if isinstance(q.graph_name, ox.NamedNode)}

    @property
    def replaces(self) -> set[str]:
        """The graphs whose current content the batch replaces: its own graph and those it writes."""
        return self.graphs | {self.batch.graph}


def _parse(batches: Sequence[Batch]) -> list[_Parsed]:
    parsed = []
    for batch in batches:
        if batch.quads is not None:
            # Already parsed (SPARQL Update, importers): the literal checks still apply.
            check_literals(batch.quads, batch.source_name)
            parsed.append(_Parsed(batch, list(batch.quads)))
            continue
        # An empty Batch (files are refused earlier, by read_input) empties its graph, e.g. after
        # a SPARQL update that deleted every triple of it.
        data = batch.payload()  # a streamed file is read here only when it replaces a graph
        check_bytes(data, batch.source_name, allow_empty=True)
        parsed.append(
            _Parsed(
                batch,
                parse_quads(data, batch.format, batch.source_name, batch.graph, batch.base_iri),
            )
        )
    return parsed


def _validate(
    store: ox.Store,
    settings: Settings,
    parsed: Sequence[_Parsed],
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    replaced = set().union(*(p.replaces for p in parsed)) if parsed else set()
    to_check = [q for p in parsed if p.batch.validate for q in p.quads]
    sources = tuple(p.batch.source_name for p in parsed)
    _, shapes, _ = schema_graphs(settings)
    hood = neighbourhood.pull(store, to_check, replaced, inverse_predicates(shapes))
    known = set(hood.known) | neighbourhood.described(q for p in parsed for q in p.quads)
    report = validate_quads(settings, to_check, hood.quads, known, sources, progress)
    origin = {
        str(q.subject.value): p.batch.source_name
        for p in parsed
        for q in p.quads
        if isinstance(q.subject, ox.NamedNode)
    }
    rows = tuple(replace(r, source=origin.get(r.focus, "")) for r in report.rows)
    return replace(report, rows=rows)


def validate_batches(
    store: ox.Store, settings: Settings, batches: Sequence[Batch]
) -> ValidationReport:
    """Dry run: the same parsing and validation as :func:`load_batches`, nothing written."""
    return _validate(store, settings, _parse(batches))


def quarantine(
    settings: Settings, batches: Sequence[Batch], report_text: str, turtle: str = ""
) -> Path:
    """Keep the rejected inputs and their report in a new directory of the quarantine directory."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = (
        settings.quarantine_dir
        / f"{stamp}-{Path(batches[0].source_name).name if batches else 'batch'}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    for i, batch in enumerate(batches):
        name = Path(batch.source_name).name or f"input-{i}"
        if batch.path is not None:  # a streamed file is copied, not read into memory
            shutil.copyfile(batch.path, folder / name)
        else:
            (folder / name).write_bytes(batch.payload())
    (folder / "report.txt").write_text(report_text + "\n", encoding="utf-8")
    if turtle:
        (folder / "report.ttl").write_text(turtle, encoding="utf-8")
    return folder


def _refuse_unless_conforms(
    settings: Settings, batches: Sequence[Batch], report: ValidationReport, sources: str
) -> None:
    """Quarantine ``batches`` and raise the one-sentence :class:`ValidationFailed` unless the
    report conforms; the store has not been touched yet when this runs."""
    if report.conforms:
        return
    folder = quarantine(settings, batches, report.table(), report.turtle)
    violations = sum(r.severity == "Violation" for r in report.rows)
    raise ValidationFailed(
        report,
        f"{sources} broke the shapes: {violations} violation(s), nothing was written",
        str(folder),
    )


def load_batches(
    store: ox.Store,
    settings: Settings,
    batches: Sequence[Batch],
    *,
    progress: bool | ProgressHook = True,
) -> LoadReport:
    """Validate every batch, then write all their graphs and load records in one transaction.

    Raises :class:`InputError` (file, line, column) on unreadable input and :class:`ValidationFailed`
    on SHACL violations; either way the input is quarantined and the store is left unchanged.
    """
    hook = _hook(progress)
    try:
        return _load(store, settings, batches, hook)
    finally:
        hook("done", 0, 0)


def _load(
    store: ox.Store, settings: Settings, batches: Sequence[Batch], hook: ProgressHook
) -> LoadReport:
    started = time.monotonic()
    hook("parse", 0, len(batches))
    if _large(batches):
        done = _load_chunked(store, settings, batches[0], hook, started)
        if done is not None:
            return done
    try:
        parsed = _parse(batches)
    except InputError as exc:
        folder = quarantine(settings, batches, str(exc))
        raise InputError(f"{exc}; the input is kept in {folder}") from exc
    total = sum(len(p.quads) for p in parsed)
    hook("validate", 0, total)
    report = _validate(
        store,
        settings,
        parsed,
        lambda done, shapes: hook("validate", total * done // shapes, total),
    )
    hook("validate", total, total)
    _refuse_unless_conforms(settings, batches, report, ", ".join(report.sources))
    records = [
        load_records.record(p.batch, sorted(p.graphs), len(p.quads), report)
        for p in parsed
        if p.quads
    ]
    graphs: dict[str, int] = {}
    for p in parsed:
        for q in p.quads:
            graphs[q.graph_name.value] = graphs.get(q.graph_name.value, 0) + 1  # type: ignore[union-attr]
    data = [q for p in parsed for q in p.quads]
    replaced = sorted(set().union(*(p.replaces for p in parsed)))
    _write(store, settings, data, records, replaced, hook)
    return LoadReport(
        graphs=graphs,
        triples=len(data),
        seconds=time.monotonic() - started,
        validation=report,
        records=tuple(r.iri for r in records),
        activities={g: r.iri for r in records for g in r.graphs},
    )


def _large(batches: Sequence[Batch]) -> bool:
    """One validated input of bytes above :data:`chunked.CHUNKED_ABOVE`: worth the chunked path."""
    if len(batches) != 1 or batches[0].quads is not None or not batches[0].validate:
        return False
    batch = batches[0]
    size = batch.path.stat().st_size if batch.path is not None else len(batch.data)
    return size > chunked.CHUNKED_ABOVE


def _load_chunked(
    store: ox.Store, settings: Settings, batch: Batch, hook: ProgressHook, started: float
) -> LoadReport | None:
    """:func:`load_batches` of one large input, validated in chunks (:mod:`kg.ingest.chunked`) and
    written in one transaction from the staging store. ``None`` when the input replaces a graph
    that exists or has load records: the in-memory path (one SPARQL update) does that."""
    try:
        if batch.path is None:  # a streamed file was checked by batch_from_file, and its
            check_bytes(batch.data, batch.source_name)  # encoding is when it does not parse
    except InputError as exc:
        folder = quarantine(settings, [batch], str(exc))
        raise InputError(f"{exc}; the input is kept in {folder}") from exc
    queries = get_library(settings.queries_dir)
    with chunked.staging_folder(settings) as tmp:
        try:
            staged = chunked.stage(batch, Path(tmp) / "store", queries)
        except InputError as exc:
            folder = quarantine(settings, [batch], str(exc))
            raise InputError(f"{exc}; the input is kept in {folder}") from exc
        replaced = set(staged.graphs) | {batch.graph}
        if any(
            store.contains_named_graph(ox.NamedNode(g))
            or load_records.current_activities(store, queries, g)
            for g in replaced
        ):
            return None
        hook("validate", 0, staged.quads)
        report = chunked.validate_staged(store, settings, staged, batch, replaced, hook)
        chunked.release_memory()
        _refuse_unless_conforms(settings, [batch], report, batch.source_name)
        record = load_records.record(batch, sorted(staged.graphs), staged.quads, report)
        _write_staged(store, settings, batch, staged, record, hook, Path(tmp))
        graphs, triples = dict(staged.graphs), staged.quads
        del staged  # the staging store closes before its folder goes
    return LoadReport(
        graphs=graphs,
        triples=triples,
        seconds=time.monotonic() - started,
        validation=report,
        records=(record.iri,),
        activities={g: record.iri for g in record.graphs},
    )


def _write_staged(
    store: ox.Store,
    settings: Settings,
    batch: Batch,
    staged: chunked.Staged,
    record: load_records.Record,
    hook: ProgressHook,
    folder: Path,
) -> None:
    """Write the validated input into graphs that do not exist yet, then the load record.

    On disk, under a recovery journal (:mod:`kg.store.journal`), with Oxigraph's bulk loader (no
    Python pass over the quads): the named graphs (the input file itself, bulk-loaded again), then
    their default-graph copies (:func:`_write_copies`), then the record in one transaction; any
    failure, or a restart after a crash, undoes it. In memory (no crash to survive): one
    transaction from the staging store.
    """
    named = [ox.NamedNode(g) for g in sorted(staged.graphs)]
    data: list[ox.NamedNode | ox.BlankNode] = [g for g in named if is_data_graph(g)]
    total = staged.quads + sum(staged.graphs[g.value] for g in data)
    hook("write", 0, total)
    if settings.store is None:
        quads = itertools.chain.from_iterable(
            staged.store.quads_for_pattern(None, None, None, g) for g in named
        )
        copies = (
            ox.Quad(q.subject, q.predicate, q.object)
            for g in data
            for q in staged.store.quads_for_pattern(None, None, None, g)
        )
        store.extend(itertools.chain(quads, copies, record.quads))  # one transaction
        hook("write", total, total)
        return
    journal.begin(settings.store, sorted(staged.graphs), record.quads)
    try:
        chunked.bulk_load(store, batch, ox.NamedNode(batch.graph))
        hook("write", staged.quads, total)
        if data:
            _write_copies(store, settings, batch, staged, data, folder, hook, total)
        store.extend(record.quads)
    except BaseException:
        journal.recover(store, settings.store)
        raise
    journal.finish(settings.store)
    hook("write", total, total)


def _write_copies(
    store: ox.Store,
    settings: Settings,
    batch: Batch,
    staged: chunked.Staged,
    data: list[ox.NamedNode | ox.BlankNode],
    folder: Path,
    hook: ProgressHook,
    total: int,
) -> None:
    """The default-graph copies of the just written ``data`` graphs, natively where it can be.

    Without blank nodes: a triples file is bulk-loaded once more into the default graph, or each
    graph of a quads file is dumped from the staging store and bulk-loaded. With blank nodes
    (whose copies must be the store's own nodes, and a serialisation read back renames them): the
    triples without any are serialised from a query and bulk-loaded, those with one are read back
    from the store and ``bulk_extend``-ed (memory follows their number).
    """
    queries = get_library(settings.queries_dir)
    done = staged.quads
    if not staged.store.query(queries.text("ingest-staged-has-blank"), named_graphs=data):
        if not batch.format.supports_datasets:  # one graph, the batch's
            chunked.bulk_load(store, batch, ox.DefaultGraph())
            return
        for graph in data:
            copies = folder / "copies.nt"
            staged.store.dump(copies, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            store.bulk_load(path=copies, format=ox.RdfFormat.N_TRIPLES)
            copies.unlink()
            done += staged.graphs[graph.value]
            hook("write", done, total)
        return
    copies = folder / "copies.nt"
    plain = staged.store.query(queries.text("ingest-staged-plain-copies"), named_graphs=data)
    assert isinstance(plain, ox.QueryTriples)
    plain.serialize(copies, format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=copies, format=ox.RdfFormat.N_TRIPLES)
    copies.unlink()
    blank = store.query(queries.text("ingest-staged-blank-copies"), named_graphs=data)
    assert isinstance(blank, ox.QuerySolutions)
    rows = [ox.Quad(r["s"], r["p"], r["o"]) for r in blank]
    done = total - len(rows)
    hook("write", done, total)
    for part in _parts(iter(rows)):
        store.bulk_extend(part)
        done += len(part)
        hook("write", done, total)


def _parts(quads: Iterator[ox.Quad]) -> Iterator[list[ox.Quad]]:
    """The quads, :data:`WRITE_REPORT_EVERY` at a time (one ``bulk_extend`` and report each)."""
    while part := list(itertools.islice(quads, WRITE_REPORT_EVERY)):
        yield part


def _write(
    store: ox.Store,
    settings: Settings,
    data: list[ox.Quad],
    records: Sequence[load_records.Record],
    graphs: list[str],
    hook: ProgressHook,
) -> None:
    """One transaction: the new content of ``graphs``, its default-graph copy and the load records.

    ``extend`` (atomic) when no target graph exists and none has a current load record, else one
    SPARQL update that also takes out of the default graph what only the replaced graphs stated, and
    invalidates the load records of the versions it replaces (they stay, as history).
    """
    queries = get_library(settings.queries_dir)
    now = load_records.timestamp()
    by = {g: r.iri for r in records for g in r.graphs}
    ended = load_records.invalidations(store, queries, graphs, now, by)
    existing = [g for g in graphs if store.contains_named_graph(ox.NamedNode(g))]
    prov_quads = [q for r in records for q in r.quads] + ended
    if not existing and not ended:
        quads = list(merged([*data, *prov_quads]))  # with the default graph's copies
        hook("write", 0, len(quads))
        store.extend(_counting(quads, hook, len(quads)))
        hook("write", len(quads), len(quads))
    else:
        total = len(data) + len(prov_quads)
        hook("write", 0, total)
        store.update(load_records.replace_update(graphs, existing, [*data, *prov_quads]))
        hook("write", total, total)


def _counting(quads: Sequence[ox.Quad], hook: ProgressHook, total: int) -> Iterator[ox.Quad]:
    for i, quad in enumerate(quads):
        if i % 20_000 == 0:
            hook("write", i, total)
        yield quad


def _hook(progress: bool | ProgressHook) -> ProgressHook:
    if callable(progress):
        return progress
    if progress:
        from kg.ingest.progress import RichProgress

        return RichProgress()
    return lambda phase, done, total: None
