"""Awkward inputs through the real `kg load`: relative IRIs (--base), other encodings, huge lines,
and a drop that would leave references dangling. Each is one sentence, a non-zero exit, a
quarantined copy and an unchanged store."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest_helpers import AGREEMENT, COLLECTIVITIES, fixture_settings, kg, kg_env, snapshot
from kg.ingest.rdfio import PARSER_BUFFER
from kg.store import open_store

RELATIVE_RDFXML = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about=""><rdfs:label xml:lang="en">A document</rdfs:label></rdf:Description>
</rdf:RDF>
"""
TURTLE = (
    '<https://w3id.org/kgci/id/thing/a> <http://www.w3.org/2000/01/rdf-schema#label> "Île"@fr .\n'
)


def _store_text(tmp_path: Path) -> list[str]:
    store = open_store(fixture_settings(tmp_path).store)
    try:
        return snapshot(store)
    finally:
        del store


def _quarantined(tmp_path: Path, name: str) -> list[Path]:
    return list((tmp_path / "quarantine").glob(f"*/{name}"))


def test_relative_iris_need_a_base_and_load_with_one(tmp_path: Path) -> None:
    env = kg_env(tmp_path)
    assert kg(env, "load", str(COLLECTIVITIES)).returncode == 0
    source = tmp_path / "doc.rdf"
    source.write_text(RELATIVE_RDFXML, encoding="utf-8")
    before = _store_text(tmp_path)
    refused = kg(env, "load", str(source))
    assert refused.returncode == 1
    assert "relative IRIs" in refused.stderr and "--base" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert _quarantined(tmp_path, "doc.rdf")
    assert _store_text(tmp_path) == before
    bad_base = kg(env, "load", "--base", "not an iri", str(source))
    assert bad_base.returncode == 1 and "is not an absolute IRI" in bad_base.stderr
    done = kg(env, "load", "--base", "https://example.org/doc", str(source))
    assert done.returncode == 0, done.stderr
    after = _store_text(tmp_path)
    assert any("<https://example.org/doc>" in quad for quad in after)


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("latin-1", "Latin-1"),
        ("utf-16", "UTF-16 (little-endian)"),
        ("utf-16-be", "UTF-16 (big-endian)"),
    ],
)
def test_other_encodings_are_named_and_quarantined(
    tmp_path: Path, encoding: str, named: str
) -> None:
    env = kg_env(tmp_path)
    assert kg(env, "load", str(COLLECTIVITIES)).returncode == 0
    source = tmp_path / "labels.ttl"
    source.write_bytes(TURTLE.encode(encoding))
    before = _store_text(tmp_path)
    refused = kg(env, "load", str(source))
    assert refused.returncode == 1
    assert "not valid UTF-8" in refused.stderr and named in refused.stderr, refused.stderr
    assert "Latin-1" not in refused.stderr or encoding == "latin-1"
    kept = _quarantined(tmp_path, "labels.ttl")
    assert kept and kept[0].read_bytes() == source.read_bytes()
    assert _store_text(tmp_path) == before


def test_a_line_over_the_parser_limit_is_one_sentence(tmp_path: Path) -> None:
    env = kg_env(tmp_path)
    source = tmp_path / "huge.nt"
    literal = "x" * (PARSER_BUFFER + 10)
    source.write_text(
        "<https://w3id.org/kgci/id/thing/a> <http://www.w3.org/2000/01/rdf-schema#label> "
        f'"small" .\n<https://w3id.org/kgci/id/thing/a> <http://www.w3.org/2000/01/rdf-schema#comment> "{literal}" .\n',
        encoding="utf-8",
    )
    refused = kg(env, "load", str(source))
    assert refused.returncode == 1
    assert "MemoryError" not in refused.stderr and "Traceback" not in refused.stderr
    assert "huge.nt line 2" in refused.stderr and "parser's limit" in refused.stderr
    assert _quarantined(tmp_path, "huge.nt")


def test_drop_refuses_while_other_graphs_refer_to_its_entities(tmp_path: Path) -> None:
    env = kg_env(tmp_path)
    assert kg(env, "load", str(COLLECTIVITIES), str(AGREEMENT)).returncode == 0
    graph = "https://w3id.org/kgci/graph/file/data-collectivities"
    before = _store_text(tmp_path)
    refused = kg(env, "drop", graph)
    assert refused.returncode == 1, refused.stdout
    assert "would leave" in refused.stderr and "graph/file/agreement" in refused.stderr
    assert "--force" in refused.stderr
    assert _store_text(tmp_path) == before
    forced = kg(env, "drop", "--force", graph)
    assert forced.returncode == 0, forced.stderr
    assert "left dangling" in forced.stdout
    history = kg(env, "graphs", "--history", graph)
    assert history.returncode == 0 and "replaced at" in history.stdout


def test_a_rejected_load_is_readable_whole_in_80_columns(tmp_path: Path) -> None:
    env = {**kg_env(tmp_path), "COLUMNS": "80"}
    assert kg(env, "load", str(COLLECTIVITIES)).returncode == 0
    bad = COLLECTIVITIES.parent.parent.parent / "bad" / "one-party.ttl"
    done = kg(env, "load", str(bad))
    assert done.returncode == 1
    report = done.stderr.split("error:")[0]  # the one-sentence error after it names paths whole
    lines = report.splitlines()
    assert lines and all(len(line) <= 80 for line in lines), done.stderr
    assert "…" not in report
    text = "".join(line.strip() for line in lines)  # folded lines put back together
    assert "focus:" in done.stderr and "message:" in done.stderr and "shape:" in done.stderr
    assert "id:agreement/" in text or "jura-39-alone" in text
