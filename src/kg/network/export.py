"""Write a network and its metrics to files: CSV of nodes and edges, GEXF and GraphML for Gephi.

GEXF and GraphML hold only scalar attributes: lists become ``"; "``-joined strings and unknown
values (None, NaN) are left out. Both are streamed line by line (networkx's writers build the whole
XML tree in memory, which took most of the report's time on a 10,000-node graph); the tests read
them back with networkx.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from kg.network.report import METRICS, NetworkReport


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.6g}"
    return _scalar(value)


def portable(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` whose attributes GEXF and GraphML can store.

    >>> g = nx.Graph(); g.add_edge("a", "b", years=[2001, 2003], note=None)
    >>> portable(g)["a"]["b"]
    {'years': '2001; 2003'}
    """
    copy = nx.Graph()
    copy.graph.update({k: _scalar(v) for k, v in graph.graph.items() if v not in (None, "")})

    copy.add_nodes_from((n, _clean(d)) for n, d in graph.nodes(data=True))
    copy.add_edges_from((u, v, _clean(d)) for u, v, d in graph.edges(data=True))
    return copy


def write_nodes_csv(report: NetworkReport, path: Path) -> Path:
    """One row per node: identity columns then every metric, in rank order."""
    columns = ["rank", "id", "label", "kind", "scope", "country", *METRICS]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        for rank, row in enumerate(report.nodes, start=1):
            writer.writerow({"rank": rank, **{k: _cell(v) for k, v in row.items()}})
    return path


def write_edges_csv(report: NetworkReport, path: Path) -> Path:
    """One row per edge with its attributes, and whether it is a bridge."""
    graph = report.graph
    keys = sorted({k for _u, _v, d in graph.edges(data=True) for k in d})
    bridges = {frozenset(edge) for edge in report.bridges}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "source_label", "target_label", *keys, "bridge"])
        for u, v, data in graph.edges(data=True):
            writer.writerow(
                [
                    u,
                    v,
                    graph.nodes[u].get("label", u),
                    graph.nodes[v].get("label", v),
                    *(_cell(data.get(k, "")) for k in keys),
                    frozenset((u, v)) in bridges,
                ]
            )
    return path


