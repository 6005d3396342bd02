"""Named queries as a REST API: ``GET /api/queries`` lists them, ``GET /api/queries/{name}?param=...``
runs one (JSON by default, CSV with ``Accept: text/csv``).

The JSON shape is ``{"query": name, "columns": [...], "rows": [{column: value}], "truncated": bool}``;
values are plain JSON: IRIs and strings as strings, xsd numbers as numbers, xsd:boolean as booleans,
unbound as absent. Parameters are bound as pyoxigraph substitutions (never pasted into the text) and
run in the same time-limited workers as ``/sparql``. Each query gets its own entry in the OpenAPI
document with its typed parameters (:func:`install_openapi`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.openapi.utils import get_openapi

from kg.namespaces import PREFIXES
from kg.queries import NamedQuery, QueryLibrary
from kg.sparql_formats import ROWS
from kg.web.deps import QueriesDep, SettingsDep, get_executor
from kg.web.negotiation import Format, choose
from kg.web.routes.sparql import run_query
from kg.web.sparql.errors import NotAcceptableError
from kg.web.sparql.lexer import analyse
from kg.web.sparql.protocol import ProtocolRequest, prepare_query
from kg.web.worker import QueryRequest

router = APIRouter(prefix="/api", tags=["named queries"])
API_JSON = Format("json", "json", "application/json")
CSV = Format("csv", "csv", "text/csv")
_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string"},
    "langString": {"type": "string", "pattern": "^.+@[A-Za-z]+(-[A-Za-z0-9]+)*$"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "gYear": {"type": "string", "pattern": "^-?[0-9]{4}$"},
}


def describe(query: NamedQuery) -> dict[str, Any]:
    """A named query's public description: title, description, typed parameters, URL."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "url": f"/api/queries/{query.name}",
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "default": p.default,
                "description": p.description,
            }
            for p in query.parameters
        ],
    }


@router.get("/queries")
async def list_queries(queries: QueriesDep) -> list[dict[str, Any]]:
    """Every named query of ``queries/`` with its parameters."""
    return [describe(q) for q in queries]


@router.get("/queries/{name}", include_in_schema=False)
async def run_named_query(
    name: str, request: Request, settings: SettingsDep, queries: QueriesDep
) -> Response:
    """Run one named query with the request's query-string values as its parameters."""
    query = queries.get(name)
    bindings = query.bind(dict(request.query_params))
    substitutions = {var.value: term for var, term in bindings.items()}
    form = analyse(query.text).form
    accept = request.headers.get("accept")
    if form in ("construct", "describe"):
        prepared = prepare_query(ProtocolRequest(query=query.text), settings, accept)
        return await run_query(request, settings, prepared, substitutions=substitutions)
    fmt = choose(accept, (API_JSON, CSV))
    if fmt is None:
        raise NotAcceptableError(accept or "", [API_JSON.media_type, CSV.media_type])
    if fmt is CSV:
        prepared = prepare_query(ProtocolRequest(query=query.text, format="csv"), settings, accept)
        return await run_query(
            request, settings, prepared, substitutions=substitutions, spreadsheet_safe=True
        )
    job = QueryRequest(
        text=query.text,
        format=ROWS.name,  # the worker writes the API's rows itself: no SPARQL JSON round trip
        max_rows=settings.max_rows,
        substitutions=substitutions,
        prefixes=PREFIXES,
    )
    result = await get_executor(request).run(job, settings.query_timeout)
    rows = b"".join([chunk async for chunk in result.body])  # {"columns": ..., "rows": ...}
    body = b'{"query":' + json.dumps(name, ensure_ascii=False).encode() + b"," + rows[1:]
    return Response(
        body,
        media_type="application/json",
        headers={
            "X-KG-Rows": str(result.header["rows"]),
            "X-KG-Truncated": str(bool(result.header["truncated"])).lower(),
        },
    )


def _operation(query: NamedQuery) -> dict[str, Any]:
    row_schema = {"type": "object", "additionalProperties": True}
    return {
        "get": {
            "tags": ["named queries"],
            "summary": query.title,
            "description": query.description + f"\n\nSource: `queries/{query.name}.rq`.",
            "operationId": f"query_{query.name.replace('-', '_')}",
            "parameters": [
                {
                    "name": p.name,
                    "in": "query",
                    "required": p.required,
                    "description": p.description,
                    "schema": {**_SCHEMAS[p.type], **({"default": p.default} if p.default else {})},
                }
                for p in query.parameters
            ],
            "responses": {
                "200": {
                    "description": "The rows (JSON), or SPARQL CSV with `Accept: text/csv`.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "query": {"type": "string"},
                                    "columns": {"type": "array", "items": {"type": "string"}},
                                    "rows": {"type": "array", "items": row_schema},
                                    "truncated": {"type": "boolean"},
                                },
                            }
                        },
                        "text/csv": {"schema": {"type": "string"}},
                    },
                },
                "400": {"description": "A parameter is missing, unknown or of the wrong type."},
                "504": {"description": "The query ran past the time limit and was stopped."},
            },
        }
    }


def install_openapi(app: FastAPI, queries: QueryLibrary) -> None:
    """Make the app's OpenAPI document list one operation per named query, with typed parameters."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            for query in queries:
                schema["paths"][f"/api/queries/{query.name}"] = _operation(query)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
