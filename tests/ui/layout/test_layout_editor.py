"""The layout editor driven as a person would: drag and resize items on the page preview
(they snap), edit properties, switch paper, export; layouts are kept in the project."""

import subprocess

import pytest
from PySide6.QtCore import QPoint, Qt

from gisapp.core.layout.items import Layout
from gisapp.ui.layout.editor import LayoutEditor


@pytest.fixture
def editor(qtbot, bundled_project):
    editor = LayoutEditor(bundled_project, "en")
    qtbot.addWidget(editor)
    editor.resize(1400, 900)
    editor.show()
    qtbot.waitExposed(editor)
    editor.preview.refresh(now=True)
    return editor


def at(preview, x_mm, y_mm) -> QPoint:
    return preview.page_to_widget(x_mm, y_mm).toPoint()


def test_a_new_editor_starts_with_the_plan_map_stored_in_the_project(editor, bundled_project):
    assert [entry["name"] for entry in bundled_project.layouts] == ["a3-plan-map"]
    assert bundled_project.modified
    assert editor.preview._image is not None and not editor.preview._image.isNull()


def test_dragging_an_item_moves_it_and_snaps_it_to_the_margin(qtbot, editor, bundled_project):
    preview = editor.preview
    arrow = Layout.from_dict(editor.current.to_dict()).item("north_arrow")  # a copy: the editor moves the item
    start = (arrow.x + arrow.width / 2, arrow.y + arrow.height / 2)
    x0 = editor.current.page.content_mm[0]
    qtbot.mousePress(preview, Qt.LeftButton, pos=at(preview, *start))
    assert editor.preview.selected == "north_arrow" and editor.item_kind.text() == "North arrow"
    # Drag so that its left edge lands 1.2 mm right of the left margin: it snaps onto it.
    target = (x0 + 1.2 + arrow.width / 2, start[1] + 40)
    qtbot.mouseMove(preview, at(preview, (start[0] + target[0]) / 2, start[1] + 20))
    qtbot.mouseMove(preview, at(preview, *target))
    qtbot.mouseRelease(preview, Qt.LeftButton, pos=at(preview, *target))
    moved = Layout.from_dict(bundled_project.layouts[0]).item("north_arrow")
    assert moved.x == pytest.approx(x0)  # snapped exactly to the margin
    assert moved.y == pytest.approx(arrow.y + 40, abs=1.0)  # moved down with the mouse (within a pixel)
    assert editor.x.value() == pytest.approx(x0)  # the properties panel follows


def test_dragging_the_corner_handle_resizes_and_snaps_to_the_margin(qtbot, editor, bundled_project):
    preview = editor.preview
    legend = Layout.from_dict(editor.current.to_dict()).item("legend")
    qtbot.mouseClick(preview, Qt.LeftButton, pos=at(preview, legend.x + 5, legend.y + 5))
    corner = (legend.x + legend.width - 1, legend.y + legend.height - 1)
    right_margin = editor.current.page.width_mm - editor.current.page.margin_mm
    qtbot.mousePress(preview, Qt.LeftButton, pos=at(preview, *corner))
    qtbot.mouseMove(preview, at(preview, corner[0] - 10, corner[1] - 30))
    qtbot.mouseRelease(preview, Qt.LeftButton, pos=at(preview, corner[0] - 10, corner[1] - 30))
    resized = Layout.from_dict(bundled_project.layouts[0]).item("legend")
    assert resized.width == pytest.approx(legend.width - 10, abs=1.0)
    assert resized.height == pytest.approx(legend.height - 30, abs=1.0)
    # Back out towards the margin: the right edge snaps onto it.
    qtbot.mousePress(preview, Qt.LeftButton, pos=at(preview, resized.x + resized.width - 1, resized.y + resized.height - 1))
    qtbot.mouseMove(preview, at(preview, right_margin - 2.5, resized.y + resized.height - 1))
    qtbot.mouseRelease(preview, Qt.LeftButton, pos=at(preview, right_margin - 2.5, resized.y + resized.height - 1))
    assert Layout.from_dict(bundled_project.layouts[0]).item("legend").x + \
        Layout.from_dict(bundled_project.layouts[0]).item("legend").width == pytest.approx(right_margin)


def test_properties_paper_and_export(qtbot, editor, bundled_project, tmp_path):
    preview = editor.preview
    title = editor.current.item("title")
    qtbot.mouseClick(preview, Qt.LeftButton, pos=at(preview, title.x + 3, title.y + 3))
    assert editor.preview.selected == "title" and editor.text_en.isEnabled()
    editor.text_en.setText("Board copy 2026")
    editor.text_en.editingFinished.emit()
    map_item = editor.current.item("map")
    qtbot.mouseClick(preview, Qt.LeftButton, pos=at(preview, map_item.x + 50, map_item.y + 50))
    editor.scale.setValue(80000)
    stored = Layout.from_dict(bundled_project.layouts[0])
    assert stored.item("title").text_en == "Board copy 2026" and stored.item("map").scale == 80000
    editor.paper.setCurrentText("A2")
    stored = Layout.from_dict(bundled_project.layouts[0])
    assert stored.page.paper == "A2" and stored.item("map").scale == 80000
    assert stored.item("map").width > 400  # A3: 287 mm; the template laid itself out on the larger paper
    written = editor.export_to(tmp_path / "copy.pdf", dpi=72)
    text = subprocess.run(["pdftotext", str(written[0]), "-"], check=True, capture_output=True, text=True).stdout
    assert "Board copy 2026" in text and "Scale 1:80,000" in text
    info = subprocess.run(["pdfinfo", str(written[0])], check=True, capture_output=True, text=True).stdout
    assert "A2" in info


def test_zone_sheets_from_the_editor_are_one_page_per_feature(editor, bundled_project, tmp_path):
    editor.new_sheet.click()
    assert editor.list.count() == 2 and editor.current.atlas_layer == "hitech_clusters"
    editor.atlas.setCurrentIndex(editor.atlas.findData("hitech_city_sectors"))
    assert Layout.from_dict(bundled_project.layouts[1]).atlas_layer == "hitech_city_sectors"
    pages = editor.export_to(tmp_path / "sheets.png", dpi=30)
    assert len(pages) == len(bundled_project.layer("hitech_city_sectors"))


def test_the_file_menu_opens_the_editor_in_the_window_language(make_window):
    window = make_window("zh")
    titles = [act.text() for act in window.menu_file.actions()]
    assert window.layouts.act_layouts.text() in titles and window.layouts.act_new.text() in titles
    editor = window.layouts.open_editor()
    assert editor.isVisible() and editor.lang == "zh"
    window.set_language("en")
    assert editor.lang == "en" and editor.windowTitle() == "Print layouts"
