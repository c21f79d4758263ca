"""Select by expression and the field calculator, driven as a user would, in the main window."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from gisapp.core.analysis.expressions import Expression
from gisapp.io.project_gpkg import load_project, save_project

LAYER = "hitech_clusters"


def wait_evaluated(qtbot, builder):
    qtbot.waitUntil(lambda: not builder.busy(), timeout=20000)


@pytest.fixture
def window(make_window):
    window = make_window("en")
    window.ask = lambda *_args, **_kwargs: "discard"  # closing after unsaved edits
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(LAYER))
    return window


def test_select_by_expression_counts_matches_and_selects_them(qtbot, window):
    layer = window.project.layer(LAYER)
    dialog = window.layer_actions.select_by_expression()
    builder = dialog.builder
    builder.set_text("\"status\" = 'planned' AND $area > 2000000")
    wait_evaluated(qtbot, builder)
    expected = np.flatnonzero(Expression("\"status\" = 'planned' AND $area > 2000000").matches(layer))
    assert 0 < len(expected) < len(layer)
    assert builder.preview.text() == f"{len(expected)} of {len(layer)} features match"
    assert builder.preview.textFormat() == Qt.PlainText
    apply = dialog.buttons.button(QDialogButtonBox.Apply)
    assert apply.isEnabled()
    qtbot.mouseClick(apply, Qt.LeftButton)
    assert layer.selection.tolist() == expected.tolist()
    # Add, remove and within the current selection, as QGIS offers them.
    builder.set_text("$id = 1")
    wait_evaluated(qtbot, builder)
    dialog.set_mode("add")
    dialog.apply()
    assert layer.selection.tolist() == sorted(set(expected.tolist()) | {0})
    dialog.set_mode("remove")
    dialog.apply()
    assert 0 not in layer.selection.tolist()
    builder.set_text("name_en LIKE '%Cluster%'")
    wait_evaluated(qtbot, builder)
    dialog.set_mode("within")
    dialog.apply()
    assert set(layer.selection.tolist()) <= set(expected.tolist())


def test_an_error_names_the_position_and_nothing_is_selected(qtbot, window):
    layer = window.project.layer(LAYER)
    layer.select([1, 2])
    dialog = window.layer_actions.select_by_expression()
    dialog.builder.set_text("\"status\" = 'planned' AND $aera > 1")
    wait_evaluated(qtbot, dialog.builder)
    assert dialog.builder.preview.text() == "Character 26: there is no variable '$aera'"
    assert not dialog.buttons.button(QDialogButtonBox.Apply).isEnabled()
    assert not dialog.apply()
    assert layer.selection.tolist() == [1, 2]


def test_hostile_text_is_shown_as_text_and_the_window_keeps_working(qtbot, window):
    dialog = window.layer_actions.select_by_expression()
    dialog.builder.set_text("'<img src=/dev/zero>' = \"<b>x</b>\"")
    wait_evaluated(qtbot, dialog.builder)
    assert "no field named '<b>x</b>'" in dialog.builder.preview.text()
    assert dialog.builder.preview.textFormat() == Qt.PlainText
    dialog.builder.set_text("regexp_match(name_en, '(a+)+$') > 0 OR " + "NOT " * 200 + "TRUE")
    wait_evaluated(qtbot, dialog.builder)
    assert "nested too deeply" in dialog.builder.preview.text()


def test_the_builder_lists_fields_by_alias_functions_and_values(qtbot, window):
    dialog = window.layer_actions.select_by_expression()
    builder = dialog.builder
    texts = [builder.fields.item(i).text() for i in range(builder.fields.count())]
    assert "Plan level  (plan_group)" in texts
    builder.fields.setCurrentRow(texts.index("Status  (status)"))
    builder.load_values()
    values = [builder.values.item(i).text() for i in range(builder.values.count())]
    assert any(value.startswith("planned") for value in values)
    builder.edit.clear()
    builder.values.itemDoubleClicked.emit(builder.values.item(0))
    assert builder.text().startswith("'")
    groups = [builder.functions.topLevelItem(i).text(0) for i in range(builder.functions.topLevelItemCount())]
    assert "Aggregates" in groups and "Geometry and feature" in groups


def test_the_builder_speaks_chinese(qtbot, make_window):
    window = make_window("zh")
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(LAYER))
    dialog = window.layer_actions.select_by_expression()
    dialog.builder.set_text("$aera > 1")
    wait_evaluated(qtbot, dialog.builder)
    assert dialog.builder.preview.text() == "第 1 个字符：没有变量“$aera”"
    assert dialog.windowTitle().startswith("按表达式选择")
    texts = [dialog.builder.fields.item(i).text() for i in range(dialog.builder.fields.count())]
    assert "规划层次  (plan_group)" in texts


def test_field_calculator_creates_a_field_undo_removes_it_and_save_keeps_it(qtbot, window, tmp_path):
    layer = window.project.layer(LAYER)
    columns = list(layer.frame.columns)
    dialog = window.layer_actions.field_calculator()
    dialog.set_new_field("area_ha", "real")
    dialog.builder.set_text("round($area / 10000, 1)")
    wait_evaluated(qtbot, dialog.builder)
    first = round(Expression("$area").values(layer)[0] / 10000, 1)
    assert dialog.builder.preview.text() == f"First feature: {first}"
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.LeftButton)
    assert layer.frame["area_ha"].iloc[0] == first
    assert window.editing.session.is_editing(LAYER) and window.editing.session.is_dirty(LAYER)
    assert window.editing.stack.undoText() == "New field area_ha for 8 features"
    window.editing.stack.undo()
    assert list(layer.frame.columns) == columns
    window.editing.stack.redo()
    path = tmp_path / "plan.gpkg"
    window.get_save_path = lambda *_args: str(path)
    assert window.save_as()
    assert load_project(path).layer(LAYER).frame["area_ha"].round(1).tolist() == layer.frame["area_ha"].tolist()


def test_field_calculator_updates_only_the_selected_features(qtbot, window, tmp_path):
    layer = window.project.layer(LAYER)
    path = tmp_path / "plan.gpkg"
    save_project(window.project, path)
    project = load_project(path)
    window.set_project(project)
    layer = project.layer(LAYER)
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(LAYER))
    before = layer.frame["name_en"].tolist()
    layer.select([1, 3])
    dialog = window.layer_actions.field_calculator()
    dialog.set_update_field("name_en")
    dialog.selected_only.setChecked(True)
    dialog.builder.set_text("upper(name_en) || ' (' || to_string($id) || ')'")
    wait_evaluated(qtbot, dialog.builder)
    assert dialog.calculate()
    after = layer.frame["name_en"].tolist()
    assert after[1] == before[1].upper() + " (2)" and after[3] == before[3].upper() + " (4)"
    assert [a for i, a in enumerate(after) if i not in (1, 3)] == [b for i, b in enumerate(before) if i not in (1, 3)]
    assert window.editing.stack.undoText() == "Calculate name_en for 2 features"
    assert window.save()  # in place: the table still fits
    assert load_project(path).layer(LAYER).frame["name_en"].tolist() == after
    window.editing.stack.undo()
    assert layer.frame["name_en"].tolist() == before


def test_field_calculator_refuses_what_does_not_fit(qtbot, window):
    layer = window.project.layer(LAYER)
    dialog = window.layer_actions.field_calculator()
    dialog.set_new_field("name_en", "text")
    dialog.builder.set_text("1")
    wait_evaluated(qtbot, dialog.builder)
    assert "already has a field named name_en" in dialog.message.text()
    assert not dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()
    dialog.set_new_field("jobs", "integer")
    dialog.builder.set_text("name_en")
    wait_evaluated(qtbot, dialog.builder)
    assert not dialog.calculate()
    assert "do not fit the field" in dialog.message.text() and "jobs" not in layer.frame.columns
    assert window.editing.stack.count() == 0


def test_an_open_dialog_follows_the_window_language(qtbot, window):
    dialog = window.layer_actions.select_by_expression()
    dialog.builder.set_text("$aera > 1")
    wait_evaluated(qtbot, dialog.builder)
    window.set_language("zh")
    assert dialog.windowTitle() == "按表达式选择 — 产业组团"
    assert dialog.builder.preview.text() == "第 1 个字符：没有变量“$aera”"
    window.set_language("en")
    assert dialog.builder.preview.text() == "Character 1: there is no variable '$aera'"


def test_the_open_attribute_table_follows_a_new_field_and_its_alias(qtbot, window):
    table = window.open_attribute_table(LAYER)
    columns = table.model.columnCount()
    dialog = window.layer_actions.field_calculator()
    dialog.set_new_field("jobs_2035", "integer")
    dialog.builder.set_text("$id * 1000")
    wait_evaluated(qtbot, dialog.builder)
    assert dialog.calculate()
    assert table.model.columnCount() == columns + 1
    assert table.model.headerData(columns, Qt.Horizontal, Qt.DisplayRole) == "jobs_2035"
    shown = {table.model.data(table.model.index(r, columns), Qt.DisplayRole).replace(",", "")
             for r in range(table.model.rowCount())}
    assert shown == {str(1000 * i) for i in range(1, 9)}
    properties = window.layer_actions.open_properties(LAYER)
    row = window.project.layer(LAYER).attribute_columns().index("jobs_2035")
    properties.fields_table.item(row, 3).setText("Jobs in 2035")
    properties.apply_aliases()
    assert table.model.headerData(columns, Qt.Horizontal, Qt.DisplayRole) == "Jobs in 2035"
    window.editing.stack.undo()
    window.editing.stack.undo()
    assert table.model.columnCount() == columns
