"""The site's review page (``/review``) on a real uvicorn server and a real on-disk store, with httpx:
list the documents and their candidates, decide through the form, see the accepted facts in the
default graph with their provenance record and the rejected ones not; every refusal (no token, a
wrong one, a login cookie without the form's key, a read-only server) is a 403 in the one error
shape; bad input is a 400 / 404 naming what and where, the store unchanged. A differential test
applies the same decisions through the page and through ``kg review`` and compares the stores."""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from cli_helpers import run_kg
from review_helpers import (
    DOCUMENT,
    PROVENANCE,
    TOKEN,
    all_quads,
    ask,
    bearer,
    candidates_trig,
    form_rows,
    review_server,
)
from server_helpers import LiveServer, build_project_store

DOCUMENTS = "https://w3id.org/kgci/graph/candidates/"
KGC = "https://w3id.org/kgci/def/"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def trig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The candidates of the Dijon fixture text, extracted once for the module."""
    return candidates_trig(tmp_path_factory.mktemp("review-candidates"))


@pytest.fixture
def server(tmp_path: Path, trig: Path) -> Iterator[LiveServer]:
    with review_server(tmp_path, trig) as live:
        yield live


def candidates(client: httpx.Client) -> list[dict[str, object]]:
    answer = client.get(f"/review/{DOCUMENT}", headers=bearer())
    assert answer.status_code == 200, answer.text
    listed: list[dict[str, object]] = answer.json()["candidates"]
    return listed


def decisions_for(listed: list[dict[str, object]]) -> dict[str, str]:
    """Accept every candidate but the figures (they would need an indicator), reject those."""
    return {
        str(c["candidate"]): "reject" if c["kind"] == "Observation" else "accept" for c in listed
    }


def dump(client: httpx.Client) -> list[str]:
    answer = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "format": "tsv"},
    )
    assert answer.status_code == 200, answer.text
    return sorted(answer.text.splitlines())


def assert_error(answer: httpx.Response, status: int, *words: str) -> None:
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["status"] == status
    assert all(w in error["message"] for w in words), error["message"]


def test_list_decide_and_the_accepted_facts_become_data(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        index = client.get("/review", headers=bearer())
        assert index.status_code == 200, index.text
        assert index.headers["cache-control"] == "no-store"
        (entry,) = [d for d in index.json()["documents"] if d["document"] == DOCUMENT]
        listed = candidates(client)
        assert entry["candidate"] == len(listed) >= 8
        agreement = next(str(c["candidate"]) for c in listed if c["kind"] == "Agreement")
        figure = next(str(c["candidate"]) for c in listed if c["kind"] == "Observation")
        passage = next(c["passage"] for c in listed if c["candidate"] == agreement)
        assert isinstance(passage, dict) and "signé" in passage["quote"]
        assert passage["document"].endswith(f"/id/document/{DOCUMENT}")
        # Nothing of the candidates is data yet.
        assert not ask(client, f"ASK {{ <{agreement}> ?p ?o }}")

        decided = client.post(
            f"/review/{DOCUMENT}",
            data={**form_rows(decisions_for(listed)), "reviewer": "Camille Page"},
            headers=bearer(),
        )
        assert decided.status_code == 200, decided.text
        summary = decided.json()
        assert summary["triples"] > 0 and summary["rejected"] >= 1

        # The accepted agreement is in the default graph, with its passage; the figure is not.
        assert ask(client, f"ASK {{ <{agreement}> a <{KGC}Agreement> ; <{KGC}signingDate> ?d }}")
        assert ask(
            client,
            f"ASK {{ <{agreement}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?p . "
            '?p <http://www.w3.org/ns/oa#exact> ?q FILTER (CONTAINS(?q, "signé")) }',
        )
        assert not ask(client, f"ASK {{ <{figure}> ?p ?o }}")
        assert not ask(client, f"ASK {{ ?s <{KGC}confidence> ?c }}")
        # Its load record names the extraction activity, the reviewer and the decisions.
        assert ask(
            client,
            f"""ASK {{ GRAPH <{PROVENANCE}> {{
              ?load <http://www.w3.org/ns/prov#generated> <https://w3id.org/kgci/graph/document/{DOCUMENT}> ;
                    <http://www.w3.org/ns/prov#used> ?input .
              ?input <http://purl.org/dc/terms/source> ?extraction ;
                     <http://www.w3.org/2000/01/rdf-schema#comment> "reviewer: Camille Page" ,
                       ?decisions .
              FILTER (CONTAINS(STR(?extraction), "/id/extraction/{DOCUMENT}-"))
              FILTER (STRSTARTS(?decisions, "decisions: "))
            }} }}""",
        )
        statuses = {str(c["candidate"]): c["status"] for c in candidates(client)}
        assert statuses[agreement] == "accepted" and statuses[figure] == "rejected"
        # Resource pages say what the review decided of each candidate source.
        for iri, label in (
            (figure, "rejeté à la relecture"),
            (agreement, "accepté à la relecture"),
        ):
            page = client.get(iri.removeprefix("https://w3id.org/kgci"), headers=HTML)
            assert page.status_code == 200, page.text
            assert label in page.text and "non relu" not in page.text
        after = client.get("/review", headers=bearer()).json()["documents"]
        (entry,) = [d for d in after if d["document"] == DOCUMENT]
        assert "candidate" not in entry and entry["rejected"] >= 1

        # A second decision on a decided candidate is refused, naming the row; nothing changes.
        before = dump(client)
        again = client.post(
            f"/review/{DOCUMENT}", data=form_rows({figure: "accept"}), headers=bearer()
        )
        assert_error(again, 400, "form row 1", figure, "already rejected")
        assert dump(client) == before


def test_refusals_are_403_in_the_one_error_shape(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        before = dump(client)
        assert_error(client.get("/review"), 403, "update token")
        assert_error(client.get("/review", headers=bearer("wrong")), 403, "missing or wrong")
        assert_error(client.get(f"/review/{DOCUMENT}", params={"token": TOKEN}), 403)
        agreement = next(
            str(c["candidate"]) for c in candidates(client) if c["kind"] == "Agreement"
        )
        rows = form_rows({agreement: "accept"})
        assert_error(client.post(f"/review/{DOCUMENT}", data=rows), 403)
        assert_error(client.post(f"/review/{DOCUMENT}", data=rows, headers=bearer("x")), 403)
        assert_error(
            client.post(f"/review/{DOCUMENT}", data={**rows, "token": "wrong"}), 403, "wrong"
        )
        assert_error(client.post("/review/login", data={"token": "wrong"}), 403)
        assert "kg_review_token" not in client.cookies
        assert dump(client) == before

    with httpx.Client(base_url=server.url, timeout=60) as browser:
        login = browser.post("/review/login", data={"token": TOKEN})
        assert login.status_code == 303 and login.headers["location"] == "/review"
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/review" in cookie
        assert browser.get(f"/review/{DOCUMENT}").status_code == 200  # the cookie reads
        # The cookie alone does not decide (what another site could make a browser send).
        assert_error(browser.post(f"/review/{DOCUMENT}", data=rows), 403, "cookie alone")
        assert_error(browser.post(f"/review/{DOCUMENT}", data={**rows, "key": "forged"}), 403)
        assert dump(browser) == before
        # The page's own form carries its key beside the cookie: that decides.
        page = browser.get(f"/review/{DOCUMENT}", headers={"Accept": "text/html"})
        assert TOKEN not in page.text
        key = page.text.split('name="key" value="', 1)[1].split('"', 1)[0]
        done = browser.post(f"/review/{DOCUMENT}", data={**rows, "key": key})
        assert done.status_code == 200, done.text
        assert done.json()["accepted"] == 1
        assert ask(browser, f"ASK {{ <{agreement}> a <{KGC}Agreement> }}")


def test_a_read_only_server_says_review_is_disabled(tmp_path: Path, trig: Path) -> None:
    with (
        review_server(tmp_path, trig, token=None) as live,
        httpx.Client(base_url=live.url, timeout=60) as client,
    ):
        assert_error(client.get("/review", headers=bearer()), 403, "review is disabled")
        assert_error(client.post(f"/review/{DOCUMENT}", headers=bearer()), 403, "disabled")
        page = client.get("/review", headers={"Accept": "text/html"})
        assert page.status_code == 403 and "review is disabled" in page.text
        assert 'id="review-login"' not in page.text


def test_bad_input_names_what_and_where_and_changes_nothing(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60, headers=bearer()) as client:
        before = dump(client)
        assert_error(client.get("/review/no-such-document"), 404, "no candidates")
        assert_error(client.get("/review/bad%3Eslug"), 404, "no candidates")
        assert_error(client.post("/review/no-such-document", data={"x": "1"}), 404)
        listed = candidates(client)
        first, second = (str(c["candidate"]) for c in listed[:2])
        bad = {"candidate-1": first, "decision-1": "accept", "candidate-2": second}
        assert_error(
            client.post(f"/review/{DOCUMENT}", data={**bad, "decision-2": "maybe"}),
            400,
            "form row 2",
            second,
            "'maybe'",
        )
        unknown = "https://w3id.org/kgci/id/agreement/not-extracted"
        assert_error(
            client.post(
                f"/review/{DOCUMENT}", data={**bad, "candidate-2": unknown, "decision-2": "reject"}
            ),
            400,
            "form row 2",
            unknown,
            "not a candidate",
        )
        assert_error(
            client.post(f"/review/{DOCUMENT}", data={**bad, "decision-2": "correct"}),
            400,
            "form row 2",
            "corrected_iri",
        )
        assert_error(
            client.post(f"/review/{DOCUMENT}", data={**bad, "surprise": "1"}),
            400,
            "'surprise'",
        )
        upload = "candidate,decision\n" + f"{first},accept\n{first},reject\n"
        assert_error(
            client.post(f"/review/{DOCUMENT}", files={"csv": ("decided.csv", upload, "text/csv")}),
            400,
            "decided.csv, line 3",
            "decided twice",
        )
        assert dump(client) == before


def test_a_csv_round_trip_through_the_page(server: LiveServer) -> None:
    """The page's CSV is ``kg review``'s; filled in and uploaded back, it decides as the form does."""
    with httpx.Client(base_url=server.url, timeout=60, headers=bearer()) as client:
        download = client.get(f"/review/{DOCUMENT}", headers={"Accept": "text/csv"})
        assert download.status_code == 200, download.text
        assert download.headers["content-type"].startswith("text/csv")
        assert "attachment" in download.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(download.text)))
        assert {r["status"] for r in rows} == {"candidate"}
        assert {r["candidate"] for r in rows} == {str(c["candidate"]) for c in candidates(client)}
        for row in rows:
            row["decision"] = "accept" if row["kind"] in ("Agreement", "Collectivity") else ""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        upload = client.post(
            f"/review/{DOCUMENT}",
            data={"reviewer": "CSV"},
            files={"csv": ("decided.csv", out.getvalue(), "text/csv")},
        )
        assert upload.status_code == 200, upload.text
        accepted = [r["candidate"] for r in rows if r["decision"] == "accept"]
        assert upload.json()["accepted"] == len(accepted) >= 2
        for iri in accepted:
            assert ask(client, f"ASK {{ <{iri}> ?p ?o }}")
        again = client.get(f"/review/{DOCUMENT}", params={"format": "csv"})
        statuses = {r["candidate"]: r["status"] for r in csv.DictReader(io.StringIO(again.text))}
        assert {statuses[iri] for iri in accepted} == {"accepted"}


def _graphs(quads: set[ox.Quad]) -> tuple[set[ox.Quad], set[str], int]:
    """The quads outside the provenance graph without blank nodes (two bulk loads name the
    shapes' blank nodes differently), the load records' decision comments, and how many quads
    have a blank node."""
    named = {
        q for q in quads if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))
    }
    data = {q for q in named if getattr(q.graph_name, "value", "") != PROVENANCE}
    comments = {
        q.object.value
        for q in quads
        if getattr(q.graph_name, "value", "") == PROVENANCE
        and q.predicate.value == "http://www.w3.org/2000/01/rdf-schema#comment"
        and q.object.value.startswith(("reviewer: ", "decisions: "))
    }
    return data, comments, len(quads) - len(named)


def test_the_page_and_kg_review_leave_the_same_triples(tmp_path: Path, trig: Path) -> None:
    """Differential: the page's form and ``kg review --decisions`` on two stores built alike from
    the same candidates give the same graphs (default graph included) and the same records."""
    with (
        review_server(tmp_path / "page", trig) as live,
        httpx.Client(base_url=live.url, timeout=60, headers=bearer()) as client,
    ):
        listed = candidates(client)
        decided = decisions_for(listed)
        answer = client.post(
            f"/review/{DOCUMENT}", data={**form_rows(decided), "reviewer": "Dominique"}
        )
        assert answer.status_code == 200, answer.text
    gc.collect()  # the server's store handle goes with the app

    cli_store = build_project_store(tmp_path / "cli" / "store", trig)
    listed_csv = tmp_path / "review.csv"
    env = {
        "KG_STORE": str(cli_store),
        "KG_QUARANTINE_DIR": str(tmp_path / "cli" / "quarantine"),
    }
    assert run_kg("review", DOCUMENT, "--out", listed_csv, env=env).returncode == 0
    rows = list(csv.DictReader(listed_csv.open(encoding="utf-8")))
    assert {r["candidate"] for r in rows} == set(decided)
    for row in rows:
        row["decision"] = decided[row["candidate"]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    (tmp_path / "decided.csv").write_text(out.getvalue(), encoding="utf-8")
    done = run_kg(
        "review",
        DOCUMENT,
        "--decisions",
        tmp_path / "decided.csv",
        "--reviewer",
        "Dominique",
        env=env,
    )
    assert done.returncode == 0, done.stderr

    page_data, page_records, page_blank = _graphs(all_quads(tmp_path / "page" / "store"))
    cli_data, cli_records, cli_blank = _graphs(all_quads(cli_store))
    assert page_data == cli_data and page_blank == cli_blank
    assert (
        page_records
        == cli_records
        == {
            "reviewer: Dominique",
            f"decisions: {sum(d == 'accept' for d in decided.values())} accepted, 0 corrected, "
            f"{sum(d == 'reject' for d in decided.values())} rejected",
        }
    )
    assert any(DOCUMENTS in getattr(q.graph_name, "value", "") for q in page_data)
