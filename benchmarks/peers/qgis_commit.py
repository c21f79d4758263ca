"""Peer: QGIS committing geometry edits of some parcels to the same project GeoPackage.

usage: /usr/bin/python3 qgis_commit.py PROJECT.gpkg TABLE DX DY FID...
Opens the table as a QgsVectorLayer (ogr provider), starts editing, moves each listed
feature by (DX, DY) with changeGeometry in the edit buffer, then commitChanges(). Prints the
seconds of commitChanges alone and of the whole edit (start editing to committed).
"""
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402

app = QgsApplication([], True)
app.initQgis()
path, table, dx, dy = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
fids = [int(f) for f in sys.argv[5:]]
layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
assert layer.isValid()
start = time.perf_counter()
layer.startEditing()
for fid in fids:
    geometry = layer.getFeature(fid).geometry()
    geometry.translate(dx, dy)
    assert layer.changeGeometry(fid, geometry)
commit_start = time.perf_counter()
assert layer.commitChanges(), layer.commitErrors()
end = time.perf_counter()
print(f"features={len(fids)} commit_s={end - commit_start:.4f} edit_s={end - start:.4f}")
