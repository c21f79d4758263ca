"""The layout editor: a page preview where items are dragged and resized (snapping to the
margins and to each other), a properties panel for the chosen item, the project's layouts,
and export to PDF, PNG and SVG.

The model is the Qt-free :class:`gisapp.core.layout.items.Layout`; widgets change it
through setters and are refreshed from it inside signal blockers, so nothing loops.
Every change is stored in ``project.layouts`` at once (saved with the project).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.layout.atlas import atlas_page
from gisapp.core.layout.items import Layout, LayoutItem
from gisapp.core.layout.page import PAPER_SIZES_MM, Page
from gisapp.core.layout.snapping import snapped_position, snapped_size
from gisapp.core.layout.templates import on_page, plan_map, zone_sheet
from gisapp.core.model.project import Project
from gisapp.ui.layout.export import ExportOptions, export_layout
from gisapp.ui.layout.paint import PageContext, paint_page
from gisapp.ui.plain import message_box

HANDLE_MM = 4.0  # the resize handle at an item's bottom-right corner
TEXT_KINDS = ("title", "subtitle", "text", "review_number", "date", "attribution")


class PagePreview(QWidget):
    """The page drawn as it prints, with the chosen item outlined; drag to move, drag the
    corner handle to resize. ``itemChosen`` and ``itemChanged`` carry item ids."""

    itemChosen = Signal(str)
    itemChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(400, 300)
        self.setMouseTracking(True)
        self.layout_: Layout | None = None
        self.project: Project | None = None
        self.lang = "en"
        self.selected: str | None = None
        self._image: QImage | None = None
        self._image_ppm = 0.0
        self._drag: tuple[str, str, QPointF, tuple[float, float, float, float]] | None = None
        self._render_timer = QTimer(self, singleShot=True, interval=120)
        self._render_timer.timeout.connect(self._render)

    def set_layout(self, layout: Layout | None, project: Project, lang: str) -> None:
        self.layout_, self.project, self.lang = layout, project, lang
        self.selected = None
        self.refresh(now=True)

    # --- geometry ------------------------------------------------------------------
    def ppm(self) -> float:
        """Widget pixels per millimetre of paper: the page fitted into the widget."""
        if self.layout_ is None:
            return 1.0
        width, height = self.layout_.page.size_mm
        return max(0.2, min((self.width() - 24) / width, (self.height() - 24) / height))

    def origin(self) -> QPointF:
        width, height = self.layout_.page.size_mm if self.layout_ else (0.0, 0.0)
        ppm = self.ppm()
        return QPointF((self.width() - width * ppm) / 2, (self.height() - height * ppm) / 2)

    def page_to_widget(self, x_mm: float, y_mm: float) -> QPointF:
        return self.origin() + QPointF(x_mm * self.ppm(), y_mm * self.ppm())

    def widget_to_page(self, point: QPointF) -> tuple[float, float]:
        local = point - self.origin()
        return local.x() / self.ppm(), local.y() / self.ppm()

    def item_at(self, x_mm: float, y_mm: float) -> LayoutItem | None:
        """The top-most item under the point (items later in the list are drawn on top)."""
        if self.layout_ is None:
            return None
        for item in reversed(self.layout_.items):
            if item.x <= x_mm <= item.x + item.width and item.y <= y_mm <= item.y + item.height:
                return item
        return None

    # --- drawing ---------------------------------------------------------------------
    def refresh(self, now: bool = False) -> None:
        if now:
            self._render()
        else:
            self._render_timer.start()

    def _render(self) -> None:
        self._render_timer.stop()
        if self.layout_ is None or self.project is None:
            self._image = None
            self.update()
            return
        ppm = self.ppm() * self.devicePixelRatioF()
        width, height = self.layout_.page.size_mm
        image = QImage(max(1, round(width * ppm)), max(1, round(height * ppm)), QImage.Format_RGB32)
        dots = round(ppm * 1000)
        image.setDotsPerMeterX(dots)
        image.setDotsPerMeterY(dots)
        atlas = None
        layer_ids = {layer.id for layer in self.project.layers}
        if self.layout_.atlas_layer in layer_ids and len(self.project.layer(self.layout_.atlas_layer)):
            atlas = atlas_page(self.project, self.layout_.atlas_layer, 0, self.lang)  # the first sheet
        painter = QPainter(image)
        try:
            paint_page(painter, self.layout_, PageContext(self.project, self.lang, ppm * 25.4, self.font().family(),
                                                          atlas))
        finally:
            painter.end()
        self._image, self._image_ppm = image, ppm
        self.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.refresh()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#8a8a8a"))
        if self.layout_ is None:
            painter.end()
            return
        width, height = self.layout_.page.size_mm
        page_rect = QRectF(self.origin(), self.page_to_widget(width, height))
        if self._image is not None:
            painter.drawImage(page_rect, self._image)
        else:
            painter.fillRect(page_rect, Qt.white)
        x0, y0, cw, ch = self.layout_.page.content_mm
        painter.setPen(QPen(QColor(0, 120, 215, 90), 1, Qt.DashLine))
        painter.drawRect(QRectF(self.page_to_widget(x0, y0), self.page_to_widget(x0 + cw, y0 + ch)))
        if self.selected is not None:
            try:
                item = self.layout_.item(self.selected)
            except KeyError:
                item = None
            if item is not None:
                rect = QRectF(self.page_to_widget(item.x, item.y),
                              self.page_to_widget(item.x + item.width, item.y + item.height))
                painter.setPen(QPen(QColor(0, 120, 215), 2))
                painter.setBrush(Qt.NoBrush)
                painter.drawRect(rect)
                handle = HANDLE_MM * self.ppm()
                painter.fillRect(QRectF(rect.right() - handle, rect.bottom() - handle, handle, handle),
                                 QColor(0, 120, 215))
        painter.end()

    # --- mouse -------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton or self.layout_ is None:
            return
        x, y = self.widget_to_page(event.position())
        chosen = self.layout_.item(self.selected) if self.selected else None
        on_handle = chosen is not None and \
            chosen.x + chosen.width - HANDLE_MM <= x <= chosen.x + chosen.width and \
            chosen.y + chosen.height - HANDLE_MM <= y <= chosen.y + chosen.height
        item = chosen if on_handle else self.item_at(x, y)
        if item is None:
            self.selected = None
            self.itemChosen.emit("")
            self.update()
            return
        self.selected = item.id
        self._drag = (item.id, "resize" if on_handle else "move", QPointF(x, y),
                      (item.x, item.y, item.width, item.height))
        self.itemChosen.emit(item.id)
        self.update()

    def mouseMoveEvent(self, event) -> None:
        if self._drag is None or self.layout_ is None:
            return
        item_id, mode, start, (x0, y0, w0, h0) = self._drag
        x, y = self.widget_to_page(event.position())
        item = self.layout_.item(item_id)
        snap = not (event.modifiers() & Qt.AltModifier)  # Alt places freely, as in QGIS
        tolerance = 2.0 if snap else 0.0
        if mode == "move":
            item.x, item.y = snapped_position(self.layout_, item, x0 + x - start.x(), y0 + y - start.y(), tolerance)
        else:
            item.width, item.height = snapped_size(self.layout_, item, w0 + x - start.x(), h0 + y - start.y(),
                                                   tolerance)
        self.update()
        self.refresh()

    def mouseReleaseEvent(self, event) -> None:
        if self._drag is None:
            return
        item_id = self._drag[0]
        self._drag = None
        self.refresh(now=True)
        self.itemChanged.emit(item_id)


class LayoutEditor(QDialog):
    """The project's print layouts: list, page preview, item properties, export."""

    def __init__(self, project: Project, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LayoutEditor")
        self.project = project
        self.lang = lang
        self.layouts: list[Layout] = [Layout.from_dict(entry) for entry in project.layouts]
        self.current: Layout | None = None
        self.resize(1400, 900)

        self.list = QListWidget()
        self.new_plan = QPushButton()
        self.new_sheet = QPushButton()
        self.delete = QPushButton()
        left = QVBoxLayout()
        self.layouts_label = QLabel()
        left.addWidget(self.layouts_label)
        left.addWidget(self.list, 1)
        for button in (self.new_plan, self.new_sheet, self.delete):
            left.addWidget(button)
        left_box = QWidget()
        left_box.setLayout(left)

        self.preview = PagePreview()

        self.page_box = QGroupBox()
        page_form = QFormLayout(self.page_box)
        self.name = QLineEdit()
        self.paper = QComboBox()
        self.paper.addItems(list(PAPER_SIZES_MM))
        self.landscape = QCheckBox()
        self.atlas = QComboBox()
        self.page_labels = [QLabel() for _ in range(4)]
        for label, widget in zip(self.page_labels, (self.name, self.paper, self.landscape, self.atlas), strict=True):
            page_form.addRow(label, widget)

        self.item_box = QGroupBox()
        item_form = QFormLayout(self.item_box)
        self.item_kind = QLabel()
        self.x, self.y, self.w, self.h = (self._spin(-2000, 2000) for _ in range(4))
        self.text_zh, self.text_en = QLineEdit(), QLineEdit()
        self.font_size = self._spin(1, 400, 0.5)
        self.scale = self._spin(0, 1e9, 1000, decimals=0)
        self.frame = QCheckBox()
        self.item_labels = [QLabel() for _ in range(10)]
        rows = (self.item_kind, self.x, self.y, self.w, self.h, self.text_zh, self.text_en, self.font_size,
                self.scale, self.frame)
        for label, widget in zip(self.item_labels, rows, strict=True):
            item_form.addRow(label, widget)

        self.export_pdf, self.export_png, self.export_svg = QPushButton(), QPushButton(), QPushButton()
        exports = QHBoxLayout()
        for button in (self.export_pdf, self.export_png, self.export_svg):
            exports.addWidget(button)
        right = QVBoxLayout()
        right.addWidget(self.page_box)
        right.addWidget(self.item_box)
        right.addStretch(1)
        right.addLayout(exports)
        right_box = QWidget()
        right_box.setLayout(right)

        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(self.preview)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 860, 320])
        outer = QVBoxLayout(self)
        outer.addWidget(splitter)

        self.list.currentRowChanged.connect(self._layout_chosen)
        self.new_plan.clicked.connect(lambda: self.add_layout(plan_map()))
        self.new_sheet.clicked.connect(lambda: self.add_layout(zone_sheet()))
        self.delete.clicked.connect(self.delete_current)
        self.preview.itemChosen.connect(self._show_item)
        self.preview.itemChanged.connect(lambda item_id: (self._show_item(item_id), self._store()))
        self.name.editingFinished.connect(self._page_edited)
        self.paper.currentTextChanged.connect(self._page_edited)
        self.landscape.toggled.connect(self._page_edited)
        self.atlas.currentIndexChanged.connect(self._page_edited)
        for widget in (self.x, self.y, self.w, self.h, self.font_size, self.scale):
            widget.valueChanged.connect(self._item_edited)
        for widget in (self.text_zh, self.text_en):
            widget.editingFinished.connect(self._item_edited)
        self.frame.toggled.connect(self._item_edited)
        self.export_pdf.clicked.connect(lambda: self.export_dialog(".pdf"))
        self.export_png.clicked.connect(lambda: self.export_dialog(".png"))
        self.export_svg.clicked.connect(lambda: self.export_dialog(".svg"))

        self.retranslate()
        self._fill_list()
        if not self.layouts:
            self.add_layout(plan_map())
        else:
            self.list.setCurrentRow(0)

    @staticmethod
    def _spin(low: float, high: float, step: float = 1.0, decimals: int = 1) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setDecimals(decimals)
        spin.setKeyboardTracking(False)
        return spin

    # --- text ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Print layouts"))
        self.layouts_label.setText(self.tr("Layouts in this project"))
        self.new_plan.setText(self.tr("New A3 plan map"))
        self.new_sheet.setText(self.tr("New A4 zone sheets (atlas)"))
        self.delete.setText(self.tr("Delete layout"))
        self.page_box.setTitle(self.tr("Page"))
        for label, text in zip(self.page_labels, (self.tr("Name"), self.tr("Paper"), self.tr("Landscape"),
                                                   self.tr("Atlas layer")), strict=True):
            label.setText(text)
        self.item_box.setTitle(self.tr("Item"))
        texts = (self.tr("Kind"), self.tr("X (mm)"), self.tr("Y (mm)"), self.tr("Width (mm)"),
                 self.tr("Height (mm)"), self.tr("Text (Chinese)"), self.tr("Text (English)"),
                 self.tr("Font size (pt)"), self.tr("Map scale 1:"), self.tr("Border"))
        for label, text in zip(self.item_labels, texts, strict=True):
            label.setText(text)
        self.scale.setSpecialValueText(self.tr("fit to the layers"))
        self.export_pdf.setText(self.tr("Export PDF…"))
        self.export_png.setText(self.tr("Export PNG…"))
        self.export_svg.setText(self.tr("Export SVG…"))
        with QSignalBlocker(self.atlas):
            chosen = self.atlas.currentData()
            self.atlas.clear()
            self.atlas.addItem(self.tr("none (one page)"), "")
            for layer in self.project.layers:
                self.atlas.addItem(layer.title(self.lang), layer.id)
            self.atlas.setCurrentIndex(max(0, self.atlas.findData(chosen or "")))

    def kind_name(self, kind: str) -> str:
        names = {"map": self.tr("Map"), "title": self.tr("Title"), "subtitle": self.tr("Subtitle"),
                 "text": self.tr("Text"), "legend": self.tr("Legend"), "scale_bar": self.tr("Scale bar"),
                 "north_arrow": self.tr("North arrow"), "attribution": self.tr("Credits"),
                 "review_number": self.tr("Map review number"), "date": self.tr("Date"),
                 "image": self.tr("Image"), "overview": self.tr("Overview map"),
                 "indicator_table": self.tr("Indicator table")}
        return names.get(kind, kind)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()
        self._show_page()
        self.preview.set_layout(self.current, self.project, lang)

    # --- layouts ------------------------------------------------------------------------
    def _fill_list(self) -> None:
        with QSignalBlocker(self.list):
            self.list.clear()
            self.list.addItems([layout.name for layout in self.layouts])

    def add_layout(self, layout: Layout) -> Layout:
        names = {existing.name for existing in self.layouts}
        base, number = layout.name, 2
        while layout.name in names:
            layout.name = f"{base} {number}"
            number += 1
        self.layouts.append(layout)
        self._fill_list()
        self.list.setCurrentRow(len(self.layouts) - 1)
        self._store()
        return layout

    def delete_current(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        del self.layouts[row]
        self._fill_list()
        self._store()
        self.list.setCurrentRow(min(row, len(self.layouts) - 1))
        if not self.layouts:
            self._layout_chosen(-1)

    def _layout_chosen(self, row: int) -> None:
        self.current = self.layouts[row] if 0 <= row < len(self.layouts) else None
        self._show_page()
        self.preview.set_layout(self.current, self.project, self.lang)
        self._show_item("")

    def _store(self) -> None:
        """The layouts into the project (saved with it)."""
        stored = [layout.to_dict() for layout in self.layouts]
        if stored != self.project.layouts:
            self.project.layouts = stored
            self.project.set_modified()

    # --- page and item properties: model -> widgets -----------------------------------
    def _show_page(self) -> None:
        layout = self.current
        self.page_box.setEnabled(layout is not None)
        if layout is None:
            return
        with QSignalBlocker(self.name), QSignalBlocker(self.paper), QSignalBlocker(self.landscape), \
                QSignalBlocker(self.atlas):
            self.name.setText(layout.name)
            self.paper.setCurrentText(layout.page.paper)
            self.landscape.setChecked(layout.page.landscape)
            self.atlas.setCurrentIndex(max(0, self.atlas.findData(layout.atlas_layer)))

    def _show_item(self, item_id: str) -> None:
        item = None
        if self.current is not None and item_id:
            try:
                item = self.current.item(item_id)
            except KeyError:
                item = None
        self.item_box.setEnabled(item is not None)
        widgets = (self.x, self.y, self.w, self.h, self.font_size, self.scale, self.text_zh, self.text_en,
                   self.frame)
        blockers = [QSignalBlocker(widget) for widget in widgets]
        try:
            if item is None:
                self.item_kind.setText("")
                return
            self.item_kind.setText(self.kind_name(item.kind))
            self.x.setValue(item.x)
            self.y.setValue(item.y)
            self.w.setValue(item.width)
            self.h.setValue(item.height)
            self.font_size.setValue(item.font_size_pt)
            self.scale.setValue(item.scale or 0)
            self.scale.setEnabled(item.kind == "map")
            self.text_zh.setText(item.text_zh)
            self.text_en.setText(item.text_en)
            for widget in (self.text_zh, self.text_en):
                widget.setEnabled(item.kind in TEXT_KINDS)
            self.frame.setChecked(item.frame)
        finally:
            del blockers

    # --- widgets -> model -------------------------------------------------------------------
    def _page_edited(self, *_args) -> None:
        layout = self.current
        if layout is None:
            return
        name = self.name.text().strip() or layout.name
        if name != layout.name and name not in {other.name for other in self.layouts}:
            layout.name = name
            self.list.item(self.list.currentRow()).setText(name)
        page = Page(self.paper.currentText(), self.landscape.isChecked(), layout.page.margin_mm)
        if page != layout.page:
            moved = on_page(layout, page)
            layout.page, layout.items = moved.page, moved.items
        layout.atlas_layer = self.atlas.currentData() or ""
        self._store()
        self.preview.set_layout(layout, self.project, self.lang)
        self._show_item("")

    def _item_edited(self, *_args) -> None:
        if self.current is None or not self.preview.selected:
            return
        item = self.current.item(self.preview.selected)
        item.x, item.y = self.x.value(), self.y.value()
        item.width, item.height = max(1.0, self.w.value()), max(1.0, self.h.value())
        item.font_size_pt = self.font_size.value()
        if item.kind == "map":
            item.scale = self.scale.value() or None
        if item.kind in TEXT_KINDS:
            item.text_zh, item.text_en = self.text_zh.text(), self.text_en.text()
        item.frame = self.frame.isChecked()
        self._store()
        self.preview.refresh()

    # --- export ---------------------------------------------------------------------------
    def export_dialog(self, suffix: str) -> list[Path]:
        if self.current is None:
            return []
        filters = {".pdf": self.tr("PDF (*.pdf)"), ".png": self.tr("PNG image (*.png)"),
                   ".svg": self.tr("SVG (*.svg)")}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export layout"), f"{self.current.name}{suffix}",
                                              filters[suffix])
        return self.export_to(path) if path else []

    def export_to(self, path: str | Path, dpi: float = 300.0) -> list[Path]:
        """Write the current layout (every atlas page); a failure is shown, never raised."""
        if self.current is None:
            return []
        try:
            return export_layout(self.current, self.project, path,
                                 ExportOptions(lang=self.lang, dpi=dpi, font_family=self.font().family()))
        except (OSError, ValueError) as exc:
            message_box(QMessageBox.Warning, self.tr("Export layout"),
                        self.tr("{file} could not be written: {problem}").format(file=Path(path).name,
                                                                               problem=str(exc)), parent=self).exec()
            return []
