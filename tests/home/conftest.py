from ledger.conftest import oracle, six_files  # noqa: F401  (the six real files, and the XML oracle)
