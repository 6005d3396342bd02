"""Responses for a resource: the formats on offer, ``Link: rel="alternate"`` headers, and the RDF
answer in a chosen format (direct content negotiation with ``Vary: Accept`` and ``Content-Location``,
as in "Cool URIs for the Semantic Web", section 4.3 without the 303)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.responses import Response

from kg.web.lod.describe import Description
from kg.web.lod.serialize import serialize_quads, serialize_triples
from kg.web.negotiation import HTML, QUAD_FORMATS, RDF_FORMATS, Format

#: What a resource IRI negotiates between, HTML first (a client without preference gets the page).
OFFERED: tuple[Format, ...] = (HTML, *RDF_FORMATS, *QUAD_FORMATS)
EXTENSIONS = {fmt.extension: fmt for fmt in OFFERED}
LABELS = {
    "html": "HTML", "turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD",
    "rdfxml": "RDF/XML", "trig": "TriG", "nquads": "N-Quads",
}  # fmt: skip


@dataclass(frozen=True)
class Alternate:
    """One representation of a resource: format name, label, media type and URL."""

    name: str
    label: str
    media_type: str
    href: str


def split_extension(path: str) -> tuple[str, Format | None]:
    """``/id/x.ttl`` -> (``/id/x``, Turtle); a path without a known extension is returned whole.

    >>> split_extension("/id/collectivity/jura-39.jsonld")[1].name
    'jsonld'
    >>> split_extension("/def/Agreement")
    ('/def/Agreement', None)
    """
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext in EXTENSIONS:
        return stem, EXTENSIONS[ext]
    return path, None


def alternates(path: str) -> list[Alternate]:
    """Every representation of the resource served at ``path``."""
    return [
        Alternate(f.name, LABELS[f.name], f.media_type, f"{path}.{f.extension}") for f in OFFERED
    ]


def link_header(path: str) -> str:
    """``Link`` header value naming every alternate representation."""
    return ", ".join(
        f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in alternates(path)
    )


def negotiation_headers(path: str, fmt: Format, negotiated: bool) -> dict[str, str]:
    """Headers of a resource answer: alternates, and Vary/Content-Location when negotiated."""
    headers = {"Link": link_header(path)}
    if negotiated:
        headers["Vary"] = "Accept, Accept-Language"
        headers["Content-Location"] = f"{path}.{fmt.extension}"
    return headers


def rdf_response(
    desc: Description, fmt: Format, headers: dict[str, str], more_url: str | None
) -> Response:
    """The description of a resource in an RDF format."""
    if fmt in QUAD_FORMATS:
        body = serialize_quads(desc.quads(), fmt)
    else:
        body = serialize_triples(desc.triples(more_url), fmt)
    media = fmt.media_type + ("; charset=utf-8" if fmt.name != "rdfxml" else "")
    return Response(body, media_type=media, headers=headers)
