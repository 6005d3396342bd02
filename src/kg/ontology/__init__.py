"""The ontology, SKOS vocabularies and SHACL shapes of ``ontology/``, loaded once and validated against.

Validation and the web layer read the model through these functions. Graphs are cached per file path
and modification time (an edit is picked up, a repeated call costs nothing); they are shared, so
callers must treat them as read-only and copy before changing them.

Validation itself is :func:`kg.validation.validate`, the one entry point.
"""

from __future__ import annotations

import functools
from pathlib import Path

from rdflib import OWL, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import InputError, NotFoundError
from kg.namespaces import ONTOLOGY_IRI
from kg.settings import Settings

ONTOLOGY_FILE = "kgci.ttl"
SHAPES_FILE = "shapes.ttl"
ALIGNMENTS_FILE = "alignments.ttl"
VOCAB_DIR = "vocab"


def ontology_files(settings: Settings) -> list[Path]:
    """The files that make up the model pySHACL needs: ``kgci.ttl`` then every ``vocab/*.ttl``."""
    root = settings.ontology_dir
    main = root / ONTOLOGY_FILE
    if not main.is_file():
        raise NotFoundError(f"the ontology file {main} does not exist")
    return [main, *sorted((root / VOCAB_DIR).glob("*.ttl"))]


def shapes_file(settings: Settings) -> Path:
    """Path of the SHACL shapes file, which must exist."""
    path = settings.ontology_dir / SHAPES_FILE
    if not path.is_file():
        raise NotFoundError(f"the SHACL shapes file {path} does not exist")
    return path


def _stamp(paths: list[Path]) -> tuple[tuple[str, int], ...]:
    return tuple((str(p), p.stat().st_mtime_ns) for p in paths)


@functools.lru_cache(maxsize=8)
def _parse(stamp: tuple[tuple[str, int], ...]) -> Graph:
    graph = Graph()
    for path, _ in stamp:
        try:
            graph.parse(path, format="turtle")
        except BadSyntax as exc:
            why = getattr(exc, "_why", "syntax error")
            raise InputError(f"{path} line {exc.lines + 1}: invalid Turtle ({why})") from exc
    return graph


def ontology_graph(settings: Settings) -> Graph:
    """Ontology plus all SKOS vocabularies, as one graph (read-only, cached)."""
    return _parse(_stamp(ontology_files(settings)))


def shapes_graph(settings: Settings) -> Graph:
    """The SHACL shapes graph (read-only, cached)."""
    return _parse(_stamp([shapes_file(settings)]))


def shapes_version(settings: Settings) -> str:
    """The ``owl:versionInfo`` of the ontology, which versions the shapes along with it."""
    version = ontology_graph(settings).value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)
    return str(version) if version is not None else "unversioned"
