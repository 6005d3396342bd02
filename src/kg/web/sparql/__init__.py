"""The SPARQL 1.1 endpoint's request handling: the strict lexer, the protocol, updates, result writers,
the Service Description and the endpoint's errors."""
