"""Query execution (and resource pages, :mod:`kg.web.lod.page_job`), in a worker process or in the
server itself.

pyoxigraph's ``Store.query`` cannot be interrupted and has no time limit, so the server runs queries in
worker processes (see :mod:`kg.web.worker_pool`) and kills one whose query overruns. A worker holds a
read-only handle on the on-disk store (a read-only handle is a snapshot taken when it is opened, so the
server sends a *generation* number with each request and the worker reopens its handle when the number
changed, i.e. after an update).

A worker says it is ready with an ``R`` frame, then answers each request with frames on its socket:
``H`` (a JSON header: result kind, rows, truncated), ``D`` (a piece of the body), ``E`` (end), or a
single ``X`` (a JSON error: status, message).
"""

from __future__ import annotations

import json
import os
import pickle
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.store import open_read_only
from kg.web.lod.page_job import PageRequest, execute_page
from kg.web.negotiation import OX_RDF_FORMATS
from kg.web.sparql.results import ChunkWriter, write_boolean, write_select

_FRAME = struct.Struct(">cI")
Send = Callable[[bytes, bytes], None]


@dataclass(frozen=True)
class QueryRequest:
    """Everything a worker needs to run one query and serialise its results."""

    text: str
    format: str  # a results format (json, xml, csv, tsv) or an RDF format name
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    substitutions: dict[str, Any] = field(default_factory=dict)  # variable name -> ox term
    prefixes: dict[str, str] = field(default_factory=dict)  # for Turtle/TriG/RDF/XML output
    declared: dict[str, str] = field(default_factory=dict)  # pre-declared for parsing (kg.prefixes)
    generation: int = 0
    base_iri: str | None = None  # relative IRIs of the query resolve against it
    federated: bool = False  # the query has an (allow-listed) SERVICE call: never retried
    spreadsheet_safe: bool = False  # CSV cells starting with = + - @ get a ' (downloads)


@dataclass
class Evaluated:
    """A query's results, fully read from the store (at most ``max_rows`` + 1 of them)."""

    kind: str  # boolean, solutions or graph
    boolean: bool = False
    variables: list[str] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)
    truncated: bool = False


def evaluate(store: ox.Store, request: QueryRequest) -> Evaluated:
    """Run the query and read its results; every store read of a request happens here."""
    options: dict[str, Any] = {"base_iri": request.base_iri, "prefixes": request.declared or None}
    # Without default-graph-uri the store's own default graph is used: the merge of the data graphs
    # as a set (kg.store.default_graph), never pyoxigraph's union mode, which counts shared triples twice.
    if request.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    if request.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    if request.substitutions:
        options["substitutions"] = {ox.Variable(k): v for k, v in request.substitutions.items()}
    result = store.query(request.text, **options)
    if isinstance(result, ox.QueryBoolean):
        return Evaluated("boolean", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        items: list[Any] = [
            [solution[v] for v in variables] for solution in islice(result, request.max_rows + 1)
        ]
        kind = "solutions"
    else:
        variables = []
        items = list(islice(result, request.max_rows + 1))
        kind = "graph"
    truncated = len(items) > request.max_rows
    del items[request.max_rows :]
    return Evaluated(kind, variables=variables, items=items, truncated=truncated)


def write(evaluated: Evaluated, request: QueryRequest, send: Send) -> None:
    """Send the header, the body in chunks, and the end frame."""
    rows = 1 if evaluated.kind == "boolean" else len(evaluated.items)
    header = {"kind": evaluated.kind, "rows": rows, "truncated": evaluated.truncated}
    send(b"H", json.dumps(header).encode())
    writer = ChunkWriter(lambda data: send(b"D", data))
    if evaluated.kind == "boolean":
        write_boolean(request.format, evaluated.boolean, writer.write)
    elif evaluated.kind == "solutions":
        write_select(
            request.format,
            evaluated.variables,
            evaluated.items,
            writer.write,
            truncated=evaluated.truncated,
            spreadsheet_safe=request.spreadsheet_safe,
        )
    else:
        fmt = OX_RDF_FORMATS[request.format]
        items = evaluated.items
        if fmt.supports_datasets:
            items = [ox.Quad(t.subject, t.predicate, t.object) for t in items]
        prefixes = (
            None if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) else request.prefixes
        )
        ox.serialize(items, cast(IO[bytes], writer), fmt, prefixes=prefixes or None)
    writer.flush()
    send(b"E", b"")


