"""The print layout model without Qt: stored form, scale, scale bar, true north, legend, atlas, snapping."""

import math

import pytest
from pyproj import Proj, Transformer

from gisapp.core.layout.atlas import atlas_pages, fill
from gisapp.core.layout.cartography import scale_bar, true_north_degrees
from gisapp.core.layout.frames import map_view, view_scale
from gisapp.core.layout.items import Layout, LayoutError, LayoutItem
from gisapp.core.layout.legend import legend_rows
from gisapp.core.layout.page import Page
from gisapp.core.layout.snapping import snapped_position, snapped_size
from gisapp.core.layout.templates import on_page, plan_map, zone_sheet


def test_templates_round_trip_through_their_stored_form():
    for layout in (plan_map(), zone_sheet("hitech_city_sectors")):
        again = Layout.from_dict(layout.to_dict())
        assert again.to_dict() == layout.to_dict()
    assert plan_map().page.size_mm == (420.0, 297.0)
    assert zone_sheet().page.size_mm == (210.0, 297.0) and zone_sheet().atlas_layer == "hitech_clusters"


def test_templates_keep_every_item_inside_the_margins():
    for layout in (plan_map(), zone_sheet(), on_page(plan_map(), Page("A1", landscape=False))):
        x0, y0, width, height = layout.page.content_mm
        for item in layout.items:
            assert item.x >= x0 - 1e-6 and item.y >= y0 - 1e-6, item.id
            assert item.x + item.width <= x0 + width + 1e-6 and item.y + item.height <= y0 + height + 1e-6, item.id


@pytest.mark.parametrize(("change", "where"), [
    ({"page": {"paper": "B5"}}, "page.paper"),
    ({"page": {"margin_mm": -1}}, "page.margin_mm"),
    ({"items": [{"id": "m", "kind": "map", "x": 0, "y": 0, "width": "wide", "height": 10}]}, "items[0].width"),
    ({"items": [{"id": "m", "kind": "teapot", "x": 0, "y": 0, "width": 5, "height": 5}]}, "items[0].kind"),
    ({"items": [{"id": "m", "kind": "map", "x": 0, "y": 0, "width": 5, "height": 5,
                 "extent": [122, 39, 121, 40]}]}, "items[0].extent"),
    ({"items": [{"id": "m", "kind": "map", "x": 0, "y": 0, "width": 5, "height": 5, "scale": float("nan")}]},
     "items[0].scale"),
    ({"items": [{"id": "a", "kind": "text", "x": 0, "y": 0, "width": 5, "height": 5}] * 2}, "items[1].id"),
    ({"format_version": 99}, "format_version"),
])
def test_a_damaged_layout_names_the_part_that_is_wrong(change, where):
    with pytest.raises(LayoutError) as caught:
        Layout.from_dict({"name": "x", **change}, "layouts[0]")
    assert caught.value.where == f"layouts[0].{where}"


def test_a_map_frame_prints_at_exactly_the_scale_asked(bundled_project):
    item = LayoutItem("map", "map", 10, 10, 300, 200, scale=50000, extent=(121.45, 38.85, 121.6, 38.95))
    ppm = 300 / 25.4
    for crs in ("EPSG:3857", "EPSG:32651", "EPSG:4549"):
        item.crs = crs
        view = map_view(item, bundled_project, round(300 * ppm), round(200 * ppm), ppm)
        assert view_scale(view, ppm) == pytest.approx(50000, rel=1e-9)
        # 1 mm of paper is 50 m on the ground at the centre, measured geodesically.
        assert view.ground_metres_per_pixel() * ppm == pytest.approx(50.0, rel=1e-9)


def test_a_fitted_map_frame_shows_the_plan_at_a_round_scale(bundled_project):
    item = plan_map().item("map")
    ppm = 300 / 25.4
    view = map_view(item, bundled_project, round(item.width * ppm), round(item.height * ppm), ppm)
    scale = view_scale(view, ppm)
    mantissa = scale / 10 ** math.floor(math.log10(scale))
    assert any(mantissa == pytest.approx(step) for step in (1, 1.25, 2, 2.5, 5))
    science_city = bundled_project.layer("hitech_science_city").bounds_in(view.crs)
    xmin, ymin, xmax, ymax = view.extent
    assert xmin < science_city[0] < science_city[2] < xmax and ymin < science_city[1] < science_city[3] < ymax


@pytest.mark.parametrize("metres_per_mm", [0.013, 1.0, 7.3, 50.0, 333.0, 2500.0])
def test_scale_bars_have_round_lengths_that_fit(metres_per_mm):
    bar = scale_bar(metres_per_mm, 60.0)
    assert bar.length_mm <= 60.0 + 1e-9 and bar.length_mm > 60.0 / 5 - 1e-9  # the next round step would not fit
    mantissa = bar.metres / 10 ** math.floor(math.log10(bar.metres))
    assert round(mantissa, 9) in (1, 2, 5)
    assert bar.unit == ("km" if bar.metres >= 1000 else "m")
    ticks = [float(t) for t in bar.tick_labels()]
    assert ticks[0] == 0 and ticks[-1] * (1000 if bar.unit == "km" else 1) == pytest.approx(bar.metres)


