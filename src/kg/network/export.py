"""Write a network and its metrics to files: CSV of nodes and edges, GEXF and GraphML for Gephi.

GEXF and GraphML hold only scalar attributes: lists become ``"; "``-joined strings and unknown
values (None, NaN) are left out. Both are written as text, one formatted string per element
(networkx's writers build the whole XML tree in memory, which took most of the report's time on a
10,000-node graph); the tests read them back with networkx.
"""

from __future__ import annotations

import csv
import math
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from kg.network.report import METRICS, NetworkReport


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return value


def _cell(value: Any) -> Any:
    """A CSV cell: floats to 6 significant digits, NaN empty, lists joined.

    >>> _cell(0.1234567), _cell(float("nan")), _cell([2001, 2003]), _cell(3)
    ('0.123457', '', '2001; 2003', 3)
    """
    kind = type(value)
    if kind is str or kind is int:
        return value
    if kind is float:
        return "" if value != value else f"{value:.6g}"
    return _scalar(value)


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    return {
        k: _scalar(v)
        for k, v in attrs.items()
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    }


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
    columns = ["id", "label", "kind", "scope", "country", *METRICS]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rank", *columns])
        writer.writerows(
            [rank, *[_cell(row.get(c, "")) for c in columns]]
            for rank, row in enumerate(report.nodes, start=1)
        )
    return path


def write_edges_csv(report: NetworkReport, path: Path) -> Path:
    """One row per edge with its attributes, and whether it is a bridge."""
    return write_edge_table(report.graph, report.bridges, path)


def write_edge_table(graph: nx.Graph, bridges: Iterable[tuple[Any, Any]], path: Path) -> Path:
    """The edges CSV from the graph and its bridges alone: edge attributes do not depend on the
    measures, so it can be written while they run (column by column: only columns holding floats
    or lists are converted)."""
    edges = list(graph.edges(data=True))
    keys = sorted({k for _u, _v, d in edges for k in d})
    bridge_set = {frozenset(edge) for edge in bridges}
    labels = {n: d.get("label", n) for n, d in graph.nodes(data=True)}
    columns: list[Iterable[Any]] = [
        [u for u, _v, _d in edges],
        [v for _u, v, _d in edges],
        [labels[u] for u, _v, _d in edges],
        [labels[v] for _u, v, _d in edges],
    ]
    for key in keys:
        values = [d.get(key, "") for _u, _v, d in edges]
        plain = set(map(type, values)) <= {str, int, bool}
        columns.append(values if plain else map(_cell, values))
    columns.append([bool(bridge_set) and frozenset((u, v)) in bridge_set for u, v, _d in edges])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "source_label", "target_label", *keys, "bridge"])
        writer.writerows(zip(*columns, strict=True))
    return path


_NONE = type(None)


