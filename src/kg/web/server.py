"""Running the application under uvicorn with bounds on slow clients.

uvicorn bounds idle keep-alive connections and (``limit_concurrency``) concurrent connections, but
not the time a client takes to send its request headers: a "slowloris" client holds a connection
open forever by sending one header byte at a time. :class:`HeaderTimeoutProtocol` closes a
connection whose first request's headers are not complete within ``KG_HEADER_TIMEOUT`` seconds.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.settings import Settings


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose request headers arrive too slowly."""

    header_timeout: float = 10.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_overdue)

    def _headers_overdue(self) -> None:
        if self.cycle is None and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._header_timer.cancel()
        super().connection_lost(exc)


def server_config(app: Any, settings: Settings) -> uvicorn.Config:
    """The uvicorn configuration of ``kg serve``: host, port and the slow-client bounds."""
    protocol = type(
        "ConfiguredHeaderTimeoutProtocol",
        (HeaderTimeoutProtocol,),
        {"header_timeout": settings.header_timeout},
    )
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=protocol,
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=int(settings.keep_alive_timeout),
    )
