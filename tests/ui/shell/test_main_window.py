"""The desktop window on the bundled project, driven like a user would."""

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QMimeData, QPoint, Qt

from gisapp.core.model.identify import features_at
from gisapp.ui.panels.layer_tree import LAYER_MIME

SCIENCE_CITY = "hitech.city.yingeshi"


def clickable_pixel(window, feature_id):
    """A pixel inside the feature where it is the topmost hit (nothing drawn above it)."""
    layer, row = window.project.find_feature(feature_id)
    canvas = window.canvas
    geom = layer.projected(canvas.viewport.crs).geometries[row]
    xmin, ymin, xmax, ymax = geom.bounds
    for fx in np.linspace(0.1, 0.9, 9):
        for fy in np.linspace(0.1, 0.9, 9):
            x, y = xmin + fx * (xmax - xmin), ymin + fy * (ymax - ymin)
            if not geom.contains(shapely.Point(x, y)):
                continue
            px, py = canvas.viewport.map_to_pixel(x, y)
            if not (0 < px < canvas.width() and 0 < py < canvas.height()):
                continue
            hits = features_at(window.project, canvas.viewport.crs, x, y, 6 * canvas.viewport.resolution)
            if hits and hits[0] == (layer.id, row):
                return QPoint(round(px), round(py))
    pytest.fail(f"no pixel of {feature_id} is clickable")


def empty_pixel(window):
    canvas = window.canvas
    for py in range(canvas.height() - 80, 20, -25):
        for px in range(20, canvas.width() - 20, 25):
            x, y = canvas.viewport.pixel_to_map(px, py)
            if not features_at(window.project, canvas.viewport.crs, x, y, 6 * canvas.viewport.resolution):
                return QPoint(px, py)
    pytest.fail("no empty pixel in view")


def test_clicking_a_zone_selects_it_and_shows_attributes_and_indicators(make_window, qtbot):
    window = make_window("en")
    feature_id = "hitech.cluster.huangnichuan"
    layer, row = window.project.find_feature(feature_id)
    window.canvas.zoom_to_feature(layer.id, row)
    window.canvas.wait_for_render()
    qtbot.mouseClick(window.canvas, Qt.LeftButton, pos=clickable_pixel(window, feature_id))
    assert layer.selection.tolist() == [row]
    text = window.panel.plain_text()
    assert layer.frame.loc[row, "name_en"] in text
    assert "Geodesic area" in text and "km²" in text
    linked = window.project.indicators.for_feature(feature_id)
    assert linked, "the Huangnichuan cluster should carry plan indicators"
    for indicator, _link in linked:
        assert indicator.name_en in text
    # Clicking empty sea clears the selection and the panel.
    window.canvas.zoom_by(1 / 8)
    window.canvas.wait_for_render()
    qtbot.mouseClick(window.canvas, Qt.LeftButton, pos=empty_pixel(window))
    assert len(layer.selection) == 0
    assert "Click a zone" in window.panel.plain_text()


def test_science_city_panel_lists_its_targets_with_sources(make_window):
    window = make_window("en")
    assert window.select_feature(SCIENCE_CITY)
    text = window.panel.plain_text()
    assert "Yingeshi Science City" in text
    assert "6000" in text and "30" in text
    assert "Outline of the 14th Five-Year Plan" in text and "dalian-hitech-14th-five-year-plan.zh.txt" not in text
    assert "Schematic shape" in text


def _pixel_of(window, feature_id):
    layer, row = window.project.find_feature(feature_id)
    point = shapely.point_on_surface(layer.projected(window.canvas.viewport.crs).geometries[row])
    return [round(v) for v in window.canvas.viewport.map_to_pixel(point.x, point.y)]


