"""The people-organisation graph (roles from ``org:Membership``) and the event co-participation graph.

Co-participation: two participants (people or organisations, as attendee, speaker, leader or
organiser) are linked when they take part in the same event. A sub-event counts for the event it
belongs to (``schema:superEvent`` / ``schema:subEvent``, followed up to the top): people in two
workshops of one forum met at that forum. Edge ``weight`` counts the shared top-level events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
import pyoxigraph as ox

from kg.network.extract import local_name, rows, year_of
from kg.queries import QueryLibrary


@dataclass(frozen=True)
class Membership:
    """A role of a member in an organisation, with the years it is known for."""

    member: str
    member_label: str
    organisation: str
    organisation_label: str
    role: str | None
    start: int | None
    end: int | None

    def active_in(self, year: int) -> bool:
        """Whether the role may be held that year: begun (or attested) by then and not ended."""
        return (self.start is None or self.start <= year) and (self.end is None or self.end >= year)


def fetch_memberships(store: ox.Store, library: QueryLibrary) -> list[Membership]:
    """Every membership, its start being the start date, else the year it is attested."""
    found: dict[str, Membership] = {}
    for iri, member, mlabel, org, olabel, role, start, end, attested in rows(
        library, store, "network-memberships"
    ):
        if iri in found:
            continue
        found[iri] = Membership(
            member=member,
            member_label=mlabel or local_name(member),
            organisation=org,
            organisation_label=olabel or local_name(org),
            role=local_name(role) if role else None,
            start=year_of(start) or year_of(attested),
            end=year_of(end),
        )
    return list(found.values())


def people_graph(memberships: Iterable[Membership], as_of: int | None = None) -> nx.Graph:
    """Bipartite graph: members (``bipartite=0``) and organisations (``bipartite=1``); edge ``roles``
    lists the role slugs and ``weight`` counts memberships.

    >>> m = [Membership("p", "P", "o", "O", "mayor", 2020, None),
    ...      Membership("p", "P", "q", "Q", "president", 2021, None)]
    >>> g = people_graph(m)
    >>> g["p"]["o"]["roles"], g.degree("p"), g.nodes["o"]["bipartite"]
    (['mayor'], 2, 1)
    """
    graph = nx.Graph(name="people", as_of=as_of or "")
    for m in memberships:
        if as_of is not None and not m.active_in(as_of):
            continue
        graph.add_node(m.member, label=m.member_label, kind="member", bipartite=0)
        graph.add_node(m.organisation, label=m.organisation_label, kind="organisation", bipartite=1)
        if graph.has_edge(m.member, m.organisation):
            edge = graph[m.member][m.organisation]
            edge["weight"] += 1
            edge["roles"] = sorted(set(edge["roles"]) | ({m.role} if m.role else set()))
        else:
            graph.add_edge(m.member, m.organisation, weight=1, roles=[m.role] if m.role else [])
    return graph


@dataclass(frozen=True)
class Participation:
    """Someone or some organisation taking part in an event, and how."""

    event: str
    participant: str
    label: str
    how: str
    year: int | None


def fetch_participations(
    store: ox.Store, library: QueryLibrary
) -> tuple[list[Participation], dict[str, str]]:
    """Every participation, and the parent of every sub-event."""
    found: dict[tuple[str, str, str], Participation] = {}
    for event, participant, how, start, label in rows(library, store, "network-event-participants"):
        key = (event, participant, how)
        if key not in found or (label and found[key].label == local_name(participant)):
            found[key] = Participation(
                event, participant, label or local_name(participant), how, year_of(start)
            )
    parents = {event: parent for event, parent in rows(library, store, "network-event-hierarchy")}
    return list(found.values()), parents


def top_event(event: str, parents: Mapping[str, str]) -> str:
    """The top of the event's super-event chain (cycles stop where they close).

    >>> top_event("workshop", {"workshop": "session", "session": "forum"})
    'forum'
    """
    seen = {event}
    while event in parents and parents[event] not in seen:
        event = parents[event]
        seen.add(event)
    return event


def coparticipation_graph(
    participations: Iterable[Participation], parents: Mapping[str, str], as_of: int | None = None
) -> nx.Graph:
    """Participants linked when they take part in the same (top-level) event.

    >>> p = [Participation("w1", "a", "A", "speaker", 2023), Participation("w2", "b", "B", "speaker", 2023),
    ...      Participation("other", "c", "C", "attendee", 2023)]
    >>> g = coparticipation_graph(p, {"w1": "forum", "w2": "forum"})
    >>> sorted(g.edges(data="weight")), sorted(g.nodes)
    ([('a', 'b', 1)], ['a', 'b', 'c'])
    """
    graph = nx.Graph(name="events", as_of=as_of or "")
    chosen = [(top_event(p.event, parents), p) for p in participations]
    years: dict[str, int] = {}
    for top, p in chosen:  # an undated sub-event takes the date of its event
        if p.year is not None:
            years[top] = min(years.get(top, p.year), p.year)
    members: dict[str, set[str]] = defaultdict(set)
    for top, p in chosen:
        if as_of is not None and (top not in years or years[top] > as_of):
            continue
        members[top].add(p.participant)
        if p.participant not in graph:
            graph.add_node(p.participant, label=p.label, events=0)
    for event, people in members.items():
        for node in people:
            graph.nodes[node]["events"] += 1
        for u, v in combinations(sorted(people), 2):
            if graph.has_edge(u, v):
                graph[u][v]["weight"] += 1
                graph[u][v]["shared"].append(local_name(event))
            else:
                graph.add_edge(u, v, weight=1, shared=[local_name(event)])
    return graph
