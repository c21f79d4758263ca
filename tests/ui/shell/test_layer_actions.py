"""The layer context menu and layer properties: every entry driven in the window, checked on the
model and on what the user sees (menu texts, tree titles, dialog labels)."""

from __future__ import annotations

import pyogrio
import pytest
from PySide6.QtCore import Qt

from gisapp.core.model.tile_layer import TileLayer, TileSource
from gisapp.io.project_gpkg import load_project

LAYER = "hitech_clusters"


@pytest.fixture
def window(make_window):
    window = make_window("en")
    window.ask = lambda *_args, **_kwargs: "discard"
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(LAYER))
    return window


def texts(menu):
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def tree_title(window, layer_id):
    return window.tree_model.index_for_layer(layer_id).data(Qt.DisplayRole)


def test_the_context_menu_offers_what_applies(window):
    layer = window.project.layer(LAYER)
    assert texts(window.layer_actions.context_menu(layer)) == [
        "Layer properties…", "Style…", "Labels…", "Attribute table", "Select by expression…",
        "Field calculator…", "Zoom to layer", "Export layer…", "Load style…", "Save style as .qml / .sld…",
        "Rename…", "Duplicate", "Set layer CRS…", "Remove layer"]
    basemap = TileLayer("tiles", "底图", "Tiles", TileSource("xyz", url="http://127.0.0.1:9/{z}/{x}/{y}.png"),
                        visible=False)
    window.project.add_layer(basemap)
    assert texts(window.layer_actions.context_menu(basemap)) == ["Zoom to layer", "Rename…", "Remove layer"]


def test_the_context_menu_speaks_chinese(make_window):
    window = make_window("zh")
    menu = window.layer_actions.context_menu(window.project.layer(LAYER))
    assert texts(menu)[:3] == ["图层属性…", "样式…", "标注…"]
    assert "字段计算器…" in texts(menu) and "复制图层" in texts(menu)


def test_rename_is_undoable_shown_in_the_tree_and_saved(window, tmp_path):
    layer = window.project.layer(LAYER)
    window.layer_actions.ask_names = lambda zh, en: ("产业组团（修订）", "Clusters (revised)")
    assert window.layer_actions.rename()
    assert (layer.title_zh, layer.title_en) == ("产业组团（修订）", "Clusters (revised)")
    assert tree_title(window, LAYER) == "Clusters (revised)"
    assert window.editing.stack.undoText() == "Rename layer to “Clusters (revised)”"
    assert window.windowTitle().startswith("*")
    window.editing.stack.undo()
    assert tree_title(window, LAYER) == "Industrial clusters"
    window.editing.stack.redo()
    path = tmp_path / "plan.gpkg"
    window.get_save_path = lambda *_args: str(path)
    assert window.save_as()
    assert load_project(path).layer(LAYER).title_en == "Clusters (revised)"
    # Empty names are refused; one name fills both languages.
    window.layer_actions.ask_names = lambda zh, en: ("  ", "")
    assert not window.layer_actions.rename()
    window.layer_actions.ask_names = lambda zh, en: ("组团", "")
    assert window.layer_actions.rename() and (layer.title_zh, layer.title_en) == ("组团", "组团")


def test_a_basemap_can_be_renamed(window):
    basemap = TileLayer("tiles", "底图", "Tiles", TileSource("xyz", url="http://127.0.0.1:9/{z}/{x}/{y}.png"),
                        visible=False)
    window.project.add_layer(basemap)
    window.layer_actions.ask_names = lambda zh, en: ("影像", "Imagery")
    assert window.layer_actions.rename("tiles")
    assert tree_title(window, "tiles") == "Imagery"
    window.editing.stack.undo()
    assert basemap.title_en == "Tiles"


def test_duplicate_shares_nothing_mutable(window):
    layer = window.project.layer(LAYER)
    count = len(window.project.layers)
    copy = window.layer_actions.duplicate()
    assert len(window.project.layers) == count + 1 and copy.id != layer.id
    assert copy.title_en == "Industrial clusters (copy)" and copy.title_zh == "产业组团 副本"
    assert copy.frame is not layer.frame and copy.style is not layer.style
    assert copy.frame.equals(layer.frame) and copy.style.to_dict() == layer.style.to_dict()
    copy.frame.loc[0, "name_en"] = "changed"
    copy.field_aliases["kind"] = {"en": "Sort"}
    copy.metadata["note"] = "x"
    assert layer.frame["name_en"].iloc[0] != "changed"
    assert "kind" not in layer.field_aliases and "note" not in layer.metadata
    assert window.current_layer() is copy


