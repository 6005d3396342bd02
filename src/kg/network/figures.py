"""PNG figures of a network report, drawn with matplotlib's Agg backend (no display needed).

Figures are built as :class:`matplotlib.figure.Figure` objects without pyplot, so nothing global is
touched: the command line writes them to PNG, a notebook shows them inline.

* the network, communities coloured and node size by PageRank (the most central nodes only when
  the graph is large, as the title says);
* the degree distribution (log-log);
* the growth of the network over time.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.figure import Figure

from kg.network.report import NetworkReport


def network_figure(report: NetworkReport, max_nodes: int = 200, labels: int = 12) -> Figure:
    """The network with communities coloured and node size by PageRank; large graphs are cut to
    their ``max_nodes`` nodes of highest PageRank (said in the title)."""
    graph = report.graph
    ranked = sorted(graph.nodes, key=lambda n: -graph.nodes[n].get("pagerank", 0.0))
    shown = graph.subgraph(ranked[:max_nodes])
    title = (
        f"{graph.graph.get('name', 'network')}: {len(graph)} nodes, {graph.number_of_edges()} edges"
    )
    if len(shown) < len(graph):
        title += f" (top {len(shown)} nodes by PageRank shown)"
    figure = Figure(figsize=(11, 9))
    axes = figure.subplots()
    if len(shown):
        positions = nx.spring_layout(
            shown, seed=42, k=1.5 / max(len(shown), 1) ** 0.5, iterations=40
        )
        rank = [shown.nodes[n].get("pagerank", 0.0) for n in shown]
        top = max(rank) or 1.0
        sizes = [40 + 1200 * r / top for r in rank]
        colours = [shown.nodes[n].get("community", 0) % 20 for n in shown]
        nx.draw_networkx_edges(shown, positions, ax=axes, alpha=0.25, width=0.6)
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
        named = ranked[: min(labels, len(shown))]
        nx.draw_networkx_labels(
            shown,
            positions,
            ax=axes,
            font_size=8,
            labels={n: _short(shown.nodes[n].get("label", str(n))) for n in named},
        )
    axes.set_title(title + "\ncolour: Louvain community; size: PageRank", fontsize=10)
    axes.set_axis_off()
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


def growth_figure(growth: list[dict[str, Any]], title: str = "Growth of the network") -> Figure:
    """Cumulative actors and pairs per year (lines) and relations dated each year (bars)."""
    figure = Figure(figsize=(9, 5))
    axes = figure.subplots()
    if growth:
        years = [row["year"] for row in growth]
        axes.plot(years, [row["nodes"] for row in growth], label="actors (cumulative)")
        axes.plot(years, [row["edges"] for row in growth], label="pairs of partners (cumulative)")
        bars = axes.twinx()
        bars.bar(years, [row["new_relations"] for row in growth], alpha=0.3, color="grey")
        bars.set_ylabel("agreements and partnerships dated that year")
        axes.legend(loc="upper left")
    else:
        axes.text(0.5, 0.5, "no dated relations", ha="center", va="center")
    axes.set_xlabel("year")
    axes.set_ylabel("count")
    axes.set_title(title)
    figure.tight_layout()
    return figure


def save(figure: Figure, path: Path) -> Path:
    """Write ``figure`` as PNG (Agg)."""
    figure.savefig(path, dpi=100)
    return path
