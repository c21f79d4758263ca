"""`gisapp info FILE.tif`, `gisapp layers` with a raster, and `gisapp FILE.tif --screenshot`, run as a
user would (real subprocesses, real files)."""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtGui import QColor, QImage

from gisapp.core.model.raster_layer import RasterStyle
from gisapp.io.catalogue import load_catalogue
from gisapp.io.project_gpkg import save_project
from gisapp.io.raster import open_raster
from tests.raster_files import quadrants, rgb_png

GISAPP = [sys.executable, "-m", "gisapp.cli"]


def run(*args, timeout=300):
    result = subprocess.run([*GISAPP, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_info_describes_rasters_and_names_a_broken_one(tmp_path):
    tif = quadrants(tmp_path / "site.tif", overviews=True)
    png = rgb_png(tmp_path / "scan.png")
    broken = tmp_path / "broken.tif"
    broken.write_text("not an image")
    result = run("info", "--json", tif, png, broken)
    assert result.returncode == 2 and "broken.tif" in result.stderr
    entries = {entry["file"]: entry for entry in json.loads(result.stdout)}
    site = entries[str(tif)]["raster"]
    assert (site["width"], site["height"], site["bands"], site["overviews"]) == (600, 400, 1, [2, 4, 8])
    assert site["band_names"] == ["elevation"] and site["nodata"] == -9999.0 and site["crs_decision"] == "declared"
    scan = entries[str(png)]["raster"]
    assert scan["crs_decision"] == "assumed" and "assumed WGS 84" in scan["warnings"][0]["message"]
    text = run("info", tif).stdout
    assert "raster 600 x 400 pixels" in text and "overviews 1/2, 1/4, 1/8" in text


def test_gisapp_file_tif_screenshot_shows_the_raster_under_the_plan(tmp_path):
    tif = quadrants(tmp_path / "site.tif")
    out = tmp_path / "shot.png"
    result = run("--screenshot", out, "--size", "1280x800", tif)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull()
    # The quadrants' colours (viridis from 10 to 30) appear in the map: 10 is viridis's dark purple.
    colours = {QColor(image.pixel(x, y)).name() for x in range(300, 1000, 7) for y in range(150, 700, 7)}
    assert "#440154" in colours


def test_layers_lists_a_raster_of_a_saved_project(tmp_path):
    project = load_catalogue()
    layer = open_raster(quadrants(tmp_path / "site.tif"))
    layer.style = RasterStyle(ramp="terrain")
    project.add_layer(layer)
    save_project(project, tmp_path / "plan.gpkg")
    rows = json.loads(run("--project", tmp_path / "plan.gpkg", "layers", "--json").stdout)
    (row,) = [row for row in rows if row["geometry"] == "raster"]
    assert row["id"] == layer.id and row["crs"] == "EPSG:4326" and row["style"] == "ramp"
