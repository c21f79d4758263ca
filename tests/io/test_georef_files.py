"""Georeferenced GeoTIFFs written by GDAL, world files and QGIS .points files, on real files.

The synthetic scan stores in each pixel its own image position (band 1 the column of its
centre, band 2 the row), so a warped output says at every output pixel which image position
GDAL sampled there. The scan was made from the map by a known map -> image function, so the
right answer at any map position is known.
"""

import math

import numpy as np
import pytest
import rasterio
from pyproj import CRS

from gisapp.core.geo.georef import ControlPoint, GeorefError
from gisapp.io.errors import GisIOError
from gisapp.io.georef import (
    POINTS_HEADER,
    georeference,
    image_info,
    points_path,
    read_points,
    read_preview,
    world_file_path,
    write_points,
    write_world_file,
)

WIDTH, HEIGHT = 400, 300
X0, Y0 = 530_000.0, 4_310_000.0  # EPSG:4549, 10 m a pixel


def affine_scan(x, y):
    u, v = (x - X0) / 10, (Y0 - y) / 10
    return u + 0.05 * v + 3, v - 0.04 * u + 5  # rotated and sheared a little


def north_up_scan(x, y):
    u, v = (x - X0) / 10, (Y0 - y) / 10
    return u + 3, v + 5


def quadratic_scan(x, y):
    u, v = (x - X0) / 10, (Y0 - y) / 10
    return u + 5e-5 * u * u + 1e-4 * u * v, v + 8e-5 * v * v


def wavy_scan(x, y):
    u, v = (x - X0) / 10, (Y0 - y) / 10
    return u + 3 * math.sin(v / 60), v + 2 * math.sin(u / 80)


def write_scan(path):
    cols, rows = np.meshgrid(np.arange(WIDTH) + 0.5, np.arange(HEIGHT) + 0.5)
    with rasterio.open(path, "w", driver="GTiff", width=WIDTH, height=HEIGHT, count=2,
                       dtype="float32") as dst:
        dst.write(np.stack([cols, rows]).astype("float32"))
    return path


def control_points(scan, count, seed=1):
    rng = np.random.default_rng(seed)
    points = []
    while len(points) < count:
        x, y = X0 + rng.uniform(0, 3800), Y0 - rng.uniform(0, 2800)
        col, row = scan(x, y)
        if 10 < col < WIDTH - 10 and 10 < row < HEIGHT - 10:
            points.append(ControlPoint(col, row, x, y))
    return points


@pytest.mark.parametrize(("kind", "scan", "count"), [
    ("affine", affine_scan, 4),
    ("poly2", quadratic_scan, 10),
    ("tps", wavy_scan, 12),
])
def test_the_known_transform_is_recovered_within_half_a_pixel_at_the_control_points(tmp_path, kind, scan, count):
    image = write_scan(tmp_path / "scan.tif")
    points = control_points(scan, count)
    out = tmp_path / f"{kind}.tif"
    result = georeference(image, points, "EPSG:4549", kind, out, "EPSG:4549")
    assert result.path == out and out.is_file()
    with rasterio.open(out) as dst:
        assert CRS.from_user_input(dst.crs.to_wkt()).to_epsg() == 4549
        sampled = dst.read()
        for p in points:
            row, col = dst.index(p.map_x, p.map_y)
            centre_x, centre_y = dst.xy(row, col)
            want_col, want_row = scan(centre_x, centre_y)  # the image position truly at that place
            got_col, got_row = sampled[0, row, col], sampled[1, row, col]
            assert abs(got_col - want_col) < 0.5 and abs(got_row - want_row) < 0.5, (p, got_col, want_col)
    assert result.fit.rms_px < 0.5


