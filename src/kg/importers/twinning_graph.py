"""N-Triples of a twinning source: its dataset, its agreements, and the entities only it describes
(foreign towns, French names flagged for curation, countries). French communes matched to the COG are
only referenced: ``graph/import/cog`` describes them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from kg.importers.conversion import Conversion, CurationCase
from kg.importers.datasets import SOURCES, describe
from kg.importers.geometry import Geometries
from kg.importers.merge import Merged, Statement, merge
from kg.importers.ntriples import (
    DCTERMS,
    ID,
    KGC,
    OWL,
    PROV,
    RDF_TYPE,
    RDFS,
    SCHEMA,
    SKOS,
    VOCAB,
    TripleWriter,
    iri,
    text,
    typed,
)
from kg.importers.reconcile import MATCHED
from kg.importers.reconcile.countries import country_labels
from kg.importers.twinnings import Resolved, Resolver, TwinRow, is_french
from kg.iris import slugify

DASH = "\u2013"  # en dash between the two towns of a label

#: Methods whose matches are kept but listed in the curation report for a second look.
WEAK_METHODS = {"cog-homonym-population", "geonames-population", "geonames-fuzzy", "cog-qualifier"}


def statements(
    source: str, rows: Iterable[TwinRow], resolver: Resolver
) -> tuple[list[Statement], int]:
    """Resolve the rows of a source that involve France; also return how many rows were skipped."""
    result, skipped = [], 0
    for row in rows:
        if not (is_french(row.first.country) or is_french(row.second.country)):
            skipped += 1
            continue
        first, second = resolver.resolve(row.first), resolver.resolve(row.second)
        result.append(Statement(source, row.line, first, second, row.first, row.second, row.file))
    return result, skipped


def write(
    source: str,
    sha256: str,
    merged: Merged,
    skipped: int = 0,
    known: frozenset[str] = frozenset(),
) -> Conversion:
    """The conversion of one source, given agreements merged over one or more sources; entities in
    ``known`` (described elsewhere: seeds, COG) are referenced, not described again."""
    info = SOURCES[source]
    w = TripleWriter()
    describe(w, info, sha256)
    described: set[str] = set()
    countries: set[str] = set()
    resolved_sides: dict[tuple[str, str, str], Resolved] = {}
    rows_described: set[str] = set()
    agreements = 0
    points = Geometries()
    for agreement in merged.agreements.values():
        own = [s for s in agreement.statements if s.source == source]
        if not own:
            continue
        agreements += 1
        a, b = agreement.parties
        if not agreement.reused:
            w.add(agreement.iri, RDF_TYPE, iri(KGC + "Agreement"))
            w.labels(
                agreement.iri,
                f"Jumelage {a.label} {DASH} {b.label}",
                f"Twinning {a.label} {DASH} {b.label}",
            )
            w.add(agreement.iri, KGC + "agreementType", iri(f"{VOCAB}agreement-type/twinning"))
            w.add(agreement.iri, KGC + "party", iri(a.iri))
            w.add(agreement.iri, KGC + "party", iri(b.iri))
        w.add(agreement.iri, PROV + "wasDerivedFrom", iri(info.dataset_iri))
        for statement in own:
            if statement.file:
                row = source_row_iri(source, statement.file, statement.line)
                w.add(agreement.iri, PROV + "wasDerivedFrom", iri(row))
                if row not in rows_described:
                    rows_described.add(row)
                    _source_row(w, row, info.dataset_iri, statement)
            for side, resolved in (
                (statement.first_side, statement.first),
                (statement.second_side, statement.second),
            ):
                resolved_sides[(side.name, side.country, resolved.iri)] = resolved
                points.add(source, info.dataset_iri, side, resolved)
        for party in (a, b):
            if party.country:
                countries.add(party.country)
            if party.iri in known:
                continue
            if party.iri not in described and not (party.french and party.match.status == MATCHED):
                described.add(party.iri)
                _entity(w, party)
    for code in sorted(countries):
        _country(w, code)
    geometries = points.write(w)
    cases = [
        CurationCase(
            source,
            r.kind,
            name,
            r.country or country,
            r.match.status,
            r.match.method,
            round(r.match.score, 3),
            r.iri,
            " ".join(r.candidates),
        )
        for (name, country, _), r in sorted(resolved_sides.items())
        if r.match.status != MATCHED or r.match.method in WEAK_METHODS
    ]
    status = Counter(r.match.status for r in resolved_sides.values())
    counts = {
        "rows-with-france": sum(
            len([s for s in a.statements if s.source == source]) for a in merged.agreements.values()
        ),
        "rows-skipped-not-france": skipped,
        "rows-unknown-country": sum(
            c.kind == "unknown-country" and c.sources == source for c in merged.conflicts
        ),
        "agreements": agreements,
        "names-matched": status[MATCHED],
        "names-ambiguous": status["ambiguous"],
        "names-unmatched": status["unmatched"],
        "entities-described": len(described),
        "countries": len(countries),
        "geometries": geometries,
    }
    conflicts = [c for c in merged.conflicts if source in c.sources]
    return Conversion(info, w.data(), len(w), sha256, counts, cases, conflicts)


def convert_sources(
    rows_by_source: Mapping[str, tuple[Sequence[TwinRow], str]],
    resolver: Resolver,
    existing: Mapping[frozenset[str], str] | None = None,
    known: frozenset[str] = frozenset(),
) -> list[Conversion]:
    """Resolve and merge several twinning sources together, one conversion (graph) per source."""
    all_statements: list[Statement] = []
    skipped: dict[str, int] = {}
    for source, (rows, _) in rows_by_source.items():
        found, skipped[source] = statements(source, rows, resolver)
        all_statements.extend(found)
    merged = merge(all_statements, existing)
    return [
        write(source, sha, merged, skipped[source], known)
        for source, (_, sha) in rows_by_source.items()
    ]


def source_row_iri(source: str, file: str, line: int) -> str:
    """IRI of one row of a source file (``line`` counts the header as line 1, as editors do).

    >>> source_row_iri("twinnings-wikidata", "france.tsv", 12).rsplit("/", 2)[1:]
    ['twinnings-wikidata', 'france-tsv-12']
    """
    return f"{ID}source-row/{source}/{slugify(file)}-{line}"


def _source_row(w: TripleWriter, subject: str, dataset: str, statement: Statement) -> None:
    """A kgc:SourceRow: the file and line of the source that stated an agreement."""
    w.add(subject, RDF_TYPE, iri(KGC + "SourceRow"))
    w.labels(
        subject,
        f"{statement.file}, ligne {statement.line}",
        f"{statement.file}, line {statement.line}",
    )
    w.add(subject, DCTERMS + "isPartOf", iri(dataset))
    w.add(subject, KGC + "sourceFile", text(statement.file))
    w.add(subject, KGC + "rowNumber", typed(statement.line, "positiveInteger"))


def _entity(w: TripleWriter, party: Resolved) -> None:
    subject = party.iri
    w.add(subject, RDF_TYPE, iri(KGC + "Collectivity"))
    w.labels(subject, party.label)
    kind = "commune" if party.french else "municipality"
    w.add(subject, KGC + "collectivityType", iri(f"{VOCAB}collectivity-type/{kind}"))
    if party.country:
        w.add(subject, KGC + "country", iri(f"{ID}country/{party.country.lower()}"))
    if party.source_name != party.label:
        w.add(subject, SKOS + "altLabel", text(party.source_name))
    if party.geonames_id:
        w.add(subject, OWL + "sameAs", iri(f"https://sws.geonames.org/{party.geonames_id}/"))
    if party.match.method == "curation":
        w.add(subject, KGC + "curationStatus", iri(f"{VOCAB}curation-status/manually-curated"))
    elif party.match.status != MATCHED:
        w.add(subject, KGC + "curationStatus", iri(f"{VOCAB}curation-status/{party.match.status}"))
        for candidate in party.candidates:
            w.add(subject, RDFS + "seeAlso", iri(candidate))


def _country(w: TripleWriter, code: str) -> None:
    subject = f"{ID}country/{code.lower()}"
    french, english = country_labels(code)
    w.add(subject, RDF_TYPE, iri(SCHEMA + "Country"))
    w.labels(subject, french, english)
    w.add(subject, KGC + "iso3166Code", text(code))
