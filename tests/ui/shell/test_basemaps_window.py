"""Basemaps in the window: the layer tree, Add basemap, MBTiles files, and what ignores them."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from gisapp.core.geo.tiles import Tile, tiles_for_extent
from gisapp.core.model.tile_layer import TileLayer
from gisapp.io.project_gpkg import load_project, save_project
from gisapp.io.tiles.keys import KEYRING_SERVICE
from gisapp.io.tiles.mbtiles import write_mbtiles
from gisapp.ui.shell.basemaps import layers_for_option
from tests.tile_server import tile_colour, tile_png


def mbtiles_of_view(path, canvas):
    """An MBTiles file with the tiles the canvas shows now (colours by z/x/y)."""
    zoom = 12
    tiles = {tile: tile_png(tile.z, tile.x, tile.y) for tile in tiles_for_extent(canvas.viewport.extent, zoom)}
    write_mbtiles(path, tiles, "Dalian offline")
    return zoom


def test_a_basemap_is_a_layer_like_any_other_and_features_ignore_it(make_window, tile_server, tmp_path):
    server = tile_server()
    window = make_window("en")
    canvas = window.canvas
    added = window.basemaps.add(layers_for_option("xyz:" + server.url, "en"))
    assert window.project.layers[-1].id == added[0]  # at the bottom of the tree
    assert not window.project.layer("base_land").visible  # it would cover the basemap
    assert canvas.wait_for_tiles() and canvas.tiles_missing() == 0 and server.count() > 0
    # The tree shows it with a check box; choosing it drives the opacity slider.
    index = window.tree_model.index_for_layer(added[0])
    assert index.data(Qt.DisplayRole) == "127.0.0.1:" + str(server.server_address[1])
    window.tree.setCurrentIndex(index)
    assert window.current_layer() is None and window.current_map_layer().id == added[0]
    window.opacity_slider.setValue(40)
    assert window.project.map_layer(added[0]).opacity == 0.4
    # Feature tools pass it by: the attribute table asks for a vector layer, identify finds zones only.
    offered = []
    window.choose = lambda title, text, options: offered.append(options) or None
    assert window.open_attribute_table() is None
    assert offered and all(not title.startswith("127.0.0.1") for title in offered[0])  # vector layers only
    x, y = canvas.viewport.map_to_pixel(*canvas.viewport.extent[:2])
    assert canvas.identify_at(x + 2, y - 2) is None or canvas.identify_at(x + 2, y - 2)[0] != added[0]
    # Unticking hides it.
    window.tree_model.setData(index, Qt.Unchecked, Qt.CheckStateRole)
    assert not window.project.map_layer(added[0]).visible
    window.tree_model.setData(index, Qt.Checked, Qt.CheckStateRole)
    # Saved with the project, and back after opening it.
    path = tmp_path / "plan.gpkg"
    save_project(window.project, path)
    again = load_project(path)
    assert isinstance(again.map_layer(added[0]), TileLayer) and again.map_layer(added[0]).opacity == 0.4


def test_an_mbtiles_file_opens_like_any_file_and_a_broken_one_is_named(make_window, tmp_path):
    window = make_window("zh")
    canvas = window.canvas
    path = tmp_path / "dalian.mbtiles"
    mbtiles_of_view(path, canvas)
    assert window.open_paths([str(path)]).wait() == [str(path)]
    layer = window.project.layers[-1]
    assert isinstance(layer, TileLayer) and layer.source.kind == "mbtiles"
    assert canvas.wait_for_tiles()
    image = canvas.grab().toImage()
    center = canvas.viewport.map_to_pixel(*canvas.viewport.pixel_to_map(5, 5))
    tile = next(t for t in tiles_for_extent(canvas.viewport.extent, 12)
                if _contains(t, canvas.viewport.pixel_to_map(5, 5)))
    colour = QColor(image.pixel(int(center[0]), int(center[1])))
    assert (colour.red(), colour.green(), colour.blue()) == tile_colour(tile.z, tile.x, tile.y)
    broken = tmp_path / "broken.mbtiles"
    broken.write_bytes(b"SQLite format 3\x00" + bytes(200))
    errors = []
    window.show_error = lambda title, text: errors.append(text)
    assert window.open_paths([str(broken)]).wait() == []
    assert errors and "broken.mbtiles" in errors[0]


def _contains(tile: Tile, point) -> bool:
    from gisapp.core.geo.tiles import tile_bounds

    left, bottom, right, top = tile_bounds(tile)
    return left <= point[0] < right and bottom < point[1] <= top


def test_the_add_basemap_dialog_previews_and_keeps_the_key_in_the_keyring(make_window, tile_server, memory_keyring,
                                                                        monkeypatch):
    from PySide6.QtWidgets import QDialog

    from gisapp.ui.panels.basemap_dialog import BasemapDialog

    server = tile_server()
    window = make_window("en")
    dialog = BasemapDialog("en", window.canvas.viewport, window)
    dialog.choice.setCurrentIndex(dialog.choice.findData("xyz"))
    dialog.url_edit.setText("https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}")
    dialog._update_preview()
    assert "GCJ-02" in dialog.problem.text() and not dialog.ok_button.isEnabled()
    dialog.url_edit.setText(server.url)
    dialog._update_preview()
    assert dialog.ok_button.isEnabled() and dialog.problem.text() == ""
    assert dialog.preview.wait_for_tiles() and dialog.preview.tiles_missing() == 0 and server.count() > 0
    dialog.deleteLater()
    # Tianditu: the key goes to the keyring, never into the project or the settings.
    def accept(self):
        self.choice.setCurrentIndex(self.choice.findData("tianditu-img"))
        self.key_edit.setText("abcdef0123456789")
        self.review_edit.setText("GS(2024)0650号")
        return QDialog.Accepted

    monkeypatch.setattr(BasemapDialog, "exec", accept)
    added = window.basemaps.add_dialog()
    assert added == ["tianditu_eia", "tianditu_img"]
    assert memory_keyring.secrets[(KEYRING_SERVICE, "tianditu")] == "abcdef0123456789"
    assert "abcdef0123456789" not in str([layer.source.to_dict() for layer in window.project.layers
                                          if isinstance(layer, TileLayer)])
    assert "审图号 GS(2024)0650号" in window.canvas.attribution_text()


def test_gisapp_file_mbtiles_opens_it_beside_the_project(make_window, tmp_path):
    from gisapp.ui.shell.app import _open_files_and_zoom

    window = make_window("en")
    path = tmp_path / "area.mbtiles"
    mbtiles_of_view(path, window.canvas)
    before = window.canvas.viewport
    _open_files_and_zoom(window, [str(path)])  # what `gisapp area.mbtiles` does once the window is up
    assert isinstance(window.project.layers[-1], TileLayer)
    assert window.canvas.viewport.resolution > 0 and before.crs == window.canvas.viewport.crs
