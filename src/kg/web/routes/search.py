"""Routes: ``/search?q=`` finds resources by label in French or English, ignoring case and accents,
ranked exact > prefix > word > substring, shorter labels first; HTML for people, JSON for programs."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from kg.web.deps import SettingsDep, StoreDep
from kg.web.lod import facets
from kg.web.lod.catalogue import types_of
from kg.web.lod.disambiguation import context_of
from kg.web.lod.links import local_path, with_lang
from kg.web.lod.listing import export_response, export_rows, facet_views, href_with, multi_params
from kg.web.lod.pages import capfirst
from kg.web.lod.render import languages, render
from kg.web.lod.state import CatalogueDep
from kg.web.negotiation import HTML, Format, by_name, choose

router = APIRouter()

JSON = Format("json", "json", "application/json")
PAGE_SIZE = 20
#: Facets are counted over the best matches only, so a one-letter query stays fast.
FACET_LIMIT = 5000


@router.api_route("/search", methods=["GET", "HEAD"], include_in_schema=False)
def search(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    catalogue: CatalogueDep,
    q: str = Query("", max_length=200, description="Words of a label, any case or accents"),
    page: int = Query(1, ge=1, le=10_000),
    format: str | None = Query(
        None, description="html, json (a page), csv, or json with download=1 (the whole list)"
    ),
) -> Response:
    """Search labels; ``format=json`` or ``Accept: application/json`` answer in JSON."""
    fmt = (by_name(format, (HTML, JSON)) if format else None) or choose(
        request.headers.get("accept"), (HTML, JSON)
    )
    lang, lang_param = languages(request)
    snapshot = catalogue.snapshot(store)
    base = settings.base_iri
    matches = snapshot.matching(q)
    considered = matches[:FACET_LIMIT]
    found = {iri: (matched, rank) for iri, matched, rank in considered}
    rows_of = facets.read_values(store, found)
    params = multi_params(request)
    filters = facets.chosen(params)
    selected = facets.apply(rows_of, filters) if filters else [iri for iri, _, _ in matches]
    total = len(selected)
    offset = (page - 1) * PAGE_SIZE

    def href(iri: str) -> str:
        path = local_path(iri, base)
        return with_lang(path, lang_param) if path else iri

    def name(iri: str) -> str:
        return snapshot.label(iri, lang)

    if format in ("csv", "tsv") or (format == "json" and "download" in params):
        rows = export_rows(store, selected, snapshot, lang, base)
        return export_response(rows, "csv" if format != "json" else "json", "search", {"query": q})
    shown = selected[offset : offset + PAGE_SIZE]
    contexts = {iri: context_of(store, iri, name, lambda c: name(c).lower()) for iri in shown}
    kinds = {iri: types_of(store, iri) for iri in shown}

    def matched_of(iri: str) -> tuple[str, int]:
        return found.get(iri) or next((m, r) for i, m, r in matches if i == iri)

    if fmt is JSON:
        return JSONResponse(
            {
                "query": q,
                "total": total,
                "page": page,
                "filters": {k: sorted(v) for k, v in filters.items()},
                "results": [
                    {
                        "iri": iri,
                        "label": name(iri),
                        "matched": matched_of(iri)[0],
                        "rank": matched_of(iri)[1],
                        "types": list(kinds[iri]),
                        "kind": contexts[iri].kind,
                        "where": contexts[iri].where,
                        "context": contexts[iri].text,
                        "href": href(iri),
                    }
                    for iri in shown
                ],
            }
        )
    views = [
        {
            "href": href(iri),
            "label": name(iri),
            "matched": matched_of(iri)[0],
            "context": contexts[iri].text,
            "types": list(dict.fromkeys(capfirst(name(ty)) for ty in kinds[iri])),
        }
        for iri in shown
    ]
    return render(
        request,
        "search.html",
        {
            "query": q,
            "hits": views,
            "total": total,
            "offset": offset,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "page_href": lambda n: href_with(params, "/search", page=[str(n)]),
            "facets": facet_views(rows_of, filters, params, "/search", name, lang) if q else [],
            "facet_limit": FACET_LIMIT if len(matches) > FACET_LIMIT else None,
            "downloads": {
                "csv": href_with(params, "/search", format=["csv"]),
                "json": href_with(params, "/search", format=["json"], download=["1"]),
            }
            if q
            else None,
        },
    )
