"""The model of a resource page: title in the reader's language, types, a table of properties with
labels and footnoted sources, incoming links grouped by property, and what each kind of resource
needs in front (agreements: parties, signatories, sectors; collectivities: partners and agreements;
people: roles over time; events: sub-events in date order)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox

from kg.queries import QueryLibrary
from kg.web.lod import vocab as v
from kg.web.lod.dates import format_date, sort_key
from kg.web.lod.describe import Description
from kg.web.lod.disambiguation import context_of
from kg.web.lod.labels import pick
from kg.web.lod.links import with_lang
from kg.web.lod.objects import first as _first
from kg.web.lod.objects import literals
from kg.web.lod.values import Value, ValueMaker

#: Properties shown first, in this order, when present.
FIRST = (
    v.KGC + "agreementType", v.KGC + "party", v.KGC + "signatory", v.KGC + "sector",
    v.KGC + "signingDate", v.SCHEMA + "startDate", v.SCHEMA + "endDate", v.KGC + "status",
    v.KGC + "collectivityType", v.KGC + "country", v.KGC + "eventType",
)  # fmt: skip
#: Agreements shown on one page of a resource's partners table (``?partners=N`` pages the rest).
PARTNERS_PAGE = 200
#: Shown elsewhere on the page (title, type line, "same as" box).
HIDDEN = {v.TYPE.value, v.SAME_AS.value, v.LABEL.value, v.PREF_LABEL.value}


@dataclass
class Row:
    """A property and its values."""

    property: Value
    values: list[Value]


@dataclass
class SourceView:
    """A numbered source: its graph and the document or dataset it holds."""

    number: int
    graph: Value
    title: str | None
    date: str | None
    document: Value | None
    #: For a candidate graph, the local name of the resource's review status there
    #: (``candidate``, ``manually-curated``, ``rejected``); ``None`` for any other graph.
    curation: str | None = None


@dataclass(frozen=True)
class Pager:
    """Where one page of a long list stands: rows ``first`` to ``last`` of ``total``, page ``page`` of
    ``pages``, and the address of any page (so nothing is cut without saying so)."""

    first: int
    last: int
    total: int
    page: int
    pages: int
    href: Callable[[int], str]


@dataclass
class Table:
    """A headed table shown in front of the property table (partners, roles, sub-events)."""

    title: str
    columns: list[str]
    rows: list[list[list[Value]]]  # rows of cells, each cell a list of values
    pager: Pager | None = None


@dataclass
class ResourcePage:
    """Everything ``resource.html`` shows."""

    iri: str
    title: str
    other_labels: list[Value]
    types: list[Value]
    summary: str | None
    tables: list[Table]
    rows: list[Row]
    incoming: list[Row]
    incoming_more: str | None
    incoming_shown: int
    incoming_total: int
    sources: list[SourceView]
    same_as: list[Value]
    extra: dict[str, object] = field(default_factory=dict)


def capfirst(text: str) -> str:
    """``text`` with its first letter upper-case ("agreement" -> "Agreement")."""
    return text[:1].upper() + text[1:]


def t(lang: str, fr: str, en: str) -> str:
    """The French or English text."""
    return fr if lang == "fr" else en


def build_page(
    store: ox.Store,
    desc: Description,
    maker: ValueMaker,
    more_href: str | None,
    queries: QueryLibrary,
    partners_page: int = 1,
    partners_href: Callable[[int], str] | None = None,
) -> ResourcePage:
    """The page model of ``desc`` for the language and base of ``maker``; the partners table shows
    page ``partners_page`` (links made by ``partners_href``)."""
    lang = maker.lang
    numbers = {graph: i for i, graph in enumerate(desc.sources, start=1)}
    node = ox.NamedNode(desc.iri)
    label_lits = [
        q.object
        for q in desc.own
        if q.predicate in v.LABEL_PROPERTIES and isinstance(q.object, ox.Literal)
    ]
    title = capfirst(maker.labeller(desc.iri))
    others = [
        maker.literal(lit) for lit in dict.fromkeys(label_lits) if capfirst(lit.value) != title
    ]
    types = [  # one badge per type, however many graphs state it
        maker.iri(iri)
        for iri in dict.fromkeys(
            q.object.value
            for q in desc.own
            if q.predicate == v.TYPE and isinstance(q.object, ox.NamedNode)
        )
    ]
    summary = pick(
        [
            q.object
            for q in desc.own
            if q.predicate in (v.DEFINITION, v.COMMENT, v.DESCRIPTION)
            and isinstance(q.object, ox.Literal)
        ],
        lang,
    )
    grouped: dict[str, dict[str, Value]] = {}
    for quad in desc.own:
        if quad.predicate.value in HIDDEN:
            continue
        values = grouped.setdefault(quad.predicate.value, {})
        key = str(quad.object)
        if key not in values:
            values[key] = maker.term(quad.object)
        if isinstance(quad.graph_name, ox.NamedNode):
            number = numbers.get(quad.graph_name.value)
            if number and number not in values[key].sources:
                values[key].sources.append(number)
    order = {p: i for i, p in enumerate(FIRST)}
    rows = [
        Row(maker.iri(p), sorted(vals.values(), key=lambda val: val.text.casefold()))
        for p, vals in sorted(
            grouped.items(),
            key=lambda item: (order.get(item[0], len(order)), maker.labeller(item[0])),
        )
    ]
    incoming: dict[str, dict[str, Value]] = {}
    for quad in desc.incoming:
        subject = quad.subject
        if isinstance(subject, ox.NamedNode):
            incoming.setdefault(quad.predicate.value, {})[subject.value] = maker.iri(subject.value)
    incoming_rows = [
        Row(maker.iri(p), sorted(vals.values(), key=lambda val: val.text.casefold()))
        for p, vals in sorted(incoming.items(), key=lambda item: maker.labeller(item[0]))
    ]
    curation = {
        q.graph_name.value: q.object.value.rsplit("/", 1)[-1]
        for q in desc.own
        if q.predicate == v.CURATION_STATUS
        and isinstance(q.graph_name, ox.NamedNode)
        and isinstance(q.object, ox.NamedNode)
    }
    sources = [
        SourceView(
            numbers[g],
            maker.iri(g),
            pick(src.title, lang),
            format_date(src.date.value, lang) if src.date else None,
            maker.iri(src.document) if src.document else None,
            curation.get(g),
        )
        for g, src in desc.sources.items()
    ]
    same_as = [
        maker.term(o) for o in dict.fromkeys(q.object for q in desc.own if q.predicate == v.SAME_AS)
    ]
    type_iris = {
        q.object for q in desc.own if q.predicate == v.TYPE and isinstance(q.object, ox.NamedNode)
    }
    return ResourcePage(
        iri=desc.iri,
        title=title,
        other_labels=others,
        types=types,
        summary=summary,
        tables=special_tables(
            store, node, type_iris, desc, maker, queries, partners_page, partners_href
        ),
        rows=rows,
        incoming=incoming_rows,
        incoming_more=more_href if desc.incoming_more else None,
        incoming_shown=desc.incoming_shown,
        incoming_total=desc.incoming_count,
        sources=sources,
        same_as=same_as,
    )


def special_tables(
    store: ox.Store,
    node: ox.NamedNode,
    types: set[ox.NamedNode],
    desc: Description,
    maker: ValueMaker,
    queries: QueryLibrary,
    partners_page: int = 1,
    partners_href: Callable[[int], str] | None = None,
) -> list[Table]:
    """The tables a kind of resource shows first."""
    tables: list[Table] = []
    lang = maker.lang
    if v.AGREEMENT in types or v.PARTNERSHIP in types:
        cells = [  # each value once, however many graphs state it
            [
                maker.term(o)
                for o in dict.fromkeys(q.object for q in desc.own if q.predicate == prop)
            ]
            for prop in (v.PARTY, v.SIGNATORY, v.SECTOR)
        ]
        if any(cells):
            tables.append(
                Table(
                    t(lang, "En bref", "At a glance"),
                    [
                        t(lang, "Parties", "Parties"),
                        t(lang, "Signataires", "Signatories"),
                        t(lang, "Secteurs", "Sectors"),
                    ],
                    [cells],
                )
            )
    partners = partners_table(store, queries, node, maker, partners_page, partners_href)
    if partners is not None:
        tables.append(partners)
    if any(q.predicate == v.ORG_MEMBER for q in desc.incoming):
        tables.append(roles_table(store, desc, maker))
    subs = {
        q.object.value
        for q in desc.own
        if q.predicate == v.SUB_EVENT and isinstance(q.object, ox.NamedNode)
    }
    subs |= {
        q.subject.value
        for q in desc.incoming
        if q.predicate == v.SUPER_EVENT and isinstance(q.subject, ox.NamedNode)
    }
    if subs:
        tables.append(sub_events_table(store, subs, maker))
    return tables


def _date_of(store: ox.Store, subject: str, *props: ox.NamedNode) -> ox.Literal | None:
    for prop in props:
        value = _first(store, subject, prop)
        if isinstance(value, ox.Literal):
            return value
    return None


def placed(
    store: ox.Store, maker: ValueMaker, iri: str, notes: dict[str, str] | None = None
) -> Value:
    """``iri`` as a value noted with its kind and place, so homonymous partners differ; ``notes``
    keeps the notes already read for one page (a partner of several agreements is read once)."""
    value = maker.iri(iri)
    if notes is None:
        notes = {}
    if iri not in notes:
        notes[iri] = context_of(store, iri, maker.labeller, maker.labeller).text
    value.note = notes[iri]
    return value


def partners_count(store: ox.Store, queries: QueryLibrary, node: ox.NamedNode) -> int:
    """Distinct agreements naming ``node`` as a party (one aggregate, ``lod-partners-count``)."""
    for row in queries.run(store, "lod-partners-count", resource=node.value):
        return int(row["n"].value)
    return 0


def partners_table(
    store: ox.Store,
    queries: QueryLibrary,
    node: ox.NamedNode,
    maker: ValueMaker,
    page: int = 1,
    href: Callable[[int], str] | None = None,
) -> Table | None:
    """Agreements and partnerships the resource is a party to, with the other parties, by date
    (unknown dates last): page ``page`` of ``PARTNERS_PAGE`` rows, every agreement counted, none
    dropped (``None`` when there is none). Read from the merged default graph, so an agreement
    stated by two sources is one row and each partner is listed once."""
    lang = maker.lang
    total = partners_count(store, queries, node)
    if total == 0:
        return None
    pages = -(-total // PARTNERS_PAGE)
    page = min(max(page, 1), pages)
    start = (page - 1) * PARTNERS_PAGE
    found = queries.run(store, "lod-partners", resource=node.value)
    rows: list[list[list[Value]]] = []
    notes: dict[str, str] = {}
    for row in islice(found, start, start + PARTNERS_PAGE):
        subject = row["agreement"]
        if not isinstance(subject, ox.NamedNode):
            continue
        partners = [
            placed(store, maker, q.object.value, notes)
            for q in store.quads_for_pattern(subject, v.PARTY, None, ox.DefaultGraph())
            if isinstance(q.object, ox.NamedNode) and q.object != node
        ]
        kind = row["kind"]
        when = _date_of(store, subject.value, v.SIGNING_DATE, v.START_DATE)
        rows.append(
            [
                [maker.iri(subject.value)],
                [maker.iri(kind.value)] if isinstance(kind, ox.NamedNode) else [],
                sorted(partners, key=lambda val: val.text.casefold()),
                [maker.literal(when)] if when else [],
            ]
        )
    pager = Pager(
        start + 1, start + len(rows), total, page, pages, href or (lambda n: f"?partners={n}")
    )
    return Table(
        t(lang, "Partenaires et accords", "Partners and agreements"),
        [
            t(lang, "Accord ou partenariat", "Agreement or partnership"),
            "Type",
            t(lang, "Partenaires", "Partners"),
            "Date",
        ],
        rows,
        pager,
    )


def roles_table(store: ox.Store, desc: Description, maker: ValueMaker) -> Table:
    """Roles of a person over time, from the memberships naming them."""
    lang = maker.lang
    rows: list[tuple[str, list[list[Value]]]] = []
    for subject in dict.fromkeys(
        q.subject.value
        for q in desc.incoming
        if q.predicate == v.ORG_MEMBER and isinstance(q.subject, ox.NamedNode)
    ):
        organisation = _first(store, subject, v.ORG_ORGANIZATION)
        role = _first(store, subject, v.ORG_ROLE)
        role_label = pick(literals(store, subject, v.ROLE_LABEL), lang)
        start = _date_of(store, subject, v.START_DATE, v.ATTESTED_DATE)
        end = _date_of(store, subject, v.END_DATE)
        when = maker.literal(start).text if start else ""
        if end:
            when = f"{when} \u2013 {maker.literal(end).text}"
        rows.append(
            (
                sort_key(start.value if start else None),
                [
                    [Value(when, *maker.href(subject))],
                    [maker.iri(role.value)] if isinstance(role, ox.NamedNode) else [],
                    [Value(role_label)] if role_label else [],
                    [maker.iri(organisation.value)]
                    if isinstance(organisation, ox.NamedNode)
                    else [],
                ],
            )
        )
    rows.sort(key=lambda r: r[0])
    return Table(
        t(lang, "Fonctions au fil du temps", "Roles over time"),
        [
            "Date",
            t(lang, "Fonction", "Role"),
            t(lang, "Intitulé", "Title"),
            t(lang, "Organisation", "Organisation"),
        ],
        [r[1] for r in rows],
    )


def sub_events_table(store: ox.Store, subs: set[str], maker: ValueMaker) -> Table:
    """Sub-events in date order, with their place."""
    lang = maker.lang
    rows: list[tuple[str, str, list[list[Value]]]] = []
    for sub in subs:
        start = _date_of(store, sub, v.START_DATE)
        place = _first(store, sub, v.n(v.SCHEMA + "location"))
        rows.append(
            (
                sort_key(start.value if start else None),
                maker.labeller(sub),
                [
                    [maker.literal(start)] if start else [],
                    [maker.iri(sub)],
                    [maker.iri(place.value)] if isinstance(place, ox.NamedNode) else [],
                ],
            )
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    return Table(
        t(lang, "Sous-événements", "Sub-events"),
        ["Date", t(lang, "Événement", "Event"), t(lang, "Lieu", "Place")],
        [r[2] for r in rows],
    )


def page_links(path: str, lang_param: str | None) -> dict[str, str]:
    """Download links of every format for a resource served at ``path``."""
    return {
        ext: with_lang(f"{path}.{ext}", None)
        for ext in ("ttl", "nt", "jsonld", "rdf", "trig", "nq")
    }
