"""Drive the window with names and values that look like HTML, and record what it shows.

Used in-process by test_untrusted_text.py (a real local PNG as the image) and run as a
script in a subprocess for ``<img src="/dev/zero">``, which would make Qt read forever if
it were ever taken as rich text:

    python tests/ui/shell/untrusted_text.py MARKUP FILE_MARKUP FOLDER   -> JSON on stdout
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from shapely.geometry import box

from gisapp.core.analysis.spatial_indicators import CoverageResult
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.plan.indicators import IndicatorLink, parse_target
from gisapp.io.catalogue import load_catalogue

BOLD = "<b>x</b>"
MATH = r"$\frac{1$ $x^2$"  # mathtext to matplotlib; the first is unbalanced and would fail to draw
FEATURE_ID = "hostile.feature"
LAYER_ID = "hostile"


def write_png(path: Path, size: int = 400) -> Path:
    image = QImage(size, size, QImage.Format_RGB32)
    image.fill(QColor("#ff0000"))
    assert image.save(str(path), "PNG")
    return path


def hostile_project(markup: str) -> tuple[Project, str]:
    """The bundled project with a group, layer, field, values and an indicator named
    ``markup``; returns it and the indicator's id."""
    project = load_catalogue()
    name = f"{markup} {BOLD}"
    project.groups.insert(0, LayerGroup("hostile", name, name))
    frame = gpd.GeoDataFrame(
        {"id": [FEATURE_ID], "name_zh": [name], "name_en": [name], markup: [BOLD], "note": [markup]},
        geometry=[box(121.50, 38.86, 121.54, 38.89)], crs="EPSG:4326")
    project.add_layer(VectorLayer(LAYER_ID, name, name, frame, group="hostile",
                                  metadata={"provenance_en": markup, "provenance_zh": markup}))
    indicator = next(i for i in project.indicators.indicators if parse_target(i.target_value).is_numeric)
    indicator.name_en = indicator.name_zh = f"{MATH} {name}"
    indicator.source = markup
    project.indicators.links.append(IndicatorLink(FEATURE_ID, indicator.id))
    project.set_modified(False)
    return project, indicator.id


class _RecordingDocument(QTextDocument):
    def __init__(self) -> None:
        super().__init__()
        self.requested: list[str] = []

    def loadResource(self, kind, url):  # noqa: N802 (Qt override)
        self.requested.append(url.toString())
        return None


def resources_loaded(rich_text: str) -> list[str]:
    """URLs Qt would load to show ``rich_text`` (laid out as a tooltip would be)."""
    document = _RecordingDocument()
    document.setHtml(rich_text)
    document.documentLayout().documentSize()
    return document.requested


def plain_of(rich_text: str) -> str:
    document = QTextDocument()
    document.setHtml(rich_text)
    return document.toPlainText()


def _tip_label() -> QLabel | None:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "qtooltip_label":
            return widget
    return None


def hover_tooltip(viewport: QWidget, pos: QPoint) -> dict:
    """Ask ``viewport`` for its tooltip at ``pos`` as a mouse rest would; the tip label is
    laid out and painted."""
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.ToolTip, pos, viewport.mapToGlobal(pos)))
    QApplication.processEvents()
    label = _tip_label()
    assert label is not None, "no tooltip was shown"
    label.grab()
    text = label.text()
    return {"text": text, "plain": plain_of(text), "resources": resources_loaded(text),
            "height": label.sizeHint().height()}


def label_state(label: QLabel) -> dict:
    label.grab()
    return {"text": label.text(), "plain": label.textFormat() == Qt.PlainText}