def execute(
    store: ox.Store,
    request: QueryRequest,
    send: Send,
    reopen: Callable[[], ox.Store] | None = None,
) -> ox.Store:
    """Run ``request`` and send its frames; every failure becomes an ``X`` frame.

    A read-only handle can trip over files the writer compacted away after an update; with
    ``reopen``, such a storage error reopens the handle and retries (the store handle in use is
    returned).
    """
    # A SERVICE call's failure is an OSError too: retrying would repeat the remote request.
    attempts = 3 if reopen is not None and not request.federated else 1
    for attempt in range(attempts):
        try:
            evaluated = evaluate(store, request)
            break
        except SyntaxError as exc:  # the server words it (kg.web.sparql.messages)
            _error(send, 400, f"the query is malformed: {exc}", syntax=str(exc))
            return store
        except (ValueError, TypeError) as exc:
            _error(send, 400, f"the query cannot be evaluated: {exc}")
            return store
        except (OSError, RuntimeError) as exc:
            if request.federated:  # never hand a remote answer back to the client
                _error(send, 502, "a SERVICE call of the query failed")
                return store
            if reopen is None or attempt + 1 == attempts:
                _error(send, 500, f"the query failed while reading the store: {exc}")
                return store
            del store
            store = reopen()
    write(evaluated, request, send)
    return store


def _error(send: Send, status: int, message: str, **extra: str) -> None:
    send(b"X", json.dumps({"status": status, "message": message, **extra}).encode())


#: A job a worker takes: a SPARQL query, or a resource page (built where the queries run).
Job = QueryRequest | PageRequest
#: How each kind of job is answered (same frames, same retry on a stale handle).
HANDLERS: dict[type[Any], Callable[..., ox.Store]] = {
    QueryRequest: execute,
    PageRequest: execute_page,
}


def handle(
    store: ox.Store, job: Job, send: Send, reopen: Callable[[], ox.Store] | None = None
) -> ox.Store:
    """Answer ``job`` by its kind's handler; returns the store handle in use."""
    return HANDLERS[type(job)](store, job, send, reopen)


# --- the worker process ----------------------------------------------------------------------


def send_frame(sock: socket.socket, kind: bytes, payload: bytes) -> None:
    """Write one frame (kind byte, payload length, payload) on a blocking socket."""
    sock.sendall(_FRAME.pack(kind, len(payload)) + payload)


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def worker_main(sock: socket.socket, store_path: str, generation: int) -> None:
    """Answer requests from ``sock`` until it closes (the server went away or stopped us); an
    ``R`` frame first says the worker is ready (imports done, store open), so that the pool never
    hands a query to a worker still starting."""
    store = open_read_only(store_path)
    send_frame(sock, b"R", b"")
    while True:
        head = _recv_exactly(sock, _FRAME.size)
        if head is None:
            return
        _, size = _FRAME.unpack(head)
        payload = _recv_exactly(sock, size)
        if payload is None:
            return
        request: Job = pickle.loads(payload)
        if request.generation != generation:
            del store
            store = open_read_only(store_path)
            generation = request.generation
        try:
            store = handle(
                store,
                request,
                lambda kind, data: send_frame(sock, kind, data),
                lambda: open_read_only(store_path),
            )
        except OSError:  # the server went away mid-answer
            return


CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def isolate_network() -> bool:
    """Move this process into a new network namespace with no interface (Linux only).

    Defence in depth behind the query gate: even a SERVICE call the gate missed cannot connect
    anywhere, not even to 127.0.0.1. Root may unshare the network directly; an unprivileged
    process tries a user namespace too. Returns whether the process is isolated.
    """
    unshare = getattr(os, "unshare", None)
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        try:
            if unshare is not None:
                unshare(flags)
            else:
                import ctypes

                libc = ctypes.CDLL("libc.so.6", use_errno=True)
                if libc.unshare(flags) != 0:
                    raise OSError(ctypes.get_errno(), "unshare failed")
            return True
        except (OSError, AttributeError):
            continue
    return False


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the server dies (no orphan left running a query)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the closed socket still ends the loop
        pass


if __name__ == "__main__":  # python -m kg.web.worker FD STORE GENERATION [isolate]
    import sys

    _die_with_parent()
    fd, path, gen = sys.argv[1:4]
    memory = int(os.environ.get("KG_WORKER_MEMORY", "0"))
    if memory > 0:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if sys.argv[4:5] == ["isolate"] and not isolate_network():
        print(
            "kg.web.worker: warning: cannot isolate this query worker from the network "
            "(no network namespace on this platform); the query gate is the only defence",
            file=sys.stderr,
        )
    # Run the importable module's loop, not this ``__main__`` copy's: the jobs the server pickles
    # are ``kg.web.worker`` classes, and the handler registry is keyed on them.
    import kg.web.worker as module

    module.worker_main(socket.socket(fileno=int(fd)), path, int(gen))
