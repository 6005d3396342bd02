"""The project's prefixes: one registry, pre-declared by the endpoint (a query's own PREFIX wins),
listed at /prefixes (Turtle and JSON) and in the service description; a real server on a real store."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib import Graph

from kg import prefixes
from kg.settings import PROJECT_ROOT
from kg.web.worker import open_read_only

DIJON = "https://w3id.org/kgci/id/collectivity/dijon-21231"


def select(sample_client: httpx.Client, query: str) -> httpx.Response:
    return sample_client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )


def test_the_registry_has_a_prefix_for_every_scheme_file_and_the_documented_families() -> None:
    for path in sorted((PROJECT_ROOT / "ontology" / "vocab").glob("*.ttl")):
        declared = re.search(r"@prefix\s+:\s+<([^>]+)>", path.read_text(encoding="utf-8"))
        assert declared is not None, path
        assert prefixes.ALL[path.stem] == declared.group(1), path.name
    used = set(
        re.findall(r"\b([a-z][a-z-]*):[a-z]", (PROJECT_ROOT / "ontology" / "README.md").read_text())
    )
    used -= {"https", "http", "urn", "mailto"}
    assert used <= set(prefixes.ALL), used - set(prefixes.ALL)


def test_a_family_prefix_answers_what_the_full_iri_answers(
    sample_client: httpx.Client, sample_store: Path
) -> None:
    query = "SELECT ?p ?o WHERE { collectivity:dijon-21231 ?p ?o } ORDER BY ?p ?o"
    response = select(sample_client, query)
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    direct = open_read_only(str(sample_store))
    expected = list(direct.query(f"SELECT ?p ?o WHERE {{ <{DIJON}> ?p ?o }} ORDER BY ?p ?o"))
    assert len(rows) == len(expected) > 0
    assert [r["p"]["value"] for r in rows] == [s["p"].value for s in expected]


def test_a_query_prefix_overrides_the_predeclared_one(sample_client: httpx.Client) -> None:
    response = select(sample_client, "PREFIX kgc: <http://example.org/x/> SELECT (kgc:a AS ?v) {}")
    assert response.json()["results"]["bindings"][0]["v"]["value"] == "http://example.org/x/a"
    response = select(sample_client, "SELECT (kgc:a AS ?v) {}")
    assert response.json()["results"]["bindings"][0]["v"]["value"] == prefixes.ALL["kgc"] + "a"


def test_a_service_by_prefixed_name_is_still_refused(sample_client: httpx.Client) -> None:
    response = select(sample_client, "SELECT * { SERVICE collectivity:x { ?s ?p ?o } }")
    assert response.status_code == 400
    assert "SERVICE" in response.json()["error"]["message"]


def test_prefixes_as_json_is_a_flat_object_of_the_registry(sample_client: httpx.Client) -> None:
    response = sample_client.get("/prefixes", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == prefixes.ALL
    assert response.json()["membership-role"] == "https://w3id.org/kgci/vocab/membership-role/"


def test_prefixes_as_turtle_declares_the_registry(sample_client: httpx.Client) -> None:
    response = sample_client.get("/prefixes", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text + "kgc:a kgc:b kgc:c .", format="turtle")
    assert {str(p): str(n) for p, n in graph.namespaces() if str(p) in prefixes.ALL} == {
        k: v for k, v in prefixes.ALL.items()
    }
    assert sample_client.get("/prefixes", headers={"Accept": "image/png"}).status_code == 406


def test_the_service_description_declares_the_prefixes(sample_client: httpx.Client) -> None:
    response = sample_client.get("/sparql", headers={"Accept": "text/turtle"})
    store = ox.Store()
    store.load(response.content, format=ox.RdfFormat.TURTLE)
    rows = store.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> "
        "SELECT ?p ?n { ?s sh:declare [ sh:prefix ?p ; sh:namespace ?n ] }"
    )
    assert {r["p"].value: r["n"].value for r in rows} == prefixes.ALL
