"""Linked-data publication: what a resource's RDF contains, labels, search, page models, dumps."""
