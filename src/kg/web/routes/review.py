"""``/review``: the site's review of candidate facts, the page beside ``kg review DOCUMENT``.

``GET /review`` lists the documents with a candidate graph and their counts; ``GET /review/<doc>``
lists its candidates (kind, label, passage, confidence, status) with accept / reject / correct
controls; ``POST /review/<doc>`` takes the decisions, as the page's form or as a CSV upload in the
``kg review`` format, and applies them with :func:`kg.extract.review.apply_review`, the code
``kg review`` runs (one reader of decisions, one loader). Who may review is
:mod:`kg.web.review_access`. Browsers get HTML pages, programs JSON; an error is the one error shape
(or, for a browser, a page saying the same sentence with the same status).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from kg.errors import InputError, KGError
from kg.extract.review import (
    Decisions,
    apply_review,
    candidate_documents,
    candidates_csv,
    decisions_from_csv,
    list_candidates,
    parse_decisions,
    require_candidates,
)
from kg.ingest import LoadReport
from kg.settings import Settings
from kg.web import review_access as access
from kg.web.deps import SettingsDep, StoreDep, store_changed
from kg.web.errors import echo
from kg.web.lod.links import local_path
from kg.web.lod.render import render
from kg.web.negotiation import HTML, Format, choose
from kg.web.sparql.update_data import _WRITE_LOCK

router = APIRouter(prefix="/review", include_in_schema=False)

JSON = Format("json", "json", "application/json")
CSV = Format("csv", "csv", "text/csv")
NO_STORE = {"Cache-Control": "no-store"}
#: Form fields of a candidate row: ``<field>-<n>``.
ROW_FIELDS = ("candidate", "decision", "corrected_iri", "indicator")
OTHER_FIELDS = ("token", "key", "reviewer", "csv")
MAX_REVIEWER = 200


def wants_html(request: Request) -> bool:
    """Whether the client prefers a page to JSON (a browser does; ``*/*`` gets JSON)."""
    return choose(request.headers.get("accept"), (JSON, HTML)) is HTML


async def answered(
    request: Request, settings: Settings, make: Callable[[], Awaitable[Response]]
) -> Response:
    """``make()``'s response; a project error becomes, for a browser, a page with its sentence
    (the login form beside a 403 when review is enabled), else the one JSON error shape."""
    try:
        response = await make()
    except KGError as exc:
        if not wants_html(request):
            raise
        response = render(
            request,
            "review_message.html",
            {
                "message": echo(str(exc), 2000),
                "status": exc.status_code,
                "login": exc.status_code == 403 and access.enabled(settings),
                "next": request.url.path,
            },
            exc.status_code,
        )
    response.headers.update(NO_STORE)
    return response


@router.get("")
async def review_index(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    """The documents with candidate facts, with how many are candidate, accepted, rejected."""

    async def make() -> Response:
        access.check_read(request, settings)
        documents = await asyncio.to_thread(candidate_documents, store)
        if not wants_html(request):
            return JSONResponse(
                {
                    "documents": [
                        {"document": d.slug, "graph": d.graph, "title": d.title, **d.counts}
                        for d in documents
                    ]
                }
            )
        return render(request, "review_list.html", {"documents": documents})

    return await answered(request, settings, make)


@router.get("/login")
async def login_page(request: Request, settings: SettingsDep) -> Response:
    """The login form (the token goes in a POST body, never in a URL)."""

    async def make() -> Response:
        if not access.enabled(settings):
            raise access.ReviewForbidden(access.DISABLED)
        return render(
            request,
            "review_message.html",
            {"message": "", "status": 200, "login": True, "next": "/review"},
        )

    return await answered(request, settings, make)


@router.post("/login")
async def login(request: Request, settings: SettingsDep) -> Response:
    """Check the token of the login form; set the HTTP-only cookie and go back to the review."""

    async def make() -> Response:
        form = await request.form()
        target = _field(form, "next") or "/review"
        if not target.startswith("/review") or "//" in target:
            target = "/review"
        response = RedirectResponse(target, status_code=303)
        access.log_in(request, settings, _field(form, "token"), response)
        return response

    return await answered(request, settings, make)


@router.post("/logout")
async def logout(request: Request, settings: SettingsDep) -> Response:
    """Forget the login cookie."""
    response = RedirectResponse("/review/login", status_code=303)
    access.log_out(response)
    response.headers.update(NO_STORE)
    return response


@router.get("/{document}")
async def review_document(
    request: Request, document: str, settings: SettingsDep, store: StoreDep
) -> Response:
    """The candidates of one document, with the decision form; ``?format=csv`` (or ``Accept:
    text/csv``) gives them as the CSV of ``kg review DOCUMENT``, to fill in and upload back."""

    async def make() -> Response:
        access.check_read(request, settings)
        wanted = request.query_params.get("format")
        accept = request.headers.get("accept")
        if wanted == "csv" or (not wanted and choose(accept, (JSON, HTML, CSV)) is CSV):
            text = await asyncio.to_thread(candidates_csv, store, document)
            return Response(
                text,
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{document}.csv"'},
            )
        return await _document_page(request, settings, store, document, None)

    return await answered(request, settings, make)


@router.post("/{document}")
async def decide(
    request: Request, document: str, settings: SettingsDep, store: StoreDep
) -> Response:
    """Apply the decisions of the form (or of an uploaded CSV) through ``apply_review``."""

    async def make() -> Response:
        form = await request.form()
        access.check_write(request, settings, _field(form, "token"), _field(form, "key"))
        await asyncio.to_thread(require_candidates, store, document)
        decisions = await _decisions(form)
        reviewer = (_field(form, "reviewer") or "").strip()[:MAX_REVIEWER] or "anonymous"
        report = await asyncio.to_thread(_apply, store, settings, document, decisions, reviewer)
        store_changed(request)
        summary = {
            "document": document,
            "accepted": len(decisions.accepted),
            "corrected": len(decisions.corrected),
            "rejected": len(decisions.rejected),
            "triples": report.triples if report else 0,
            "reviewer": reviewer,
        }
        if not wants_html(request):
            return JSONResponse(summary)
        return await _document_page(request, settings, store, document, summary)

    return await answered(request, settings, make)


async def _document_page(
    request: Request,
    settings: Settings,
    store: ox.Store,
    document: str,
    summary: dict[str, Any] | None,
) -> Response:
    candidates = await asyncio.to_thread(list_candidates, store, document)
    if not wants_html(request):
        return JSONResponse(
            {
                "document": document,
                "candidates": [
                    {
                        "candidate": c.iri,
                        "kind": c.kind,
                        "label": c.label,
                        "confidence": c.confidence,
                        "passage": {
                            "document": c.document,
                            "start": c.start,
                            "end": c.end,
                            "quote": c.quote,
                        },
                        "rule": c.rule,
                        "status": c.status,
                        "indicator": c.indicator,
                    }
                    for c in candidates
                ],
            }
        )
    return render(
        request,
        "review_document.html",
        {
            "document": document,
            "candidates": candidates,
            "key": access.form_key(settings),
            "href": lambda iri: local_path(iri, settings.base_iri) or iri,
            "summary": summary,
        },
    )


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


async def _decisions(form: FormData) -> Decisions:
    """The decisions of the form's rows (``decision-<n>`` …), or of its uploaded CSV, read by
    :func:`kg.extract.review.parse_decisions`; an unknown field is refused by name."""
    rows: dict[int, dict[str, str]] = {}
    upload: UploadFile | None = None
    for name, value in form.multi_items():
        if name == "csv" and isinstance(value, UploadFile):
            upload = value if value.filename else upload
            continue
        if name in OTHER_FIELDS or name == "next":
            continue
        field, _, number = name.rpartition("-")
        if field not in ROW_FIELDS or not number.isdigit() or not isinstance(value, str):
            raise InputError(
                f"the form field {echo(name, 80)!r} is not one of a review's fields "
                f"({', '.join(f'{f}-<n>' for f in ROW_FIELDS)}, reviewer, token, key, csv)"
            )
        rows.setdefault(int(number), {})[field] = value
    if upload is not None:
        if any(row.get("decision") for row in rows.values()):
            raise InputError(
                "the form has both decisions and an uploaded CSV; send one or the other"
            )
        data = await upload.read()
        where = f"the uploaded file {echo(upload.filename or 'csv', 80)}"
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{where} is not UTF-8 CSV") from None
        return decisions_from_csv(text, where)
    return parse_decisions(
        (f"form row {n}" + (f" ({row['candidate']})" if row.get("candidate") else ""), row)
        for n, row in sorted(rows.items())
    )


def _apply(
    store: ox.Store, settings: Settings, document: str, decisions: Decisions, reviewer: str
) -> LoadReport | None:
    """One write at a time, shared with SPARQL Update and the Graph Store."""
    with _WRITE_LOCK:
        report = apply_review(store, settings, document, decisions, reviewer)
        store.flush()
    return report
