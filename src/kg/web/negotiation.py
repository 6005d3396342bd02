"""Content negotiation in one place: Accept headers with q-values, explicit ``format``/extension
names, and the media types of every RDF format the server speaks (the SPARQL results formats are
the registry :mod:`kg.sparql_formats`)."""

from __future__ import annotations

import pyoxigraph as ox

# Re-exported: negotiation offers the results formats of the registry beside the RDF ones.
from kg.sparql_formats import RESULT_FORMATS as RESULT_FORMATS
from kg.sparql_formats import Format as Format

HTML = Format("html", "html", "text/html", ("application/xhtml+xml",))

#: RDF graph and dataset formats, most preferred first.
RDF_FORMATS: tuple[Format, ...] = (
    Format("turtle", "ttl", "text/turtle", ("application/x-turtle",), "Turtle"),
    Format("ntriples", "nt", "application/n-triples", (), "N-Triples"),
    Format("jsonld", "jsonld", "application/ld+json", (), "JSON-LD"),
    Format("rdfxml", "rdf", "application/rdf+xml", (), "RDF_XML"),
)
QUAD_FORMATS: tuple[Format, ...] = (
    Format("trig", "trig", "application/trig", (), "TriG"),
    Format("nquads", "nq", "application/n-quads", (), "N-Quads"),
)

#: pyoxigraph serialisers by format short name.
OX_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q-values, best first (stable for ties); also
    reads Accept-Language (language ranges in place of media ranges).

    >>> parse_accept("text/html;q=0.5, text/turtle, */*;q=0.1")
    [('text/turtle', 1.0), ('text/html', 0.5), ('*/*', 0.1)]
    """
    if not header:
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float, int]] = []
    for index, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, index))
    ranges.sort(key=lambda r: (-r[1], _specificity(r[0]), r[2]))
    return [(media, q) for media, q, _ in ranges]


def _specificity(media: str) -> int:
    if media == "*/*":
        return 2
    if media.endswith("/*"):
        return 1
    return 0


def choose(header: str | None, offered: tuple[Format, ...]) -> Format | None:
    """The offered format the client prefers, or None when nothing acceptable is offered.

    On equal q-values the server's order of preference decides; ``q=0`` excludes a type.

    >>> choose("text/turtle;q=0.9, application/ld+json", RDF_FORMATS).name
    'jsonld'
    >>> choose("image/png", RDF_FORMATS) is None
    True
    """
    ranges = parse_accept(header)
    best: tuple[float, int, Format] | None = None
    for rank, fmt in enumerate(offered):
        q = _quality(fmt, ranges)
        if q > 0 and (best is None or q > best[0] or (q == best[0] and rank < best[1])):
            best = (q, rank, fmt)
    return best[2] if best else None


def _quality(fmt: Format, ranges: list[tuple[str, float]]) -> float:
    """The q-value the most specific matching media range gives ``fmt`` (0 when none matches)."""
    matched: tuple[int, float] | None = None
    for media, q in ranges:
        for candidate in fmt.media_types:
            major = candidate.split("/")[0]
            if media == candidate:
                spec = 0
            elif media == f"{major}/*":
                spec = 1
            elif media == "*/*":
                spec = 2
            else:
                continue
            if matched is None or spec < matched[0]:
                matched = (spec, q)
    return matched[1] if matched else 0.0


def by_name(name: str, offered: tuple[Format, ...]) -> Format | None:
    """Find a format by short name, extension or media type (for ``?format=`` and extensions).

    >>> by_name("ttl", RDF_FORMATS).media_type
    'text/turtle'
    """
    key = name.strip().lower()
    for fmt in offered:
        if key in (fmt.name, fmt.extension, *fmt.media_types):
            return fmt
    return None


def rdf_format(fmt: Format) -> ox.RdfFormat:
    """The pyoxigraph serialiser of an RDF format."""
    return OX_RDF_FORMATS[fmt.name]
