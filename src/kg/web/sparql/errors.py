"""Errors of the SPARQL protocol layer, each carrying the HTTP status the protocol prescribes."""

from __future__ import annotations

from kg.errors import InputError, KGError
from kg.web.errors import echo


class ForbiddenError(KGError):
    """The request needs a right the client does not have (e.g. SPARQL Update without the token)."""

    status_code = 403


class NotAcceptableError(KGError):
    """No format the client accepts can carry this kind of result."""

    status_code = 406

    def __init__(self, accept: str, offered: list[str]) -> None:
        super().__init__(
            f"cannot answer with any type the Accept header {echo(accept)!r} allows; "
            f"available: {', '.join(offered)}"
        )


class PayloadTooLargeError(KGError):
    """The request body or the query text is larger than the configured limit."""

    status_code = 413


class RequestTimeoutError(KGError):
    """The client took longer than ``KG_BODY_TIMEOUT`` to send its request body."""

    status_code = 408


class UnsupportedMediaTypeError(KGError):
    """The request body has a content type the endpoint does not read."""

    status_code = 415


class QueryTimeoutError(KGError):
    """A query ran past ``KG_QUERY_TIMEOUT`` and its worker was stopped."""

    status_code = 504

    def __init__(self, limit: float) -> None:
        super().__init__(
            f"the query did not finish within the time limit of {limit:g} s (KG_QUERY_TIMEOUT) "
            "and was stopped; narrow it (LIMIT, more selective patterns) and try again"
        )


class UpstreamError(KGError):
    """An allow-listed SERVICE endpoint failed; its answer is not passed on."""

    status_code = 502


class QueryMemoryError(KGError):
    """A query needed more memory than ``KG_QUERY_MEMORY`` allows a worker."""

    status_code = 507


class ServerBusyError(KGError):
    """Every query worker stayed busy for the whole time limit."""

    status_code = 503


class RefusedQueryError(InputError):
    """The query uses a feature a public endpoint does not allow (SERVICE, LOAD)."""


class WorkerFailedError(KGError):
    """A query worker died or answered a status the server does not know; the query did not run."""

    status_code = 500
