"""MBTiles files: offline tile packages (SQLite, TMS rows, PNG/JPEG/WebP tiles), read and written.

A file is checked where it enters, like any file (``io/file_checks``), then opened read-only:
it must have a ``tiles`` table (or view) and says its format, zoom range and bounds in
``metadata`` (missing keys are taken from the tiles). Rows are TMS (row 0 at the south), so
``tile_row = 2**z - 1 - y``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gisapp.core.geo.tiles import Tile
from gisapp.io.errors import GisIOError
from gisapp.io.file_checks import ensure_regular_file

BASEMAP_SUFFIXES = (".mbtiles",)
FORMATS = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
_MAGIC = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpg", b"RIFF": "webp"}


@dataclass(frozen=True)
class MBTilesInfo:
    name: str
    image_format: str  # png, jpg or webp
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north (degrees)
    attribution: str


class MBTilesReader:
    """Reads tiles from one MBTiles file; safe to use from several threads (a connection each)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        ensure_regular_file(self.path)
        self._local = threading.local()
        self.info = self._read_info()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            try:
                connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                             check_same_thread=False)
            except sqlite3.Error as exc:
                raise GisIOError(self.path, f"not an MBTiles file ({exc})") from None
            self._local.connection = connection
        return connection

    def _read_info(self) -> MBTilesInfo:
        try:
            db = self._connection()
            names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
            if "tiles" not in names:
                raise GisIOError(self.path, "not an MBTiles file: it has no tiles table")
            meta = dict(db.execute("SELECT name, value FROM metadata").fetchall()) if "metadata" in names else {}
            zooms = db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
            first = db.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
        except sqlite3.DatabaseError as exc:
            raise GisIOError(self.path, f"not an MBTiles file ({exc})") from None
        if zooms is None or zooms[0] is None:
            raise GisIOError(self.path, "the MBTiles file holds no tiles")
        image_format = str(meta.get("format", "")).lower()
        if image_format == "pbf":
            raise GisIOError(self.path, "the MBTiles file holds vector tiles (pbf); gisapp draws PNG, JPEG or WebP tiles")
        if image_format not in FORMATS:
            image_format = _sniff(first[0] if first else b"") or "png"
        return MBTilesInfo(
            name=str(meta.get("name", self.path.stem)),
            image_format="jpg" if image_format == "jpeg" else image_format,
            min_zoom=_zoom(meta.get("minzoom"), int(zooms[0])),
            max_zoom=_zoom(meta.get("maxzoom"), int(zooms[1])),
            bounds=_bounds(meta.get("bounds")),
            attribution=str(meta.get("attribution", "")),
        )

    def read(self, tile: Tile) -> bytes | None:
        """The tile's image bytes, or None if the file has no such tile."""
        row = (2 ** tile.z) - 1 - tile.y
        try:
            found = self._connection().execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (tile.z, tile.x, row)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise GisIOError(self.path, f"damaged MBTiles file ({exc})") from None
        return bytes(found[0]) if found and found[0] is not None else None

    def tiles_in(self, tiles: Iterable[Tile]) -> dict[Tile, bytes]:
        """Those of ``tiles`` the file holds."""
        found = {}
        for tile in tiles:
            data = self.read(tile)
            if data is not None:
                found[tile] = data
        return found


def _sniff(data: bytes) -> str | None:
    for magic, name in _MAGIC.items():
        if data.startswith(magic):
            return name
    return None


def _zoom(value: object, fallback: int) -> int:
    try:
        zoom = int(str(value))
    except ValueError:
        return fallback
    return zoom if 0 <= zoom <= 24 else fallback


def _bounds(value: object) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in str(value).split(","))
    except ValueError:
        return (-180.0, -85.0511, 180.0, 85.0511)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return (-180.0, -85.0511, 180.0, 85.0511)
    return west, south, east, north


def write_mbtiles(path: str | Path, tiles: dict[Tile, bytes], name: str, image_format: str = "png",
                  attribution: str = "", bounds: tuple[float, float, float, float] | None = None) -> None:
    """Write ``tiles`` to a new MBTiles file (replacing ``path``)."""
    path = Path(path)
    path.unlink(missing_ok=True)
    zooms = [tile.z for tile in tiles] or [0]
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        db.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
        meta = {"name": name, "format": image_format, "type": "baselayer", "version": "1.0",
                "minzoom": str(min(zooms)), "maxzoom": str(max(zooms)), "attribution": attribution}
        if bounds is not None:
            meta["bounds"] = ",".join(f"{v:.6f}" for v in bounds)
        db.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
        db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                       [(t.z, t.x, (2 ** t.z) - 1 - t.y, data) for t, data in tiles.items()])
        db.commit()
    finally:
        db.close()
