"""How many query workers the machine warrants: one per CPU this process may run on (at least 2, so
that one long query never holds everyone up), room to grow to three per CPU for stuck ones, and a
quick lane of one per CPU for queries that promise to be short (:mod:`kg.web.worker_lanes`)."""

from __future__ import annotations

import os


def cpus() -> int:
    """The CPUs this process may use (its affinity mask, which a container or taskset narrows)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def base_workers(configured: int) -> int:
    """``KG_QUERY_WORKERS``, or (0, the default) one worker per CPU, at least 2."""
    return configured if configured > 0 else max(2, cpus())


def max_workers(configured: int, base: int) -> int:
    """``KG_QUERY_WORKERS_MAX``, or (0, the default) three per CPU; never below ``base``."""
    return max(base, configured if configured > 0 else max(base + 1, 3 * cpus()))


def quick_workers(configured: int) -> int:
    """Workers of the quick lane: one per CPU (with ``KG_QUERY_WORKERS`` set, half that many, at
    least one), so that short queries never queue behind long ones in the general lane."""
    return max(1, cpus()) if configured <= 0 else max(1, configured // 2)
