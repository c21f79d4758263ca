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
from gisapp.io.tiles.wmts import WmtsCapabilities, fetch_capabilities
from gisapp.ui.map.canvas import MapCanvas
from gisapp.ui.plain import plain_label
from gisapp.ui.workers import Job, JobRunner, WorkerThread

# GetCapabilities is asked on a thread of its own: a slow server never holds the dialog.
CAPABILITIES_THREAD = WorkerThread("gisapp-wmts")

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
        # WMTS: Read layers asks the URL's GetCapabilities; its layers and usable matrix sets fill these.
        self.read_button = QPushButton(self.tr("Read layers"))
        self.read_button.clicked.connect(self.read_capabilities)
        self.wmts_layers = QComboBox()
        self.wmts_sets = QComboBox()
        self.wmts_note = plain_label(parent=self)  # matrix sets that cannot be drawn, and why
        self.wmts_note.setWordWrap(True)
        self.capabilities: WmtsCapabilities | None = None
        self._capabilities_runner = JobRunner(CAPABILITIES_THREAD, self)
        self._capabilities_runner.finished.connect(self._capabilities_read)
        self._capabilities_job: Job | None = None
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
                ("url", self.tr("Tile URL:"), self.url_edit), ("wmts_read", "", self.read_button),
                ("wmts_layers", self.tr("Layer of the service:"), self.wmts_layers),
                ("wmts_sets", self.tr("Tile matrix set:"), self.wmts_sets), ("wmts_note", "", self.wmts_note),
                ("wmts", self.tr("WMTS layer:"), self.wmts_layer),
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
        self.url_edit.textChanged.connect(self._forget_capabilities)
        self.wmts_layers.currentIndexChanged.connect(lambda _i: self.capabilities and self._wmts_layer_chosen())
        self.wmts_sets.currentIndexChanged.connect(self._changed)
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
                 "wmts": {"url", "wmts_read", "attribution", "max_zoom"}
                 | ({"wmts_layers", "wmts_sets", "wmts_note"} if self.capabilities else {"wmts", "wmts_matrix"}),
                 "mbtiles": {"path"}}
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
        if choice == "wmts" and self.capabilities is not None:
            return [self._wmts_layer()]
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

    # --- WMTS capabilities ------------------------------------------------------------------
    def read_capabilities(self) -> Job:
        """Ask the URL's GetCapabilities off the UI thread; the layers fill in when it answers."""
        if self._capabilities_job is not None:
            self._capabilities_job.cancel()
        self.problem.setText(self.tr("Reading the service's layers…"))
        self.read_button.setEnabled(False)
        self._capabilities_job = self._capabilities_runner.submit(Job(fetch_capabilities, self.url_edit.text().strip()))
        return self._capabilities_job

    def _capabilities_read(self, job_id: int) -> None:
        job = self._capabilities_runner.take(job_id)
        if job is None or job is not self._capabilities_job:
            return
        self._capabilities_job = None
        self.read_button.setEnabled(True)
        if job.error or not isinstance(job.result, WmtsCapabilities):
            self.capabilities = None
            self.problem.setText(job.error if isinstance(job.error, str) and job.error else str(job.result))
            self._changed()
            return
        self.capabilities = job.result
        self.wmts_layers.blockSignals(True)
        self.wmts_layers.clear()
        for layer in self.capabilities.layers:
            self.wmts_layers.addItem(f"{layer.title} ({layer.identifier})", layer.identifier)  # plain item text
        self.wmts_layers.blockSignals(False)
        self._wmts_layer_chosen()

    def _forget_capabilities(self) -> None:
        """Another URL: the layers read belong to the last one."""
        if self.capabilities is not None:
            self.capabilities = None
            self.wmts_layers.clear()
            self.wmts_sets.clear()
            self.wmts_note.setText("")
            self._changed()

    def _chosen_wmts(self):
        assert self.capabilities is not None
        return self.capabilities.layers[max(0, self.wmts_layers.currentIndex())]

    def _wmts_layer_chosen(self) -> None:
        layer = self._chosen_wmts()
        self.wmts_sets.blockSignals(True)
        self.wmts_sets.clear()
        for matrix in layer.usable:
            low, high = layer.zoom_range(matrix)
            self.wmts_sets.addItem(self.tr("{name} (Web Mercator, zoom {low}-{high})").format(
                name=matrix.identifier, low=low, high=high), matrix.identifier)
        self.wmts_sets.blockSignals(False)
        notes = [self.tr("{name} cannot be drawn: {reason}").format(name=name, reason=reason)
                 for name, reason in layer.refused]
        self.wmts_note.setText("\n".join(notes))
        if layer.usable:
            self.max_zoom.setValue(layer.zoom_range(layer.usable[0])[1])
        self._changed()

    def _wmts_layer(self) -> TileLayer:
        layer = self._chosen_wmts()
        if not layer.usable:
            raise ValueError(self.tr("The layer {layer} has no Web Mercator (EPSG:3857) tile matrix set, which "
                                     "gisapp needs to draw it.").format(layer=layer.identifier))
        matrix = layer.usable[max(0, self.wmts_sets.currentIndex())]
        low, high = layer.zoom_range(matrix)
        source = TileSource("xyz", url=layer.template(matrix), min_zoom=low, max_zoom=min(high, self.max_zoom.value()),
                            attribution=self.attribution_edit.text().strip())
        problem = refusal(source)
        if problem:
            raise ValueError(problem)
        return TileLayer(id="wmts_" + "".join(ch if ch.isalnum() else "_" for ch in layer.identifier),
                         title_zh=layer.title, title_en=layer.title, source=source)

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
