"""Peer: QGIS's map canvas (QgsMapCanvas with the pan tool) under the same input as ours.

Prints the longest event-loop block (ms) while the layer renders and while the user pans
and zooms, measured with the same 5 ms timer and input events (../input_script.py).
usage: /usr/bin/python3 qgis_responsiveness.py IN.gpkg WIDTH HEIGHT
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
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsRendererCategory,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.gui import QgsMapCanvas, QgsMapToolPan  # noqa: E402
from qgis.PyQt import QtCore, QtGui, QtWidgets  # noqa: E402,F401

USES = ["R2 residential", "M1 industrial", "A3 education", "B1 commercial", "G1 park", "S1 road"]

app = QgsApplication([], True)
app.initQgis()
path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
layer = QgsVectorLayer(path + "|layername=parcels", "parcels", "ogr")
assert layer.isValid()
categories = []
for i, value in enumerate(USES):
    symbol = QgsSymbol.defaultSymbol(layer.geometryType())
    symbol.setColor(QtGui.QColor.fromHsv(i * 50, 160, 230))
    categories.append(QgsRendererCategory(value, symbol, value))
layer.setRenderer(QgsCategorizedSymbolRenderer("land_use", categories))
QgsProject.instance().addMapLayer(layer)
open_s = time.perf_counter() - start

canvas = QgsMapCanvas()
canvas.resize(width, height)
canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
canvas.show()
app.processEvents()
tool = QgsMapToolPan(canvas)
canvas.setMapTool(tool)
probe = script.LatencyProbe(qt)
loop = QtCore.QEventLoop()


def run_until_rendered(after_ms=0):
    state = {"posted": after_ms == 0}

    def check():
        if state["posted"] and not canvas.isDrawing():
            QtCore.QTimer.singleShot(0, loop.quit)

    canvas.mapCanvasRefreshed.connect(check)
    if after_ms:
        QtCore.QTimer.singleShot(after_ms + 10, lambda: (state.update(posted=True), check()))
    loop.exec_()
    canvas.mapCanvasRefreshed.disconnect(check)


transform = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem("EPSG:3857"), QgsProject.instance())
probe.start()
start = time.perf_counter()
canvas.setLayers([layer])
canvas.setExtent(transform.transformBoundingBox(layer.extent()))
canvas.refresh()
run_until_rendered()
render_s = time.perf_counter() - start
render_block = probe.stop()

probe.start()
start = time.perf_counter()
last = script.schedule_pan_and_zoom(qt, canvas.viewport(), canvas.width(), canvas.height())
run_until_rendered(last)
panzoom_s = time.perf_counter() - start
panzoom_block = probe.stop()
print(f"open_s={open_s:.2f} render_s={render_s:.2f} render_block_ms={render_block:.1f} "
      f"panzoom_s={panzoom_s:.2f} panzoom_block_ms={panzoom_block:.1f}")
