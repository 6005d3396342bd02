"""The extractors, one module per kind; importing this package registers them all."""

from kg.extract.rules import agreements, entities, events, figures, people

__all__ = ["agreements", "entities", "events", "figures", "people"]
