"""Bad input: each case gives a clear message naming what and where, and leaves the store unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest_helpers import (
    AGREEMENT,
    BAD_CASES,
    COLLECTIVITIES,
    FIXTURES,
    fixture_settings,
    load_files,
    snapshot,
)
from kg.errors import InputError, KGError, NotFoundError, ValidationFailed
from kg.ingest import batch_from_file, load_batches
from kg.store import open_store

BAD = FIXTURES / "bad"

CASES = BAD_CASES


@pytest.fixture
def loaded(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES)
    return settings, store


@pytest.mark.parametrize(("name", "error", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_rejected_with_a_clear_message_and_the_store_unchanged(
    loaded,
    name: str,
    error: type[KGError],
    fragments: list[str],  # type: ignore[no-untyped-def]
) -> None:
    settings, store = loaded
    before = snapshot(store)
    with pytest.raises(error) as info:
        load_files(store, settings, BAD / name)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    assert snapshot(store) == before
    if name != "empty.ttl":  # refused before any batch existed: there is nothing to keep
        kept = list(settings.quarantine_dir.glob(f"*/{name}"))
        assert kept and kept[0].read_bytes() == (BAD / name).read_bytes()
        assert (kept[0].parent / "report.txt").read_text(encoding="utf-8").strip()


def test_shacl_violation_report_rows_and_turtle(loaded) -> None:  # type: ignore[no-untyped-def]
    settings, store = loaded
    with pytest.raises(ValidationFailed) as info:
        load_files(store, settings, BAD / "one-party.ttl")
    report = info.value.report
    [row] = report.rows  # type: ignore[attr-defined]
    assert row.focus == "https://w3id.org/kgci/id/agreement/jura-39-alone"
    assert row.path == "https://w3id.org/kgci/def/party"
    assert row.severity == "Violation"
    assert "at least two parties" in row.message
    assert row.shape.startswith("https://w3id.org/kgci/shapes/AgreementShape")
    assert row.source == "one-party.ttl"
    ttl = next(settings.quarantine_dir.glob("*/report.ttl")).read_text(encoding="utf-8")
    assert "sh:ValidationReport" in ttl and "sh:conforms false" in ttl


def test_reference_to_an_entity_that_exists_nowhere(loaded) -> None:  # type: ignore[no-untyped-def]
    settings, store = loaded
    with pytest.raises(ValidationFailed) as info:
        load_files(store, settings, BAD / "dangling.ttl")
    rows = info.value.report.rows  # type: ignore[attr-defined]
    # the reference check, and the shapes (a party must be an organisation: it has no type at all)
    assert {r.value for r in rows} == {"https://w3id.org/kgci/id/collectivity/atlantis-xx"}
    assert any("exists nowhere" in r.message for r in rows)
    assert any(r.path.endswith("/party") and "exists nowhere" not in r.message for r in rows)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path, max_file_size=100)
    with pytest.raises(
        InputError, match=r"over the limit of 100 bytes \(setting KG_MAX_FILE_SIZE\)"
    ):
        batch_from_file(AGREEMENT, settings)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"nope\.ttl: no such file"):
        batch_from_file(tmp_path / "nope.ttl", fixture_settings(tmp_path))


def test_directory_instead_of_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        batch_from_file(BAD, fixture_settings(tmp_path))


def test_unknown_extension_and_format_override(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    odd = tmp_path / "agreement.txt"
    odd.write_bytes(AGREEMENT.read_bytes())
    with pytest.raises(InputError, match="--format"):
        batch_from_file(odd, settings)
    assert batch_from_file(odd, settings, fmt="turtle").format.name == "Turtle"
    with pytest.raises(InputError, match="unknown RDF format"):
        batch_from_file(odd, settings, fmt="yaml")


def test_a_bad_batch_among_good_ones_writes_nothing(loaded) -> None:  # type: ignore[no-untyped-def]
    settings, store = loaded
    before = snapshot(store)
    batches = [
        batch_from_file(AGREEMENT, settings),
        batch_from_file(BAD / "bad-date.ttl", settings),
    ]
    with pytest.raises(InputError):
        load_batches(store, settings, batches, progress=False)
    assert snapshot(store) == before
