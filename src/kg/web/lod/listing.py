"""A faceted list of resources as pages and downloads: the facet side panel (values, counts, links
that add or remove a filter), each row's disambiguated name, and the whole filtered list as CSV or
JSON (the same URL with ``format=csv`` or ``format=json``), shared by ``/browse`` and ``/search``."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import JSONResponse, Response

from kg.web.lod.catalogue import Snapshot
from kg.web.lod.disambiguation import context_of
from kg.web.lod.facets import FACETS, Values, counts
from kg.web.lod.links import local_path

#: Values shown per facet (the most frequent first); the rest are reachable by narrowing the list.
FACET_VALUES = 12
EXPORT_COLUMNS = ("iri", "label", "kind", "where", "href")


def multi_params(request: Request) -> dict[str, list[str]]:
    """Every query parameter with all its values (``?country=a&country=b``)."""
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    return out


def href_with(params: Mapping[str, Sequence[str]], path: str, **change: list[str]) -> str:
    """``path`` with ``params`` where each key of ``change`` is replaced (an empty list removes
    it); the page number is dropped, since a new filter starts at the first page."""
    merged = {k: list(v) for k, v in params.items() if k != "page"}
    merged.update(change)
    pairs = [(k, v) for k, vs in merged.items() for v in vs if v != ""]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def facet_views(
    rows: Sequence[tuple[str, Values]],
    filters: Mapping[str, frozenset[str]],
    params: Mapping[str, Sequence[str]],
    path: str,
    label: Callable[[str], str],
    lang: str,
    hidden: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """The side panel: per facet with at least one value, its most frequent values with their
    counts and a link toggling each (chosen values first, marked)."""
    views = []
    counted = counts(rows, filters)
    for facet in FACETS:
        if facet.param in hidden:
            continue
        counter = counted[facet.param]
        wanted = filters.get(facet.param, frozenset())
        if not counter and not wanted:
            continue
        current = list(params.get(facet.param, []))
        top = [v for v, _ in counter.most_common() if v not in wanted][:FACET_VALUES]
        values = []
        for value in [*sorted(wanted), *top]:
            selected = value in wanted
            toggled = [v for v in current if v != value] if selected else [*current, value]
            values.append(
                {
                    "value": value,
                    "text": label(value) if facet.iris else value,
                    "count": counter.get(value, 0),
                    "selected": selected,
                    "href": href_with(params, path, **{facet.param: toggled}),
                }
            )
        views.append(
            {
                "param": facet.param,
                "title": facet.fr if lang == "fr" else facet.en,
                "choices": values,
                "more": max(0, len(counter) - len(wanted) - len(top)),
            }
        )
    return views


def export_rows(
    store: ox.Store, iris: Sequence[str], snapshot: Snapshot, lang: str, base: str
) -> list[dict[str, str]]:
    """One dict per resource: IRI, label, kind, where and local link (what CSV and JSON carry)."""
    rows = []

    def name(iri: str) -> str:
        return snapshot.label(iri, lang)

    for iri in iris:
        ctx = context_of(store, iri, name, lambda c: name(c).lower())
        rows.append(
            {
                "iri": iri,
                "label": name(iri),
                "kind": ctx.kind or "",
                "where": ctx.where or "",
                "href": local_path(iri, base) or iri,
            }
        )
    return rows


def download_links(params: Mapping[str, Sequence[str]], path: str) -> dict[str, str]:
    """The CSV and JSON downloads of the list as filtered now."""
    return {fmt: href_with(params, path, format=[fmt]) for fmt in ("csv", "json")}


def export_response(
    rows: list[dict[str, str]], fmt: str, name: str, extra: dict[str, Any]
) -> Response:
    """The rows as a CSV file (header line, one line each) or a JSON document with ``extra``."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return JSONResponse({**extra, "total": len(rows), "results": rows})
