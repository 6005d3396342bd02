"""/reconcile over a real on-disk store (the COG excerpt) and a real uvicorn server, with requests
shaped as OpenRefine sends them; every answer validated against the vendored 0.2 JSON Schemas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pyoxigraph as ox
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from endpoint_helpers import endpoint_settings
from importers_helpers import COG, SHARED
from kg.importers.cog import convert
from kg.store.default_graph import rebuild as rebuild_default_graph
from kg.web.app import create_app
from server_helpers import LiveServer, free_port

SCHEMAS = Path(__file__).parent / "vendor" / "reconciliation-api" / "0.2" / "schemas"
GRAPH = "https://w3id.org/kgci/graph/import/cog"


def validate(instance: Any, name: str) -> None:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema, DRAFT7)))
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    if name == "manifest":
        schema["properties"].pop("authentication")  # refers to a remote Swagger schema
    jsonschema.Draft7Validator(schema, registry=registry).validate(instance)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("reconcile")
    store = ox.Store(str(folder / "store"))
    store.load(convert(COG).data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH))
    rebuild_default_graph(store)
    store.flush()
    del store
    settings = endpoint_settings(folder / "store", folder, reference_dir=SHARED)
    with LiveServer(create_app(settings), free_port()) as live:
        yield live


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


def test_manifest_is_valid_and_allows_cors(client: httpx.Client) -> None:
    answer = client.get("/reconcile", headers={"Origin": "http://127.0.0.1:3333"})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] in {"*", "http://127.0.0.1:3333"}
    validate(answer.json(), "manifest")
    jsonp = client.get("/reconcile", params={"callback": "cb"})
    assert jsonp.text.startswith("/**/cb(") and jsonp.text.endswith(");")


def test_batch_as_openrefine_posts_it(client: httpx.Client) -> None:
    queries = {
        "q0": {"query": "Castres", "type": "https://w3id.org/kgci/def/Collectivity", "limit": 3},
        "q1": {"query": "Nowhere-Such-Town", "limit": 3},
    }
    answer = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    validate(body, "reconciliation-result-batch")
    assert body["q1"]["result"] == []
    top = body["q0"]["result"][0]
    assert top["match"] is True and top["id"].startswith("collectivity/castres-")
    extend = {"ids": [top["id"]], "properties": [{"id": "inseeCode"}, {"id": "population"}]}
    answer = client.post("/reconcile", data={"extend": json.dumps(extend)})
    validate(answer.json(), "data-extension-response")
    # Castres of the Tarn (81065) outweighs Castres of the Aisne (02142) tenfold in population.
    assert answer.json()["rows"][top["id"]]["inseeCode"] == [{"str": "81065"}]


def test_suggest_and_preview(client: httpx.Client) -> None:
    found = client.get("/reconcile/suggest/entity", params={"prefix": "Castr"}).json()
    validate(found, "suggest-entities-response")
    assert any(r["id"].startswith("collectivity/castres-") for r in found["result"])
    validate(
        client.get("/reconcile/suggest/type", params={"prefix": "comm"}).json(),
        "suggest-types-response",
    )
    validate(
        client.get("/reconcile/suggest/property", params={"prefix": "insee"}).json(),
        "suggest-properties-response",
    )
    validate(client.get("/reconcile/propose_properties").json(), "data-extension-property-proposal")
    card = client.get("/reconcile/preview", params={"id": found["result"][0]["id"]})
    assert card.status_code == 200 and "INSEE" in card.text


def test_bad_batch_is_one_error(client: httpx.Client) -> None:
    answer = client.post("/reconcile", data={"queries": "{not json"})
    assert answer.status_code == 400
    assert set(answer.json()["error"]) == {"status", "message"}
