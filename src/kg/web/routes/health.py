"""``/healthz``: is the store reachable, how many quads it holds, how many query workers run."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from kg.web.deps import StoreDep

router = APIRouter()


@router.get("/healthz", tags=["service"])
async def healthz(request: Request, store: StoreDep) -> dict[str, Any]:
    """Store reachability and size; used by probes and by `make serve` users."""
    executor = request.app.state.executor
    return {
        "status": "ok",
        "triples": len(store),
        "query_workers": getattr(executor, "running", 0),
        "generation": executor.generation,
    }
