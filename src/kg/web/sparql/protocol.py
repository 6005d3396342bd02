"""The SPARQL 1.1 Protocol's request side: where the query or update is, which dataset, which format,
and the safety checks (length, SERVICE allow-list, LOAD) made before anything is evaluated."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from fastapi import Request

from kg.errors import InputError
from kg.settings import Settings
from kg.web.negotiation import QUAD_FORMATS, RDF_FORMATS, RESULT_FORMATS, Format, by_name, choose
from kg.web.sparql.errors import (
    NotAcceptableError,
    PayloadTooLargeError,
    RefusedQueryError,
    RequestTimeoutError,
    UnsupportedMediaTypeError,
)
from kg.web.sparql.lexer import Analysis, analyse
from kg.web.sparql.messages import missing_form

FORM_CONTENT = "application/x-www-form-urlencoded"
QUERY_CONTENT = "application/sparql-query"
UPDATE_CONTENT = "application/sparql-update"
GRAPH_FORMATS = RDF_FORMATS + QUAD_FORMATS


@dataclass
class ProtocolRequest:
    """A parsed protocol request: exactly one of ``query``/``update`` (or neither: describe me)."""

    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None


def _single(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise InputError(f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def _from_pairs(pairs: list[tuple[str, str]], request: ProtocolRequest) -> ProtocolRequest:
    request.default_graphs += [v for k, v in pairs if k in ("default-graph-uri", "using-graph-uri")]
    request.named_graphs += [
        v for k, v in pairs if k in ("named-graph-uri", "using-named-graph-uri")
    ]
    request.format = request.format or _single(pairs, "format")
    return request


async def parse_request(request: Request, settings: Settings) -> ProtocolRequest:
    """Read a GET or POST protocol request; 415 for a body type the protocol does not define."""
    url_pairs = parse_qsl(request.url.query, keep_blank_values=True)
    parsed = _from_pairs(url_pairs, ProtocolRequest())
    if request.method == "GET":
        parsed.query = _single(url_pairs, "query")
        if _single(url_pairs, "update") is not None:
            raise InputError("SPARQL Update must be sent with POST, not GET")
        return parsed
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await read_body(request, settings)
    if content_type == FORM_CONTENT:
        pairs = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        parsed = _from_pairs(pairs, parsed)
        parsed.query = _single(pairs, "query")
        parsed.update = _single(pairs, "update")
        if parsed.query is not None and parsed.update is not None:
            raise InputError("the request has both 'query' and 'update'; send one of them")
    elif content_type == QUERY_CONTENT:
        parsed.query = body.decode("utf-8", errors="replace")
    elif content_type == UPDATE_CONTENT:
        parsed.update = body.decode("utf-8", errors="replace")
    else:
        raise UnsupportedMediaTypeError(
            f"cannot read a POST body of type {content_type or 'none'!r}; send "
            f"{FORM_CONTENT}, {QUERY_CONTENT} or {UPDATE_CONTENT}"
        )
    return parsed


async def read_body(request: Request, settings: Settings) -> bytes:
    """The request body, read within ``KG_BODY_TIMEOUT`` seconds and at most ``KG_MAX_BODY`` bytes:
    a slow or oversized sender is answered 408 or 413 without being read to its end."""
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(settings.body_timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > settings.max_body:
                    raise PayloadTooLargeError(
                        f"the request body is over {settings.max_body} bytes, the limit "
                        "(KG_MAX_BODY)"
                    )
                chunks.append(chunk)
    except TimeoutError:
        raise RequestTimeoutError(
            f"the request body took more than {settings.body_timeout:g} s to arrive "
            "(KG_BODY_TIMEOUT)"
        ) from None
    return b"".join(chunks)


def check_text(text: str, settings: Settings, *, kind: str = "query") -> Analysis:
    """Check the length, the tokens and the SERVICE endpoints of a query, and return its analysis.

    The analysis carries the text to evaluate (the checked tokens re-emitted): callers run that,
    never ``text`` itself.
    """
    if len(text) > settings.max_query_length:
        raise PayloadTooLargeError(
            f"the {kind} is {len(text)} characters long; the limit is "
            f"{settings.max_query_length} (KG_MAX_QUERY_LENGTH)"
        )
    analysis = analyse(text)
    for endpoint in analysis.services:
        if endpoint is None:
            raise RefusedQueryError(
                "SERVICE with a variable or prefixed-name endpoint is not allowed here; "
                "federated queries may only call the endpoints of KG_SERVICE_ALLOWLIST, by full IRI"
            )
        if endpoint not in settings.service_allowlist:
            allowed = ", ".join(settings.service_allowlist) or "none"
            raise RefusedQueryError(
                f"SERVICE <{endpoint}> is not allowed: this endpoint does not call other "
                f"endpoints unless they are in KG_SERVICE_ALLOWLIST (allowed: {allowed})"
            )
    if "load" in analysis.operations:
        raise RefusedQueryError("LOAD is not allowed: this endpoint never fetches remote data")
    wrong_start = missing_form(text, kind=kind) if analysis.form is None else None
    if wrong_start:  # SELEC, or no query form at all: say so rather than "this is an update"
        raise InputError(wrong_start)
    if kind == "query" and (analysis.operations or analysis.form is None):
        raise InputError(
            "this is a SPARQL Update, not a query; send it with POST as 'update' "
            f"or with content type {UPDATE_CONTENT}"
        )
    return analysis


def result_format(parsed: ProtocolRequest, form: str | None, accept: str | None) -> Format:
    """The format of the answer: the ``format`` parameter if given, else the Accept header."""
    offered = GRAPH_FORMATS if form in ("construct", "describe") else RESULT_FORMATS
    if parsed.format:
        fmt = by_name(parsed.format, offered)
        if fmt is None:
            names = ", ".join(f.name for f in offered)
            raise InputError(
                f"unknown format {parsed.format!r} for a {form or 'query'} result; use one of {names}"
            )
        return fmt
    fmt = choose(accept, offered)
    if fmt is None:
        raise NotAcceptableError(accept or "", [f.media_type for f in offered])
    return fmt


@dataclass(frozen=True)
class PreparedQuery:
    """A query request ready to run: the parsed protocol request, the checked query (its analysis
    carries the text to evaluate), the result format and the limits it runs under."""

    protocol: ProtocolRequest
    analysis: Analysis
    format: Format
    max_rows: int
    timeout: float


def prepare_query(parsed: ProtocolRequest, settings: Settings, accept: str | None) -> PreparedQuery:
    """Check ``parsed.query`` (length, tokens, SERVICE, one default graph) and pick its format."""
    assert parsed.query is not None
    analysis = check_text(parsed.query, settings)
    several = parsed.default_graphs if len(parsed.default_graphs) > 1 else analysis.from_graphs
    if len(several) > 1 and (len(parsed.default_graphs) > 1 or not parsed.default_graphs):
        # pyoxigraph would merge them as a bag, counting a triple of two graphs twice
        raise InputError(
            f"the request names {len(several)} default graphs ({', '.join(several[:5])}); "
            "name one (default-graph-uri or FROM), or query them with GRAPH ?g and FROM NAMED"
        )
    fmt = result_format(parsed, analysis.form, accept)
    return PreparedQuery(parsed, analysis, fmt, settings.max_rows, settings.query_timeout)


async def prepare(request: Request, settings: Settings) -> ProtocolRequest | PreparedQuery:
    """The one step from an HTTP request to what the route runs: a :class:`PreparedQuery` for a
    query, else the parsed request (an update, or no query: the service description)."""
    parsed = await parse_request(request, settings)
    if parsed.query is None:
        return parsed
    return prepare_query(parsed, settings, request.headers.get("accept"))
