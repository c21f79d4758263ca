"""Peer: QGIS opens a GeoPackage layer and its map canvas renders the full extent.

Prints the time from the start of the open until the canvas has rendered the layer's full
extent (``first_picture_s``; QGIS opens lazily and reads while it renders), the open alone
(``open_s``), and the longest event-loop block during both, measured with the same 5 ms timer
as ours (../input_script.py). The layer keeps QGIS's default single symbol, as a file opened
in gisapp keeps its default style.
usage: /usr/bin/python3 qgis_open.py IN.gpkg WIDTH HEIGHT
"""
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import input_script as script  # noqa: E402
from qgis import PyQt as qt  # noqa: E402
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsMapCanvas  # noqa: E402
from qgis.PyQt import QtCore  # noqa: E402

app = QgsApplication([], True)
app.initQgis()
path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
canvas = QgsMapCanvas()
canvas.resize(width, height)
canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
canvas.show()
app.processEvents()
probe = script.LatencyProbe(qt)
loop = QtCore.QEventLoop()
probe.start()
start = time.perf_counter()
layer = QgsVectorLayer(path + "|layername=parcels", "parcels", "ogr")
assert layer.isValid()
QgsProject.instance().addMapLayer(layer)
open_s = time.perf_counter() - start
transform = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem("EPSG:3857"), QgsProject.instance())


def check():
    if not canvas.isDrawing():
        QtCore.QTimer.singleShot(0, loop.quit)


canvas.mapCanvasRefreshed.connect(check)
canvas.setLayers([layer])
canvas.setExtent(transform.transformBoundingBox(layer.extent()))
canvas.refresh()
loop.exec_()
first_picture_s = time.perf_counter() - start
block = probe.stop()
print(f"features={layer.featureCount()} open_s={open_s:.3f} first_picture_s={first_picture_s:.2f} block_ms={block:.1f}")
