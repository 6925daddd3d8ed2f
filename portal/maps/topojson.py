"""A small TopoJSON reader: arcs decoded to coordinates, polygons as rings of arc indices.

TopoJSON stores each shared border once (an "arc"); polygons refer to arcs by index, a negative
index (``~i``) meaning arc ``i`` walked backwards. Keeping that structure lets the map simplify
each border once, so neighbouring countries still meet exactly after simplification.
Only what a world map needs is here: Polygon and MultiPolygon, quantised or not.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

Point = tuple[float, float]
ArcRing = list[int]
"""A closed ring as the arc indices it walks, in order; negative means reversed (``~i``)."""
ArcPolygon = list[ArcRing]
"""The outer ring first, then any holes."""

P = TypeVar("P")


class TopologyError(ValueError):
    """The file is not a TopoJSON topology this reader understands."""


@dataclass(frozen=True)
class Feature:
    """One geometry of a GeometryCollection, its polygons still expressed as arc indices."""

    id: str | int | None
    properties: dict[str, Any]
    polygons: list[ArcPolygon]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Every arc as absolute (x, y) coordinates: delta-decoded and un-quantised if needed."""
    if topology.get("type") != "Topology" or not isinstance(topology.get("arcs"), list):
        raise TopologyError("not a TopoJSON Topology (missing type or arcs)")
    transform = topology.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (scale_x, scale_y), (translate_x, translate_y) = transform["scale"], transform["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        decoded.append(points)
    return decoded


def stitch_ring(ring: Sequence[int], arcs: Sequence[Sequence[P]]) -> list[P]:
    """The ring's points: arcs joined end to start, reversed ones walked backwards.

    Consecutive arcs share their joining point; it is kept once.
    """
    points: list[P] = []
    for index in ring:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        points.extend(arc[1:] if points else arc)
    return points


def features(topology: dict[str, Any], object_name: str) -> Iterator[Feature]:
    """The geometries of one named object; empty (null) geometries are skipped."""
    try:
        collection = topology["objects"][object_name]
    except (KeyError, TypeError) as error:
        raise TopologyError(f"no object named {object_name!r} in the topology") from error
    geometries = (
        collection["geometries"] if collection.get("type") == "GeometryCollection" else [collection]
    )
    for geometry in geometries:
        kind = geometry.get("type")
        if kind is None:
            continue
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            raise TopologyError(f"unsupported geometry type {kind!r}")
        yield Feature(
            id=geometry.get("id"),
            properties=dict(geometry.get("properties") or {}),
            polygons=[[list(ring) for ring in polygon] for polygon in polygons],
        )
