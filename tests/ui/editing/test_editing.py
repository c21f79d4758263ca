"""Editing driven with the mouse on the canvas: draw, drag, insert, delete, split, merge.

Snapping is on (the default) in every test; clicks meant to land as they are use pixels
where nothing is within the snapping tolerance, and clicks meant to snap land a few
pixels off a vertex. Undo must give back the exact previous coordinates, redo the new.
"""

import numpy as np
import pytest
import shapely
from editing_helpers import (
    coords,
    free_pixel,
    layer_xy,
    pixel,
    prepare,
    shared_vertices,
)
from PySide6.QtCore import QPoint, Qt

from gisapp.core.editing.tools import Mode
from gisapp.core.geo.geodesy import STORAGE_CRS, geodesic_area_m2, transform_geometries


@pytest.fixture(autouse=True)
def recovery_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GISAPP_RECOVERY_DIR", str(tmp_path / "recovery"))


def geodesic_area(geom, crs="EPSG:4326"):
    return geodesic_area_m2(transform_geometries(np.array([geom], dtype=object), crs, STORAGE_CRS)[0])


def click(qtbot, canvas, point, modifier=Qt.NoModifier):
    qtbot.mouseMove(canvas, point)
    qtbot.mouseClick(canvas, Qt.LeftButton, modifier, point)


