"""Loading: formats, graphs, re-loads, provenance, neighbourhood, atomicity of multi-file loads."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from ingest_helpers import (
    AGREEMENT,
    COLLECTIVITIES,
    PROVENANCE,
    file_graph,
    fixture_settings,
    graph_of,
    load_files,
    snapshot,
)
from kg.errors import ValidationFailed
from kg.ingest import Batch, batch_from_file, load_batches, neighbourhood, validate_batches
from kg.ingest.rdfio import sha256_hex
from kg.queries import QueryLibrary
from kg.sources import graph_for_path
from kg.store import open_store
from kg.validation.report import FAST_VALIDATOR

FORMATS = [
    ("ttl", ox.RdfFormat.TURTLE),
    ("nt", ox.RdfFormat.N_TRIPLES),
    ("jsonld", ox.RdfFormat.JSON_LD),
    ("rdf", ox.RdfFormat.RDF_XML),
    ("trig", ox.RdfFormat.TRIG),
    ("nq", ox.RdfFormat.N_QUADS),
]


@pytest.mark.parametrize(("ext", "fmt"), FORMATS, ids=[e for e, _ in FORMATS])
def test_each_format_loads_into_the_files_graph(
    tmp_path: Path, ext: str, fmt: ox.RdfFormat
) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES)
    path = tmp_path / f"agreement.{ext}"
    path.write_bytes(ox.serialize(ox.parse(path=str(AGREEMENT)), format=fmt))
    load_files(store, settings, path)
    graph = graph_for_path(path, settings.project_root)
    assert graph.endswith("/graph/file/agreement")
    assert isomorphic(graph_of(store, graph), file_graph(AGREEMENT))


def test_graph_option_and_quads_named_in_trig(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES)
    trig = tmp_path / "seed.trig"
    inner = "https://w3id.org/kgci/graph/seed/doc"
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(inner))
        for t in ox.parse(path=str(AGREEMENT))
    ]
    trig.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    report = load_batches(
        store, settings, [batch_from_file(trig, settings, graph="urn:x:g")], progress=False
    )
    assert report.graphs == {inner: len(quads)}
    assert isomorphic(graph_of(store, inner), file_graph(AGREEMENT))


def test_reloading_the_same_file_leaves_the_store_as_after_one_load(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES, AGREEMENT)
    graphs = [g.value for g in store.named_graphs() if g.value != PROVENANCE]
    once = {g: graph_of(store, g) for g in graphs}
    records_once = list(QueryLibrary(settings.queries_dir).run(store, "ingest-load-records"))
    load_files(store, settings, AGREEMENT)
    load_files(store, settings, COLLECTIVITIES, AGREEMENT)
    assert sorted(g.value for g in store.named_graphs() if g.value != PROVENANCE) == sorted(graphs)
    for g in graphs:
        assert isomorphic(graph_of(store, g), once[g]), g
    records = list(QueryLibrary(settings.queries_dir).run(store, "ingest-load-records"))
    # one record per graph, replaced on re-load (same shape, newer activity)
    assert len(records) == len(records_once) == 2
    assert {r["sha256"].value for r in records} == {r["sha256"].value for r in records_once}


def test_reloading_a_changed_file_replaces_the_graph(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES)
    smaller = tmp_path / "collectivities.ttl"
    text = COLLECTIVITIES.read_text(encoding="utf-8")
    smaller.write_text(
        "\n".join(line for line in text.splitlines() if "jura-39" not in line), encoding="utf-8"
    )
    graph = graph_for_path(COLLECTIVITIES, settings.project_root)
    load_batches(store, settings, [batch_from_file(smaller, settings, graph=graph)], progress=False)
    assert isomorphic(graph_of(store, graph), file_graph(smaller))


def test_load_record_in_prov_o(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    batch = batch_from_file(
        COLLECTIVITIES, settings, extra={"licence": "etalab-2.0", "vintage": "2026"}
    )
    load_batches(store, settings, [batch], progress=False)
    [rec] = list(QueryLibrary(settings.queries_dir).run(store, "ingest-load-records"))
    assert rec["graph"].value == graph_for_path(COLLECTIVITIES, settings.project_root)
    assert rec["file"].value == "collectivities.ttl"
    assert rec["sha256"].value == sha256_hex(COLLECTIVITIES.read_bytes())
    assert int(rec["triples"].value) == len(file_graph(COLLECTIVITIES))
    assert rec["validator"].value == FAST_VALIDATOR  # the engine that validated it
    assert rec["shapes"].value == "test-1"  # owl:versionInfo of the fixture ontology
    assert rec["time"].datatype.value.endswith("#dateTime")
    licence = ox.NamedNode("http://purl.org/dc/terms/license")
    assert [q.object.value for q in store.quads_for_pattern(None, licence, None)] == ["etalab-2.0"]


def test_a_batch_can_refer_to_entities_already_in_the_store(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    with pytest.raises(ValidationFailed) as info:
        load_files(store, settings, AGREEMENT)  # parties and passage exist nowhere yet
    messages = " ".join(r.message for r in info.value.report.rows)  # type: ignore[attr-defined]
    assert "exists nowhere" in messages
    load_files(store, settings, COLLECTIVITIES)
    load_files(store, settings, AGREEMENT)  # now they are in the store: accepted
    assert len(graph_of(store, graph_for_path(AGREEMENT, settings.project_root))) == 8


def test_the_neighbourhood_grows_with_the_batch_not_the_store(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES)
    batch = list(ox.parse(path=str(AGREEMENT)))
    before = neighbourhood.pull(store, batch, [])
    noise = [
        ox.Quad(
            ox.NamedNode(f"https://w3id.org/kgci/id/collectivity/c{i}"),
            ox.NamedNode("urn:p"),
            ox.Literal(str(i)),
            ox.NamedNode("urn:g"),
        )
        for i in range(20_000)
    ]
    store.bulk_extend(noise)
    after = neighbourhood.pull(store, batch, [])
    assert len(after.quads) == len(before.quads) > 0
    assert after.known == before.known


def test_all_or_nothing_across_files(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES)
    before = snapshot(store)
    bad = Path(__file__).parent / "fixtures" / "ingest" / "bad" / "one-party.ttl"
    with pytest.raises(ValidationFailed):
        load_files(store, settings, AGREEMENT, bad)
    assert snapshot(store) == before


def test_validate_batches_writes_nothing(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES)
    before = snapshot(store)
    report = validate_batches(store, settings, [batch_from_file(AGREEMENT, settings)])
    assert report.conforms and report.rows == ()
    assert snapshot(store) == before


def test_batch_from_bytes_is_the_importers_interface(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    data = COLLECTIVITIES.read_bytes()
    batch = Batch(
        graph="https://w3id.org/kgci/graph/import/test",
        data=data,
        format=ox.RdfFormat.TURTLE,
        source_name="test import",
        sha256=sha256_hex(data),
        extra={"licence": "CC0"},
    )
    report = load_batches(store, settings, [batch], progress=False)
    assert report.graphs == {"https://w3id.org/kgci/graph/import/test": 13}
    assert len(report.records) == 1


def test_an_empty_batch_empties_its_graph(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES)
    graph = graph_for_path(COLLECTIVITIES, settings.project_root)
    empty = Batch(graph, b"", ox.RdfFormat.N_TRIPLES, "update", sha256_hex(b""))
    load_batches(store, settings, [empty], progress=False)
    assert len(graph_of(store, graph)) == 0
    assert list(QueryLibrary(settings.queries_dir).run(store, "ingest-load-records")) == []