def test_unchecking_a_layer_hides_it_on_the_map(make_window):
    window = make_window("en")
    layer, _row = window.project.find_feature(SCIENCE_CITY)
    px, py = _pixel_of(window, SCIENCE_CITY)
    before = window.canvas._image.pixelColor(px, py)
    model = window.tree_model
    index = model.index_for_layer(layer.id)
    assert model.data(index, Qt.CheckStateRole) == Qt.Checked
    # Hide everything above the science city too, so the pixel shows the city or the land.
    for other in window.project.layers[: window.project.layers.index(layer)]:
        other.set_visible(False)
    window.canvas.wait_for_render()
    with_city = window.canvas._image.pixelColor(px, py)
    assert model.setData(index, Qt.Unchecked, Qt.CheckStateRole)
    assert not layer.visible
    window.canvas.wait_for_render()
    without_city = window.canvas._image.pixelColor(px, py)
    assert with_city != without_city
    assert before.isValid()
    # The group check box shows a partial state once one of its layers is hidden.
    group_index = index.parent()
    assert model.data(group_index, Qt.CheckStateRole) in (Qt.PartiallyChecked, Qt.Unchecked)


def test_dragging_a_layer_reorders_drawing(make_window):
    window = make_window("en")
    model = window.tree_model
    group_index = model.index(0, 0)
    group_id = model.node(group_index).key
    layers = window.project.layers_in_group(group_id)
    if len(layers) < 2:
        group_index = next(model.index(r, 0) for r in range(model.rowCount())
                           if model.rowCount(model.index(r, 0)) >= 2)
        group_id = model.node(group_index).key
        layers = window.project.layers_in_group(group_id)
    bottom = layers[-1]
    mime = QMimeData()
    mime.setData(LAYER_MIME, bottom.id.encode())
    assert model.dropMimeData(mime, Qt.MoveAction, 0, 0, group_index)
    assert window.project.layers_in_group(group_id)[0] is bottom
    group_index = model.parent(model.index_for_layer(bottom.id))
    assert model.data(model.index(0, 0, group_index), Qt.DisplayRole) == bottom.title_en
    # Drawn last means drawn on top.
    order = window.project.render_order()
    assert order.index(bottom) > order.index(layers[0])
    assert window.project.modified


def test_moving_a_layer_to_another_group(make_window):
    window = make_window("en")
    model = window.tree_model
    source = window.project.layers[0]
    target_group = window.project.groups[-1]
    target_index = next(model.index(r, 0) for r in range(model.rowCount())
                        if model.node(model.index(r, 0)).key == target_group.id)
    mime = QMimeData()
    mime.setData(LAYER_MIME, source.id.encode())
    assert model.dropMimeData(mime, Qt.MoveAction, -1, 0, target_index)
    assert source.group == target_group.id
    assert window.project.layers_in_group(target_group.id)[-1] is source


def test_switching_language_retranslates_menus_tree_and_panel(make_window):
    window = make_window("en")
    window.select_feature(SCIENCE_CITY)
    assert window.menu_file.title() == "&File"
    first_group = window.project.groups[0]
    window.set_language("zh")
    assert window.menu_file.title() == "文件(&F)"
    assert window.tree_model.data(window.tree_model.index(0, 0), Qt.DisplayRole) == first_group.title_zh
    text = window.panel.plain_text()
    assert "英歌石科学城" in text.splitlines()[0]
    assert "规划指标" in text
    assert window.canvas.lang == "zh"
    window.set_language("en")
    assert window.menu_file.title() == "&File"


def test_attribute_table_sorts_filters_and_syncs_selection(make_window):
    window = make_window("en")
    layer, _row = window.project.find_feature("hitech.cluster.huangnichuan")
    table = window.open_attribute_table(layer.id)
    model = table.model
    assert model.rowCount() == len(layer)
    name_column = model.columns.index("name_en")
    model.sort(name_column, Qt.AscendingOrder)
    shown = [model.data(model.index(r, name_column)) for r in range(model.rowCount())]
    assert shown == sorted(layer.frame["name_en"].tolist())
    model.sort(name_column, Qt.DescendingOrder)
    assert [model.data(model.index(r, name_column)) for r in range(model.rowCount())] == sorted(shown, reverse=True)
    # Table -> map
    table.view.selectRow(0)
    assert layer.selection.tolist() == [model.frame_row(0)]
    # Map -> table
    window.select_feature("hitech.cluster.huangnichuan")
    selected_rows = {model.frame_row(i.row()) for i in table.view.selectionModel().selectedRows()}
    assert selected_rows == {layer.feature_row("hitech.cluster.huangnichuan")}
    # Filter
    table.filter_edit.setText("Huangnichuan")
    table._apply_filter()
    assert 1 <= model.rowCount() < len(layer)
    assert all("Huangnichuan" in " ".join(str(layer.frame.iloc[model.frame_row(r)][c]) for c in model.columns)
               for r in range(model.rowCount()))


