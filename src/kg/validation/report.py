"""Validation reports: one row per violation, and their text readable at 80 columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import metadata

from rdflib import Namespace

from kg.namespaces import BASE, PREFIXES

VALIDATOR = f"pyshacl {metadata.version('pyshacl')}"

#: The fast path (:mod:`kg.validation.fast`), named in load records like pySHACL is.
FAST_VALIDATOR = "kg.validation.fast (compiled shapes)"


REFERENCE_CHECK = BASE + "shapes/ReferenceCheck"


KGI = Namespace(BASE + "shapes/")


#: Prefixes for reports, longest namespace first so that ``id:`` does not hide a longer one.
_SHORT = sorted(
    [*PREFIXES.items(), ("kgs", BASE + "shapes/"), ("sh", "http://www.w3.org/ns/shacl#")],
    key=lambda item: -len(item[1]),
)


@dataclass(frozen=True)
class Violation:
    """One row of a validation report."""

    focus: str
    path: str
    value: str
    message: str
    severity: str
    shape: str
    source: str = ""
    #: The SHACL constraint component that failed (``sh:MinCountConstraintComponent``...).
    component: str = ""

    def block(self) -> str:
        """The violation as a few short lines: severity, then focus, path, value, message, shape."""
        return _block(self)


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of validating one or more batches: rows plus the SHACL report as Turtle."""

    conforms: bool
    rows: tuple[Violation, ...] = ()
    turtle: str = ""
    validator: str = VALIDATOR
    shapes_version: str = ""
    triples: int = 0
    neighbourhood: int = 0
    sources: tuple[str, ...] = field(default_factory=tuple)

    def table(self) -> str:
        """The rows as text readable at 80 columns: one block per violation, nothing cut."""
        if self.conforms and not self.rows:
            return "conforms: no violation"
        return "\n\n".join(r.block() for r in self.rows) or "conforms: no violation"


def shorten(iri: str) -> str:
    """An IRI written with the project's prefixes where one fits, else whole.

    >>> shorten("https://w3id.org/kgci/id/territory/ile-de-france")
    'id:territory/ile-de-france'
    >>> shorten("https://w3id.org/kgci/shapes/Territory-governedBy")
    'kgs:Territory-governedBy'
    """
    for prefix, namespace in _SHORT:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _block(row: Violation) -> str:
    fields = [
        ("focus", row.focus),
        ("path", row.path),
        ("value", row.value),
        ("message", row.message),
        ("shape", row.shape),
    ]
    head = f"{row.severity}" + (f" in {row.source}" if row.source else "")
    return "\n".join(
        [head] + [f"  {name + ':':8} {_shorten_words(value)}" for name, value in fields if value]
    )


def _shorten_words(text: str) -> str:
    return " ".join(shorten(word) for word in text.split(" "))


#: Severities that are reported but do not make a batch fail (any other one does, as in SHACL).
PASSING_SEVERITIES = frozenset({"Warning", "Info"})


def fails(row: Violation) -> bool:
    return row.severity not in PASSING_SEVERITIES
