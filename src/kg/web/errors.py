"""The application's one JSON error shape, ``{"error": {"status", "message"}}``, and the handlers
that give it to every failure: project errors, FastAPI's request validation, HTTP exceptions
(FastAPI's own ``{"detail": ...}`` never reaches a client); anything unexpected is answered by
:class:`kg.web.middleware.UnexpectedErrorMiddleware` in the same shape."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import KGError

#: Longest piece of client input an error message repeats (an Accept header, a parameter).
ECHO_LIMIT = 200


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` as an error message may repeat it: at most ``limit`` characters.

    >>> echo("x" * 500)[-30:]
    'xxx... (500 characters in all)'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters in all)"


def error_body(status: int, message: str) -> dict[str, Any]:
    """The error shape as a JSON-ready value."""
    return {"error": {"status": status, "message": message}}


def error_bytes(status: int, message: str) -> bytes:
    """The error shape as a response body (for ASGI middleware that sends raw messages)."""
    return json.dumps(error_body(status, message)).encode()


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A response carrying the error shape."""
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for problem in exc.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()) if p not in ("query", "path"))
        parts.append(f"{where or 'request'}: {problem.get('msg', 'invalid')}")
    return echo("the request's parameters are wrong: " + "; ".join(parts), 400)


def install_handlers(app: FastAPI) -> None:
    """Register the handlers that answer every error of ``app`` in the one shape."""

    @app.exception_handler(KGError)
    async def project_error(request: Request, exc: KGError) -> JSONResponse:
        return error_response(exc.status_code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(400, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "the request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is nothing at {echo(request.url.path)}"
        return error_response(exc.status_code, echo(message), dict(exc.headers or {}) or None)
