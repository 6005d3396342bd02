"""`pip install` of the built wheel (not editable) into a fresh venv gives a working `kg`: build,
query, and serve answering ``/healthz``.

The wheel is built with pip's build isolation (it fetches setuptools, as ``make`` does). The venv reuses the running interpreter's third-party packages through a ``.pth`` line (no network);
``kg`` itself comes only from the wheel, which the test checks. The installed package finds the
ontology, queries and data through its settings (``KG_PROJECT_ROOT`` and the ``KG_*_DIR`` paths).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from cli_helpers import installed_kg, run_kg, start_kg, wait_until_serving
from kg.settings import PROJECT_ROOT
from server_helpers import free_port


def _run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(
        args, env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_wheel_installs_and_kg_builds_queries_and_serves(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_") and k != "PYTHONPATH"}
    dist = str(tmp_path / "dist")
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, str(PROJECT_ROOT)],
        env,
        tmp_path,
    )
    wheel = next((tmp_path / "dist").glob("kg-*.whl"))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], env, tmp_path)
    python, kg = venv / "bin" / "python", installed_kg(venv)
    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        env,
        tmp_path,
    )
    (Path(site.strip()) / "deps-of-the-test-runner.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", "utf-8"
    )
    _run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        env,
        tmp_path,
    )
    where = _run([str(python), "-c", "import kg; print(kg.__file__)"], env, tmp_path)
    assert where.startswith(str(venv)), where  # the wheel's copy, not the checkout

    settings = {
        "KG_PROJECT_ROOT": str(PROJECT_ROOT),
        "KG_DATA_DIR": str(PROJECT_ROOT / "data"),
        "KG_ONTOLOGY_DIR": str(PROJECT_ROOT / "ontology"),
        "KG_QUERIES_DIR": str(PROJECT_ROOT / "queries"),
        "KG_STORE": str(tmp_path / "store"),
        "KG_QUARANTINE_DIR": str(tmp_path / "quarantine"),
    }
    for args in (["build"], ["query", "endpoint-class-counts"]):
        done = run_kg(*args, env=settings, cwd=tmp_path, timeout=600, kg=kg)
        assert done.returncode == 0, f"kg {args}: {done.stdout}\n{done.stderr}"
    assert "Collectivity" in done.stdout
    port = free_port()
    server = start_kg("serve", "--port", str(port), env=settings, cwd=tmp_path, kg=kg)
    try:
        response = wait_until_serving(server, port, within=120)
        assert response.status_code == 200
        assert response.json()
    finally:
        server.terminate()
        server.wait(timeout=30)
