"""Competency questions: every ``queries/cq-*.rq`` answers a concrete question about the seed documents.

Each query runs through :class:`kg.queries.QueryLibrary` on the project store (ontology, vocabularies
and data/) with the parameter values stored beside its expected rows in ``tests/competency/<name>.json``.
The expected rows were written from a reading of the documents. Rows are compared exactly: as ordered
lists when the query has an ORDER BY, otherwise as multisets (so duplicated rows are caught too).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT
from kg.store import open_store

QUERIES_DIR = PROJECT_ROOT / "queries"
EXPECTED_DIR = Path(__file__).parent / "competency"
CQ_NAMES = sorted(p.stem for p in QUERIES_DIR.glob("cq-*.rq"))
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "long", "int")}

Value = str | float | None


def term_value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Value:
    """A comparable form of a result term: IRI or lexical form, ``text@lang``, numbers as floats."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.datatype.value in NUMERIC:
            return float(term.value)
        if term.language:
            return f"{term.value}@{term.language}"
    return term.value


def normalise(row: dict[str, Any]) -> tuple[tuple[str, Value], ...]:
    """A hashable, order-independent form of one row; JSON numbers become floats."""
    return tuple(sorted((k, float(v) if isinstance(v, int | float) else v) for k, v in row.items()))


@pytest.fixture(scope="module")
def project_store(project_store_path: Path) -> ox.Store:
    """The session's project store, opened read-only."""
    return open_store(project_store_path, read_only=True)


@pytest.fixture(scope="module")
def library() -> QueryLibrary:
    """The project's named queries."""
    return QueryLibrary(QUERIES_DIR)


def test_there_are_at_least_25_competency_questions() -> None:
    assert len(CQ_NAMES) >= 25, CQ_NAMES


@pytest.mark.parametrize("name", CQ_NAMES)
def test_competency_question(name: str, project_store: ox.Store, library: QueryLibrary) -> None:
    expected_path = EXPECTED_DIR / f"{name}.json"
    assert expected_path.is_file(), f"{name}.rq has no expected rows in {expected_path}"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    query = library.get(name)
    assert query.title and query.description, f"{name}.rq needs a title and a description"
    assert {p.name for p in query.parameters} == set(expected["params"]), (
        f"{name}: the parameters declared in the header differ from those in {expected_path.name}"
    )
    solutions = library.run(project_store, name, **expected["params"])
    variables = [v.value for v in solutions.variables]
    actual = [normalise({v: term_value(sol[v]) for v in variables}) for sol in solutions]
    wanted = [normalise({v: row.get(v) for v in variables}) for row in expected["rows"]]
    for row in expected["rows"]:
        assert set(row) <= set(variables), f"{name}: expected row names unknown columns {row}"
    assert wanted, f"{name}: a competency question must expect at least one row"
    if re.search(r"\bORDER\s+BY\b", query.text, re.IGNORECASE):
        assert actual == wanted
    else:
        assert Counter(actual) == Counter(wanted)
