"""Routes: ``/search?q=`` finds resources by label in French or English, ignoring case and accents,
ranked exact > prefix > word > substring, shorter labels first; HTML for people, JSON for programs."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from kg.web.deps import SettingsDep, StoreDep
from kg.web.lod.links import local_path, with_lang
from kg.web.lod.pages import capfirst
from kg.web.lod.render import languages, render
from kg.web.lod.state import CatalogueDep
from kg.web.negotiation import HTML, Format, by_name, choose

router = APIRouter()

JSON = Format("json", "json", "application/json")
PAGE_SIZE = 20


@router.api_route("/search", methods=["GET", "HEAD"], include_in_schema=False)
def search(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    catalogue: CatalogueDep,
    q: str = Query("", max_length=200, description="Words of a label, any case or accents"),
    page: int = Query(1, ge=1, le=10_000),
    format: str | None = Query(None, description="html or json"),
) -> Response:
    """Search labels; ``format=json`` or ``Accept: application/json`` answer in JSON."""
    fmt = (by_name(format, (HTML, JSON)) if format else None) or choose(
        request.headers.get("accept"), (HTML, JSON)
    )
    lang, lang_param = languages(request)
    snapshot = catalogue.snapshot(store)
    offset = (page - 1) * PAGE_SIZE
    total, hits = snapshot.search(store, q, lang, PAGE_SIZE, offset)
    base = settings.base_iri

    def href(iri: str) -> str:
        path = local_path(iri, base)
        return with_lang(path, lang_param) if path else iri

    if fmt is JSON:
        return JSONResponse(
            {
                "query": q,
                "total": total,
                "page": page,
                "results": [
                    {
                        "iri": h.iri,
                        "label": h.label,
                        "matched": h.matched,
                        "rank": h.rank,
                        "types": list(h.types),
                        "href": href(h.iri),
                    }
                    for h in hits
                ],
            }
        )
    views = [
        {
            "href": href(h.iri),
            "label": h.label,
            "matched": h.matched,
            "types": [capfirst(snapshot.label(ty, lang)) for ty in h.types],
        }
        for h in hits
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
            "page_href": lambda n: with_lang("/search", lang_param, q=q, page=n),
        },
    )
