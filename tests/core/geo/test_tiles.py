"""Which tiles a view needs (tile maths by mercantile)."""

from gisapp.core.geo.tiles import (
    WORLD_HALF,
    Tile,
    parent,
    tile_bounds,
    tiles_for_extent,
    zoom_for_resolution,
)

NATIVE_Z0 = 2 * WORLD_HALF / 256


def test_the_zoom_is_the_nearest_native_level_within_the_source_range():
    assert [zoom_for_resolution(NATIVE_Z0 / 2 ** z) for z in (0, 5, 18)] == [0, 5, 18]
    assert zoom_for_resolution(NATIVE_Z0 / 2 ** 5 * 1.3) == 5  # a bit coarser: still 5
    assert zoom_for_resolution(NATIVE_Z0 / 2 ** 5 * 1.6) == 4
    assert zoom_for_resolution(NATIVE_Z0 / 2 ** 22, max_zoom=18) == 18  # over-zoomed: the source's last level
    assert zoom_for_resolution(float("nan"), min_zoom=1) == 1


def test_the_tiles_of_a_view_cover_it_and_nothing_beyond_the_world():
    size = 2 * WORLD_HALF / 8
    view = (0.5 * size, -0.5 * size, 1.5 * size, 0.5 * size)  # straddles 2 x 2 tiles of zoom 3
    tiles = list(tiles_for_extent(view, 3))
    assert sorted(tiles) == sorted([Tile(4, 3, 3), Tile(4, 4, 3), Tile(5, 3, 3), Tile(5, 4, 3)])
    left, bottom, right, top = tile_bounds(Tile(4, 3, 3))
    assert max(abs(left), abs(top - size), abs(right - size), abs(bottom)) < 1e-6
    assert list(tiles_for_extent((-3e7, -3e7, 3e7, 3e7), 1)) == [Tile(0, 0, 1), Tile(0, 1, 1), Tile(1, 0, 1), Tile(1, 1, 1)]
    assert list(tiles_for_extent((-2e7, -2e7, 2e7, 2e7), 20)) == []  # refused: far too many


def test_parents():
    assert parent(Tile(13, 6, 4)) == Tile(6, 3, 3)
    assert parent(Tile(13, 6, 4), 2) == Tile(3, 1, 2)
    assert parent(Tile(0, 0, 0)) is None