def test_zoom_export_style_and_labels(window, tmp_path, qtbot):
    layer = window.project.layer(LAYER)
    window.canvas.zoom_by(0.01)
    before = window.canvas.viewport.scale_denominator()
    window.act_zoom_layer.trigger()
    assert window.canvas.viewport.scale_denominator() < before / 10
    target = tmp_path / "clusters.geojson"
    window.get_save_path = lambda *_args: str(target)
    assert window.layer_actions.export() == []
    assert len(pyogrio.read_dataframe(target)) == len(layer)
    style = window.layer_actions.open_style(LAYER)
    assert style.layer().id == LAYER and style.isVisible()
    labels = window.layer_actions.open_labels(LAYER)
    assert labels is style and labels.label_combo.hasFocus() or labels.focusWidget() is labels.label_combo


def test_the_map_crs_can_be_any_epsg_code(window):
    assert window.layer_actions.canvas_crs_dialog(answer="EPSG:4549") == "EPSG:4549"
    assert window.canvas.viewport.crs == "EPSG:4549"
    checked = [a.text() for a in window.menu_crs.actions() if a.isChecked()]
    assert checked == ["EPSG:4549 CGCS2000 / 3-degree Gauss-Kruger CM 120E"]
    assert "Other CRS…" in texts(window.menu_crs)
    assert window.canvas.wait_for_render()


def test_canvas_crs_dialog_finds_a_crs_by_search(qtbot, window):
    from gisapp.ui.panels.crs_search import CanvasCrsDialog

    dialog = CanvasCrsDialog("EPSG:3857", window)
    qtbot.addWidget(dialog)
    assert dialog.code() == "EPSG:3857"
    dialog.crs_search.search.setText("UTM 51N WGS 84")
    assert dialog.crs_search.proxy.rowCount() >= 1
    dialog.crs_search.search.setText("32651")
    assert dialog.code() == "EPSG:32651"


def test_properties_show_source_count_extent_and_geometry(window):
    layer = window.project.layer(LAYER)
    dialog = window.layer_actions.open_properties()
    values = {key: label.text() for key, label in dialog.values.items()}
    assert values["path"].endswith("layers/hitech_clusters.geojson")
    assert values["driver"] == "GeoJSON" and values["count"] == str(len(layer))
    assert values["geometry"].startswith("Polygons") and values["crs"] == "EPSG:4326 WGS 84"
    xmin, ymin, xmax, ymax = layer.frame.total_bounds
    assert values["extent"] == f"{xmin:.6f}, {ymin:.6f} — {xmax:.6f}, {ymax:.6f}"
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Information", "CRS", "Fields", "Style", "Labels"]
    assert all(label.textFormat() == Qt.PlainText for label in dialog.values.values())


def test_properties_set_the_crs_found_by_search(window):
    layer = window.project.layer(LAYER)
    coordinates = layer.frame.geometry.iloc[0].bounds
    dialog = window.layer_actions.open_properties()
    dialog.crs_search.search.setText("4490")
    assert dialog.crs_search.code() == "EPSG:4490"
    assert dialog.apply_crs()
    assert layer.crs == "EPSG:4490"
    assert layer.frame.geometry.iloc[0].bounds == coordinates  # read in the CRS, not transformed
    assert dialog.crs_current.text() == "Current CRS: EPSG:4490 China Geodetic Coordinate System 2000"


def test_aliases_edited_in_properties_are_undoable_and_saved(window, tmp_path):
    layer = window.project.layer(LAYER)
    dialog = window.layer_actions.open_properties()
    table = dialog.fields_table
    row = layer.attribute_columns().index("kind")
    table.item(row, 2).setText("组团类型")
    table.item(row, 3).setText("Cluster type")
    assert dialog.apply_aliases() == 1
    assert layer.field_aliases["kind"] == {"zh": "组团类型", "en": "Cluster type"}
    assert window.editing.stack.undoText() == "Alias of kind set to “组团类型”"
    assert dialog.apply_aliases() == 0  # nothing changed since
    path = tmp_path / "plan.gpkg"
    window.get_save_path = lambda *_args: str(path)
    assert window.save_as()
    assert load_project(path).layer(LAYER).field_aliases["kind"] == {"zh": "组团类型", "en": "Cluster type"}
    window.editing.stack.undo()
    assert "kind" not in layer.field_aliases
    assert table.item(row, 3).text() == "Feature type"  # the dialog follows the undo
