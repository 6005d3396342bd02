"""All 34 W3C SPARQL 1.1 Protocol tests, read from the vendored manifest, sent as written to a real
uvicorn server over an on-disk store holding the test's graph data, with the update token and
without it (then every update the test expects to succeed must be refused with 403 and the test
stops there: what follows checks the update's effect).

The ``/sparql/`` of the manifest's paths is the endpoint's ``/sparql``. A test the endpoint fails
today for a reason of its own design or of work in progress is in :data:`EXPECTED_FAILURES`, an
xfail that is strict: it fails the run once the endpoint passes it, so the list stays true.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from endpoint_helpers import endpoint_settings
from kg.store.default_graph import rebuild as rebuild_default_graph
from kg.web.app import create_app
from server_helpers import LiveServer, free_port
from w3c_protocol import ProtocolCase, protocol_tests

TOKEN = "w3c-protocol-token"
CASES = protocol_tests()
ALL_REFUSED = (
    "the endpoint refuses CLEAR ALL / DROP ALL by design: an update writes only graphs it names "
    "(see kg.web.sparql.update_plan)"
)
#: Test id -> why the endpoint fails it today (both token modes unless the key says otherwise).
SEVERAL_DEFAULTS = (
    "the endpoint refuses several default-graph-uri (pyoxigraph would merge them as a bag, "
    "counting a shared triple twice; see run_query in kg.web.routes.sparql)"
)
EXPECTED_FAILURES: dict[str, str] = {
    "query_dataset_default_graphs_get": SEVERAL_DEFAULTS,
    "query_dataset_default_graphs_post": SEVERAL_DEFAULTS,
    **{
        f"{name}[token]": ALL_REFUSED
        for name in (
            "update_dataset_default_graph",
            "update_dataset_default_graphs",
            "update_dataset_named_graphs",
            "update_dataset_full",
            "update_post_form",
            "update_post_direct",
        )
    },
}


def _params() -> list[object]:
    out: list[object] = []
    for case in CASES:
        for mode in ("token", "no-token"):
            reason = EXPECTED_FAILURES.get(f"{case.id}[{mode}]", EXPECTED_FAILURES.get(case.id))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            out.append(pytest.param(case, mode, id=f"{case.id}[{mode}]", marks=marks))
    return out


def test_the_manifest_has_the_34_tests() -> None:
    assert len(CASES) == 34
    assert len({c.id for c in CASES}) == 34
    assert set(k.split("[")[0] for k in EXPECTED_FAILURES) <= {c.id for c in CASES}


@pytest.fixture
def server_for(tmp_path: Path) -> Iterator[object]:
    """A function starting a server for a case's graph data, with or without the token."""
    stack: list[LiveServer] = []

    def start(case: ProtocolCase, with_token: bool) -> LiveServer:
        store_path = tmp_path / "store"
        store = ox.Store(str(store_path))
        for path, graph in case.graph_data.items():
            store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
        rebuild_default_graph(store)
        store.flush()
        del store
        settings = endpoint_settings(
            store_path, tmp_path, query_workers=1, update_token=TOKEN if with_token else None
        )
        live = LiveServer(create_app(settings), free_port()).__enter__()
        stack.append(live)
        return live

    yield start
    for live in stack:
        live.__exit__(None, None, None)


def _boolean(response: httpx.Response) -> bool:
    media = response.headers.get("content-type", "")
    if "json" in media:
        return bool(response.json()["boolean"])
    return "<boolean>true</boolean>" in response.text


@pytest.mark.parametrize(("case", "mode"), _params())
def test_protocol(
    case: ProtocolCase, mode: str, server_for: object, record_property: object
) -> None:
    record_property("w3c_suite", f"SPARQL 1.1 Protocol ({mode})")  # type: ignore[operator]
    live: LiveServer = server_for(case, mode == "token")  # type: ignore[operator]
    with httpx.Client(base_url=live.url, timeout=30) as client:
        for number, request in enumerate(case.requests, start=1):
            headers = dict(request.headers)
            if mode == "token":
                headers["authorization"] = f"Bearer {TOKEN}"
            path = "/sparql" + request.path_and_query.removeprefix("/sparql/")
            response = client.request(request.method, path, headers=headers, content=request.body)
            where = f"{case.id} request {number}: {response.status_code} {response.text[:300]}"
            if mode == "no-token" and request.is_update and 2 in request.statuses:
                assert response.status_code == 403, where  # refused without the token: stop
                return
            assert response.status_code // 100 in request.statuses, where
            if request.boolean is not None:
                assert _boolean(response) is request.boolean, where
            if case.content_types:
                media = response.headers.get("content-type", "").split(";")[0].strip()
                assert media in case.content_types, where
