"""Web items of issue 15 and the one error shape of issue 17, against a real server: only http(s)
IRIs become links, odd IRIs answer 4xx in the error shape, redirects never echo the Host header,
error messages cap what they repeat, every route answers a bad request in the one shape, and
spreadsheet downloads neutralise formulas while /sparql CSV stays as the SPARQL spec says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from starlette.routing import Mount

from endpoint_helpers import build_store, endpoint_settings
from kg.store.default_graph import merged
from kg.web.app import create_app
from kg.web.sparql.results import write_select
from server_helpers import LiveServer, free_port

NOTE = "https://w3id.org/kgci/id/note/xss-test"
EVIL = "javascript:alert(document.cookie)"
GRAPH = "https://w3id.org/kgci/graph/test/xss"
SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("web")
    path = build_store(tmp / "store", filler=0)
    store = ox.Store(str(path))
    graph = ox.NamedNode(GRAPH)
    store.extend(
        merged(
            [
                ox.Quad(ox.NamedNode(NOTE), ox.NamedNode(SEE_ALSO), ox.NamedNode(EVIL), graph),
                ox.Quad(
                    ox.NamedNode(NOTE), ox.NamedNode(LABEL), ox.Literal("=HYPERLINK(1)"), graph
                ),
            ]
        )
    )
    store.flush()
    del store
    with LiveServer(create_app(endpoint_settings(path, tmp)), free_port()) as live:
        yield live


def assert_error_shape(response: httpx.Response, statuses: tuple[int, ...]) -> None:
    assert response.status_code in statuses, (response.request.url, response.text)
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code and body["error"]["message"]


def test_odd_iris_answer_4xx_in_the_error_shape(web_server: LiveServer) -> None:
    with httpx.Client(base_url=web_server.url) as client:
        for path in (
            "/id/%00",
            "/id/%ff%fe",
            "/id/thing/xss.ttl%0d%0a",
            "/incoming?iri=",
            "/incoming?iri=%00",
            "/def/%3Cscript%3E",
            "/incoming",
        ):
            assert_error_shape(client.get(path), (400, 404))


def test_only_http_iris_become_links(web_server: LiveServer) -> None:
    with httpx.Client(base_url=web_server.url) as client:
        for path in ("/id/note/xss-test", f"/incoming?iri={EVIL}"):
            page = client.get(path, headers={"Accept": "text/html"})
            assert page.status_code == 200, page.text
            assert "alert(document.cookie)" in page.text  # shown...
            assert not re.search(r"href=\"\s*javascript:", page.text, re.I)  # ...never linked
    script = (Path(__file__).parents[1] / "src/kg/web/static/query.js").read_text()
    assert "/^https?:/i.test(iri)" in script


def test_trailing_slash_redirect_never_echoes_the_host(web_server: LiveServer) -> None:
    with httpx.Client(base_url=web_server.url) as client:
        response = client.get("/sparql/", headers={"Host": "evil.example"})
        assert response.status_code in (301, 307, 308)
        assert "evil.example" not in response.headers["location"]
        assert response.headers["location"].startswith("/sparql")


def test_error_messages_cap_what_they_repeat(web_server: LiveServer) -> None:
    accept = "x/y," * 2500  # 10 kB
    with httpx.Client(base_url=web_server.url) as client:
        response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
        assert_error_shape(response, (406,))
        assert len(response.json()["error"]["message"]) < 1000


def walk(routes: list[Any]) -> Iterator[Any]:
    """Every route with a path and methods, inside included routers too."""
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from walk(nested.routes)
        elif getattr(route, "methods", None) and not isinstance(route, Mount):
            yield route


def test_every_route_answers_a_bad_request_in_the_one_shape(web_server: LiveServer) -> None:
    routes = list(walk(web_server.server.config.app.routes))  # type: ignore[attr-defined]
    assert len(routes) > 15
    with httpx.Client(base_url=web_server.url, timeout=30) as client:
        for route in routes:
            path = re.sub(r"\{[^}]+\}", "%00", route.path)
            method = sorted(route.methods)[0]
            bad = {"page": "-1", "iri": "%00", "query": "SELECT ?", "format": "nope"}
            response = client.request(method, path, params=bad, headers={"Accept": "x/none"})
            if response.status_code >= 400:
                assert_error_shape(response, (response.status_code,))
            wrong = client.request("PATCH", path)
            assert_error_shape(wrong, (404, 405))


def test_spreadsheet_downloads_neutralise_formulas_and_sparql_csv_does_not(
    web_server: LiveServer,
) -> None:
    rows = [[ox.Literal(v)] for v in ("=1+1", "+1", "-1", "@SUM(A1)", "plain")]
    out: list[bytes] = []
    write_select("csv", ["v"], rows, out.append, truncated=False, spreadsheet_safe=True)
    assert b"".join(out).decode().split("\r\n")[1:-1] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "plain",
    ]
    query = f"SELECT ?l WHERE {{ <{NOTE}> <{LABEL}> ?l }}"
    with httpx.Client(base_url=web_server.url) as client:
        csv = client.get("/sparql", params={"query": query, "format": "csv"})
        assert csv.text.split("\r\n")[1] == "=HYPERLINK(1)"  # SPARQL 1.1 CSV, unchanged
