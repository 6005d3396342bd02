"""`kg extract` and `kg review` as real subprocesses on a real on-disk store: candidates land in
graph/candidates/<document> and stay out of the default graph (SPARQL COUNT through the store); bad
input is one sentence, exit 1, nothing written; the CSV round trip loads the accepted facts through
the ingest pipeline (the shapes pass) with a provenance record naming the extraction and the review.
"""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from cli_helpers import run_kg
from kg.settings import PROJECT_ROOT
from kg.store import open_store
from server_helpers import bulk_load_project

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "extract"
GRAPH = "https://w3id.org/kgci/graph/"
CANDIDATE = "https://w3id.org/kgci/vocab/curation-status/candidate"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(
        KG_STORE=str(tmp_path / "store"),
        KG_QUARANTINE_DIR=str(tmp_path / "quarantine"),
        KG_REFERENCE_DIR=str(PROJECT_ROOT / "tests" / "fixtures" / "reference"),
        COLUMNS="200",
    )
    return env


def kg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_kg(*args, env=env, timeout=300)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A store holding the project's ontology, shapes, vocabularies and data, and its environment."""
    store = open_store(tmp_path / "store")
    bulk_load_project(store)
    del store
    return _env(tmp_path)


def _count(store: ox.Store, query: str) -> int:
    prefix = "PREFIX kgc: <https://w3id.org/kgci/def/>\n"
    (row,) = list(store.query(prefix + query))  # type: ignore[arg-type]
    return int(row["n"].value)


def _quads(path: Path) -> set[ox.Quad]:
    store = open_store(path)
    try:
        return set(store.quads_for_pattern(None, None, None, None))
    finally:
        del store


def test_extract_writes_candidates_outside_the_default_graph(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "candidates"
    done = kg(
        env,
        "extract",
        str(FIXTURES / "dijon-ceremony.txt"),
        str(FIXTURES / "region-sibiu.html"),
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["dijon-ceremony.trig", "region-sibiu.trig"]
    store = open_store(tmp_path / "store", read_only=True)
    graph = f"{GRAPH}candidates/dijon-ceremony"
    in_graph = _count(
        store,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s kgc:curationStatus <{CANDIDATE}> }} }}",
    )
    assert in_graph >= 8
    assert (
        _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s kgc:curationStatus <{CANDIDATE}> }}")
        == 0
    )
    assert (
        _count(
            store,
            "SELECT (COUNT(*) AS ?n) WHERE { ?s kgc:extractionRule ?r }",
        )
        == 0
    )
    # The TriG written is the graph put into the store (the store keeps numbers in canonical form).
    written = list(ox.parse(path=str(out / "dijon-ceremony.trig"), format=ox.RdfFormat.TRIG))
    stored = list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    assert len(written) == len(stored)
    assert {(q.subject, q.predicate) for q in written} == {(q.subject, q.predicate) for q in stored}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "is empty"),
        ("press.txt", "Communiqué de la Région".encode("cp1252") + b"\x81\x8d" * 40, "not UTF-8"),
        (
            "english.txt",
            b"The Region and the province signed a cooperation agreement on 7 November in the areas "
            b"of agriculture and training, with a delegation of forty people.",
            "does not look like French",
        ),
        ("scan.pdf", None, "no text layer"),
        ("broken.pdf", b"%PDF-1.4\nthis is not a PDF body", "not a readable PDF"),
        ("huge.txt", "sparse", "MB"),
    ],
)
def test_bad_input_is_one_sentence_and_nothing_is_written(
    env: dict[str, str], tmp_path: Path, name: str, content: bytes | str | None, expected: str
) -> None:
    from pdf_fixtures import scanned_pdf

    bad = tmp_path / name
    if content is None:
        bad.write_bytes(scanned_pdf())
    elif content == "sparse":
        with bad.open("wb") as f:
            f.truncate(51 * 1024 * 1024)  # over the 50 MB limit, without writing 50 MB
    else:
        assert isinstance(content, bytes)
        bad.write_bytes(content)
    before = _quads(tmp_path / "store")
    out = tmp_path / "candidates"
    # A good file before the bad one: nothing is written for it either.
    done = kg(env, "extract", str(FIXTURES / "beaune-mainz.txt"), str(bad), "--out", str(out))
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0] and name in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() or not any(out.iterdir())
    assert _quads(tmp_path / "store") == before


