"""Render the bundled base layers (land, coastline, districts) into an MBTiles file.

    .venv/bin/python scripts/make_offline_basemap.py OUT.mbtiles [MIN_ZOOM MAX_ZOOM]

An offline basemap of the Hi-tech Zone's extent to try MBTiles with (File > Open, or
``gisapp --basemap mbtiles:OUT.mbtiles``) and to embed in a web export. The tiles are drawn
by gisapp's own renderer, one 256-pixel PNG per tile, in EPSG:3857.
"""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(out: str, min_zoom: int = 9, max_zoom: int = 14) -> None:
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QFont, QPainter
    from PySide6.QtWidgets import QApplication

    from gisapp.core.geo.tiles import TILE_SIZE, lonlat_bounds_tiles, tile_bounds
    from gisapp.core.geo.viewport import Viewport
    from gisapp.io.catalogue import load_catalogue
    from gisapp.io.tiles.mbtiles import write_mbtiles
    from gisapp.ui.map.render import LayerSnapshot, render_image

    app = QApplication.instance() or QApplication([])  # noqa: F841 (kept alive)
    project = load_catalogue()
    base = [layer for layer in project.render_order() if layer.group == "base" and layer.geometry_family != "point"]
    for layer in base:
        layer.set_visible(True)
    west, south, east, north = (121.0, 38.65, 122.15, 39.25)
    snapshots = [LayerSnapshot(layer.id, layer.geometry_family, partial(layer.projected, "EPSG:3857"),
                               layer.symbol_index, layer.style.symbols(), 1.0, None) for layer in base]
    tiles = {}
    for tile in lonlat_bounds_tiles((west, south, east, north), range(min_zoom, max_zoom + 1)):
        xmin, ymin, xmax, ymax = tile_bounds(tile)
        viewport = Viewport((xmin + xmax) / 2, (ymin + ymax) / 2, (xmax - xmin) / TILE_SIZE, TILE_SIZE, TILE_SIZE)
        image = render_image(snapshots, viewport, QFont())
        sea = image.copy()
        sea.fill(QColor("#aad3df"))
        painter = QPainter(sea)
        painter.drawImage(0, 0, image)
        painter.end()
        buffer = QBuffer()
        buffer.open(QIODevice.WriteOnly)
        sea.save(buffer, "PNG")
        tiles[tile] = bytes(buffer.data())
    write_mbtiles(out, tiles, "Dalian Hi-tech Zone (bundled land)", bounds=(west, south, east, north),
                  attribution="Offline tiles drawn by gisapp from the bundled layers")
    print(f"{out}: {len(tiles)} tiles, zoom {min_zoom}-{max_zoom}")


if __name__ == "__main__":
    main(sys.argv[1], *(int(v) for v in sys.argv[2:4]))
