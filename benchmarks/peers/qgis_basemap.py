"""Peer: QGIS's map canvas with its XYZ tile layer (the wms provider, type=xyz) on our loopback server.

Prints the time until the first view is complete, the time until the view after the same
pan and zoom input as ours is complete, the longest event-loop block in each, and the tile
requests the server saw (read by the caller). "Complete": QGIS has finished its map render,
which for an XYZ layer waits for the tiles it asked for.
usage: /usr/bin/python3 qgis_basemap.py URL WIDTH HEIGHT CENTER_X CENTER_Y RESOLUTION PROFILE_DIR
"""
import os
import sys
import time
from urllib.parse import quote

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import input_script as script  # noqa: E402
from qgis import PyQt as qt  # noqa: E402
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.gui import QgsMapCanvas, QgsMapToolPan  # noqa: E402
from qgis.PyQt import QtCore, QtGui, QtWidgets  # noqa: E402,F401 (the input script uses them)

url, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cx, cy, resolution, profile = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), sys.argv[7]
app = QgsApplication([], True, profile)  # a fresh profile: an empty network cache
app.initQgis()
layer = QgsRasterLayer(f"type=xyz&url={quote(url, safe=':/')}&zmin=0&zmax=19", "tiles", "wms")
assert layer.isValid(), layer.error().summary()
QgsProject.instance().addMapLayer(layer)
canvas = QgsMapCanvas()
canvas.resize(width, height)
canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
canvas.show()
app.processEvents()
canvas.grab()  # the first paint, as for ours, happens before the timing
canvas.setMapTool(QgsMapToolPan(canvas))
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


half_w, half_h = width * resolution / 2, height * resolution / 2
probe.start()
start = time.perf_counter()
canvas.setLayers([layer])
canvas.setExtent(QgsRectangle(cx - half_w, cy - half_h, cx + half_w, cy + half_h))
canvas.refresh()
run_until_rendered()
first_s = time.perf_counter() - start
first_block = probe.stop()

probe.start()
start = time.perf_counter()
last = script.schedule_pan_and_zoom(qt, canvas.viewport(), canvas.width(), canvas.height())
run_until_rendered(last)
panzoom_s = time.perf_counter() - start
panzoom_block = probe.stop()
print(f"first_s={first_s:.3f} first_block_ms={first_block:.1f} panzoom_s={panzoom_s:.3f} "
      f"panzoom_block_ms={panzoom_block:.1f}")
