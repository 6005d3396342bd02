"""The W3C SPARQL 1.1 query-evaluation tests, against pyoxigraph directly and through the project.

The oracle is pyoxigraph itself: each test's data is loaded into an in-memory ``ox.Store`` (qt:data
into the default graph, qt:graphData into named graphs named by their file IRIs) and its query
evaluated and compared with the expected results; :data:`PYOXIGRAPH_FAILS` lists the tests pyoxigraph
0.5.13 gets wrong (checked to still fail, so the list stays true when pyoxigraph changes).

The project path loads the same files the way ``kg load`` does (:func:`kg.ingest.load_batches`, each
qt:data file into its own named graph ``graph/test/...``, a load record per file into
``graph/provenance``) and evaluates the query as the endpoint does (:func:`kg.web.worker.evaluate`),
then serialises the result with the endpoint's writer and parses it back. Queries without qt:graphData
run in the endpoint's documented default mode (no ``default-graph-uri``), where the default graph must
be the RDF merge of the data graphs and nothing else. A test with qt:graphData has a dataset whose
named graphs are not part of its default graph, which the default-graph contract cannot express (every
data graph is in the merge), so it is sent the way a protocol client names such a dataset:
``default-graph-uri`` = its qt:data graphs, ``named-graph-uri`` = its qt:graphData graphs; unless the
query names its own dataset (FROM / FROM NAMED), which is then sent as it is.

Every store is in memory and fresh per test, since under the contract every data graph of a store is
in its default graph; :func:`test_on_disk_server_agrees` checks on a sample that a real uvicorn server
over an on-disk store built the same way answers the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from endpoint_helpers import endpoint_settings
from kg.settings import Settings
from kg.web.app import create_app
from kg.web.worker import Evaluated, QueryRequest, evaluate, write
from server_helpers import LiveServer, free_port
from w3c_sparql import (
    EvalCase,
    Results,
    SyntaxCase,
    expected_results,
    file_iri,
    from_ox,
    graph_from_ox,
    ordered,
    same_results,
    syntax_tests,
)
from w3c_sparql_helpers import (
    CASES,
    PYOXIGRAPH_FAILS,
    load_case,
    oracle,
    parse_body,
    post_request,
    request_for,
)


def _ids(cases: list[EvalCase]) -> list[str]:
    return [c.id for c in cases]


def test_vendored_suite_is_complete() -> None:
    """The reader finds every evaluation test of the vendored manifests (a guard on the reader)."""
    assert len(CASES) == 235
    assert len({c.id for c in CASES}) == len(CASES)
    assert set(PYOXIGRAPH_FAILS) <= {c.id for c in CASES}
    for case in CASES:
        assert case.query.is_file() and case.result.is_file(), case.id
        assert all(p.is_file() for p in (*case.data, *case.graph_data)), case.id


# --- the oracle: pyoxigraph directly -------------------------------------------------------------


def _passes(case: EvalCase, actual: Results) -> bool:
    expected = expected_results(case.result)
    return same_results(expected, actual, in_order=ordered(case.query.read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_pyoxigraph_directly(case: EvalCase) -> None:
    """pyoxigraph passes the test, unless it is a listed pyoxigraph failure, which must still fail."""
    passes = _passes(case, oracle(case))
    if case.id in PYOXIGRAPH_FAILS:
        assert not passes, f"{case.id} now passes with pyoxigraph: remove it from PYOXIGRAPH_FAILS"
    else:
        assert passes, f"pyoxigraph fails {case.id}: {expected_results(case.result).describe()}"


# --- the project path -----------------------------------------------------------------------------


def _format(case: EvalCase, evaluated: Evaluated) -> str:
    if evaluated.kind == "graph":
        return "ntriples"
    return "csv" if case.kind == "CSVResultFormatTest" else "json"


def project(case: EvalCase, settings: Settings) -> Results:
    """The result of the test through the project's loader, query evaluation and result writer."""
    store = ox.Store()
    load_case(store, settings, case)
    first = request_for(case, "json", settings.max_rows)
    evaluated = evaluate(store, first)
    fmt = _format(case, evaluated)
    request = QueryRequest(
        first.text, fmt, first.max_rows, first.default_graphs, first.named_graphs
    )
    body = bytearray()

    def send(kind: bytes, payload: bytes) -> None:
        if kind == b"D":
            body.extend(payload)

    write(evaluated, request, send)
    assert not evaluated.truncated, f"{case.id}: more than {settings.max_rows} rows"
    return parse_body(evaluated.kind, fmt, bytes(body))


