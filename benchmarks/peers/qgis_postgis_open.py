"""Peer: QGIS adds a PostGIS table through its postgres provider and its map canvas renders
the full extent.

Prints the time from the start of the open until the canvas has rendered the table's full
extent (``first_picture_s``; QGIS reads while it renders) and the longest event-loop block,
measured with the same 5 ms timer as ours (../input_script.py). The password comes from
PGPASSFILE, as libpq reads it. The layer loads its default style from layer_styles, as a
QGIS user's would.
usage: /usr/bin/python3 qgis_postgis_open.py "host=.. port=.. dbname=.. user=.." SCHEMA TABLE WIDTH HEIGHT
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
    QgsDataSourceUri,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsMapCanvas  # noqa: E402
from qgis.PyQt import QtCore  # noqa: E402

app = QgsApplication([], True)
app.initQgis()
conninfo, schema, table, width, height = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
canvas = QgsMapCanvas()
canvas.resize(width, height)
canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
canvas.show()
app.processEvents()
probe = script.LatencyProbe(qt)
loop = QtCore.QEventLoop()
probe.start()
start = time.perf_counter()
uri = QgsDataSourceUri(conninfo)
uri.setDataSource(schema, table, "geom", "", "fid")
layer = QgsVectorLayer(uri.uri(False), table, "postgres")
assert layer.isValid(), layer.error().summary()
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
