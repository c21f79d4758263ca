"""`gisapp georeference IMAGE --gcp ... OUT.tif`, run as a user would (a real subprocess)."""

import re
import subprocess
import sys

import numpy as np
import pytest
import rasterio

from gisapp.io.georef import read_points

GISAPP = [sys.executable, "-m", "gisapp.cli"]


def run(*args, timeout=120):
    result = subprocess.run([*GISAPP, *map(str, args)], capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def figure(tmp_path):
    path = tmp_path / "layout-figure.png"
    data = np.zeros((3, 200, 300), dtype=np.uint8)
    data[0, 50:150, 100:200] = 255
    with rasterio.open(path, "w", driver="PNG", width=300, height=200, count=3, dtype="uint8") as dst:
        dst.write(data)
    return path


def lonlat(col, row):
    return 121.50 + col * 0.0005, 39.00 - row * 0.0004


def gcp(col, row, d_lon=0.0):
    lon, lat = lonlat(col, row)
    return f"{col},{row},{lon + d_lon!r},{lat!r}"


def test_georeference_writes_the_geotiff_and_prints_residuals_and_rms(figure, tmp_path):
    out = tmp_path / "placed.tif"
    result = run("georeference", figure, out, "--gcp", gcp(0, 0), "--gcp", gcp(300, 0),
                 "--gcp", gcp(300, 200), "--gcp", gcp(0, 200, d_lon=0.0002), "--save-points", "--world-file")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[-2:] == ["residual", "m"]
    residuals = [float(line.split()[-1]) for line in lines[1:5]]
    assert max(residuals) == residuals[3] and residuals[3] > 3  # the point moved by 17 m east
    rms = float(re.search(r"RMS: ([0-9.]+) m", result.stdout).group(1))
    assert rms == pytest.approx(np.sqrt(np.mean(np.square(residuals))), abs=0.002)
    with rasterio.open(out) as dst:
        assert dst.crs.to_epsg() == 4326
        # The moved point shears the fit a little, so the image is warped north-up.
        assert dst.transform.b == 0 and dst.transform.d == 0 and 300 <= dst.width < 330
        row, col = dst.index(*lonlat(150, 100))
        assert dst.read(1)[row, col] == 255  # the red square is where the points put it
    assert (tmp_path / "layout-figure.pgw").is_file()
    points, crs = read_points(tmp_path / "layout-figure.png.points")
    assert crs == "EPSG:4326" and len(points) == 4


def test_georeference_in_cgcs2000_with_a_spline(figure, tmp_path):
    out = tmp_path / "cgcs.tif"
    corners = [(0, 0), (300, 0), (300, 200), (0, 200), (150, 100)]
    args = [arg for col, row in corners for arg in ("--gcp", gcp(col, row))]
    result = run("georeference", figure, out, *args, "--transform", "tps", "--crs", "EPSG:4490")
    assert result.returncode == 0, result.stderr
    assert "RMS: 0.000 m" in result.stdout
    with rasterio.open(out) as dst:
        assert dst.crs.to_epsg() == 4490 and dst.count == 4  # RGB and the alpha outside the figure


@pytest.mark.parametrize(("extra", "message"), [
    (["--gcp", "1,2,3"], "expected X,Y,LON,LAT"),
    (["--gcp", "0,0,121.5,39", "--gcp", "10,0,121.6,39", "--gcp", "0,10,121.5,38.9", "--transform", "poly2"],
     "poly2 needs at least 6 enabled points, 3 given"),
    (["--gcp", "0,0,121.5,39", "--gcp", "10,10,121.6,38.9", "--gcp", "20,20,121.7,38.8"], "lie on a line"),
])
def test_georeference_refuses_what_cannot_work_with_a_message(figure, tmp_path, extra, message):
    result = run("georeference", figure, tmp_path / "o.tif", *extra)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "o.tif").exists()


def test_georeference_names_an_unreadable_image(tmp_path):
    bad = tmp_path / "scan.jpg"
    bad.write_bytes(b"\xff\xd8 not really a jpeg")
    result = run("georeference", bad, tmp_path / "o.tif", "--gcp", "0,0,1,1", "--gcp", "9,0,2,1",
                 "--gcp", "0,9,1,2")
    assert result.returncode == 2
    assert "scan.jpg: is not an image GDAL can read" in result.stderr
