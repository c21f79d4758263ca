"""`gisapp info FILE` and `gisapp FILE...`, run as a user would (real subprocesses, real files)."""

import json
import os
import subprocess
import sys

import pytest

from gisapp.cli import parse_arguments
from tests import broken_files
from tests.broken_files import CASES

GISAPP = [sys.executable, "-m", "gisapp.cli"]


def run(*args, timeout=120):
    result = subprocess.run([*GISAPP, *map(str, args)], capture_output=True, text=True, timeout=timeout)
    assert result.returncode >= 0, f"killed by signal {-result.returncode}"
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_info_json_on_the_whole_corpus_says_what_gisapp_sees(tmp_path):
    paths = broken_files.make_all(tmp_path)
    result = run("info", "--json", *paths.values())
    entries = {entry["file"]: entry for entry in json.loads(result.stdout)}
    refused = [case for case in CASES if case.refused]
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == len(refused) and all(line.startswith("gisapp: error: ") for line in errors)
    for case in CASES:
        entry = entries[str(paths[case.name])]
        if case.refused:
            assert case.refused in entry["error"], case.name
            continue
        layers = entry["layers"]
        assert len(layers) == case.layers, case.name
        first = layers[0]
        assert sum(layer["features"] for layer in layers) == case.features, case.name
        assert [(r["number"], r["code"]) for r in first["rejected"]] == list(case.rejected), case.name
        assert set(case.warnings) <= {w["code"] for w in first["warnings"]}, case.name
        if case.crs:
            assert (first["crs"], first["crs_decision"]) == (case.crs, case.crs_how), case.name
        for layer in layers:
            assert set(layer) >= {"geometry", "geometry_types", "features", "features_read", "crs", "crs_name",
                                  "crs_decision", "bounds", "bounds_wgs84", "fields", "warnings", "rejected"}


def test_info_text_names_the_guessed_crs_and_the_rejected_features(tmp_path):
    gk = broken_files._gk_shapefile_no_prj(tmp_path)
    unclosed = broken_files._unclosed_ring(tmp_path)
    result = run("info", gk, unclosed)
    assert result.returncode == 0 and result.stderr == ""
    out = result.stdout
    assert "CRS: EPSG:4529 CGCS2000 / 3-degree Gauss-Kruger zone 41 (guessed from the coordinates)" in out
    assert "warning: no .prj: assumed WGS 84 (EPSG:4326)" in out
    assert "warning: coordinates look like CGCS2000 / 3-degree Gauss-Kruger zone 41 (EPSG:4529); assumed" in out
    assert "polygon (Polygon), 2 of 3 features" in out
    assert "rejected: feature 2: a polygon ring is not closed" in out
    assert "fields: name" in out


def test_info_json_of_a_layer_without_attributes(tmp_path):
    [entry] = json.loads(run("info", "--json", broken_files._no_dbf(tmp_path)).stdout)
    [layer] = entry["layers"]
    assert layer["fields"] == [] and layer["features"] == 3
    assert [w["message"] for w in layer["warnings"]] == ["no .dbf: the attributes are missing; only the geometry was read"]
    assert layer["bounds_wgs84"][0] == pytest.approx(121.52)


@pytest.mark.parametrize("args", [
    ["info", "{fifo}"],
    ["{fifo}", "--screenshot", "{out}"],
    ["--project", "{fifo_gpkg}", "layers"],
    ["info", "{fifo_shp}"],
], ids=["info", "window-screenshot", "project", "shapefile-with-a-pipe-for-its-dbf"])
def test_a_named_pipe_never_hangs_the_command_line_or_the_window(tmp_path, args):
    names = {"fifo": tmp_path / "pipe.geojson", "fifo_gpkg": tmp_path / "pipe.gpkg",
             "fifo_shp": broken_files._fifo_dbf(tmp_path), "out": tmp_path / "out.png"}
    os.mkfifo(names["fifo"])
    os.mkfifo(names["fifo_gpkg"])
    result = run(*[arg.format(**names) for arg in args], timeout=60)  # a hang fails here
    assert result.returncode == 2
    [line] = [line for line in result.stderr.splitlines() if line.startswith("gisapp:")]
    assert line.startswith("gisapp: error: ") and "named pipe (FIFO)" in line
    assert not names["out"].exists()


def test_files_open_beside_the_bundled_project_in_a_screenshot(tmp_path):
    unclosed = broken_files._unclosed_ring(tmp_path)
    out = tmp_path / "shot.png"
    result = run(unclosed, "--screenshot", out, "--size", "800x600", "--lang", "en")
    assert result.returncode == 0 and out.stat().st_size > 10_000
    assert "gisapp: warning: unclosed_ring.geojson: feature 2: a polygon ring is not closed" in result.stderr


def test_a_file_gisapp_cannot_read_fails_the_screenshot_with_one_line(tmp_path):
    bad = tmp_path / "broken.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    result = run(bad, "--screenshot", tmp_path / "x.png")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "gisapp: error: broken.geojson: the file ends early (truncated?): Expecting value (line 1, column 44)")


@pytest.mark.parametrize("argv, command, files", [
    ([], None, []),
    (["--lang", "zh", "layers", "--json"], "layers", []),
    (["info", "a.shp", "--json"], "info", []),
    (["data.geojson", "--screenshot", "x.png"], None, ["data.geojson"]),
    (["--screenshot", "layers.png", "a.gpkg", "b.shp"], None, ["a.gpkg", "b.shp"]),
    (["--screenshot=x.png", "--table", "a.gpkg"], None, ["a.gpkg"]),
    (["--project", "layers", "x.geojson"], None, ["x.geojson"]),  # "layers" is --project's value here
    (["./layers"], None, ["./layers"]),
    (["--", "info"], None, ["info"]),
])
def test_files_and_subcommands_do_not_clash(argv, command, files):
    args = parse_arguments(argv)
    assert (args.command, args.files) == (command, files)


def test_info_speaks_chinese_with_lang_zh(tmp_path):
    [entry] = json.loads(run("info", broken_files._gk_shapefile_no_prj(tmp_path), "--json", "--lang", "zh").stdout)
    [layer] = entry["layers"]
    assert layer["crs_decision_text"] == "根据坐标推测"
    assert [w["message"] for w in layer["warnings"]] == [
        "缺少 .prj：已假定为 WGS 84（EPSG:4326）",
        "坐标看起来属于 CGCS2000 / 3-degree Gauss-Kruger zone 41（EPSG:4529），已按此读取。"
        "如有误，请用“图层 > 设置图层坐标系…”更正"]
