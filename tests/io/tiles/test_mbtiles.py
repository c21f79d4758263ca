"""MBTiles files: TMS rows, metadata, and files that are not MBTiles."""

import sqlite3

import pytest

from gisapp.core.geo.tiles import Tile
from gisapp.io.errors import GisIOError
from gisapp.io.tiles.mbtiles import MBTilesReader, write_mbtiles
from tests.tile_server import tile_png


def test_tiles_are_read_by_xyz_with_the_tms_row_flipped(tmp_path):
    path = tmp_path / "offline.mbtiles"
    tiles = {Tile(6, 2, 3): tile_png(3, 6, 2), Tile(6, 3, 3): tile_png(3, 6, 3)}
    write_mbtiles(path, tiles, "Offline", bounds=(120.0, 38.0, 123.0, 40.0), attribution="© test")
    with sqlite3.connect(path) as db:  # stored as TMS: row 0 is the south
        assert db.execute("SELECT tile_row FROM tiles WHERE tile_column=6 ORDER BY tile_row").fetchall() == [(4,), (5,)]
    reader = MBTilesReader(path)
    assert reader.read(Tile(6, 2, 3)) == tiles[Tile(6, 2, 3)]
    assert reader.read(Tile(6, 4, 3)) is None
    info = reader.info
    assert (info.name, info.image_format, info.min_zoom, info.max_zoom) == ("Offline", "png", 3, 3)
    assert info.bounds == (120.0, 38.0, 123.0, 40.0) and info.attribution == "© test"


def test_missing_metadata_is_taken_from_the_tiles(tmp_path):
    path = tmp_path / "bare.mbtiles"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        db.execute("INSERT INTO tiles VALUES (5, 1, 1, ?)", (b"\xff\xd8\xff\xe0 jpeg",))
    info = MBTilesReader(path).info
    assert (info.image_format, info.min_zoom, info.max_zoom) == ("jpg", 5, 5)


@pytest.mark.parametrize(("content", "problem"), [
    (b"not a database at all" * 10, "not an MBTiles file"),
    ("no tiles table", "no tiles table"),
    ("empty", "holds no tiles"),
    ("pbf", "vector tiles"),
])
def test_files_that_are_no_raster_mbtiles_are_refused_by_name(tmp_path, content, problem):
    path = tmp_path / "broken.mbtiles"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
            if content != "no tiles table":
                db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
            if content == "pbf":
                db.execute("INSERT INTO metadata VALUES ('format', 'pbf')")
                db.execute("INSERT INTO tiles VALUES (1, 0, 0, x'00')")
    with pytest.raises(GisIOError) as caught:
        MBTilesReader(path)
    assert str(caught.value).startswith("broken.mbtiles: ") and problem in str(caught.value)
