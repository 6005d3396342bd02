"""Which named graph each project file goes into, decided in one place.

``ontology/kgci.ttl`` -> ``graph/ontology``; ``ontology/shapes.ttl`` -> ``graph/shapes``;
``ontology/vocab/<x>.ttl`` -> ``graph/vocab/<x>``; ``ontology/alignments.ttl`` -> ``graph/alignments``;
any other file -> ``graph/file/<slug of its path relative to the project>``. Quad formats (TriG,
N-Quads) keep the graphs they name; their default-graph triples go to the file's graph.
"""

from __future__ import annotations

from pathlib import Path

from kg.iris import slugify
from kg.namespaces import GRAPH

#: File extension -> pyoxigraph RDF format name understood by :func:`pyoxigraph.RdfFormat.from_extension`.
RDF_EXTENSIONS = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".json", ".rdf", ".owl", ".xml")


def graph_for_path(path: Path, project_root: Path) -> str:
    """The named-graph IRI a file goes into when no ``--graph`` is given.

    >>> root = Path("/repo")
    >>> graph_for_path(Path("/repo/ontology/vocab/sector.ttl"), root)
    'https://w3id.org/kgci/graph/vocab/sector'
    >>> graph_for_path(Path("/elsewhere/My File.ttl"), root)
    'https://w3id.org/kgci/graph/file/my-file'
    """
    resolved = path.resolve()
    try:
        rel = resolved.relative_to(project_root.resolve())
    except ValueError:
        rel = Path(resolved.name)
    parts = rel.with_suffix("").parts
    if parts[:1] == ("ontology",):
        if parts[1:] == ("kgci",):
            return str(GRAPH["ontology"])
        if len(parts) == 2:
            return str(GRAPH[slugify(parts[1])])
        if parts[1] == "vocab" and len(parts) == 3:
            return str(GRAPH["vocab/" + slugify(parts[2])])
    return str(GRAPH["file/" + slugify("/".join(parts))])


def project_rdf_files(project_root: Path) -> list[Path]:
    """Every RDF file ``kg build`` loads: the ontology, shapes, vocabularies and all of ``data/``."""
    files: list[Path] = []
    for folder in (project_root / "ontology", project_root / "data"):
        files.extend(
            p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in RDF_EXTENSIONS
        )
    return files
