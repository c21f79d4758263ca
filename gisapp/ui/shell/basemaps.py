"""Basemaps in the window: Layer > Add basemap, MBTiles files opened like any file, ``--basemap``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup
from gisapp.core.model.tile_layer import TileLayer, TileSource
from gisapp.io.errors import GisIOError
from gisapp.io.tiles.keys import store_key
from gisapp.io.tiles.sources import (
    PRESET_TITLES,
    TIANDITU_KEY_SERVICE,
    preset,
    refusal,
    tianditu_pair,
)
from gisapp.ui.panels.basemap_dialog import BasemapDialog, mbtiles_layer

BASEMAP_GROUP = LayerGroup("basemaps", "底图服务", "Basemaps")
OFFLINE_BASE_GROUP = "base"  # the bundled land polygon would cover a basemap


def layers_for_option(option: str, lang: str) -> list[TileLayer]:
    """Tile layers (top first) for ``--basemap osm|tianditu-vec|tianditu-img|tianditu-ter|xyz:URL|mbtiles:FILE``;
    ValueError or GisIOError saying what is wrong."""
    if option == "osm":
        title = PRESET_TITLES["osm"]
        return [TileLayer("osm", title.zh, title.en, preset("osm"))]
    if option in ("tianditu-vec", "tianditu-img", "tianditu-ter"):
        return [TileLayer(name.replace("-", "_"), PRESET_TITLES[name].zh, PRESET_TITLES[name].en, source)
                for name, source in tianditu_pair(option.removeprefix("tianditu-"), lang)]
    if option.startswith("xyz:"):
        source = TileSource("xyz", url=option[4:])
        problem = refusal(source)
        if problem:
            raise ValueError(f"--basemap {option}: {problem}")
        host = option[4:].split("/")[2] if "//" in option else option[4:]
        return [TileLayer("basemap", host, host, source)]
    if option.startswith("mbtiles:"):
        return [mbtiles_layer(option[8:])]
    raise ValueError(f"--basemap {option!r}: expected osm, tianditu-vec, tianditu-img, tianditu-ter, "
                     "xyz:URL or mbtiles:FILE")


class BasemapController(QObject):
    """Adds basemaps to the window's project, below every other layer."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.act_add = QAction(window)
        self.act_add.triggered.connect(self.add_dialog)
        first = window.menu_layer.actions()[0] if window.menu_layer.actions() else None
        window.menu_layer.insertAction(first, self.act_add)
        if first is not None:
            window.menu_layer.insertSeparator(first)
        window.languageChanged.connect(lambda _lang: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        self.act_add.setText(self.tr("Add &basemap…"))

    def add_dialog(self) -> list[str]:
        dialog = BasemapDialog(self.window.lang, self.window.canvas.viewport, self.window)
        self.window.basemap_dialog = dialog  # for tests and screenshots
        if dialog.exec() != QDialog.Accepted:
            return []
        try:
            layers = dialog.layers()
        except (ValueError, GisIOError) as exc:
            self.window.show_error(self.tr("The basemap was not added"), str(exc))
            return []
        if dialog.tianditu_key() and any(layer.source.key_service for layer in layers):
            problem = store_key(TIANDITU_KEY_SERVICE, dialog.tianditu_key())
            if problem:
                self.window.statusBar().showMessage(problem, 10000)
        return self.add(layers)

    def add(self, layers: list[TileLayer]) -> list[str]:
        """Put ``layers`` (top first) at the bottom of the tree; hide the bundled land polygon."""
        project = self.window.project
        if project.group(BASEMAP_GROUP.id) is None:
            project.groups.append(LayerGroup(BASEMAP_GROUP.id, BASEMAP_GROUP.title_zh, BASEMAP_GROUP.title_en))
        hidden = []
        for layer in project.layers_in_group(OFFLINE_BASE_GROUP):
            if (isinstance(layer, VectorLayer) and layer.visible and layer.geometry_family == "polygon"
                    and min((s.fill_opacity for s in layer.style.symbols()), default=0) >= 0.9):
                layer.set_visible(False)
                hidden.append(layer.title(self.window.lang))
        added = []
        for layer in layers:
            layer.group = BASEMAP_GROUP.id
            project.add_layer(layer, index=len(project.layers))
            added.append(layer.id)
        if hidden:
            self.window.statusBar().showMessage(
                self.tr("Hidden so the basemap shows: {layers}").format(layers=", ".join(hidden)), 10000)
        return added

    def open_file(self, path: str | Path) -> list[str]:
        """Open an MBTiles file as a basemap (GisIOError naming the file and the problem)."""
        return self.add([mbtiles_layer(path)])
