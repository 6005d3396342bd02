"""The model of a resource page: title in the reader's language, types, a table of properties with
labels and footnoted sources, incoming links grouped by property, and what each kind of resource
needs in front (agreements: parties, signatories, sectors; collectivities: partners and agreements;
people: roles over time; events: sub-events in date order)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.web.lod import vocab as v
from kg.web.lod.dates import format_date, sort_key
from kg.web.lod.describe import Description
from kg.web.lod.disambiguation import context_of
from kg.web.lod.labels import pick
from kg.web.lod.links import with_lang
from kg.web.lod.values import Value, ValueMaker

#: Properties shown first, in this order, when present.
FIRST = (
    v.KGC + "agreementType", v.KGC + "party", v.KGC + "signatory", v.KGC + "sector",
    v.KGC + "signingDate", v.SCHEMA + "startDate", v.SCHEMA + "endDate", v.KGC + "status",
    v.KGC + "collectivityType", v.KGC + "country", v.KGC + "eventType",
)  # fmt: skip
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


@dataclass
class Table:
    """A headed table shown in front of the property table (partners, roles, sub-events)."""

    title: str
    columns: list[str]
    rows: list[list[list[Value]]]  # rows of cells, each cell a list of values


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
    store: ox.Store, desc: Description, maker: ValueMaker, more_href: str | None
) -> ResourcePage:
    """The page model of ``desc`` for the language and base of ``maker``."""
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
    sources = [
        SourceView(
            numbers[g],
            maker.iri(g),
            pick(src.title, lang),
            format_date(src.date.value, lang) if src.date else None,
            maker.iri(src.document) if src.document else None,
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
        tables=special_tables(store, node, type_iris, desc, maker),
        rows=rows,
        incoming=incoming_rows,
        incoming_more=more_href if desc.incoming_more else None,
        sources=sources,
        same_as=same_as,
    )


def special_tables(
    store: ox.Store,
    node: ox.NamedNode,
    types: set[ox.NamedNode],
    desc: Description,
    maker: ValueMaker,
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
    if any(q.predicate == v.PARTY for q in desc.incoming):
        tables.append(partners_table(store, node, desc, maker))
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


def _first(store: ox.Store, subject: str, prop: ox.NamedNode) -> ox.Literal | ox.NamedNode | None:
    for quad in store.quads_for_pattern(ox.NamedNode(subject), prop, None, ox.DefaultGraph()):
        if isinstance(quad.object, ox.Literal | ox.NamedNode):
            return quad.object
    return None


def _date_of(store: ox.Store, subject: str, *props: ox.NamedNode) -> ox.Literal | None:
    for prop in props:
        value = _first(store, subject, prop)
        if isinstance(value, ox.Literal):
            return value
    return None


def placed(store: ox.Store, maker: ValueMaker, iri: str) -> Value:
    """``iri`` as a value noted with its kind and place, so homonymous partners differ."""
    value = maker.iri(iri)
    value.note = context_of(store, iri, maker.labeller, maker.labeller).text
    return value


def partners_table(
    store: ox.Store, node: ox.NamedNode, desc: Description, maker: ValueMaker
) -> Table:
    """Agreements and partnerships the resource is a party to, with the other parties, by date."""
    lang = maker.lang
    rows: list[tuple[str, list[list[Value]]]] = []
    for subject in dict.fromkeys(
        q.subject.value
        for q in desc.incoming
        if q.predicate == v.PARTY and isinstance(q.subject, ox.NamedNode)
    ):
        partners = [
            placed(store, maker, q.object.value)
            for q in store.quads_for_pattern(
                ox.NamedNode(subject), v.PARTY, None, ox.DefaultGraph()
            )
            if isinstance(q.object, ox.NamedNode) and q.object != node
        ]
        kind = _first(store, subject, v.TYPE)
        when = _date_of(store, subject, v.SIGNING_DATE, v.START_DATE)
        rows.append(
            (
                sort_key(when.value if when else None),
                [
                    [maker.iri(subject)],
                    [maker.iri(kind.value)] if isinstance(kind, ox.NamedNode) else [],
                    partners,
                    [maker.literal(when)] if when else [],
                ],
            )
        )
    rows.sort(key=lambda r: r[0])
    return Table(
        t(lang, "Partenaires et accords", "Partners and agreements"),
        [
            t(lang, "Accord ou partenariat", "Agreement or partnership"),
            "Type",
            t(lang, "Partenaires", "Partners"),
            "Date",
        ],
        [r[1] for r in rows],
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
        role_label = pick(
            [
                q.object
                for q in store.quads_for_pattern(
                    ox.NamedNode(subject), v.ROLE_LABEL, None, ox.DefaultGraph()
                )
                if isinstance(q.object, ox.Literal)
            ],
            lang,
        )
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
