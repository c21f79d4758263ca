"""Peer: QGIS's map canvas with its XYZ tile layer (the wms provider, type=xyz) on our loopback server.

Prints the time until the first view is complete, the time until the view after the same
pan and zoom input as ours is complete, the longest event-loop block in each, and the tile
requests the server saw (read by the caller). "Complete": QGIS has finished its map render,
which for an XYZ layer waits for the tiles it asked for.
usage: /usr/bin/python3 qgis_basemap.py URL WIDTH HEIGHT CENTER_X CENTER_Y RESOLUTION PROFILE_DIR
"""
import sys
import time
from urllib.parse import quote

from qgis_common import make_canvas, run_until_rendered, start_qgis

# isort: split
import input_script as script  # on the path once qgis_common is imported
from qgis import PyQt as qt
from qgis.core import QgsProject, QgsRasterLayer, QgsRectangle
from qgis.gui import QgsMapToolPan
from qgis.PyQt import QtCore

url, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cx, cy, resolution, profile = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), sys.argv[7]
app = start_qgis(profile=profile)  # a fresh profile: an empty network cache
layer = QgsRasterLayer(f"type=xyz&url={quote(url, safe=':/')}&zmin=0&zmax=19", "tiles", "wms")
assert layer.isValid(), layer.error().summary()
QgsProject.instance().addMapLayer(layer)
canvas = make_canvas(app, width, height)
canvas.grab()  # the first paint, as for ours, happens before the timing
canvas.setMapTool(QgsMapToolPan(canvas))
probe = script.LatencyProbe(qt)
loop = QtCore.QEventLoop()
half_w, half_h = width * resolution / 2, height * resolution / 2
probe.start()
start = time.perf_counter()
canvas.setLayers([layer])
canvas.setExtent(QgsRectangle(cx - half_w, cy - half_h, cx + half_w, cy + half_h))
canvas.refresh()
run_until_rendered(canvas, loop)
first_s = time.perf_counter() - start
first_block = probe.stop()

probe.start()
start = time.perf_counter()
last = script.schedule_pan_and_zoom(qt, canvas.viewport(), canvas.width(), canvas.height())
run_until_rendered(canvas, loop, last)
panzoom_s = time.perf_counter() - start
panzoom_block = probe.stop()
print(f"first_s={first_s:.3f} first_block_ms={first_block:.1f} panzoom_s={panzoom_s:.3f} "
      f"panzoom_block_ms={panzoom_block:.1f}")
