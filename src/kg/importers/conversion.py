"""What every importer returns: the RDF of one source, its counts, and the cases left to curate."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.importers.datasets import SourceInfo


@dataclass(frozen=True)
class CurationCase:
    """A name that reconciliation could not settle, or settled with a weak method."""

    source: str
    kind: str  # french-commune | foreign-place | country
    name: str
    country: str
    status: str  # matched | ambiguous | unmatched
    method: str
    score: float
    iri: str
    candidates: str


@dataclass(frozen=True)
class Conflict:
    """Two sources (or two rows) that disagree about the same thing; reported, never resolved."""

    kind: str
    subject: str
    detail: str
    sources: str


@dataclass
class Conversion:
    """The N-Triples of one source and what the report says about it."""

    source: SourceInfo
    data: bytes
    triples: int
    sha256: str
    counts: dict[str, int] = field(default_factory=dict)
    cases: list[CurationCase] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
