"""Raster files through gisapp.io.raster: placement, values, overviews, world files, broken files.

Real files written with rasterio (tests/raster_files.py); the reader opens them with GDAL.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from gisapp.core.geo.geodesy import transform_point
from gisapp.core.model.load_report import CRS_ASSUMED, CRS_DECLARED
from gisapp.core.model.raster_layer import RasterStyle
from gisapp.io.errors import GisIOError
from gisapp.io.raster import open_raster, overview_level_for, pixel_values, read_view
from tests.raster_files import QUADRANT_POINTS, quadrants, rgb_png


def test_a_geotiff_opens_with_its_placement_bands_and_default_stretch(tmp_path):
    layer = open_raster(quadrants(tmp_path / "q.tif"))
    info = layer.info
    assert (info.width, info.height, info.count, info.dtype) == (600, 400, 1, "float32")
    assert info.crs == "EPSG:4326" and layer.load_report.crs_how == CRS_DECLARED
    assert info.bounds == pytest.approx((121.4, 38.8, 121.7, 39.0))
    assert info.band_names == ("elevation",) and info.nodata == -9999.0
    # The 2-98 % stretch of the valid pixels (10, 20, 30 in equal parts), nodata left out.
    assert info.stretch == ((10.0, 30.0),)
    assert layer.style.mode == "ramp" and not layer.load_report.has_problems


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3857"])
def test_identify_returns_each_quadrant_value_and_says_nodata(tmp_path, crs):
    layer = open_raster(quadrants(tmp_path / "q.tif"))
    for (lon, lat), expected in QUADRANT_POINTS.items():
        x, y = transform_point(lon, lat, "EPSG:4326", crs)
        values = pixel_values(layer, x, y, crs)
        assert [(v.band, v.name) for v in values] == [(1, "elevation")]
        assert values[0].value == expected
    assert pixel_values(layer, *transform_point(122.5, 38.9, "EPSG:4326", crs), crs) is None  # off the raster


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3857"])
def test_a_view_puts_each_quadrant_where_it_belongs(tmp_path, crs):
    layer = open_raster(quadrants(tmp_path / "q.tif"))
    layer.style = RasterStyle(ramp="gray", vmin=10, vmax=30)  # 10 black, 20 grey, 30 white
    extent = layer.bounds_in(crs)
    view = read_view(layer.path, layer.info, layer.style, extent, crs, 300, 200)
    rgba = view.rgba
    height, width = rgba.shape[:2]

    def at(lon, lat):
        x, y = transform_point(lon, lat, "EPSG:4326", crs)
        col = int((x - extent[0]) / (extent[2] - extent[0]) * width)
        row = int((extent[3] - y) / (extent[3] - extent[1]) * height)
        return rgba[row, col].tolist()

    assert at(121.45, 38.97) == [0, 0, 0, 255]
    assert at(121.65, 38.97)[3] == 255 and 120 <= at(121.65, 38.97)[0] <= 135
    assert at(121.45, 38.83) == [255, 255, 255, 255]
    assert at(121.65, 38.83)[3] == 0  # nodata is transparent


def test_a_view_beside_the_raster_is_nothing(tmp_path):
    layer = open_raster(quadrants(tmp_path / "q.tif"))
    assert read_view(layer.path, layer.info, layer.style, (125.0, 30.0, 126.0, 31.0), "EPSG:4326", 50, 50) is None


def test_a_low_zoom_reads_an_overview_and_a_close_one_full_resolution(tmp_path):
    layer = open_raster(quadrants(tmp_path / "cog.tif", cog=True))
    assert layer.info.overviews, "the COG driver wrote overviews"
    extent = layer.bounds_in("EPSG:3857")
    whole = read_view(layer.path, layer.info, layer.style, extent, "EPSG:3857", 75, 50)
    assert whole.overview_level == len(layer.info.overviews) - 1 or whole.overview_level >= 1
    x, y = transform_point(121.45, 38.97, "EPSG:4326", "EPSG:3857")
    close = read_view(layer.path, layer.info, layer.style, (x - 200, y - 200, x + 200, y + 200), "EPSG:3857", 400, 400)
    assert close.overview_level == -1
    # The overview's pixels carry the same values (nearest resampling): the north-west quadrant.
    low = read_view(layer.path, layer.info, RasterStyle(ramp="gray", vmin=10, vmax=30), extent, "EPSG:3857", 75, 50)
    assert low.rgba[5, 5].tolist() == [0, 0, 0, 255]


def test_the_overview_level_follows_the_view_resolution(tmp_path):
    layer = open_raster(quadrants(tmp_path / "ov.tif", overviews=True))
    assert layer.info.overviews == (2, 4, 8)
    bounds = layer.info.bounds
    levels = [overview_level_for(layer.info, bounds, "EPSG:4326", w, round(w * 2 / 3)) for w in (600, 300, 150, 75, 30)]
    assert levels == [-1, 0, 1, 2, 2]


def test_a_png_with_a_world_file_and_no_crs_is_assumed_lonlat_and_says_so(tmp_path):
    layer = open_raster(rgb_png(tmp_path / "scan.png"))
    assert layer.info.crs == "EPSG:4326" and layer.load_report.crs_how == CRS_ASSUMED
    assert "assumed WGS 84" in layer.load_report.summary()
    assert layer.info.bounds == pytest.approx((121.5, 38.82, 121.6, 38.9))
    assert layer.style.mode == "rgb"
    assert [v.value for v in pixel_values(layer, 121.52, 38.85, "EPSG:4326")] == [255, 0, 0]
    assert [v.value for v in pixel_values(layer, 121.58, 38.85, "EPSG:4326")] == [0, 0, 255]
    view = read_view(layer.path, layer.info, layer.style, layer.info.bounds, "EPSG:4326", 100, 80)
    assert view.rgba[40, 10].tolist() == [255, 0, 0, 255] and view.rgba[40, 90].tolist() == [0, 0, 255, 255]


def test_a_world_file_in_web_mercator_metres_is_guessed_and_said(tmp_path):
    x, y = transform_point(121.55, 38.88, "EPSG:4326", "EPSG:3857")
    layer = open_raster(rgb_png(tmp_path / "merc.png", west=x, north=y, pixel=10.0))
    assert layer.load_report.crs_how == "guessed" and layer.info.crs == "EPSG:3857"
    assert "EPSG:3857" in layer.load_report.summary()


def test_an_aux_xml_beside_the_png_gives_the_crs(tmp_path):
    path = rgb_png(tmp_path / "cgcs.png")
    (tmp_path / "cgcs.png.aux.xml").write_text(
        "<PAMDataset><SRS>EPSG:4490</SRS></PAMDataset>")
    layer = open_raster(path)
    assert layer.info.crs == "EPSG:4490" and layer.load_report.crs_how == CRS_DECLARED


def _refusal(path) -> str:
    with pytest.raises(GisIOError) as caught:
        open_raster(path)
    assert str(caught.value).startswith(path.name + ":")  # the message names the file
    return str(caught.value)


def test_a_png_without_world_file_has_no_georeference(tmp_path):
    assert "no georeference" in _refusal(rgb_png(tmp_path / "plain.png", world_file=False))


def test_text_named_tif_is_not_a_raster(tmp_path):
    path = tmp_path / "notes.tif"
    path.write_text("minutes of the planning meeting\n")
    assert "not a raster" in _refusal(path)


def test_a_truncated_geotiff_is_refused_as_damaged(tmp_path):
    path = quadrants(tmp_path / "whole.tif")
    data = path.read_bytes()
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[: len(data) // 3])
    message = _refusal(cut)
    assert "damaged or truncated" in message or "not a raster" in message


def test_a_header_claiming_huge_dimensions_without_overviews_is_refused(tmp_path):
    path = tmp_path / "huge.tif"
    # A sparse tiled GeoTIFF: 100k x 100k pixels declared, almost no bytes on disk.
    with rasterio.open(path, "w", driver="GTiff", width=100_000, height=100_000, count=1, dtype="uint8",
                       crs="EPSG:4326", transform=from_origin(121.0, 39.0, 1e-6, 1e-6), tiled=True,
                       SPARSE_OK=True) as dst:
        dst.write(np.ones((1, 16, 16), dtype=np.uint8), window=((0, 16), (0, 16)))
    assert os.path.getsize(path) < 5_000_000  # only the tile index
    assert "without overviews" in _refusal(path)


def test_a_folder_and_a_missing_file_are_refused_before_gdal(tmp_path):
    folder = tmp_path / "dir.tif"
    folder.mkdir()
    assert "folder" in _refusal(folder)
    assert "does not exist" in _refusal(tmp_path / "gone.tif")


def test_a_named_pipe_world_file_does_not_hang(tmp_path):
    path = rgb_png(tmp_path / "piped.png", world_file=False)
    os.mkfifo(tmp_path / "piped.pgw")
    message = _refusal(path)  # names the image, then its world file
    assert "piped.pgw" in message and "named pipe" in message


def test_a_rotated_raster_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "rotated.tif"
    from affine import Affine

    with rasterio.open(path, "w", driver="GTiff", width=10, height=10, count=1, dtype="uint8", crs="EPSG:4326",
                       transform=Affine(0.001, 0.0002, 121.5, 0.0002, -0.001, 38.9)) as dst:
        dst.write(np.ones((1, 10, 10), dtype=np.uint8))
    assert "rotated" in _refusal(path)
