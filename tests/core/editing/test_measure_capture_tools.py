"""The measure and coordinate capture tools driven by MapEvents: geodesic in any canvas CRS, snapping."""

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod, Transformer

from gisapp.core.editing.session import EditSession
from gisapp.core.editing.tools import MapEvent, Mode, ToolContext, make_tool
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project

GEOD = Geod(ellps="WGS84")
LONLAT = [(121.50, 38.88), (121.54, 38.88), (121.54, 38.91)]


def _context(crs, snapping=False):
    square = shapely.box(121.50, 38.88, 121.54, 38.91)
    layer = VectorLayer("zones", "区", "Zones", gpd.GeoDataFrame({"id": ["a"]}, geometry=[square], crs="EPSG:4326"))
    project = Project(layers=[layer])
    return ToolContext(project, EditSession(project), crs, snapping=snapping, tolerance_px=10)


def _events(crs, resolution):
    to = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def at(kind, lon, lat, button=None, key=None):
        x, y = to.transform(lon, lat)
        return MapEvent(kind, x, y, x / resolution, -y / resolution, button, frozenset(), frozenset(), key, resolution)
    return at


def _click(tool, at, lon, lat, button="left"):
    tool.handle(at("press", lon, lat, button))
    tool.handle(at("release", lon, lat, button))


@pytest.mark.parametrize(("crs", "resolution"), [("EPSG:3857", 5.0), ("EPSG:4550", 4.0), ("EPSG:4326", 4e-5)])
def test_distance_and_area_are_the_same_on_the_ground_in_any_crs(crs, resolution):
    at = _events(crs, resolution)
    ctx = _context(crs)
    tool = make_tool(Mode.MEASURE_DISTANCE, ctx)
    changes = []
    tool.on_change = lambda: changes.append(tool.result().total_m)
    for lon, lat in LONLAT:
        _click(tool, at, lon, lat)
    tool.handle(at("move", 121.50, 38.91))  # the live leg to the cursor
    expected = [GEOD.inv(*a, *b)[2] for a, b in zip(LONLAT, LONLAT[1:], strict=False)]
    live = expected + [GEOD.inv(*LONLAT[-1], 121.50, 38.91)[2]]
    assert tool.result().segments_m == pytest.approx(live, rel=1e-7)
    _click(tool, at, 121.5, 38.91, "right")  # finishes without adding the cursor
    assert tool.finished and tool.result().segments_m == pytest.approx(expected, rel=1e-7)
    assert changes, "the panel was told"
    overlay = tool.overlay()
    assert len(overlay.lines) == 1 and overlay.measure.length_m == pytest.approx(sum(expected), rel=1e-7)

    area_tool = make_tool(Mode.MEASURE_AREA, ctx)
    for lon, lat in LONLAT:
        _click(area_tool, at, lon, lat)
    area_tool.handle(at("key", 0, 0, key="Enter"))
    lons, lats = zip(*LONLAT, strict=True)
    assert area_tool.result().area_m2 == pytest.approx(abs(GEOD.polygon_area_perimeter(lons, lats)[0]), rel=1e-7)
    assert len(area_tool.overlay().polygons) == 1


def test_angle_finishes_at_the_third_click():
    at = _events("EPSG:3857", 5.0)
    tool = make_tool(Mode.MEASURE_ANGLE, _context("EPSG:3857"))
    for lon, lat in [(121.54, 38.88), (121.50, 38.88), (121.50, 38.91)]:
        _click(tool, at, lon, lat)
    assert tool.finished and tool.result().angle_deg == pytest.approx(90, abs=0.05)


def test_keys_remove_finish_and_clear():
    at = _events("EPSG:3857", 5.0)
    tool = make_tool(Mode.MEASURE_DISTANCE, _context("EPSG:3857"))
    for lon, lat in LONLAT:
        _click(tool, at, lon, lat)
    tool.handle(at("key", 0, 0, key="Backspace"))
    assert len(tool.points) == 2
    tool.handle(at("key", 0, 0, key="Escape"))
    assert tool.finished and len(tool.points) == 2
    tool.handle(at("key", 0, 0, key="Escape"))
    assert tool.points == [] and tool.result().is_empty
    _click(tool, at, *LONLAT[0])
    assert tool.points and not tool.finished


def test_clicks_snap_to_vertices_of_visible_layers():
    at = _events("EPSG:3857", 5.0)
    tool = make_tool(Mode.MEASURE_DISTANCE, _context("EPSG:3857", snapping=True))
    _click(tool, at, 121.50003, 38.88003)  # a few metres off the corner, within 10 px of 5 m
    _click(tool, at, 121.54002, 38.91002)
    assert tool.points[0] == pytest.approx((121.50, 38.88), abs=1e-9)
    assert tool.points[1] == pytest.approx((121.54, 38.91), abs=1e-9)


def test_capture_hands_over_the_snapped_point_in_the_canvas_crs():
    at = _events("EPSG:4550", 4.0)
    tool = make_tool(Mode.CAPTURE_POINT, _context("EPSG:4550", snapping=True))
    got = []
    tool.on_capture = lambda x, y, crs: got.append((x, y, crs))
    _click(tool, at, 121.54003, 38.88002)
    x, y, crs = got[0]
    assert crs == "EPSG:4550"
    assert Transformer.from_crs("EPSG:4550", "EPSG:4326", always_xy=True).transform(x, y) == \
        pytest.approx((121.54, 38.88), abs=1e-9)
    assert tool.overlay().markers[0][2] == "centre"
