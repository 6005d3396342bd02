"""The SPARQL 1.1 Protocol at /sparql over a real uvicorn server and an on-disk store: every result
format parsed back and compared with a direct store query, the protocol's error cases, limits, CORS,
the service description, and third-party clients (SPARQLWrapper, rdflib's SPARQLStore)."""

from __future__ import annotations

import csv as csv_module
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.sparql.results.csvresults import CSVResultParser
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from endpoint_helpers import SAMPLE, build_store, endpoint_settings
from kg.store.default_graph import rebuild as rebuild_default_graph
from kg.web.app import create_app
from kg.web.worker import open_read_only
from security_helpers import Listener
from server_helpers import LiveServer, free_port

AGREEMENTS = "https://w3id.org/kgci/graph/test/agreements"
COLLECTIVITIES = "https://w3id.org/kgci/graph/test/collectivities"
DIJON = "https://w3id.org/kgci/id/collectivity/dijon-21231"
SELECT = (
    "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
    f"FILTER(?g IN (<{AGREEMENTS}>, <{COLLECTIVITIES}>)) }} ORDER BY ?s ?p ?o"
)
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{AGREEMENTS}> {{ ?s ?p ?o }} }}"
MAX_ROWS = 200


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("endpoint") / "store")


@pytest.fixture(scope="module")
def server(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = endpoint_settings(
        store_path,
        tmp_path_factory.mktemp("endpoint-settings"),
        max_rows=MAX_ROWS,
        max_query_length=4000,
        max_body=8000,
        cors_origins=["https://example.org"],
    )
    with LiveServer(create_app(settings), free_port()) as live:
        yield live


@pytest.fixture(scope="module")
def direct(store_path: Path, server: LiveServer) -> ox.Store:
    """A read-only handle on the same store, opened next to the server's (as a worker does)."""
    return open_read_only(str(store_path))


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def direct_rows(store: ox.Store, query: str) -> list[tuple[object, ...]]:
    """Rows of a direct pyoxigraph query as rdflib terms, for comparison with parsed results."""
    results = store.query(query, use_default_graph_as_union=True)
    data = results.serialize(format=ox.QueryResultsFormat.JSON)
    parsed = JSONResultParser().parse(io.BytesIO(data))
    return [tuple(row) for row in parsed]


PARSERS = {
    "json": JSONResultParser,
    "xml": XMLResultParser,
    "csv": CSVResultParser,
    "tsv": TSVResultParser,
}


@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_select_in_every_results_format_matches_the_store(
    client: httpx.Client, direct: ox.Store, fmt: str
) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["x-kg-truncated"] == "false"
    parser = PARSERS[fmt]()
    source = io.StringIO(response.text) if fmt in ("csv", "tsv") else io.BytesIO(response.content)
    got = [tuple(row) for row in parser.parse(source)]
    expected = direct_rows(direct, SELECT)
    assert len(got) == len(expected) > 20
    if fmt == "csv":  # CSV loses term types: compare the lexical forms

        def lexical(term: object) -> str | None:
            text = None if term is None else str(term)
            if isinstance(term, BNode) or (text or "").startswith("_:"):
                return "_:"  # blank-node labels are not comparable across serialisations
            return text or None

        expected_text = [tuple(lexical(t) for t in row) for row in expected]
        got_text = [tuple(lexical(t) for t in row) for row in got]
        assert sorted(got_text, key=str) == sorted(expected_text, key=str)
    else:
        # blank-node labels may differ; compare every row that has none, and the row count
        def named(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
            return sorted(
                (r for r in rows if "_:" not in str(r) and "BNode" not in repr(r)), key=str
            )

        assert named(got) == named(expected)


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("text/html;q=0.9, text/csv", "text/csv"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_format_follows_accept_q_values(
    client: httpx.Client, accept: str, media: str
) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [
        ("turtle", "turtle"),
        ("ntriples", "nt"),
        ("jsonld", "json-ld"),
        ("rdfxml", "xml"),
        ("trig", "trig"),
        ("nquads", "nquads"),
    ],
)
def test_construct_in_every_rdf_format_is_isomorphic_to_the_store(
    client: httpx.Client, direct: ox.Store, fmt: str, rdflib_format: str
) -> None:
    response = client.post("/sparql", data={"query": CONSTRUCT, "format": fmt})
    assert response.status_code == 200, response.text
    expected = Graph().parse(
        data=ox.serialize(
            direct.query(CONSTRUCT, use_default_graph_as_union=True), format=ox.RdfFormat.N_TRIPLES
        ),
        format="nt",
    )
    if fmt in ("trig", "nquads"):
        dataset = Dataset()
        dataset.parse(data=response.content, format=rdflib_format)
        got = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            got.add((s, p, o))
    else:
        got = Graph().parse(data=response.content, format=rdflib_format)
    assert len(got) == len(expected) > 10
    assert isomorphic(got, expected)


def test_post_sparql_query_body_and_ask_and_describe(client: httpx.Client) -> None:
    ask = client.post(
        "/sparql",
        content=f"ASK {{ <{DIJON}> ?p ?o }}",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    assert ask.status_code == 200
    assert ask.json()["boolean"] is True
    describe = client.get(
        "/sparql", params={"query": f"DESCRIBE <{DIJON}>"}, headers={"Accept": "text/turtle"}
    )
    graph = Graph().parse(data=describe.text, format="turtle")
    assert (URIRef(DIJON), None, Literal("Dijon", lang="fr")) in graph


def test_default_graph_is_the_union_unless_dataset_is_given(client: httpx.Client) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type }"

    def count(params: dict[str, object]) -> int:
        response = client.get("/sparql", params={"query": query, **params})
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    union = count({})
    only_agreements = count({"default-graph-uri": AGREEMENTS})
    assert only_agreements == 2
    assert union > only_agreements
    # several default graphs would be merged as a bag (double counting): refused, one way or other
    for params in (
        {"query": query, "default-graph-uri": [AGREEMENTS, COLLECTIVITIES]},
        {"query": f"SELECT * FROM <{AGREEMENTS}> FROM <{COLLECTIVITIES}> WHERE {{ ?s ?p ?o }}"},
    ):
        several = client.get("/sparql", params=params)
        assert several.status_code == 400, several.text
        assert "2 default graphs" in several.json()["error"]["message"]
    named = client.get(
        "/sparql",
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": COLLECTIVITIES,
        },
    )
    graphs = [b["g"]["value"] for b in named.json()["results"]["bindings"]]
    assert graphs == [COLLECTIVITIES]


def test_malformed_query_is_400_with_parser_position(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "malformed" in message
    assert "line 1, column" in message  # the parser's position, mapped to the user's text


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, 406),
        (
            {
                "params": {"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                "headers": {"Accept": "application/sparql-results+json"},
            },
            406,
        ),
        ({"params": {"query": "ASK {}", "format": "yaml"}}, 400),
        ({"params": {"query": ["ASK {}", "ASK {}"]}}, 400),
        ({"params": {"update": "CLEAR ALL"}}, 400),
    ],
)
def test_protocol_error_statuses(client: httpx.Client, kwargs: dict, status: int) -> None:  # type: ignore[type-arg]
    response = client.get("/sparql", **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["error"]["status"] == status
    assert response.json()["error"]["message"]


def test_wrong_post_content_type_is_415(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", content="ASK {}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 415
    assert "application/sparql-query" in response.json()["error"]["message"]


def test_limits_rows_query_length_and_body(client: httpx.Client, direct: ox.Store) -> None:
    everything = "SELECT * WHERE { ?s ?p ?o }"
    assert len(list(direct.query(everything, use_default_graph_as_union=True))) > MAX_ROWS
    response = client.get("/sparql", params={"query": everything})
    assert response.headers["x-kg-truncated"] == "true"
    data = response.json()
    assert data["truncated"] is True
    assert len(data["results"]["bindings"]) == MAX_ROWS
    csv = client.get("/sparql", params={"query": everything, "format": "csv"})
    assert csv.headers["x-kg-truncated"] == "true"
    assert len(list(csv_module.reader(io.StringIO(csv.text)))) == MAX_ROWS + 1

    long_query = "ASK {} " + "#" * 5000
    too_long = client.post(
        "/sparql", content=long_query, headers={"Content-Type": "application/sparql-query"}
    )
    assert too_long.status_code == 413
    assert "KG_MAX_QUERY_LENGTH" in too_long.json()["error"]["message"]
    too_big = client.post(
        "/sparql",
        content="ASK {} " + "#" * 9000,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert too_big.status_code == 413
    assert "KG_MAX_BODY" in too_big.json()["error"]["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body arrives chunked
        yield b"query=ASK+%7B%7D+"
        for _ in range(10):
            yield b"%23" * 1000

    chunked = client.post(
        "/sparql", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert chunked.status_code == 413
    assert "KG_MAX_BODY" in chunked.json()["error"]["message"]


def test_cors_headers_for_get_post_and_preflight(client: httpx.Client) -> None:
    origin = {"Origin": "https://example.org"}
    get = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    assert get.headers["access-control-allow-origin"] == "https://example.org"
    assert "x-kg-truncated" in get.headers["access-control-expose-headers"].lower()
    post = client.post("/sparql", data={"query": "ASK {}"}, headers=origin)
    assert post.headers["access-control-allow-origin"] == "https://example.org"
    preflight = client.options(
        "/sparql",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    other = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


def test_service_description_lists_formats_and_graphs(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(f"{client.base_url}/sparql")
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) not in graph
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert {AGREEMENTS, COLLECTIVITIES} <= names
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert isomorphic(Graph().parse(data=jsonld.text, format="json-ld"), graph)


def test_html_accept_gets_the_query_page(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.status_code == 200
    assert "<textarea" in response.text
    assert "PREFIX kgc: &lt;https://w3id.org/kgci/def/&gt;" in response.text


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
        "PREFIX x: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/s> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "select * where {{ # a comment }}\n service <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_never_reaches_the_network(client: httpx.Client, template: str) -> None:
    with Listener() as listener:
        query = template.format(port=listener.port)
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 400, response.text
        assert "SERVICE" in response.json()["error"]["message"]
    assert listener.connections == []


def test_service_keyword_inside_strings_and_names_is_not_refused(client: httpx.Client) -> None:
    query = 'SELECT ?service WHERE { BIND("SERVICE <http://x/>" AS ?service) }'
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["service"]["value"] == "SERVICE <http://x/>"


def test_sparqlwrapper_client(server: LiveServer, direct: ox.Store) -> None:
    wrapper = SPARQLWrapper(f"{server.url}/sparql")
    wrapper.setQuery(SELECT)
    wrapper.setReturnFormat(JSON)
    result = wrapper.queryAndConvert()
    assert isinstance(result, dict)
    assert len(result["results"]["bindings"]) == len(direct_rows(direct, SELECT))
    wrapper.setMethod("POST")
    wrapper.setQuery(f"ASK {{ <{DIJON}> a ?t }}")
    assert wrapper.queryAndConvert()["boolean"] is True  # type: ignore[index]


def test_rdflib_sparqlstore_client(server: LiveServer, direct: ox.Store) -> None:
    store = SPARQLStore(f"{server.url}/sparql", returnFormat="xml")
    graph = Graph(store=store)
    rows = list(graph.query(SELECT))
    assert len(rows) == len(direct_rows(direct, SELECT))
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None
    expected = Graph().parse(
        data=ox.serialize(
            direct.query(CONSTRUCT, use_default_graph_as_union=True), format=ox.RdfFormat.N_TRIPLES
        ),
        format="nt",
    )
    assert isomorphic(constructed, expected)
    labels = {
        str(o)
        for o in graph.objects(URIRef(DIJON), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    }
    assert labels == {"Dijon"}


def test_healthz_reports_the_store_size(client: httpx.Client, direct: ox.Store) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["triples"] == len(direct)


def test_request_log_line_per_query(client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="kg.web.requests"):
        client.get("/sparql", params={"query": SELECT})
    lines = [r.getMessage() for r in caplog.records if r.name == "kg.web.requests"]
    assert any("GET /sparql status=200 rows=" in line and "duration=" in line for line in lines)


def test_json_results_are_valid_sparql_json(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?x ?y WHERE { VALUES ?x { 1 } }"})
    data = json.loads(response.text)
    assert data["head"]["vars"] == ["x", "y"]
    assert data["results"]["bindings"] == [
        {
            "x": {
                "type": "literal",
                "value": "1",
                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            }
        }
    ]


def test_large_results_are_streamed_in_chunks(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store", filler=3000)
    settings = endpoint_settings(path, tmp_path, max_rows=100_000)
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    with (
        LiveServer(create_app(settings), free_port()) as live,
        httpx.Client(base_url=live.url, timeout=30) as http,
        http.stream("GET", "/sparql", params={"query": query, "format": "tsv"}) as response,
    ):
        assert response.status_code == 200
        assert response.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in response.headers
        pieces = list(response.iter_raw())
        body = b"".join(pieces).decode()
        # a client that leaves mid-stream does not leave a worker stuck
        for _ in range(3):
            with http.stream("GET", "/sparql", params={"query": query, "format": "tsv"}) as cut:
                next(cut.iter_raw())
        for _ in range(5):
            assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    reader = open_read_only(str(path))
    expected = sum(1 for _ in reader.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert len(body.splitlines()) == expected + 1 > 3000
    assert len(body) > 64 * 1024


def test_in_memory_store_is_served_in_process(tmp_path: Path) -> None:
    """Other parts' tests serve in-memory stores: queries then run in a thread of the server."""
    store = ox.Store()
    store.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    rebuild_default_graph(store)
    settings = endpoint_settings(tmp_path / "unused", tmp_path, max_rows=3).model_copy(
        update={"store": None}
    )
    with (
        LiveServer(create_app(settings, store=store), free_port()) as live,
        httpx.Client(base_url=live.url) as http,
    ):
        assert http.get("/healthz").json()["query_workers"] == 0
        response = http.get("/sparql", params={"query": f"ASK {{ <{DIJON}> ?p ?o }}"})
        assert response.json()["boolean"] is True
        rows = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert rows.headers["x-kg-truncated"] == "true"
        assert len(rows.json()["results"]["bindings"]) == 3
        bad = http.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
        assert bad.status_code == 400


def test_relative_iris_resolve_against_the_endpoint(client: httpx.Client) -> None:
    # W3C protocol test query_content_type_construct: a query with relative IRIs and no BASE
    response = client.get(
        "/sparql",
        params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200, response.text
    assert response.text.startswith("<https://w3id.org/kgci/s> <https://w3id.org/kgci/p> ")
