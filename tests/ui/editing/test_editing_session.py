"""The edit buffer in the window: save, discard, prompts, markers, attributes, checks, export."""

import numpy as np
import pandas as pd
import pytest
import shapely
from editing_helpers import SECTORS, coords, prepare
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QUndoView

from gisapp.core.editing.edits import SetGeometries
from gisapp.core.editing.tools import Mode
from gisapp.io.project_gpkg import load_project
from gisapp.io.vector import open_vector_file


@pytest.fixture(autouse=True)
def recovery_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GISAPP_RECOVERY_DIR", str(tmp_path / "recovery"))


def nudge(window, layer, row=3, dx=0.001):
    """One geometry edit through the undo stack (what the tools do)."""
    geom = layer.frame.geometry.iloc[row]
    moved = shapely.transform(geom, lambda c: c + [dx, 0.0])
    window.editing.push(SetGeometries(layer.id, [row], [moved], project=window.project, kind="move_feature"))
    return moved


def tree_text(window, layer_id):
    index = window.tree_model.index_for_layer(layer_id)
    return index.data(Qt.DisplayRole), index.data(Qt.DecorationRole)


def test_unsaved_edits_show_in_title_and_layer_tree_and_undo_to_clean_clears_them(make_window):
    window = make_window("en")
    layer = prepare(window)
    assert not window.windowTitle().startswith("*")
    text, icon = tree_text(window, SECTORS)
    assert not text.startswith("*") and icon is not None, "a pencil marks the layer being edited"
    nudge(window, layer)
    assert window.windowTitle().startswith("*")
    assert tree_text(window, SECTORS)[0].startswith("* ")
    window.editing.stack.undo()
    assert not window.windowTitle().startswith("*"), "undone back to the saved state: nothing to save"
    assert not tree_text(window, SECTORS)[0].startswith("*")


def test_undo_history_labels_follow_the_window_language(make_window):
    window = make_window("en")
    layer = prepare(window)
    nudge(window, layer)
    history = window.findChild(QUndoView, "UndoHistory").model()
    assert window.editing.stack.undoText() == "Move feature"
    window.set_language("zh")
    assert window.editing.stack.undoText() == "移动要素"
    assert history.index(1, 0).data() == "移动要素", "the undo history panel shows the same label"
    window.set_language("en")
    assert window.editing.stack.undoText() == "Move feature"


def test_save_edits_writes_the_project_atomically_and_undo_after_save_is_possible(make_window, tmp_path):
    window = make_window("en")
    layer = prepare(window)
    path = tmp_path / "plan.gpkg"
    window.get_save_path = lambda *_args: str(path)
    moved = nudge(window, layer)
    assert window.editing.actions.act_save_edits.isEnabled()
    window.editing.actions.act_save_edits.trigger()
    assert path.exists()
    assert not window.editing.session.is_dirty()
    assert not window.windowTitle().startswith("*")
    assert not list(tmp_path.glob(".plan.*")), "no temporary file is left beside the project"
    saved = load_project(path).layer(SECTORS)
    assert saved.frame.geometry.iloc[3].equals_exact(moved, 0)
    # Undo after a save is allowed and makes the layer dirty again; redo makes it clean.
    window.editing.stack.undo()
    assert window.editing.session.is_dirty(SECTORS)
    window.editing.stack.redo()
    assert not window.editing.session.is_dirty(SECTORS)


def test_discard_asks_first_then_restores_the_saved_state_and_clears_undo(make_window):
    window = make_window("en")
    layer = prepare(window)
    before = layer.frame.copy()
    nudge(window, layer)
    nudge(window, layer, row=1)
    window.answers = ["cancel"]
    window.editing.actions.act_discard.trigger()
    assert window.asked[-1][0] == "Discard edits" and window.editing.session.is_dirty()
    window.answers = ["discard"]
    window.editing.actions.act_discard.trigger()
    assert not window.editing.session.is_dirty()
    assert layer.frame.geometry.geom_equals_exact(before.geometry, tolerance=0).all()
    assert window.editing.stack.count() == 0
    assert window.editing.session.is_editing(SECTORS), "discarding keeps the layer in editing mode"


