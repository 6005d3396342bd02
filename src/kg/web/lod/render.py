"""Rendering linked-data pages: the reader's language (``?lang=`` first, then Accept-Language, French
by default), the template environment, and helpers every page template uses."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from kg.web.lod.links import with_lang
from kg.web.lod.pages import t
from kg.web.negotiation import parse_accept
from kg.web.templating import TEMPLATES


def parse_accept_language(header: str | None) -> str | None:
    """The first of fr/en the Accept-Language header prefers, by q-value (read by the same parser as
    Accept, :func:`kg.web.negotiation.parse_accept`).

    >>> parse_accept_language("en-GB,en;q=0.9,fr;q=0.8"), parse_accept_language("de, fr;q=0.5")
    ('en', 'fr')
    >>> parse_accept_language("de") is None
    True
    """
    for tag, q in parse_accept(header):  # the one q-value parser, best first
        primary = tag.split("-")[0]
        if q > 0 and primary in ("fr", "en"):
            return primary
    return None


def languages(request: Request) -> tuple[str, str | None]:
    """The page language and the explicit ``?lang=`` choice (kept in links), if any."""
    chosen = request.query_params.get("lang", "").lower()
    if chosen in ("fr", "en"):
        return chosen, chosen
    return parse_accept_language(request.headers.get("accept-language")) or "fr", None


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render ``template`` with the language helpers every page uses."""
    lang, lang_param = languages(request)
    other = "en" if lang == "fr" else "fr"
    params = {k: val for k, val in request.query_params.items() if k != "lang"}
    values: dict[str, Any] = {
        "lang": lang,
        "lang_param": lang_param,
        "switch_href": with_lang(request.url.path, other, **params),
        "switch_lang": other,
        "t": lambda fr, en: t(lang, fr, en),
        "link": lambda path, **kw: with_lang(path, lang_param, **kw),
        **context,
    }
    response: HTMLResponse = TEMPLATES.TemplateResponse(
        request, template, values, status_code=status_code, headers=headers
    )
    response.headers.setdefault("Content-Language", lang)
    return response
