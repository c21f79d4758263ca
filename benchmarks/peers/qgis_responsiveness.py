"""Peer: QGIS's map canvas (QgsMapCanvas with the pan tool) under the same input as ours.

Prints the longest event-loop block (ms) while the layer renders and while the user pans
and zooms, measured with the same 5 ms timer and input events (../input_script.py).
usage: /usr/bin/python3 qgis_responsiveness.py IN.gpkg WIDTH HEIGHT
"""
import sys
import time

from qgis_common import full_extent, make_canvas, open_parcels, run_until_rendered, start_qgis

# isort: split
import input_script as script  # on the path once qgis_common is imported
from qgis import PyQt as qt
from qgis.gui import QgsMapToolPan
from qgis.PyQt import QtCore

app = start_qgis()
path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
layer = open_parcels(path)
open_s = time.perf_counter() - start

canvas = make_canvas(app, width, height)
tool = QgsMapToolPan(canvas)
canvas.setMapTool(tool)
probe = script.LatencyProbe(qt)
loop = QtCore.QEventLoop()

probe.start()
start = time.perf_counter()
canvas.setLayers([layer])
canvas.setExtent(full_extent(layer))
canvas.refresh()
run_until_rendered(canvas, loop)
render_s = time.perf_counter() - start
render_block = probe.stop()

probe.start()
start = time.perf_counter()
last = script.schedule_pan_and_zoom(qt, canvas.viewport(), canvas.width(), canvas.height())
run_until_rendered(canvas, loop, last)
panzoom_s = time.perf_counter() - start
panzoom_block = probe.stop()
print(f"open_s={open_s:.2f} render_s={render_s:.2f} render_block_ms={render_block:.1f} "
      f"panzoom_s={panzoom_s:.2f} panzoom_block_ms={panzoom_block:.1f}")
