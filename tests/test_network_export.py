"""The fast partnership graph build against a plain reference, and the GEXF, GraphML and CSV files
read back (networkx readers, the csv module) against the graph they were written from."""

from __future__ import annotations

import csv
import math
import random
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.network import export
from kg.network.extract import Actor, Relation, local_name
from kg.network.partnership import partnership_graph
from kg.network.report import analyse

SECTOR = "https://w3id.org/kgci/vocab/sector/"


def random_relations(rng: random.Random, count: int) -> list[Relation]:
    actors = [f"https://w3id.org/kgci/id/collectivity/c{i}" for i in range(30)]
    relations = []
    for i in range(count):
        kind = rng.choice(["agreement", "agreement", "partnership"])
        parties = tuple(rng.sample(actors, rng.choice([1, 2, 2, 2, 3, 4])))  # not sorted
        year = rng.choice([None, 1990, 2001, 2010, 2015])
        relation = Relation(
            f"https://w3id.org/kgci/id/{kind}/r{i}",
            kind,
            parties,
            types=set(rng.sample(["twinning", "pact", "convention"], rng.randint(0, 2))),
            sectors={SECTOR + s for s in rng.sample(["culture", "health", "energy"], 2)},
            signed=year if rng.random() < 0.5 else None,
            started=year,
            ended=rng.choice([None, None, 2012]),
        )
        relations.append(relation)
    for relation in relations:  # some agreements formalise partnerships of the same pairs
        if relation.kind == "agreement" and rng.random() < 0.3:
            relation.formalises = {
                r.iri for r in rng.sample(relations, 3) if r.kind == "partnership"
            }
    return relations


def reference_graph(relations: list[Relation], as_of: int | None) -> nx.Graph:
    """The clique projection written the straightforward way, one relation and pair at a time."""
    chosen = [r for r in relations if len(r.parties) >= 2 and (as_of is None or r.active_in(as_of))]
    formalised = {p for r in chosen if r.kind == "agreement" for p in r.formalises}
    graph = nx.Graph()
    for r in chosen:
        counted = not (r.kind == "partnership" and r.iri in formalised)
        k = len(r.parties)
        for u, v in combinations(r.parties, 2):
            if not graph.has_edge(u, v):
                graph.add_edge(
                    u,
                    v,
                    weight=0,
                    newman_weight=0.0,
                    multilateral=0,
                    agreements=0,
                    partnerships=0,
                    types=set(),
                    years=set(),
                    sectors=set(),
                )
            edge = graph[u][v]
            edge["weight"] += counted
            edge["newman_weight"] += 1 / (k - 1) if counted else 0.0
            edge["multilateral"] += counted and k > 2
            edge[r.kind + "s"] += 1
            edge["types"] |= r.types
            edge["sectors"] |= {local_name(s) for s in r.sectors}
            if r.year is not None:
                edge["years"].add(r.year)
    for _u, _v, edge in graph.edges(data=True):
        for key in ("types", "years", "sectors"):
            edge[key] = sorted(edge[key])
        if edge["years"]:
            edge["first_year"] = edge["years"][0]
    return graph


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("as_of", [None, 2011])
def test_fast_build_equals_the_reference(seed: int, as_of: int | None) -> None:
    relations = random_relations(random.Random(seed), 120)
    fast = partnership_graph(relations, {}, as_of=as_of)
    slow = reference_graph(relations, as_of)
    assert set(fast) == set(slow)
    assert {frozenset(e) for e in fast.edges} == {frozenset(e) for e in slow.edges}
    for u, v, expected in slow.edges(data=True):
        got = dict(fast[u][v])
        assert got.pop("newman_weight") == pytest.approx(expected.pop("newman_weight"), abs=1e-12)
        assert got == expected, (u, v)
    for node in fast:  # no actor given: label from the IRI, scope unknown
        assert fast.nodes[node] == {"label": local_name(node), "scope": "unknown"}


def test_node_attributes_come_from_actors() -> None:
    a, b = "https://w3id.org/kgci/id/collectivity/a-fr", "https://w3id.org/kgci/id/collectivity/b"
    graph = partnership_graph(
        [Relation("r", "agreement", (b, a), signed=2000)], {a: Actor(a, "A", "collectivity", "fr")}
    )
    assert graph.nodes[a] == {
        "label": "A",
        "kind": "collectivity",
        "scope": "french",
        "country": "fr",
    }
    assert graph.nodes[b] == {"label": "b", "scope": "unknown"}


