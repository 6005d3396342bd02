"""A batch is accepted exactly when whole-graph validation reports no new violation caused by it.

Oracle: pySHACL on the whole store (its default graph, the merge of every data graph, ontology and
vocabularies included) plus the batch, with the project's shapes; the new violations are those it
reports with the batch and not without. The project validates the batch with its neighbourhood
only (:func:`kg.ingest.validate_batches`); verdicts and focus nodes must be the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, SH, Graph
from rdflib.term import Node

from kg.errors import ValidationFailed
from kg.ingest import Batch, load_batches, validate_batches
from kg.ingest.build import build
from kg.ingest.rdfio import sha256_hex
from kg.settings import Settings
from kg.store import open_store
from kg.validation import REFERENCE_CHECK, schema_graphs, to_rdflib

ID = "https://w3id.org/kgci/id/"
KGC = "https://w3id.org/kgci/def/"
GRAPH = "https://w3id.org/kgci/graph/file/test-batch"
PREFIXES = f"""@prefix kgc: <{KGC}> .
@prefix collectivity: <{ID}collectivity/> .
@prefix territory: <{ID}territory/> .
@prefix event: <{ID}event/> .
@prefix agreement: <{ID}agreement/> .
@prefix organisation: <{ID}organisation/> .
@prefix sector: <https://w3id.org/kgci/vocab/sector/> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

Key = tuple[str, str, str]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, ox.Store]]:
    """The project's store (ontology, vocabularies, seed documents), built by `kg build`."""
    folder = tmp_path_factory.mktemp("whole")
    project = Settings(store=folder / "store", quarantine_dir=folder / "quarantine")
    build(project, progress=False)
    yield project, open_store(project.store)


def _batch(text: str) -> Batch:
    data = (PREFIXES + text).encode()
    return Batch(GRAPH, data, ox.RdfFormat.TURTLE, "test-batch.ttl", sha256_hex(data))


def _violations(graph: Graph, shapes: Graph) -> set[Key]:
    _, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    out: set[Key] = set()
    for root in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(root, SH.result):
            if report.value(result, SH.resultSeverity) != SH.Violation:
                continue
            out.add(
                (
                    _key(report.value(result, SH.focusNode)),
                    _key(report.value(result, SH.resultPath)),
                    _key(report.value(result, SH.sourceConstraintComponent)),
                )
            )
    return out


def _key(node: Node | None) -> str:
    return "" if node is None else str(node)


_BASELINE: dict[int, set[Key]] = {}


def _oracle(store: ox.Store, project: Settings, batch: Batch) -> set[str]:
    """Focus nodes of the violations that whole-graph pySHACL reports with the batch and not without."""
    _, shapes, _ = schema_graphs(project)
    whole = Graph()
    for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        whole.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    if id(store) not in _BASELINE:
        _BASELINE[id(store)] = _violations(whole, shapes)
    for q in ox.parse(batch.data, ox.RdfFormat.TURTLE):
        whole.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return {focus for focus, _, _ in _violations(whole, shapes) - _BASELINE[id(store)]}


def _ours(store: ox.Store, project: Settings, batch: Batch) -> set[str]:
    report = validate_batches(store, project, [batch])
    return {
        r.focus for r in report.rows if r.severity == "Violation" and r.shape != REFERENCE_CHECK
    }


def test_a_second_governor_of_a_territory_is_refused(seeded: tuple[Settings, ox.Store]) -> None:
    """The reported false negative: the inverse path kgs:Territory-governedBy (maxCount 1)."""
    project, store = seeded
    batch = _batch(
        """collectivity:test-region a kgc:Collectivity ;
            rdfs:label "Région test"@fr , "Test region"@en ;
            kgc:governs territory:ile-de-france ."""
    )
    assert f"{ID}territory/ile-de-france" in _oracle(store, project, batch)
    assert f"{ID}territory/ile-de-france" in _ours(store, project, batch)
    before = sorted(str(q) for q in store)
    with pytest.raises(ValidationFailed):
        load_batches(store, project, [batch], progress=False)
    assert sorted(str(q) for q in store) == before


def test_a_sector_on_an_event_with_participations_is_accepted(
    seeded: tuple[Settings, ox.Store],
) -> None:
    """The reported false positive: the store's participation blank nodes arrived untyped."""
    project, store = seeded
    batch = _batch("event:expo-2025-osaka kgc:sector sector:culture .")
    assert _oracle(store, project, batch) == set()
    report = validate_batches(store, project, [batch])
    assert report.conforms, report.table()


# Batches against the seed store: links whose shapes read inverse paths, cardinalities across store
# and batch, sh:class of store-typed objects (blank-node participations reached from events).
_COLLECTIVITIES = ["ile-de-france", "bourgogne-franche-comte", "dijon-21231", "quebec-ca"]
_TERRITORIES = ["ile-de-france", "bourgogne-franche-comte", "quebec-ca"]
_EVENTS = ["expo-2025-osaka", "bfc-dijon-mission-japan-2025"]
_SECTORS = ["culture", "education", "tourism"]
_statement = st.one_of(
    st.builds(
        lambda c, t: f"collectivity:{c} kgc:governs territory:{t} .",
        st.sampled_from(_COLLECTIVITIES),
        st.sampled_from(_TERRITORIES),
    ),
    st.builds(
        lambda e, s: f"event:{e} kgc:sector sector:{s} .",
        st.sampled_from(_EVENTS),
        st.sampled_from(_SECTORS),
    ),
    st.builds(
        lambda e, t: f"event:{e} kgc:sector territory:{t} .",  # not a concept of the sector scheme
        st.sampled_from(_EVENTS),
        st.sampled_from(_TERRITORIES),
    ),
    st.builds(
        lambda c, label: f'collectivity:{c} rdfs:label "{label}"@fr .',
        st.sampled_from(_COLLECTIVITIES),
        st.sampled_from(["Autre nom", "Encore un"]),
    ),
    st.builds(
        lambda t, c: f"territory:{t} kgc:locatedIn collectivity:{c} .",
        st.sampled_from(_TERRITORIES),
        st.sampled_from(_COLLECTIVITIES),
    ),
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(_statement, min_size=1, max_size=4, unique=True))
def test_verdicts_and_focus_nodes_equal_whole_graph_validation(
    seeded: tuple[Settings, ox.Store], statements: list[str]
) -> None:
    project, store = seeded
    batch = _batch("\n".join(statements))
    assert _ours(store, project, batch) == _oracle(store, project, batch), statements


def test_the_seed_entities_of_the_generated_batches_exist(
    seeded: tuple[Settings, ox.Store],
) -> None:
    """The generator's entities are real: otherwise the differential test would test little."""
    _, store = seeded
    for kind, names in (
        ("collectivity", _COLLECTIVITIES),
        ("territory", _TERRITORIES),
        ("event", _EVENTS),
    ):
        for name in names:
            node = ox.NamedNode(f"{ID}{kind}/{name}")
            assert next(store.quads_for_pattern(node, None, None), None) is not None, node
    assert Path(__file__).exists()
