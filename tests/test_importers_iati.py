"""`kg import iati-codes`: IATI codelists as SKOS schemes with English and French labels."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from importers_helpers import IATI, objects, store_of
from kg.errors import InputError
from kg.importers import iati_codes
from kg.settings import PROJECT_ROOT

SKOS = "http://www.w3.org/2004/02/skos/core#"
VOCAB = "https://w3id.org/kgci/vocab/"
SECTOR_XML = """<codelist name="Sector" xml:lang="en" complete="1" embedded="0">
  <metadata><name><narrative>DAC 5 Digit Sector</narrative></name></metadata>
  <codelist-items>
    <codelist-item status="active"><code>11110</code>
      <name><narrative>Education policy and administrative management</narrative>
            <narrative xml:lang="fr">Politique de l'éducation et gestion administrative</narrative></name>
      <category>111</category></codelist-item>
    <codelist-item status="withdrawn"><code>99999</code>
      <name><narrative>Old code</narrative></name><category>111</category></codelist-item>
  </codelist-items>
</codelist>"""
SIMPLE_XML = """<codelist name="{name}"><codelist-items>
  <codelist-item><code>{code}</code><name><narrative>{en}</narrative>
  <narrative xml:lang="fr">{fr}</narrative></name></codelist-item>
</codelist-items></codelist>"""


def _excerpt(folder: Path) -> Path:
    (folder / "nonembedded").mkdir(parents=True)
    (folder / "embedded").mkdir()
    (folder / "nonembedded" / "Sector.xml").write_text(SECTOR_XML, encoding="utf-8")
    for file, code, en, fr in (
        (
            "nonembedded/SectorCategory.xml",
            "111",
            "Education, Level Unspecified",
            "Éducation, niveau non spécifié",
        ),
        ("embedded/ActivityStatus.xml", "2", "Implementation", "Actif"),
        ("embedded/OrganisationRole.xml", "1", "Funding", "Financement"),
    ):
        (folder / file).write_text(
            SIMPLE_XML.format(name=file, code=code, en=en, fr=fr), encoding="utf-8"
        )
    return folder


def test_excerpt_becomes_skos(tmp_path: Path) -> None:
    conversion = iati_codes.convert(_excerpt(tmp_path / "iati"))
    store = store_of(conversion.data)
    concept = VOCAB + "dac-sector/11110"
    assert objects(store, concept, SKOS + "prefLabel") == {
        "Education policy and administrative management",
        "Politique de l'éducation et gestion administrative",
    }
    assert objects(store, concept, SKOS + "broader") == {VOCAB + "dac-sector-category/111"}
    assert objects(store, concept, SKOS + "inScheme") == {VOCAB + "dac-sector"}
    assert objects(
        store, VOCAB + "dac-sector/99999", "http://www.w3.org/2002/07/owl#deprecated"
    ) == {"true"}
    assert objects(store, VOCAB + "iati-activity-status/2", SKOS + "topConceptOf") == {
        VOCAB + "iati-activity-status"
    }
    assert conversion.counts == {
        "dac-sector-category": 1,
        "dac-sector": 2,
        "iati-activity-status": 1,
        "iati-organisation-role": 1,
    }


def test_malformed_xml_is_a_clear_error(tmp_path: Path) -> None:
    folder = _excerpt(tmp_path / "iati")
    (folder / "embedded" / "OrganisationRole.xml").write_text(
        "<codelist>\n<codelist-items>\n</codelist>"
    )
    with pytest.raises(InputError, match=r"OrganisationRole\.xml line 3: malformed XML"):
        iati_codes.convert(folder)


@pytest.fixture(scope="module")
def national() -> ox.Store:
    return store_of(iati_codes.convert(IATI).data)


def test_real_files_counts_and_labels(national: ox.Store) -> None:
    conversion = iati_codes.convert(IATI)
    assert conversion.counts == {
        "dac-sector-category": 44,
        "dac-sector": 325,
        "iati-activity-status": 6,
        "iati-organisation-role": 4,
    }
    sectors = [
        q.subject
        for q in national.quads_for_pattern(
            None, ox.NamedNode(SKOS + "inScheme"), ox.NamedNode(VOCAB + "dac-sector")
        )
    ]
    french = [
        c
        for c in sectors
        if any(
            q.object.language == "fr"
            for q in national.quads_for_pattern(c, ox.NamedNode(SKOS + "prefLabel"), None)
        )
    ]
    assert (len(sectors), len(french)) == (325, 299)
    assert objects(national, VOCAB + "dac-sector/11130", SKOS + "prefLabel") >= {
        "Formation des enseignants"
    }
    assert objects(national, VOCAB + "iati-organisation-role/4", SKOS + "prefLabel") == {
        "Implementing",
        "Mise en œuvre",
    }


def test_project_mappings_point_to_imported_codes(national: ox.Store) -> None:
    """Every DAC / IATI concept the project's sector and status schemes map to exists in the import."""
    imported = {
        q.subject.value
        for q in national.quads_for_pattern(None, ox.NamedNode(SKOS + "inScheme"), None)
    }
    vocab = ox.Store()
    for name in ("sector", "status"):
        vocab.load(
            path=str(PROJECT_ROOT / "ontology" / "vocab" / f"{name}.ttl"),
            format=ox.RdfFormat.TURTLE,
        )
    targets = {
        q.object.value
        for relation in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
        for q in vocab.quads_for_pattern(None, ox.NamedNode(SKOS + relation), None)
        if q.object.value.startswith((VOCAB + "dac-", VOCAB + "iati-"))
    }
    assert targets, "the sector and status schemes map to IATI codes"
    assert targets <= imported, sorted(targets - imported)


def test_importing_twice_keeps_the_history_and_the_other_records(tmp_path: Path) -> None:
    """The reported loss: a second `kg import iati-codes` deleted every other load record."""
    from kg.importers.pipeline import ImportOptions, import_source
    from kg.ingest.build import build
    from kg.queries import QueryLibrary
    from kg.settings import Settings
    from kg.store import open_store

    settings = Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "quarantine")
    build(settings, progress=False)
    store = open_store(settings.store)
    queries = QueryLibrary(settings.queries_dir)
    folder = _excerpt(tmp_path / "iati")
    options = ImportOptions()
    prov = ox.NamedNode("https://w3id.org/kgci/graph/provenance")
    records = {r["graph"].value for r in queries.run(store, "ingest-load-records")}
    for _ in range(2):
        before = {str(q) for q in store.quads_for_pattern(None, None, None, prov)}
        import_source(store, settings, "iati-codes", folder, options, progress=False)
        after = {str(q) for q in store.quads_for_pattern(None, None, None, prov)}
        assert before < after
    graph = "https://w3id.org/kgci/graph/import/iati-codes"
    assert {r["graph"].value for r in queries.run(store, "ingest-load-records")} == records | {
        graph
    }
    loads = list(queries.run(store, "ingest-load-history", graph=graph))
    assert [r["invalidated"] is None for r in loads] == [False, True]
