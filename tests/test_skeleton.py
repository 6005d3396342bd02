"""The skeleton's own pieces: IRI minting, named queries, the CLI edge."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from cli_helpers import run_kg
from kg.errors import QueryParameterError, UnknownQueryError
from kg.iris import mint, slugify
from kg.queries import QueryLibrary

QUERY = """# title: Labels of a thing
# description: The labels of one resource.
# param: thing (iri, required): the resource
# param: lang (string, optional): a language tag
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE { ?thing rdfs:label ?label }
"""


@pytest.fixture
def library(tmp_path: Path) -> QueryLibrary:
    (tmp_path / "labels.rq").write_text(QUERY, encoding="utf-8")
    return QueryLibrary(tmp_path)


def test_slugs_are_ascii_lowercase_hyphenated() -> None:
    assert slugify("Wilaya d'Alger") == "wilaya-d-alger"
    assert mint("country", "FR").endswith("/id/country/fr")


def test_named_query_binds_iri_and_rejects_unknown(library: QueryLibrary) -> None:
    store = ox.Store()
    thing = ox.NamedNode("http://example.org/a")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.add(ox.Quad(thing, label, ox.Literal("A")))
    store.add(ox.Quad(ox.NamedNode("http://example.org/b"), label, ox.Literal("B")))
    rows = [r["label"].value for r in library.run(store, "labels", thing="http://example.org/a")]
    assert rows == ["A"]
    with pytest.raises(UnknownQueryError, match="known queries: labels"):
        library.get("nope")
    with pytest.raises(QueryParameterError, match="needs the parameter 'thing'"):
        library.run(store, "labels")
    with pytest.raises(QueryParameterError, match="expects a value of type iri"):
        library.run(store, "labels", thing='"> } ; DROP ALL ; #')


def test_cli_reports_errors_in_one_line_with_nonzero_exit(tmp_path: Path) -> None:
    env = {"KG_QUERIES_DIR": str(tmp_path / "missing"), "PATH": ""}
    proc = run_kg("queries", env=env)
    assert proc.returncode == 1
    assert "does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr
