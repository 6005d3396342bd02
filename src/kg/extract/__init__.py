"""Documents to knowledge: candidate facts extracted from French texts, with their passages.

:mod:`.document` reads a file (plain text, HTML, PDF) and refuses bad input; :mod:`.nlp` loads the
spaCy French model; :mod:`.link` links names to the project's IRIs through the reconcilers;
:mod:`.rules` holds one module of named extractors per kind; :mod:`.pipeline` runs them;
:mod:`.graph` writes the candidates as TriG in ``graph/candidates/<document>``; :mod:`.review`
takes a reviewer's decisions and loads the accepted facts.
"""
