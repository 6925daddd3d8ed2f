"""The TopoJSON reader on a hand-written topology: shared arcs, reversed arcs, MultiPolygon."""

from __future__ import annotations

import pytest

from portal.maps import topojson

# Two unit squares side by side, quantised at 0.5 and moved by (10, 20):
#   A = (0,0)-(1,1), B = (1,0)-(2,1); arc 0 is the border they share, walked upwards.
TWO_SQUARES = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "arcs": [
        [[2, 0], [0, 2]],
        [[2, 2], [-2, 0], [0, -2], [2, 0]],
        [[2, 2], [2, 0], [0, -2], [-2, 0]],
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"a3": "AAA"}},
                {"type": "Polygon", "arcs": [[-1, -3]], "id": "2", "properties": {"a3": "BBB"}},
                {"type": "MultiPolygon", "arcs": [[[0, 1]], [[-1, -3]]], "properties": {}},
                {"type": None, "properties": {"a3": "NUL"}},
            ],
        }
    },
}


def test_arcs_are_delta_decoded_and_unquantised():
    arcs = topojson.decode_arcs(TWO_SQUARES)
    assert arcs[0] == [(11.0, 20.0), (11.0, 21.0)]
    assert arcs[1] == [(11.0, 21.0), (10.0, 21.0), (10.0, 20.0), (11.0, 20.0)]
    assert arcs[2] == [(11.0, 21.0), (12.0, 21.0), (12.0, 20.0), (11.0, 20.0)]


def test_ring_joins_arcs_without_repeating_the_shared_point():
    arcs = topojson.decode_arcs(TWO_SQUARES)
    square_a = topojson.stitch_ring([0, 1], arcs)
    assert square_a == [(11.0, 20.0), (11.0, 21.0), (10.0, 21.0), (10.0, 20.0), (11.0, 20.0)]


def test_negative_index_walks_the_arc_backwards():
    arcs = topojson.decode_arcs(TWO_SQUARES)
    square_b = topojson.stitch_ring([-1, -3], arcs)
    # ~0 = -1: the shared border downwards; ~2 = -3: B's other sides from (11, 20) round.
    assert square_b == [(11.0, 21.0), (11.0, 20.0), (12.0, 20.0), (12.0, 21.0), (11.0, 21.0)]
    assert square_b[0] == square_b[-1]


def test_features_read_polygon_and_multipolygon_and_skip_null():
    features = list(topojson.features(TWO_SQUARES, "countries"))
    assert [f.properties.get("a3") for f in features] == ["AAA", "BBB", None]
    assert features[0].polygons == [[[0, 1]]]
    assert features[1].id == "2"
    assert features[2].polygons == [[[0, 1]], [[-1, -3]]]


def test_topology_without_transform_keeps_coordinates():
    topology = {
        "type": "Topology",
        "arcs": [[[0.5, 1.5], [2.5, 1.5], [2.5, 3.5], [0.5, 1.5]]],
        "objects": {"one": {"type": "Polygon", "arcs": [[0]]}},
    }
    (feature,) = topojson.features(topology, "one")
    ring = topojson.stitch_ring(feature.polygons[0][0], topojson.decode_arcs(topology))
    assert ring == [(0.5, 1.5), (2.5, 1.5), (2.5, 3.5), (0.5, 1.5)]


@pytest.mark.parametrize(
    "topology",
    [
        {"type": "FeatureCollection", "features": []},
        {"type": "Topology", "objects": {}},
    ],
)
def test_not_a_topology_is_refused(topology):
    with pytest.raises(topojson.TopologyError):
        topojson.decode_arcs(topology)


def test_unknown_object_and_geometry_type_are_refused():
    with pytest.raises(topojson.TopologyError):
        list(topojson.features(TWO_SQUARES, "land"))
    lines = {
        "type": "Topology",
        "arcs": [[[0, 0], [1, 1]]],
        "objects": {"roads": {"type": "LineString", "arcs": [0]}},
    }
    with pytest.raises(topojson.TopologyError):
        list(topojson.features(lines, "roads"))
