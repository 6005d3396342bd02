"""The ingest commands run as real subprocesses: load, validate, graphs, drop, build, and the lock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from ingest_helpers import (
    AGREEMENT,
    COLLECTIVITIES,
    FIXTURES,
    PROJECT,
    fixture_settings,
    kg,
    kg_env,
    snapshot,
)
from kg.ingest.build import is_stale, stamp_path
from kg.store import open_store
from kg.web.app import create_app
from server_helpers import LiveServer, free_port


def test_load_graphs_validate_drop(tmp_path: Path) -> None:
    env = kg_env(tmp_path)
    done = kg(env, "load", str(COLLECTIVITIES), str(AGREEMENT))
    assert done.returncode == 0, done.stderr
    assert (
        "loaded 13 triples into https://w3id.org/kgci/graph/file/data-collectivities" in done.stdout
    )
    listing = kg(env, "graphs")
    assert listing.returncode == 0, listing.stderr
    assert "graph/file/agreement" in listing.stdout and "agreement.ttl" in listing.stdout
    assert "validator: kg.validation.fast" in listing.stdout and "test-1" in listing.stdout
    ok = kg(env, "validate", str(AGREEMENT), "--report", str(tmp_path / "r.ttl"))
    assert ok.returncode == 0, ok.stderr
    assert "conforms" in ok.stdout and (tmp_path / "r.ttl").exists()
    dropped = kg(env, "drop", "https://w3id.org/kgci/graph/file/agreement")
    assert dropped.returncode == 0, dropped.stderr
    listing = kg(env, "graphs")
    assert "graph/file/agreement" not in listing.stdout
    assert "agreement.ttl" not in listing.stdout  # its load record went with it
    again = kg(env, "drop", "https://w3id.org/kgci/graph/file/agreement")
    assert again.returncode == 1 and "there is no graph" in again.stderr


def test_rejected_load_prints_rows_and_exits_non_zero(tmp_path: Path) -> None:
    env = kg_env(tmp_path)
    assert kg(env, "load", str(COLLECTIVITIES)).returncode == 0
    bad = FIXTURES / "bad" / "one-party.ttl"
    done = kg(env, "load", str(bad))
    assert done.returncode == 1
    assert "jura-39-alone" in done.stderr and "Violation" in done.stderr
    assert "error:" in done.stderr and "one-party.ttl broke the shapes" in done.stderr
    dry = kg(env, "validate", str(bad))
    assert dry.returncode == 1 and "jura-39-alone" in dry.stderr
    syntax = kg(env, "load", str(FIXTURES / "bad" / "syntax.ttl"))
    assert syntax.returncode == 1 and "line 9, column" in syntax.stderr


def test_load_fails_at_once_while_another_process_holds_the_store(tmp_path: Path) -> None:
    env = kg_env(tmp_path)
    assert kg(env, "load", str(COLLECTIVITIES)).returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, pyoxigraph as ox\n"
            f"s = ox.Store({str(tmp_path / 'store')!r})\nprint('ready', flush=True)\ntime.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        done = kg(env, "load", str(AGREEMENT), timeout=60)
        assert time.monotonic() - started < 20
        assert done.returncode == 1
        assert "is in use by another process" in done.stderr and "kg serve" in done.stderr
    finally:
        holder.kill()
        holder.wait()
    store = open_store(tmp_path / "store")
    assert not store.contains_named_graph(
        ox.NamedNode("https://w3id.org/kgci/graph/file/agreement")
    )


def test_build_into_a_fresh_store_and_if_stale(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    shutil.copy(AGREEMENT, project / "data" / "agreement.ttl")
    env = kg_env(tmp_path, project)
    settings = fixture_settings(tmp_path, project_root=project, ontology_dir=project / "ontology")
    assert is_stale(settings)
    built = kg(env, "build", "--if-stale")
    assert built.returncode == 0, built.stderr
    assert stamp_path(tmp_path / "store").exists() and not is_stale(settings)
    store = open_store(tmp_path / "store")
    graphs = {g.value for g in store.named_graphs()}
    assert {
        "https://w3id.org/kgci/graph/ontology",
        "https://w3id.org/kgci/graph/shapes",
        "https://w3id.org/kgci/graph/vocab/agreement-type",
        "https://w3id.org/kgci/graph/file/data-agreement",
        "https://w3id.org/kgci/graph/provenance",
    } <= graphs
    first = snapshot(store)
    del store
    assert "up to date" in kg(env, "build", "--if-stale").stdout
    # a newer data file makes the store stale; a bad one makes the build fail, the old store intact
    bad = project / "data" / "zz-bad.ttl"
    shutil.copy(FIXTURES / "bad" / "one-party.ttl", bad)
    future = time.time() + 10
    os.utime(bad, (future, future))
    assert is_stale(settings)
    failed = kg(env, "build", "--if-stale")
    assert failed.returncode == 1 and "zz-bad.ttl broke the shapes" in failed.stderr
    store = open_store(tmp_path / "store")
    assert snapshot(store) == first
    assert not list(tmp_path.glob(".store.*"))  # no half-built store left behind


def test_load_fails_at_once_while_the_server_holds_the_store(
    tmp_path: Path, live_server_factory: type[LiveServer]
) -> None:
    env = kg_env(tmp_path)
    assert kg(env, "load", str(COLLECTIVITIES)).returncode == 0
    app = create_app(fixture_settings(tmp_path))
    with live_server_factory(app, free_port()) as server:
        assert httpx.get(server.url + "/healthz", timeout=30).status_code == 200
        started = time.monotonic()
        done = kg(env, "load", str(AGREEMENT), timeout=60)
        assert time.monotonic() - started < 20
        assert done.returncode == 1
        assert "is in use by another process" in done.stderr
