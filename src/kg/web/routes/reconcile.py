"""``/reconcile``: the W3C Entity Reconciliation Service API 0.2 (manifest, query batches, data
extension, suggest, preview), for OpenRefine. Queries and ``extend`` come as form fields of a POST or
as parameters of a GET; a GET with ``callback`` is answered as JSONP. CORS comes from the app's
middleware; errors have the project's one shape."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kg.errors import InputError, NotFoundError
from kg.reconciliation.entities import EntityReader, to_iri
from kg.reconciliation.manifest import manifest, proposed_properties
from kg.reconciliation.preview import card
from kg.reconciliation.service import (
    ReconciliationService,
    build_resolver,
    parse_batch,
    suggest_properties,
    suggest_types,
)
from kg.web.deps import get_queries, get_settings, get_store

router = APIRouter(prefix="/reconcile", tags=["reconciliation"])

_CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$")
_BUILD = threading.Lock()
COG_FOLDER = "cog-etalab-decoupage-2026"


def service_of(request: Request) -> ReconciliationService:
    """The app's service, built on first use (the resolver's commune index takes a moment)."""
    app = request.app
    with _BUILD:
        service: ReconciliationService | None = getattr(app.state, "reconciliation", None)
        if service is None or service.reader.store is not get_store(request):
            settings = get_settings(request)
            reader = EntityReader(get_store(request), get_queries(request))
            resolver = build_resolver(
                reader, settings.reference_dir / COG_FOLDER, settings.data_dir / "curation.csv"
            )
            service = app.state.reconciliation = ReconciliationService(reader, resolver)
        return service


def _answer(body: Any, callback: str | None) -> Response:
    if callback is None:
        return JSONResponse(body)
    if not _CALLBACK.match(callback):
        raise InputError("the callback parameter must be a JavaScript identifier")
    text = f"/**/{callback}({json.dumps(body)});"
    return Response(text, media_type="application/javascript")


async def _dispatch(request: Request, fields: dict[str, str], callback: str | None) -> Response:
    service = await run_in_threadpool(service_of, request)
    if "queries" in fields:
        batch = parse_batch(fields["queries"])
        return _answer(await run_in_threadpool(service.reconcile, batch), callback)
    if "extend" in fields:
        return _answer(await run_in_threadpool(service.extend, fields["extend"]), callback)
    return _answer(manifest(str(request.url_for("reconcile_get")).rstrip("/")), callback)


@router.get("", name="reconcile_get")
async def reconcile_get(
    request: Request,
    queries: str | None = Query(None, max_length=200_000),
    extend: str | None = Query(None, max_length=200_000),
    callback: str | None = Query(None, max_length=64),
) -> Response:
    """The manifest; with ``queries`` a reconciliation batch, with ``extend`` a data extension."""
    fields = {k: v for k, v in (("queries", queries), ("extend", extend)) if v is not None}
    return await _dispatch(request, fields, callback)


@router.post("")
async def reconcile_post(request: Request) -> Response:
    """Reconciliation batch (form field ``queries``) or data extension (form field ``extend``)."""
    form = await request.form()
    fields = {k: v for k in ("queries", "extend") if isinstance(v := form.get(k), str)}
    return await _dispatch(request, fields, None)


@router.get("/suggest/entity")
def suggest_entity(
    request: Request,
    prefix: str = Query(..., min_length=1, max_length=200),
    type: str | None = Query(None, max_length=300),
    cursor: int = Query(0, ge=0, le=1000),
    callback: str | None = Query(None, max_length=64),
) -> Response:
    """Entities whose label starts with ``prefix``."""
    found = service_of(request).suggest_entities(prefix, type, cursor + 10)
    return _answer({"result": found[cursor:]}, callback)


@router.get("/suggest/type")
def suggest_type(
    prefix: str = Query(..., max_length=200), callback: str | None = Query(None, max_length=64)
) -> Response:
    """Types whose name contains ``prefix``."""
    return _answer({"result": suggest_types(prefix)}, callback)


@router.get("/suggest/property")
def suggest_property(
    prefix: str = Query(..., max_length=200), callback: str | None = Query(None, max_length=64)
) -> Response:
    """Properties whose name contains ``prefix``."""
    return _answer({"result": suggest_properties(prefix)}, callback)


@router.get("/propose_properties")
def propose_properties(
    type: str | None = Query(None, max_length=300),
    limit: int = Query(10, ge=1, le=100),
    callback: str | None = Query(None, max_length=64),
) -> Response:
    """The properties a data extension can fetch."""
    return _answer(proposed_properties(type, limit), callback)


@router.get("/preview", response_class=HTMLResponse)
def preview(request: Request, id: str = Query(..., min_length=1, max_length=300)) -> HTMLResponse:
    """A small HTML card of one entity."""
    service = service_of(request)
    entity = service.reader.describe(to_iri(id))
    if entity is None:
        raise NotFoundError(f"the store describes no entity {id!r}")
    return HTMLResponse(card(entity, service.description(entity)))
