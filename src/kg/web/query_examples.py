"""The example list of the query page: the user-facing named queries (the competency questions
``cq-*`` and the endpoint's ``endpoint-*``), grouped by topic, each made runnable as it stands by
binding its parameters to the example value its header gives (``e.g. <iri>``) with a ``VALUES``
clause. The internal queries (``lod-*``, ``network-*``, ``ingest-*``, ``import-*``, ``reconcile-*``)
serve the site and the CLI and are not offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.queries import NamedQuery, QueryLibrary

#: Name prefixes of the queries a person is offered.
USER_FACING = ("cq-", "endpoint-")
#: The first example: a real question (who is Dijon twinned with?), not the model's bookkeeping.
FIRST = "endpoint-partners"

#: Topic -> the queries under it, in the order shown; a user-facing query not listed goes to "Other".
TOPICS: dict[str, tuple[str, ...]] = {
    "Partnerships and agreements": (
        "endpoint-partners",
        "cq-partnerships-of-collectivity",
        "cq-foreign-agreements-of-collectivity",
        "cq-agreements-by-type",
        "cq-agreements-signed-in-year",
        "cq-agreement-continuity",
        "cq-agreements-initiated-by",
        "cq-formalised-partnerships",
        "cq-signatories-of-agreement",
        "cq-signing-ceremony-attendees",
    ),
    "Collectivities, places and organisations": (
        "cq-collectivities-of-country",
        "cq-clusters-and-member-counts",
        "cq-people-of-organisation",
        "cq-foreign-investors",
        "cq-foreign-research-partners",
        "cq-uses-of-programme",
    ),
    "People and events": (
        "cq-mayors-by-date",
        "cq-roles-of-person",
        "cq-events-of-person",
        "cq-events-in-country",
        "cq-dated-sub-events",
        "cq-parallel-sessions",
        "cq-speakers-of-event",
        "cq-organisations-at-event",
        "cq-delegation-members-with-roles",
    ),
    "Facts, figures and sources": (
        "cq-figures-of-subject",
        "cq-figures-of-document",
        "cq-figures-with-qualifier",
        "cq-facts-of-document",
        "cq-sectors-of-fact",
        "cq-sources-of-fact",
        "cq-source-documents",
    ),
    "The whole graph": ("endpoint-class-counts", "endpoint-label-search"),
}
OTHER = "Other questions"

_EXAMPLE = re.compile(r"e\.g\.\s+(\S+?)[\s,;)]*$|e\.g\.\s+(\S+?)[,;)]?\s")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    """One entry of the list: the query's name, title, description, topic and runnable text."""

    name: str
    title: str
    description: str
    topic: str
    text: str


def example_value(description: str) -> str | None:
    """The value a parameter's description gives as an example (``e.g. https://...``), if any.

    >>> example_value("the collectivity, e.g. https://w3id.org/kgci/id/collectivity/dijon-21231")
    'https://w3id.org/kgci/id/collectivity/dijon-21231'
    >>> example_value("a year") is None
    True
    """
    found = _EXAMPLE.search(description + " ")
    if not found:
        return None
    return (found.group(1) or found.group(2) or "").rstrip(".,;)") or None


def runnable(query: NamedQuery) -> str:
    """The query's text with each parameter that has an example bound by ``VALUES`` at the top of
    its WHERE clause (what the API would substitute), so the example runs from the editor."""
    clauses = []
    for param in query.parameters:
        value = example_value(param.description)
        if value is None:
            continue
        try:
            term = param.to_term(value)
        except Exception:  # an example the header gives but the type refuses: leave it unbound
            continue
        clauses.append(f"VALUES ?{param.name} {{ {term} }}")
    if not clauses:
        return query.text
    match = _WHERE.search(query.text)
    if match is None:
        return query.text
    insert = "".join(f"\n  {c}  # example value: change it" for c in clauses)
    return query.text[: match.end()] + insert + query.text[match.end() :]


def topic_of(name: str) -> str:
    """The topic a query is listed under."""
    return next((topic for topic, names in TOPICS.items() if name in names), OTHER)


def examples(queries: QueryLibrary) -> list[Example]:
    """The user-facing queries as examples, the first one first, then by topic in TOPICS order."""
    order = {name: i for i, name in enumerate(n for names in TOPICS.values() for n in names)}
    chosen = [q for q in queries if q.name.startswith(USER_FACING)]
    chosen.sort(key=lambda q: (q.name != FIRST, order.get(q.name, len(order)), q.name))
    return [Example(q.name, q.title, q.description, topic_of(q.name), runnable(q)) for q in chosen]


def grouped(items: list[Example]) -> list[tuple[str, list[Example]]]:
    """The examples by topic, topics in TOPICS order (then Other)."""
    topics = [*TOPICS, OTHER]
    groups = {topic: [e for e in items if e.topic == topic] for topic in topics}
    return [(topic, groups[topic]) for topic in topics if groups[topic]]
