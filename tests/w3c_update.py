"""Helpers of the W3C write suites (Graph Store Protocol, SPARQL Update evaluation).

Their data are FOAF and ``http://example.org/`` triples that the project's shapes rightly reject (a
foaf:Person needs labels in two languages and one foaf:name): these suites test the protocols'
semantics, so their servers run with the project's ontology and an empty shapes file. Writes still
take the whole ``kg load`` path (reader, literal checks, validation, load record, one transaction);
``tests/test_graph_store.py`` and ``tests/test_endpoint_update.py`` test it with the real shapes.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from endpoint_helpers import build_store, endpoint_settings
from kg.settings import PROJECT_ROOT
from kg.web.app import create_app
from server_helpers import LiveServer, free_port
from w3c_sparql import MF, _local, _manifest, _test_id, file_iri

NO_SHAPES = "# No shapes: the W3C suites test protocol semantics, not the project's data model.\n"


def conformance_ontology(tmp: Path) -> Path:
    """A copy of the project's ontology directory whose shapes file holds no shape."""
    target = tmp / "ontology"
    shutil.copytree(PROJECT_ROOT / "ontology", target, ignore=shutil.ignore_patterns("docs"))
    (target / "shapes.ttl").write_text(NO_SHAPES, encoding="utf-8")
    return target


@contextlib.contextmanager
def conformance_server(tmp: Path, token: str) -> Iterator[LiveServer]:
    """A real server on the endpoint sample (no filler) under ``tmp``, with the shape-less
    :func:`conformance_ontology`, that takes writes with the bearer ``token``."""
    settings = endpoint_settings(
        build_store(tmp / "store", filler=0),
        tmp,
        update_token=token,
        ontology_dir=conformance_ontology(tmp),
    )
    with LiveServer(create_app(settings), free_port()) as live:
        yield live


def with_expected_failures(cases: Sequence[Any], failures: Mapping[str, str]) -> list[object]:
    """Each case (it has an ``id``) as a test parameter, strictly expected to fail where
    ``failures`` gives the reason."""
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(reason=failures[case.id], strict=True)]
            if case.id in failures
            else [],
        )
        for case in cases
    ]


# --- The SPARQL 1.1 Update evaluation manifests -------------------------------------------------

UPDATE_DIRS = (
    "basic-update",
    "add",
    "copy",
    "move",
    "clear",
    "drop",
    "delete",
    "delete-data",
    "delete-where",
    "delete-insert",
    "update-silent",
)
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")


@dataclass(frozen=True)
class GraphState:
    """A graph store as a test states it: the default graph's file(s) and named graphs' files."""

    default: tuple[Path, ...]
    named: tuple[tuple[str, Path], ...]  # (graph IRI, file)

    def dataset(self) -> ox.Dataset:
        """The state as a dataset (a file loaded twice is one set of triples, blank nodes apart)."""
        quads: list[ox.Quad] = []
        for path in self.default:
            quads += ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=file_iri(path))
        for graph, path in self.named:
            quads += (
                ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph))
                for q in ox.parse(
                    path=str(path), format=ox.RdfFormat.TURTLE, base_iri=file_iri(path)
                )
            )
        return ox.Dataset(quads)


@dataclass(frozen=True)
class UpdateCase:
    """One update test: its request, the state before and the state after (None: syntax error)."""

    id: str
    name: str
    request: Path
    before: GraphState
    after: GraphState | None

    @property
    def request_iri(self) -> str:
        return file_iri(self.request)


def _state(graph: Graph, node: Node) -> GraphState:
    default = tuple(sorted(_local(str(d)) for d in graph.objects(node, UT.data)))
    named = tuple(
        sorted(
            (str(graph.value(g, RDFS.label)), _local(str(graph.value(g, UT.graph))))
            for g in graph.objects(node, UT.graphData)
        )
    )
    return GraphState(default, named)


def update_tests(directories: Sequence[str] = UPDATE_DIRS) -> list[UpdateCase]:
    """Every update evaluation test (and negative update syntax test) of ``directories``."""
    cases: list[UpdateCase] = []
    for directory in directories:
        graph, entries = _manifest(directory)
        for entry in entries:
            kind = graph.value(entry, RDF.type)
            name = str(graph.value(entry, MF.name))
            action = graph.value(entry, MF.action)
            if kind == MF.UpdateEvaluationTest:
                assert action is not None
                request = _local(str(graph.value(action, UT.request)))
                result = graph.value(entry, MF.result)
                assert result is not None
                cases.append(
                    UpdateCase(
                        _test_id(directory, entry),
                        name,
                        request,
                        _state(graph, action),
                        _state(graph, result),
                    )
                )
            elif kind == MF.NegativeSyntaxTest11 or kind == MF.NegativeUpdateSyntaxTest11:
                assert action is not None
                cases.append(
                    UpdateCase(
                        _test_id(directory, entry),
                        name,
                        _local(str(action)),
                        GraphState((), ()),
                        None,
                    )
                )
            else:
                raise AssertionError(f"{directory}: unknown test type {kind}")
    return cases
