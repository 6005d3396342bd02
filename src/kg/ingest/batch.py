"""What one load is made of: a :class:`Batch` (bytes and format, or already-parsed quads; target graph;
provenance extras), built from a file by :func:`batch_from_file` or from quads by
:meth:`Batch.from_quads`, and the :class:`LoadReport` a load returns."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pyoxigraph as ox

from kg.ingest.rdfio import (
    canonical_serialisation,
    check_file,
    format_for_path,
    read_input,
    sha256_file,
    sha256_hex,
)
from kg.settings import Settings
from kg.sources import graph_for_path
from kg.validation import ValidationReport

#: Files above this many bytes are not read into memory: the batch names the file (``Batch.path``)
#: and the large-input path streams it (:mod:`kg.ingest.chunked`).
STREAM_ABOVE = 16 * 2**20

#: Called with (phase, done, total) while loading; phase is "parse", "validate" or "write".
ProgressHook = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Batch:
    """One source to load: its bytes, format and target graph, plus what provenance should record.

    ``graph`` is the named graph whose current content the batch replaces (triples of triple formats,
    and default-graph quads of quad formats, go there; graphs a TriG/N-Quads file names are replaced
    too). ``validate=False`` is for the ontology, shapes and vocabularies themselves.

    ``quads``, when set, are the batch's content already parsed (see :meth:`from_quads`): the pipeline
    then skips parsing, and ``data`` is empty until :meth:`payload` serialises it (quarantine only).
    ``path``, when set, is the file holding the content, which is not held in memory (``data`` is
    empty; :meth:`payload` reads it): large files are streamed from it.
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
    #: The content as quads, when the caller already has them (SPARQL Update, importers).
    quads: tuple[ox.Quad, ...] | None = None
    #: The file of a large input, streamed instead of held in ``data``.
    path: Path | None = None

    @classmethod
    def from_quads(
        cls,
        graph: str,
        quads: Iterable[ox.Quad | ox.Triple],
        source_name: str,
        *,
        extra: Mapping[str, str] | None = None,
        validate: bool = True,
    ) -> Batch:
        """A batch of already-parsed quads; triples and default-graph quads go to ``graph``.

        Its sha256 is that of the canonical serialisation (sorted N-Triples lines, or N-Quads lines
        when quads name other graphs), so the same content always gets the same digest whatever the
        order it came in, and a bytes batch of that serialisation records the same digest.
        """
        target = ox.NamedNode(graph)
        rehomed = tuple(
            ox.Quad(q.subject, q.predicate, q.object, target)
            if isinstance(q, ox.Triple) or isinstance(q.graph_name, ox.DefaultGraph)
            else q
            for q in quads
        )
        fmt, data = canonical_serialisation(rehomed, graph)
        return cls(
            graph=graph,
            data=b"",
            format=fmt,
            source_name=source_name,
            sha256=sha256_hex(data),
            extra=MappingProxyType(dict(extra or {})),
            validate=validate,
            quads=rehomed,
        )

    def payload(self) -> bytes:
        """The batch's bytes: ``data``, the file's for a streamed batch, or for a quads batch its
        canonical serialisation."""
        if self.path is not None:
            return self.path.read_bytes()
        if self.quads is None:
            return self.data
        return canonical_serialisation(self.quads, self.graph)[1]


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
    """A batch for a file: checked (exists, regular, size, UTF-8, not empty), format from extension.

    A file over :data:`STREAM_ABOVE` bytes is not read: the batch names it (``path``) and its digest
    is computed a block at a time, so memory does not follow the file's size.
    """
    if path.is_file() and path.stat().st_size > STREAM_ABOVE:
        check_file(path, settings.max_file_size)
        data, digest, streamed = b"", sha256_file(path), path
    else:
        data = read_input(path, settings.max_file_size)
        digest, streamed = sha256_hex(data), None
    rdf_format = format_for_path(path, fmt)
    return Batch(
        graph=graph or graph_for_path(path, settings.project_root),
        data=data,
        format=rdf_format,
        source_name=path.name,
        sha256=digest,
        path=streamed,
        extra=MappingProxyType(dict(extra or {})),
        base_iri=base_iri,
    )
