"""The gisapp command line, run as a user would run it (a real subprocess)."""

import json
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

GISAPP = [sys.executable, "-m", "gisapp.cli"]


def run(*args, check=True):
    result = subprocess.run([*GISAPP, *args], capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_indicators_for_the_science_city_as_json():
    data = json.loads(run("indicators", "hitech.city.yingeshi", "--json").stdout)
    assert data["feature_id"] == "hitech.city.yingeshi"
    by_id = {item["id"]: item for item in data["indicators"]}
    researchers = by_id["plan.text.scicity_researchers"]
    assert "6000" in researchers["target_value"] and researchers["target_year"] == 2025
    assert "第三章" in researchers["source"]
    assert all(item["source"] for item in data["indicators"])
    assert any("30" == item["target_value"] for item in data["indicators"])


def test_all_indicators_include_both_plan_tables():
    data = json.loads(run("indicators", "--json").stdout)
    tables = {item["table"] for item in data["indicators"]}
    assert {"table1", "table2"} <= tables
    assert sum(item["table"] == "table2" for item in data["indicators"]) == 20


def test_layers_json_lists_the_catalogue():
    rows = json.loads(run("layers", "--json").stdout)
    ids = {row["id"] for row in rows}
    assert len(rows) >= 10
    assert all(row["crs"] == "EPSG:4326" for row in rows)
    assert {"point", "line", "polygon"} <= {row["geometry"] for row in rows}
    assert any(row["group"] == "base" for row in rows) and ids


def test_unknown_feature_is_a_clear_error():
    result = run("indicators", "no.such.zone", check=False)
    assert result.returncode == 2
    assert "no feature with id 'no.such.zone'" in result.stderr


def test_missing_project_file_is_a_clear_error(tmp_path):
    result = run("--project", str(tmp_path / "nope.gpkg"), "layers", check=False)
    assert result.returncode == 2
    assert "nope.gpkg: the file does not exist" in result.stderr


@pytest.mark.parametrize("lang, size", [("zh", (1600, 1000)), ("en", (1280, 800))])
def test_screenshot_with_a_selected_feature(tmp_path, lang, size):
    out = tmp_path / f"shot_{lang}.png"
    run("--screenshot", str(out), "--size", f"{size[0]}x{size[1]}", "--select", "hitech.city.yingeshi",
        "--lang", lang)
    image = QImage(str(out))
    assert (image.width(), image.height()) == size
    # Not a blank window: many distinct colours from the map.
    colours = {image.pixel(x, y) for x in range(0, size[0], 23) for y in range(0, size[1], 23)}
    assert len(colours) > 40


def test_screenshot_of_an_unknown_feature_fails_cleanly(tmp_path):
    result = run("--screenshot", str(tmp_path / "x.png"), "--select", "nope", check=False)
    assert result.returncode == 2 and "nope" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_bad_size_is_rejected():
    result = run("--screenshot", "x.png", "--size", "huge", check=False)
    assert result.returncode == 2 and "1600x1000" in result.stderr


def test_lang_is_accepted_after_the_subcommand():
    rows = run("layers", "--lang", "zh").stdout
    assert "英歌石科学城" in rows


@pytest.mark.parametrize("case", ["invalid map CRS", "opacity as text", "indicators as a string",
                                  "missing layer key"])
def test_a_damaged_project_is_one_error_line(tmp_path, case):
    from damaged_projects import DAMAGES, damaged_project

    path = damaged_project(tmp_path, case)
    result = run("--project", str(path), "layers", check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [result.stderr.strip()], result.stderr  # one line, no traceback
    assert result.stderr.startswith(f"gisapp: error: {path.name}: damaged ") and DAMAGES[case][1] in result.stderr


def test_a_damaged_project_given_to_the_window_is_one_error_line(tmp_path):
    from damaged_projects import damaged_project

    path = damaged_project(tmp_path, "invalid map CRS")
    out = tmp_path / "shot.png"
    result = run("--project", str(path), "--screenshot", str(out), check=False)
    assert result.returncode == 2 and not out.exists()
    assert result.stderr.strip().splitlines() == [
        f"gisapp: error: {path.name}: damaged project metadata: project.canvas_crs: expected a map CRS such "
        "as EPSG:3857, got 'EPSG:999999' (unknown to PROJ)"]