def test_stopping_editing_or_closing_with_unsaved_edits_asks(make_window, tmp_path):
    window = make_window("en")
    layer = prepare(window)
    nudge(window, layer)
    window.answers = ["cancel"]
    window.editing.actions.act_toggle.trigger()  # turn editing off
    assert window.asked[-1][0] == "Stop editing"
    assert window.editing.session.is_editing(SECTORS), "cancel keeps editing and the edits"
    assert window.editing.actions.act_toggle.isChecked()
    window.answers = ["cancel"]
    window.close()
    title, text, buttons = window.asked[-1]
    assert title == "Unsaved changes" and "Yingeshi Science City functional sectors" in text
    assert buttons == ["save", "discard", "cancel"]
    assert window.isVisible(), "cancel keeps the window open"
    # Switching projects asks the same question.
    path = tmp_path / "other.gpkg"
    from gisapp.io.catalogue import load_catalogue
    from gisapp.io.project_gpkg import save_project

    save_project(load_catalogue(), path)
    window.answers = ["cancel"]
    assert window.open_paths([str(path)]).wait() == []
    assert window.editing.session.is_dirty()
    window.answers = ["discard"]
    window.editing.actions.act_toggle.trigger()
    assert not window.editing.session.is_editing(SECTORS)
    assert window.editing.tools.mode == Mode.PAN


