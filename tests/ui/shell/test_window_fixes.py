"""Window fixes found by trying the desktop as planners do: docks in front, the dashboard in
Chinese and on a small screen, the attribute table without a current layer, Qt's own dialogs
in Chinese, the panel and topology while editing, redo after editing, the export's answer."""

from __future__ import annotations

import sys
from pathlib import Path

import shapely
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton

from gisapp.core.editing.tools import Mode
from gisapp.ui.docks import in_front

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "editing"))
from editing_helpers import free_pixel, pixel, prepare, shared_vertices  # noqa: E402


def test_f8_brings_the_dashboard_in_front_of_the_attribute_table(make_window, qtbot):
    window = make_window("en")
    dashboard = window.indicators.dock
    window.indicators.show_dashboard()
    window.open_attribute_table("hitech_clusters")
    window.tabifyDockWidget(window.table_dock, dashboard)
    window.table_dock.raise_()
    qtbot.waitUntil(lambda: not in_front(dashboard))
    window.indicators.act_dashboard.trigger()  # F8
    qtbot.waitUntil(lambda: in_front(dashboard))
    assert not in_front(window.table_dock), "the dashboard is the tab in front"
    window.indicators.act_dashboard.trigger()  # F8 again: it was in front, so it goes
    qtbot.waitUntil(lambda: dashboard.isHidden())
    assert window.indicators.act_dashboard.shortcut().toString() == "F8"


def test_view_menu_brings_a_tabbed_dock_to_the_front(make_window, qtbot):
    window = make_window("en")
    window.tabifyDockWidget(window.layers_dock, window.panel_dock)
    window.layers_dock.raise_()
    qtbot.waitUntil(lambda: not in_front(window.panel_dock))
    action = next(a for a in window.menu_view.actions() if a.text() == window.panel_dock.windowTitle())
    action.trigger()
    qtbot.waitUntil(lambda: in_front(window.panel_dock))
    assert action.isChecked()


def test_the_dashboard_speaks_chinese_from_the_start_and_leaves_the_map_room(make_window, qtbot):
    window = make_window("zh", size=(1280, 800))
    window.indicators.show_dashboard()
    dashboard = window.indicators.dashboard
    dashboard.tree.setCurrentItem(None)
    dashboard._show_chart()
    assert dashboard.chart.mode == "empty" and "选择一个指标" in dashboard.chart.message.text()
    window2 = make_window("zh", size=(1280, 800))  # a fresh window: the hint is Chinese at once
    window2.indicators.show_dashboard()
    qtbot.wait(50)
    assert "Choose an indicator" not in window2.indicators.dashboard.chart.message.text()
    qtbot.waitUntil(lambda: window2.canvas.height() >= 0.5 * window2.height())
    assert window2.canvas.width() >= 0.55 * window2.width()
    tree = window2.indicators.dashboard.tree
    from gisapp.ui.indicators.dashboard import COLUMNS

    status = COLUMNS.index("status")
    assert tree.columnWidth(status) >= tree.sizeHintForColumn(status), "statuses are not cut"


def test_attribute_table_without_a_current_layer_offers_the_layers(make_window):
    window = make_window("en")
    window.tree.setCurrentIndex(window.tree_model.index(-1, -1))
    for layer in window.project.vector_layers():
        layer.clear_selection()
    asked = []
    titles = [layer.title("en") for layer in window.project.vector_layers()]

    def choose(title, text, options):
        asked.append(options)
        return options.index(window.project.layer("hitech_clusters").title("en"))

    window.choose = choose
    table = window.open_attribute_table()
    assert asked == [titles]
    assert table is not None and table.layer.id == "hitech_clusters"
    window.choose = lambda *args: None  # cancelled: nothing opens, nothing breaks
    window._close_table()
    assert window.open_attribute_table() is None and window.table is None


def test_qt_dialogs_speak_chinese(make_window, qtbot):
    make_window("zh")
    dialog = QFileDialog(None, "x")
    dialog.setOption(QFileDialog.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert any("查找范围" in text for text in texts), texts
    assert any("文件类型" in text for text in texts), texts


def test_the_panel_follows_the_dragged_feature(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    assert window.editing.tools.topological, "adjacent sectors: topological editing is on by default"
    assert "topological editing is on" in window.editing.last_error
    window.select_feature(layer.frame["id"].iloc[0])  # frontier R&D, not the dragged sector
    others = {tuple(c) for row in (0, 1, 3) for c in shapely.get_coordinates(layer.frame.geometry.iloc[row])}
    vertex = next(v for v in map(tuple, shapely.get_coordinates(layer.frame.geometry.iloc[2])) if v not in others)
    window.editing.actions.tool_actions[Mode.VERTEX].trigger()
    start = pixel(window, layer, vertex)
    end = free_pixel(window, start + QPoint(20, 15))
    canvas = window.canvas
    qtbot.mouseMove(canvas, start)
    qtbot.mousePress(canvas, Qt.LeftButton, Qt.NoModifier, start)
    qtbot.mouseMove(canvas, (start + end) / 2)
    qtbot.mouseMove(canvas, end)
    qtbot.wait(80)
    current, text = window.panel.current, window.panel.plain_text()
    qtbot.mouseRelease(canvas, Qt.LeftButton, Qt.NoModifier, end)
    assert tuple(current) == (layer.id, 2) and "Measures (live" in text
    assert layer.frame["name_en"].iloc[2] in text


def test_topological_editing_stays_as_the_user_set_it(make_window):
    window = make_window("en")
    window.editing.tools.choose_topological(False)
    layer = prepare(window)
    assert shared_vertices(layer, 1, 2)
    assert not window.editing.tools.topological


def test_redo_is_off_once_editing_stops(make_window, qtbot):
    window = make_window("en")
    layer = prepare(window)
    layer.select([3])
    window.editing.actions.act_delete.trigger()
    window.editing.stack.undo()
    assert window.editing.actions.act_redo.isEnabled()
    assert window.editing.operations.set_editing(False)
    assert not window.editing.actions.act_redo.isEnabled()
    assert not window.editing.actions.act_undo.isEnabled()


def test_export_web_map_says_where_it_went(make_window, tmp_path, monkeypatch):
    window = make_window("en")
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url).toLocalFile()) or True)
    dialog = window.export_web_map_dialog()
    dialog.path_edit.setText(str(tmp_path / "plan.html"))
    written = dialog.export()
    assert written == tmp_path / "plan.html" and written.exists()
    box = window.findChild(QMessageBox, "ExportDoneBox")
    assert box is not None and str(written) in box.text()
    buttons = {button.text(): button for button in box.findChildren(QPushButton)}
    buttons["Show in folder"].click()
    assert opened == [str(tmp_path.resolve())]
    box.close()
    dialog._show_written(written)
    next(b for b in dialog.done_box.findChildren(QPushButton) if b.text() == "Open").click()
    assert opened[-1] == str(written.resolve())
    dialog.done_box.close()