@pytest.mark.parametrize("crs", ["EPSG:32651", "EPSG:4549", "EPSG:4526", "EPSG:3857", "EPSG:4326"])
@pytest.mark.parametrize("lonlat", [(121.5, 38.9), (124.2, 40.1), (119.0, 30.0)])
def test_the_north_arrow_points_to_true_north(crs, lonlat):
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(*lonlat)
    angle = true_north_degrees(crs, x, y)
    # Independent: PROJ's own meridian convergence (the angle from true north to grid north).
    convergence = Proj(crs).get_factors(*lonlat).meridian_convergence
    assert angle == pytest.approx(-convergence, abs=0.01)
    if crs in ("EPSG:3857", "EPSG:4326"):
        assert abs(angle) < 1e-6


def test_the_legend_lists_visible_layers_with_their_categories(bundled_project):
    item = plan_map().item("map")
    bundled_project.layer("hitech_clusters").visible = False
    rows = legend_rows(bundled_project, item, "zh")
    layers = {row.layer_id for row in rows}
    assert "hitech_clusters" not in layers and "base_named_places" not in layers  # hidden
    sectors = bundled_project.layer("hitech_city_sectors")
    texts = [row.text for row in rows if row.layer_id == sectors.id]
    assert texts == [sectors.title_zh] + [c.label_zh for c in sectors.style.categories]
    science_city = [row for row in rows if row.layer_id == "hitech_science_city"]
    assert len(science_city) == 1 and science_city[0].symbol is not None  # single symbol: one row


def test_atlas_pages_are_one_per_feature_with_the_zone_sheet_facts(bundled_project):
    layer = bundled_project.layer("hitech_city_sectors")
    pages = atlas_pages(bundled_project, layer.id, "en")
    assert [page.feature_id for page in pages] == list(layer.frame["id"])
    first = pages[0]
    assert first.fields["name"] == layer.frame["name_en"].iat[0]
    assert first.fields["role"] == layer.frame["role_en"].iat[0]
    assert "km²" in first.fields["area"] and "Yingeshi" in first.fields["share"]
    linked = {ind.name_en for ind, _link in bundled_project.indicators.for_feature(first.feature_id)}
    assert {row.name for row in first.indicators} >= linked
    assert fill("{name} — {facts}", first.fields).startswith(first.fields["name"] + " — ")


def test_dragged_items_snap_to_margins_and_to_each_other():
    layout = Layout("t", Page("A4", margin_mm=10), [LayoutItem("a", "text", 50, 50, 40, 10),
                                                    LayoutItem("b", "legend", 120, 100, 50, 60)])
    moving = layout.item("a")
    assert snapped_position(layout, moving, 118.7, 30.0) == (120.0, 30.0)  # left edge onto b's left edge
    assert snapped_position(layout, moving, 60.0, 89.2) == (60.0, 90.0)  # bottom onto b's top
    assert snapped_position(layout, moving, 60.0, 70.0) == (60.0, 70.0)  # nothing near: stays
    assert snapped_size(layout, moving, 148.8, 10.0) == (150.0, 10.0)  # right edge onto the margin


def test_new_items_of_every_kind_fit_inside_the_margins_with_fresh_ids():
    from gisapp.core.layout.items import ITEM_KINDS
    from gisapp.core.layout.new_items import new_item
    from gisapp.core.layout.templates import zone_sheet

    layout = zone_sheet()
    for kind in ITEM_KINDS:
        layout.items.append(new_item(layout, kind))
    ids = [item.id for item in layout.items]
    assert len(ids) == len(set(ids))
    x0, y0, width, height = layout.page.content_mm
    for item in layout.items[-len(ITEM_KINDS):]:
        assert x0 <= item.x and item.x + item.width <= x0 + width + 1e-9
        assert y0 <= item.y and item.y + item.height <= y0 + height + 1e-9
        assert item.map_id == "map"
    assert Layout.from_dict(layout.to_dict()).to_dict() == layout.to_dict()
    with pytest.raises(ValueError, match="no item kind"):
        new_item(layout, "chart")


def test_a_map_grows_only_over_a_table_stacked_right_under_it():
    from gisapp.core.layout.stacking import fit_maps_to_tables
    from gisapp.core.layout.templates import plan_map, zone_sheet

    sheet = zone_sheet()
    fitted = fit_maps_to_tables(sheet, {"indicator_table": 25.0})
    growth = fitted.item("map").height - sheet.item("map").height
    assert growth > 30
    assert fitted.item("scale_bar").y == pytest.approx(sheet.item("scale_bar").y + growth)  # on the map's bottom
    assert fitted.item("north_arrow").y == sheet.item("north_arrow").y  # on its top
    assert sheet.item("map").height + growth == fitted.item("map").height  # the template itself is unchanged
    assert fit_maps_to_tables(sheet, {"indicator_table": sheet.item("indicator_table").height}) is sheet
    plan = plan_map()
    assert fit_maps_to_tables(plan, {"anything": 1.0}) is plan  # no table: nothing moves


def test_scale_bar_units_and_segments_are_kept_and_checked():
    bar = scale_bar(50.0, 60.0, unit="km", segments=2)
    assert (bar.unit, bar.segments, bar.tick_labels()) == ("km", 2, ["0", "1", "2"])
    item = LayoutItem.from_dict({"id": "s", "kind": "scale_bar", "x": 0, "y": 0, "width": 10, "height": 5,
                                 "units": "m", "segments": 3})
    assert (item.units, item.segments) == ("m", 3)
    with pytest.raises(LayoutError, match="units: expected m, km or empty"):
        LayoutItem.from_dict({"id": "s", "kind": "scale_bar", "x": 0, "y": 0, "width": 10, "height": 5,
                              "units": "miles"})
