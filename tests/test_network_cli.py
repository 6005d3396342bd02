"""`kg network report` end to end: a real on-disk store, the real command, the files it writes."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from cli_helpers import run_kg
from kg.store import open_store
from kg.store.default_graph import rebuild as rebuild_default_graph

FIXTURES = Path(__file__).parent / "fixtures" / "network"
PNG = b"\x89PNG\r\n\x1a\n"


def disk_store(tmp_path: Path, fixture: str) -> Path:
    path = tmp_path / "store"
    store = open_store(path)
    store.bulk_load(path=str(FIXTURES / fixture), format=ox.RdfFormat.TRIG)
    rebuild_default_graph(store)
    store.flush()
    del store
    return path


def report(store: Path, out: Path, *args: str) -> str:
    result = run_kg("network", "report", "--store", store, "--out", out, *args, columns=160)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_report_on_the_seed_data_writes_every_file(
    project_store_path: Path, tmp_path: Path
) -> None:
    output = report(project_store_path, tmp_path, "--top", "5")
    assert "betweenness" in output
    nodes = rows(tmp_path / "partnership-nodes.csv")
    assert "Île-de-France Region" in {row["label"] for row in nodes}
    assert f"partnership network: {len(nodes)} nodes" in output
    assert [int(row["rank"]) for row in nodes] == list(range(1, len(nodes) + 1))
    edges = rows(tmp_path / "partnership-edges.csv")
    gexf = nx.read_gexf(tmp_path / "partnership.gexf")
    graphml = nx.read_graphml(tmp_path / "partnership.graphml")
    assert len(gexf) == len(graphml) == len(nodes)
    assert gexf.number_of_edges() == graphml.number_of_edges() == len(edges)
    some = nodes[0]["id"]
    assert graphml.nodes[some]["community"] == int(nodes[0]["community"])
    for name in ("network", "degrees", "growth"):
        assert (tmp_path / f"partnership-{name}.png").read_bytes().startswith(PNG)
    assert not list(tmp_path.glob(".*"))  # the edge section written ahead is not left behind
    # the network as of 2017: fewer actors, files named after the year
    assert "as of 2017" in report(project_store_path, tmp_path, "--year", "2017")
    assert 0 < len(rows(tmp_path / "partnership-2017-nodes.csv")) < len(nodes)


@pytest.mark.parametrize("graph", ["sector", "country", "people", "events"])
def test_every_graph_reports_on_the_seed_data(
    project_store_path: Path, tmp_path: Path, graph: str
) -> None:
    report(project_store_path, tmp_path, "--graph", graph)
    nodes = rows(tmp_path / f"{graph}-nodes.csv")
    assert len(nodes) == len(nx.read_graphml(tmp_path / f"{graph}.graphml")) > 0


def test_national_twinning_network(tmp_path: Path) -> None:
    store = disk_store(tmp_path, "twinnings.trig")
    report(store, tmp_path / "out")
    nodes = rows(tmp_path / "out" / "partnership-nodes.csv")
    assert nodes[0]["label"] == "Dijon" and nodes[0]["foreign_partners"] == "3"
    report(store, tmp_path / "out", "--graph", "country")
    countries = {row["id"]: row for row in rows(tmp_path / "out" / "country-nodes.csv")}
    assert countries["fr"]["degree"] == "3"  # Germany, United States, Hungary
    edges = {(r["source"], r["target"]): r for r in rows(tmp_path / "out" / "country-edges.csv")}
    assert edges.get(("fr", "de"), edges.get(("de", "fr")))["weight"] == "2"


def test_bad_graph_name_is_one_clear_error(tmp_path: Path) -> None:
    store = disk_store(tmp_path, "twinnings.trig")
    argv = ["network", "report", "--graph", "towns", "--store", str(store)]
    stopped = run_kg(*argv, "--out", tmp_path / "out")
    assert stopped.returncode == 1
    error = stopped.stderr
    assert "unknown graph 'towns'" in error and "Traceback" not in error
    assert not (tmp_path / "out").exists()


def test_a_file_that_cannot_be_written_is_one_clear_error(tmp_path: Path) -> None:
    store = disk_store(tmp_path, "twinnings.trig")
    out = tmp_path / "out"
    (out / "partnership-edges.csv").mkdir(parents=True)  # in the way of the forked writer
    stopped = run_kg("network", "report", "--store", store, "--out", out)
    assert stopped.returncode == 1
    error = stopped.stderr
    assert "writing the edges failed" in error and "partnership-edges.csv" in error
    assert "Traceback" not in error
    assert not list(out.glob(".*"))  # the edge section written ahead is removed
