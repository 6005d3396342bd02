"""A resource page (or its RDF) built in a query worker: the request travels as the picklable part
of its ASGI scope, the worker answers with the frames of a query (``H`` status and headers, ``D``
body pieces, ``E``; ``X`` an error), and the server turns them back into the same response.

Pages are built where the queries run (one worker process per CPU) instead of in the server's one
Python process, and :func:`answer` is the very code the server ran before (:func:`resolve`), so a
page from a worker is the page the server would have built, byte for byte.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from kg.errors import KGError
from kg.queries import QueryLibrary, get_library
from kg.web.lod.resolve import resolve

Send = Callable[[bytes, bytes], None]
#: The parts of an ASGI scope a page depends on (all picklable: no app, no state).
SCOPE_KEYS = (
    "type", "http_version", "method", "scheme", "path", "raw_path", "query_string",
    "root_path", "headers", "server",
)  # fmt: skip
#: Body bytes per ``D`` frame.
CHUNK = 64 * 1024


@dataclass(frozen=True)
class PageRequest:
    """Everything a worker needs to answer one dereferenced IRI."""

    scope: dict[str, Any]
    base_iri: str
    queries_dir: str
    generation: int = 0


def page_request(request: Request, base_iri: str, queries_dir: Path) -> PageRequest:
    """The job of answering ``request`` (an IRI under the base) elsewhere."""
    scope = {key: request.scope[key] for key in SCOPE_KEYS if key in request.scope}
    scope["headers"] = list(scope.get("headers", []))
    return PageRequest(scope, base_iri, str(queries_dir))


@functools.cache
def _library(directory: str) -> QueryLibrary:
    """The named queries of ``directory``, read once per process, as the server's application
    reads them once at start-up (re-checking every file per page cost a fifth of a page)."""
    return get_library(Path(directory))


def answer(store: ox.Store, job: PageRequest) -> Response:
    """The response the route gives for ``job`` (KG errors propagate, as in the route)."""
    return resolve(Request(job.scope), store, job.base_iri, _library(job.queries_dir))


def execute_page(
    store: ox.Store,
    job: PageRequest,
    send: Send,
    reopen: Callable[[], ox.Store] | None = None,
) -> ox.Store:
    """Answer ``job`` with frames; a KG error becomes an ``X`` frame with its status, and a storage
    error of a stale read-only handle reopens it and tries again (the handle in use is returned)."""
    attempts = 3 if reopen is not None else 1
    for attempt in range(attempts):
        try:
            response = answer(store, job)
            break
        except KGError as exc:
            _error(send, exc.status_code, str(exc))
            return store
        except (OSError, RuntimeError) as exc:
            if reopen is None or attempt + 1 == attempts:
                _error(send, 500, f"the page failed while reading the store: {exc}")
                return store
            del store
            store = reopen()
    headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in response.raw_headers]
    send(
        b"H",
        json.dumps({"kind": "page", "status": response.status_code, "headers": headers}).encode(),
    )
    body = bytes(response.body)
    for start in range(0, len(body), CHUNK):
        send(b"D", body[start : start + CHUNK])
    send(b"E", b"")
    return store


def _error(send: Send, status: int, message: str) -> None:
    send(b"X", json.dumps({"status": status, "message": message}).encode())


def response_of(header: dict[str, Any], body: bytes) -> Response:
    """The response a worker's header and body stand for: its status and exactly its headers."""
    response = Response(body, status_code=int(header["status"]))
    response.raw_headers = [
        (k.encode("latin-1"), v.encode("latin-1")) for k, v in header["headers"]
    ]
    return response
