"""Errors of the SPARQL protocol layer, each carrying the HTTP status the protocol prescribes."""

from __future__ import annotations

from kg.errors import InputError, KGError
from kg.web.errors import echo


class ForbiddenError(KGError, status=403):
    """The request needs a right the client does not have (e.g. SPARQL Update without the token)."""


class NotAcceptableError(KGError, status=406):
    """No format the client accepts can carry this kind of result."""

    def __init__(self, accept: str, offered: list[str]) -> None:
        super().__init__(
            f"cannot answer with any type the Accept header {echo(accept)!r} allows; "
            f"available: {', '.join(offered)}"
        )


class PayloadTooLargeError(KGError, status=413):
    """The request body or the query text is larger than the configured limit."""


class RequestTimeoutError(KGError, status=408):
    """The client took longer than ``KG_BODY_TIMEOUT`` to send its request body."""


class UnsupportedMediaTypeError(KGError, status=415):
    """The request body has a content type the endpoint does not read."""


class QueryTimeoutError(KGError, status=504):
    """A query ran past ``KG_QUERY_TIMEOUT`` and its worker was stopped."""

    def __init__(self, limit: float) -> None:
        super().__init__(
            f"the query did not finish within the time limit of {limit:g} s (KG_QUERY_TIMEOUT) "
            "and was stopped; narrow it (LIMIT, more selective patterns) and try again"
        )


class UpdateTimeoutError(KGError, status=504):
    """An update's evaluation ran past ``KG_UPDATE_TIMEOUT`` and was stopped; nothing was written."""

    def __init__(self, limit: float) -> None:
        super().__init__(
            f"the update did not finish within the time limit of {limit:g} s (KG_UPDATE_TIMEOUT) "
            "and was stopped; nothing was written: narrow its WHERE (more selective patterns)"
        )


class UpstreamError(KGError, status=502):
    """An allow-listed SERVICE endpoint failed; its answer is not passed on."""


class QueryMemoryError(KGError, status=507):
    """A query needed more memory than ``KG_QUERY_MEMORY`` allows a worker."""


class ServerBusyError(KGError, status=503):
    """Every query worker stayed busy for the whole time limit."""


class RefusedQueryError(InputError):
    """The query uses a feature a public endpoint does not allow (SERVICE, LOAD)."""


class WorkerFailedError(KGError, status=500):
    """A query worker died or answered a status the server does not know; the query did not run."""
