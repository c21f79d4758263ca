"""The layout editor: a page preview where items are added, dragged and resized (snapping to
the margins and to each other), removed, a properties panel for the chosen item, the
project's layouts, atlas paging, undo and redo, and export to PDF, PNG and SVG.

The model is the Qt-free :class:`gisapp.core.layout.items.Layout`; widgets change it
through setters and are refreshed from it inside signal blockers, so nothing loops.
Every change is one command on the editor's undo stack (see :mod:`.commands`) and is
stored in ``project.layouts`` at once (saved with the project).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
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
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.layout.items import ITEM_KINDS, Layout, LayoutItem
from gisapp.core.layout.new_items import new_item
from gisapp.core.layout.page import PAPER_SIZES_MM, Page
from gisapp.core.layout.templates import on_page, plan_map, zone_sheet
from gisapp.core.model.project import Project
from gisapp.ui.layout.commands import EditorState, LayoutCommand
from gisapp.ui.layout.export import ExportOptions, export_layout
from gisapp.ui.layout.preview import HANDLE_MM, PagePreview
from gisapp.ui.map.render import RENDER_THREAD
from gisapp.ui.plain import message_box
from gisapp.ui.workers import Job, JobRunner

__all__ = ["HANDLE_MM", "LayoutEditor", "PagePreview"]

TEXT_KINDS = ("title", "subtitle", "text", "review_number", "date", "attribution")
FOLLOWER_KINDS = ("legend", "scale_bar", "north_arrow", "overview")  # they follow a map frame
MAP_FRAME_KINDS = ("map", "overview")


class TextBox(QPlainTextEdit):
    """A few lines of text; ``editingFinished`` when focus leaves, as QLineEdit has."""

    editingFinished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


class LayoutEditor(QDialog):
    """The project's print layouts: list, page preview, item properties, undo, export."""

    def __init__(self, project: Project, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LayoutEditor")
        self.project = project
        self.lang = lang
        self.layouts: list[Layout] = [Layout.from_dict(entry) for entry in project.layouts]
        self.current: Layout | None = None
        self.atlas_row = 0
        self.undo_stack = QUndoStack(self)
        self._drag_before: EditorState | None = None
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

        # Above the page: add and remove items, undo and redo, atlas pages.
        self.add_menu = QMenu(self)
        self.add_actions = {kind: self.add_menu.addAction(kind) for kind in ITEM_KINDS}
        for kind, action in self.add_actions.items():
            action.triggered.connect(lambda _checked=False, kind=kind: self.add_item(kind))
        self.add_button = QToolButton()
        self.add_button.setMenu(self.add_menu)
        self.add_button.setPopupMode(QToolButton.InstantPopup)
        self.remove_button = QToolButton()
        self.remove_button.clicked.connect(self.remove_selected)
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.redo_action = self.undo_stack.createRedoAction(self)
        self.undo_action.setShortcut(QKeySequence.Undo)
        self.redo_action.setShortcut(QKeySequence.Redo)
        self.addActions([self.undo_action, self.redo_action])
        self.undo_button, self.redo_button = QToolButton(), QToolButton()
        self.undo_button.setDefaultAction(self.undo_action)
        self.redo_button.setDefaultAction(self.redo_action)
        self.atlas_prev, self.atlas_next = QToolButton(), QToolButton()
        self.atlas_prev.setArrowType(Qt.LeftArrow)
        self.atlas_next.setArrowType(Qt.RightArrow)
        self.atlas_label = QLabel()
        self.atlas_label.setTextFormat(Qt.PlainText)  # feature names come from data
        self.atlas_prev.clicked.connect(lambda: self.show_atlas_page(self.atlas_row - 1))
        self.atlas_next.clicked.connect(lambda: self.show_atlas_page(self.atlas_row + 1))
        tools = QHBoxLayout()
        for widget in (self.add_button, self.remove_button, self.undo_button, self.redo_button):
            tools.addWidget(widget)
        tools.addStretch(1)
        for widget in (self.atlas_prev, self.atlas_label, self.atlas_next):
            tools.addWidget(widget)
        self.preview = PagePreview()
        middle = QVBoxLayout()
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addLayout(tools)
        middle.addWidget(self.preview, 1)
        middle_box = QWidget()
        middle_box.setLayout(middle)
        QShortcut(QKeySequence.Delete, self.preview, self.remove_selected)

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
        self.item_form = QFormLayout(self.item_box)
        self.item_kind = QLabel()
        self.x, self.y, self.w, self.h = (self._spin(-2000, 2000) for _ in range(4))
        self.text_zh, self.text_en = TextBox(), TextBox()
        self.font_size = self._spin(1, 400, 0.5)
        self.bold = QCheckBox()
        self.align = QComboBox()
        self.frame = QCheckBox()
        self.follows = QComboBox()
        self.columns = QSpinBox()
        self.columns.setRange(0, 20)
        self.units = QComboBox()
        self.segments = QSpinBox()
        self.segments.setRange(0, 20)
        self.scale = self._spin(0, 1e9, 1000, decimals=0)
        self.extent = QLineEdit()
        self.extent.setPlaceholderText("121.45,38.85,121.60,38.95")
        self.crs = QLineEdit()
        self.crs.setPlaceholderText("EPSG:4550")
        self.lock_layers = QCheckBox()
        self.image_path = QLineEdit()
        self.image_browse = QPushButton()
        image_row = QHBoxLayout()
        image_row.setContentsMargins(0, 0, 0, 0)
        image_row.addWidget(self.image_path, 1)
        image_row.addWidget(self.image_browse)
        self.image_widget = QWidget()
        self.image_widget.setLayout(image_row)
        self.rows: dict[str, QWidget] = {
            "kind": self.item_kind, "x": self.x, "y": self.y, "width": self.w, "height": self.h,
            "text_zh": self.text_zh, "text_en": self.text_en, "font_size_pt": self.font_size, "bold": self.bold,
            "align": self.align, "frame": self.frame, "map_id": self.follows, "columns": self.columns,
            "units": self.units, "segments": self.segments, "scale": self.scale, "extent": self.extent,
            "crs": self.crs, "layer_ids": self.lock_layers, "path": self.image_widget,
        }
        self.row_labels = {key: QLabel() for key in self.rows}
        for key, widget in self.rows.items():
            self.item_form.addRow(self.row_labels[key], widget)

        self.export_pdf, self.export_png, self.export_svg = QPushButton(), QPushButton(), QPushButton()
        exports = QHBoxLayout()
        for button in (self.export_pdf, self.export_png, self.export_svg):
            exports.addWidget(button)
        self.export_status = QLabel()
        self.export_status.setTextFormat(Qt.PlainText)  # file names
        self.export_status.setWordWrap(True)
        # The buttons export on the render thread (a big layer takes seconds); one at a time.
        self._exporter = JobRunner(RENDER_THREAD, self)
        self._exporter.finished.connect(self._export_finished)
        self.export_job: Job | None = None
        right = QVBoxLayout()
        right.addWidget(self.page_box)
        right.addWidget(self.item_box)
        right.addStretch(1)
        right_inner = QWidget()
        right_inner.setLayout(right)
        scroll = QScrollArea()  # at 1280x800 every property still has room
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(right_inner)
        right_outer = QVBoxLayout()
        right_outer.setContentsMargins(0, 0, 0, 0)
        right_outer.addWidget(scroll, 1)
        right_outer.addWidget(self.export_status)
        right_outer.addLayout(exports)
        right_box = QWidget()
        right_box.setLayout(right_outer)
        right_box.setMinimumWidth(330)

        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(middle_box)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 840, 360])
        outer = QVBoxLayout(self)
        outer.addWidget(splitter)

        self.list.currentRowChanged.connect(self._layout_chosen)
        self.new_plan.clicked.connect(lambda: self.add_layout(plan_map()))
        self.new_sheet.clicked.connect(lambda: self.add_layout(zone_sheet()))
        self.delete.clicked.connect(self.delete_current)
        self.preview.itemChosen.connect(self._show_item)
        self.preview.dragStarted.connect(self._drag_started)
        self.preview.dragFinished.connect(self._drag_finished)
        self.name.editingFinished.connect(self._page_edited)
        self.paper.currentTextChanged.connect(self._page_edited)
        self.landscape.toggled.connect(self._page_edited)
        self.atlas.currentIndexChanged.connect(self._page_edited)
        for key, spin in (("x", self.x), ("y", self.y), ("width", self.w), ("height", self.h),
                          ("font_size_pt", self.font_size), ("scale", self.scale)):
            spin.valueChanged.connect(lambda _value, key=key: self._item_edited(key))
        for key, box in (("columns", self.columns), ("segments", self.segments)):
            box.valueChanged.connect(lambda _value, key=key: self._item_edited(key))
        for key, combo in (("align", self.align), ("map_id", self.follows), ("units", self.units)):
            combo.currentIndexChanged.connect(lambda _index, key=key: self._item_edited(key))
        for key, check in (("bold", self.bold), ("frame", self.frame), ("layer_ids", self.lock_layers)):
            check.toggled.connect(lambda _on, key=key: self._item_edited(key))
        for key, line in (("text_zh", self.text_zh), ("text_en", self.text_en), ("extent", self.extent),
                          ("crs", self.crs), ("path", self.image_path)):
            line.editingFinished.connect(lambda key=key: self._item_edited(key))
        self.image_browse.clicked.connect(self._choose_image)
        self.export_pdf.clicked.connect(lambda: self.export_dialog(".pdf"))
        self.export_png.clicked.connect(lambda: self.export_dialog(".png"))
        self.export_svg.clicked.connect(lambda: self.export_dialog(".svg"))

        self.retranslate()
        self._fill_list()
        if not self.layouts:
            self.add_layout(plan_map())
        else:
            self.list.setCurrentRow(0)
        self.undo_stack.clear()  # opening the editor is not a change to undo

    def closeEvent(self, event) -> None:
        self.preview.cancel_renders()
        self._exporter.wait()  # a file being written is finished, never left half done
        super().closeEvent(event)

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
        self.add_button.setText(self.tr("Add item"))
        for kind, action in self.add_actions.items():
            action.setText(self.kind_name(kind))
        self.remove_button.setText(self.tr("Remove item"))
        self.remove_button.setToolTip(self.tr("Remove the chosen item (Delete)"))
        self.undo_action.setText(self.tr("Undo"))
        self.redo_action.setText(self.tr("Redo"))
        self.atlas_prev.setToolTip(self.tr("Previous feature"))
        self.atlas_next.setToolTip(self.tr("Next feature"))
        self.page_box.setTitle(self.tr("Page"))
        for label, text in zip(self.page_labels, (self.tr("Name"), self.tr("Paper"), self.tr("Landscape"),
                                                   self.tr("Atlas layer")), strict=True):
            label.setText(text)
        self.item_box.setTitle(self.tr("Item"))
        texts = {"kind": self.tr("Kind"), "x": self.tr("X (mm)"), "y": self.tr("Y (mm)"),
                 "width": self.tr("Width (mm)"), "height": self.tr("Height (mm)"),
                 "text_zh": self.tr("Text (Chinese)"), "text_en": self.tr("Text (English)"),
                 "font_size_pt": self.tr("Font size (pt)"), "bold": self.tr("Bold"), "align": self.tr("Alignment"),
                 "frame": self.tr("Border"), "map_id": self.tr("Follows the map"),
                 "columns": self.tr("Legend columns"), "units": self.tr("Scale bar units"),
                 "segments": self.tr("Scale bar segments"), "scale": self.tr("Map scale 1:"),
                 "extent": self.tr("Extent (lon, lat)"), "crs": self.tr("Map CRS"),
                 "layer_ids": self.tr("Lock layers"), "path": self.tr("Image file")}
        for key, label in self.row_labels.items():
            label.setText(texts[key])
        self.scale.setSpecialValueText(self.tr("fit to the layers"))
        self.columns.setSpecialValueText(self.tr("automatic"))
        self.segments.setSpecialValueText(self.tr("automatic"))
        self.extent.setToolTip(self.tr("West, south, east, north in degrees; empty fits the layers"))
        self.crs.setToolTip(self.tr("Empty: the project's map CRS"))
        self.lock_layers.setText(self.tr("keep the layers shown now"))
        self.image_browse.setText(self.tr("Choose…"))
        with QSignalBlocker(self.align), QSignalBlocker(self.units):
            for combo, choices in ((self.align, (("left", self.tr("Left")), ("center", self.tr("Centre")),
                                                 ("right", self.tr("Right")))),
                                   (self.units, (("", self.tr("automatic")), ("m", self.tr("metres")),
                                                 ("km", self.tr("kilometres"))))):
                chosen = combo.currentIndex()
                combo.clear()
                for data, text in choices:
                    combo.addItem(text, data)
                combo.setCurrentIndex(max(0, chosen))
        self.export_pdf.setText(self.tr("Export PDF…"))
        self.export_png.setText(self.tr("Export PNG…"))
        self.export_svg.setText(self.tr("Export SVG…"))
        with QSignalBlocker(self.atlas):
            chosen = self.atlas.currentData()
            self.atlas.clear()
            self.atlas.addItem(self.tr("none (one page)"), "")
            for layer in self.project.vector_layers():  # an atlas walks features
                self.atlas.addItem(layer.title(self.lang), layer.id)
            self.atlas.setCurrentIndex(max(0, self.atlas.findData(chosen or "")))
        self._show_atlas_paging()

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
        self.preview.set_layout(self.current, self.project, lang, self.atlas_row)
        self._show_item(self.preview.selected or "")

    # --- undo ---------------------------------------------------------------------------
    def state(self) -> EditorState:
        return EditorState(tuple(json.dumps(layout.to_dict(), ensure_ascii=False, sort_keys=True)
                                 for layout in self.layouts),
                           self.list.currentRow(), self.preview.selected or "")

    def _push(self, label: str, before: EditorState, merge_key: str = "") -> None:
        after = self.state()
        if after.layouts == before.layouts:
            return
        self._store()
        self.undo_stack.push(LayoutCommand(label, before, after, self._apply_state, merge_key))

    def _change(self, label: str, change: Callable[[], None], merge_key: str = "") -> None:
        before = self.state()
        change()
        self._push(label, before, merge_key)

    def _apply_state(self, state: EditorState) -> None:
        """Show ``state`` (undo and redo): the layouts, the one shown and the chosen item."""
        self.layouts = [Layout.from_dict(entry) for entry in state.layout_dicts]
        self._fill_list()
        row = min(state.current, len(self.layouts) - 1)
        with QSignalBlocker(self.list):
            self.list.setCurrentRow(row)
        self.current = self.layouts[row] if row >= 0 else None
        self._store()
        self._show_page()
        self.preview.set_layout(self.current, self.project, self.lang, self.atlas_row)
        exists = self.current is not None and any(item.id == state.selected for item in self.current.items)
        self.preview.selected = state.selected if exists else None
        self._show_item(self.preview.selected or "")
        self.preview.update()

    # --- layouts ------------------------------------------------------------------------
    def _fill_list(self) -> None:
        with QSignalBlocker(self.list):
            self.list.clear()
            self.list.addItems([layout.name for layout in self.layouts])

    def add_layout(self, layout: Layout) -> Layout:
        before = self.state()
        names = {existing.name for existing in self.layouts}
        base, number = layout.name, 2
        while layout.name in names:
            layout.name = f"{base} {number}"
            number += 1
        self.layouts.append(layout)
        self._fill_list()
        self.list.setCurrentRow(len(self.layouts) - 1)
        self._push(self.tr("Add layout"), before)
        return layout

    def delete_current(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        before = self.state()
        del self.layouts[row]
        self._fill_list()
        self.list.setCurrentRow(min(row, len(self.layouts) - 1))
        if not self.layouts:
            self._layout_chosen(-1)
        self._push(self.tr("Delete layout"), before)

    def _layout_chosen(self, row: int) -> None:
        self.current = self.layouts[row] if 0 <= row < len(self.layouts) else None
        self.atlas_row = 0
        self._show_page()
        self.preview.set_layout(self.current, self.project, self.lang, self.atlas_row)
        self._show_item("")

    def _store(self) -> None:
        """The layouts into the project (saved with it)."""
        stored = [layout.to_dict() for layout in self.layouts]
        if stored != self.project.layouts:
            self.project.layouts = stored
            self.project.set_modified()

    # --- items --------------------------------------------------------------------------
    def add_item(self, kind: str) -> LayoutItem | None:
        """A new item of ``kind`` on the page, chosen (one undo step)."""
        layout = self.current
        if layout is None:
            return None
        before = self.state()
        item = new_item(layout, kind)
        layout.items.append(item)
        self.preview.selected = item.id
        self._push(self.tr("Add {kind}").format(kind=self.kind_name(kind)), before)
        self.preview.refresh(now=True)
        self._show_item(item.id)
        if kind == "image" and not item.path:
            self.image_path.setFocus()
        return item

    def remove_selected(self) -> None:
        layout = self.current
        if layout is None or not self.preview.selected:
            return
        try:
            item = layout.item(self.preview.selected)
        except KeyError:
            return
        before = self.state()
        layout.items = [other for other in layout.items if other.id != item.id]
        self.preview.selected = None
        self._push(self.tr("Remove {kind}").format(kind=self.kind_name(item.kind)), before)
        self.preview.refresh(now=True)
        self._show_item("")

    def _drag_started(self, _item_id: str) -> None:
        self._drag_before = self.state()

    def _drag_finished(self, item_id: str) -> None:
        before, self._drag_before = self._drag_before, None
        self._show_item(item_id)
        if before is None or self.current is None:
            return
        old = Layout.from_dict(before.layout_dicts[before.current]).items if before.current >= 0 else []
        was = next((item for item in old if item.id == item_id), None)
        now = self.current.item(item_id)
        resized = was is not None and (was.width, was.height) != (now.width, now.height)
        self._push(self.tr("Resize item") if resized else self.tr("Move item"), before)

    # --- atlas paging -------------------------------------------------------------------------
    def atlas_count(self) -> int:
        layout = self.current
        if layout is None or layout.atlas_layer not in {layer.id for layer in self.project.vector_layers()}:
            return 0
        return len(self.project.layer(layout.atlas_layer))

    def show_atlas_page(self, row: int) -> None:
        """Preview the atlas page of feature ``row`` (kept within the layer)."""
        count = self.atlas_count()
        self.atlas_row = max(0, min(row, count - 1)) if count else 0
        self.preview.set_layout(self.current, self.project, self.lang, self.atlas_row)
        self._show_atlas_paging()

    def _show_atlas_paging(self) -> None:
        count = self.atlas_count()
        for widget in (self.atlas_prev, self.atlas_label, self.atlas_next):
            widget.setVisible(count > 0)
        if not count:
            return
        name = self.project.layer(self.current.atlas_layer).feature_label(self.atlas_row, self.lang) \
            if self.current is not None else ""
        self.atlas_label.setText(self.tr("Feature {n} of {count}: {name}").format(
            n=self.atlas_row + 1, count=count, name=name))
        self.atlas_prev.setEnabled(self.atlas_row > 0)
        self.atlas_next.setEnabled(self.atlas_row < count - 1)

    # --- page and item properties: model -> widgets -----------------------------------
    def _show_page(self) -> None:
        layout = self.current
        self.page_box.setEnabled(layout is not None)
        self.add_button.setEnabled(layout is not None)
        self._show_atlas_paging()
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
        self.remove_button.setEnabled(item is not None)
        widgets = [w for w in self.rows.values() if w is not self.image_widget] + [self.image_path]
        blockers = [QSignalBlocker(widget) for widget in widgets]
        try:
            kind = item.kind if item is not None else ""
            shown = {"text_zh": kind in TEXT_KINDS, "text_en": kind in TEXT_KINDS,
                     "bold": kind in (*TEXT_KINDS, "north_arrow"), "align": kind in TEXT_KINDS,
                     "map_id": kind in FOLLOWER_KINDS, "columns": kind == "legend",
                     "units": kind == "scale_bar", "segments": kind == "scale_bar", "scale": kind == "map",
                     "extent": kind in MAP_FRAME_KINDS, "crs": kind in MAP_FRAME_KINDS,
                     "layer_ids": kind in MAP_FRAME_KINDS, "path": kind == "image",
                     "font_size_pt": kind not in ("map", "overview", "image")}
            for key in self.rows:
                self.item_form.setRowVisible(self.rows[key], shown.get(key, True))
            if item is None:
                self.item_kind.setText("")
                return
            self.item_kind.setText(self.kind_name(item.kind))
            self.x.setValue(item.x)
            self.y.setValue(item.y)
            self.w.setValue(item.width)
            self.h.setValue(item.height)
            self.font_size.setValue(item.font_size_pt)
            self.bold.setChecked(item.bold)
            self.align.setCurrentIndex(max(0, self.align.findData(item.align)))
            self.frame.setChecked(item.frame)
            self.follows.clear()
            for other in self.current.items_of("map") if self.current else []:
                self.follows.addItem(other.id, other.id)
            self.follows.setCurrentIndex(self.follows.findData(item.map_id))
            self.columns.setValue(item.columns)
            self.units.setCurrentIndex(max(0, self.units.findData(item.units)))
            self.segments.setValue(item.segments)
            self.scale.setValue(item.scale or 0)
            self.extent.setText(",".join(f"{v:g}" for v in item.extent) if item.extent else "")
            self.crs.setText(item.crs)
            self.lock_layers.setChecked(item.layer_ids is not None)
            self.image_path.setText(item.path)
            for box, text in ((self.text_zh, item.text_zh), (self.text_en, item.text_en)):
                if box.toPlainText() != text:
                    box.setPlainText(text)
        finally:
            del blockers

    # --- widgets -> model -------------------------------------------------------------------
    def _page_edited(self, *_args) -> None:
        layout = self.current
        if layout is None:
            return
        before = self.state()
        name = self.name.text().strip() or layout.name
        if name != layout.name and name not in {other.name for other in self.layouts}:
            layout.name = name
            self.list.item(self.list.currentRow()).setText(name)
        page = Page(self.paper.currentText(), self.landscape.isChecked(), layout.page.margin_mm)
        if page != layout.page:
            moved = on_page(layout, page)
            layout.page, layout.items = moved.page, moved.items
        if layout.atlas_layer != (self.atlas.currentData() or ""):
            layout.atlas_layer = self.atlas.currentData() or ""
            self.atlas_row = 0
        self._push(self.tr("Change page"), before)
        self._show_page()
        self.preview.set_layout(layout, self.project, self.lang, self.atlas_row)
        self._show_item(self.preview.selected or "")

    def _item_edited(self, key: str) -> None:
        """One property of the chosen item from its widget (one undo step; a spin box's steps merge)."""
        if self.current is None or not self.preview.selected:
            return
        try:
            item = self.current.item(self.preview.selected)
        except KeyError:
            return
        before = self.state()
        problem = self._set_property(item, key)
        if problem:
            message_box(QMessageBox.Warning, self.tr("Print layouts"), problem, parent=self).exec()
            self._show_item(item.id)
            return
        self._push(self.tr("Change {kind}").format(kind=self.kind_name(item.kind)), before,
                   merge_key=f"{before.current}:{item.id}:{key}")
        self.preview.refresh()

    def _set_property(self, item: LayoutItem, key: str) -> str:
        """Set ``key`` of ``item`` from its widget; a message if the value cannot be used."""
        if key in ("x", "y"):
            setattr(item, key, self.rows[key].value())
        elif key in ("width", "height"):
            setattr(item, key, max(1.0, self.rows[key].value()))
        elif key == "font_size_pt":
            item.font_size_pt = self.font_size.value()
        elif key == "scale" and item.kind == "map":
            item.scale = self.scale.value() or None
        elif key in ("text_zh", "text_en") and item.kind in TEXT_KINDS:
            setattr(item, key, self.rows[key].toPlainText())
        elif key in ("bold", "frame"):
            setattr(item, key, self.rows[key].isChecked())
        elif key in ("align", "map_id", "units"):
            value = self.rows[key].currentData()
            if value is not None:
                setattr(item, key, value)
        elif key in ("columns", "segments"):
            setattr(item, key, self.rows[key].value())
        elif key == "extent":
            return self._set_extent(item)
        elif key == "crs":
            return self._set_crs(item)
        elif key == "layer_ids":
            if self.lock_layers.isChecked():
                item.layer_ids = [layer.id for layer in self.project.render_order() if layer.visible]
            else:
                item.layer_ids = None
        elif key == "path":
            item.path = self.image_path.text().strip()
        return ""

    def _set_extent(self, item: LayoutItem) -> str:
        text = self.extent.text().strip()
        if not text:
            item.extent = None
            return ""
        try:
            values = tuple(float(part) for part in text.replace("，", ",").split(","))
        except ValueError:
            values = ()
        if len(values) != 4 or not (values[0] < values[2] and values[1] < values[3]) or \
                any(abs(v) > 90 for v in values[1::2]) or any(abs(v) > 540 for v in values[0::2]):
            return self.tr("{text} is not an extent: give west, south, east, north in degrees, "
                           "for example 121.45,38.85,121.60,38.95").format(text=text)
        item.extent = values  # type: ignore[assignment]
        return ""

    def _set_crs(self, item: LayoutItem) -> str:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        text = self.crs.text().strip()
        if text:
            try:
                crs = CRS.from_user_input(text)
            except CRSError:
                return self.tr("{text} is not a CRS (try EPSG:3857 or EPSG:4550)").format(text=text)
            if not (crs.is_projected or crs.is_geographic):
                return self.tr("{text} is not a map CRS: choose a projected or geographic one").format(text=text)
        item.crs = text
        return ""

    def _choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Image file"), "",
                                              self.tr("Images (*.png *.jpg *.jpeg *.svg *.bmp *.gif)"))
        if path:
            self.image_path.setText(path)
            self._item_edited("path")

    # --- export ---------------------------------------------------------------------------
    def export_dialog(self, suffix: str) -> Job | None:
        if self.current is None:
            return None
        filters = {".pdf": self.tr("PDF (*.pdf)"), ".png": self.tr("PNG image (*.png)"),
                   ".svg": self.tr("SVG (*.svg)")}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export layout"), f"{self.current.name}{suffix}",
                                              filters[suffix])
        return self.start_export(path) if path else None

    def start_export(self, path: str | Path, dpi: float = 300.0) -> Job | None:
        """Write a copy of the current layout on the render thread; the editor stays usable
        and says when the file is written (or why not)."""
        if self.current is None or self.export_job is not None:
            return None
        job = Job(export_layout, Layout.from_dict(self.current.to_dict()), self.project, path,
                  ExportOptions(lang=self.lang, dpi=dpi, font_family=self.font().family()))
        job.path = Path(path)  # type: ignore[attr-defined]
        self.export_job = self._exporter.submit(job)
        for button in (self.export_pdf, self.export_png, self.export_svg):
            button.setEnabled(False)
        self.export_status.setText(self.tr("Exporting {file}…").format(file=Path(path).name))
        return job

    def _export_finished(self, job_id: int) -> None:
        job = self._exporter.take(job_id)
        if job is None:
            return
        self.export_job = None
        for button in (self.export_pdf, self.export_png, self.export_svg):
            button.setEnabled(True)
        name = job.path.name  # type: ignore[attr-defined]
        if job.error:
            self.export_status.setText("")
            message_box(QMessageBox.Warning, self.tr("Export layout"),
                        self.tr("{file} could not be written: {problem}").format(file=name, problem=job.error),
                        parent=self).exec()
            return
        written = job.result if isinstance(job.result, list) else []
        self.export_status.setText(self.tr("Written: {files}").format(files=", ".join(p.name for p in written)))

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
