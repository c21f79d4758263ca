"""File > Export web map offers the map's own basemaps, and says what an MBTiles basemap adds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from gisapp.core.geo.tiles import lonlat_bounds_tiles
from gisapp.core.model.project import LayerGroup
from gisapp.core.model.tile_layer import TileLayer, TileSource
from gisapp.io.tiles.mbtiles import write_mbtiles
from gisapp.io.tiles.sources import tianditu_pair
from gisapp.ui.panels.export_dialog import ExportWebMapDialog
from tests.export.conftest import make_small_project
from tests.tile_server import tile_png


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.NativeFormat, QSettings.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))


def test_the_maps_basemaps_are_offered_and_an_mbtiles_embed_is_counted(qtbot, tmp_path):
    project = make_small_project()
    path = tmp_path / "area.mbtiles"
    write_mbtiles(path, {t: tile_png(t.z, t.x, t.y) for t in lonlat_bounds_tiles((121.4, 38.75, 121.75, 39.0),
                                                                                     range(10, 13))}, "Area")
    project.groups.append(LayerGroup("basemaps", "底图服务", "Basemaps"))
    project.add_layer(TileLayer("own", "自有", "Own tiles", TileSource("xyz", url="https://tiles.example.org/{z}/{x}/{y}.png"),
                                group="basemaps", visible=False), index=len(project.layers))
    (_, labels), _ = tianditu_pair("vec", "en")
    project.add_layer(TileLayer("tdt", "天地图注记", "Tianditu labels", labels, group="basemaps"), index=len(project.layers))
    project.add_layer(TileLayer("area", "离线", "Offline", TileSource("mbtiles", path=str(path))),
                      index=len(project.layers))
    project.layer("hidden").group = "base"
    dialog = ExportWebMapDialog(project, "en")
    qtbot.addWidget(dialog)
    offered = [dialog.basemap_combo.itemData(i) for i in range(dialog.basemap_combo.count())]
    assert "layer:own" in offered and "layer:area" in offered
    assert "layer:tdt" not in offered  # its key would be written into the page
    assert dialog.basemap_combo.currentData() == "layer:area"  # the visible basemap of the map
    dialog.zoom_min.setValue(10)
    dialog.zoom_max.setValue(12)
    dialog.update_estimate()
    options = dialog.options()
    assert options.basemap == "mbtiles" and options.mbtiles_zooms == (10, 12)
    assert dialog.zoom_min.isEnabled() and "basemap tiles embedded" in dialog.size_label.text()
    assert dialog.export_button.isEnabled()
    dialog.basemap_combo.setCurrentIndex(dialog.basemap_combo.findData("layer:own"))
    assert dialog.options().basemap == "xyz" and dialog.options().basemap_source.url.startswith("https://tiles.example")
    assert not dialog.zoom_min.isEnabled()
