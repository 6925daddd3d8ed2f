"""Issue 17.4: an index map whose highlighted countries are links — valid SVG, links only where
asked, names and addresses escaped, and a map without links unchanged (an image)."""

from __future__ import annotations

from lxml import etree

from portal.maps import index_map_svg, world
from tests.maps.test_world import SVG, parse

LINKS = {
    "SEN": world.MapLink("/fr/countries/SEN/", "Sénégal"),
    "MLI": world.MapLink("/fr/countries/MLI/", "Mali"),
}


def links_of(root) -> list[etree._Element]:
    return list(root.iter(f"{SVG}a"))


def test_highlighted_countries_with_a_link_are_links_in_the_given_order():
    root = parse(index_map_svg({"MLI", "SEN", "NER"}, "World", "Where we work", links=LINKS))
    links = links_of(root)
    assert [(a.get("href"), a.get("aria-label")) for a in links] == [
        ("/fr/countries/SEN/", "Sénégal"),
        ("/fr/countries/MLI/", "Mali"),
    ]
    assert [a.find(f"{SVG}path").get("data-iso3") for a in links] == ["SEN", "MLI"]
    # Niger is highlighted but given no page: hatched, not a link.
    (niger,) = root.xpath(".//svg:path[@data-iso3='NER']", namespaces={"svg": SVG[1:-1]})
    assert niger.getparent().tag != f"{SVG}a"


def test_a_link_for_a_country_not_highlighted_is_not_drawn():
    root = parse(index_map_svg({"MLI"}, "World", "d", links=LINKS))
    assert [a.get("aria-label") for a in links_of(root)] == ["Mali"]


def test_with_links_the_map_is_a_group_named_by_its_title_and_described_by_its_desc():
    root = parse(index_map_svg({"MLI"}, "World", "Where we work", links=LINKS))
    assert root.get("role") == "group"
    assert root.find(f"{SVG}title").get("id") == root.get("aria-labelledby")
    assert root.find(f"{SVG}desc").get("id") == root.get("aria-describedby")


def test_without_links_the_map_is_still_one_image():
    root = parse(index_map_svg({"MLI"}, "World", "Where we work"))
    assert root.get("role") == "img"
    assert root.get("aria-describedby") is None
    assert not links_of(root)
    # A link for a code without a shape draws nothing, so the map stays an image.
    ghost = {"ZZZ": world.MapLink("/en/countries/ZZZ/", "Nowhere")}
    assert parse(index_map_svg({"ZZZ"}, "World", "d", links=ghost)).get("role") == "img"


def test_a_tiny_countrys_ring_is_inside_its_link():
    tuvalu = {"TUV": world.MapLink("/en/countries/TUV/", "Tuvalu")}
    root = parse(index_map_svg({"TUV"}, "World", "d", links=tuvalu))
    (link,) = links_of(root)
    assert link.find(f"{SVG}circle").get("class") == "map-marker"


def test_names_and_addresses_are_escaped():
    hostile = {"MLI": world.MapLink('/en/countries/MLI/?a=1&b="x"', 'Mali"><script>x</script>')}
    svg = str(index_map_svg({"MLI"}, "World", "d", links=hostile))
    assert "<script" not in svg
    (link,) = links_of(parse(svg))
    assert link.get("aria-label") == 'Mali"><script>x</script>'
    assert link.get("href") == '/en/countries/MLI/?a=1&b="x"'


def test_each_language_gets_its_own_links():
    """The drawing is cached per set of countries: the links' language must be in the key."""
    english = {"MLI": world.MapLink("/en/countries/MLI/", "Mali")}
    french = {"MLI": world.MapLink("/fr/countries/MLI/", "Mali")}
    first = parse(index_map_svg({"MLI"}, "World", "d", links=english))
    second = parse(index_map_svg({"MLI"}, "World", "d", links=french))
    assert links_of(first)[0].get("href") == "/en/countries/MLI/"
    assert links_of(second)[0].get("href") == "/fr/countries/MLI/"
