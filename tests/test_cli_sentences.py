"""Every command, given a bad value or a busy store, answers with one sentence and a non-zero exit.

The commands run as real subprocesses of the installed ``kg`` entry point in an 80-column terminal
(``COLUMNS=80``); the assertion is on what a person sees: one line on stderr starting with
``error:``, no traceback, and an exit status that is not 0.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from cli_helpers import run_kg
from server_helpers import free_port

BAD_VALUES = [
    (["import", "foo"], "'foo' is not one of"),
    (["network", "report", "--year", "abc"], "--year"),
    (["query"], "Missing argument"),
    (["query", "no-such-query"], "no query named 'no-such-query'"),
    (["query", "endpoint-class-counts", "--format", "yaml"], "unknown format 'yaml'"),
    (["query", "endpoint-class-counts", "--param", "novalue"], "--param 'novalue'"),
    (["load"], "Missing argument"),
    (["load", "/no/such/file.ttl"], "no such file"),
    (["drop"], "Missing argument"),
    (["graphs", "--history"], "requires an argument"),
    (["fetch", "--bogus"], "No such option"),
    (["serve", "--port", "eighty"], "--port"),
    (["no-such-command"], "No such command"),
    (["validate", "/no/such/file.ttl"], "no such file"),
    (["build", "--bogus"], "No such option"),
    (["export", "--bogus"], "No such option"),
    (["docs", "--bogus"], "No such option"),
    (["network", "--bogus"], "No such option"),
    (["queries", "--bogus"], "No such option"),
    (["info", "--bogus"], "No such option"),
    (["import", "all", "/no/such/dir"], "is missing"),
    (["network", "report", "--graph", "nope"], "unknown graph 'nope'"),
    (["network", "report", "--top", "abc"], "--top"),
    (["fetch", "nope"], "unknown source 'nope'"),
    (["extract", "/no/such.txt"], "/no/such.txt does not exist"),
    (["review"], "Missing argument"),
    (["review", "doc", "--decisions", "/no/such.csv"], "/no/such.csv"),
]


def kg_in(args: list[str], store: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``kg ARGS`` as a person runs it: its own process, an 80-column terminal, the given store."""
    env = {"KG_STORE": str(store), "KG_QUARANTINE_DIR": str(tmp_path / "quarantine")}
    return run_kg(*args, env=env, cwd=tmp_path, columns=80)


def assert_one_sentence(result: subprocess.CompletedProcess[str], expected: str) -> None:
    """One stderr line beginning ``error:`` that contains ``expected``; non-zero exit; no traceback."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert expected in lines[0], lines[0]


@pytest.mark.parametrize(("args", "expected"), BAD_VALUES, ids=[" ".join(a) for a, _ in BAD_VALUES])
def test_bad_value_is_one_sentence(args: list[str], expected: str, tmp_path: Path) -> None:
    assert_one_sentence(kg_in(args, tmp_path / "store", tmp_path), expected)


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "0"],
        ["load", "FILE"],
        ["drop", "https://w3id.org/kgci/graph/x"],
        ["import", "iati-codes", "FILE"],
        ["build"],
    ],
    ids=["serve", "load", "drop", "import", "build"],
)
def test_busy_store_is_one_sentence(args: list[str], tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    data = tmp_path / "data.ttl"
    data.write_text("<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n")
    args = [str(data) if a == "FILE" else a for a in args]
    if args[0] == "serve":
        args[2] = str(free_port())
    holder = ox.Store(str(store_path))  # this process holds the store for writing
    try:
        result = kg_in(args, store_path, tmp_path)
    finally:
        del holder
    assert_one_sentence(result, "in use by another process")


def test_empty_result_says_zero_rows(tmp_path: Path) -> None:
    ox.Store(str(tmp_path / "store")).flush()  # an empty store, closed before the command runs
    result = kg_in(["query", "endpoint-class-counts"], tmp_path / "store", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 rows", result.stdout


def test_tables_fit_80_columns_without_cutting_iris(tmp_path: Path) -> None:
    """A long class IRI is compacted with the project's prefixes and folded, never cut to ``…``."""
    store_path = tmp_path / "store"
    store = ox.Store(str(store_path))
    long_class = "https://example.org/" + "VeryLongClassName" * 6
    for cls in (long_class, "https://w3id.org/kgci/def/Collectivity"):
        store.add(
            ox.Quad(
                ox.NamedNode("https://w3id.org/kgci/id/collectivity/paris"),
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(cls),
            )
        )
    del store
    result = kg_in(["query", "endpoint-class-counts"], store_path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout, result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    first_column = "".join(
        line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│")
    )
    assert long_class in first_column, result.stdout
    assert "2 rows" in result.stdout
    assert ":Collectivity" in result.stdout and "kgci/def/Collectivity" not in result.stdout
    listing = kg_in(["queries"], store_path, tmp_path)
    assert listing.returncode == 0 and "…" not in listing.stdout, listing.stdout


def test_reading_commands_work_beside_a_busy_store(tmp_path: Path) -> None:
    """While another process holds the store for writing (a server), the commands that only read
    it still answer: they open it read-only."""
    store_path = tmp_path / "store"
    holder = ox.Store(str(store_path))
    try:
        for args in (
            ["graphs"],
            ["query", "endpoint-class-counts"],
            ["export", "--out", str(tmp_path / "dumps")],
            ["network", "report", "--out", str(tmp_path / "network")],
        ):
            result = kg_in(args, store_path, tmp_path)
            assert result.returncode == 0, (args, result.stderr)
            assert "Traceback" not in result.stderr, result.stderr
    finally:
        del holder


def test_import_summary_fits_80_columns_with_whole_counts(tmp_path: Path) -> None:
    """`kg import all` on the reference excerpts: each count of the summary sits on one line with its
    name (the oracle is the --report folder's summary.json), and no line is wider than 80."""
    shared = Path(__file__).parent / "fixtures" / "reference"
    result = kg_in(
        ["import", "all", str(shared), "--report", str(tmp_path / "report")],
        tmp_path / "store",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    summary = json.loads((tmp_path / "report" / "summary.json").read_text())
    for source, facts in summary.items():
        assert source in result.stdout
        for name, value in {"triples": facts["triples"], **facts["counts"]}.items():
            if not name.startswith("names-"):
                assert re.search(rf"(^|\s){re.escape(name)} +{value}\b", result.stdout, re.M), name


def test_network_report_fits_80_columns(project_store_path: Path, tmp_path: Path) -> None:
    """The ranked table keeps the measures that fit and says which it left out; nothing is cut."""
    result = kg_in(
        ["network", "report", "--out", str(tmp_path / "network")], project_store_path, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert all(len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    assert "…" not in result.stdout, result.stdout
    assert "scope" in result.stdout and "degree" in result.stdout
    assert "left out for the terminal's width" in result.stdout
