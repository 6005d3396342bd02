"""Duplicate rows: every named query of ``queries/``, as the project ran it before (pyoxigraph's union
mode over a store whose default graph is empty: a bag of all named graphs) and as it runs now (the
store's default graph, the merge of the data graphs, :mod:`kg.store.default_graph`), side by side,
interleaved, with the same parameters::

    python bench/duplicates.py --store NEW [--before OLD]

``NEW`` is a store built by this version (e.g. ``kg import all``); ``OLD`` the same sources built by
the previous layout (default graph empty). Without ``--before``, the union of ``NEW``'s named graphs
alone stands for it. For each query it prints the rows in each mode and how many rows repeat another
row exactly, checks that the default graph equals the merge of the named data graphs, and prints the
load average.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.queries import NamedQuery, QueryLibrary
from kg.settings import Settings
from kg.store import open_store
from kg.store.default_graph import NON_DATA_GRAPHS

TWINNINGS = "PREFIX kgc: <https://w3id.org/kgci/def/> SELECT (COUNT(*) AS ?n) WHERE { ?t kgc:agreementType <https://w3id.org/kgci/vocab/agreement-type/twinning> }"


def _example(description: str) -> str:
    match = re.search(r"e\.g\.\s+<?([^\s>]+)>?", description)
    return match.group(1) if match else ""


def _rows(store: ox.Store, query: NamedQuery, params: dict[str, str], union: bool) -> Counter[str]:
    options: dict[str, Any] = {"substitutions": dict(query.bind(params))}
    if union:
        options["default_graph"] = _named(store)
    result = store.query(query.text, **options)
    if isinstance(result, ox.QueryBoolean):
        return Counter([str(bool(result))])
    if isinstance(result, ox.QuerySolutions):
        names = result.variables
        return Counter(str([str(s[v]) for v in names]) for s in result)
    return Counter(str(t) for t in result)


def _named(store: ox.Store) -> list[ox.NamedNode]:
    """Every named graph: the old default graph, evaluated as a bag like union mode."""
    return [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]


def _count(store: ox.Store, text: str, union: bool) -> int:
    result = store.query(text, default_graph=_named(store)) if union else store.query(text)
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value)  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("::")[0])
    parser.add_argument("--store", type=Path, default=None, help="store of this version")
    parser.add_argument("--before", type=Path, default=None, help="store of the previous layout")
    args = parser.parse_args()
    settings = Settings()
    path = args.store or settings.store
    store = open_store(path, read_only=True)
    old = open_store(args.before, read_only=True) if args.before else store
    library = QueryLibrary(settings.queries_dir)
    print(f"store: {path}; before: {args.before or path}")
    print(
        f"twinnings counted: before {_count(old, TWINNINGS, True)}, "
        f"now {_count(store, TWINNINGS, False)}"
    )
    print(
        f"{'query':42} {'before rows':>11} {'repeated':>9} {'now rows':>11} {'repeated':>9} {'s':>6}"
    )
    total_union = total_merge = 0
    for query in library:
        if re.search(r"\bGRAPH\b", query.text):
            continue  # queries about graphs read named graphs in either mode
        params = {p.name: _example(p.description) for p in query.parameters if p.required}
        started = time.perf_counter()
        union = _rows(old, query, params, True)
        merge = _rows(store, query, params, False)
        seconds = time.perf_counter() - started
        repeated_union = sum(n - 1 for n in union.values())
        repeated_merge = sum(n - 1 for n in merge.values())
        total_union += repeated_union
        total_merge += repeated_merge
        print(
            f"{query.name:42} {sum(union.values()):>11} {repeated_union:>9} "
            f"{sum(merge.values()):>11} {repeated_merge:>9} {seconds:>6.2f}"
        )
    print(f"repeated rows in all queries: before {total_union}, now {total_merge}")
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    merged = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in NON_DATA_GRAPHS
    }
    print(f"default graph: {default} triples; merge of the data graphs: {len(merged)} triples")
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