def _types(items: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The XML type of each attribute: string if any value is text, else double, long or boolean."""
    seen: dict[str, set[type]] = {}
    for attrs in items:
        for key, value in attrs.items():
            seen.setdefault(key, set()).add(type(value))
    types = {}
    for key, kinds in sorted(seen.items()):
        if kinds <= {bool}:
            types[key] = "boolean"
        elif kinds <= {int, bool}:
            types[key] = "long"
        elif kinds <= {int, float, bool}:
            types[key] = "double"
        else:
            types[key] = "string"
    return types


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPECIAL = re.compile('[&<>"\n\r\t]')
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\t": "&#9;",
}


def _text(value: Any, kind: str = "string") -> str:
    """The XML text of a value: escaped, without the control characters XML 1.0 forbids.

    >>> _text('a "b" & <c>'), _text(True, "boolean"), _text(2, "double")
    ('a &quot;b&quot; &amp; &lt;c&gt;', 'true', '2.0')
    """
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    if kind == "long":
        return str(int(value))
    text = _CONTROL.sub("", str(value))
    return _SPECIAL.sub(lambda m: _ENTITIES[m.group()], text) if _SPECIAL.search(text) else text


def _quoted(value: Any, kind: str = "string") -> str:
    return f'"{_text(value, kind)}"'


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    return {
        k: _scalar(v)
        for k, v in attrs.items()
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    }


Prepared = tuple[
    dict[str, Any], list[tuple[Any, dict[str, Any]]], list[tuple[Any, Any, dict[str, Any]]]
]


def _prepare(graph: nx.Graph) -> Prepared:
    """Graph, node and edge attributes cleaned for XML, computed once for both formats."""
    meta = {k: v for k, v in _clean(graph.graph).items() if v != ""}
    nodes = [(n, _clean(d)) for n, d in graph.nodes(data=True)]
    edges = [(u, v, _clean(d)) for u, v, d in graph.edges(data=True)]
    return meta, nodes, edges


def write_gephi_files(graph: nx.Graph, gexf: Path, graphml: Path) -> list[Path]:
    """Both GEXF and GraphML, preparing the attributes once."""
    prepared = _prepare(graph)
    return [write_gexf(graph, gexf, prepared), write_graphml(graph, graphml, prepared)]


def write_graphml(graph: nx.Graph, path: Path, prepared: Prepared | None = None) -> Path:
    """GraphML, streamed (networkx's writer builds the whole XML tree first, slow on big graphs)."""
    meta, nodes, edges = prepared or _prepare(graph)
    node_types = _types(d for _n, d in nodes)
    edge_types = _types(d for _u, _v, d in edges)
    graph_types = _types([meta])
    keys = {("graph", k): f"g{i}" for i, k in enumerate(graph_types)}
    keys |= {("node", k): f"n{i}" for i, k in enumerate(node_types)}
    keys |= {("edge", k): f"e{i}" for i, k in enumerate(edge_types)}
    kinds = {"graph": graph_types, "node": node_types, "edge": edge_types}

    def data(scope: str, attrs: dict[str, Any]) -> str:
        return "".join(
            f'<data key="{keys[(scope, k)]}">{_text(v, kinds[scope][k])}</data>'
            for k, v in attrs.items()
        )

    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
        for (scope, name), key in keys.items():
            kind = kinds[scope][name]
            out.write(
                f'<key id="{key}" for="{scope}" attr.name={_quoted(name)} attr.type="{kind}"/>\n'
            )
        out.write(f'<graph edgedefault="undirected">{data("graph", meta)}\n')
        for node, attrs in nodes:
            out.write(f"<node id={_quoted(node)}>{data('node', attrs)}</node>\n")
        for u, v, attrs in edges:
            out.write(
                f"<edge source={_quoted(u)} target={_quoted(v)}>{data('edge', attrs)}</edge>\n"
            )
        out.write("</graph>\n</graphml>\n")
    return path


def write_gexf(graph: nx.Graph, path: Path, prepared: Prepared | None = None) -> Path:
    """GEXF 1.2 (Gephi's own format), streamed; ``label`` and ``weight`` are GEXF's own fields."""
    _meta, nodes, edges = prepared or _prepare(graph)
    node_types = _types({k: v for k, v in d.items() if k != "label"} for _n, d in nodes)
    edge_types = _types({k: v for k, v in d.items() if k != "weight"} for _u, _v, d in edges)
    node_ids = {k: str(i) for i, k in enumerate(node_types)}
    edge_ids = {k: str(i) for i, k in enumerate(edge_types)}

    def values(attrs: dict[str, Any], types: dict[str, str], ids: dict[str, str]) -> str:
        found = "".join(
            f'<attvalue for="{ids[k]}" value={_quoted(v, types[k])}/>'
            for k, v in attrs.items()
            if k in ids
        )
        return f"<attvalues>{found}</attvalues>" if found else ""

    def declare(scope: str, types: dict[str, str], ids: dict[str, str]) -> str:
        rows = "".join(
            f'<attribute id="{ids[k]}" title={_quoted(k)} type="{kind}"/>'
            for k, kind in types.items()
        )
        return f'<attributes class="{scope}">{rows}</attributes>\n'

    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write('<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n')
        name = graph.graph.get("name", "")
        out.write(f"<meta><creator>kgci</creator><description>{_text(name)}</description></meta>\n")
        out.write('<graph defaultedgetype="undirected" mode="static">\n')
        out.write(declare("node", node_types, node_ids))
        out.write(declare("edge", edge_types, edge_ids))
        out.write("<nodes>\n")
        for node, attrs in nodes:
            label = _quoted(attrs.get("label", node))
            out.write(
                f"<node id={_quoted(node)} label={label}>"
                f"{values(attrs, node_types, node_ids)}</node>\n"
            )
        out.write("</nodes>\n<edges>\n")
        for i, (u, v, attrs) in enumerate(edges):
            weight = f' weight="{float(attrs["weight"])!r}"' if "weight" in attrs else ""
            out.write(
                f'<edge id="{i}" source={_quoted(u)} target={_quoted(v)}{weight}>'
                f"{values(attrs, edge_types, edge_ids)}</edge>\n"
            )
        out.write("</edges>\n</graph>\n</gexf>\n")
    return path
