"""The version lives in one place (``kg.__version__``): the package metadata and CITATION.cff agree."""

from __future__ import annotations

import re
import tomllib

from kg import __version__
from kg.settings import PROJECT_ROOT


def test_citation_and_package_metadata_name_the_one_version() -> None:
    citation = (PROJECT_ROOT / "CITATION.cff").read_text("utf-8")
    match = re.search(r"^version:\s*(\S+)", citation, re.MULTILINE)
    assert match and match.group(1) == __version__
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert "## Unreleased" in (PROJECT_ROOT / "CHANGELOG.md").read_text("utf-8")
