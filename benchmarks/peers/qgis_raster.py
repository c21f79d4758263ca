"""QGIS 3.22's render of a GeoTIFF in EPSG:3857, for benchmarks/bench_raster.py.

    /usr/bin/python3 qgis_raster.py FILE WIDTH HEIGHT RUNS XMIN,YMIN,XMAX,YMAX [XMIN,...]

A QgsRasterLayer (gdal provider, its default multiband renderer) drawn by
QgsMapRendererSequentialJob into an image of WIDTH x HEIGHT in EPSG:3857 at each extent;
prints the median seconds per render for each extent (``view0_s=``, ``view1_s=``, ...).
"""

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402

app = QgsApplication([], False)
app.setPrefixPath("/usr", True)
app.initQgis()
path, width, height, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
layer = QgsRasterLayer(path, "raster", "gdal")
assert layer.isValid(), path
figures = []
for number, text in enumerate(sys.argv[5:]):
    xmin, ymin, xmax, ymax = (float(v) for v in text.split(","))
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setOutputSize(QSize(width, height))
    settings.setExtent(QgsRectangle(xmin, ymin, xmax, ymax))
    times = []
    for _ in range(runs + 1):  # the first render opens the file: not counted
        job = QgsMapRendererSequentialJob(settings)
        start = time.perf_counter()
        job.start()
        job.waitForFinished()
        times.append(time.perf_counter() - start)
    figures.append(f"view{number}_s={statistics.median(times[1:]):.4f}")
print(" ".join(figures), flush=True)
sys.stderr.flush()
os._exit(0)
