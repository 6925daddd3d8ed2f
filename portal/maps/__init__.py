"""World maps drawn on the server as inline SVG, and the notes that stand under every map.

Pages call ``map_available()`` first and show only their text alternative when it is False;
``country_map_svg`` and ``index_map_svg`` take titles already translated by the caller.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.maps.world import (
    CountryNotOnMap,
    MapDataMissing,
    country_map_svg,
    has_country,
    index_map_svg,
    map_available,
)

# Translators: the United Nations' standard map disclaimer; use the UN's own wording.
UN_MAP_DISCLAIMER = _l(
    "The boundaries and names shown and the designations used on this map do not imply "
    "official endorsement or acceptance by the United Nations."
)
# Translators: the United Nations' standard note on Kosovo; use the UN's own wording.
KOSOVO_NOTE = _l(
    "References to Kosovo shall be understood to be in the context of United Nations "
    "Security Council resolution 1244 (1999)."
)
MAP_NOTES = (UN_MAP_DISCLAIMER, KOSOVO_NOTE)
"""In display order; templates/maps/_notes.html renders the same two sentences."""

__all__ = [
    "KOSOVO_NOTE",
    "MAP_NOTES",
    "UN_MAP_DISCLAIMER",
    "CountryNotOnMap",
    "MapDataMissing",
    "country_map_svg",
    "has_country",
    "index_map_svg",
    "map_available",
]
