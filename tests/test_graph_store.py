"""The Graph Store HTTP Protocol at /rdf-graph-store on a real server: GET/HEAD in every RDF format,
PUT/POST/DELETE with the token through the load pipeline (201 new, 204 replaced/merged/deleted,
404 missing, 400 bad RDF or a broken shape with the store unchanged, 415 unknown type), the
default graph read-only, protected graphs refused, a load record per write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from endpoint_helpers import dump, writable_server
from server_helpers import LiveServer

TOKEN = "gsp-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GRAPH = "https://w3id.org/kgci/graph/test/gsp"
THING = "https://w3id.org/kgci/id/note/graph-store-test"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TURTLE = f'<{THING}> <{LABEL}> "Note"@en .\n'.encode()
MORE = f'<{THING}> <{LABEL}> "Note FR"@fr .\n'.encode()
PROVENANCE = "https://w3id.org/kgci/graph/provenance"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with writable_server(tmp_path, TOKEN) as live:
        yield live


def triples(response: httpx.Response) -> set[str]:
    """The triples of a response body, parsed by its Content-Type, as N-Triples lines."""
    media = response.headers["content-type"].split(";")[0]
    fmt = ox.RdfFormat.from_media_type(media)
    assert fmt is not None, media
    return {
        str(ox.Triple(q.subject, q.predicate, q.object))
        for q in ox.parse(response.content, format=fmt, base_iri=GRAPH)
    }


def write(
    client: httpx.Client, method: str, body: bytes, media: str = "text/turtle", **kw: str
) -> httpx.Response:
    """A Graph Store write (``method`` PUT or POST) of ``body`` into the test graph, with the token."""
    return client.request(
        method,
        "/rdf-graph-store",
        params={"graph": GRAPH, **kw},
        content=body,
        headers={**AUTH, "Content-Type": media},
    )


def put(client: httpx.Client, body: bytes, media: str = "text/turtle", **kw: str) -> httpx.Response:
    return write(client, "PUT", body, media, **kw)


def test_get_and_head_in_every_rdf_format(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        default = client.get("/rdf-graph-store", params={"default": ""})
        assert default.status_code == 200, default.text
        assert default.headers["content-type"].startswith("text/turtle")
        expected = triples(default)
        assert len(expected) > 10
        # the default graph is the merge: the same triples a CONSTRUCT on it gives
        construct = client.get(
            "/sparql",
            params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/n-triples"},
        )
        assert triples(construct) == expected
        for media in (
            "text/turtle",
            "application/n-triples",
            "application/ld+json",
            "application/rdf+xml",
            "application/trig",
            "application/n-quads",
        ):
            response = client.get("/rdf-graph-store?default", headers={"Accept": media})
            assert response.status_code == 200, (media, response.text)
            assert response.headers["content-type"].split(";")[0] == media
            assert triples(response) == expected, media
            head = client.head("/rdf-graph-store?default", headers={"Accept": media})
            assert head.status_code == 200
            assert head.content == b""
            assert head.headers["content-type"] == response.headers["content-type"]
            assert int(head.headers["content-length"]) == len(response.content)
        refused = client.get("/rdf-graph-store?default", headers={"Accept": "image/png"})
        assert refused.status_code == 406
        missing = client.get("/rdf-graph-store", params={"graph": GRAPH})
        assert missing.status_code == 404
        assert GRAPH in missing.json()["error"]["message"]
        assert client.head("/rdf-graph-store", params={"graph": GRAPH}).status_code == 404
        for bad in ("", "?graph=a&default", "?graph=not-an-iri"):
            response = client.get(f"/rdf-graph-store{bad}")
            assert response.status_code == 400, (bad, response.text)
            assert set(response.json()["error"]) == {"status", "message"}


def test_put_post_delete_with_the_token(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        before = dump(client)
        no_token = client.put(
            "/rdf-graph-store",
            params={"graph": GRAPH},
            content=TURTLE,
            headers={"Content-Type": "text/turtle"},
        )
        assert no_token.status_code == 403
        assert client.delete("/rdf-graph-store", params={"graph": GRAPH}).status_code == 403
        assert dump(client) == before

        created = put(client, TURTLE)
        assert created.status_code == 201, created.text
        got = client.get("/rdf-graph-store", params={"graph": GRAPH})
        assert got.status_code == 200
        assert triples(got) == {f'<{THING}> <{LABEL}> "Note"@en'}
        # the write reaches the merge, seen by the query workers
        ask = client.get("/sparql", params={"query": f'ASK {{ <{THING}> <{LABEL}> "Note"@en }}'})
        assert ask.json()["boolean"] is True

        merged = write(client, "POST", MORE)
        assert merged.status_code == 204, merged.text
        got = client.get("/rdf-graph-store", params={"graph": GRAPH})
        assert len(triples(got)) == 2

        replaced = put(client, MORE.replace(b"Note FR", b"Autre"), "application/n-triples")
        assert replaced.status_code == 204, replaced.text
        got = client.get("/rdf-graph-store", params={"graph": GRAPH})
        assert triples(got) == {f'<{THING}> <{LABEL}> "Autre"@fr'}

        records = client.get(
            "/sparql",
            params={
                "query": "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?a WHERE { GRAPH "
                f"<{PROVENANCE}> {{ ?a prov:generated <{GRAPH}> }} }}"
            },
        )
        assert len(records.json()["results"]["bindings"]) == 3  # one load record per write

        deleted = client.delete("/rdf-graph-store", params={"graph": GRAPH}, headers=AUTH)
        assert deleted.status_code == 204, deleted.text
        assert client.get("/rdf-graph-store", params={"graph": GRAPH}).status_code == 404
        ask = client.get("/sparql", params={"query": f"ASK {{ <{THING}> ?p ?o }}"})
        assert ask.json()["boolean"] is False
        again = client.delete("/rdf-graph-store", params={"graph": GRAPH}, headers=AUTH)
        assert again.status_code == 404

        posted = write(client, "POST", TURTLE)
        assert posted.status_code == 201, posted.text


def test_bad_writes_leave_the_store_as_it_was(server: LiveServer, tmp_path: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert put(client, TURTLE).status_code == 201
        before = dump(client)

        syntax = put(client, b"<a> <b> .\n")
        assert syntax.status_code == 400
        message = syntax.json()["error"]["message"]
        assert "line 1" in message and "kept in" in message, message

        dangling = put(
            client,
            f"<{THING}> <https://w3id.org/kgci/def/party> "
            "<https://w3id.org/kgci/id/collectivity/nowhere-xx> .".encode(),
        )
        assert dangling.status_code == 400, dangling.text
        assert "violation" in dangling.json()["error"]["message"]
        assert "nowhere-xx" in dangling.json()["error"]["message"]  # the report's rows

        unknown = put(client, TURTLE, "application/x-unknown")
        assert unknown.status_code == 415
        assert "Content-Type" in unknown.json()["error"]["message"]

        stray = put(
            client, f"<{THING}> <{LABEL}> 'x' <{GRAPH}/other> .".encode(), "application/n-quads"
        )
        assert stray.status_code == 400, stray.text

        for method in ("PUT", "POST", "DELETE"):
            response = client.request(
                method,
                "/rdf-graph-store?default",
                content=TURTLE,
                headers={**AUTH, "Content-Type": "text/turtle"},
            )
            assert response.status_code == 400, (method, response.text)
            assert "default graph" in response.json()["error"]["message"]
            protected = client.request(
                method,
                "/rdf-graph-store",
                params={"graph": PROVENANCE},
                content=TURTLE,
                headers={**AUTH, "Content-Type": "text/turtle"},
            )
            assert protected.status_code == 403, (method, protected.text)
        assert dump(client) == before
    assert any((tmp_path / "quarantine").iterdir())


def test_service_description_names_the_graph_store(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        description = client.get("/sparql", headers={"Accept": "application/n-triples"})
        assert f"<{server.url}/rdf-graph-store>" in description.text
        assert "<http://www.w3.org/TR/sparql11-http-rdf-update/>" in description.text