@pytest.fixture(scope="module")
def load_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The project's own settings (ontology, queries), quarantine under a temporary directory."""
    tmp = tmp_path_factory.mktemp("w3c")
    return Settings(store=tmp / "store", quarantine_dir=tmp / "quarantine")


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_project_default_mode(case: EvalCase, load_settings: Settings) -> None:
    """Through the project, every test pyoxigraph passes directly gives the expected results."""
    if case.id in PYOXIGRAPH_FAILS:
        pytest.skip(f"pyoxigraph 0.5.13 itself fails it: {PYOXIGRAPH_FAILS[case.id]}")
    actual = project(case, load_settings)
    expected = expected_results(case.result)
    assert same_results(
        expected, actual, in_order=ordered(case.query.read_text(encoding="utf-8"))
    ), f"{case.id}\nexpected {expected.describe()}\nproject gives {actual.describe()}"


# --- a sample through a real server over an on-disk store -----------------------------------------

SAMPLE_IDS = (
    "aggregates/agg01",
    "construct/constructwhere01",
    "exists/exists03",
    "functions/length01",
    "grouping/group01",
    "json-res/jsonres01",
    "property-path/pp34",
    "subquery/subquery08",
)
SAMPLE = [c for c in CASES if c.id in SAMPLE_IDS]


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Path]]:
    """A uvicorn server on an on-disk store into which every sample test's files were loaded."""
    tmp = tmp_path_factory.mktemp("w3c-server")
    settings = endpoint_settings(tmp / "store", tmp)
    assert settings.store is not None
    store = ox.Store(str(settings.store))
    for case in SAMPLE:
        load_case(store, settings, case)
    store.flush()
    del store
    with LiveServer(create_app(settings), free_port()) as live:
        yield live, settings.store


def test_sample_is_complete() -> None:
    """Every sample id names a vendored test that pyoxigraph passes."""
    assert {c.id for c in SAMPLE} == set(SAMPLE_IDS)
    assert not set(SAMPLE_IDS) & set(PYOXIGRAPH_FAILS)


def _form(case: EvalCase) -> str:
    """The kind of result the sample test's query gives (its form, from the expected results)."""
    return expected_results(case.result).kind


@pytest.mark.parametrize("case", SAMPLE, ids=_ids(SAMPLE))
def test_on_disk_server_agrees(case: EvalCase, sample_server: tuple[LiveServer, Path]) -> None:
    """The real endpoint over the on-disk store answers what :func:`kg.web.worker.evaluate` answers
    on an in-memory copy of that store's quads (the in-memory shortcut above is sound).

    The sample tests share one store, so a query in default mode sees every sample's data; the
    comparison is between the two paths on the same quads, not with the expected results.
    """
    server, path = sample_server
    request = request_for(case, "json", 10_000)
    kind = _form(case)
    accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
    response = post_request(server.url, request, accept, timeout=30)
    assert response.status_code == 200, response.text
    served = parse_body(kind, "json", response.content)
    copy = ox.Store()
    copy.extend(ox.Store.read_only(str(path)))
    evaluated = evaluate(copy, request)
    if evaluated.kind == "graph":
        in_memory = graph_from_ox(evaluated.items)
    elif evaluated.kind == "boolean":
        in_memory = Results("boolean", boolean=evaluated.boolean)
    else:
        in_memory = from_ox(evaluated.variables, evaluated.items)
    in_order = ordered(case.query.read_text(encoding="utf-8"))
    assert same_results(in_memory, served, in_order=in_order), (
        f"{case.id}\nin memory {in_memory.describe()}\nserved {served.describe()}"
    )


# --- syntax tests, through pyoxigraph's parser: a check of the reader ------------------------------

SYNTAX = list(syntax_tests())


@pytest.mark.parametrize("case", SYNTAX, ids=[c.id for c in SYNTAX])
def test_query_syntax(case: SyntaxCase) -> None:
    """pyoxigraph parses every positive syntax test and refuses every negative one."""
    text = case.query.read_text(encoding="utf-8")
    try:
        ox.Store().query(text, base_iri=file_iri(case.query))
        parsed = True
    except SyntaxError:
        parsed = False
    except RuntimeError:  # parsed, then refused at evaluation (e.g. an unknown custom function)
        parsed = True
    assert parsed == case.positive, f"{case.id}: {'refused' if case.positive else 'accepted'}"
