"""What a person sees at an 80-column terminal (through :func:`cli_helpers.run_kg`) from three
commands' edges: `kg extract`'s table whole, and a busy store reported before any warning; `kg
network report` refusing an impossible year in one sentence; `kg docs` without the INFO lines of
the libraries it uses."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cli_helpers import run_kg
from kg.settings import PROJECT_ROOT
from kg.store import open_store

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "extract"
GRAPH = "https://w3id.org/kgci/graph/candidates/"


def _env(tmp_path: Path, reference: Path | None = None) -> dict[str, str]:
    return {
        "KG_STORE": str(tmp_path / "store"),
        "KG_QUARANTINE_DIR": str(tmp_path / "quarantine"),
        "KG_REFERENCE_DIR": str(reference or PROJECT_ROOT / "tests" / "fixtures" / "reference"),
    }


def _one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode != 0 and len(lines) == 1, done.stderr
    assert lines[0].startswith("error:") and "Traceback" not in done.stderr
    return lines[0]


def test_extract_table_fits_80_columns_and_cuts_nothing(tmp_path: Path) -> None:
    files = [FIXTURES / "dijon-ceremony.txt", FIXTURES / "grand-est-hainaut.txt"]
    done = run_kg("extract", *files, "--out", tmp_path / "c", env=_env(tmp_path), timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "…" not in done.stdout
    assert all(len(line) <= 80 for line in lines), done.stdout
    for path in files:
        slug = path.stem
        assert f"{path.name} → {GRAPH}{slug}" in lines  # the whole IRI, on its line
        assert any(line.strip("│┃ ").startswith(path.name) for line in lines), done.stdout
    header = next(line for line in lines if "document" in line)
    for column in ("words", "entities", "agreements", "roles", "events", "figures", "words/s"):
        assert column in header, header


def test_extract_on_a_busy_store_says_so_and_nothing_else(tmp_path: Path) -> None:
    no_cog = tmp_path / "no-reference"
    no_cog.mkdir()
    holder = open_store(tmp_path / "store")  # this process writes: the store is busy
    try:
        done = run_kg(
            "extract",
            FIXTURES / "beaune-mainz.txt",
            "--out",
            tmp_path / "c",
            env=_env(tmp_path, no_cog),
            timeout=300,
        )
    finally:
        del holder
    line = _one_error_line(done)
    assert "in use by another process" in line, line
    assert "warning" not in done.stderr + done.stdout
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("year", ["99999", "999", "-2020"])
def test_network_report_refuses_an_impossible_year(tmp_path: Path, year: str) -> None:
    done = run_kg("network", "report", "--year", year, env=_env(tmp_path))
    line = _one_error_line(done)
    assert f"--year {year} is not a possible year" in line, line
    assert not (tmp_path / "store").exists()  # refused before the store is opened


def test_docs_prints_its_pages_and_no_library_log_lines(tmp_path: Path) -> None:
    done = run_kg("docs", "--out", tmp_path / "docs", env=_env(tmp_path), timeout=300)
    assert done.returncode == 0, done.stderr
    assert "INFO" not in done.stderr and "DEBUG" not in done.stderr, done.stderr[:500]
    written = done.stdout.split()
    assert written and all(Path(p).is_file() for p in written)
    assert str(tmp_path / "docs" / "index.html") in written
