"""The review page in a real headless Chromium on a real server: log in with the token (kept in an
HTTP-only cookie, never in the address), open the document's candidates, accept one and see it
accepted, on the page and in the default graph. Screenshot in tests/artifacts/review-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from browser import chromium
from review_helpers import DOCUMENT, TOKEN, ask, candidates_trig, review_server
from server_helpers import LiveServer

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with review_server(tmp_path, candidates_trig(tmp_path)) as live:
        yield live


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


def test_accept_one_candidate_in_the_browser(server: LiveServer, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(f"{server.url}/review?lang=en")
    assert "update token" in page.inner_text("#review-error")  # 403 page, with the login form
    page.fill("#review-login input[name=token]", TOKEN)
    page.click("#review-login button[type=submit]")
    page.wait_for_selector("#review-documents")
    assert TOKEN not in page.url
    (cookie,) = [c for c in context.cookies() if c["name"] == "kg_review_token"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    page.click(f"#review-documents tr[data-document={DOCUMENT}] a")
    page.wait_for_selector("#review-candidates")
    row = page.locator("tr.candidate", has_text="Agreement").first
    agreement = row.get_attribute("data-candidate")
    assert agreement and row.get_attribute("data-status") == "candidate"
    assert "candidate — not reviewed" in row.inner_text()
    row.locator("input[type=radio][value=accept]").check()
    page.fill("input[name=reviewer]", "Browser Test")
    page.click("#review-apply")
    page.wait_for_selector("#review-summary")
    assert "1 accepted" in page.inner_text("#review-summary")
    decided = page.locator(f'tr.candidate[data-candidate="{agreement}"]')
    assert decided.get_attribute("data-status") == "accepted"
    assert "accepted" in decided.locator(".status").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-accepted.png"), full_page=True)
    context.close()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert ask(client, f"ASK {{ <{agreement}> a <https://w3id.org/kgci/def/Agreement> }}")