def observe(window, file_markup: str, folder: Path, indicator_id: str) -> dict:
    """Hover, select, open and style as a user would; what each place shows."""
    seen: dict = {}
    tree, model = window.tree, window.tree_model
    window.canvas.zoom_to_layer(LAYER_ID)
    window.canvas.wait_for_render()
    layer_index = model.index_for_layer(LAYER_ID)
    tree.scrollTo(layer_index)
    seen["tree_layer"] = model.data(layer_index, Qt.DisplayRole)
    seen["tree_group"] = model.data(layer_index.parent(), Qt.DisplayRole)
    seen["tree_tooltip"] = hover_tooltip(tree.viewport(), tree.visualRect(layer_index).center())

    table = window.open_attribute_table(LAYER_ID)
    QApplication.processEvents()
    column = table.model.columns.index(next(c for c in table.model.columns if c.startswith("<")))
    seen["table_header"] = table.model.headerData(column, Qt.Horizontal)
    cell = table.model.index(0, table.model.columns.index("note"))
    seen["table_cell"] = table.model.data(cell, Qt.DisplayRole)
    table.view.scrollTo(cell)
    seen["table_tooltip"] = hover_tooltip(table.view.viewport(), table.view.visualRect(cell).center())
    seen["table_filter_items"] = [table.filter_column.itemText(i) for i in range(table.filter_column.count())]

    assert window.select_feature(FEATURE_ID)
    document = window.panel.browser.document()
    seen["panel_text"] = window.panel.plain_text()
    seen["panel_images"] = sum(1 for block in _blocks(document) for fragment in _fragments(block)
                               if fragment.charFormat().isImageFormat())
    window.zoom_to_selection()

    broken = folder / f"{file_markup}.geojson"
    broken.write_text("{ this is not GeoJSON", encoding="utf-8")
    window.open_paths([str(broken)]).wait()
    box = window.findChild(QMessageBox, "ErrorBox")
    box.grab()
    seen["error_box"] = {"text": box.text(), "plain": box.textFormat() == Qt.PlainText}
    box.close()

    from gisapp.ui.panels.style_dialog import StyleDialog

    dialog = StyleDialog(window.project, window.lang, window)
    dialog.choose_layer(LAYER_ID)
    seen["style_fields"] = [dialog.field_combo.itemText(i) for i in range(dialog.field_combo.count())]
    dialog.set_choice(field=next(c for c in seen["style_fields"] if c.startswith("<")), method="graduated")
    dialog.apply()  # a text field: the message names it
    seen["style_message"] = label_state(dialog.message)
    dialog.close()

    export = window.export_web_map_dialog()
    item = export.layer_items[LAYER_ID]
    seen["export_layer"] = item.text(0)
    seen["export_group"] = item.parent().text(0)
    seen["export_size"] = label_state(export.size_label)
    export.close()

    # The dashboard: the indicator in the tree, its tooltip, its chart, a coverage line, the zone.
    window.indicators.show_dashboard()
    dashboard = window.indicators.dashboard
    QApplication.processEvents()
    dashboard.chart_combo.setCurrentIndex(0)  # one indicator's chart
    assert dashboard.select_indicator(indicator_id)
    item = dashboard.item_for(indicator_id)
    seen["dashboard_name"] = item.text(0)
    dashboard.tree.scrollToItem(item)
    row = dashboard.tree.visualItemRect(item)  # all columns: hover the first (the name)
    seen["dashboard_tooltip"] = hover_tooltip(dashboard.tree.viewport(), QPoint(row.left() + 20, row.center().y()))
    figure = dashboard.chart.figure
    figure.canvas.draw()  # mathtext in a title would fail here
    seen["chart_titles"] = [title for ax in figure.axes for loc in ("left", "center", "right")
                            if (title := ax.get_title(loc=loc))]
    name = window.project.layer(LAYER_ID).title_en
    dashboard.show_coverage(CoverageResult(distance_m=300, target_kind="points", total=4, covered=3,
                                           uncovered=gpd.GeoDataFrame(), per_feature=pd.DataFrame(),
                                           target_layer=name, source_layer=name))
    coverage = dashboard.coverage_label.text()
    seen["coverage"] = {"plain": plain_of(coverage), "resources": resources_loaded(coverage)}
    dashboard.filter_combo.setCurrentIndex(1)
    dashboard.set_zone_filter([FEATURE_ID], [name])
    seen["zone_label"] = label_state(dashboard.zone_label)

    window.resize(900, 600)
    window.canvas.zoom_full()
    window.canvas.wait_for_render()
    return seen


def _blocks(document):
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def _fragments(block):
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        if fragment.isValid():
            yield fragment
        iterator += 1


def main(argv: list[str]) -> int:
    markup, file_markup, folder = argv[1], argv[2], Path(argv[3])
    os.chdir(folder)  # relative image sources resolve here
    from gisapp.ui.shell.app import choose_cjk_font
    from gisapp.ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    choose_cjk_font(app)
    project, indicator_id = hostile_project(markup)
    window = MainWindow(project, "en")
    window.resize(1400, 900)
    window.show()
    QApplication.processEvents()
    seen = observe(window, file_markup, folder, indicator_id)
    window.project.set_modified(False)
    window.close()
    print(json.dumps(seen, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
