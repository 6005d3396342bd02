"""Streaming a query's results out of a worker: the results formats' writers come from the one
registry :mod:`kg.sparql_formats` (re-exported here for the worker); :class:`ChunkWriter` groups
their output, and ``ox.serialize``'s for graphs, into chunks."""

from __future__ import annotations

from kg.sparql_formats import Write
from kg.sparql_formats import write_boolean as write_boolean
from kg.sparql_formats import write_select as write_select


class ChunkWriter:
    """A binary file-like object handing ``write`` calls on in chunks of at least ``size`` bytes."""

    def __init__(self, sink: Write, size: int = 64 * 1024) -> None:
        self.sink = sink
        self.size = size
        self.parts: list[bytes] = []
        self.pending = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.pending += len(data)
        if self.pending >= self.size:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.parts:
            self.sink(b"".join(self.parts))
            self.parts.clear()
            self.pending = 0
