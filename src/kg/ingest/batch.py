"""What one load is made of: a :class:`Batch` (bytes, format, target graph, provenance extras), built
from a file by :func:`batch_from_file`, and the :class:`LoadReport` a load returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pyoxigraph as ox

from kg.ingest.rdfio import format_for_path, read_input, sha256_hex
from kg.settings import Settings
from kg.sources import graph_for_path
from kg.validation import ValidationReport

#: Called with (phase, done, total) while loading; phase is "parse", "validate" or "write".
ProgressHook = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Batch:
    """One source to load: its bytes, format and target graph, plus what provenance should record.

    ``graph`` is the named graph whose current content the batch replaces (triples of triple formats,
    and default-graph quads of quad formats, go there; graphs a TriG/N-Quads file names are replaced
    too). ``validate=False`` is for the ontology, shapes and vocabularies themselves.
    """

    graph: str
    data: bytes
    format: ox.RdfFormat
    source_name: str
    sha256: str
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    validate: bool = True
    #: Base against which relative IRIs of the input resolve (``kg load --base``).
    base_iri: str | None = None


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote: triples per graph, the validation outcome and the time it took."""

    graphs: dict[str, int]
    triples: int
    seconds: float
    validation: ValidationReport
    records: tuple[str, ...] = ()
    #: The load activity that generated each graph's new version.
    activities: dict[str, str] = field(default_factory=dict)


def batch_from_file(
    path: Path,
    settings: Settings,
    *,
    graph: str | None = None,
    fmt: str | None = None,
    extra: Mapping[str, str] | None = None,
    base_iri: str | None = None,
) -> Batch:
    """A batch for a file: checked (exists, regular, size, UTF-8, not empty), format from extension."""
    data = read_input(path, settings.max_file_size)
    rdf_format = format_for_path(path, fmt)
    return Batch(
        graph=graph or graph_for_path(path, settings.project_root),
        data=data,
        format=rdf_format,
        source_name=path.name,
        sha256=sha256_hex(data),
        extra=MappingProxyType(dict(extra or {})),
        base_iri=base_iri,
    )
