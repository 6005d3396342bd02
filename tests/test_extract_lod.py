"""A resource stated by a candidate graph is labelled "candidate — not reviewed" on its linked-data
page (real uvicorn server, real store), and a reviewed source is not."""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.extract.document import read_document
from kg.extract.graph import candidate_quads
from kg.extract.link import COG_FOLDER, Linker
from kg.extract.pipeline import default_vocabularies, extract
from kg.extract.store import replace_candidates
from kg.settings import PROJECT_ROOT, Settings
from kg.store import open_store
from kg.web.app import create_app
from server_helpers import LiveServer, bulk_load_project, free_port

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "extract"
COG = PROJECT_ROOT / "tests" / "fixtures" / "reference" / COG_FOLDER
LABELS = ("candidate — not reviewed", "candidat — non relu")


def test_candidate_sources_are_labelled_on_pages(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = open_store(path)
    bulk_load_project(store)
    extraction = extract(
        read_document(FIXTURES / "dijon-ceremony.txt"),
        Linker(COG),
        default_vocabularies(PROJECT_ROOT / "ontology"),
    )
    replace_candidates(store, extraction.document.candidate_graph, candidate_quads(extraction))
    store.flush()
    del store
    served = ox.Store.read_only(str(path))
    settings = Settings(
        store=path, quarantine_dir=tmp_path / "q", dumps_dir=tmp_path / "dumps", query_workers=1
    )
    with (
        LiveServer(create_app(settings, store=served), free_port()) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        page = client.get(
            "/id/agreement/dijon-21231-cluj-napoca-ro-2024", headers={"Accept": "text/html"}
        )
        assert page.status_code == 200, page.text[:300]
        assert any(label in page.text for label in LABELS)
        # A resource only stated by reviewed data has no such label.
        seeded = client.get("/id/collectivity/ile-de-france", headers={"Accept": "text/html"})
        assert seeded.status_code == 200
        assert not any(label in seeded.text for label in LABELS)
