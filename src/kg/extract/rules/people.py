"""People and their roles: "Prénom Nom, <fonction> de <organisation>" and "<fonction> de
<organisation>, Prénom Nom", the function being a label of the membership-role scheme (inflected:
"présidente", "vice-présidents", "adjointe à la maire"). The person is a spaCy person entity; the
organisation is the entity linked right after the function ("de la Région X", "de Dijon",
"d'Intercommunalités de France"); the role is attested on the document's date."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.model import Context, Fact, Mention, Value, extractor
from kg.iris import slugify

KGC = "https://w3id.org/kgci/def/"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
_STOP = re.compile(
    r"[;)\n]|,\s+(?=[a-zà-ÿ]|[A-ZÀ-Þ][a-zà-ÿ]+\s+[A-ZÀ-Þ])|\s+et\s+(?=[A-ZÀ-Þ][a-zà-ÿ]+\s+[A-ZÀ-Þ])"
    r"|\.(?:\s|$)"
)

_WINDOW = 160
#: A name (two to four capitalised words) opening a line, perhaps after a list dash, before a comma.
_LISTED = re.compile(
    r"^[ \t]*(?:[-\u2013\u2022*][ \t]*)?"
    r"(?P<name>[A-ZÀ-Þ][\w\u2019'-]+(?:[ ][A-ZÀ-Þ][\w\u2019'-]+){1,3})(?=,)",
    re.MULTILINE,
)


def _person(ctx: Context, name: str, start: int, end: int) -> Fact:
    iri = f"https://w3id.org/kgci/id/person/{slugify(name)}"
    props: list[tuple[str, Value]] = [
        ("http://www.w3.org/2000/01/rdf-schema#label", (name, "@fr")),
        (FOAF + "name", (name, "http://www.w3.org/2001/XMLSchema#string")),
    ]
    return Fact("entity", "person-named", iri, (FOAF + "Person",), name, start, end, 0.8, props)


@extractor("membership", "person-comma-role")
def memberships(ctx: Context) -> Iterator[Fact]:
    """A person followed by a role phrase (or a role phrase followed by a person)."""
    seen: set[str] = set()
    names = [
        (ent.start_char, ent.end_char)
        for ent in ctx.doc.ents
        if ent.label_ == "PER" and len(ent.text.split()) >= 2
    ]
    # A list of speakers or of a delegation: "- Prénom Nom, fonction ..." at the start of a line,
    # whether or not the model tagged the name as a person.
    for m in _LISTED.finditer(ctx.text):
        if not any(s < m.end("name") and m.start("name") < e for s, e in names):
            names.append((m.start("name"), m.end("name")))
    listed: dict[str, tuple[int, Mention]] = {}  # role -> (line, organisation) of list items
    for start, end in sorted(names):
        raw = ctx.text[start:end]
        start += len(raw) - len(raw.lstrip(" -\u2013\u2022*"))  # a list dash the model took in
        name = ctx.text[start:end].strip(" ,")
        if any(at == 0 for at, _, _ in ctx.vocab.find("membership-role", name)):
            continue  # "Maire de Dijon" tagged as a person: a function, not a name
        after = ctx.text[end : end + _WINDOW]
        if not after.startswith(","):
            continue
        stop = _STOP.search(after, 1)
        phrase_end = end + (stop.start() if stop else len(after))
        yield from _roles(ctx, name, start, end, end + 1, phrase_end, seen, listed)


def _list_line(ctx: Context, start: int) -> int | None:
    """The line number of a name opening a list item ("- Prénom Nom, …"), else None."""
    line_start = ctx.text.rfind("\n", 0, start) + 1
    if ctx.text[line_start:start].strip(" \t-\u2013\u2022*") or line_start == start:
        return None
    return ctx.text.count("\n", 0, start)


def _roles(
    ctx: Context,
    name: str,
    p_start: int,
    p_end: int,
    start: int,
    end: int,
    seen: set[str],
    listed: dict[str, tuple[int, Mention]],
) -> Iterator[Fact]:
    """The memberships of one person's role phrase. In a list, a function given without its
    organisation ("- Patrick Molinoz, vice-président en charge de …") is of the organisation the
    item just before gave the same function (French does not repeat it down a list)."""
    phrase = ctx.text[start:end]
    roles = ctx.vocab.find("membership-role", phrase)
    if not roles:
        return
    line = _list_line(ctx, p_start)
    person = _person(ctx, name, p_start, p_end)
    emitted = False
    for index, (r_start, r_end, term) in enumerate(roles):
        limit = roles[index + 1][0] if index + 1 < len(roles) else len(phrase)
        orgs = ctx.mentions_in(start + r_end, start + limit, ("collectivity", "organisation"))
        near = [o for o in orgs if o.start - (start + r_end) < 40]
        # "Directeur des relations internationales, Clermont-Ferrand": the employer closing a
        # speaker's line, however long the function before it
        closing = [o for o in orgs if not ctx.text[o.end : end].strip(" ,.;")]
        orgs = near or (closing if index + 1 == len(roles) else [])
        before = listed.get(term.concept)
        if not orgs and line is not None and before is not None and before[0] == line - 1:
            orgs = [before[1]]
        if not orgs:
            continue
        org = orgs[0]
        if line is not None:
            listed[term.concept] = (line, org)
        role = term.concept.rsplit("/", 1)[-1]
        subject = (
            f"https://w3id.org/kgci/id/membership/{slugify(name)}-"
            f"{org.link.iri.rsplit('/', 1)[-1]}-{role}"
        )
        if subject in seen:
            continue
        seen.add(subject)
        props: list[tuple[str, Value]] = [
            (ORG + "member", person.subject),
            (ORG + "organization", org.link.iri),
            (ORG + "role", term.concept),
            (KGC + "roleLabel", (phrase[r_start:limit].strip(" ,"), "@fr")),
            (
                "http://www.w3.org/2000/01/rdf-schema#label",
                (f"{name}, {phrase[r_start:limit].strip(' ,')}", "@fr"),
            ),
        ]
        if ctx.document_date is not None:
            props.append(
                (
                    KGC + "attestedDate",
                    (ctx.document_date.isoformat(), "http://www.w3.org/2001/XMLSchema#date"),
                )
            )
        emitted = True
        yield Fact(
            "membership",
            "person-comma-role",
            subject,
            (ORG + "Membership",),
            f"{name}, {term.label}",
            p_start,
            min(end, start + limit),
            0.8,
            props,
        )
    if emitted:
        yield person
