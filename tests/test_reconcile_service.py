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
    extend = {"ids": [top["id"]], "properties": [{"id": "inseeCommuneCode"}, {"id": "population"}]}
    answer = client.post("/reconcile", data={"extend": json.dumps(extend)})
    validate(answer.json(), "data-extension-response")
    # Castres of the Tarn (81065) outweighs Castres of the Aisne (02142) tenfold in population.
    assert answer.json()["rows"][top["id"]]["inseeCommuneCode"] == [{"str": "81065"}]


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


def test_precision_on_the_sample_equals_the_importers(client: httpx.Client, tmp_path: Path) -> None:
    """The French rows of the hand-checked sample through the HTTP API, with the evidence the API
    takes (name, country, the source's own coordinates), give the importer's answers and precision."""
    import csv

    from kg.importers.curation import Curation
    from kg.importers.ntriples import ID
    from kg.importers.reconcile import MATCHED
    from kg.importers.reconcile.communes import CommuneIndex
    from kg.importers.twinnings import Resolver, Side
    from reconcile_evaluation import evaluate

    sample = Path(__file__).parent / "fixtures" / "reconciliation_sample.csv"
    with sample.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kind"] == "french-commune"]
    for row in rows:  # the API takes no population, nor geocoded points (a user's are their own)
        row["population"] = ""
        if row["coordinates_from"] == "geocoded":
            row["latitude"] = row["longitude"] = row["coordinates_from"] = ""
    same = tmp_path / "sample.csv"
    with same.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    importer = evaluate(same, Resolver(CommuneIndex.from_cog(COG), Curation({})))
    queries = {}
    for n, row in enumerate(rows):
        properties = [{"pid": "country", "v": row["country"]}]
        if row["latitude"]:
            properties.append({"pid": "coordinates", "v": f"{row['latitude']},{row['longitude']}"})
        queries[f"q{n}"] = {"query": row["name"], "properties": properties, "limit": 3}
    answer = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert answer.status_code == 200, answer.text
    validate(answer.json(), "reconciliation-result-batch")
    resolver = Resolver(CommuneIndex.from_cog(COG), Curation({}))
    through_api, through_importer = [], []
    for n, row in enumerate(rows):
        top = [c["id"] for c in answer.json()[f"q{n}"]["result"] if c["match"]]
        through_api.append((row["name"], top[0] if top else None))
        coordinates = (float(row["latitude"]), float(row["longitude"])) if row["latitude"] else None
        resolved = resolver.resolve(Side(row["name"], row["country"], coordinates))
        iri = resolved.iri.removeprefix(ID) if resolved.match.status == MATCHED else None
        through_importer.append((row["name"], iri))
    assert importer.matched > 50  # the comparison is not vacuous
    # every name the importer matches, the API matches to the same entity...
    assert [a for a, i in zip(through_api, through_importer, strict=True) if i[1]] == [
        i for i in through_importer if i[1]
    ]
    # ...and the API's further matches (by label: the English exonym "Dunkirk") are right too, so
    # its precision equals the importer's (1.0 on this sample)
    expected = {row["name"]: row["expected"] for row in rows}
    extra = [
        (name, iri)
        for (name, iri), (_, mine) in zip(through_api, through_importer, strict=True)
        if iri and not mine
    ]
    for name, iri in extra:
        assert iri.rsplit("-", 1)[1].upper() == expected[name].rsplit(":", 1)[1], (name, iri)
    assert importer.precision == 1.0, importer.wrong
