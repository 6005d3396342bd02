"""Which lane of the worker pool a query takes: the quick lane for queries whose text promises a
short evaluation, the general lane for the others.

The test is on tokens only (no evaluation): an ``ASK``, or a query with a ``LIMIT`` of at most
``QUICK_LIMIT`` rows and nothing that must see every solution before the first one (``ORDER BY``,
``GROUP BY``, ``HAVING``, aggregates) nor a ``SERVICE`` call. A promise is not a proof — ``LIMIT 1``
over a cartesian product with a filter that never holds runs long — so the pool gives a quick-lane
query a short budget and moves its worker to the general lane when it overruns (see
:class:`kg.web.worker_pool.WorkerPool`): a wrong guess costs a worker of the general lane, never the
time limit or the kill.
"""

from __future__ import annotations

from kg.errors import InputError
from kg.web.lod.page_job import PageRequest
from kg.web.sparql.lexer import tokens
from kg.web.worker import Job

#: The largest ``LIMIT`` of a quick query.
QUICK_LIMIT = 1000
#: Keywords that make an evaluation read every solution before answering (or leave the store).
_SLOW = frozenset(
    {"ORDER", "GROUP", "HAVING", "COUNT", "SUM", "AVG", "MIN", "MAX", "SAMPLE", "GROUP_CONCAT"}
    | {"SERVICE"}
)


def is_quick(text: str) -> bool:
    """Whether the query ``text`` promises a short evaluation (see the module's docstring).

    >>> is_quick("ASK { ?s ?p ?o }")
    True
    >>> is_quick("SELECT ?s WHERE { ?s ?p ?o } LIMIT 50")
    True
    >>> is_quick("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 50")
    False
    >>> is_quick("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } LIMIT 1")
    False
    >>> is_quick("SELECT ?s WHERE { ?s ?p ?o }")
    False
    """
    try:
        toks = tokens(text)
    except InputError:
        return False
    words = [t.text.upper() for t in toks]
    if any(word in _SLOW for word in words):
        return False
    form = next((w for w in words if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
    if form == "ASK":
        return True
    limits = [i for i, word in enumerate(words) if word == "LIMIT"]
    if form is None or not limits or limits[-1] + 1 >= len(words):
        return False
    # Every LIMIT (sub-queries too) must be small: the outer one bounds only the last step.
    for index in limits:
        value = words[index + 1] if index + 1 < len(words) else ""
        if not value.isdigit() or int(value) > QUICK_LIMIT:
            return False
    return True


def takes_quick_lane(job: Job) -> bool:
    """Whether ``job`` may take the quick lane: a resource page (index lookups, the incoming links
    and partners cut to one page each), or a query that :func:`is_quick` and calls no service."""
    if isinstance(job, PageRequest):
        return True
    return not job.federated and is_quick(job.text)
