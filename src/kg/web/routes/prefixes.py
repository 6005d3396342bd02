"""``/prefixes``: the prefixes the endpoint pre-declares, as Turtle or as a flat JSON object."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from kg import prefixes
from kg.web.negotiation import Format, choose
from kg.web.sparql.errors import NotAcceptableError

router = APIRouter()

TURTLE = Format("turtle", "ttl", "text/turtle", ("application/x-turtle",))
JSON = Format("json", "json", "application/json")


@router.get("/prefixes", tags=["SPARQL"])
async def prefix_list(request: Request) -> Response:
    """Every prefix a query may use without declaring it: ``{"kgc": "https://...", ...}`` for
    application/json, ``@prefix`` lines for text/turtle (the default)."""
    accept = request.headers.get("accept")
    fmt = choose(accept, (TURTLE, JSON))
    if fmt is None:
        raise NotAcceptableError(accept or "", [TURTLE.media_type, JSON.media_type])
    headers = {"Vary": "Accept"}
    if fmt is JSON:
        return JSONResponse(prefixes.ALL, headers=headers)
    return Response(prefixes.turtle(), media_type="text/turtle; charset=utf-8", headers=headers)
