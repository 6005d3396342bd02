"""Helpers of the review tests: the candidates of a fixture text (extracted once, written as TriG),
an on-disk store holding the project's files plus those candidates, and a real uvicorn server on it
with (or without) the update token."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.extract.document import read_document
from kg.extract.graph import candidate_quads, to_trig
from kg.extract.link import COG_FOLDER, Linker
from kg.extract.pipeline import default_vocabularies, extract
from kg.settings import PROJECT_ROOT, Settings
from kg.store import open_store
from kg.web.app import create_app
from server_helpers import LiveServer, build_project_store, free_port

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "extract"
COG = PROJECT_ROOT / "tests" / "fixtures" / "reference" / COG_FOLDER
DOCUMENT = "dijon-ceremony"
TOKEN = "review-s3cret"
PROVENANCE = "https://w3id.org/kgci/graph/provenance"


def candidates_trig(folder: Path, name: str = DOCUMENT) -> Path:
    """The candidate graph of ``tests/fixtures/extract/<name>.txt`` as a TriG file in ``folder``."""
    extraction = extract(
        read_document(FIXTURES / f"{name}.txt"),
        Linker(COG),
        default_vocabularies(PROJECT_ROOT / "ontology"),
    )
    path = folder / f"{name}.trig"
    path.write_bytes(to_trig(candidate_quads(extraction)))
    return path


def review_settings(store: Path, tmp: Path, token: str | None = TOKEN) -> Settings:
    """Settings of a review server on ``store`` (one query worker)."""
    return Settings(
        store=store,
        quarantine_dir=tmp / "quarantine",
        dumps_dir=tmp / "dumps",
        query_workers=1,
        queries_dir=PROJECT_ROOT / "queries",
        update_token=token,
    )


@contextmanager
def review_server(tmp: Path, trig: Path, token: str | None = TOKEN) -> Iterator[LiveServer]:
    """A live server (it opens the store itself, writable) on the project's files plus ``trig``."""
    path = build_project_store(tmp / "store", trig)
    with LiveServer(create_app(review_settings(path, tmp, token)), free_port()) as live:
        yield live


def bearer(token: str = TOKEN) -> dict[str, str]:
    """The header a program sends to review."""
    return {"Authorization": f"Bearer {token}"}


def form_rows(decided: Mapping[str, str]) -> dict[str, str]:
    """The review page's form fields for ``decided`` (candidate IRI -> accept / reject)."""
    fields: dict[str, str] = {}
    for n, (iri, decision) in enumerate(decided.items(), start=1):
        fields[f"candidate-{n}"] = iri
        fields[f"decision-{n}"] = decision
    return fields


def ask(client: httpx.Client, query: str) -> bool:
    """A SPARQL ASK through the server's /sparql (the default graph is the merge of data graphs)."""
    answer = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    flag: bool = answer.json()["boolean"]
    return flag


def all_quads(path: Path) -> set[ox.Quad]:
    """Every quad of the closed store at ``path``."""
    store = open_store(path, read_only=True)
    try:
        return set(store.quads_for_pattern(None, None, None, None))
    finally:
        del store
