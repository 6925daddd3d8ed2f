"""Data quality: what looks wrong in the published data, found at import and shown, never
corrected or hidden."""