def awkward_graph(seed: int) -> nx.Graph:
    """A measured random graph whose attributes have every shape the writers must handle."""
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(60, 150, seed=seed)
    graph = nx.relabel_nodes(graph, {n: f"https://w3id.org/kgci/id/x/n{n}&<{n}>" for n in graph})
    graph.graph["name"] = 'awkward "graph" & co'
    for i, node in enumerate(graph):
        attrs = graph.nodes[node]
        attrs["label"] = rng.choice(['Saint-Étienne "42"', "A & B <c>", "tab\there", "ctl\x01x"])
        attrs["kind"] = "collectivity"
        if i % 3:
            attrs["country"] = rng.choice(["fr", "jp"])
        attrs["note"] = None
        attrs["score"] = math.nan if i % 4 == 0 else 0.5 * i
    for u, v in graph.edges:
        graph[u][v].update(
            weight=rng.randint(1, 4),
            newman_weight=rng.choice([0.5, 1.0, 1 / 3]),
            types=rng.sample(["twinning", "pact"], rng.randint(0, 2)),
            years=sorted(rng.sample([1990, 2001, 2010], 2)),
            flag=rng.random() < 0.5,
            mixed=rng.choice([1, 2.5]),
        )
    return analyse(graph).graph


def expected(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(
            str(v).translate({c: None for c in range(1, 32) if c not in (9, 10, 13)}) for v in value
        )
    if isinstance(value, str):
        return value.translate({c: None for c in range(1, 32) if c not in (9, 10, 13)})
    return value


def known(attrs: dict[str, Any], *leave_out: str) -> dict[str, Any]:
    return {
        k: expected(v)
        for k, v in attrs.items()
        if v is not None and not (isinstance(v, float) and math.isnan(v)) and k not in leave_out
    }


def same(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert set(got) == set(want)
    for key, value in want.items():
        if isinstance(value, float) or isinstance(got[key], float):
            assert float(got[key]) == pytest.approx(value, rel=1e-12), key
        else:
            assert got[key] == value, key


@pytest.mark.parametrize("seed", range(3))
def test_graphml_reads_back(tmp_path: Path, seed: int) -> None:
    graph = awkward_graph(seed)
    back = nx.read_graphml(export.write_graphml(graph, tmp_path / "g.graphml"))
    assert set(back) == set(graph)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    assert back.graph["name"] == graph.graph["name"]
    for node, attrs in graph.nodes(data=True):
        same(back.nodes[node], known(attrs))
    for u, v, attrs in graph.edges(data=True):
        same(back[u][v], known(attrs))


@pytest.mark.parametrize("seed", range(3))
def test_gexf_reads_back(tmp_path: Path, seed: int) -> None:
    graph = awkward_graph(seed)
    back = nx.read_gexf(export.write_gexf(graph, tmp_path / "g.gexf"))
    assert set(back) == set(graph)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    for node, attrs in graph.nodes(data=True):
        same(back.nodes[node], known(attrs))
    for u, v, attrs in graph.edges(data=True):
        got = dict(back[u][v])
        got.pop("id")
        same(got, known(attrs))


@pytest.mark.parametrize("seed", range(3))
def test_gexf_with_edges_written_ahead_is_the_same_file(tmp_path: Path, seed: int) -> None:
    graph = awkward_graph(seed)
    whole = export.write_gexf(graph, tmp_path / "whole.gexf").read_bytes()
    section = export.write_gexf_edges(graph, tmp_path / "edges.part")
    assert section.path.stat().st_size > 0
    assert export.write_gexf(graph, tmp_path / "joined.gexf", section).read_bytes() == whole


def test_csv_files_read_back(tmp_path: Path) -> None:
    report = analyse(awkward_graph(7))
    with export.write_nodes_csv(report, tmp_path / "n.csv").open(encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle))
    assert [row["id"] for row in nodes] == [row["id"] for row in report.nodes]
    for row, want in zip(nodes, report.nodes, strict=True):
        assert row["label"] == want["label"]
        assert float(row["pagerank"]) == pytest.approx(want["pagerank"], rel=1e-5)
    with export.write_edges_csv(report, tmp_path / "e.csv").open(encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle))
    assert len(edges) == report.graph.number_of_edges()
    for row in edges:
        attrs = report.graph[row["source"]][row["target"]]
        assert row["types"] == "; ".join(attrs["types"])
        assert int(row["weight"]) == attrs["weight"]
        assert row["bridge"] == str(
            frozenset((row["source"], row["target"])) in {frozenset(b) for b in report.bridges}
        )
