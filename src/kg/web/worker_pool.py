"""Running queries with a time limit that really stops them: a pool of worker processes.

Each worker (``python -m kg.web.worker``) is a separate process connected by a socket pair and
read with asyncio streams, so the event loop keeps serving other clients while queries run. A query
that overruns the time limit gets its worker killed (SIGKILL: the only way to stop pyoxigraph
mid-evaluation) and a fresh worker is started in the background. When the store is in memory (tests of
other parts), workers cannot share it: :class:`InProcessExecutor` runs queries in a thread instead,
with the same frames, answering 504 on time-out but unable to stop the work.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import pickle
import socket
import struct
import subprocess
import sys
from asyncio import FIRST_COMPLETED
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from kg.errors import InputError, KGError, NotFoundError
from kg.settings import Settings
from kg.web import pool_size
from kg.web.sparql.errors import (
    ForbiddenError,
    QueryMemoryError,
    QueryTimeoutError,
    ServerBusyError,
    UpstreamError,
    WorkerFailedError,
)
from kg.web.sparql.messages import QuerySyntaxError
from kg.web.worker import Job, handle
from kg.web.worker_lanes import takes_quick_lane

log = logging.getLogger("kg.web.worker")
_FRAME = struct.Struct(">cI")


@dataclass
class QueryResult:
    """A query that started answering: its header (kind, rows, truncated) and its body chunks."""

    header: dict[str, Any]
    body: AsyncIterator[bytes]


class Executor(Protocol):
    """What the routes need: run a request within a time limit."""

    generation: int

    async def run(self, request: Job, timeout: float) -> QueryResult: ...

    async def close(self) -> None: ...


#: The error class a worker's ``X`` frame status stands for.
_ERRORS: dict[int, type[KGError]] = {
    400: InputError,
    403: ForbiddenError,
    404: NotFoundError,
    502: UpstreamError,
    507: QueryMemoryError,
}


def _raise_error(payload: bytes) -> None:
    error = json.loads(payload)
    if "syntax" in error:  # worded by the caller, who has the user's text (sparql.messages)
        raise QuerySyntaxError(error["message"], error["syntax"])
    raise _ERRORS.get(int(error["status"]), WorkerFailedError)(error["message"])


class _Worker:
    #: Seconds a starting worker has to say it is ready.
    READY = 120.0

    def __init__(
        self, store_path: Path, generation: int, isolate: bool = True, memory: int = 0
    ) -> None:
        parent, child = socket.socketpair()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kg.web.worker",
                str(child.fileno()),
                str(store_path),
                str(generation),
                *(["isolate"] if isolate else []),
            ],
            pass_fds=[child.fileno()],
            stdin=subprocess.DEVNULL,
            env={**os.environ, "KG_WORKER_MEMORY": str(memory)},
        )
        child.close()
        self.socket = parent
        self.busy_since: float | None = None  # event-loop time its current request started
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        """Connect, and wait for the worker's ``R`` frame (it is ready: store open, imports done)."""
        self.reader, self.writer = await asyncio.open_unix_connection(sock=self.socket)
        kind, _ = await asyncio.wait_for(self.read(), self.READY)
        if kind != b"R":
            raise OSError(f"query worker {self.process.pid} did not start (frame {kind!r})")

    async def send(self, request: Job) -> None:
        assert self.writer is not None
        payload = pickle.dumps(request)
        self.writer.write(_FRAME.pack(b"Q", len(payload)) + payload)
        await self.writer.drain()

    async def read(self) -> tuple[bytes, bytes]:
        assert self.reader is not None
        kind, size = _FRAME.unpack(await self.reader.readexactly(_FRAME.size))
        return kind, await self.reader.readexactly(size)

    def disconnect(self) -> None:
        """Close the server's end of the socket (in the event loop's thread)."""
        if self.writer is not None:
            self.writer.close()
        else:
            self.socket.close()

    def kill(self) -> None:
        """Kill the process and reap it (blocking: run it in a thread)."""
        self.process.kill()
        self.process.wait(timeout=5)

    async def stop(self) -> None:
        self.disconnect()
        await asyncio.to_thread(self.kill)


