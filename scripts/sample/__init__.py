"""The generator of the bundled sample data (portal/sample/*.xml, *.csv)."""
