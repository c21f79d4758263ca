"""QGIS 3.22 with gisapp's georeferencing: the .points file, the fit and the GeoTIFF.

python3-qgis has no georeferencer API (its GCP list and .points loader are in the app), so the
script reads the file line by line as QgsGCPList::loadGcps does (the #CRS line through
QgsCoordinateReferenceSystem, then mapX,mapY,sourceX,sourceY,enable), fits QGIS's own
QgsGcpTransformerInterface on the enabled points and compares its residuals with gisapp's.
QGIS then opens the GeoTIFF gisapp wrote.
"""

import numpy as np
import pytest
import rasterio

from gisapp.core.geo.georef import ControlPoint, fit_points
from gisapp.io.georef import georeference, points_path, write_points

pytestmark = pytest.mark.xdist_group("qgis-georef")

SCRIPT = """
from qgis.analysis import QgsGcpTransformerInterface
lines = open(args["points"], encoding="utf-8").read().splitlines()
crs = QgsCoordinateReferenceSystem(lines[0].replace("#CRS: ", "")) if lines[0].startswith("#CRS: ") else None
result["crs_valid"] = bool(crs and crs.isValid())
result["crs"] = crs.authid() if crs else ""
source, destination, enabled = [], [], []
for line in lines[2:]:
    cells = line.split(",")
    destination.append(QgsPointXY(float(cells[0]), float(cells[1])))
    source.append(QgsPointXY(float(cells[2]), float(cells[3])))
    enabled.append(int(cells[4]) == 1 if len(cells) >= 5 else True)
methods = {"poly1": QgsGcpTransformerInterface.TransformMethod.PolynomialOrder1,
           "poly2": QgsGcpTransformerInterface.TransformMethod.PolynomialOrder2,
           "tps": QgsGcpTransformerInterface.TransformMethod.ThinPlateSpline}
transformer = QgsGcpTransformerInterface.create(methods[args["kind"]])
on = [i for i, e in enumerate(enabled) if e]
result["fitted"] = transformer.updateParametersFromGcps([source[i] for i in on], [destination[i] for i in on])
residuals = []
for s, d in zip(source, destination):
    ok, x, y = transformer.transform(s.x(), s.y(), False)
    residuals.append([x - d.x(), y - d.y()])
result["residuals"] = residuals
result["enabled"] = enabled
layer = QgsRasterLayer(args["tif"], "georeferenced")
result["tif_valid"] = layer.isValid()
result["tif_crs"] = layer.crs().authid()
e = layer.extent()
result["tif_extent"] = [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()]
result["tif_bands"] = layer.bandCount()
"""


def scan(x, y):
    u, v = (x - 530_000) / 10, (4_310_000 - y) / 10
    return u + 5e-5 * u * u + 1e-4 * u * v, v + 8e-5 * v * v


@pytest.mark.parametrize("kind", ["poly1", "poly2", "tps"])
def test_qgis_reads_the_points_and_fits_the_same_residuals(pyqgis, tmp_path, kind):
    image = tmp_path / "scan.tif"
    with rasterio.open(image, "w", driver="GTiff", width=400, height=300, count=1, dtype="uint8") as dst:
        dst.write(np.full((1, 300, 400), 200, dtype=np.uint8))
    rng = np.random.default_rng(7)
    points = []
    while len(points) < 9:
        x, y = 530_000 + rng.uniform(0, 3800), 4_310_000 - rng.uniform(0, 2800)
        col, row = scan(x, y)
        if 5 < col < 395 and 5 < row < 295:
            points.append(ControlPoint(col, row, x + rng.normal(0, 4), y + rng.normal(0, 4)))
    points[4] = ControlPoint(points[4].pixel_x, points[4].pixel_y, points[4].map_x + 60, points[4].map_y,
                             enabled=False)
    fit = fit_points(points, kind, "EPSG:4549")
    write_points(points_path(image), points, "EPSG:4549", fit)
    out = georeference(image, points, "EPSG:4549", kind, tmp_path / "out.tif", "EPSG:4549")
    found = pyqgis(SCRIPT, points=str(points_path(image)), kind=kind, tif=str(out.path))
    assert found["crs_valid"] and found["crs"] == "EPSG:4549"
    assert found["enabled"] == [p.enabled for p in points]
    assert found["fitted"]
    ours = np.array([[r.dx_map, r.dy_map] for r in fit.residuals])
    theirs = np.array(found["residuals"])
    on = np.array([p.enabled for p in points])
    # Least squares has one answer: QGIS's residuals are gisapp's, to a millimetre, at every
    # point (the disabled one is predicted, not fitted). Both splines pass through the enabled
    # points; between them GDAL's spline (gisapp) and QGIS's differ by centimetres.
    assert np.abs(theirs[on] - ours[on]).max() < 1e-3
    assert np.abs(theirs[~on] - ours[~on]).max() < (1e-3 if kind != "tps" else 0.5)
    if kind == "poly2":  # the scan's own model: the disabled point's 60 m error shows (a plane's
        assert np.hypot(*ours[4]) > 40  # misfit, or a spline bent by the others' noise, hides part)
    assert found["tif_valid"] and found["tif_crs"] == "EPSG:4549"
    with rasterio.open(out.path) as dst:
        assert found["tif_extent"] == pytest.approx(list(dst.bounds), abs=1e-6)
        assert found["tif_bands"] == dst.count
