"""Running an update on its snapshot in a child process that is killed at the time limit.

pyoxigraph cannot interrupt an evaluation in the process that started it, so the snapshot of the
graphs an update touches (:func:`kg.web.sparql.snapshot.snapshot`) goes to a fresh Python process
as N-Quads with the update's text; the child runs ``Store.update`` on an in-memory store and sends
back the whole resulting dataset as N-Quads. Past ``KG_UPDATE_TIMEOUT`` seconds the child is killed
and the client gets the project's timeout error; nothing has been written by then (the write comes
after, in the server, through ``kg load``'s pipeline), so the store is exactly as it was.

Run as ``python -m kg.web.sparql.update_eval`` it is that child: one JSON line (``text``,
``base``), then N-Quads on stdin; N-Quads on stdout, or a JSON error on stderr and exit status 2.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pyoxigraph as ox

from kg.errors import InputError
from kg.web.sparql.errors import UpdateTimeoutError

#: Exit status of the child when the update itself is wrong (its JSON error is on stderr).
BAD_UPDATE = 2


def evaluate(scratch: ox.Store, text: str, base: str | None, timeout: float) -> ox.Store:
    """The snapshot ``scratch`` after ``text``, computed in a child killed after ``timeout`` s."""
    header = json.dumps({"text": text, "base": base}).encode() + b"\n"
    payload = header + (ox.serialize(scratch, format=ox.RdfFormat.N_QUADS) or b"")
    child = subprocess.Popen(
        [sys.executable, "-m", "kg.web.sparql.update_eval"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = child.communicate(payload, timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise UpdateTimeoutError(timeout) from None
    if child.returncode == BAD_UPDATE:
        raise InputError(json.loads(err.decode("utf-8"))["message"])
    if child.returncode != 0:
        raise RuntimeError(
            f"the update's evaluation process failed (status {child.returncode}): "
            f"{err.decode('utf-8', 'replace')[-300:]}"
        )
    result = ox.Store()
    result.load(out, format=ox.RdfFormat.N_QUADS)
    return result


def _main() -> int:
    """The child: read the request, run it, answer the dataset (or the update's error)."""
    stream = sys.stdin.buffer
    request = json.loads(stream.readline())
    store = ox.Store()
    store.load(stream.read(), format=ox.RdfFormat.N_QUADS)
    try:
        store.update(request["text"], base_iri=request["base"])
    except SyntaxError as exc:
        message = f"the update is not valid SPARQL 1.1 Update: {exc}"
    except (OSError, ValueError, RuntimeError) as exc:
        message = f"the update cannot be applied: {exc}"
    else:
        sys.stdout.buffer.write(ox.serialize(store, format=ox.RdfFormat.N_QUADS) or b"")
        return 0
    sys.stderr.write(json.dumps({"message": message}))
    return BAD_UPDATE


if __name__ == "__main__":
    sys.exit(_main())