def _decide(rows: list[dict[str, str]], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_review_round_trip_loads_accepted_facts_through_the_shapes(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert (
        kg(
            env, "extract", str(FIXTURES / "dijon-ceremony.txt"), "--out", str(tmp_path / "c")
        ).returncode
        == 0
    )
    listed = kg(env, "review", "dijon-ceremony", "--out", str(tmp_path / "review.csv"))
    assert listed.returncode == 0, listed.stderr
    rows = list(csv.DictReader((tmp_path / "review.csv").open(encoding="utf-8")))
    kinds = {r["kind"] for r in rows}
    assert {"Agreement", "Collectivity", "Membership", "Person", "Event", "Observation"} <= kinds
    for row in rows:
        quote = row["quote"]
        text = (FIXTURES / "dijon-ceremony.txt").read_text(encoding="utf-8")
        assert text[int(row["start"]) : int(row["end"])] == quote
        row["decision"] = "reject" if row["kind"] == "Observation" else "accept"
    event = next(r for r in rows if r["kind"] == "Event")
    event["decision"] = "correct"
    event["corrected_iri"] = "https://w3id.org/kgci/id/event/dijon-delegation-cluj-napoca-2024"
    _decide(rows, tmp_path / "decided.csv")
    done = kg(
        env,
        "review",
        "dijon-ceremony",
        "--decisions",
        str(tmp_path / "decided.csv"),
        "--reviewer",
        "Camille Test",
    )
    assert done.returncode == 0, done.stderr
    assert "rejected" in done.stdout

    store = open_store(tmp_path / "store", read_only=True)
    doc_graph = f"{GRAPH}document/dijon-ceremony"
    agreements = _count(
        store,
        f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH <{doc_graph}> {{ ?a a kgc:Agreement ; "
        "kgc:party <https://w3id.org/kgci/id/collectivity/dijon-21231> ; kgc:signingDate ?d } }",
    )
    assert agreements == 1
    # Accepted facts are data: in the default graph; candidate-only statements are not loaded.
    assert (
        _count(
            store,
            'SELECT (COUNT(*) AS ?n) WHERE { ?a a kgc:Agreement ; kgc:signingDate "2024-10-07"^^<http://www.w3.org/2001/XMLSchema#date> }',
        )
        == 1
    )
    assert (
        _count(
            store,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{doc_graph}> {{ ?s kgc:confidence ?c }} }}",
        )
        == 0
    )
    assert (
        _count(
            store,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{doc_graph}> {{ ?s a <http://purl.org/linked-data/cube#Observation> }} }}",
        )
        == 0
    )
    corrected = "https://w3id.org/kgci/id/event/dijon-delegation-cluj-napoca-2024"
    assert (
        _count(
            store,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{doc_graph}> {{ <{corrected}> a <https://schema.org/Event> }} }}",
        )
        == 1
    )
    # The load record names the extraction activity and the reviewer's decisions.
    record = _count(
        store,
        f"""PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}provenance> {{
          ?input dct:source ?extraction ; rdfs:comment "reviewer: Camille Test" .
          FILTER (CONTAINS(STR(?extraction), "/id/extraction/dijon-ceremony-"))
        }} }}""",
    )
    assert record == 1
    # Each decision is recorded in the candidate graph; candidates stay out of the default graph.
    cand = f"{GRAPH}candidates/dijon-ceremony"
    rejected = _count(
        store,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{cand}> {{ ?s kgc:curationStatus <https://w3id.org/kgci/vocab/curation-status/rejected> }} }}",
    )
    assert rejected == sum(1 for r in rows if r["decision"] == "reject")
    assert _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s kgc:extractionRule ?r }") == 0


def test_accepting_a_figure_without_indicator_is_refused_and_nothing_changes(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert (
        kg(
            env, "extract", str(FIXTURES / "dijon-ceremony.txt"), "--out", str(tmp_path / "c")
        ).returncode
        == 0
    )
    kg(env, "review", "dijon-ceremony", "--out", str(tmp_path / "review.csv"))
    rows = list(csv.DictReader((tmp_path / "review.csv").open(encoding="utf-8")))
    for row in rows:
        row["decision"] = "accept" if row["kind"] == "Observation" else ""
    assert any(r["decision"] and not r["indicator"] for r in rows)
    _decide(rows, tmp_path / "decided.csv")
    before = _quads(tmp_path / "store")
    done = kg(env, "review", "dijon-ceremony", "--decisions", str(tmp_path / "decided.csv"))
    assert done.returncode == 1
    assert "broke the shapes" in done.stderr, done.stderr
    assert _quads(tmp_path / "store") == before


def test_review_of_an_unknown_document_or_a_bad_decision_is_one_sentence(
    env: dict[str, str], tmp_path: Path
) -> None:
    done = kg(env, "review", "no-such-document")
    assert done.returncode == 1 and "no candidates" in done.stderr
    assert (
        kg(
            env, "extract", str(FIXTURES / "beaune-mainz.txt"), "--out", str(tmp_path / "c")
        ).returncode
        == 0
    )
    kg(env, "review", "beaune-mainz", "--out", str(tmp_path / "review.csv"))
    rows = list(csv.DictReader((tmp_path / "review.csv").open(encoding="utf-8")))
    rows[0]["decision"] = "maybe"
    _decide(rows, tmp_path / "decided.csv")
    done = kg(env, "review", "beaune-mainz", "--decisions", str(tmp_path / "decided.csv"))
    assert done.returncode == 1 and "line 2" in done.stderr and "maybe" in done.stderr
