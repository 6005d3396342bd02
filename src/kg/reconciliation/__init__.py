"""The W3C Entity Reconciliation Service (API 0.2) over the store: the importers' reconcilers
(:mod:`kg.importers.reconcile`) published for OpenRefine and other clients. :mod:`.vocabulary` lists
the types and properties, :mod:`.entities` reads entities from the store through named queries,
:mod:`.service` answers queries, suggest, preview and data extension, :mod:`.manifest` describes it."""
