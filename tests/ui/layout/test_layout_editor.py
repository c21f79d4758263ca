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


def wait_for_frames(qtbot, editor):
    qtbot.waitUntil(lambda: not editor.preview.busy() and not editor.preview._render_timer.isActive(), timeout=60_000)


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
    editor.text_en.setPlainText("Board copy 2026")
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


def stored(project, n=0) -> Layout:
    return Layout.from_dict(project.layouts[n])


def test_every_item_kind_can_be_added_removed_and_undone(qtbot, editor, bundled_project, tmp_path):
    from gisapp.core.layout.items import ITEM_KINDS

    before = [item.id for item in editor.current.items]
    for kind in ITEM_KINDS:
        editor.add_actions[kind].trigger()  # the Add item menu
        added = stored(bundled_project).items[-1]
        assert added.kind == kind and editor.preview.selected == added.id
        assert editor.item_kind.text() == editor.kind_name(kind)
    ids = [item.id for item in stored(bundled_project).items]
    assert ids[:len(before)] == before and len(ids) == len(before) + len(ITEM_KINDS)
    assert len(set(ids)) == len(ids)  # map2, legend2, ...: no id used twice
    content = editor.current.page.content_mm
    for item in stored(bundled_project).items[len(before):]:  # all inside the margins
        assert content[0] <= item.x and item.x + item.width <= content[0] + content[2] + 1e-6
    # Every new item prints: the new free text and the second title are in the PDF.
    editor.preview.selected = "text"
    editor._show_item("text")
    editor.text_en.setPlainText("Draft-2026")
    editor.text_en.editingFinished.emit()
    text = subprocess.run(["pdftotext", str(editor.export_to(tmp_path / "all.pdf", dpi=72)[0]), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "Draft-2026" in text and text.count("Legend") == 2
    # Remove with the Delete key, then undo brings it back where it was, redo removes it again.
    qtbot.mouseClick(editor.preview, Qt.LeftButton, pos=at(editor.preview, editor.current.item("text").x + 2,
                                                          editor.current.item("text").y + 2))
    chosen = editor.preview.selected
    qtbot.keyClick(editor.preview, Qt.Key_Delete)
    assert chosen not in [item.id for item in stored(bundled_project).items]
    editor.undo_action.trigger()
    assert chosen in [item.id for item in stored(bundled_project).items]
    editor.redo_action.trigger()
    assert chosen not in [item.id for item in stored(bundled_project).items]
    # Undo back to the template: thirteen adds, one text edit and the removal.
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    assert [item.id for item in stored(bundled_project).items] == before


def test_moves_resizes_and_properties_are_undone_one_step_each(qtbot, editor, bundled_project):
    preview = editor.preview
    arrow = Layout.from_dict(editor.current.to_dict()).item("north_arrow")
    start = at(preview, arrow.x + 5, arrow.y + 5)
    qtbot.mousePress(preview, Qt.LeftButton, pos=start)
    for step in range(1, 6):  # many mouse moves, one undo step
        qtbot.mouseMove(preview, start + QPoint(step * 6, step * 10))
    qtbot.mouseRelease(preview, Qt.LeftButton, pos=start + QPoint(30, 50))
    assert stored(bundled_project).item("north_arrow").y > arrow.y + 5
    assert editor.undo_stack.count() == 1 and editor.undo_action.text() == "Undo Move item"
    editor.font_size.setValue(14)  # three spin box steps merge into one change
    editor.font_size.setValue(15)
    editor.font_size.setValue(16)
    editor.bold.setChecked(True)
    assert editor.undo_stack.count() == 3
    editor.undo_action.trigger()
    assert stored(bundled_project).item("north_arrow").bold is False
    editor.undo_action.trigger()
    assert stored(bundled_project).item("north_arrow").font_size_pt == arrow.font_size_pt
    assert editor.font_size.value() == arrow.font_size_pt  # the panel shows the undone value
    editor.undo_action.trigger()
    back = stored(bundled_project).item("north_arrow")
    assert (back.x, back.y) == (arrow.x, arrow.y)
    editor.redo_action.trigger()
    assert stored(bundled_project).item("north_arrow").y > arrow.y + 5
    # Page changes are undone too.
    editor.paper.setCurrentText("A2")
    editor.undo_action.trigger()
    assert stored(bundled_project).page.paper == "A3" and editor.paper.currentText() == "A3"


def test_item_properties_reach_the_print(qtbot, editor, bundled_project, tmp_path):
    from pyproj import CRS  # noqa: F401 - the CRS field is checked with pyproj

    def choose(item_id):
        item = editor.current.item(item_id)
        editor.preview.selected = item_id
        editor._show_item(item_id)
        return item

    choose("scale_bar")
    assert editor.units.isVisibleTo(editor) and not editor.scale.isVisibleTo(editor)
    editor.units.setCurrentIndex(editor.units.findData("m"))
    editor.segments.setValue(2)
    choose("legend")
    editor.columns.setValue(2)
    choose("map")
    assert editor.crs.isVisibleTo(editor) and not editor.units.isVisibleTo(editor)
    editor.scale.setValue(50000)
    editor.crs.setText("EPSG:4550")
    editor.crs.editingFinished.emit()
    editor.extent.setText("121.45,38.85,121.6,38.95")
    editor.extent.editingFinished.emit()
    editor.lock_layers.setChecked(True)
    choose("title")
    editor.align.setCurrentIndex(editor.align.findData("center"))
    logo = tmp_path / "logo.png"
    from PySide6.QtGui import QColor, QImage
    picture = QImage(40, 20, QImage.Format_RGB32)
    picture.fill(QColor("#ff00ff"))
    picture.save(str(logo))
    image = editor.add_item("image")
    editor.image_path.setText(str(logo))
    editor.image_path.editingFinished.emit()
    saved = stored(bundled_project)
    assert (saved.item("scale_bar").units, saved.item("scale_bar").segments) == ("m", 2)
    assert saved.item("legend").columns == 2 and saved.item("title").align == "center"
    frame = saved.item("map")
    assert (frame.crs, frame.scale, frame.extent) == ("EPSG:4550", 50000, (121.45, 38.85, 121.6, 38.95))
    assert frame.layer_ids == [layer.id for layer in bundled_project.render_order() if layer.visible]
    assert saved.item(image.id).path == str(logo)
    # A locked map keeps its layers when one is hidden in the layer tree.
    bundled_project.layer(frame.layer_ids[-1]).visible = False
    out = editor.export_to(tmp_path / "props.png", dpi=60)[0]
    page = QImage(str(out))
    ppm = 60 / 25.4
    centre = page.pixelColor(round((image.x + image.width / 2) * ppm), round((image.y + image.height / 2) * ppm))
    assert (centre.red(), centre.green(), centre.blue()) == (255, 0, 255)  # the logo is on the page
    text = subprocess.run(["pdftotext", str(editor.export_to(tmp_path / "props.pdf", dpi=72)[0]), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "Scale 1:50,000" in text and " m" in text and "km" not in text.split("Scale 1:50,000")[0][-40:]


def test_bad_crs_and_extent_are_refused_with_a_message(qtbot, editor, bundled_project, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    editor.preview.selected = "map"
    editor._show_item("map")
    editor.crs.setText("EPSG:999999")
    editor.crs.editingFinished.emit()
    editor.extent.setText("121.6,38.85,121.45,38.95")
    editor.extent.editingFinished.emit()
    assert "EPSG:999999 is not a CRS" in shown[0] and "is not an extent" in shown[1]
    assert stored(bundled_project).item("map").crs == "" and stored(bundled_project).item("map").extent is None
    assert editor.crs.text() == "" and not editor.undo_stack.canUndo()


def test_atlas_pages_are_previewed_feature_by_feature(qtbot, editor, bundled_project):
    editor.new_sheet.click()
    layer = bundled_project.layer("hitech_clusters")
    assert editor.atlas_next.isVisibleTo(editor) and not editor.atlas_prev.isEnabled()
    assert editor.atlas_label.text().startswith(f"Feature 1 of {len(layer)}: {layer.feature_label(0, 'en')}")
    wait_for_frames(qtbot, editor)
    first = editor.preview._image.copy()
    editor.atlas_next.click()
    assert editor.atlas_row == 1 and editor.preview.atlas().row == 1
    assert layer.feature_label(1, "en") in editor.atlas_label.text()
    wait_for_frames(qtbot, editor)
    assert editor.preview._image != first  # another zone, centred, and its name as the title
    for _ in range(len(layer) + 2):
        editor.atlas_next.click()
    assert editor.atlas_row == len(layer) - 1 and not editor.atlas_next.isEnabled()
    editor.atlas.setCurrentIndex(0)  # no atlas: no paging
    assert not editor.atlas_next.isVisibleTo(editor)


def test_layouts_made_in_the_editor_survive_save_and_open(qtbot, editor, bundled_project, tmp_path):
    from gisapp.io.project_gpkg import load_project, save_project

    editor.add_item("overview")
    editor.preview.selected = "scale_bar"
    editor._show_item("scale_bar")
    editor.segments.setValue(3)
    editor.new_sheet.click()
    path = tmp_path / "p.gpkg"
    save_project(bundled_project, path)
    reopened = load_project(path)
    assert reopened.layouts == bundled_project.layouts
    assert Layout.from_dict(reopened.layouts[0]).item("scale_bar").segments == 3
    again = LayoutEditor(reopened, "en")
    qtbot.addWidget(again)
    assert [again.list.item(n).text() for n in range(again.list.count())] == ["a3-plan-map", "a4-zone-sheet"]
    assert "overview2" in [item.id for item in again.current.items]


def test_a_big_layer_is_drawn_off_the_ui_thread_and_reused_while_items_move(qtbot, bundled_project, monkeypatch):
    import threading

    import geopandas as gpd
    import numpy as np
    import shapely

    from gisapp.core.model.layer import VectorLayer
    from gisapp.ui.layout import paint

    rng = np.random.default_rng(3)
    points = shapely.multipoints(shapely.points(rng.uniform(121.45, 121.6, 20_000), rng.uniform(38.8, 38.95, 20_000)))
    cells = shapely.get_parts(shapely.voronoi_polygons(points))
    bundled_project.add_layer(VectorLayer("parcels", "地块", "Parcels",
                                          gpd.GeoDataFrame({"n": np.arange(len(cells))}, geometry=cells,
                                                           crs="EPSG:4326")))
    threads = []
    real = paint.paint_layers
    monkeypatch.setattr(paint, "paint_layers", lambda *a, **k: threads.append(threading.current_thread().name)
                        or real(*a, **k))
    editor = LayoutEditor(bundled_project, "en")
    qtbot.addWidget(editor)
    editor.resize(1400, 900)
    editor.show()
    qtbot.waitExposed(editor)
    wait_for_frames(qtbot, editor)
    assert threads and all(name.startswith("gisapp-render") for name in threads)
    drawn = len(threads)
    map_image = editor.preview._frames["map"][1]
    preview = editor.preview
    title = editor.current.item("title")
    start = at(preview, title.x + 3, title.y + 3)
    qtbot.mousePress(preview, Qt.LeftButton, pos=start)
    for step in range(1, 8):
        qtbot.mouseMove(preview, start + QPoint(0, step * 8))
        qtbot.wait(50)
    qtbot.mouseRelease(preview, Qt.LeftButton, pos=start + QPoint(0, 56))
    wait_for_frames(qtbot, editor)
    assert len(threads) == drawn  # the title moved; no map was drawn again
    assert editor.preview._frames["map"][1] is map_image
    # Resizing the map draws it again, on the render thread.
    editor.preview.selected = "map"
    editor._show_item("map")
    editor.w.setValue(editor.w.value() - 40)
    wait_for_frames(qtbot, editor)
    assert len(threads) > drawn and all(name.startswith("gisapp-render") for name in threads)
    assert editor.preview._frames["map"][1] is not map_image


def test_the_export_buttons_write_on_the_render_thread_and_say_so(qtbot, editor, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    out = tmp_path / "button.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    job = editor.export_pdf.click() or editor.export_job
    assert job is not None and not editor.export_pdf.isEnabled()  # one export at a time
    assert editor.export_status.text() == "Exporting button.pdf…"
    qtbot.waitUntil(lambda: editor.export_pdf.isEnabled(), timeout=120_000)
    assert editor.export_status.text() == "Written: button.pdf"
    text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
    assert "Dalian High-tech Zone" in text
    # A file where its folder should be: the editor says so and keeps running.
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    editor.start_export(tmp_path / "afile" / "x.pdf", dpi=72)
    qtbot.waitUntil(lambda: editor.export_pdf.isEnabled(), timeout=120_000)
    assert shown and shown[0].startswith("x.pdf could not be written")
