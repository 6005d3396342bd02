"""Importers of published reference data: one module per source format, each turning records into
N-Triples in the project's ontology (:mod:`kg.importers.cog`, :mod:`.twinnings_wikipedia`,
:mod:`.twinnings_wikidata`, :mod:`.iati_codes`), with reconciliation in :mod:`.reconcile`, manual
decisions in :mod:`.curation`, twinning merging in :mod:`.merge` and loading in :mod:`.pipeline`."""
