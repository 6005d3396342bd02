"""The fast validation path: the project's shapes compiled once into Python checks over hashed indexes.

Why: pySHACL walks rdflib graphs triple by triple (py-spy on ``kg load`` of 100k triples: 77 % of the
time in ``pyshacl.validate``). Here each shape is compiled once (:func:`compile_shapes`) into a small
tree of checks, the data is indexed once by subject and by object, and only the focus nodes the batch
touches are evaluated, so the cost follows the batch. ``sh:sparql`` constraints run in an in-memory
pyoxigraph store over the same data.

Fail-closed: a shapes graph that uses anything outside :data:`SUPPORTED` (a constraint component, a
target, a path form...) does not compile (``None``) and the caller uses pySHACL,
the reference. The semantics of each component follow pySHACL 0.40's (``ill_typed`` literals fail
``sh:datatype``, strings and numbers are not comparable...); tests/test_validation_fast.py compares both
engines on the W3C suite and on mutated seed data.

The parts: :mod:`~kg.validation.fast.support` (the fallback rule), :mod:`~kg.validation.fast.compile`
(shapes to :class:`Shape` trees), :mod:`~kg.validation.fast.checks` (the indexed data and the
constraint checks), :mod:`~kg.validation.fast.run` (targets, results, SPARQL constraints).
"""

from __future__ import annotations

from kg.validation.fast.checks import Data, Evaluator, Result
from kg.validation.fast.compile import Compiled, Shape, compile_shapes
from kg.validation.fast.run import validate_fast
from kg.validation.fast.support import SUPPORTED, Unsupported

__all__ = [
    "SUPPORTED",
    "Compiled",
    "Data",
    "Evaluator",
    "Result",
    "Shape",
    "Unsupported",
    "compile_shapes",
    "validate_fast",
]
