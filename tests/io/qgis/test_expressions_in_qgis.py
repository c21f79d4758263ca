"""gisapp's expressions give what QGIS's QgsExpression gives, on the bundled layers.

QGIS 3.22 (Debian's python3-qgis, headless) evaluates a table of expressions on three bundled
layers (polygons, a line, points), feature by feature, with an ellipsoidal (WGS84) measure in
metres; gisapp evaluates the same table over each layer at once. Values must agree: texts
and booleans exactly, numbers to 1e-9 relative, geodesic measures to 0.1 % (QGIS measures
with its own ellipsoidal algorithm, gisapp with pyproj's GeographicLib).
"""

from __future__ import annotations

import math

import pytest

from gisapp.core.analysis.expressions import Expression
from gisapp.io.catalogue import load_catalogue
from gisapp.paths import layers_dir

pytestmark = pytest.mark.xdist_group("qgis-expressions")

LAYERS = ("hitech_clusters", "hitech_corridor_centerline", "base_named_places")

# (expression, measure): measure=True compares with the 0.1 % tolerance of geodesic measures.
TABLE = [
    ("1 + 2 * 3", False), ("(1 + 2) * 3", False), ("7 / 2", False), ("7 // 2", False), ("7 % 3", False),
    ("-7 % 3", False), ("2 ^ 10", False), ("-2 ^ 2", False), ("1 / 0", False), ("NULL + 1", False),
    ("'1' + 2", False), ("'a' + 'b'", False), ("'10' < 9", False), ("'10' < '9'", False), ("3 <> 3.0", False),
    ("'a' || NULL", False), ("'a' || 1", False), ("concat('a', NULL, 2)", False),
    ("NULL AND false", False), ("NULL OR true", False), ("NULL AND true", False), ("NOT NULL", False),
    ("NULL IS NULL", False), ("1 IS NOT NULL", False), ("NULL = NULL", False),
    ("2 IN (1, 2, 3)", False), ("4 IN (1, NULL)", False), ("4 NOT IN (1, 2)", False),
    ("\"name_en\"", False), ("upper(name_en)", False), ("lower(\"name_zh\")", False), ("length(name_zh)", False),
    ("substr(name_en, 2, 3)", False), ("substr(name_en, -4)", False), ("substr(name_en, 0, 2)", False),
    ("left(name_en, 5)", False), ("right(name_en, 3)", False), ("strpos(name_en, 'an')", False),
    ("replace(name_en, 'a', 'A')", False), ("trim('  x  ')", False), ("regexp_match(name_en, '[aeiou]n')", False),
    ("name_en LIKE '%an%'", False), ("name_en ILIKE 'h%'", False), ("name_zh LIKE '%城%'", False),
    ("name_en NOT LIKE '_a%'", False),
    ("CASE WHEN length(name_en) > 20 THEN 'long' WHEN length(name_en) > 10 THEN 'medium' ELSE 'short' END", False),
    ("CASE WHEN kind = 'nothing' THEN 1 END", False), ("if(status = 'planned', 1, 0)", False),
    ("coalesce(NULL, parent_id, 'none')", False),
    ("abs(-3.5)", False), ("round(2.567, 2)", False), ("round(2.5)", False), ("floor(-2.5)", False),
    ("ceil(2.1)", False), ("sqrt(16)", False), ("min(3, NULL, 1)", False), ("max(3, 7.5, 1)", False),
    ("year(to_date('2025-03-14'))", False), ("month(to_date('2025-03-14'))", False),
    ("day(to_date('2025-03-14'))", False),
    ("day(age(to_date('2025-03-14'), to_date('2025-03-01')))", False),
    ("to_int('42') + 1", False), ("to_real('2.5') * 2", False), ("to_string(12) || 'x'", False),
    ("count(\"id\")", False), ("count(id, group_by:=kind)", False),
    ("count(id, filter:=status = 'planned')", False),
    ("minimum(length(name_en))", False), ("maximum(name_en)", False), ("mean(length(name_en), group_by:=kind)", False),
    ("sum(length(name_zh), group_by:=status, filter:=length(name_en) > 10)", False),
    ("$area", True), ("$area / 10000", True), ("$perimeter", True), ("$length", True),
    ("$area > 1000000", False),
]

