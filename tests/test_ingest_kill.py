"""All or nothing, proved the hard way: SIGKILL a real `kg load` while it writes, then reopen."""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

import pytest

from cli_helpers import start_kg
from ingest_helpers import PROJECT, kg, kg_env, snapshot, synthetic
from kg.store import open_store


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("preloaded", [False, True], ids=["new-graph", "replaced-graph"])
def test_sigkill_mid_load_leaves_the_store_openable_and_without_the_batch(
    tmp_path: Path, preloaded: bool
) -> None:
    # No shapes here, so that the run reaches its write phase quickly; the write is what is killed.
    ontology = tmp_path / "ontology"
    ontology.mkdir()
    shutil.copy(PROJECT / "ontology" / "kgci.ttl", ontology / "kgci.ttl")
    (ontology / "shapes.ttl").write_text("# no shapes in this test\n", encoding="utf-8")
    env = kg_env(tmp_path)
    env["KG_ONTOLOGY_DIR"] = str(ontology)
    gen = synthetic()
    big = gen.generate(150_000, tmp_path / "big.nq", seed=42)
    if preloaded:  # the same graph already holds older content: a replace, not an insert
        small = gen.generate(2_000, tmp_path / "small.nq", seed=7)
        assert kg(env, "load", str(small)).returncode == 0
    store = open_store(tmp_path / "store")
    before = snapshot(store)
    del store

    proc = start_kg("load", big, env=env, text=True)
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("writing"):
            break
    else:
        pytest.fail(f"the loader never reached its write phase: {''.join(lines)}")
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL, "the load finished before it could be killed"

    store = open_store(tmp_path / "store")  # openable read-write: no stale lock, no corruption
    assert snapshot(store) == before
    del store
    if not preloaded:  # and the same load, not interrupted, then goes through
        done = kg(env, "load", str(big), "--no-progress", timeout=240)
        assert done.returncode == 0, done.stderr
        assert "loaded 150" in done.stdout
