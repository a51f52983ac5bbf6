"""The tender workspace (``tender.yaml``, ``returns/``, ``out/``) and the selection of clauses."""
