"""Peer: QGIS's identify tool (QgsMapToolIdentify, top-down, stop at first) at given map points.

usage: /usr/bin/python3 qgis_identify.py IN.gpkg POINTS.json
POINTS.json: {"extent": [xmin, ymin, xmax, ymax] (EPSG:3857), "width": W, "height": H,
"points": [[x, y], ...]} as written by benchmarks/bench_identify.py.
Prints the median and max time of one identify call (ms).
"""
import json
import statistics
import sys
import time

from qgis_common import make_canvas, open_parcels, start_qgis

# isort: split
from qgis.core import QgsPointXY, QgsRectangle
from qgis.gui import QgsMapToolIdentify

app = start_qgis()
path, points_file = sys.argv[1], sys.argv[2]
with open(points_file) as f:
    spec = json.load(f)
layer = open_parcels(path, categorized=False)
canvas = make_canvas(app, spec["width"], spec["height"])
canvas.setLayers([layer])
canvas.setExtent(QgsRectangle(*spec["extent"]))
app.processEvents()
tool = QgsMapToolIdentify(canvas)
times = []
found = 0
for x, y in spec["points"]:
    pixel = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    start = time.perf_counter()
    results = tool.identify(int(round(pixel.x())), int(round(pixel.y())), [layer],
                            QgsMapToolIdentify.TopDownStopAtFirst)
    times.append(time.perf_counter() - start)
    found += bool(results)
print(f"found={found} identify_median_ms={1000 * statistics.median(times):.2f} "
      f"identify_max_ms={1000 * max(times):.2f}")
