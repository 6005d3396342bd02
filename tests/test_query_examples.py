"""The query page's examples: only the user-facing queries, grouped by topic, the first one a real
question, and each runnable as shown (its example values bound) on the project's store, giving what
the named query gives with those values bound by the library (the API's path)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT
from kg.store import open_store
from kg.web.query_examples import FIRST, example_value, examples, grouped

LIBRARY = QueryLibrary(PROJECT_ROOT / "queries")


def rows(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> object:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted(str(t) for t in result)
    names = [v.value for v in result.variables]
    return sorted(tuple(str(row[n]) for n in names) for row in result)


def test_examples_are_the_user_facing_queries_by_topic() -> None:
    listed = examples(LIBRARY)
    names = [e.name for e in listed]
    assert names[0] == FIRST
    user_facing = {q.name for q in LIBRARY if q.name.startswith(("cq-", "endpoint-"))}
    assert set(names) == user_facing
    assert len(grouped(listed)) >= 4
    assert sum(len(items) for _, items in grouped(listed)) == len(listed)


def test_every_example_runs_as_shown_and_answers_like_the_named_query(
    project_store_path: Path,
) -> None:
    store = open_store(project_store_path, read_only=True)
    for example in examples(LIBRARY):
        query = LIBRARY.get(example.name)
        values = {p.name: example_value(p.description) for p in query.parameters}
        bound = {name: value for name, value in values.items() if value is not None}
        shown = rows(store.query(example.text))
        assert shown == rows(LIBRARY.run(store, example.name, **bound)), example.name
