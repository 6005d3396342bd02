"""kgci: knowledge graph of the international action of French territorial collectivities."""

__version__ = "0.1.0"
