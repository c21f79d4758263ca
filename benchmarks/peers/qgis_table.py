"""Peer: QGIS's attribute table model (what the attribute table dialog loads), then sorting.

usage: /usr/bin/python3 qgis_table.py IN.gpkg
Prints seconds to load QgsAttributeTableModel on a QgsVectorLayerCache and to sort its
QgsAttributeTableFilterModel by the name and far columns.
"""
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from qgis.core import QgsApplication, QgsVectorLayer, QgsVectorLayerCache  # noqa: E402
from qgis.gui import QgsAttributeTableFilterModel, QgsAttributeTableModel, QgsMapCanvas  # noqa: E402
from qgis.PyQt.QtCore import Qt  # noqa: E402

app = QgsApplication([], True)
app.initQgis()
layer = QgsVectorLayer(sys.argv[1] + "|layername=parcels", "parcels", "ogr")
assert layer.isValid()
canvas = QgsMapCanvas()
start = time.perf_counter()
cache = QgsVectorLayerCache(layer, 10000)  # the dialog's default cache size
model = QgsAttributeTableModel(cache)
model.loadLayer()
filter_model = QgsAttributeTableFilterModel(canvas, model)
open_s = time.perf_counter() - start
times = {}
for name in ("name", "far"):
    column = layer.fields().indexOf(name)
    start = time.perf_counter()
    filter_model.sort(column, Qt.AscendingOrder)
    times[name] = time.perf_counter() - start
print(f"rows={model.rowCount()} open_s={open_s:.3f} sort_name_s={times['name']:.3f} sort_far_s={times['far']:.3f}")
