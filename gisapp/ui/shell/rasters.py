"""Raster layers in the window: files opened like any file, Layer > Raster style, identify."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from gisapp.core.model.project import LayerGroup
from gisapp.core.model.raster_layer import RasterLayer
from gisapp.io.errors import GisIOError
from gisapp.io.raster import open_raster, pixel_values
from gisapp.ui.panels.raster_style_dialog import RasterStyleDialog

RASTER_GROUP = LayerGroup("rasters", "影像与栅格", "Imagery and rasters")
# Rasters go under the plan's layers and above the bundled land polygon and basemaps.
BELOW_RASTERS = ("base", "basemaps")


class RasterController(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.act_style = QAction(window)
        self.act_style.triggered.connect(lambda: self.style_dialog())
        window.menu_layer.addAction(self.act_style)
        window.canvas.rasterClicked.connect(self.identify)
        window.languageChanged.connect(lambda _lang: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        self.act_style.setText(self.tr("Raster style…"))

    def add(self, layer: RasterLayer) -> None:
        """Put a raster at the top of the raster group, which sits under the plan's layers."""
        project = self.window.project
        if project.group(RASTER_GROUP.id) is None:
            below = [i for i, group in enumerate(project.groups) if group.id in BELOW_RASTERS]
            project.groups.insert(below[0] if below else len(project.groups),
                                  LayerGroup(RASTER_GROUP.id, RASTER_GROUP.title_zh, RASTER_GROUP.title_en))
        layer.group = RASTER_GROUP.id
        first = next((i for i, each in enumerate(project.layers) if each.group == RASTER_GROUP.id), None)
        if first is None:
            after = [i for i, each in enumerate(project.layers) if each.group in BELOW_RASTERS]
            first = after[0] if after else len(project.layers)
        project.add_layer(layer, index=first)

    def identify(self, layer_id: str, x: float, y: float) -> None:
        """Show the raster's band values at the click in the feature panel."""
        try:
            layer = self.window.project.map_layer(layer_id)
        except KeyError:
            return
        if not isinstance(layer, RasterLayer):
            return
        try:
            values = pixel_values(layer, x, y, self.window.canvas.viewport.crs)
        except GisIOError as exc:
            self.window.statusBar().showMessage(str(exc), 10000)
            return
        self.window.clear_selection()
        self.window.panel.show_pixels(layer, values)
        self.window.panel_dock.show()

    def set_crs_dialog(self, layer: RasterLayer) -> None:
        crs = self.window.ask_crs(layer.title(self.window.lang), layer.info.crs)
        if crs:
            self.set_crs(layer, crs)

    def set_crs(self, layer: RasterLayer, crs: str) -> bool:
        """Place the raster's pixels in ``crs`` (a world file names none, or named the wrong one)."""
        try:
            fresh = open_raster(layer.path, crs=crs, layer_id=layer.id)
        except GisIOError as exc:
            self.window.show_error(self.tr("The layer CRS was not changed"), str(exc))
            return False
        layer.set_source(fresh.info, fresh.load_report)
        self.window.statusBar().showMessage(self.tr("{layer} is now read in {crs}").format(
            layer=layer.title(self.window.lang), crs=crs), 8000)
        return True

    def style_dialog(self, layer: RasterLayer | None = None, run: bool = True) -> RasterStyleDialog | None:
        layer = layer or self.window.current_map_layer()
        if not isinstance(layer, RasterLayer):
            self.window.statusBar().showMessage(self.tr("Choose a raster layer in the layer tree first."), 5000)
            return None
        dialog = RasterStyleDialog(layer, self.window.lang, self.window)
        self.window.raster_style_dialog = dialog  # for tests and screenshots
        if run and dialog.exec() == QDialog.Accepted:
            layer.set_style(dialog.style())
        return dialog
