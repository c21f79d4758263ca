"""File > Export web map: choose layers, language, basemap, size budget; export or preview."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.tile_layer import TileLayer, TileSource
from gisapp.core.texts import normalise_lang
from gisapp.export.web.webdata import skipped_features
from gisapp.export.web.webmap import (
    OFFLINE_BASE_GROUP,
    WebMapOptions,
    estimate_size,
    export_bounds,
    export_web_map,
    mbtiles_embed_size,
)
from gisapp.io.tiles.keys import load_key, store_key
from gisapp.io.tiles.sources import TIANDITU_KEY_SERVICE, needs_key
from gisapp.ui.plain import message_box, set_plain

LAYER_ROLE = Qt.UserRole + 1
ERROR_COLOUR = "#b00020"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class ExportWebMapDialog(QDialog):
    """Options for :func:`gisapp.export.web.webmap.export_web_map`, with a live size estimate."""

    def __init__(self, project: Project, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.lang = lang
        self.last_export: Path | None = None
        self.last_estimate: int | None = None
        self.last_skipped: list = []  # SkippedFeaturesWarning of the last export or preview
        self._preview_dir = Path(tempfile.mkdtemp(prefix="gisapp-webmap-"))
        self.setWindowTitle(self.tr("Export web map"))
        self.resize(720, 760)

        settings = QSettings()
        # --- file, title --------------------------------------------------------------
        self.path_edit = QLineEdit(str(settings.value("webmap/last_path", "")) or
                                   str(Path.home() / "webmap.html"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(project.title(lang))
        self.subtitle_edit = QLineEdit()
        self.subtitle_edit.setPlaceholderText(self.tr("Automatic: a note when shapes are schematic"))

        # --- language, basemap, mode ---------------------------------------------------
        self.lang_combo = QComboBox()
        self.lang_combo.addItem("中文", "zh")
        self.lang_combo.addItem("English", "en")
        self.lang_combo.setCurrentIndex(self.lang_combo.findData(normalise_lang(lang)))
        self.basemap_combo = QComboBox()
        for value, text in (("none", self.tr("None: the bundled land and sea layers (works offline)")),
                            ("osm", "OpenStreetMap"), ("positron", "CartoDB Positron"),
                            ("tianditu", self.tr("Tianditu (needs your key)"))):
            self.basemap_combo.addItem(text, value)
        # The basemaps of the map itself: a user's XYZ source, or an MBTiles file to embed.
        for layer in self.exportable_basemaps():
            self.basemap_combo.addItem(self.tr("From the map: {layer}").format(layer=layer.title(lang)),
                                       f"layer:{layer.id}")
        shown = [layer for layer in self.exportable_basemaps() if layer.visible]
        if shown:
            self.basemap_combo.setCurrentIndex(self.basemap_combo.findData(f"layer:{shown[-1].id}"))
        self.zoom_min, self.zoom_max = QSpinBox(), QSpinBox()
        for spin, value in ((self.zoom_min, 10), (self.zoom_max, 15)):
            spin.setRange(0, 22)
            spin.setValue(value)
            spin.valueChanged.connect(self.schedule_estimate)
        zoom_row = QHBoxLayout()
        zoom_row.addWidget(self.zoom_min)
        zoom_row.addWidget(QLabel("–"))
        zoom_row.addWidget(self.zoom_max)
        zoom_row.addStretch(1)
        self.key_edit = QLineEdit(load_key(TIANDITU_KEY_SERVICE))  # from the system keyring
        self.key_edit.setPlaceholderText(self.tr("Tianditu key"))
        gcj_note = QLabel(self.tr("Gaode/AMap tiles are not offered: they are shifted (GCJ-02) "
                                  "and would misplace the WGS84 data."))
        gcj_note.setWordWrap(True)
        gcj_note.setStyleSheet("color: #666")
        self.self_contained = QRadioButton(self.tr("Self-contained: one file that opens offline"))
        self.linked = QRadioButton(self.tr("Linked: smaller, loads Leaflet from the internet"))
        self.self_contained.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.self_contained)
        self.mode_group.addButton(self.linked)

        form = QFormLayout()
        form.addRow(self.tr("File:"), path_row)
        form.addRow(self.tr("Title:"), self.title_edit)
        form.addRow(self.tr("Subtitle:"), self.subtitle_edit)
        form.addRow(self.tr("Language:"), self.lang_combo)
        form.addRow(self.tr("Basemap:"), self.basemap_combo)
        form.addRow(self.tr("Tianditu key:"), self.key_edit)
        form.addRow(self.tr("Embed zoom levels:"), zoom_row)
        form.addRow("", gcj_note)
        mode_box = QVBoxLayout()
        mode_box.addWidget(self.self_contained)
        mode_box.addWidget(self.linked)
        form.addRow(self.tr("Scripts:"), mode_box)

        # --- layers and simplification ------------------------------------------------
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setRange(0.0, 500.0)
        self.tolerance.setDecimals(1)
        self.tolerance.setSingleStep(0.5)
        self.tolerance.setSuffix(" m")
        self.tolerance.setValue(1.0)
        self.tolerance.setToolTip(self.tr("Douglas-Peucker tolerance for every layer; "
                                          "0 keeps every vertex"))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Layer"), self.tr("Features"), self.tr("Simplify")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.layer_items: dict[str, QTreeWidgetItem] = {}
        self.layer_tolerances: dict[str, QDoubleSpinBox] = {}
        self._fill_layers()
        tolerance_row = QHBoxLayout()
        tolerance_row.addWidget(QLabel(self.tr("Simplify all layers to:")))
        tolerance_row.addWidget(self.tolerance)
        tolerance_row.addStretch(1)
        layers_box = QGroupBox(self.tr("Layers (canvas order)"))
        layers_layout = QVBoxLayout(layers_box)
        layers_layout.addWidget(self.tree)
        layers_layout.addLayout(tolerance_row)

        self.size_label = QLabel()
        self.size_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.AcceptRole)
        self.preview_button = self.buttons.addButton(self.tr("Preview in browser"),
                                                     QDialogButtonBox.ActionRole)
        self.export_button.clicked.connect(self.export)
        self.preview_button.clicked.connect(self.preview)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(layers_box, 1)
        layout.addWidget(self.size_label)
        layout.addWidget(self.buttons)

        self._estimate_timer = QTimer(self)
        self._estimate_timer.setSingleShot(True)
        self._estimate_timer.setInterval(250)
        self._estimate_timer.timeout.connect(self.update_estimate)
        for signal in (self.lang_combo.currentIndexChanged, self.title_edit.textChanged,
                       self.subtitle_edit.textChanged, self.key_edit.textChanged,
                       self.self_contained.toggled, self.tree.itemChanged):
            signal.connect(self.schedule_estimate)
        self.basemap_combo.currentIndexChanged.connect(self._basemap_changed)
        self.tolerance.valueChanged.connect(self._global_tolerance_changed)
        self._basemap_changed()
        self.update_estimate()

    # --- layers -----------------------------------------------------------------------
    def _fill_layers(self) -> None:
        lang = self.lang
        for group in self.project.groups:
            layers = [layer for layer in self.project.layers_in_group(group.id) if isinstance(layer, VectorLayer)]
            if not layers:
                continue
            group_item = QTreeWidgetItem(self.tree, [group.title(lang)])
            group_item.setFlags(group_item.flags() | Qt.ItemIsAutoTristate | Qt.ItemIsUserCheckable)
            for layer in layers:
                item = QTreeWidgetItem(group_item, [layer.title(lang), f"{len(layer):,}"])
                item.setData(0, LAYER_ROLE, layer.id)
                item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
                item.setCheckState(0, Qt.Checked if layer.visible else Qt.Unchecked)
                item.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
                self.layer_items[layer.id] = item
                if layer.geometry_family != "point":
                    spin = QDoubleSpinBox()
                    spin.setRange(0.0, 500.0)
                    spin.setDecimals(1)
                    spin.setSuffix(" m")
                    spin.setValue(self.tolerance.value())
                    spin.setToolTip(self.tr("Simplification tolerance for this layer"))
                    spin.valueChanged.connect(self.schedule_estimate)
                    self.tree.setItemWidget(item, 2, spin)
                    self.layer_tolerances[layer.id] = spin
            group_item.setExpanded(True)

    def checked_layer_ids(self) -> list[str]:
        return [layer_id for layer_id, item in self.layer_items.items()
                if item.checkState(0) == Qt.Checked]

    def set_layer_checked(self, layer_id: str, checked: bool) -> None:
        self.layer_items[layer_id].setCheckState(0, Qt.Checked if checked else Qt.Unchecked)

    def exportable_basemaps(self) -> list[TileLayer]:
        """The map's basemaps a page can use: MBTiles files, and URLs that need no key."""
        return [layer for layer in self.project.layers if isinstance(layer, TileLayer)
                and (layer.source.kind == "mbtiles" or not needs_key(layer.source))]

    def _chosen_source(self) -> tuple[str, TileSource | None]:
        basemap = self.basemap_combo.currentData()
        if not str(basemap).startswith("layer:"):
            return basemap, None
        layer = self.project.map_layer(basemap.removeprefix("layer:"))
        return layer.source.kind, layer.source

    def _basemap_changed(self) -> None:
        basemap, _source = self._chosen_source()
        self.key_edit.setEnabled(basemap == "tianditu")
        self.zoom_min.setEnabled(basemap == "mbtiles")
        self.zoom_max.setEnabled(basemap == "mbtiles")
        # Tiles replace the bundled land and sea background, and the reverse.
        for layer in self.project.vector_layers():
            if layer.group == OFFLINE_BASE_GROUP:
                self.set_layer_checked(layer.id, basemap == "none" and layer.visible)
        self.schedule_estimate()

    def _global_tolerance_changed(self, value: float) -> None:
        for spin in self.layer_tolerances.values():
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self.schedule_estimate()

    # --- options and estimate ---------------------------------------------------------
    def options(self) -> WebMapOptions:
        global_tolerance = self.tolerance.value()
        overrides = {layer_id: spin.value() for layer_id, spin in self.layer_tolerances.items()
                     if abs(spin.value() - global_tolerance) > 1e-9}
        basemap, source = self._chosen_source()
        return WebMapOptions(
            layer_ids=self.checked_layer_ids(), basemap=basemap, basemap_source=source,
            mbtiles_zooms=(self.zoom_min.value(), self.zoom_max.value()),
            lang=self.lang_combo.currentData(), self_contained=self.self_contained.isChecked(),
            tianditu_key=self.key_edit.text().strip(), title=self.title_edit.text().strip(),
            subtitle=self.subtitle_edit.text().strip() or None, simplify_m=global_tolerance,
            layer_simplify_m=overrides)

    def problem(self) -> str:
        options = self.options()
        if not options.layer_ids:
            return self.tr("Choose at least one layer.")
        try:
            options.validate()
        except ValueError as exc:
            return str(exc)
        return ""

    def schedule_estimate(self, *_args) -> None:
        self._estimate_timer.start()

    def update_estimate(self) -> None:
        problem = self.problem()
        self.export_button.setEnabled(not problem)
        self.preview_button.setEnabled(not problem)
        if problem:
            self.last_estimate = None
            set_plain(self.size_label, problem, ERROR_COLOUR)
            return
        try:
            self.last_estimate = estimate_size(self.project, self.options())
        except Exception as exc:  # missing packaged assets and the like: say so, keep the dialog
            self.last_estimate = None
            set_plain(self.size_label, exc, ERROR_COLOUR)
            self.export_button.setEnabled(False)
            self.preview_button.setEnabled(False)
            return
        text = self.tr("Estimated file size: {size}").format(size=human_size(self.last_estimate))
        options = self.options()
        if options.basemap == "mbtiles" and options.basemap_source is not None:
            tiles, _size = mbtiles_embed_size(options.basemap_source.path, export_bounds(self.project, options),
                                              options.mbtiles_zooms)
            text += " " + self.tr("({tiles} basemap tiles embedded)").format(tiles=tiles)
        set_plain(self.size_label, text)

    # --- actions ----------------------------------------------------------------------
    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export web map"), self.path_edit.text(),
                                              self.tr("Web page (*.html)"))
        if path:
            if not path.lower().endswith((".html", ".htm")):
                path += ".html"
            self.path_edit.setText(path)

    def _write(self, path: Path) -> Path | None:
        try:
            with skipped_features() as skipped:
                written = export_web_map(self.project, path, self.options())
        except Exception as exc:
            box = message_box(QMessageBox.Warning, self.tr("Export web map"),
                              self.tr("The web map could not be written:\n{error}").format(error=exc),
                              parent=self)
            box.setObjectName("ExportErrorBox")
            box.open()
            return None
        self.last_skipped = skipped
        return written

    def _skipped_text(self) -> str:
        if not self.last_skipped:
            return ""
        lines = [self.tr("{layer}: {count} features (number {numbers})").format(
            layer=item.title, count=len(item.rows),
            numbers=", ".join(str(row + 1) for row in item.rows[:10]) + (", …" if len(item.rows) > 10 else ""))
            for item in self.last_skipped]
        return (self.tr("The web map was written without these features: their coordinates are "
                        "not finite longitudes and latitudes.") + "\n" + "\n".join(lines))

    def _show_written(self, written: Path) -> QMessageBox:
        """Say where the web map went, with Open and Show in folder (and what it left out)."""
        text = self.tr("The web map was written to\n{path}\n({size})").format(
            path=written, size=human_size(written.stat().st_size))
        skipped = self._skipped_text()
        if skipped:
            text += "\n\n" + skipped
        # Parented to the window: the dialog closes after an export.
        box = message_box(QMessageBox.Information, self.tr("Export web map"), text, QMessageBox.NoButton,
                          parent=self.parentWidget() or self)
        box.setObjectName("ExportSkippedBox" if skipped else "ExportDoneBox")
        open_button = box.addButton(self.tr("Open"), QMessageBox.AcceptRole)
        folder_button = box.addButton(self.tr("Show in folder"), QMessageBox.ActionRole)
        box.addButton(QMessageBox.Close)
        targets = {open_button: written, folder_button: written.parent}
        box.buttonClicked.connect(lambda button: button in targets and QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(targets[button].resolve()))))
        box.open()
        self.done_box = box
        return box

    def export(self) -> Path | None:
        path = Path(self.path_edit.text().strip() or "webmap.html").expanduser()
        written = self._write(path)
        if written is not None:
            self.last_export = written
            settings = QSettings()
            settings.setValue("webmap/last_path", str(written))
            if self.key_edit.text().strip():  # in the system keyring, never in the settings file
                store_key(TIANDITU_KEY_SERVICE, self.key_edit.text().strip())
            self._show_written(written)
            self.accept()
        return written

    def preview(self) -> Path | None:
        written = self._write(self._preview_dir / "preview.html")
        if written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(written)))
            if self.last_skipped:
                box = message_box(QMessageBox.Information, self.tr("Export web map"), self._skipped_text(),
                                  parent=self)
                box.setObjectName("ExportSkippedBox")
                box.open()
        return written


def open_export_dialog(project: Project, lang: str, parent: QWidget | None = None) -> ExportWebMapDialog:
    dialog = ExportWebMapDialog(project, lang, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose, False)
    dialog.open()
    return dialog
