"""Application-wide ASGI middleware: request-body limit and one log line per query request."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from kg.web.errors import error_bytes
from kg.web.sparql.errors import PayloadTooLargeError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("kg.web.requests")
LOGGED_PREFIXES = ("/sparql", "/api/")


class HTTPMiddleware:
    """Base of the middleware here: lifespan and websocket messages pass straight through to the
    application; an HTTP request goes to :meth:`handle`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one HTTP request (the default passes it on unchanged)."""
        await self.app(scope, receive, send)


async def send_error(send: Send, status: int, message: str, *headers: tuple[bytes, bytes]) -> None:
    """Answer ``status`` with ``message`` in the project's one error shape, then end the response."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": error_bytes(status, message)})


class BodyLimitMiddleware(HTTPMiddleware):
    """Answer 413 as soon as a request body is known to exceed ``max_body`` bytes."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        super().__init__(app)
        self.max_body = max_body

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _too_large(send, int(length), self.max_body)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:  # a chunked upload without Content-Length
                raise PayloadTooLargeError(
                    f"the request body is over {self.max_body} bytes (KG_MAX_BODY)"
                )
            return message

        await self.app(scope, counting_receive, send)


async def _too_large(send: Send, size: int, limit: int) -> None:
    message = f"the request body is {size} bytes; the limit is {limit} (KG_MAX_BODY)"
    await send_error(send, 413, message, (b"connection", b"close"))


class UnexpectedErrorMiddleware(HTTPMiddleware):
    """Answer an exception no handler knows with a 500 in the error shape, logged in one line.

    Starlette's own last-resort handler re-raises (uvicorn then logs a traceback and drops the
    connection); this one ends the request cleanly unless the response had already started.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log.error("unexpected %s on %s: %s", type(exc).__name__, scope.get("path"), exc)
            if started:
                raise
            await send_error(send, 500, "the server failed to answer this request; it was logged")


class RelativeRedirectMiddleware(HTTPMiddleware):
    """Make redirects to this server relative (``Location: /sparql``), so that a forged ``Host``
    header is never echoed into a redirect (Starlette's trailing-slash redirect builds an absolute
    URL from it)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")

        async def relative_send(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                message["headers"] = [
                    (key, _relative(value, host) if key.lower() == b"location" else value)
                    for key, value in message.get("headers", [])
                ]
            await send(message)

        await self.app(scope, receive, relative_send)


def _relative(location: bytes, host: str) -> bytes:
    """``location`` without scheme and host when it names the requested ``host``.

    >>> _relative(b"http://evil.example/sparql?x=1", "evil.example")
    b'/sparql?x=1'
    """
    parts = urlsplit(location.decode("latin-1"))
    if not parts.netloc or parts.netloc.lower() != host.lower():
        return location
    path = "/" + parts.path.lstrip("/")
    return urlunsplit(("", "", path, parts.query, parts.fragment)).encode("latin-1")


class RequestLogMiddleware(HTTPMiddleware):
    """Log ``METHOD path status rows duration`` once the response of a query request is sent."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if not path.startswith(LOGGED_PREFIXES):
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 0
        rows = "-"

        async def logging_send(message: Message) -> None:
            nonlocal status, rows
            if message["type"] == "http.response.start":
                status = message["status"]
                for key, value in message.get("headers", []):
                    if key.lower() == b"x-kg-rows":
                        rows = value.decode()
            if message["type"] == "http.response.body" and not message.get("more_body"):
                log.info(
                    "%s %s status=%s rows=%s duration=%.1fms",
                    scope["method"],
                    path,
                    status,
                    rows,
                    (time.perf_counter() - start) * 1000,
                )
            await send(message)

        await self.app(scope, receive, logging_send)
