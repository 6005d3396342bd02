"""Fast N-Triples writing for national-scale imports: terms are formatted as strings, never as
rdflib graphs, so hundreds of thousands of triples are produced in a second or two."""

from __future__ import annotations

from kg.namespaces import BASE

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
KGC = BASE + "def/"
ID = BASE + "id/"
VOCAB = BASE + "vocab/"

_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"}


def iri(value: str) -> str:
    """An IRI term.

    >>> iri("https://w3id.org/kgci/id/country/fr")
    '<https://w3id.org/kgci/id/country/fr>'
    """
    return f"<{value}>"


def text(value: str, lang: str | None = None) -> str:
    """A plain or language-tagged string literal.

    >>> text('Saint-Denis "93"', "fr")
    '"Saint-Denis \\\\"93\\\\""@fr'
    """
    escaped = value.translate(_ESCAPES)
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: str | int, datatype: str) -> str:
    """A literal of an XSD datatype given by its local name (``integer``, ``date``...).

    >>> typed(860, "nonNegativeInteger")
    '"860"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>'
    """
    return f'"{str(value).translate(_ESCAPES)}"^^<{XSD}{datatype}>'


class TripleWriter:
    """Accumulates N-Triples lines; :meth:`data` gives the UTF-8 bytes for a load batch."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Add one triple: ``subject`` and ``predicate`` are bare IRIs, ``obj`` a formatted term."""
        self._lines.append(f"<{subject}> <{predicate}> {obj} .\n")

    def labels(self, subject: str, fr: str, en: str | None = None) -> None:
        """Add the French and English ``rdfs:label`` of a subject (English defaults to French)."""
        self.add(subject, RDFS + "label", text(fr, "fr"))
        self.add(subject, RDFS + "label", text(en if en is not None else fr, "en"))

    def __len__(self) -> int:
        return len(self._lines)

    def data(self) -> bytes:
        """The N-Triples document."""
        return "".join(self._lines).encode("utf-8")
