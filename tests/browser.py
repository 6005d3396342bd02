"""The one place the browser tests find and launch Chromium.

Chromium is ``KG_CHROMIUM`` when set, else the first of ``chromium``, ``chromium-browser``,
``google-chrome`` on ``PATH``. Without one the browser tests are skipped with that reason, unless
``CI`` is set or ``KG_REQUIRE_BROWSER=1``: then they fail, so CI cannot pass without them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from server_helpers import CHROMIUM_ARGS

NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> Path | None:
    """Path of the Chromium executable to drive, or None when there is none."""
    configured = os.environ.get("KG_CHROMIUM")
    if configured:
        path = Path(configured)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def browser_required() -> bool:
    """True when a missing Chromium must fail the tests rather than skip them."""
    return bool(os.environ.get("CI")) or os.environ.get("KG_REQUIRE_BROWSER") == "1"


def chromium_or_skip() -> Path:
    """The Chromium executable; skips (or fails, when required) with a one-line reason if absent."""
    path = find_chromium()
    if path is None:
        reason = "no Chromium found (set KG_CHROMIUM or put chromium on PATH)"
        if browser_required():
            pytest.fail(f"{reason}, and CI or KG_REQUIRE_BROWSER=1 requires the browser tests")
        pytest.skip(reason)
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed on exit."""
    path = chromium_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