class WorkerPool:
    """``size`` worker processes over the on-disk store at ``store_path``, growing up to ``limit``.

    When a request waits while every worker has been busy on its current query for more than
    ``STUCK`` seconds (long or pathological queries), one more worker is started, up to ``limit``,
    so that such queries do not hold everyone else up until the time limit. Busy-but-moving workers
    never trigger growth: more processes than cores only split the block cache and the CPU (the
    benchmark measured 2 workers at 0.96x the bare floor on 2 cores, 8 workers at 0.86x). Extra
    workers stop once another worker is idle; a killed worker is replaced only while fewer than
    ``size`` remain.

    Beside them, ``quick`` workers form a quick lane that only queries promising a short evaluation
    take (:func:`kg.web.worker_lanes.is_quick`: ASK, small LIMIT, no ordering or aggregates), so
    such queries never queue behind long ones; a quick query also takes an idle general worker.
    A quick-lane query still running after ``QUICK_BUDGET`` seconds was a wrong guess: its worker
    moves to the general lane (the query goes on, under the same time limit and kill) and a new
    quick worker starts in its place.
    """

    #: A query running longer than this is not short: requests waiting behind it get a new worker.
    STUCK = 0.25
    #: A quick-lane query running longer than this leaves the quick lane with its worker.
    QUICK_BUDGET = 0.5

    def __init__(
        self,
        store_path: Path,
        size: int = 2,
        limit: int | None = None,
        isolate: bool = True,
        memory: int = 0,
        quick: int = 0,
    ) -> None:
        self.store_path = store_path
        self.quick = quick  # workers of the quick lane (0: no quick lane)
        self._quick_idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._quick_workers: set[_Worker] = set()
        self._quick_starting = 0
        self.memory = memory  # RLIMIT_AS of each worker, bytes (0: none)
        self.isolate = isolate  # workers in a network namespace without interfaces
        self.size = size
        self.limit = max(size, limit or size)
        self.generation = 0
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._starting = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def running(self) -> int:
        """How many worker processes are up."""
        return len(self._workers)

    async def start(self) -> None:
        """Start ``size`` workers and the quick lane; returns when they are ready."""
        await asyncio.gather(
            *(self._spawn() for _ in range(self.size)),
            *(self._spawn(quick=True) for _ in range(self.quick)),
        )

    async def _spawn(self, quick: bool = False) -> None:
        if quick:
            self._quick_starting += 1
        else:
            self._starting += 1
        try:
            worker = await asyncio.to_thread(
                _Worker, self.store_path, self.generation, self.isolate, self.memory
            )
            try:
                await worker.connect()
            except (OSError, TimeoutError, asyncio.IncompleteReadError):
                await worker.stop()  # never leave a worker that did not start running
                raise
        finally:
            if quick:
                self._quick_starting -= 1
            else:
                self._starting -= 1
        if self._closed:
            await worker.stop()
            return
        if quick:
            self._quick_workers.add(worker)
            self._quick_idle.put_nowait(worker)
        else:
            self._workers.add(worker)
            self._idle.put_nowait(worker)

    def _respawn_quick(self) -> None:
        """Start a quick worker in the background if the quick lane is short of one."""
        if not self._closed and len(self._quick_workers) + self._quick_starting < self.quick:
            self._quick_starting += 1  # counted now, so that concurrent calls start one each

            async def spawn() -> None:
                self._quick_starting -= 1
                await self._spawn(quick=True)

            self._background(spawn())

    def _demote(self, worker: _Worker) -> None:
        """Move a quick worker whose query overran the budget to the general lane."""
        if worker in self._quick_workers:
            self._quick_workers.discard(worker)
            self._workers.add(worker)
            self._respawn_quick()

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _release(self, worker: _Worker) -> None:
        worker.busy_since = None
        if worker in self._quick_workers:
            self._quick_idle.put_nowait(worker)
            return
        if len(self._workers) > self.size and not self._idle.empty():  # an extra, now idle
            self._workers.discard(worker)
            self._background(worker.stop())
            return
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and, if fewer than ``size`` remain, start another in the background."""
        if worker in self._quick_workers:
            self._quick_workers.discard(worker)
            self._background(worker.stop())
            self._respawn_quick()
            return
        self._workers.discard(worker)

        async def replace() -> None:
            await worker.stop()
            if not self._closed and len(self._workers) + self._starting < self.size:
                await self._spawn()

        self._background(replace())

    def _grow_if_stuck(self, now: float) -> None:
        stuck = all(
            w.busy_since is not None and now - w.busy_since > self.STUCK for w in self._workers
        )
        if stuck and self._idle.empty() and len(self._workers) + self._starting < self.limit:
            self._starting += 1  # counted now so that concurrent requests do not all grow

            async def grow() -> None:
                self._starting -= 1
                await self._spawn()

            self._background(grow())

    def _wake(self) -> float:
        """Seconds until the newest busy worker has been busy ``STUCK`` seconds: the moment a waiting
        request may grow the pool (not a fixed poll, so a short query waits no longer than that)."""
        now = asyncio.get_running_loop().time()
        starts = [w.busy_since for w in self._workers if w.busy_since is not None]
        if not starts or len(starts) < len(self._workers):
            return self.STUCK
        return max(0.01, max(starts) + self.STUCK - now + 0.001)

    async def _acquire(self, deadline: float, timeout: float, quick: bool = False) -> _Worker:
        loop = asyncio.get_running_loop()
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise ServerBusyError(
                    f"all {len(self._workers)} query workers stayed busy for {timeout:g} s; "
                    "try again later"
                )
            try:
                if quick and self.quick:
                    worker = await self._first_idle(min(remaining, self._wake()))
                else:
                    worker = await asyncio.wait_for(self._idle.get(), min(remaining, self._wake()))
            except TimeoutError:
                self._grow_if_stuck(loop.time())
                continue
            worker.busy_since = loop.time()
            return worker

    async def _first_idle(self, wait: float) -> _Worker:
        """The first idle worker of either lane (quick lane first), within ``wait`` seconds."""
        for queue in (self._quick_idle, self._idle):
            with contextlib.suppress(asyncio.QueueEmpty):
                return queue.get_nowait()
        getters = {
            asyncio.ensure_future(self._quick_idle.get()): self._quick_idle,
            asyncio.ensure_future(self._idle.get()): self._idle,
        }
        try:
            await asyncio.wait(getters, timeout=wait, return_when=FIRST_COMPLETED)
        finally:
            for getter in getters:
                getter.cancel()
            await asyncio.gather(*getters, return_exceptions=True)
        # Both may have got a worker before the cancellation: keep one, give the other back.
        got = [
            (getter, queue)
            for getter, queue in getters.items()
            if not getter.cancelled() and getter.exception() is None
        ]
        if not got:
            raise TimeoutError
        for getter, queue in got[1:]:
            queue.put_nowait(getter.result())
        return got[0][0].result()

    async def run(self, request: Job, timeout: float) -> QueryResult:
        """Run ``request`` (a query or a page); raise 504 if it overruns ``timeout``, 503 if no
        worker frees up."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        quick = bool(self.quick) and takes_quick_lane(request)
        worker = await self._acquire(deadline, timeout, quick)
        request = dataclasses.replace(request, generation=self.generation)
        try:
            await worker.send(request)
            reading = asyncio.ensure_future(worker.read())
            if worker in self._quick_workers:
                budget = min(self.QUICK_BUDGET, max(0.0, deadline - loop.time()))
                await asyncio.wait({reading}, timeout=budget)
                if not reading.done():
                    self._demote(worker)  # a wrong guess: the quick lane gets a new worker
            kind, payload = await asyncio.wait_for(reading, deadline - loop.time())
        except TimeoutError:
            log.warning("query stopped after %.1f s: worker %s killed", timeout, worker.process.pid)
            self._replace(worker)
            raise QueryTimeoutError(timeout) from None
        except (OSError, asyncio.IncompleteReadError):
            self._replace(worker)
            if self.memory:  # a worker dies mid-query when an allocation hits its RLIMIT_AS
                raise QueryMemoryError(
                    f"the query needed more memory than a worker may use "
                    f"({self.memory / 1024**2:.0f} MiB, KG_QUERY_MEMORY) and was stopped; "
                    "narrow it (LIMIT, more selective patterns) and try again"
                ) from None
            raise WorkerFailedError("the query worker stopped unexpectedly; try again") from None
        if kind == b"X":
            self._release(worker)
            _raise_error(payload)
        return QueryResult(json.loads(payload), self._body(worker, deadline, timeout))

    async def _body(self, worker: _Worker, deadline: float, timeout: float) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        finished = False
        try:
            while True:
                kind, payload = await asyncio.wait_for(worker.read(), deadline - loop.time())
                if kind == b"E":
                    finished = True
                    return
                yield payload
        except TimeoutError:
            log.warning(
                "query stopped while sending its results: worker %s killed", worker.process.pid
            )
            raise QueryTimeoutError(timeout) from None
        finally:
            if finished:
                self._release(worker)
            else:  # timed out, client gone, or worker died: the worker's state is unknown
                self._replace(worker)

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._tasks):
            with contextlib.suppress(Exception):
                await task
        workers = [*self._workers, *self._quick_workers]
        self._workers.clear()
        self._quick_workers.clear()
        await asyncio.gather(*(w.stop() for w in workers))


