"""Named SPARQL queries: ``queries/<name>.rq`` files, their headers, and typed parameter binding.

A query file starts with a header of comment lines::

    # title: Foreign partners of a collectivity
    # description: Every foreign organisation that is party to an agreement with the collectivity.
    # param: collectivity (iri, required): the collectivity, e.g. <https://w3id.org/kgci/id/...>
    # param: year (gYear, optional): only agreements signed that year

Parameters are bound with pyoxigraph substitutions (pre-bound variables), never pasted into the text,
so a value such as ``"> } ; DROP ALL ; #`` is only ever a plain value. pyoxigraph requires a bound
variable of a SELECT query to appear in its projection (with aggregates: group by it and project it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import InputError, QueryParameterError, UnknownQueryError

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "string", "langString", "integer", "decimal", "boolean", "date", "gYear")

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>\w+)(?:\s*,\s*(?P<req>required|optional))?"
    r"(?:\s*,\s*default=(?P<default>[^)]*))?\)\s*:\s*(?P<doc>.*)$"
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Parameter:
    """A typed parameter of a named query."""

    name: str
    type: str
    required: bool
    description: str
    default: str | None = None

    def to_term(self, raw: str) -> ox.NamedNode | ox.Literal:
        """Convert a raw string value into the RDF term this parameter binds."""
        value = raw.strip()
        try:
            if self.type == "iri":
                value = value.removeprefix("<").removesuffix(">")
                if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
                    raise ValueError("not an absolute IRI")
                return ox.NamedNode(value)
            if self.type == "string":
                return ox.Literal(raw)
            if self.type == "langString":
                text, _, lang = raw.rpartition("@")
                if not text or not lang:
                    raise ValueError("expected text@lang")
                return ox.Literal(text, language=lang)
            if self.type == "integer":
                return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
            if self.type == "decimal":
                return ox.Literal(str(Decimal(value)), datatype=ox.NamedNode(XSD + "decimal"))
            if self.type == "boolean":
                if value.lower() not in {"true", "false", "1", "0"}:
                    raise ValueError("expected true or false")
                flag = "true" if value.lower() in {"true", "1"} else "false"
                return ox.Literal(flag, datatype=ox.NamedNode(XSD + "boolean"))
            if self.type == "date":
                return ox.Literal(
                    date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(XSD + "date")
                )
            if self.type == "gYear":
                if not re.fullmatch(r"-?\d{4}", value):
                    raise ValueError("expected a four-digit year")
                return ox.Literal(value, datatype=ox.NamedNode(XSD + "gYear"))
        except (ValueError, InvalidOperation) as exc:
            raise QueryParameterError(
                f"parameter {self.name!r} expects a value of type {self.type}, got {raw!r} ({exc})"
            ) from exc
        raise QueryParameterError(f"parameter {self.name!r} has unknown type {self.type!r}")


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its parsed header."""

    name: str
    path: Path
    text: str
    title: str
    description: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def bind(self, values: Mapping[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Check and convert raw parameter values into pyoxigraph substitutions."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryParameterError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; "
                f"its parameters are: {', '.join(known) or 'none'}"
            )
        bindings: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
        for param in self.parameters:
            raw = values.get(param.name, param.default)
            if raw is None or raw == "":
                if param.required:
                    raise QueryParameterError(
                        f"query {self.name!r} needs the parameter {param.name!r} "
                        f"({param.type}): {param.description}"
                    )
                continue
            bindings[ox.Variable(param.name)] = param.to_term(raw)
        return bindings


def parse_query_file(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and parse its header; a missing title or a bad param line is an error."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Parameter] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm or pm.group("type") not in PARAM_TYPES:
                raise InputError(
                    f"{path}:{lineno}: malformed parameter line; expected "
                    f"'# param: name (type[, required|optional][, default=value]): description' "
                    f"with type among {', '.join(PARAM_TYPES)}"
                )
            params.append(
                Parameter(
                    name=pm.group("name"),
                    type=pm.group("type"),
                    required=pm.group("req") != "optional",
                    description=pm.group("doc").strip(),
                    default=pm.group("default"),
                )
            )
        else:
            meta[key] = (meta.get(key, "") + " " + value).strip()
    if "title" not in meta:
        raise InputError(f"{path}: the header has no '# title:' line")
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        title=meta["title"],
        description=meta.get("description", ""),
        parameters=tuple(params),
    )


class QueryLibrary:
    """The named queries of a directory, loaded by name."""

    def __init__(self, directory: Path) -> None:
        if not directory.is_dir():
            raise InputError(f"the queries directory {directory} does not exist")
        self.directory = directory
        self._queries = {
            p.stem: parse_query_file(p)
            for p in sorted(directory.glob("*.rq"))
            if _NAME.match(p.stem)
        }

    def names(self) -> list[str]:
        """Names of every query, sorted."""
        return sorted(self._queries)

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self._queries[name] for name in self.names())

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def get(self, name: str) -> NamedQuery:
        """The query called ``name``; an unknown name lists the known ones."""
        try:
            return self._queries[name]
        except KeyError:
            raise UnknownQueryError(name, list(self._queries)) from None

    def text(self, name: str) -> str:
        """The SPARQL text of the query called ``name``."""
        return self.get(name).text

    def run(self, store: ox.Store, name: str, /, **values: str) -> Any:
        """Run the named query on ``store`` with raw parameter values bound as substitutions."""
        query = self.get(name)
        try:
            substitutions: dict[ox.Variable, Any] = dict(query.bind(values))
            # No union mode: the store's default graph is the merge of the data graphs, as a set
            # (see kg.store.default_graph); pyoxigraph's union would count a shared triple twice.
            return store.query(query.text, substitutions=substitutions)
        except RuntimeError as exc:  # e.g. a parameter missing from the SELECT projection
            raise InputError(f"query {name!r} cannot run with these parameters: {exc}") from exc


_LIBRARIES: dict[Path, tuple[tuple[tuple[str, int, int], ...], QueryLibrary]] = {}


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of each ``*.rq`` file: what a cached library depends on."""
    return tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.glob("*.rq"))
    )


def get_library(directory: Path) -> QueryLibrary:
    """The one :class:`QueryLibrary` of ``directory`` for this process, parsed once and parsed again
    only when a ``*.rq`` file was added, removed or edited (so a long process never runs stale text).

    Every caller (the CLI's commands, the importers, ingest, the web app factory) gets its library
    here instead of building its own.

    >>> from kg.settings import PROJECT_ROOT
    >>> get_library(PROJECT_ROOT / "queries") is get_library(PROJECT_ROOT / "queries")
    True
    """
    if not directory.is_dir():
        raise InputError(f"the queries directory {directory} does not exist")
    key = directory.resolve()
    signature = _signature(key)
    cached = _LIBRARIES.get(key)
    if cached is None or cached[0] != signature:
        cached = (signature, QueryLibrary(directory))
        _LIBRARIES[key] = cached
    return cached[1]
