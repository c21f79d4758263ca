"""Layer > Georeference image: the georeferencer dialog, and its GeoTIFF opened as a layer."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from gisapp.ui.panels.georef_dialog import GeorefDialog


class GeorefController(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: GeorefDialog | None = None
        self.last_open = None  # the OpenBatch of the last GeoTIFF added (tests wait on it)
        self.act_georef = QAction(window)
        self.act_georef.triggered.connect(self.show_dialog)
        window.menu_layer.addSeparator()
        window.menu_layer.addAction(self.act_georef)
        window.languageChanged.connect(self._language_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.act_georef.setText(self.tr("&Georeference image…"))

    def _language_changed(self, lang: str) -> None:
        self.retranslate()
        if self.dialog is not None:
            self.dialog.lang = lang
            self.dialog.retranslate()

    def show_dialog(self) -> GeorefDialog:
        """Non-modal, so the map stays usable for picking the points' places."""
        if self.dialog is None:
            self.dialog = GeorefDialog(self.window, self.window.lang, self.window)
            self.dialog.layerWritten.connect(self.add_layer)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def add_layer(self, path: str) -> None:
        """The GeoTIFF goes through the window's ordinary open path, as if opened with File > Open.
        Its image is the figure that Edit > Mark as traced offers next."""
        if self.dialog is not None and self.dialog.image is not None:
            self.window.last_georeferenced_figure = self.dialog.image.name
        self.last_open = self.window.open_paths([path])

    def shutdown(self) -> None:
        if self.dialog is not None:
            self.dialog.shutdown()
