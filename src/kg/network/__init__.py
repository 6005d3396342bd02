"""Network analysis of the partnerships: networkx graphs built from the store through the named
``network-*`` queries, measures, a report (tables, CSV, GEXF, GraphML, figures).

Typical use (also what the notebooks do)::

    from kg.network.build import build
    from kg.network.report import analyse

    built = build("partnership", store, library)          # or sector, country, people, events
    report = analyse(built.graph)
    report.nodes[:10]                                      # ranked node metrics
"""
