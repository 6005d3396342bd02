"""kg.web.sparql.protocol.prepare_query: the one step that checks a query and picks its format and
limits before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.settings import Settings
from kg.web.sparql.errors import PayloadTooLargeError
from kg.web.sparql.protocol import ProtocolRequest, prepare_query


def _settings(tmp_path: Path) -> Settings:
    return Settings(quarantine_dir=tmp_path / "q", max_rows=7, query_timeout=3.0)


def test_a_query_is_checked_once_with_its_format_and_limits(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    parsed = ProtocolRequest(query="SELECT * WHERE { ?s ?p ?o }")
    prepared = prepare_query(parsed, settings, "text/csv")
    assert prepared.protocol is parsed and prepared.format.name == "csv"
    assert prepared.analysis.form == "select" and "?s" in prepared.analysis.text
    assert (prepared.max_rows, prepared.timeout) == (7, 3.0)
    graph = prepare_query(ProtocolRequest(query="CONSTRUCT WHERE { ?s ?p ?o }"), settings, None)
    assert graph.format.name == "turtle"


def test_what_fails_the_checks_never_becomes_a_prepared_query(tmp_path: Path) -> None:
    settings = _settings(tmp_path).model_copy(update={"max_query_length": 40})
    with pytest.raises(PayloadTooLargeError):
        prepare_query(
            ProtocolRequest(query="SELECT * WHERE { ?s ?p ?o } " + "#" * 40), settings, None
        )
    two = "SELECT * FROM <http://a.org/1> FROM <http://a.org/2> WHERE { ?s ?p ?o }"
    with pytest.raises(InputError, match="2 default graphs"):
        prepare_query(ProtocolRequest(query=two), _settings(tmp_path), None)
