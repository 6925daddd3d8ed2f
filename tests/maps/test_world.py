"""The world map as a visitor gets it: the right country marked, small states findable, valid
accessible SVG, no line across the map, and small enough to send inline."""

from __future__ import annotations

import copy
import gzip
import re

import pytest
from lxml import etree

from portal.maps import (
    CountryNotOnMap,
    MapDataMissing,
    country_map_svg,
    has_country,
    index_map_svg,
    map_available,
    world,
)
from tests.maps.test_topojson import TWO_SQUARES

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def parse(svg) -> etree._Element:
    return etree.fromstring(str(svg).encode())


def highlighted(root) -> list[str]:
    return [
        path.get("data-iso3")
        for path in root.iter(f"{SVG}path")
        if "map-country--highlight" in (path.get("class") or "").split()
    ]


def view_box(root) -> tuple[float, float, float, float]:
    x, y, width, height = map(float, root.get("viewBox").split())
    return x, y, x + width, y + height


def rings(path_data: str) -> list[list[tuple[float, float]]]:
    """Absolute points of our path data: 'M x y l dx dy dx dy ... z' per ring."""
    result = []
    for subpath in re.findall(r"M([^Mz]*)z", path_data):
        start, deltas = subpath.split("l")
        x, y = map(float, NUMBER.findall(start))
        ring = [(x, y)]
        numbers = [float(n) for n in NUMBER.findall(deltas)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = round(x + dx, 1), round(y + dy, 1)
            ring.append((x, y))
        result.append(ring)
    return result


def country_path(root, iso3: str) -> str:
    (path,) = root.xpath(".//svg:path[@data-iso3=$code]", namespaces={"svg": SVG[1:-1]}, code=iso3)
    return path.get("d")


def test_the_map_package_is_installed():
    assert map_available()


def test_country_map_marks_mali_and_nothing_else():
    root = parse(country_map_svg("MLI", "Mali", "Mali in West Africa"))
    assert highlighted(root) == ["MLI"]
    (mali,) = root.xpath(".//*[@data-iso3='MLI']")
    pattern_id = re.fullmatch(r"url\(#(.+)\)", mali.get("fill")).group(1)
    (pattern,) = root.iter(f"{SVG}pattern")
    assert pattern.get("id") == pattern_id


def test_country_map_zooms_to_the_region():
    root = parse(country_map_svg("MLI", "Mali", "Mali in West Africa"))
    left, top, right, bottom = view_box(root)
    world_geometry = world.load_world()
    assert right - left < world_geometry.width / 2
    mali = [point for ring in rings(country_path(root, "MLI")) for point in ring]
    assert all(left <= x <= right and top <= y <= bottom for x, y in mali)
    shown = {path.get("data-iso3") for path in root.iter(f"{SVG}path")}
    assert {"SEN", "NER", "BFA", "DZA", "MRT"} <= shown
    assert not {"AUS", "JPN", "ARG", "IND"} & shown


def test_kosovo_is_on_the_map():
    assert has_country("XKX")
    root = parse(country_map_svg("XKX", "Kosovo", "Kosovo in South-East Europe"))
    assert highlighted(root) == ["XKX"]
    assert rings(country_path(root, "XKX"))
    index = parse(index_map_svg({"XKX", "SRB"}, "World", "Where we work"))
    assert sorted(highlighted(index)) == ["SRB", "XKX"]


@pytest.mark.parametrize("iso3", ["TUV", "KIR", "CPV", "MDV", "COM", "STP", "WSM", "TON", "SYC"])
def test_small_island_states_exist(iso3):
    assert has_country(iso3)
    root = parse(country_map_svg(iso3, "title", "description"))
    assert highlighted(root) == [iso3]
    assert any(len(ring) >= 3 for ring in rings(country_path(root, iso3)))


def test_a_tiny_country_gets_a_ring_marker_inside_the_view():
    root = parse(country_map_svg("TUV", "Tuvalu", "Tuvalu in the Pacific"))
    (marker,) = root.iter(f"{SVG}circle")
    assert marker.get("class") == "map-marker"
    assert marker.get("data-iso3") == "TUV"
    left, top, right, bottom = view_box(root)
    assert left <= float(marker.get("cx")) <= right and top <= float(marker.get("cy")) <= bottom
    assert float(marker.get("r")) > 0
    mali = parse(country_map_svg("MLI", "Mali", "Mali"))
    assert not list(mali.iter(f"{SVG}circle"))


def test_index_map_marks_exactly_the_given_countries():
    codes = {"MLI", "SEN", "XKX", "TUV", "col", "ZZZ"}
    root = parse(index_map_svg(codes, "Where we work", "Countries with programmes"))
    assert sorted(highlighted(root)) == ["COL", "MLI", "SEN", "TUV", "XKX"]
    shown = [path.get("data-iso3") for path in root.iter(f"{SVG}path") if path.get("data-iso3")]
    assert len(shown) == len(set(shown)) > 230
    assert "ATA" not in shown
    world_geometry = world.load_world()
    assert view_box(root) == (0, 0, world_geometry.width, world_geometry.height)
    markers = {circle.get("data-iso3") for circle in root.iter(f"{SVG}circle")}
    assert {"TUV", "XKX"} <= markers
    assert not {"MLI", "COL"} & markers


def test_svg_is_an_accessible_image_without_inline_style_or_script():
    title = 'Mali <script>alert("x")</script> & co'
    svg = str(country_map_svg("MLI", title, "West Africa"))
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("focusable") == "false"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == title
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == "West Africa"
    assert "<script" not in svg
    for element in root.iter():
        assert "style" not in element.attrib
        assert not [name for name in element.attrib if name.lower().startswith("on")]


def test_two_maps_on_one_page_have_unique_ids():
    page = (
        "<div xmlns='http://www.w3.org/2000/svg'>"
        + str(country_map_svg("MLI", "Mali", "d", id_prefix="country-map"))
        + str(index_map_svg({"MLI"}, "World", "d", id_prefix="index-map"))
        + str(country_map_svg("SEN", "Senegal", "d"))
        + "</div>"
    )
    ids = [
        element.get("id")
        for element in etree.fromstring(page.encode()).iter()
        if "id" in element.attrib
    ]
    assert len(ids) == len(set(ids)) == 9
    for svg in etree.fromstring(page.encode()):
        own_ids = {element.get("id") for element in svg.iter() if element.get("id")}
        assert set(svg.get("aria-labelledby").split()) <= own_ids
        fills = {path.get("fill")[5:-1] for path in svg.iter(f"{SVG}path") if path.get("fill")}
        assert fills <= own_ids


def test_an_id_prefix_that_is_not_an_id_is_refused():
    with pytest.raises(ValueError):
        country_map_svg("MLI", "Mali", "d", id_prefix='x" onload="alert(1)')


def test_a_code_without_a_shape_is_reported():
    assert not has_country("BES")  # Bonaire: the one territory the 50m file lacks
    with pytest.raises(CountryNotOnMap):
        country_map_svg("BES", "Bonaire", "d")
    assert has_country("mli")


@pytest.mark.parametrize("iso3", ["RUS", "FJI", "USA", "KIR", "NZL"])
def test_countries_across_the_antimeridian_draw_no_line_across_the_map(iso3):
    geometry = world.load_world()
    for ring in rings(geometry.shapes[iso3].path_data):
        xs = [x for x, _ in ring]
        assert min(xs) >= -0.1 and max(xs) <= geometry.width + 0.1
        steps = [abs(b - a) for a, b in zip(xs, [*xs[1:], xs[0]], strict=True)]
        assert max(steps) < geometry.width / 4


def test_neighbours_share_their_border_after_simplification():
    for geometry in (world.load_world(), world.load_world(tolerance=world.REGION_TOLERANCE)):
        mali = {point for ring in rings(geometry.shapes["MLI"].path_data) for point in ring}
        senegal = {point for ring in rings(geometry.shapes["SEN"].path_data) for point in ring}
        assert len(mali & senegal) >= 3


def test_shared_arcs_of_a_small_topology_stay_shared():
    topology = copy.deepcopy(TWO_SQUARES)
    topology["objects"]["countries"]["geometries"][2]["properties"] = {"a3": "CCC"}
    geometry = world.build_world(topology, tolerance=0.5)
    assert sorted(geometry.shapes) == ["AAA", "BBB", "CCC"]
    (square_a,) = rings(geometry.shapes["AAA"].path_data)
    (square_b,) = rings(geometry.shapes["BBB"].path_data)
    assert len(square_a) == len(square_b) == 4
    assert len(set(square_a) & set(square_b)) == 2
    assert len(rings(geometry.shapes["CCC"].path_data)) == 2


def test_geometry_is_computed_once_per_process():
    assert world.load_world() is world.load_world()
    first = country_map_svg("MLI", "Mali", "one")
    second = country_map_svg("MLI", "Malí", "dos")
    assert str(first).split("</desc>")[1] == str(second).split("</desc>")[1]


def test_missing_package_says_how_to_install_it(tmp_path, monkeypatch):
    with pytest.raises(MapDataMissing, match="make setup"):
        world.load_world(tmp_path / "50m.json")
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(MapDataMissing, match="make setup"):
        world.load_world(tmp_path / "broken.json")
    monkeypatch.setattr(world, "WORLD_ATLAS_PATH", tmp_path / "50m.json")
    assert not map_available()


def test_maps_are_small_enough_to_inline():
    """Guard for the page budget (60 KB gzip in all): measured 84 KB / 28 KB for the world."""
    many = set(list(world.load_world().shapes)[::3])
    index = str(index_map_svg(many, "World", "Where we work")).encode()
    assert len(index) < 100_000
    assert len(gzip.compress(index)) < 35_000
    for iso3 in ("CHN", "IND", "RUS", "CHE", "USA"):
        page_map = str(country_map_svg(iso3, "title", "description")).encode()
        assert len(page_map) < 120_000
        assert len(gzip.compress(page_map)) < 35_000
