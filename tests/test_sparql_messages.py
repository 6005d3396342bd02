"""Readable syntax errors: a table of bad queries and the one sentence each gets, through the real
HTTP endpoint (in the project's one error shape) and through `kg query` on a named query file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from cli_helpers import run_kg

#: A bad query, and the message the endpoint answers (400, {"error": {"status", "message"}}).
BAD_QUERIES: list[tuple[str, str]] = [
    (
        "SELECT ?s WHERE { ?s a foo:Bar }",
        "the query is malformed: the prefix 'foo:' of 'foo:Bar' at line 1, column 24 is not "
        "declared by the query nor by the endpoint (see /prefixes for the known ones)",
    ),
    (
        "PREFIX ex: <http://example.org/>\nSELECT ?s WHERE {\n  ?s a colectivity:x }",
        "the query is malformed: the prefix 'colectivity:' of 'colectivity:x' at line 3, column 8 "
        "is not declared by the query nor by the endpoint; did you mean 'collectivity:'?",
    ),
    (
        "SELECT ?s WHERE { ?s ?p }",
        "the query is malformed at line 1, column 25, near the end ('}'): expected a complete "
        "triple pattern (subject, predicate and object) or a pattern keyword such as OPTIONAL "
        "or FILTER",
    ),
    (
        "SELEC ?s WHERE { ?s ?p ?o }",
        "the query is malformed: it starts with 'SELEC' at line 1, column 1, not with a query "
        "form (SELECT, CONSTRUCT, DESCRIBE, ASK) or an update operation (INSERT, DELETE, ...)",
    ),
    (
        "SELECT ?s WHERE { ?s ?p ?o }\nLIMIT ten",
        "the query is malformed at line 2, column 7, at 'ten': expected one of the keywords "
        "HAVING, OFFSET, OPTIONAL, VALUES or a number",
    ),
    (
        "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}",
        "the query is malformed at line 4, column 1, near the end ('}'): expected "
        "an expression (a variable, a value or a function call such as STR(...))",
    ),
]


@pytest.mark.parametrize(("query", "message"), BAD_QUERIES)
def test_the_endpoint_answers_one_sentence(
    sample_client: httpx.Client, query: str, message: str
) -> None:
    response = sample_client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert response.json() == {"error": {"status": 400, "message": message}}


def test_the_message_never_repeats_the_parser_s_character_classes(
    sample_client: httpx.Client,
) -> None:
    response = sample_client.get("/sparql", params={"query": "SELECT * { ?s a nope:x }"})
    message = response.json()["error"]["message"]
    assert "\\u{" not in message and "Prefix not found" not in message
    assert "'nope:'" in message


@pytest.mark.parametrize(("query", "message"), BAD_QUERIES)
def test_kg_query_words_a_bad_named_query_the_same_way(
    sample_store: Path, tmp_path: Path, query: str, message: str
) -> None:
    queries = tmp_path / "queries"
    queries.mkdir()
    header = "# title: A broken query\n# description: for the test.\n"
    (queries / "broken.rq").write_text(header + query + "\n", encoding="utf-8")
    env = {"KG_STORE": str(sample_store), "KG_QUERIES_DIR": str(queries)}
    done = run_kg("query", "broken", env=env, columns=400)
    assert done.returncode != 0
    # The file has two header lines above the query; `kg query` declares no prefixes itself.
    expected = message.replace("the query is", "the query 'broken' is")
    expected = _shift_lines(expected, 2).replace(
        " nor by the endpoint; did you mean 'collectivity:'?",
        " nor by the endpoint (see /prefixes for the known ones)",
    )
    assert expected in " ".join(done.stderr.split()), done.stderr


def _shift_lines(message: str, by: int) -> str:
    import re

    return re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + by}", message)
