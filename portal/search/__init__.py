"""Search across countries, regions, outcomes (identifier, title, description, progress
narratives) and funding partners, from the header of every page."""
