"""The store's default graph is the RDF merge of the data graphs, kept by every write path.

Oracle: the set of triples of the named data graphs, computed from the named graphs themselves
(:func:`kg.store.default_graph.expected`), compared after every operation of random write sequences.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import ConflictError
from kg.ingest import Batch, load_batches
from kg.ingest.drop import drop_graph
from kg.ingest.rdfio import sha256_hex
from kg.namespaces import PROVENANCE_GRAPH
from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT, Settings
from kg.store import default_graph, open_store
from server_helpers import bulk_load_project

G = "https://w3id.org/kgci/graph/test/"
SHAPES = "https://w3id.org/kgci/graph/shapes"
EX = "https://w3id.org/kgci/id/thing/"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _batch(graph: str, text: str) -> Batch:
    data = text.encode()
    return Batch(
        graph=graph,
        data=data,
        format=ox.RdfFormat.TURTLE,
        source_name=f"{graph.rsplit('/', 1)[-1]}.ttl",
        sha256=sha256_hex(data),
        validate=False,
    )


def _load(store: ox.Store, settings: Settings, graph: str, text: str) -> None:
    load_batches(store, settings, [_batch(graph, text)], progress=False)


def _count(store: ox.Store) -> int:
    return int(next(iter(store.query(COUNT_ALL)))["n"].value)  # type: ignore[index, call-overload]


def test_a_triple_stated_in_two_graphs_counts_once(tmp_path: Path, settings: Settings) -> None:
    store = open_store(settings.store)
    fact = f"<{EX}a> <{EX}p> <{EX}b> ."
    _load(store, settings, G + "one", fact)
    _load(store, settings, G + "two", fact + f" <{EX}a> <{EX}p> <{EX}c> .")
    assert _count(store) == 2  # not 3: the merge is a set, and load records are not in it
    _load(store, settings, G + "one", f"<{EX}x> <{EX}p> <{EX}y> .")
    assert _count(store) == 3  # graph two still states a-p-b
    drop_graph(store, QueryLibrary(settings.queries_dir), G + "two")
    assert default_graph.actual(store) == {
        ox.Triple(ox.NamedNode(EX + "x"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "y"))
    }


def test_load_records_and_shapes_stay_out_of_the_default_graph(settings: Settings) -> None:
    store = open_store(settings.store)
    _load(store, settings, SHAPES, f"<{EX}shape> <{EX}p> <{EX}q> .")
    _load(store, settings, G + "one", f"<{EX}a> <{EX}p> <{EX}b> .")
    assert _count(store) == 1
    prov = ox.NamedNode(str(PROVENANCE_GRAPH))
    assert any(True for _ in store.quads_for_pattern(None, None, None, prov))
    assert default_graph.actual(store) == default_graph.expected(store)


# Random write sequences: loads (with blank nodes, shared triples, emptied graphs) and drops.
_TERMS = [f"<{EX}{n}>" for n in "abcd"]
_triple = st.tuples(
    st.sampled_from([*_TERMS, "_:b1", "_:b2"]),
    st.sampled_from([f"<{EX}p>", f"<{EX}q>"]),
    st.sampled_from([*_TERMS, '"v"', '"v"@fr', "1", "_:b1"]),
)
_graph = st.sampled_from([G + "one", G + "two", G + "three", SHAPES])
_operation = st.one_of(
    st.tuples(st.just("load"), _graph, st.lists(_triple, max_size=6)),
    st.tuples(st.just("drop"), _graph, st.just([])),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(_operation, min_size=1, max_size=8))
def test_every_write_sequence_keeps_the_merge(
    tmp_path: Path, operations: list[tuple[str, str, list[tuple[str, str, str]]]]
) -> None:
    folder = tmp_path / f"run-{abs(hash(str(operations)))}"
    settings_ = Settings(store=folder / "store", quarantine_dir=folder / "quarantine")
    store = open_store(settings_.store)
    queries = QueryLibrary(settings_.queries_dir)
    for kind, graph, triples in operations:
        if kind == "load":
            _load(store, settings_, graph, "\n".join(f"{s} {p} {o} ." for s, p, o in triples))
        elif store.contains_named_graph(ox.NamedNode(graph)):
            drop_graph(store, queries, graph, force=True)
        assert default_graph.actual(store) == default_graph.expected(store), (kind, graph)
    shutil.rmtree(folder, ignore_errors=True)


def test_every_named_query_gives_the_same_rows_when_a_second_source_repeats_the_facts(
    tmp_path: Path,
) -> None:
    """Repeating every data file in a second named graph must change no data query's answer."""
    library = QueryLibrary(PROJECT_ROOT / "queries")
    once = open_store(tmp_path / "once")
    bulk_load_project(once)
    twice = open_store(tmp_path / "twice")
    bulk_load_project(twice)
    copy = ox.NamedNode(G + "copy")
    repeated = [
        ox.Quad(q.subject, q.predicate, q.object, copy)
        for q in twice.quads_for_pattern(None, None, None, None)
        if default_graph.is_data_graph(q.graph_name)
    ]
    twice.extend(repeated)
    default_graph.rebuild(twice)
    checked = 0
    for query in library:
        if re.search(r"\bGRAPH\b", query.text):  # about graphs: a new graph is a new answer
            continue
        params = {p.name: _example(p.description) for p in query.parameters if p.required}
        rows_once = _rows(library, once, query.name, params)
        rows_twice = _rows(library, twice, query.name, params)
        assert rows_twice == rows_once, query.name
        duplicated = {row for row, n in rows_once.items() if n > 1}
        assert not duplicated or "DISTINCT" not in query.text.upper(), query.name
        checked += 1
    assert checked >= 30


