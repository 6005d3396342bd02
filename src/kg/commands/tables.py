"""Rich tables that stay readable in an 80-column terminal: IRIs compacted with the project's
prefixes (``collectivity:paris`` rather than ``https://…``), long cells folded onto several lines
instead of cut with an ellipsis, and an empty result said in words ("0 rows")."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from kg.prefixes import compact

__all__ = ["cell", "compact", "folding_table", "print_table"]


def cell(term: Any) -> str:
    """A result term as a person reads it: a compact IRI, a literal's text, blank for unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return str(term.value)
    return str(term)


def folding_table(*columns: str, title: str | None = None) -> Table:
    """A table whose columns fold long values onto several lines (no ``…`` hides an IRI)."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def print_table(console: Console, table: Table) -> None:
    """Print ``table``, or "0 rows" when it has none (an empty grid says nothing)."""
    if table.row_count == 0:
        console.print("0 rows", highlight=False)
        return
    table.caption = f"{table.row_count} row{'s' if table.row_count != 1 else ''}"
    console.print(table)
