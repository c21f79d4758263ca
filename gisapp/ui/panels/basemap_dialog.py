"""Layer > Add basemap: presets, your own XYZ or WMTS source or an MBTiles file, with a live preview."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.geo.viewport import Viewport
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.tile_layer import TileLayer, TileSource
from gisapp.io.tiles.keys import load_key, use_for_session
from gisapp.io.tiles.mbtiles import MBTilesReader
from gisapp.io.tiles.sources import (
    PRESET_TITLES,
    TIANDITU_KEY_SERVICE,
    preset,
    refusal,
    tianditu_pair,
    wmts_template,
)
from gisapp.ui.map.canvas import MapCanvas
from gisapp.ui.plain import plain_label

CHOICES = ("osm", "tianditu-vec", "tianditu-img", "tianditu-ter", "xyz", "wmts", "mbtiles")


class BasemapDialog(QDialog):
    """Builds the tile layers to add; :meth:`layers` gives them (top first) once accepted."""

    def __init__(self, lang: str, viewport: Viewport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(self.tr("Add basemap"))
        self.choice = QComboBox()
        titles = {"osm": PRESET_TITLES["osm"](lang),
                  "tianditu-vec": PRESET_TITLES["tianditu-vec"](lang),
                  "tianditu-img": PRESET_TITLES["tianditu-img"](lang),
                  "tianditu-ter": PRESET_TITLES["tianditu-ter"](lang),
                  "xyz": self.tr("Your XYZ tile URL"), "wmts": self.tr("Your WMTS layer (Web Mercator)"),
                  "mbtiles": self.tr("MBTiles file (offline)")}
        for key in CHOICES:
            self.choice.addItem(titles[key], key)
        self.labels = QCheckBox(self.tr("With the annotation layer"))
        self.labels.setChecked(True)
        self.key_edit = QLineEdit(load_key(TIANDITU_KEY_SERVICE))
        self.key_edit.setEchoMode(QLineEdit.Password)
        self.key_edit.setPlaceholderText(self.tr("Your Tianditu key (kept in the system keyring)"))
        self.review_edit = QLineEdit()
        self.review_edit.setPlaceholderText(self.tr("GS(year)number号, as the foot of tianditu.gov.cn shows it"))
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://tiles.example.org/{z}/{x}/{y}{r}.png")
        self.wmts_layer = QLineEdit()
        self.wmts_matrix = QLineEdit("GoogleMapsCompatible")
        self.attribution_edit = QLineEdit()
        self.max_zoom = QSpinBox()
        self.max_zoom.setRange(0, 24)
        self.max_zoom.setValue(19)
        self.path_edit = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.problem = plain_label(parent=self)
        self.problem.setStyleSheet("color: #a00")
        self.problem.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Basemap:"), self.choice)
        self.rows: dict[str, list[QWidget]] = {}
        for name, label, widget in (
                ("labels", "", self.labels), ("key", self.tr("Tianditu key:"), self.key_edit),
                ("review", self.tr("Map review number (审图号):"), self.review_edit),
                ("url", self.tr("Tile URL:"), self.url_edit), ("wmts", self.tr("WMTS layer:"), self.wmts_layer),
                ("wmts_matrix", self.tr("Tile matrix set:"), self.wmts_matrix),
                ("attribution", self.tr("Attribution:"), self.attribution_edit),
                ("max_zoom", self.tr("Highest zoom:"), self.max_zoom)):
            form.addRow(label, widget)
            self.rows[name] = [widget, form.labelForField(widget)]
        path_box = QWidget()
        path_box.setLayout(path_row)
        form.addRow(self.tr("File:"), path_box)
        self.rows["path"] = [path_box, form.labelForField(path_box)]

        self.preview = MapCanvas(self)
        self.preview.setMinimumSize(360, 220)
        self.preview_project = Project(groups=[LayerGroup("basemaps", "底图", "Basemaps")])
        self.preview.set_project(self.preview_project)
        self.preview.viewport = viewport.resized(360, 220)
        self._preview_timer = QTimer(self, singleShot=True, interval=400)
        self._preview_timer.timeout.connect(self._update_preview)

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        for widget in (self.url_edit, self.wmts_layer, self.wmts_matrix, self.path_edit, self.key_edit,
                       self.review_edit):
            widget.textChanged.connect(self._changed)
        self.labels.toggled.connect(self._changed)
        self.choice.currentIndexChanged.connect(self._changed)
        self._changed()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open MBTiles"), str(Path.home()),
                                              self.tr("MBTiles (*.mbtiles);;All files (*)"))
        if path:
            self.path_edit.setText(path)

    def _changed(self) -> None:
        choice = self.choice.currentData()
        shown = {"osm": set(), "xyz": {"url", "attribution", "max_zoom"},
                 "wmts": {"url", "wmts", "wmts_matrix", "attribution", "max_zoom"}, "mbtiles": {"path"}}
        visible = shown.get(choice, {"labels", "key", "review"})
        for name, widgets in self.rows.items():
            for widget in widgets:
                if widget is not None:
                    widget.setVisible(name in visible)
        self._preview_timer.start()

    def layers(self) -> list[TileLayer]:
        """The tile layers chosen (top first); raises ValueError saying what is wrong."""
        choice = self.choice.currentData()
        if choice == "osm":
            return [self._layer("osm", preset("osm"))]
        if choice.startswith("tianditu-"):
            pairs = tianditu_pair(choice.removeprefix("tianditu-"), self.lang, self.review_edit.text())
            if not self.labels.isChecked():
                pairs = pairs[1:]
            return [self._layer(name, source) for name, source in pairs]
        if choice == "mbtiles":
            path = self.path_edit.text().strip()
            if not path:
                raise ValueError(self.tr("Choose an MBTiles file."))
            return [mbtiles_layer(path)]
        url = self.url_edit.text().strip()
        if choice == "wmts":
            if not self.wmts_layer.text().strip():
                raise ValueError(self.tr("Give the WMTS layer name."))
            url = wmts_template(url, self.wmts_layer.text().strip(), self.wmts_matrix.text().strip())
        source = TileSource("xyz", url=url, max_zoom=self.max_zoom.value(),
                            attribution=self.attribution_edit.text().strip())
        problem = refusal(source)
        if problem:
            raise ValueError(problem)
        title = self.attribution_edit.text().strip() or (url.split("/")[2] if "//" in url else url)
        return [TileLayer(id="basemap", title_zh=title, title_en=title, source=source)]

    def _layer(self, name: str, source: TileSource) -> TileLayer:
        title = PRESET_TITLES[name]
        return TileLayer(id=name.replace("-", "_"), title_zh=title.zh, title_en=title.en, source=source)

    def tianditu_key(self) -> str:
        return self.key_edit.text().strip()

    def _update_preview(self) -> None:
        for layer in list(self.preview_project.layers):
            self.preview_project.remove_layer(layer.id)
        try:
            layers = self.layers()
        except (ValueError, OSError) as exc:
            self.problem.setText(str(exc))
            self.ok_button.setEnabled(False)
            return
        except Exception as exc:  # a damaged MBTiles file: say it, keep the dialog
            self.problem.setText(str(exc))
            self.ok_button.setEnabled(False)
            return
        if self.choice.currentData().startswith("tianditu-") and self.tianditu_key():
            use_for_session(TIANDITU_KEY_SERVICE, self.tianditu_key())
        self.problem.setText("")
        self.ok_button.setEnabled(True)
        for layer in reversed(layers):
            layer.group = "basemaps"
            self.preview_project.add_layer(layer)
        self.preview.refresh()


def mbtiles_layer(path: str | Path) -> TileLayer:
    """A tile layer of an MBTiles file (GisIOError naming the file if it is not one)."""
    reader = MBTilesReader(path)
    info = reader.info
    source = TileSource("mbtiles", path=str(Path(path).resolve()), min_zoom=info.min_zoom,
                        max_zoom=info.max_zoom, attribution=info.attribution)
    return TileLayer(id=Path(path).stem or "mbtiles", title_zh=info.name, title_en=info.name, source=source)