def test_wheel_zoom_and_drag_pan_move_the_view(make_window, qtbot):
    window = make_window("en")
    canvas = window.canvas
    start = canvas.viewport
    center = QPoint(canvas.width() // 2, canvas.height() // 2)
    qtbot.mousePress(canvas, Qt.LeftButton, pos=center)
    for step in range(1, 6):
        qtbot.mouseMove(canvas, center + QPoint(20 * step, 10 * step))
    qtbot.mouseRelease(canvas, Qt.LeftButton, pos=center + QPoint(100, 50))
    moved = canvas.viewport
    assert moved.center_x == pytest.approx(start.center_x - 100 * start.resolution)
    assert moved.center_y == pytest.approx(start.center_y + 50 * start.resolution)
    canvas.zoom_by(2.0, (10, 10))
    assert canvas.viewport.resolution == pytest.approx(moved.resolution / 2)
    assert canvas.wait_for_render()


def test_opening_a_bad_file_reports_it_and_keeps_the_project(make_window, tmp_path):
    window = make_window("en")
    bad = tmp_path / "broken.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    layers_before = [layer.id for layer in window.project.layers]
    assert window.open_paths([str(bad)]).wait() == []
    box = window.findChild(__import__("PySide6.QtWidgets", fromlist=["QMessageBox"]).QMessageBox, "ErrorBox")
    assert box is not None and "broken.geojson" in box.text()
    assert [layer.id for layer in window.project.layers] == layers_before


def test_opening_a_user_file_adds_a_layer_on_top(make_window, tmp_path):
    import geopandas as gpd

    window = make_window("en")
    path = tmp_path / "parcels.geojson"
    gpd.GeoDataFrame({"name": ["甲"]}, geometry=[shapely.box(121.5, 38.85, 121.52, 38.87)],
                     crs="EPSG:4326").to_file(path)
    assert window.open_paths([str(path)]).wait() == [str(path)]
    assert window.project.layers[0].title_en == "parcels"
    assert window.tree_model.data(window.tree_model.index(0, 0), Qt.DisplayRole) == "User layers"


def test_an_opened_layer_leaves_the_garbage_collectors_scans(make_window, tmp_path):
    """A full collection walks every tracked object holding the GIL (100 ms with a million
    parcels): opened geometries move to the permanent generation, which collections skip."""
    import gc

    import geopandas as gpd

    window = make_window("en")
    path = tmp_path / "parcels.gpkg"
    boxes = [shapely.box(121.5 + i * 1e-3, 38.85, 121.5 + (i + 1) * 1e-3, 38.86) for i in range(2000)]
    gpd.GeoDataFrame({"name": [f"p{i}" for i in range(2000)]}, geometry=boxes, crs="EPSG:4326").to_file(path)
    gc.unfreeze()
    assert window.open_paths([str(path)]).wait() == [str(path)]
    frozen = gc.get_freeze_count()
    layer = window.project.layers[0]
    assert frozen > 2000 and len(layer) == 2000
    tracked = {id(obj) for obj in gc.get_objects()}
    assert not any(id(geom) in tracked for geom in layer.frame.geometry.array[:100])


def test_canvas_crs_can_switch(make_window):
    window = make_window("en")
    window.set_canvas_crs("EPSG:4326")
    assert window.canvas.viewport.crs == "EPSG:4326"
    xmin, ymin, xmax, ymax = window.canvas.viewport.extent
    assert 120 < xmin < 122 and 38 < ymin < 40
    assert window.canvas.wait_for_render()
    assert "EPSG:4326" in window.crs_label.text()
