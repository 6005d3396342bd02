"""The one reading of the update token from a request, and its constant-time comparison.

SPARQL Update, the Graph Store Protocol and the review pages all check ``KG_UPDATE_TOKEN`` through
these two functions, so that a header is parsed one way only.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer …`` header; ``""`` for another scheme, ``None``
    when the request has no such header."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    return token if scheme.lower() == "bearer" else ""


def matches(given: str | None, expected: str) -> bool:
    """Whether ``given`` (surrounding spaces ignored) is ``expected``, compared in constant time."""
    return given is not None and secrets.compare_digest(given.strip().encode(), expected.encode())
