"""Map tools driven by plain MapEvents, snapping, vertex operations and validation (no Qt)."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gisapp.core.editing.session import EditSession
from gisapp.core.editing.snapping import Snapper
from gisapp.core.editing.tools import MapEvent, Mode, ToolContext, make_tool
from gisapp.core.editing.validation import check_geometry, check_layer_topology, repair
from gisapp.core.geo import geometry_ops as ops
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project

RES = 0.1  # map units per pixel in these tests (EPSG:3857 metres)


def ev(kind, x=0.0, y=0.0, button=None, held=False, key=None, shift=False):
    buttons = frozenset({"left"}) if held else frozenset()
    mods = frozenset({"shift"}) if shift else frozenset()
    return MapEvent(kind, x, y, x / RES, -y / RES, button, buttons, mods, key, RES)


@pytest.fixture
def grid():
    """Two adjacent squares sharing the edge x = 10, in a metric CRS, being edited."""
    frame = gpd.GeoDataFrame({"id": ["a", "b"], "parent_id": ["p", "p"]},
                             geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)], crs="EPSG:3857")
    layer = VectorLayer("zones", "区", "Zones", frame)
    project = Project(layers=[layer])
    session = EditSession(project)
    session.start("zones")
    ctx = ToolContext(project, session, "EPSG:3857", active_layer_id="zones", snapping=True, tolerance_px=10)
    return layer, session, ctx


def click(tool, x, y, **kw):
    tool.handle(ev("press", x, y, "left", held=True, **kw))
    tool.handle(ev("release", x, y, "left", **kw))


def drag(tool, a, b):
    tool.handle(ev("move", *a))
    tool.handle(ev("press", *a, "left", held=True))
    tool.handle(ev("move", (a[0] + b[0]) / 2, (a[1] + b[1]) / 2, held=True))
    tool.handle(ev("move", *b, held=True))
    tool.handle(ev("release", *b, "left"))


def test_vertex_drag_with_topology_moves_the_shared_vertex_in_both_zones(grid):
    layer, session, ctx = grid
    ctx.topological = True
    tool = make_tool(Mode.VERTEX, ctx)
    previews = []
    ctx.on_preview = previews.append
    drag(tool, (10.0, 10.0), (12.5, 13.0))
    assert previews[-1] == {} and len(previews[-2]) == 2, "both zones were previewed, then cleared"
    a, b = (shapely.get_coordinates(g).tolist() for g in layer.frame.geometry)
    assert [12.5, 13.0] in a and [12.5, 13.0] in b
    assert [10.0, 10.0] not in a and [10.0, 10.0] not in b
    assert len(session.buffers["zones"].history) == 1, "one drag, one edit"


def test_without_topology_only_the_grabbed_zone_moves(grid):
    layer, _session, ctx = grid
    tool = make_tool(Mode.VERTEX, ctx)
    ctx.snapping = False
    drag(tool, (0.0, 10.0), (-3.0, 12.0))
    assert [-3.0, 12.0] in shapely.get_coordinates(layer.frame.geometry.iloc[0]).tolist()
    assert layer.frame.geometry.iloc[1].equals(shapely.box(10, 0, 20, 10))


def test_dragged_vertex_snaps_to_a_vertex_not_to_itself(grid):
    layer, _session, ctx = grid
    tool = make_tool(Mode.VERTEX, ctx)
    drag(tool, (0.0, 0.0), (19.5, 0.4))  # within 10 px (1 m) of (20, 0)
    assert [20.0, 0.0] in shapely.get_coordinates(layer.frame.geometry.iloc[0]).tolist()
    drag(tool, (0.0, 10.0), (0.6, 10.5))  # near its own old position: no snap to itself
    assert [0.6, 10.5] in shapely.get_coordinates(layer.frame.geometry.iloc[0]).tolist()


def test_double_click_inserts_on_both_sides_of_a_shared_edge_and_delete_removes(grid):
    layer, session, ctx = grid
    ctx.topological = True
    ctx.snapping = False
    tool = make_tool(Mode.VERTEX, ctx)
    tool.handle(ev("double", 10.05, 5.0, "left"))
    a, b = (shapely.get_coordinates(g).tolist() for g in layer.frame.geometry)
    assert [10.0, 5.0] in a and [10.0, 5.0] in b
    click(tool, 10.0, 5.0)
    tool.handle(ev("key", key="Delete"))
    a, b = (shapely.get_coordinates(g).tolist() for g in layer.frame.geometry)
    assert [10.0, 5.0] not in a and [10.0, 5.0] not in b
    assert session.is_dirty("zones")


def test_draw_tools_backspace_escape_and_double_click(grid):
    layer, _session, ctx = grid
    ctx.snapping = False
    tool = make_tool(Mode.ADD_LINE, ctx)
    for x in (30, 40, 50):
        click(tool, x, 0)
    tool.handle(ev("key", key="Backspace"))
    assert len(tool.points) == 2
    tool.handle(ev("key", key="Escape"))
    assert tool.points == [] and len(layer) == 2
    tool = make_tool(Mode.ADD_POLYGON, ctx)
    click(tool, 30, 0)
    click(tool, 40, 0)
    tool.handle(ev("double", 40, 10, "left"))
    assert len(layer) == 3 and layer.frame.geometry.iloc[2].area == pytest.approx(50)
    assert layer.frame["id"].iloc[2] == "zones.new1"


def test_rubber_band_reports_geodesic_measures(grid):
    _layer, _session, ctx = grid
    tool = make_tool(Mode.ADD_POLYGON, ctx)
    ctx.snapping = False
    click(tool, 100, 100)
    click(tool, 200, 100)
    tool.handle(ev("move", 200, 200))
    measure = tool.overlay().measure
    # 100 m x 100 m in Web Mercator at the equator: ~5000 m² for the triangle.
    assert measure.area_m2 == pytest.approx(5000, rel=0.01)


def test_select_tool_click_shift_click_and_box(grid):
    layer, _session, ctx = grid
    tool = make_tool(Mode.SELECT, ctx)
    click(tool, 5, 5)
    assert layer.selection.tolist() == [0]
    click(tool, 15, 5, shift=True)
    assert layer.selection.tolist() == [0, 1]
    click(tool, 15, 5, shift=True)
    assert layer.selection.tolist() == [0]
    drag(tool, (-5, -5), (12, 12))
    assert layer.selection.tolist() == [0, 1]


def test_split_and_rotate_tools(grid):
    layer, _session, ctx = grid
    ctx.snapping = False
    tool = make_tool(Mode.SPLIT, ctx)
    click(tool, 5, -5)
    tool.handle(ev("double", 5, 15, "left"))
    assert len(layer) == 3
    assert sorted(g.area for g in layer.frame.geometry) == pytest.approx([50, 50, 100])
    layer.select([1])
    tool = make_tool(Mode.ROTATE, ctx)
    drag(tool, (20, 5), (15, 10))  # a quarter turn about (15, 5)
    rotated = layer.frame.geometry.iloc[1]
    assert shapely.get_coordinates(rotated)[0].tolist() == pytest.approx([20, 10])  # was (20, 0)
    assert shapely.normalize(rotated).equals_exact(shapely.normalize(shapely.box(10, 0, 20, 10)), 1e-9)
    assert tool.angle == pytest.approx(90)



def test_a_selected_feature_without_geometry_is_left_alone_by_move_rotate_and_vertex_tools():
    frame = gpd.GeoDataFrame({"id": ["a", "empty"]}, geometry=[shapely.box(0, 0, 10, 10), None],
                             crs="EPSG:3857")
    layer = VectorLayer("zones", "区", "Zones", frame)
    project = Project(layers=[layer])
    session = EditSession(project)
    session.start("zones")
    ctx = ToolContext(project, session, "EPSG:3857", active_layer_id="zones", snapping=False)
    layer.select([0, 1])  # e.g. Select all
    vertex_tool = make_tool(Mode.VERTEX, ctx)
    assert len(vertex_tool.overlay().markers) == 4  # the square's corners; nothing for the other
    drag(make_tool(Mode.MOVE, ctx), (5, 5), (7, 8))
    assert layer.frame.geometry.iloc[0].equals(shapely.box(2, 3, 12, 13))
    assert layer.frame.geometry.iloc[1] is None
    layer.select([0, 1])
    drag(make_tool(Mode.ROTATE, ctx), (12, 8), (7, 13))  # a quarter turn about the centre (7, 8)
    assert shapely.normalize(layer.frame.geometry.iloc[0]).equals_exact(
        shapely.normalize(shapely.box(2, 3, 12, 13)), 1e-9)
    assert layer.frame.geometry.iloc[1] is None
    assert len(session.buffers["zones"].history) == 2


def test_deleting_too_many_vertices_is_refused(grid):
    layer, session, ctx = grid
    tool = make_tool(Mode.VERTEX, ctx)
    tool.selected = {("zones", 0, 0), ("zones", 0, 1)}
    tool.handle(ev("key", key="Delete"))
    assert ctx.messages[-1][0] == "too_few_vertices"
    assert not session.is_dirty()


def test_snapper_prefers_vertices_and_returns_exact_source_coordinates():
    frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.box(121.1, 38.1, 121.2, 38.2)], crs="EPSG:4326")
    project = Project(layers=[VectorLayer("z", "z", "z", frame)])
    snapper = Snapper(project, "EPSG:3857", tolerance_px=10)
    from gisapp.core.geo.geodesy import transform_point

    x, y = transform_point(121.2, 38.2, "EPSG:4326", "EPSG:3857")
    hit = snapper.snap(x + 3, y - 4, resolution=1.0)
    assert hit.kind == "vertex" and hit.source_xy == (121.2, 38.2)
    hit = snapper.snap(x - 500, y + 2, resolution=1.0)
    assert hit.kind == "segment" and hit.source_xy is None
    assert snapper.snap(x - 500, y + 50, resolution=1.0) is None


def test_geometry_ops_keep_rings_closed_and_refuse_empty_rings():
    square = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (1, 2), (2, 2), (2, 1)]])
    moved = ops.move_vertices(square, {0: (-1, -1)})
    coords = shapely.get_coordinates(moved)
    assert coords[0].tolist() == coords[4].tolist() == [-1, -1]
    without_hole, removed = ops.delete_vertices(square, [5, 6])
    assert removed == 1 and len(without_hole.interiors) == 0
    with pytest.raises(ops.GeometryEditError):
        ops.delete_vertices(shapely.Polygon([(0, 0), (1, 0), (1, 1)]), [0])
    ringed = ops.add_ring(shapely.box(0, 0, 10, 10), np.array([(2, 2), (4, 2), (4, 4)]))
    assert ringed.is_valid and len(ringed.interiors) == 1 and not ringed.interiors[0].is_ccw


def test_validation_reasons_locations_and_repair():
    bowtie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    problems = check_geometry(bowtie, "z", 0)
    assert problems[0].key == "self_intersection" and (problems[0].x, problems[0].y) == (1.0, 1.0)
    fixed = repair(bowtie)
    assert fixed.is_valid and fixed.area == pytest.approx(2.0)
    clockwise = shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    assert check_geometry(clockwise)[0].key == "orientation"
    assert check_geometry(shapely.box(0, 0, 1, 1)) == []


def test_layer_check_finds_overlaps_and_gaps_but_not_children_in_parents():
    ring = [shapely.box(0, 0, 3, 1), shapely.box(0, 2, 3, 3), shapely.box(0, 0, 1, 3), shapely.box(2.5, 0, 3, 3)]
    frame = gpd.GeoDataFrame({"id": ["s", "n", "w", "e"], "parent_id": [""] * 4}, geometry=ring, crs="EPSG:3857")
    report = check_layer_topology(VectorLayer("z", "z", "z", frame), min_area_m2=0.01)
    assert len(report.gaps) == 1
    assert len(report.overlaps) == 4
    nested = gpd.GeoDataFrame({"id": ["p", "c"], "parent_id": ["", "p"]},
                              geometry=[shapely.box(0, 0, 10, 10), shapely.box(1, 1, 2, 2)], crs="EPSG:3857")
    assert check_layer_topology(VectorLayer("n", "n", "n", nested), min_area_m2=0.01).overlaps == []


def test_add_part_and_add_ring_tools(grid):
    layer, _session, ctx = grid
    ctx.snapping = False
    layer.select([0])
    tool = make_tool(Mode.ADD_PART, ctx)
    for xy in [(0, 20), (5, 20)]:
        click(tool, *xy)
    tool.handle(ev("double", 5, 25, "left"))
    assert layer.frame.geometry.iloc[0].geom_type == "MultiPolygon"
    assert layer.frame.geometry.iloc[0].area == pytest.approx(100 + 12.5)
    tool = make_tool(Mode.ADD_RING, ctx)
    for xy in [(12, 2), (18, 2), (18, 8)]:
        click(tool, *xy)
    tool.handle(ev("key", key="Enter"))
    assert ctx.messages == [] or ctx.messages[-1][0] != "ring_outside"
    ring_zone = layer.frame.geometry.iloc[1]
    assert len(ring_zone.interiors) == 1 and ring_zone.area == pytest.approx(100 - 18)
    assert ring_zone.is_valid


def test_split_a_line_with_a_drawn_line():
    frame = gpd.GeoDataFrame({"id": ["road"]}, geometry=[shapely.LineString([(0, 0), (30, 0)])], crs="EPSG:3857")
    layer = VectorLayer("roads", "路", "Roads", frame)
    project = Project(layers=[layer])
    session = EditSession(project)
    session.start("roads")
    ctx = ToolContext(project, session, "EPSG:3857", active_layer_id="roads", snapping=False)
    tool = make_tool(Mode.SPLIT, ctx)
    click(tool, 10, -5)
    tool.handle(ev("double", 10, 5, "left"))
    assert len(layer) == 2
    assert sorted(layer.frame.geometry.length) == pytest.approx([10, 20])
    assert layer.frame["id"].tolist() == ["road", "road.part2"]
