"""The web application: SPARQL endpoint, named-query API and linked-data pages."""
