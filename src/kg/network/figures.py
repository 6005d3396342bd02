"""PNG figures of a network report, drawn with matplotlib's Agg backend (no display needed).

Figures are built as :class:`matplotlib.figure.Figure` objects without pyplot, so nothing global is
touched: the command line writes them to PNG, a notebook shows them inline.

* the network, communities coloured and node size by PageRank (on a large graph, its hubs with
  their strongest partners, as the title says);
* the degree distribution (log-log);
* the growth of the network over time.
"""

from __future__ import annotations

import heapq
from collections import Counter
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.figure import Figure

from kg.network.report import NetworkReport


def shown_nodes(graph: nx.Graph, max_nodes: int = 350, hubs: int = 20) -> tuple[list[Any], int]:
    """The nodes a drawing of a large graph keeps, and how many of them are hubs: the ``hubs``
    nodes of highest PageRank, each with its strongest partners (highest edge ``weight``) up to
    ``max_nodes`` in all, then other partners of the nodes kept, by PageRank.

    Drawing the top nodes alone loses most edges of a sparse graph; hubs with their neighbourhoods
    keep the structure readable.

    >>> g = nx.star_graph(5); g.add_edge(5, 6)
    >>> nx.set_node_attributes(g, {n: 1.0 if n == 0 else 0.1 for n in g}, "pagerank")
    >>> shown_nodes(g, max_nodes=4, hubs=1)
    ([0, 1, 2, 3], 1)
    """
    if len(graph) <= max_nodes:
        return list(graph), 0
    rank = {n: r for n, r in graph.nodes(data="pagerank", default=0.0)}
    top = heapq.nlargest(min(hubs, max_nodes), graph, key=rank.__getitem__)
    kept = dict.fromkeys(top)
    share = max((max_nodes - len(top)) // max(len(top), 1), 1)
    for hub in top:
        partners = sorted(
            (n for n in graph[hub] if n not in kept),
            key=lambda n: (-graph[hub][n].get("weight", 1), -rank[n]),
        )
        for partner in partners[: min(share, max_nodes - len(kept))]:
            kept[partner] = None
    if len(kept) < max_nodes:
        around = {n for k in kept for n in graph[k] if n not in kept}
        for n in heapq.nlargest(max_nodes - len(kept), around, key=rank.__getitem__):
            kept[n] = None
    return list(kept), len(top)


def network_figure(report: NetworkReport, max_nodes: int = 350, labels: int = 15) -> Figure:
    """The network with communities coloured and node size by PageRank; a graph of more than
    ``max_nodes`` nodes is drawn as its hubs with their strongest partners (said in the title)."""
    graph = report.graph
    chosen, hubs = shown_nodes(graph, max_nodes)
    shown = graph.subgraph(chosen).copy()  # a plain graph: views are slow to walk
    title = (
        f"{graph.graph.get('name', 'network')}: {len(graph)} nodes, {graph.number_of_edges()} edges"
    )
    if hubs:
        title += (
            f"\nshown: the {hubs} nodes of highest PageRank and their strongest partners "
            f"({len(shown)} nodes, {shown.number_of_edges()} edges between them)"
        )
    figure = Figure(figsize=(11, 9))
    axes = figure.subplots()
    if len(shown):
        positions = nx.spring_layout(
            shown, seed=42, k=3 / max(len(shown), 1) ** 0.5, iterations=50, weight=None
        )
        rank = [shown.nodes[n].get("pagerank", 0.0) for n in shown]
        top = max(rank) or 1.0
        sizes = [20 + 900 * (r / top) ** 0.75 for r in rank]
        colours = [shown.nodes[n].get("community", 0) % 20 for n in shown]
        widths = [0.2 + 0.3 * min(w, 5) for _u, _v, w in shown.edges(data="weight", default=1)]
        # dense cores would be a black disc: the more edges, the fainter each
        alpha = max(0.02, min(0.3, 400 / max(shown.number_of_edges(), 1)))
        nx.draw_networkx_edges(shown, positions, ax=axes, alpha=alpha, width=widths)
        nx.draw_networkx_nodes(
            shown,
            positions,
            ax=axes,
            node_size=sizes,
            node_color=colours,
            cmap=matplotlib.colormaps["tab20"],
            vmin=0,
            vmax=19,
            linewidths=0.3,
            edgecolors="white",
        )
        named = heapq.nlargest(labels, shown, key=lambda n: shown.nodes[n].get("pagerank", 0.0))
        # hubs sit close together: numbered on the drawing, named in a list beside it
        nx.draw_networkx_labels(
            shown,
            positions,
            ax=axes,
            font_size=7,
            labels={n: str(i) for i, n in enumerate(named, start=1)},
            bbox={"boxstyle": "circle,pad=0.1", "fc": "white", "ec": "grey", "alpha": 0.8},
        )
        legend = "\n".join(
            f"{i}. {_short(shown.nodes[n].get('label', str(n)))}"
            for i, n in enumerate(named, start=1)
        )
        axes.text(
            0.0,
            1.0,
            legend,
            transform=axes.transAxes,
            va="top",
            ha="left",
            fontsize=8,
            bbox={"boxstyle": "round", "fc": "white", "ec": "lightgrey", "alpha": 0.9},
        )
    axes.set_title(
        title + f"\ncolour: Louvain community; size: PageRank; numbers: top {labels} by PageRank",
        fontsize=10,
    )
    axes.set_axis_off()
    figure.tight_layout()
    return figure


def country_figure(report: NetworkReport, home: str = "fr", top: int = 30) -> Figure:
    """France's partner countries weighted: one bar per country, its length the summed weight of
    the partnerships between French actors and that country's (a star of single edges says nothing:
    every edge of the country graph touches France)."""
    graph = report.graph
    figure = Figure(figsize=(9, 0.28 * min(top, max(len(graph) - 1, 1)) + 1.8))
    axes = figure.subplots()
    partners = (
        sorted(
            (
                (graph[home][c].get("weight", 1), graph.nodes[c].get("label", c))
                for c in graph[home]
            ),
            key=lambda t: (-t[0], t[1]),
        )
        if home in graph
        else []
    )
    total = sum(w for w, _ in partners)
    shown = partners[:top][::-1]
    if shown:
        axes.barh(
            [_short(str(label)) for _w, label in shown], [w for w, _ in shown], color="#1f4e79"
        )
        for y, (w, _label) in enumerate(shown):
            axes.text(w, y, f" {w:g}", va="center", fontsize=7)
    else:
        axes.text(
            0.5, 0.5, "no partner countries", ha="center", va="center", transform=axes.transAxes
        )
    home_label = graph.nodes[home].get("label", home) if home in graph else home
    axes.set_xlabel("partnerships with French actors (summed weight)")
    axes.set_title(
        f"{home_label}'s partner countries: {len(partners)} countries, {total:g} partnerships"
        + (f"; top {top} shown" if len(partners) > top else ""),
        fontsize=10,
    )
    axes.tick_params(axis="y", labelsize=7)
    figure.tight_layout()
    return figure


def _short(label: str, width: int = 28) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def degree_figure(report: NetworkReport) -> Figure:
    """Degree distribution: how many nodes have each number of partners (log-log)."""
    counts = Counter(d for _n, d in report.graph.degree() if d > 0)
    figure = Figure(figsize=(7, 5))
    axes = figure.subplots()
    if counts:
        degrees = sorted(counts)
        axes.loglog(degrees, [counts[d] for d in degrees], "o", markersize=4)
    axes.set_xlabel("degree (number of partners)")
    axes.set_ylabel("number of nodes")
    axes.set_title(f"Degree distribution ({report.graph.graph.get('name', 'network')})")
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    return figure


def dated_note(growth: list[dict[str, Any]], total: int | None) -> str:
    """How many relations the growth series rests on, said plainly under the figure's title.

    >>> dated_note([{"year": 2001, "new_relations": 12}], 5476)
    'only 12 of 5,476 relations (0.2%) are dated: the curves show those, not a national trend'
    """
    dated = sum(int(row.get("new_relations", 0)) for row in growth)
    if total is None:
        return f"{dated:,} dated relations; undated ones are left out"
    share = 100 * dated / total if total else 0.0
    lead = "only " if share < 50 else ""
    return (
        f"{lead}{dated:,} of {total:,} relations ({share:.1f}%) are dated: "
        "the curves show those, not a national trend"
    )


def growth_figure(
    growth: list[dict[str, Any]], title: str = "Growth of the network", total: int | None = None
) -> Figure:
    """Cumulative actors and pairs per year (lines) and relations dated each year (bars); the title
    says how many of the ``total`` relations are dated, so a few dated ones never pass for a trend."""
    figure = Figure(figsize=(9, 5))
    axes = figure.subplots()
    title = f"{title}\n{dated_note(growth, total)}"
    if growth:
        years = [row["year"] for row in growth]
        axes.plot(years, [row["nodes"] for row in growth], label="actors (cumulative)")
        axes.plot(years, [row["edges"] for row in growth], label="pairs of partners (cumulative)")
        bars = axes.twinx()
        bars.bar(years, [row["new_relations"] for row in growth], alpha=0.3, color="grey")
        bars.set_ylabel("agreements and partnerships dated that year")
        axes.legend(loc="upper left")
    else:
        axes.text(
            0.5, 0.5, "no dated relations", ha="center", va="center", transform=axes.transAxes
        )
    axes.set_xlabel("year")
    axes.set_ylabel("count")
    axes.set_title(title)
    figure.tight_layout()
    return figure


def save(figure: Figure, path: Path) -> Path:
    """Write ``figure`` as PNG (Agg)."""
    figure.savefig(path, dpi=100)
    return path