class InProcessExecutor:
    """Runs queries on an in-memory store in a thread (no hard stop: the thread runs on)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.generation = 0

    async def run(self, request: Job, timeout: float) -> QueryResult:
        frames: list[tuple[bytes, bytes]] = []
        work = asyncio.to_thread(handle, self.store, request, lambda k, d: frames.append((k, d)))
        try:
            await asyncio.wait_for(work, timeout)
        except TimeoutError:
            raise QueryTimeoutError(timeout) from None
        if frames[0][0] == b"X":
            _raise_error(frames[0][1])

        async def body() -> AsyncIterator[bytes]:
            for kind, data in frames[1:]:
                if kind == b"D":
                    yield data

        return QueryResult(json.loads(frames[0][1]), body())

    async def close(self) -> None:
        return None


async def start_executor(settings: Settings, store: ox.Store) -> Executor:
    """A worker pool over the on-disk store, or in-process execution when the store is in memory."""
    path = settings.store
    if path is not None and (path / "CURRENT").exists():  # an on-disk (RocksDB) store
        # Workers may reach the network only when federated queries are allowed at all.
        size = pool_size.base_workers(settings.query_workers)
        pool = WorkerPool(
            path,
            size,
            pool_size.max_workers(settings.query_workers_max, size),
            isolate=settings.query_isolation and not settings.service_allowlist,
            memory=settings.query_memory,
            quick=pool_size.quick_workers(settings.query_workers),
        )
        await pool.start()
        return pool
    return InProcessExecutor(store)
