"""Every notebook of notebooks/ runs headless (nbclient) against a built store, so none can rot.

The kernel gets ``KG_STORE`` pointing at the session's on-disk project store; the notebooks read it
through :class:`kg.settings.Settings` and open the store read-only. The files in git keep no output.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kg.settings import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_at_least_three_notebooks() -> None:
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_outputs_are_cleared(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name}: clear outputs"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, project_store_path: Path, tmp_path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    env = {
        **os.environ,
        "KG_STORE": str(project_store_path),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    client.execute(env=env)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert str(project_store_path) in text  # the store the test chose, not the default one
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the figures were drawn
