"""Layer > Export layer…: the current layer, as edited, to GeoJSON or a UTF-8 Shapefile."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from gisapp.io.atomic import DiskFullError, ReadOnlyError
from gisapp.io.errors import GisIOError
from gisapp.io.export_layer import export_layer


class LayerExport(QObject):
    """Asks for a file and exports the active layer of an editing controller to it."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window

    def export_layer_dialog(self) -> list[str] | None:
        layer = self.controller.active_layer()
        if layer is None:
            self.controller.status(self.tr("Choose a layer in the layer tree first."))
            return None
        path = self.window.get_save_path(
            self.tr("Export layer"), str(Path.home() / f"{layer.id}.geojson"),
            self.tr("GeoJSON (*.geojson);;Shapefile, UTF-8 (*.shp)"))
        if not path:
            return None
        if Path(path).suffix.lower() not in (".geojson", ".json", ".shp"):
            path += ".geojson"
        try:
            warnings = export_layer(layer, path, self.window.lang)
        except ReadOnlyError as exc:
            answer = self.window.ask(
                self.tr("The layer was not exported"),
                "\n".join((str(exc), self.tr("Export the layer under another name?"))),
                [("again", self.tr("Export as…")), ("cancel", self.tr("Cancel"))], "again")
            return self.export_layer_dialog() if answer == "again" else None
        except DiskFullError as exc:
            self.window.show_error(self.tr("The layer was not exported"), self.window.disk_full_text(exc))
            return None
        except GisIOError as exc:
            self.window.show_error(self.tr("The layer was not exported"), str(exc))
            return None
        self.controller.status(self.tr("Exported {layer} to {path}").format(layer=layer.title(self.window.lang),
                                                                            path=path))
        if warnings:
            self.window.show_error(self.tr("Exported with changes"), "\n".join(warnings))
        return warnings