def _types(items: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The XML type of each attribute: string if any value is text, else double, long or boolean
    (unknown values, None and NaN, are ignored).

    >>> _types([{"a": 1, "b": 1, "c": True}, {"a": 2.5, "b": "x", "d": None}])
    {'a': 'double', 'b': 'string', 'c': 'boolean'}
    """
    seen: dict[str, set[type]] = {}
    # Rows mostly share a handful of shapes (keys and value types): each shape is read once.
    for keys, shape in {(tuple(attrs), tuple(map(type, attrs.values()))) for attrs in items}:
        for key, kind in zip(keys, shape, strict=True):
            if kind is not _NONE:
                seen.setdefault(key, set()).add(kind)
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


#: XML escapes of the characters that need one in attribute values and text; the control
#: characters XML 1.0 forbids are removed.
_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
        **{chr(c): None for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))},
    }
)


#: Escaped form of the strings met while writing one file (node IRIs recur on every edge).
_ESCAPED: dict[str, str] = {}


def _string(value: Any) -> str:
    if type(value) is not str:
        is_list = isinstance(value, (list, tuple, set))
        value = "; ".join(map(str, value)) if is_list else str(value)
    escaped = _ESCAPED.get(value)
    if escaped is None:
        escaped = _ESCAPED[value] = value.translate(_ESCAPES)
    return escaped


_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "boolean": lambda value: "true" if value else "false",
    "double": lambda value: repr(float(value)),
    "long": lambda value: str(int(value)),
    "string": _string,
}


def _text(value: Any, kind: str = "string") -> str:
    """The XML text of a value: escaped, without the control characters XML 1.0 forbids.

    >>> _text('a "b" & <c>'), _text(True, "boolean"), _text(2, "double"), _text([1, 2])
    ('a &quot;b&quot; &amp; &lt;c&gt;', 'true', '2.0', '1; 2')
    """
    return _FORMATTERS[kind](value)


def _quoted(value: Any, kind: str = "string") -> str:
    return f'"{_text(value, kind)}"'


def _known(value: Any) -> bool:
    return value is not None and value == value  # NaN is not equal to itself


Element = tuple[str, str, str]  # markup before the value, after it, XML type


def _column(values: list[Any], before: str, after: str, kind: str) -> list[str]:
    """One attribute of every element, formatted (empty where the value is None or NaN)."""
    if kind == "long":
        return ["" if v is None else f"{before}{v:d}{after}" for v in values]
    if kind == "double":
        return [f"{before}{float(v)!r}{after}" if v is not None and v == v else "" for v in values]
    if kind == "boolean":
        return ["" if v is None else before + ("true" if v else "false") + after for v in values]
    return ["" if v is None else before + _string(v) + after for v in values]


def _markup(rows: list[dict[str, Any]], elements: dict[str, Element]) -> list[str]:
    """The data elements of each attribute dictionary of ``rows`` for the attributes in
    ``elements``, unknown values (None, NaN) left out; formatted column by column, one attribute
    at a time, which spares a dispatch per value.

    >>> _markup([{"a": 1, "b": 2}, {"a": None}, {}], {"a": ("<a>", "</a>", "long")})
    ['<a>1</a>', '', '']
    """
    columns = [
        _column([row.get(key) for row in rows], before, after, kind)
        for key, (before, after, kind) in elements.items()
    ]
    return list(map("".join, zip(*columns, strict=True))) if columns else [""] * len(rows)


@dataclass(frozen=True)
class EdgeSection:
    """The edge elements of a GEXF file, written ahead into a file of their own, and the XML types
    of their attributes (which the file declares before its nodes).

    Edge attributes do not depend on the measures, so this part, the larger one, can be written in
    another process while the measures run; the writer then copies it in."""

    path: Path
    types: dict[str, str]


_COPY_BUFFER = 1 << 20


def _write(path: Path, lines: list[str], edges: EdgeSection | None = None, end: str = "") -> Path:
    """Write ``lines``, then the edge elements of ``edges`` if given, then ``end``."""
    _ESCAPED.clear()
    with path.open("w", encoding="utf-8") as out:
        out.write("".join(lines))
        if edges is not None:
            with edges.path.open(encoding="utf-8") as part:
                shutil.copyfileobj(part, out, _COPY_BUFFER)
        out.write(end)
    return path


def write_graphml(graph: nx.Graph, path: Path) -> Path:
    """GraphML, written as text (networkx's writer builds the whole XML tree first, slow on big
    graphs)."""
    meta = {k: v for k, v in graph.graph.items() if _known(v) and v != ""}
    node_types = _types(graph.nodes.values())
    edge_types = _types(d for _u, _v, d in graph.edges(data=True))
    graph_types = _types([meta])
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    ]
    scopes = {}
    for scope, types in (("graph", graph_types), ("node", node_types), ("edge", edge_types)):
        elements = {}
        for i, (name, kind) in enumerate(types.items()):
            key = f"{scope[0]}{i}"
            lines.append(
                f'<key id="{key}" for="{scope}" attr.name={_quoted(name)} attr.type="{kind}"/>\n'
            )
            elements[name] = (f'<data key="{key}">', "</data>", kind)
        scopes[scope] = elements
    lines.append(f'<graph edgedefault="undirected">{_markup([meta], scopes["graph"])[0]}\n')
    nodes = graph.nodes
    lines.extend(
        f'<node id="{_string(n)}">{data}</node>\n'
        for n, data in zip(nodes, _markup(list(nodes.values()), scopes["node"]), strict=True)
    )
    edges = list(graph.edges(data=True))
    lines.extend(
        f'<edge source="{_string(u)}" target="{_string(v)}">{data}</edge>\n'
        for (u, v, _d), data in zip(
            edges, _markup([d for *_e, d in edges], scopes["edge"]), strict=True
        )
    )
    lines.append("</graph>\n</graphml>\n")
    return _write(path, lines)


def _gexf_edge_types(graph: nx.Graph) -> dict[str, str]:
    types = _types(d for _u, _v, d in graph.edges(data=True))
    types.pop("weight", None)  # GEXF's own field
    return types


def _gexf_elements(types: dict[str, str]) -> dict[str, Element]:
    return {
        key: (f'<attvalue for="{i}" value="', '"/>', kind)
        for i, (key, kind) in enumerate(types.items())
    }


def _gexf_values(rows: list[dict[str, Any]], types: dict[str, str]) -> list[str]:
    return [
        f"<attvalues>{m}</attvalues>" if m else "" for m in _markup(rows, _gexf_elements(types))
    ]


def _gexf_edges(graph: nx.Graph, types: dict[str, str]) -> list[str]:
    edges = list(graph.edges(data=True))
    weights = _column([d.get("weight") for *_e, d in edges], ' weight="', '"', "double")
    found_values = _gexf_values([d for *_e, d in edges], types)
    return [
        f'<edge id="{i}" source="{_string(u)}" target="{_string(v)}"{weight}>{found}</edge>\n'
        for i, ((u, v, _d), weight, found) in enumerate(
            zip(edges, weights, found_values, strict=True)
        )
    ]


def write_gexf_edges(graph: nx.Graph, path: Path) -> EdgeSection:
    """The edge elements of :func:`write_gexf`'s file, into ``path``."""
    types = _gexf_edge_types(graph)
    _write(path, _gexf_edges(graph, types))
    return EdgeSection(path, types)


def write_gexf(graph: nx.Graph, path: Path, edges: EdgeSection | None = None) -> Path:
    """GEXF 1.2 (Gephi's own format), written as text; ``label`` and ``weight`` are GEXF's own
    fields. The edge elements are copied from ``edges`` when written ahead."""
    node_types = _types(graph.nodes.values())
    node_types.pop("label", None)
    edge_types = _gexf_edge_types(graph) if edges is None else edges.types

    def declare(scope: str, types: dict[str, str]) -> str:
        rows = "".join(
            f'<attribute id="{i}" title={_quoted(k)} type="{kind}"/>'
            for i, (k, kind) in enumerate(types.items())
        )
        return f'<attributes class="{scope}">{rows}</attributes>\n'

    name = _string(graph.graph.get("name", ""))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
        f"<meta><creator>kgci</creator><description>{name}</description></meta>\n"
        '<graph defaultedgetype="undirected" mode="static">\n',
        declare("node", node_types),
        declare("edge", edge_types),
        "<nodes>\n",
    ]
    nodes = graph.nodes
    for (node, attrs), found in zip(
        nodes.items(), _gexf_values(list(nodes.values()), node_types), strict=True
    ):
        label = attrs.get("label")
        label = _string(node if label is None or label != label else label)
        lines.append(f'<node id="{_string(node)}" label="{label}">{found}</node>\n')
    lines.append("</nodes>\n<edges>\n")
    if edges is None:
        lines.extend(_gexf_edges(graph, edge_types))
    return _write(path, lines, edges, "</edges>\n</graph>\n</gexf>\n")
