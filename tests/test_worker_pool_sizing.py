"""The query pool is sized from the machine unless configured: a real server with the defaults
starts one worker per CPU (at least 2), and the growth limit is never below the base."""

from __future__ import annotations

import os
from pathlib import Path

from endpoint_helpers import build_store, endpoint_settings
from kg.settings import Settings
from kg.web import pool_size
from kg.web.app import create_app
from server_helpers import LiveServer, free_port


def test_the_defaults_mean_from_the_machine() -> None:
    assert Settings().query_workers == 0 and Settings().query_workers_max == 0
    assert pool_size.cpus() == len(os.sched_getaffinity(0))
    assert pool_size.base_workers(0) == max(2, pool_size.cpus())
    assert pool_size.base_workers(5) == 5
    assert pool_size.max_workers(0, 2) == max(3, 3 * pool_size.cpus())
    assert pool_size.max_workers(1, 4) == 4  # never below the base


def test_a_server_with_the_defaults_starts_one_worker_per_cpu(tmp_path: Path) -> None:
    settings = endpoint_settings(
        build_store(tmp_path / "store", filler=0), tmp_path, query_workers=0, query_workers_max=0
    )
    with LiveServer(create_app(settings), free_port()) as live:
        pool = live.server.config.app.state.executor  # type: ignore[attr-defined]
        assert pool.running == max(2, pool_size.cpus())
        assert pool.limit == pool_size.max_workers(0, pool.size)
