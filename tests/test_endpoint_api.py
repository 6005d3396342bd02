"""Named queries as a REST API (/api/queries/...), their OpenAPI entries, and `kg query` on the
command line, compared with direct QueryLibrary runs on the same on-disk store."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from cli_helpers import run_kg, start_kg, wait_until_serving
from endpoint_helpers import build_store, endpoint_settings
from kg.commands.endpoint import run_named
from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT
from kg.sparql_formats import RESULT_FORMATS, plain
from kg.web.app import create_app
from kg.web.worker import open_read_only
from server_helpers import LiveServer, free_port

DIJON = "https://w3id.org/kgci/id/collectivity/dijon-21231"
INJECTION = '"> } ; DROP ALL ; #'
CONSTRUCT_QUERY = """# title: Agreements as a graph
# description: Every agreement with its parties.
PREFIX kgc: <https://w3id.org/kgci/def/>
CONSTRUCT { ?a kgc:party ?p } WHERE { ?a kgc:party ?p }
"""


@pytest.fixture(scope="module")
def queries_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This part's named queries, copied so that others' queries being edited cannot interfere."""
    folder = tmp_path_factory.mktemp("queries")
    for path in (PROJECT_ROOT / "queries").glob("endpoint-*.rq"):
        shutil.copy(path, folder)
    (folder / "endpoint-test-graph.rq").write_text(CONSTRUCT_QUERY, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api") / "store", filler=20)


@pytest.fixture(scope="module")
def server(
    store_path: Path, queries_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    settings = endpoint_settings(store_path, tmp_path_factory.mktemp("api-settings"), queries_dir)
    with LiveServer(create_app(settings), free_port()) as live:
        yield live


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def direct(store_path: Path, queries_dir: Path, name: str, **params: str) -> list[dict[str, str]]:
    store = open_read_only(str(store_path))
    result = QueryLibrary(queries_dir).run(store, name, **params)
    variables = [v.value for v in result.variables]
    return [
        {v: s[v].value for v in variables if s[v] is not None}  # type: ignore[union-attr]
        for s in result
    ]


def test_list_of_queries_with_parameters(client: httpx.Client, queries_dir: Path) -> None:
    listed = {q["name"]: q for q in client.get("/api/queries").json()}
    assert set(listed) == set(QueryLibrary(queries_dir).names())
    partners = listed["endpoint-partners"]
    assert partners["title"] == "Partners of a collectivity"
    assert partners["parameters"][0]["name"] == "collectivity"
    assert partners["parameters"][0]["type"] == "iri"
    assert partners["parameters"][0]["required"] is True


def test_named_query_json_matches_a_direct_run(
    client: httpx.Client, store_path: Path, queries_dir: Path
) -> None:
    response = client.get("/api/queries/endpoint-partners", params={"collectivity": DIJON})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query"] == "endpoint-partners"
    assert body["truncated"] is False
    assert body["columns"] == ["collectivity", "partner", "partnerLabel", "agreement", "type"]
    expected = direct(store_path, queries_dir, "endpoint-partners", collectivity=DIJON)
    assert body["rows"] == expected
    assert body["rows"][0]["partnerLabel"] == "Mainz"
    counts = client.get("/api/queries/endpoint-class-counts").json()
    assert all(isinstance(row["instances"], int) for row in counts["rows"])


def test_named_query_csv(client: httpx.Client, store_path: Path, queries_dir: Path) -> None:
    response = client.get(
        "/api/queries/endpoint-label-search",
        params={"text": "dijon"},
        headers={"Accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expected = direct(store_path, queries_dir, "endpoint-label-search", text="dijon")
    assert rows == [{k: r.get(k, "") for k in ("resource", "label", "text")} for r in expected]
    assert len(rows) == 4


def test_parameter_values_are_plain_values_never_query_text(
    client: httpx.Client, store_path: Path
) -> None:
    before = client.get("/healthz").json()["triples"]
    response = client.get("/api/queries/endpoint-label-search", params={"text": INJECTION})
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    # the value matched, as a string, the one label that contains it; nothing was dropped
    assert [row["label"] for row in rows] == ['Odd "> } ; DROP ALL ; # label']
    assert rows[0]["text"] == INJECTION
    assert client.get("/healthz").json()["triples"] == before
    iri = client.get("/api/queries/endpoint-partners", params={"collectivity": INJECTION})
    assert iri.status_code == 400
    assert "expects a value of type iri" in iri.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "params", "status", "needle"),
    [
        ("/api/queries/endpoint-partners", {}, 400, "needs the parameter 'collectivity'"),
        (
            "/api/queries/endpoint-partners",
            {"collectivity": DIJON, "x": "1"},
            400,
            "no parameter x",
        ),
        ("/api/queries/nope", {}, 404, "known queries: endpoint-"),
    ],
)
def test_named_query_errors(
    client: httpx.Client, path: str, params: dict[str, str], status: int, needle: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert needle in response.json()["error"]["message"]


def test_construct_named_query_answers_rdf(client: httpx.Client) -> None:
    response = client.get(
        "/api/queries/endpoint-test-graph", headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200
    assert response.text.count("https://w3id.org/kgci/def/party") == 4


def test_openapi_lists_every_named_query_with_typed_parameters(
    client: httpx.Client, queries_dir: Path
) -> None:
    document = client.get("/openapi.json").json()
    for query in QueryLibrary(queries_dir):
        operation = document["paths"][f"/api/queries/{query.name}"]["get"]
        assert operation["summary"] == query.title
        assert [p["name"] for p in operation["parameters"]] == [p.name for p in query.parameters]
    partners = document["paths"]["/api/queries/endpoint-partners"]["get"]["parameters"][0]
    assert partners["required"] is True
    assert partners["schema"] == {"type": "string", "format": "uri"}
    assert (
        "text/csv"
        in document["paths"]["/api/queries/endpoint-partners"]["get"]["responses"]["200"]["content"]
    )
    assert "/api/queries" in document["paths"]


def run_cli(store: Path, queries_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"KG_STORE": str(store), "KG_QUERIES_DIR": str(queries_dir), "PATH": "/usr/bin:/bin"}
    return run_kg("query", *args, env=env, timeout=60)


def test_cli_query_runs_alongside_the_server(
    server: LiveServer, store_path: Path, queries_dir: Path
) -> None:
    expected = direct(store_path, queries_dir, "endpoint-partners", collectivity=DIJON)
    proc = run_cli(
        store_path,
        queries_dir,
        "endpoint-partners",
        "--param",
        f"collectivity={DIJON}",
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    bindings = json.loads(proc.stdout)["results"]["bindings"]
    assert [{k: v["value"] for k, v in b.items()} for b in bindings] == expected
    table = run_cli(store_path, queries_dir, "endpoint-class-counts")
    assert table.returncode == 0 and "Collectivity" in table.stdout
    tsv = run_cli(store_path, queries_dir, "endpoint-label-search", "-p", "text=mainz", "-f", "tsv")
    assert tsv.stdout.splitlines()[0] == "?resource\t?label\t?text"


def test_cli_errors_are_one_line(store_path: Path, queries_dir: Path) -> None:
    proc = run_cli(store_path, queries_dir, "endpoint-partners")
    assert proc.returncode == 1
    assert "needs the parameter 'collectivity'" in proc.stderr
    assert "Traceback" not in proc.stderr
    bad = run_cli(store_path, queries_dir, "endpoint-partners", "--param", "collectivity")
    assert bad.returncode == 1 and "name=value" in bad.stderr


def test_kg_serve_starts_the_endpoint(tmp_path: Path, queries_dir: Path) -> None:
    store = build_store(tmp_path / "store", filler=0)
    port = free_port()
    env = {
        "KG_STORE": str(store),
        "KG_QUERIES_DIR": str(queries_dir),
        "KG_QUARANTINE_DIR": str(tmp_path / "quarantine"),
        "PATH": "/usr/bin:/bin",
    }
    proc = start_kg("serve", "--host", "127.0.0.1", "--port", str(port), env=env)
    try:
        health = wait_until_serving(proc, port, within=30)
        assert health.json()["triples"] > 20
        answer = httpx.get(
            f"http://127.0.0.1:{port}/api/queries/endpoint-partners",
            params={"collectivity": DIJON},
        )
        assert answer.json()["rows"][0]["partnerLabel"] == "Mainz"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # uvicorn shuts down cleanly, then re-raises the SIGTERM it caught
    assert proc.returncode in (0, -15)
    assert proc.stderr is not None and b"Traceback" not in proc.stderr.read()


def test_every_project_query_is_in_the_openapi_document(tmp_path: Path) -> None:
    """The real queries/ directory: each file is an operation with its typed parameters."""
    settings = endpoint_settings(tmp_path / "store", tmp_path)
    library = QueryLibrary(settings.queries_dir)
    document = create_app(settings, store=ox.Store()).openapi()
    assert library.names()
    for query in library:
        operation = document["paths"][f"/api/queries/{query.name}"]["get"]
        assert operation["summary"] == query.title
        assert {p["name"]: p["required"] for p in operation["parameters"]} == {
            p.name: p.required for p in query.parameters
        }


@pytest.mark.parametrize("fmt", [f.name for f in RESULT_FORMATS])
def test_kg_query_and_sparql_share_one_writer_per_results_format(
    fmt: str, client: httpx.Client, store_path: Path, queries_dir: Path, tmp_path: Path
) -> None:
    """Every format of the one registry (kg.sparql_formats) is offered by ``kg query --format`` and
    by ``/sparql``, and both write the very same bytes for the same query on the same store."""
    settings = endpoint_settings(store_path, tmp_path, queries_dir)
    cli = run_named(settings, "endpoint-class-counts", {}, fmt)
    text = QueryLibrary(queries_dir).get("endpoint-class-counts").text
    web = client.post("/sparql", data={"query": text, "format": fmt})
    assert web.status_code == 200, web.text
    assert isinstance(cli, bytes) and cli.count(b"Collectivity") >= 1
    assert cli == web.content


def test_api_rows_written_by_the_worker_match_the_sparql_json_reshaped(
    client: httpx.Client, queries_dir: Path
) -> None:
    """The worker writes the API's rows itself (format ``rows``); they are exactly the SPARQL JSON
    results of the same query reshaped by :func:`kg.sparql_formats.plain` (numbers as numbers)."""
    text = QueryLibrary(queries_dir).get("endpoint-class-counts").text
    sparql = client.post("/sparql", data={"query": text, "format": "json"}).json()
    api = client.get("/api/queries/endpoint-class-counts")
    assert api.status_code == 200, api.text
    body = api.json()
    assert body["query"] == "endpoint-class-counts" and body["truncated"] is False
    assert body["columns"] == sparql["head"]["vars"]
    expected = [{k: plain(v) for k, v in b.items()} for b in sparql["results"]["bindings"]]
    assert body["rows"] == expected and isinstance(expected[0]["instances"], int)
