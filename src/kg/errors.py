"""One exception tree for the project; each message is one clear sentence built in ``__init__``.

The CLI catches :class:`KGError` once, at its edge, prints the message and exits non-zero; the web
application maps the same classes to HTTP status codes in one handler.
"""

from __future__ import annotations


class KGError(Exception):
    """Base of every error the project raises on purpose."""

    #: HTTP status the web layer answers with when this error reaches it.
    status_code: int = 500


class InputError(KGError):
    """Something the user gave (file, parameter, query) is wrong."""

    status_code = 400


class NotFoundError(KGError):
    """A named thing (query, graph, resource, file) does not exist."""

    status_code = 404


class StoreLockedError(KGError):
    """The on-disk store is held by another process (typically a running server)."""

    status_code = 503

    def __init__(self, path: str) -> None:
        super().__init__(
            f"the store at {path} is in use by another process (is `kg serve` running?); "
            "stop it, or send the data through the server's authenticated update endpoint"
        )


class UnknownQueryError(NotFoundError):
    """A named query is not in ``queries/``."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"no query named {name!r}; known queries: {', '.join(sorted(known))}")


class QueryParameterError(InputError):
    """A named query was called with a missing, unknown or ill-typed parameter."""


class ValidationFailed(InputError):
    """A batch broke the SHACL shapes; nothing was written and the input was quarantined.

    ``report`` is a :class:`kg.validation.ValidationReport` (rows, conforms flag, SHACL report as
    Turtle); ``quarantine`` is the directory holding the rejected input and its report, if any.
    """

    def __init__(self, report: object, summary: str, quarantine: str | None = None) -> None:
        where = f"; the input and its report are kept in {quarantine}" if quarantine else ""
        super().__init__(f"{summary}{where}")
        self.report = report
        self.quarantine = quarantine


class ConflictError(KGError):
    """The operation would leave the store inconsistent (e.g. dropping a graph others refer to)."""

    status_code = 409