def drag(qtbot, canvas, start, end, wait=None):
    qtbot.mouseMove(canvas, start)
    qtbot.mousePress(canvas, Qt.LeftButton, Qt.NoModifier, start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    qtbot.mouseMove(canvas, middle)
    qtbot.mouseMove(canvas, end)
    if wait is not None:
        wait()
    qtbot.mouseRelease(canvas, Qt.LeftButton, Qt.NoModifier, end)


def test_draw_a_polygon_snapped_to_a_neighbour_then_undo_and_redo(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    assert window.editing.tools.snapping
    canvas = window.canvas
    before = layer.frame.copy()
    anchor = tuple(coords(layer, 3)[0])  # a vertex of the eco-community sector
    start = pixel(window, layer, anchor) + QPoint(4, -3)  # a few pixels off: snaps onto it
    second = free_pixel(window, start + QPoint(-90, 60))
    third = free_pixel(window, start + QPoint(60, 90))
    window.editing.actions.tool_actions[Mode.ADD_POLYGON].trigger()
    assert window.editing.tools.mode == Mode.ADD_POLYGON
    for point in (start, second, third):
        click(qtbot, canvas, point)
    extra = free_pixel(window, start + QPoint(100, -40))
    click(qtbot, canvas, extra)
    qtbot.keyClick(canvas, Qt.Key_Backspace)  # takes the last vertex back
    overlay = window.editing.tools.canvas_overlay()
    assert any("Area" in text for _x, _y, text, _s in overlay.texts), "the rubber band shows the area so far"
    qtbot.keyClick(canvas, Qt.Key_Return)

    assert len(layer) == len(before) + 1
    new = coords(layer, len(layer) - 1)
    assert tuple(new[0]) == anchor or tuple(new[-2]) == anchor or anchor in map(tuple, new), \
        "the snapped vertex is exactly the neighbour's vertex"
    expected = {anchor, layer_xy(window, layer, second), layer_xy(window, layer, third)}
    assert {tuple(c) for c in new} == expected
    assert shapely.Polygon(new).exterior.is_ccw
    assert layer.frame["id"].iloc[-1] == "hitech.city.yingeshi.sector.new1"
    assert layer.frame["parent_id"].iloc[-1] == "hitech.city.yingeshi"
    assert window.editing.stack.undoText() == "Add polygon"
    assert window.windowTitle().startswith("*")
    drawn = layer.frame.geometry.iloc[-1]

    window.editing.actions.act_undo.trigger()
    assert len(layer) == len(before)
    assert layer.frame.geometry.geom_equals_exact(before.geometry, tolerance=0).all()
    assert layer.frame.drop(columns="geometry").equals(before.drop(columns="geometry"))
    window.editing.actions.act_redo.trigger()
    assert layer.frame.geometry.iloc[-1].equals_exact(drawn, 0)
    np.testing.assert_array_equal(coords(layer, len(layer) - 1), new)


def test_drag_a_shared_vertex_with_topology_moves_both_zones_and_updates_the_panel(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    canvas = window.canvas
    window.editing.tools.set_topological(True)
    shared = shared_vertices(layer, 1, 2)
    assert shared, "the tech-transfer and new-economy sectors share a boundary"
    vertex = shared[0]
    window.select_feature(layer.frame["id"].iloc[1])
    old = [layer.frame.geometry.iloc[r] for r in range(len(layer))]
    area_before = window.panel.plain_text()
    window.editing.actions.tool_actions[Mode.VERTEX].trigger()
    start = pixel(window, layer, vertex)
    end = free_pixel(window, start + QPoint(25, 18))

    def during_drag():
        qtbot.wait(80)
        text = window.panel.plain_text()
        assert "Measures (live" in text
        assert "Share of Yingeshi Science City" in text
        assert text != area_before
        assert window.editing.tools.canvas_overlay().geometries, "the dragged zones are drawn as an overlay"
        assert window.editing.stack.count() == 0, "nothing is applied until the mouse is released"

    drag(qtbot, canvas, start, end, during_drag)
    target = layer_xy(window, layer, end)
    moved = [c for c in map(tuple, coords(layer, 1)) if c == target]
    assert moved and target in map(tuple, coords(layer, 2)), "both zones got the same new vertex"
    assert vertex not in map(tuple, coords(layer, 1)) and vertex not in map(tuple, coords(layer, 2))
    assert window.editing.stack.count() == 1
    assert window.editing.stack.undoText() == "Move vertex"
    for row in (0, 3):
        assert layer.frame.geometry.iloc[row].equals_exact(old[row], 0)
    assert "Measures (live" not in window.panel.plain_text()
    new = [layer.frame.geometry.iloc[r] for r in range(len(layer))]

    window.editing.stack.undo()
    for row in range(len(layer)):
        np.testing.assert_array_equal(coords(layer, row), shapely.get_coordinates(old[row]))
    window.editing.stack.redo()
    for row in range(len(layer)):
        np.testing.assert_array_equal(coords(layer, row), shapely.get_coordinates(new[row]))


def test_dragged_vertex_snaps_exactly_onto_another_layers_vertex(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    canvas = window.canvas
    window.editing.tools.choose_topological(False)  # snapping alone: the vertex moves in this zone only
    window.editing.actions.tool_actions[Mode.VERTEX].trigger()
    ring = coords(layer, 3)
    vertex = tuple(ring[len(ring) // 2])
    start = pixel(window, layer, vertex)
    own = set(map(tuple, ring))
    candidates = []  # (pixel distance, layer, vertex) of other polygon layers' own vertices in view
    for other in window.project.vector_layers():
        if other.id == layer.id or not other.visible or other.geometry_family != "polygon":
            continue
        for c in map(tuple, shapely.get_coordinates(other.frame.geometry.to_numpy())):
            p = pixel(window, other, c)
            if c not in own and 20 < p.x() < canvas.width() - 20 and 20 < p.y() < canvas.height() - 20:
                candidates.append((abs(p.x() - start.x()) + abs(p.y() - start.y()), other, c))
    # Only a vertex with no other layer's vertex within the snapping tolerance is a clear target.
    points = [(pixel(window, o, c), c) for _d, o, c in candidates]
    candidates = [item for item, (p, c) in zip(candidates, points, strict=True)
                  if not any(c2 != c and abs(p2.x() - p.x()) + abs(p2.y() - p.y()) < 30 for p2, c2 in points)]
    assert candidates, "another layer has vertices in view"
    candidates.sort(key=lambda item: item[0])
    _distance, other, target_vertex = candidates[min(3, len(candidates) - 1)]
    target = pixel(window, other, target_vertex) + QPoint(3, 3)
    drag(qtbot, canvas, start, target)
    assert target_vertex in map(tuple, coords(layer, 3)), "snapped exactly, bit for bit"


def test_insert_a_vertex_by_double_click_then_select_and_delete_vertices(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    canvas = window.canvas
    window.editing.actions.tool_actions[Mode.VERTEX].trigger()
    before = coords(layer, 3)
    old_geom = layer.frame.geometry.iloc[3]
    # The middle of the longest segment of the eco-community sector.
    lengths = np.hypot(*np.diff(before, axis=0).T)
    i = int(np.argmax(lengths))
    mid = (before[i] + before[i + 1]) / 2
    point = pixel(window, layer, mid)
    qtbot.mouseMove(canvas, point)
    qtbot.mouseDClick(canvas, Qt.LeftButton, Qt.NoModifier, point)
    after = coords(layer, 3)
    assert len(after) == len(before) + 1
    inserted = after[i + 1]
    assert shapely.LineString([before[i], before[i + 1]]).distance(shapely.Point(inserted)) < 1e-7
    np.testing.assert_array_equal(np.delete(after, i + 1, axis=0), before)
    assert window.editing.stack.undoText() == "Insert vertex"

    # Click one vertex, shift-click another, press Delete.
    a, b = after[i + 1], after[i + 3]
    click(qtbot, canvas, pixel(window, layer, a))
    click(qtbot, canvas, pixel(window, layer, b), Qt.ShiftModifier)
    assert len(window.editing.tools.tool.selected) == 2
    qtbot.keyClick(canvas, Qt.Key_Delete)
    final = coords(layer, 3)
    assert len(final) == len(after) - 2
    assert tuple(a) not in map(tuple, final) and tuple(b) not in map(tuple, final)
    assert window.editing.stack.undoText() == "Delete 2 vertices"
    window.editing.stack.undo()
    np.testing.assert_array_equal(coords(layer, 3), after)
    window.editing.stack.undo()
    assert layer.frame.geometry.iloc[3].equals_exact(old_geom, 0)


def test_deleting_vertices_never_leaves_a_ring_with_too_few_points(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    canvas = window.canvas
    # A triangle drawn on the map, then three of its vertices selected with a box.
    base = free_pixel(window, QPoint(canvas.width() // 4, canvas.height() - 200))
    corners = [base, free_pixel(window, base + QPoint(70, 0)), free_pixel(window, base + QPoint(30, -60))]
    window.editing.tools.set_mode(Mode.ADD_POLYGON)
    for point in corners:
        click(qtbot, canvas, point)
    qtbot.mouseDClick(canvas, Qt.LeftButton, Qt.NoModifier, corners[-1])
    row = len(layer) - 1
    assert len(coords(layer, row)) == 4
    window.editing.tools.set_mode(Mode.VERTEX)
    window.editing.tools.set_snapping(False)
    drag(qtbot, canvas, base + QPoint(-20, 20), base + QPoint(90, -80))  # a box around the triangle
    assert len(window.editing.tools.tool.selected) == 3
    steps = window.editing.stack.count()
    qtbot.keyClick(canvas, Qt.Key_Delete)
    assert window.editing.stack.count() == steps, "no edit was made"
    assert len(coords(layer, row)) == 4
    assert "Too few vertices" in window.statusBar().currentMessage()


def test_split_a_zone_with_a_drawn_line_then_merge_it_back(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    canvas = window.canvas
    original = layer.frame.geometry.iloc[3]
    original_id = layer.frame["id"].iloc[3]
    window.select_feature(original_id, zoom=True)
    assert window.canvas.wait_for_render()
    x0, y0, x1, y1 = original.bounds
    cy = (y0 + y1) / 2
    left = free_pixel(window, pixel(window, layer, (x0, cy)) + QPoint(-30, 0))
    right = free_pixel(window, pixel(window, layer, (x1, cy)) + QPoint(30, 0))
    window.editing.actions.tool_actions[Mode.SPLIT].trigger()
    click(qtbot, canvas, left)
    qtbot.mouseMove(canvas, right)
    qtbot.mouseDClick(canvas, Qt.LeftButton, Qt.NoModifier, right)

    assert len(layer) == 5, window.statusBar().currentMessage()
    assert layer.frame["id"].iloc[4] == f"{original_id}.part2"
    for column in ("name_en", "parent_id", "role_en"):
        assert layer.frame[column].iloc[4] == layer.frame[column].iloc[3]
    pieces = [layer.frame.geometry.iloc[3], layer.frame.geometry.iloc[4]]
    assert all(p.is_valid for p in pieces)
    assert geodesic_area(pieces[0]) >= geodesic_area(pieces[1]), "the larger piece keeps the feature"
    # Planar area in the layer's CRS is conserved exactly; geodesic area to within a few m²
    # (the new boundary vertices lie on straight lon/lat edges, not on geodesics).
    assert sum(p.area for p in pieces) == pytest.approx(original.area, rel=1e-12)
    assert sum(map(geodesic_area, pieces)) == pytest.approx(geodesic_area(original), rel=1e-6)
    assert window.editing.stack.undoText().startswith("Split Innovation eco-community into 2 parts")

    # Merge: select both pieces with clicks, keep the second piece's attributes.
    window.editing.tools.set_mode(Mode.SELECT)
    click(qtbot, canvas, pixel(window, layer, shapely.point_on_surface(pieces[0]).coords[0]))
    click(qtbot, canvas, pixel(window, layer, shapely.point_on_surface(pieces[1]).coords[0]), Qt.ShiftModifier)
    assert layer.selection.tolist() == [3, 4]
    window.choices = [1]
    window.editing.actions.act_merge.trigger()
    assert window.asked[-1][0] == "Merge features"
    assert len(layer) == 4
    merged = layer.frame.geometry.iloc[3]
    assert layer.frame["id"].iloc[3] == f"{original_id}.part2"
    assert merged.area == pytest.approx(original.area, rel=1e-12)
    assert merged.geom_type == "Polygon"

    window.editing.stack.undo()
    assert len(layer) == 5
    assert layer.frame.geometry.iloc[3].equals_exact(pieces[0], 0)
    assert layer.frame.geometry.iloc[4].equals_exact(pieces[1], 0)
    window.editing.stack.undo()
    assert len(layer) == 4
    assert layer.frame.geometry.iloc[3].equals_exact(original, 0)
    assert layer.frame["id"].tolist()[3] == original_id


def test_a_self_intersecting_drag_is_flagged_then_repaired_or_undone(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    canvas = window.canvas
    window.editing.actions.tool_actions[Mode.VERTEX].trigger()
    window.editing.tools.set_snapping(False)
    ring = coords(layer, 3)[:-1]
    # Drag a vertex across the zone to beyond the opposite side: the boundary crosses itself.
    k = 0
    opposite = ring[len(ring) // 2]
    target_xy = ring[k] + 1.4 * (opposite - ring[k])
    drag(qtbot, canvas, pixel(window, layer, ring[k]), pixel(window, layer, target_xy))
    assert not layer.frame.geometry.iloc[3].is_valid
    bar = window.editing.validity.bar
    qtbot.waitUntil(bar.isVisible)  # checked once the map shows the edit
    assert "Self-intersection" in bar.label.text() and "Innovation eco-community" in bar.label.text()
    overlay = window.editing.tools.canvas_overlay()
    assert any(style == "problem" for *_xy, style in overlay.markers)
    assert any("Self-intersection" in text for _x, _y, text, style in overlay.texts if style == "problem")

    qtbot.mouseClick(bar.repair_button, Qt.LeftButton)
    assert layer.frame.geometry.iloc[3].is_valid
    assert window.editing.stack.undoText() == "Repair geometry"
    qtbot.waitUntil(lambda: not bar.isVisible())
    window.editing.stack.undo()
    assert not layer.frame.geometry.iloc[3].is_valid
    qtbot.waitUntil(bar.isVisible)
    qtbot.mouseClick(bar.undo_button, Qt.LeftButton)
    assert layer.frame.geometry.iloc[3].is_valid
    qtbot.waitUntil(lambda: not bar.isVisible())


def test_move_and_rotate_selected_features(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    canvas = window.canvas
    window.editing.tools.set_snapping(False)
    original = layer.frame.geometry.iloc[3]
    window.select_feature(layer.frame["id"].iloc[3])
    window.editing.tools.set_mode(Mode.MOVE)
    start = pixel(window, layer, shapely.point_on_surface(original).coords[0])
    drag(qtbot, canvas, start, start + QPoint(40, 0))
    moved = layer.frame.geometry.iloc[3]
    assert moved.centroid.x > original.centroid.x
    assert moved.area == pytest.approx(original.area, rel=1e-3)
    assert window.editing.stack.undoText() == "Move feature"
    window.editing.tools.set_mode(Mode.ROTATE)
    c = pixel(window, layer, moved.centroid.coords[0])
    qtbot.mouseMove(canvas, c + QPoint(80, 0))
    qtbot.mousePress(canvas, Qt.LeftButton, Qt.ShiftModifier, c + QPoint(80, 0))
    qtbot.mouseMove(canvas, c + QPoint(60, -60))
    qtbot.mouseMove(canvas, c + QPoint(0, -80))
    qtbot.mouseRelease(canvas, Qt.LeftButton, Qt.ShiftModifier, c + QPoint(0, -80))
    assert window.editing.stack.undoText().startswith("Rotate feature by 90.0°")
    window.editing.stack.undo()
    window.editing.stack.undo()
    assert layer.frame.geometry.iloc[3].equals_exact(original, 0)


def test_delete_copy_and_paste_features_between_layers(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    clusters = window.project.layer("hitech_clusters")
    window.select_feature(layer.frame["id"].iloc[0])
    window.canvas.setFocus()
    assert window.editing.operations.copy_features()
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(clusters.id))
    window.editing.operations.set_editing(True)
    n = len(clusters)
    window.editing.actions.act_paste.trigger()
    assert len(clusters) == n + 1
    assert clusters.frame["id"].iloc[-1] == layer.frame["id"].iloc[0]
    assert clusters.frame.geometry.iloc[-1].equals_exact(layer.frame.geometry.iloc[0], 0)
    assert window.editing.stack.undoText() == "Paste feature"
    window.editing.actions.act_paste.trigger()
    assert clusters.frame["id"].iloc[-1] == layer.frame["id"].iloc[0] + ".copy2"
    # Delete the pasted copies with the Delete key on the map.
    clusters.select([n, n + 1])
    window.canvas.setFocus()
    window.editing.actions.act_delete.trigger()
    assert len(clusters) == n
    assert window.editing.stack.undoText() == "Delete 2 features"
    window.editing.stack.undo()
    assert len(clusters) == n + 2 and clusters.selection.tolist() == [n, n + 1]
    # Points cannot be pasted into a polygon layer.
    points = window.project.layer("hitech_city_platforms")
    window.editing.operations.clipboard = (points.frame.iloc[[0]].copy(), points.crs, "point", "")
    window.editing.actions.act_paste.trigger()
    assert "holds polygons" in window.statusBar().currentMessage()
