"""IATI codelists (sectors, SDG goals and targets, policy markers…) with their French names."""