def test_affine_keeps_every_pixel_and_poly_warps_with_an_alpha_band(tmp_path):
    rgb = np.zeros((3, HEIGHT, WIDTH), dtype=np.uint8)
    rgb[0] = 200
    rgb[1, :, : WIDTH // 2] = 120
    image = tmp_path / "figure.png"
    with rasterio.open(image, "w", driver="PNG", width=WIDTH, height=HEIGHT, count=3, dtype="uint8") as dst:
        dst.write(rgb)
    # A north-up affine keeps every pixel and only adds the geotransform.
    north_up = georeference(image, control_points(north_up_scan, 5), "EPSG:4549", "affine", tmp_path / "n.tif",
                            "EPSG:4549")
    with rasterio.open(north_up.path) as dst:
        assert (dst.width, dst.height, dst.count) == (WIDTH, HEIGHT, 3)
        assert np.array_equal(dst.read(), rgb)
    # A rotated one is warped north-up, since raster layers (gisapp's and most GIS') refuse
    # rotated grids; it is the same fit as order 1.
    points = control_points(affine_scan, 5)
    affine = georeference(image, points, "EPSG:4549", "affine", tmp_path / "a.tif", "EPSG:4549")
    with rasterio.open(affine.path) as dst:
        assert dst.transform.b == 0 and dst.transform.d == 0 and dst.count == 4
    warped = georeference(image, points, "EPSG:4549", "poly1", tmp_path / "p.tif", "EPSG:4549")
    with rasterio.open(warped.path) as dst:
        assert dst.count == 4
        assert dst.colorinterp[3] == rasterio.enums.ColorInterp.alpha
        alpha = dst.read(4)
        assert alpha.max() == 255 and alpha.min() == 0  # the rotated image leaves corners empty
        inside = alpha == 255
        assert (dst.read(1)[inside] == 200).mean() > 0.99


def test_output_in_another_crs_from_points_in_lon_lat(tmp_path):
    image = write_scan(tmp_path / "scan.tif")
    gk = control_points(affine_scan, 5)
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs("EPSG:4549", "EPSG:4490", always_xy=True)
    lonlat = [p.with_map(*to_lonlat.transform(p.map_x, p.map_y)) for p in gk]
    for crs in ("EPSG:4326", "EPSG:3857", "EPSG:4490"):
        result = georeference(image, lonlat, "EPSG:4490", "poly1", tmp_path / f"{crs[5:]}.tif", crs)
        with rasterio.open(result.path) as dst:
            assert dst.crs.to_epsg() == int(crs[5:])
        assert result.fit.rms_m < 1.0  # the GK -> geographic curvature over 4 km is sub-metre


def test_world_file_beside_the_image(tmp_path):
    image = write_scan(tmp_path / "scan.tif")
    points = control_points(affine_scan, 4)
    result = georeference(image, points, "EPSG:4549", "affine", tmp_path / "out.tif", "EPSG:4549")
    path = write_world_file(image, result.fit)
    assert path == world_file_path(image) == tmp_path / "scan.tfw"
    a, d, b, e, c, f = (float(v) for v in path.read_text().split())
    # The world file names the centre of the top-left pixel.
    col, row = affine_scan(c, f)
    assert (col, row) == pytest.approx((0.5, 0.5), abs=1e-6)
    assert world_file_path(tmp_path / "x.png").name == "x.pgw"


def test_points_round_trip_in_qgis_layout(tmp_path):
    image = write_scan(tmp_path / "scan.tif")
    points = control_points(affine_scan, 5)
    points[1] = ControlPoint(points[1].pixel_x, points[1].pixel_y, points[1].map_x + 25,
                             points[1].map_y, enabled=False)
    result = georeference(image, points, "EPSG:4549", "affine", tmp_path / "o.tif", "EPSG:4549")
    path = points_path(image)
    assert path.name == "scan.tif.points"
    write_points(path, points, "EPSG:4549", result.fit)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#CRS: PROJCRS[\"CGCS2000 / 3-degree Gauss-Kruger CM 120E\"")
    assert lines[1] == POINTS_HEADER
    cells = lines[3].split(",")
    assert len(cells) == 8
    assert float(cells[3]) == -points[1].pixel_y  # QGIS: y grows upwards in the image
    assert cells[4] == "0"
    assert float(cells[7]) == pytest.approx(result.fit.residuals[1].px)
    back, crs = read_points(path)
    assert crs == "EPSG:4549"
    assert back == points  # every float bit for bit, and the enabled flags


def test_points_written_by_older_qgis_read(tmp_path):
    old = tmp_path / "old.points"
    old.write_text("mapX,mapY,pixelX,pixelY,enable,dX,dY,residual\n121.6,38.9,10,-20,1,0,0,0\n"
                   "121.7,38.8,110.5,-220.25,0,0,0,0\n", encoding="utf-8")
    points, crs = read_points(old, default_crs="EPSG:4490")
    assert crs == "EPSG:4490"
    assert points == [ControlPoint(10, 20, 121.6, 38.9), ControlPoint(110.5, 220.25, 121.7, 38.8, False)]
    tabs = tmp_path / "tabs.points"
    tabs.write_text("mapX\tmapY\tpixelX\tpixelY\n1\t2\t3\t-4\n", encoding="utf-8")
    assert read_points(tabs)[0] == [ControlPoint(3, 4, 1, 2)]


@pytest.mark.parametrize(("content", "message"), [
    (b"#CRS: not a crs at all\nmapX,mapY,sourceX,sourceY\n1,2,3,4\n", "line 1: the CRS"),
    (b"mapX,mapY,sourceX,sourceY\n1,2,3\n", "line 2: expected"),
    (b"mapX,mapY,sourceX,sourceY\n1,2,x,4\n", "line 2: not numbers"),
    (b"mapX,mapY,sourceX,sourceY\n1,nan,3,4\n", "finite"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
])
def test_broken_points_files_name_the_file_and_the_line(tmp_path, content, message):
    path = tmp_path / "bad.points"
    path.write_bytes(content)
    with pytest.raises(GisIOError, match=message) as caught:
        read_points(path)
    assert "bad.points" in str(caught.value)


def test_images_gdal_cannot_read_give_a_clear_error(tmp_path):
    not_image = tmp_path / "notes.png"
    not_image.write_text("hello")
    with pytest.raises(GisIOError, match="notes.png: is not an image"):
        image_info(not_image)
    with pytest.raises(GisIOError, match="notes.png: is not an image"):
        read_preview(not_image)
    with pytest.raises(GisIOError, match="not a file"):
        image_info(tmp_path)
    with pytest.raises(GisIOError, match="is not an image"):
        georeference(not_image, control_points(affine_scan, 3), "EPSG:4549", "affine",
                     tmp_path / "o.tif", "EPSG:4549")
    assert not (tmp_path / "o.tif").exists()


def test_a_failed_fit_writes_nothing_and_the_image_is_never_overwritten(tmp_path):
    image = write_scan(tmp_path / "scan.tif")
    before = image.read_bytes()
    with pytest.raises(GisIOError, match="scan.tif: is the image itself"):
        georeference(image, control_points(affine_scan, 4), "EPSG:4549", "affine", tmp_path / "." / "scan.tif",
                     "EPSG:4549")
    assert image.read_bytes() == before
    with pytest.raises(GeorefError):
        georeference(image, control_points(affine_scan, 3), "EPSG:4549", "poly2", tmp_path / "o.tif",
                     "EPSG:4549")
    assert not (tmp_path / "o.tif").exists()


def test_preview_is_rgba_and_scaled(tmp_path):
    image = write_scan(tmp_path / "scan.tif")
    preview, factor = read_preview(image, max_side=200)
    assert preview.shape == (150, 200, 4) and preview.dtype == np.uint8
    assert factor == pytest.approx(2.0)
    assert preview[0, 0, 0] < preview[0, -1, 0]  # band 1 (the column) grows to the right
    info = image_info(image)
    assert (info.width, info.height, info.bands) == (WIDTH, HEIGHT, 2)


def test_an_image_too_large_to_warp_in_memory_is_refused_by_name(tmp_path, monkeypatch):
    import gisapp.io.georef as georef_io

    image = write_scan(tmp_path / "scan.tif")
    monkeypatch.setattr(georef_io, "MAX_WARP_BYTES", 100_000)  # the scan decodes to 960,000 bytes
    with pytest.raises(GisIOError, match="scan.tif: is 0 MB decoded, more than gisapp warps"):
        georeference(image, control_points(affine_scan, 4), "EPSG:4549", "poly1", tmp_path / "o.tif", "EPSG:4549")
    assert not (tmp_path / "o.tif").exists()
