"""Peer: QGIS 3.22 evaluating expressions over every feature of the parcels.

usage: /usr/bin/python3 qgis_expression.py PARCELS.gpkg EXPRESSION...
For each expression, the features are read once into memory first (not timed), then
QgsExpression is prepared and evaluated feature by feature with an ellipsoidal (WGS84)
measure in metres, as the field calculator and select by expression do. Prints the seconds
of each evaluation.
"""
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsDistanceArea,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsProject,
    QgsUnitTypes,
    QgsVectorLayer,
)

app = QgsApplication([], True)
app.initQgis()
path, texts = sys.argv[1], sys.argv[2:]
layer = QgsVectorLayer(path, "parcels", "ogr")
assert layer.isValid()
features = list(layer.getFeatures())
distance = QgsDistanceArea()
distance.setSourceCrs(layer.crs(), QgsProject.instance().transformContext())
distance.setEllipsoid("WGS84")
figures = []
for number, text in enumerate(texts):
    expression = QgsExpression(text)
    expression.setGeomCalculator(distance)
    expression.setDistanceUnits(QgsUnitTypes.DistanceMeters)
    expression.setAreaUnits(QgsUnitTypes.AreaSquareMeters)
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    start = time.perf_counter()
    expression.prepare(context)
    matches = 0
    for feature in features:
        context.setFeature(feature)
        if expression.evaluate(context):
            matches += 1
    figures.append(f"e{number}_s={time.perf_counter() - start:.4f} e{number}_true={matches}")
print("features={} {}".format(len(features), " ".join(figures)))
