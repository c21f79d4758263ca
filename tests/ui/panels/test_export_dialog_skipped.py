"""The export dialog says which features the web map leaves out."""

import geopandas as gpd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from shapely.geometry import Point

from gisapp.core.model.layer import VectorLayer


def test_the_export_dialog_names_the_features_left_out(make_window, tmp_path):
    window = make_window("en")
    frame = gpd.GeoDataFrame({"name": ["ok", "bad"]}, geometry=[Point(121.51, 38.88), Point(float("inf"), 1)],
                             crs="EPSG:4326")
    window.project.add_layer(VectorLayer("survey", "<b>调查</b>", "<b>Survey</b>", frame))
    dialog = window.export_web_map_dialog()
    for layer_id in dialog.layer_items:
        dialog.set_layer_checked(layer_id, layer_id == "survey")
    dialog.path_edit.setText(str(tmp_path / "map.html"))
    assert dialog.export() == tmp_path / "map.html"
    assert [(item.layer_id, item.rows) for item in dialog.last_skipped] == [("survey", [1])]
    box = window.findChild(QMessageBox, "ExportSkippedBox")
    assert box is not None and box.textFormat() == Qt.PlainText
    assert "<b>Survey</b>: 1 features (number 2)" in box.text()
    box.close()