QGIS_SCRIPT = """
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant
layer_results = {}
for name, path in args["layers"].items():
    layer = QgsVectorLayer(path, name, "ogr")
    assert layer.isValid(), path
    distance = QgsDistanceArea()
    distance.setSourceCrs(layer.crs(), QgsProject.instance().transformContext())
    distance.setEllipsoid("WGS84")
    features = list(layer.getFeatures())
    out = {}
    for text in args["expressions"]:
        expression = QgsExpression(text)
        expression.setGeomCalculator(distance)
        expression.setDistanceUnits(QgsUnitTypes.DistanceMeters)
        expression.setAreaUnits(QgsUnitTypes.AreaSquareMeters)
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        expression.prepare(context)
        values = []
        for feature in features:
            context.setFeature(feature)
            value = expression.evaluate(context)
            if expression.hasEvalError():
                values.append({"error": expression.evalErrorString()})
                continue
            if value is None or (isinstance(value, QVariant) and value.isNull()) or value == NULL:
                values.append(None)
            elif isinstance(value, (QDate, QDateTime)):
                values.append(value.toString("yyyy-MM-dd"))
            elif isinstance(value, QgsInterval):
                values.append(value.seconds())
            else:
                values.append(value)
        out[text] = values
    layer_results[name] = out
result["layers"] = layer_results
"""


@pytest.fixture(scope="module")
def qgis_values(module_pyqgis):
    layers = {name: str(layers_dir() / f"{name}.geojson") for name in LAYERS}
    return module_pyqgis(QGIS_SCRIPT, layers=layers, expressions=[text for text, _ in TABLE])["layers"]


@pytest.fixture(scope="module")
def project():
    return load_catalogue()


def _same(ours, theirs, measure: bool) -> bool:
    if theirs is None or ours is None:
        return ours is None and theirs is None
    if isinstance(theirs, bool) or isinstance(ours, bool):
        return bool(ours) == bool(theirs) and not isinstance(theirs, str)
    if isinstance(theirs, (int, float)) and isinstance(ours, (int, float)):
        tolerance = 1e-3 if measure else 1e-9
        return math.isclose(float(ours), float(theirs), rel_tol=tolerance, abs_tol=1e-9)
    return str(ours) == str(theirs)


@pytest.mark.parametrize("layer_id", LAYERS)
def test_expressions_agree_with_qgis(qgis_values, project, layer_id):
    layer = project.layer(layer_id)
    differences = []
    for text, measure in TABLE:
        theirs = qgis_values[layer_id][text]
        assert not any(isinstance(v, dict) for v in theirs), f"QGIS failed on {text}: {theirs[:1]}"
        ours = Expression(text).values(layer)
        if len(ours) != len(theirs) or not all(_same(a, b, measure) for a, b in zip(ours, theirs, strict=True)):
            differences.append(f"{text}: gisapp {ours[:3]} QGIS {theirs[:3]}")
    assert not differences, "\n".join(differences)


def test_aggregated_areas_are_the_sums_of_feature_areas(qgis_values, project):
    """QGIS 3.22 evaluates ``$area`` inside an aggregate without the expression's ellipsoid
    (its sum comes out 1/cos(latitude) too large), so the aggregate is checked against the
    sum of QGIS's own per-feature areas."""
    layer = project.layer("hitech_clusters")
    areas = qgis_values["hitech_clusters"]["$area"]
    groups = layer.frame["kind"].tolist()
    ours = Expression("sum($area, group_by:=kind)").values(layer)
    for row, group in enumerate(groups):
        expected = sum(area for area, other in zip(areas, groups, strict=True) if other == group)
        assert math.isclose(ours[row], expected, rel_tol=1e-3)
