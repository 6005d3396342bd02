"""Validation against the project's real shapes, ontology and vocabularies (ontology/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest_helpers import synthetic
from kg.ingest import batch_from_file, validate_batches
from kg.settings import Settings
from kg.store import open_store
from kg.validation.report import FAST_VALIDATOR


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "synth.nq"
    path: Path = synthetic().generate(1_500, out, seed=3)
    return path


def _validate(path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(store=None, quarantine_dir=tmp_path / "q")
    return validate_batches(open_store(None), settings, [batch_from_file(path, settings)])


def test_synthetic_data_conforms_to_the_real_shapes(synth: Path, tmp_path: Path) -> None:
    report = _validate(synth, tmp_path)
    assert report.conforms, report.table()
    assert report.validator == FAST_VALIDATOR and report.shapes_version


def test_missing_english_labels_are_caught(synth: Path, tmp_path: Path) -> None:
    lines = synth.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = [
        line
        for line in lines
        if not ("/agreement/" in line.split(" ", 1)[0] and '"@en' in line and "#label" in line)
    ]
    dropped = len(lines) - len(broken)
    assert dropped > 0
    path = tmp_path / "broken.nq"
    path.write_text("".join(broken), encoding="utf-8")
    report = _validate(path, tmp_path)
    assert not report.conforms
    rows = [r for r in report.rows if r.path.endswith("#label")]
    assert len(rows) == dropped
    assert all("/agreement/" in r.focus and r.source == "broken.nq" for r in rows)


def test_a_concept_outside_the_vocabularies_is_caught(synth: Path, tmp_path: Path) -> None:
    text = synth.read_text(encoding="utf-8")
    first = text.index("/vocab/sector/")
    end = text.index(">", first)
    bad = text[:first] + "/vocab/sector/no-such-sector" + text[end:]
    path = tmp_path / "bad-sector.nq"
    path.write_text(bad, encoding="utf-8")
    report = _validate(path, tmp_path)
    assert not report.conforms
    assert any(r.value.endswith("/vocab/sector/no-such-sector") for r in report.rows), (
        report.table()
    )
