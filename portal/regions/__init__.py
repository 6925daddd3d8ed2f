"""Region pages: regional and global activities (IATI `recipient-region`), with the same four
tabs as a country page, read from the same ledger."""
