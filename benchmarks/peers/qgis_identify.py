"""Peer: QGIS's identify tool (QgsMapToolIdentify, top-down, stop at first) at given map points.

usage: /usr/bin/python3 qgis_identify.py IN.gpkg POINTS.json
POINTS.json: {"extent": [xmin, ymin, xmax, ymax] (EPSG:3857), "width": W, "height": H,
"points": [[x, y], ...]} as written by benchmarks/bench_identify.py.
Prints the median and max time of one identify call (ms).
"""
import json
import os
import statistics
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsMapCanvas, QgsMapToolIdentify  # noqa: E402

app = QgsApplication([], True)
app.initQgis()
path, points_file = sys.argv[1], sys.argv[2]
spec = json.load(open(points_file))
layer = QgsVectorLayer(path + "|layername=parcels", "parcels", "ogr")
assert layer.isValid()
QgsProject.instance().addMapLayer(layer)
canvas = QgsMapCanvas()
canvas.resize(spec["width"], spec["height"])
canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
canvas.setLayers([layer])
canvas.setExtent(QgsRectangle(*spec["extent"]))
canvas.show()
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
