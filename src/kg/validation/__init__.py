"""SHACL validation: one entry point (:func:`validate`) for ``kg load``, the update endpoint, the
importers and the shape tests, the neighbourhood's schema part, readable reports, and the pySHACL
speed-ups (:mod:`kg.validation.speed`).
"""

from __future__ import annotations

from kg.validation.engine import validate, validate_graph, validate_quads
from kg.validation.report import (
    PASSING_SEVERITIES,
    REFERENCE_CHECK,
    VALIDATOR,
    ValidationReport,
    Violation,
    shorten,
)
from kg.validation.schema import inverse_predicates, schema_graphs
from kg.validation.speed import ReadStore
from kg.validation.terms import to_rdflib

__all__ = [
    "PASSING_SEVERITIES",
    "REFERENCE_CHECK",
    "VALIDATOR",
    "ReadStore",
    "ValidationReport",
    "Violation",
    "inverse_predicates",
    "schema_graphs",
    "shorten",
    "to_rdflib",
    "validate",
    "validate_graph",
    "validate_quads",
]
