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
import json
import logging
import os
import pickle
import socket
import struct
import subprocess
import sys
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from kg.errors import InputError, KGError
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
from kg.web.worker import QueryRequest, execute

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

    async def run(self, request: QueryRequest, timeout: float) -> QueryResult: ...

    async def close(self) -> None: ...


#: The error class a worker's ``X`` frame status stands for.
_ERRORS: dict[int, type[KGError]] = {
    400: InputError,
    403: ForbiddenError,
    502: UpstreamError,
    507: QueryMemoryError,
}


def _raise_error(payload: bytes) -> None:
    error = json.loads(payload)
    if "syntax" in error:  # worded by the caller, who has the user's text (sparql.messages)
        raise QuerySyntaxError(error["message"], error["syntax"])
    raise _ERRORS.get(int(error["status"]), WorkerFailedError)(error["message"])


class _Worker:
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
        self.reader, self.writer = await asyncio.open_unix_connection(sock=self.socket)

    async def send(self, request: QueryRequest) -> None:
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
    """

    #: A query running longer than this is not short: requests waiting behind it get a new worker.
    STUCK = 0.25

    def __init__(
        self,
        store_path: Path,
        size: int = 2,
        limit: int | None = None,
        isolate: bool = True,
        memory: int = 0,
    ) -> None:
        self.store_path = store_path
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
        """Start ``size`` workers; returns when they are ready to take requests."""
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self) -> None:
        self._starting += 1
        try:
            worker = await asyncio.to_thread(
                _Worker, self.store_path, self.generation, self.isolate, self.memory
            )
            await worker.connect()
        finally:
            self._starting -= 1
        if self._closed:
            await worker.stop()
            return
        self._workers.add(worker)
        self._idle.put_nowait(worker)

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _release(self, worker: _Worker) -> None:
        worker.busy_since = None
        if len(self._workers) > self.size and not self._idle.empty():  # an extra, now idle
            self._workers.discard(worker)
            self._background(worker.stop())
            return
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and, if fewer than ``size`` remain, start another in the background."""
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

    async def _acquire(self, deadline: float, timeout: float) -> _Worker:
        loop = asyncio.get_running_loop()
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise ServerBusyError(
                    f"all {len(self._workers)} query workers stayed busy for {timeout:g} s; "
                    "try again later"
                )
            try:
                worker = await asyncio.wait_for(self._idle.get(), min(remaining, self._wake()))
            except TimeoutError:
                self._grow_if_stuck(loop.time())
                continue
            worker.busy_since = loop.time()
            return worker

    async def run(self, request: QueryRequest, timeout: float) -> QueryResult:
        """Run ``request``; raise 504 if it overruns ``timeout``, 503 if no worker frees up."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        worker = await self._acquire(deadline, timeout)
        request = QueryRequest(**{**request.__dict__, "generation": self.generation})
        try:
            await worker.send(request)
            kind, payload = await asyncio.wait_for(worker.read(), deadline - loop.time())
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
        workers = list(self._workers)
        self._workers.clear()
        await asyncio.gather(*(w.stop() for w in workers))


class InProcessExecutor:
    """Runs queries on an in-memory store in a thread (no hard stop: the thread runs on)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.generation = 0

    async def run(self, request: QueryRequest, timeout: float) -> QueryResult:
        frames: list[tuple[bytes, bytes]] = []
        work = asyncio.to_thread(execute, self.store, request, lambda k, d: frames.append((k, d)))
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
        )
        await pool.start()
        return pool
    return InProcessExecutor(store)