def _example(description: str) -> str:
    match = re.search(r"e\.g\.\s+<?([^\s>]+)>?", description)
    assert match, f"parameter description without an example: {description}"
    return match.group(1)


def _rows(
    library: QueryLibrary, store: ox.Store, name: str, params: dict[str, str]
) -> Counter[str]:
    result = library.run(store, name, **params)
    if isinstance(result, ox.QueryBoolean):
        return Counter([str(bool(result))])
    if isinstance(result, ox.QuerySolutions):
        variables = result.variables
        # Cells are compared as sorted word lists: GROUP_CONCAT follows the store's order.
        return Counter(str([_cell(sol[v]) for v in variables]) for sol in result)
    return Counter(str(t) for t in result)


def _cell(term: object) -> str:
    """A literal's words sorted (GROUP_CONCAT follows the store's order), other terms as written."""
    if isinstance(term, ox.Literal):
        return " ".join(sorted(term.value.split())) + f"^^{term.datatype}@{term.language}"
    return str(term)


def test_dropping_a_graph_others_refer_to_is_refused_unless_forced(settings: Settings) -> None:
    store = open_store(settings.store)
    queries = QueryLibrary(settings.queries_dir)
    _load(store, settings, G + "places", f'<{EX}a> <{EX}label> "A" . <{EX}b> <{EX}label> "B" .')
    _load(store, settings, G + "links", f"<{EX}x> <{EX}near> <{EX}a> .")
    before = sorted(str(q) for q in store)
    with pytest.raises(ConflictError) as caught:
        drop_graph(store, queries, G + "places")
    message = str(caught.value)
    assert f"{EX}a" in message and G + "links" in message and f"{EX}b" not in message
    assert "--force" in message
    assert sorted(str(q) for q in store) == before
    left = drop_graph(store, queries, G + "places", force=True)
    assert [d.entity for d in left] == [f"{EX}a"]
    assert not store.contains_named_graph(ox.NamedNode(G + "places"))
    assert default_graph.actual(store) == default_graph.expected(store)


def test_a_page_lists_each_partner_once_when_two_sources_state_the_agreement(
    tmp_path: Path,
) -> None:
    """The reported "Mainz • Mainz": a partner stated by two graphs was listed twice."""
    from kg.web.lod.labels import Labeller
    from kg.web.lod.pages import partners_table
    from kg.web.lod.values import ValueMaker

    store = open_store(tmp_path / "store")
    bulk_load_project(store)
    idf = ox.NamedNode("https://w3id.org/kgci/id/collectivity/ile-de-france")

    def rows() -> list[list[list[str]]]:
        maker = ValueMaker(Labeller(store, "en"), "https://w3id.org/kgci/", None)
        table = partners_table(store, QueryLibrary(PROJECT_ROOT / "queries"), idf, maker)
        assert table is not None
        return [[[str(value) for value in cell] for cell in row] for row in table.rows]

    once = rows()
    assert once and all(len(set(row[2])) == len(row[2]) for row in once)
    party = ox.NamedNode("https://w3id.org/kgci/def/party")
    copy = ox.NamedNode(G + "copy")
    store.extend(
        ox.Quad(q.subject, q.predicate, q.object, copy)
        for q in list(store.quads_for_pattern(None, party, None, None))
        if default_graph.is_data_graph(q.graph_name)
    )
    default_graph.rebuild(store)
    assert rows() == once
