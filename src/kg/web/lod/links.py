"""IRIs and local paths: a request path is the IRI minus the configured base, so pages link to local
paths and the site works wherever it runs (``https://w3id.org/kgci/id/x`` <-> ``/id/x``)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pyoxigraph as ox

from kg.errors import InputError

#: First path segments under the base that the server resolves.
RESOLVED_ROOTS = ("id", "def", "vocab", "graph", "shapes")


def local_path(iri: str, base: str) -> str | None:
    """The local path serving ``iri``, or None when ``iri`` is not under ``base``.

    >>> local_path("https://w3id.org/kgci/id/collectivity/jura-39", "https://w3id.org/kgci/")
    '/id/collectivity/jura-39'
    >>> local_path("http://www.wikidata.org/entity/Q90", "https://w3id.org/kgci/") is None
    True
    """
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
    if rest.split("/", 1)[0] not in RESOLVED_ROOTS or rest.endswith("/"):
        return None  # outside the resolved roots, or a namespace IRI such as ``.../shapes/``
    return "/" + quote(rest, safe="/:@!$&'()*+,;=-._~%")


LINKED_SCHEMES = ("http", "https")


def linkable(iri: str) -> bool:
    """Whether an external IRI may become a link: only http(s), never ``javascript:`` or ``data:``.

    >>> linkable("https://www.wikidata.org/entity/Q90"), linkable("javascript:alert(1)")
    (True, False)
    """
    scheme, colon, _ = iri.partition(":")
    return bool(colon) and scheme.lower() in LINKED_SCHEMES


def checked_iri(iri: str) -> ox.NamedNode:
    """``iri`` as a node, or a 400 naming it when it is not a valid IRI (``%00``, spaces, ``<``).

    >>> checked_iri("https://w3id.org/kgci/id/x").value
    'https://w3id.org/kgci/id/x'
    """
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        shown = iri if len(iri) <= 200 else iri[:200] + "..."
        raise InputError(f"{shown!r} is not a valid IRI: {exc}") from exc


def iri_of(path: str, base: str) -> str:
    """The IRI a local path stands for (the inverse of :func:`local_path`).

    >>> iri_of("/def/Agreement", "https://w3id.org/kgci/")
    'https://w3id.org/kgci/def/Agreement'
    """
    return base + path.lstrip("/")


def with_lang(path: str, lang: str | None, **params: str | int) -> str:
    """``path`` with ``?lang=`` kept (when the user chose one) and extra parameters.

    >>> with_lang("/search", "en", q="lyon")
    '/search?lang=en&q=lyon'
    >>> with_lang("/", None)
    '/'
    """
    query = {k: str(val) for k, val in (("lang", lang), *params.items()) if val not in (None, "")}
    return f"{path}?{urlencode(query)}" if query else path
