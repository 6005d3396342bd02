"""Running compiled shapes: the targets of each shape among the focus nodes, their results,
and the ``sh:sparql`` constraints evaluated by pyoxigraph over the same data."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyoxigraph as ox
from rdflib import SH
from rdflib.term import Node

from kg.validation.fast.checks import Data, Evaluator, Result
from kg.validation.fast.compile import Compiled, Shape


def validate_fast(
    compiled: Compiled,
    data: Data,
    focus: set[Node],
    to_oxigraph: Callable[[], ox.Store] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Result]:
    """Every result of the targeted shapes whose focus node is in ``focus``.

    ``data`` is indexed with at least ``compiled.inverse`` by object. ``to_oxigraph`` makes an
    in-memory store holding the same data, called once and only when a shape with SPARQL
    constraints has a focus node here. ``progress(done, total)`` is called after each targeted
    shape.
    """
    evaluator = Evaluator(data)
    out: list[Result] = []
    store: ox.Store | None = None
    for done, shape in enumerate(compiled.targeted, 1):
        if progress is not None and done > 1:
            progress(done - 1, len(compiled.targeted))
        targets: set[Node] = set()
        for cls in shape.targets_class:
            targets |= data.instances(cls)
        for predicate in shape.targets_subjects_of:
            targets |= set(data.by_predicate.get(predicate, ()))
        for predicate in shape.targets_objects_of:
            targets |= {
                o for s in data.by_predicate.get(predicate, ()) for o in data.out[s][predicate]
            }
        targets.update(shape.target_nodes)
        targets &= focus
        for node in sorted(targets, key=str):
            out.extend(evaluator.results(shape, node))
        if shape.sparql and targets:
            if to_oxigraph is None:
                raise ValueError("SPARQL constraints need the data in an oxigraph store")
            store = store or to_oxigraph()
            out.extend(_sparql_results(shape, targets, store))
    if progress is not None:
        progress(len(compiled.targeted), len(compiled.targeted))
    return out


def _sparql_results(shape: Shape, targets: set[Node], store: ox.Store) -> Iterator[Result]:
    from kg.validation.terms import to_rdflib

    for query, message in shape.sparql:
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            this = solution["this"]
            if this is None:
                continue
            focus = to_rdflib(this)
            if focus not in targets:
                continue
            bound = {n: solution[n] for n in names}
            path, value = bound.get("path"), bound.get("value")
            text = message or shape.message
            for name, term in bound.items():
                if term is not None:
                    text = text.replace("{?" + name + "}", term.value).replace(
                        "{$" + name + "}", term.value
                    )
            yield Result(
                focus=focus,
                path=to_rdflib(path) if path is not None else None,
                value=to_rdflib(value) if value is not None else focus,
                component=SH.SPARQLConstraintComponent,
                shape=shape.node,
                severity=shape.severity,
                message=text,
            )
