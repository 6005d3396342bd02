"""One exception tree for the project; each message is one clear sentence built in ``__init__``.

The CLI catches :class:`KGError` once, at its edge, prints the message and exits non-zero; the web
application maps the same classes to HTTP status codes in one handler. A subclass names its status
on its class line (``class NotFoundError(KGError, status=404)``), so the tree reads as a table.
"""

from __future__ import annotations

from typing import Any


class KGError(Exception):
    """Base of every error the project raises on purpose."""

    #: HTTP status the web layer answers with when this error reaches it.
    status_code: int = 500

    def __init_subclass__(cls, status: int | None = None, **kwargs: Any) -> None:
        """``class E(KGError, status=404)`` sets ``E.status_code``; without it, the parent's holds.

        >>> class Gone(NotFoundError, status=410): ...
        >>> class Missing(NotFoundError): ...
        >>> Gone.status_code, Missing("x").status_code, KGError.status_code
        (410, 404, 500)
        """
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status_code = status


class InputError(KGError, status=400):
    """Something the user gave (file, parameter, query) is wrong."""


class NotFoundError(KGError, status=404):
    """A named thing (query, graph, resource, file) does not exist."""


class StoreLockedError(KGError, status=503):
    """The on-disk store is held by another process (typically a running server)."""

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


class ConflictError(KGError, status=409):
    """The operation would leave the store inconsistent (e.g. dropping a graph others refer to)."""
