"""The canvas never hands a NaN, infinite or absurd rectangle to Qt: zooms that cannot be
shown are refused with a word in the status bar, and the window survives layers whose
coordinates are NaN, infinite, 1e308 or projected numbers in a geographic layer."""

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
from PySide6.QtCore import Qt
from shapely.geometry import Point

from gisapp.core.model.layer import VectorLayer

HELPER = Path(__file__).with_name("hostile_coordinates.py")
REPO = Path(__file__).resolve().parents[3]


def test_the_window_survives_layers_with_non_finite_and_absurd_coordinates(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, str(HELPER), str(tmp_path)], capture_output=True, text=True,
                          timeout=600, env=env)
    assert done.returncode == 0, f"died with {done.returncode}: {done.stderr[-3000:]}"
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["steps"] > 90 and seen["unusable_views"] == []
    messages = set(seen["messages"])
    assert "Cannot zoom to feature 2 of inf_lines: it has no usable coordinates (empty, or not finite numbers)." in messages
    assert "Cannot zoom to only_bad: it has no usable coordinates (empty, or not finite numbers)." in messages
    assert "Cannot zoom to far_points: its coordinates lie far outside the map CRS (is the layer's CRS right?)." in messages
    assert any("only_bad is left out of the full extent" in m for m in messages)
    # The web map leaves out exactly the features it cannot place, and is written.
    assert seen["web_skipped"] == {"nan_points": [1, 2], "inf_lines": [1, 2], "huge_polygons": [1, 2],
                                   "far_points": [0], "only_bad": [0, 1], "no_columns": [1]}
    assert seen["web_bytes"] > 10_000


def test_a_layer_without_attribute_columns_opens_its_table(make_window, qtbot):
    window = make_window("en")
    frame = gpd.GeoDataFrame(geometry=[Point(121.51, 38.88), Point(121.52, 38.87)], crs="EPSG:4326")
    window.project.add_layer(VectorLayer("bare", "无属性", "No attributes", frame))
    table = window.open_attribute_table("bare")
    assert table is not None and window.table_dock.isVisible()
    assert table.model.columnCount() == 0 and table.model.rowCount() == 2
    table.view.sortByColumn(0, Qt.DescendingOrder)  # what a click on the (absent) header asks
    table.model.sort(-1)
    assert table.model.order.tolist() == [0, 1]
    window.project.layer("bare").select([1])  # the map selection reaches the table
    assert "1 selected" in table.count_label.text()
    table.filter_edit.setText("x")
    table._apply_filter()
    assert table.model.rowCount() == 0  # nothing to match in no fields
    table.view.grab()
    assert [table.filter_column.itemText(i) for i in range(table.filter_column.count())] == ["All fields"]
