"""Ingestion: read RDF input, validate it with its neighbourhood in the store, write it atomically with
its load record.

Modules, in the order data flows: :mod:`~kg.ingest.rdfio` (read and parse input),
:mod:`~kg.ingest.batch` (what one load is made of), :mod:`~kg.ingest.neighbourhood` (what validation
needs from the store), :mod:`~kg.ingest.pipeline` (validate, then write), :mod:`~kg.ingest.records`
(PROV-O load records), :mod:`~kg.ingest.progress` (progress bars), :mod:`~kg.ingest.build` (the whole
store from ``data/``) and :mod:`~kg.ingest.drop` (removing a graph).
"""

from kg.ingest.batch import Batch, LoadReport, ProgressHook, batch_from_file
from kg.ingest.pipeline import load_batches, validate_batches

__all__ = [
    "Batch",
    "LoadReport",
    "ProgressHook",
    "batch_from_file",
    "load_batches",
    "validate_batches",
]
