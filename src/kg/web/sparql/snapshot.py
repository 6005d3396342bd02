"""Running a planned SPARQL Update on a snapshot, then writing what changed like ``kg load``.

The graphs an update may write or read (:mod:`kg.web.sparql.update_plan`) are copied into a scratch
in-memory store whose default graph is the store's (the merge), pyoxigraph runs the re-emitted update
there, and the named graphs whose content differs afterwards go to :func:`kg.ingest.load_batches`:
one validation, one transaction with its load records, or nothing changes. A change outside the
planned bounds, to a protected graph or to the default graph is refused (fail closed).
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.errors import InputError
from kg.ingest import load_batches
from kg.settings import Settings
from kg.store.default_graph import is_data_graph
from kg.web.sparql.errors import ForbiddenError
from kg.web.sparql.update_data import _WRITE_LOCK, PROTECTED_GRAPHS, graph_batch
from kg.web.sparql.update_plan import DEFAULT_RULE, EVERY, UpdatePlan

Content = frozenset[ox.Triple]


def _content(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> Content:
    return frozenset(
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, graph)
    )


def default_size(store: ox.Store) -> int:
    """How many triples the default graph of ``store`` holds."""
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def _named_graphs(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}


def snapshot(store: ox.Store, bounds: UpdatePlan) -> tuple[ox.Store, dict[str, Content]]:
    """A scratch store with every graph ``bounds`` may touch, and the copied named graphs' content."""

    existing = _named_graphs(store)
    wanted = {g for g in bounds.writes | bounds.reads if g != EVERY}
    if EVERY in bounds.reads:
        wanted |= existing
    if EVERY in bounds.writes:
        wanted |= {g for g in existing if is_data_graph(ox.NamedNode(g))} - PROTECTED_GRAPHS
    scratch = ox.Store()
    before: dict[str, Content] = {}
    for graph in sorted(wanted):
        node = ox.NamedNode(graph)
        content = _content(store, node) if graph in existing else frozenset()
        if graph in existing:
            scratch.add_graph(node)
            scratch.extend(ox.Quad(t.subject, t.predicate, t.object, node) for t in content)
        before[graph] = content
    if bounds.reads_default:
        scratch.extend(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return scratch, before


def changed_graphs(
    scratch: ox.Store, before: dict[str, Content], bounds: UpdatePlan, default_before: int
) -> dict[str, Content]:
    """The new content of every named graph the update changed; refuses changes out of bounds."""

    changed: dict[str, Content] = {}
    for graph in sorted(set(before) | _named_graphs(scratch)):
        after = _content(scratch, ox.NamedNode(graph))
        if after == before.get(graph, frozenset()):
            continue
        if graph in PROTECTED_GRAPHS:
            raise ForbiddenError(
                f"the update writes to <{graph}>, which changes only through `kg build`"
            )
        if graph not in bounds.writes and EVERY not in bounds.writes:
            raise InputError(  # the plan missed a write: refuse rather than write unchecked
                f"the update writes to <{graph}>, which it does not name; name it with GRAPH <...>"
            )
        changed[graph] = after
    default_after = default_size(scratch)
    if default_after != default_before and not bounds.clears_all:
        raise InputError(f"the update writes the default graph: {DEFAULT_RULE}")
    return changed


def apply_plan(store: ox.Store, settings: Settings, bounds: UpdatePlan) -> str:
    """Run ``bounds.text`` on a snapshot and write the changed graphs (one update at a time)."""

    with _WRITE_LOCK:
        scratch, before = snapshot(store, bounds)
        default_before = default_size(scratch)
        try:
            scratch.update(bounds.text, base_iri=bounds.base)
        except SyntaxError as exc:
            raise InputError(f"the update is not valid SPARQL 1.1 Update: {exc}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise InputError(f"the update cannot be applied: {exc}") from exc
        changed = changed_graphs(scratch, before, bounds, default_before)
        if not changed:
            return f"update applied: no graph changed ({', '.join(bounds.operations)})"
        batches = [graph_batch(g, changed[g], "sparql-update") for g in sorted(changed)]
        report = load_batches(store, settings, batches, progress=False)
        store.flush()
    return (
        f"update applied: {report.triples} triples now in {len(changed)} graph(s) "
        f"({', '.join(sorted(changed))})"
    )
