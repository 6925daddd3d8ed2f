from ledger.conftest import six_files  # noqa: F401  (the six real files, imported)
