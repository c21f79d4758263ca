"""QGIS's side of scripts/side_by_side.py: render the project stored in a GeoPackage, headless.

Runs under Debian's /usr/bin/python3 with python3-qgis (QGIS 3.22), not in the venv.
usage: /usr/bin/python3 qgis_render_project.py GPKG PROJECT_NAME XMIN YMIN XMAX YMAX WIDTH HEIGHT OUT.png [--no-labels]
The extent is in the project's CRS; it prints one JSON line of what it drew.
"""

import json
import os
import sys
from urllib.parse import quote

os.environ["QT_QPA_PLATFORM"] = "offscreen"
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402

app = QgsApplication([], False)
app.setPrefixPath("/usr", True)
app.initQgis()
gpkg, name, *numbers, out = sys.argv[1:10]
xmin, ymin, xmax, ymax, width, height = (float(n) for n in numbers)
project = QgsProject.instance()
if not project.read(f"geopackage:{gpkg}?projectName={quote(name)}"):
    sys.exit(f"QGIS could not read the project {name!r} from {gpkg}")
root = project.layerTreeRoot()
layers = [layer for layer in root.layerOrder() if root.findLayer(layer.id()).isVisible()]
if "--no-labels" in sys.argv:
    for layer in layers:
        layer.setLabelsEnabled(False)
settings = QgsMapSettings()
settings.setLayers(layers)
settings.setDestinationCrs(project.crs())
settings.setBackgroundColor(project.backgroundColor())
settings.setOutputSize(QSize(int(width), int(height)))
settings.setOutputDpi(96)
settings.setExtent(QgsRectangle(xmin, ymin, xmax, ymax))
job = QgsMapRendererParallelJob(settings)
job.start()
job.waitForFinished()
job.renderedImage().save(out)
extent = settings.visibleExtent()
print(json.dumps({"layers": [layer.name() for layer in layers], "crs": project.crs().authid(),
                  "extent": [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()],
                  "errors": [str(e.message) for e in job.errors()]}), flush=True)
sys.stderr.flush()
os._exit(0)  # exitQgis() crashes QGIS 3.22 offscreen now and then