def test_saving_invalid_geometry_offers_repair(make_window, tmp_path, qtbot):
    window = make_window("en")
    layer = prepare(window)
    window.project.metadata["path"] = str(tmp_path / "plan.gpkg")
    ring = coords(layer, 3)[:-1].copy()
    ring[0] = ring[0] + 1.4 * (ring[len(ring) // 2] - ring[0])
    bowtie = shapely.Polygon(ring)
    assert not bowtie.is_valid
    window.editing.push(SetGeometries(SECTORS, [3], [bowtie], project=window.project, kind="move_vertex"))
    qtbot.waitUntil(window.editing.validity.bar.isVisible)  # checked once the map shows the edit
    window.answers = ["cancel"]
    assert not window.save()
    assert window.asked[-1][0] == "Invalid geometries"
    window.answers = ["repair"]
    assert window.save()
    assert layer.frame.geometry.iloc[3].is_valid
    assert load_project(tmp_path / "plan.gpkg").layer(SECTORS).frame.geometry.iloc[3].is_valid


def _numeric_project(bundled_project):
    layer = bundled_project.layer(SECTORS)
    frame = layer.frame.copy()
    frame["jobs"] = pd.Series([1200, 800, 650, 300], dtype="int64")
    frame["green_ratio"] = pd.Series([0.35, 0.3, 0.25, 0.4], dtype="float64")
    layer.frame = frame
    return bundled_project


def test_attribute_panel_keeps_types_and_explains_values_that_do_not_fit(make_window, bundled_project):
    window = make_window("en", project=_numeric_project(bundled_project))
    layer = prepare(window)
    window.select_feature(layer.frame["id"].iloc[2])
    panel = window.panel
    assert panel.editor.isVisible()
    assert panel.edit_value("jobs", "7000") is None
    assert layer.frame["jobs"].iat[2] == 7000 and layer.frame["jobs"].dtype == np.int64
    assert window.editing.stack.undoText() == "Set jobs to “7000”"
    message = panel.edit_value("jobs", "7k")
    assert message == "“jobs” takes a whole number; “7k” is not one."
    assert layer.frame["jobs"].iat[2] == 7000
    assert window.editing.stack.count() == 1, "a value that does not fit makes no undo step"
    assert panel.edit_value("green_ratio", "0.42") is None
    assert layer.frame["green_ratio"].iat[2] == pytest.approx(0.42)
    assert panel.edit_value("name_en", "Digital economy area") is None
    assert "Digital economy area" in panel.plain_text()
    window.editing.stack.undo()
    assert layer.frame["name_en"].iat[2] == "New-economy business area"
    window.editing.stack.undo()
    window.editing.stack.undo()
    assert layer.frame["jobs"].iat[2] == 650 and layer.frame["green_ratio"].iat[2] == 0.25


def test_attribute_table_cells_are_edited_through_undoable_typed_edits(make_window, bundled_project, qtbot):
    window = make_window("en", project=_numeric_project(bundled_project))
    layer = prepare(window)
    table = window.open_attribute_table(SECTORS)
    model = table.model
    column = model.columns.index("jobs")
    index = model.index(0, column)
    assert model.flags(index) & Qt.ItemIsEditable
    assert model.setData(index, "1500")
    row = model.frame_row(0)
    assert layer.frame["jobs"].iat[row] == 1500
    assert not model.setData(index, "lots")
    assert table.message_label.text() == "“jobs” takes a whole number; “lots” is not one."
    assert model.data(index) == "1500"
    window.editing.stack.undo()
    assert model.data(index) == str(layer.frame["jobs"].iat[row])
    # Deleting a feature updates the table.
    layer.select([0])
    window.editing.operations.delete_selected()
    assert model.rowCount() == 3
    window.editing.stack.undo()
    assert model.rowCount() == 4
    # A layer that is not being edited is read-only.
    window.answers = ["discard"]
    window.editing.operations.set_editing(False, SECTORS)
    assert not model.flags(index) & Qt.ItemIsEditable


def test_layer_check_lists_overlaps_and_shows_them(make_window):
    window = make_window("en")
    layer = prepare(window)
    window.editing.actions.act_check.trigger()
    assert not window.editing.layer_check.check_list.count(), "the bundled sectors share edges, no overlaps"
    # Grow the frontier sector over its neighbours: the check lists the overlaps.
    frame = layer.frame.copy()
    frame.loc[frame.index[0], "geometry"] = frame.geometry.iloc[0].buffer(0.003)
    layer.set_frame(frame)
    window.editing.actions.act_check.trigger()
    assert window.editing.layer_check.check_dock.isVisible()
    check_list = window.editing.layer_check.check_list
    items = [check_list.item(i).text() for i in range(check_list.count())]
    assert any(text.startswith("Overlap: Frontier science and technology R&D area and") for text in items)
    check_list.setCurrentRow(0)
    assert window.editing.layer_check.highlight is not None
    assert window.editing.tools.canvas_overlay().geometries


def test_export_layer_as_utf8_shapefile_with_cpg_and_as_geojson(make_window, tmp_path):
    window = make_window("zh")
    prepare(window)
    shp = tmp_path / "sectors.shp"
    window.get_save_path = lambda *_args: str(shp)
    errors = []
    window.show_error = lambda title, text: errors.append((title, text))
    warnings = window.editing.export.export_layer_dialog()
    assert shp.with_suffix(".cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
    assert any("industries_zh" in w for w in warnings) and errors, "renamed fields are reported"
    reread = open_vector_file(shp)[0]
    assert reread.frame["name_zh"].iloc[0] == "前沿科技研发区"
    geojson = tmp_path / "sectors.geojson"
    window.get_save_path = lambda *_args: str(geojson)
    assert window.editing.export.export_layer_dialog() == []
    back = open_vector_file(geojson)[0]
    layer = window.project.layer(SECTORS)
    assert back.frame.geometry.iloc[0].equals_exact(layer.frame.geometry.iloc[0], 0)


def test_snapping_toggles_with_s_and_the_marker_shows_where_the_cursor_lands(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    canvas = window.canvas
    window.editing.tools.set_mode(Mode.ADD_POLYGON)
    from editing_helpers import pixel

    vertex = coords(layer, 3)[0]
    near = pixel(window, layer, vertex) + QPoint(5, 4)
    qtbot.mouseMove(canvas, near)
    markers = [style for *_xy, style in window.editing.tools.canvas_overlay().markers]
    assert "snap_vertex" in markers
    qtbot.keyClick(window, Qt.Key_S)
    assert not window.editing.tools.snapping
    qtbot.mouseMove(canvas, near + QPoint(1, 0))
    assert "snap_vertex" not in [style for *_xy, style in window.editing.tools.canvas_overlay().markers]
    qtbot.keyClick(window, Qt.Key_S)
    assert window.editing.tools.snapping


def test_pan_still_works_with_a_tool_and_identify_without(make_window, qtbot):
    window = make_window("en")
    prepare(window)
    canvas = window.canvas
    window.editing.tools.set_mode(Mode.VERTEX)
    centre = canvas.viewport.center_x
    start = QPoint(200, 200)
    qtbot.mousePress(canvas, Qt.MiddleButton, Qt.NoModifier, start)
    qtbot.mouseMove(canvas, start + QPoint(60, 0))
    qtbot.mouseRelease(canvas, Qt.MiddleButton, Qt.NoModifier, start + QPoint(60, 0))
    assert canvas.viewport.center_x < centre, "middle-button drag pans while a tool is active"
    assert window.editing.stack.count() == 0
    window.editing.tools.set_mode(Mode.PAN)
    assert canvas.interaction is not None and not canvas.interaction.active()


def test_removing_a_layer_with_unsaved_edits_asks_and_forgets_its_undo_steps(make_window):
    window = make_window("en")
    layer = prepare(window)
    nudge(window, layer)
    window.answers = ["cancel"]
    window.remove_current_layer()
    assert window.asked[-1][0] == "Remove layer" and SECTORS in [lyr.id for lyr in window.project.layers]
    window.answers = ["discard"]
    window.remove_current_layer()
    assert SECTORS not in [lyr.id for lyr in window.project.layers]
    assert window.editing.stack.count() == 0 and not window.editing.session.is_editing(SECTORS)
