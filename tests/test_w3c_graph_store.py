"""The W3C SPARQL 1.1 Graph Store HTTP Protocol tests (``tests/w3c/sparql11/http-rdf-update``) on a
real uvicorn server, in the manifest's order, with the update token.

The manifest describes each request and response in prose (an HTTP message in ``rdfs:comment``);
:func:`read_steps` reads that prose into a table of steps, so the table is the vendored file's own
text. ``$HOST$`` is ``www.example`` and ``$GRAPHSTORE$`` is ``gsp``, so a graph the prose names by
its own URL (direct identification, ``PUT $GRAPHSTORE$/person/1.ttl``) is the graph
``http://www.example/gsp/person/1.ttl`` that the following GETs name with ``?graph=`` (indirect
identification): the endpoint serves indirect identification only (its paths below ``/`` are the
linked-data site), so a direct request is sent as the indirect request naming the same graph.

A success the prose writes ``200 OK`` may be ``200`` or ``204`` (the protocol allows both); other
statuses must be equal. An expected body is compared with the response as graphs (isomorphism, so
blank nodes match up to renaming). A step the endpoint fails for a reason of its design, or because
the deprecated manifest contradicts itself, is in :data:`EXPECTED_FAILURES`: a strict xfail. The
server has no shapes (:func:`w3c_update.conformance_ontology`): FOAF test data are not the project's.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from server_helpers import LiveServer
from w3c_update import conformance_server, with_expected_failures

MANIFEST = Path(__file__).parent / "w3c" / "sparql11" / "http-rdf-update" / "manifest.ttl"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HOST, GRAPHSTORE = "www.example", "gsp"
TOKEN = "w3c-gsp-token"
SUITE = "SPARQL 1.1 Graph Store Protocol"

DEFAULT_BY_DESIGN = (
    "refused by design: the default graph is the merge of the data graphs, read-only "
    "(PUT ?default answers 400, and GET ?default gives the merge, not only the PUT's triples)"
)
EXPECTED_FAILURES: dict[str, str] = {
    "put__default_graph": DEFAULT_BY_DESIGN,
    "get_of_put__default_graph": DEFAULT_BY_DESIGN,
    "delete__existing_graph": (
        "the deprecated manifest deletes person/2.ttl, which none of its requests creates "
        "(graph-store-protocol/manifest-direct.ttl PUTs it first): the endpoint answers 404"
    ),
    "post__existing_graph": (
        "the deprecated manifest's body is not Turtle (its triple has no final '.'): the endpoint "
        "answers 400 naming line 3, column 55 (graph-store-protocol/manifest.ttl adds the dot)"
    ),
    "get_of_post__existing_graph": (
        "the deprecated manifest expects 'John Doe', which its own PUT put__graph_already_in_store "
        "replaced by 'Jane Doe' (graph-store-protocol/manifest.ttl has it right)"
    ),
    "post__multipart_formdata": (
        "not served: a POST body must be one RDF document; multipart/form-data answers 415"
    ),
    "get_of_post__multipart_formdata": (
        "follows the refused multipart POST (and the manifest's foaf:name 'Jane Doe' mix-up)"
    ),
    "post__create__new_graph": (
        "not served: POST to the service itself (the store naming a new graph, Location header) "
        "answers 400; graphs are named by the client with ?graph="
    ),
    "get_of_post__create__new_graph": "needs the Location of the refused graph-creating POST",
    "get_of_post__after_noop": "needs the Location of the refused graph-creating POST",
}


@dataclass(frozen=True)
class Step:
    """One request of the manifest's prose and the response it must get."""

    id: str
    method: str
    target: str
    headers: dict[str, str]
    body: str
    status: int
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""


def _message(text: str) -> tuple[str, dict[str, str], str]:
    """The first line, headers and body of an HTTP message written as an indented block."""
    lines = textwrap.dedent(text).strip("\n").splitlines()
    headers: dict[str, str] = {}
    index = 1
    while index < len(lines) and lines[index].strip():
        name, _, value = lines[index].partition(":")
        headers[name.strip().lower()] = value.strip()
        index += 1
    return lines[0].strip(), headers, "\n".join(lines[index + 1 :]).strip()


def _substitute(text: str) -> str:
    return text.replace("$HOST$", HOST).replace("$GRAPHSTORE$", GRAPHSTORE)


def read_steps() -> list[Step]:
    """Every test of the manifest, in its order, read from its prose."""
    graph = Graph().parse(MANIFEST, format="turtle", publicID=BASE)
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    steps = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        prose = next(str(c) for c in graph.objects(entry, RDFS.comment) if "#### Request" in c)
        request, response = prose.split("#### Response")
        first, headers, body = _message(_substitute(request.split("#### Request")[1]))
        method, target, _ = first.split(" ")
        status_line, response_headers, response_body = _message(_substitute(response))
        steps.append(
            Step(
                str(entry).rsplit("#", 1)[1],
                method,
                target,
                headers,
                body,
                int(status_line.split(" ")[0]),
                response_headers,
                response_body,
            )
        )
    return steps


STEPS = read_steps()


def endpoint_path(target: str) -> str:
    """The endpoint's path for a request target of the prose (direct names sent as indirect)."""
    if target.startswith(f"{GRAPHSTORE}?"):
        query = target.split("?", 1)[1]
        if query.startswith("graph="):
            return "/rdf-graph-store?graph=" + quote(query.removeprefix("graph="), safe="")
        return f"/rdf-graph-store?{query}"
    if target == GRAPHSTORE:
        return "/rdf-graph-store"
    if target.startswith(f"{GRAPHSTORE}/"):
        return "/rdf-graph-store?graph=" + quote(f"http://{HOST}/{target}", safe="")
    return target  # $NEWPATH$: a Location this endpoint never gives


def test_the_table_is_the_manifest() -> None:
    assert len(STEPS) == 18
    assert set(EXPECTED_FAILURES) <= {s.id for s in STEPS}
    assert [s.method for s in STEPS[:3]] == ["PUT", "GET", "PUT"]
    assert STEPS[0].status == 201 and "John Doe" in STEPS[0].body
    assert endpoint_path(STEPS[0].target) == (
        "/rdf-graph-store?graph=http%3A%2F%2Fwww.example%2Fgsp%2Fperson%2F1.ttl"
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the whole sequence: each step sees what the previous ones wrote."""
    with conformance_server(tmp_path_factory.mktemp("gsp"), TOKEN) as live:
        yield live


@pytest.mark.parametrize("step", with_expected_failures(STEPS, EXPECTED_FAILURES))
def test_graph_store_protocol(step: Step, server: LiveServer, record_property: object) -> None:
    record_property("w3c_suite", SUITE)  # type: ignore[operator]
    headers = {k: v for k, v in step.headers.items() if k != "host"}
    headers["authorization"] = f"Bearer {TOKEN}"
    with httpx.Client(base_url=server.url, timeout=60) as client:
        response = client.request(
            step.method,
            endpoint_path(step.target),
            headers=headers,
            content=step.body.encode() if step.body else None,
        )
    where = f"{step.id}: {response.status_code} {response.text[:300]}"
    if step.status in (200, 204):
        assert response.status_code in ((200, 204) if step.method != "GET" else (200,)), where
    else:
        assert response.status_code == step.status, where
    expected_type = step.response_headers.get("content-type")
    if expected_type and response.status_code == 200:
        assert response.headers["content-type"].split(";")[0] == expected_type.split(";")[0]
    if step.response_body:
        got = Graph().parse(data=response.text, format="turtle")
        want = Graph().parse(data=step.response_body, format="turtle")
        assert isomorphic(got, want), f"{where}\n{response.text}"
