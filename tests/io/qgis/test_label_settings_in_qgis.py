"""QGIS 3.22 reads gisapp's label settings from QML (placement, quadrant, distance, priority, scale
range, always show, halo, a template as an expression that QGIS evaluates to gisapp's text), and
gisapp reads the settings QGIS writes."""

import geopandas as gpd
import pytest
import shapely

from gisapp.core.model.labels import LabelStyle, label_texts
from gisapp.core.model.style import SingleStyle, Symbol
from gisapp.io.qgis import LabelSettings, qml_to_style, style_to_qml

DESCRIBE_LABELS = """
layer = QgsVectorLayer(args["source"], "t", "ogr")
assert layer.isValid(), args["source"]
message, ok = layer.loadNamedStyle(args["qml"])
assert ok, message
settings = layer.labeling().settings()
feature = next(layer.getFeatures())
context = QgsExpressionContext()
context.setFeature(feature)
expression = QgsExpression(settings.fieldName)
text_format = settings.format()  # kept: buffer() refers into it
result.update(
    enabled=layer.labelsEnabled(), is_expression=settings.isExpression, field=settings.fieldName,
    text=str(expression.evaluate(context)) if settings.isExpression else feature[settings.fieldName],
    placement=int(settings.placement), quadrant=int(settings.quadOffset), x=settings.xOffset, y=settings.yOffset,
    dist=settings.dist, priority=settings.priority, scale_visibility=settings.scaleVisibility,
    min_scale=settings.minimumScale, max_scale=settings.maximumScale, display_all=settings.displayAll,
    fit_inside=settings.fitInPolygonOnly, buffer=text_format.buffer().enabled(),
    size=text_format.size(), color=text_format.color().name())
"""

QGIS_WRITES_LABELS = """
layer = QgsVectorLayer(args["source"], "t", "ogr")
assert layer.isValid()
s = QgsPalLayerSettings()
s.fieldName = 'concat("名称", \\' \\', format_number("面积", 1))'
s.isExpression = True
s.placement = QgsPalLayerSettings.OverPoint
s.quadOffset = QgsPalLayerSettings.QuadrantAboveLeft
s.xOffset, s.yOffset = -4, -4
s.offsetUnits = QgsUnitTypes.RenderPixels
s.priority = 2
s.scaleVisibility = True
s.minimumScale, s.maximumScale = 500000, 1000
s.displayAll = True
layer.setLabeling(QgsVectorLayerSimpleLabeling(s))
layer.setLabelsEnabled(True)
message, ok = layer.saveNamedStyle(args["qml"])
assert ok, message
"""


def _layer_file(tmp_path, family):
    geometry = {"polygon": shapely.box(121.5, 38.8, 121.6, 38.9),
                "line": shapely.LineString([(121.5, 38.8), (121.6, 38.9)]),
                "point": shapely.Point(121.5, 38.8)}[family]
    frame = gpd.GeoDataFrame({"名称": ["一号地块"], "面积": [12.345]}, geometry=[geometry], crs="EPSG:4326")
    path = tmp_path / f"{family}.gpkg"
    frame.to_file(path, layer="plots", driver="GPKG")
    return str(path), frame


CASES = {
    "point-offset": ("point", LabelStyle(placement="offset", position="NW", distance_px=8, priority=9,
                                         min_scale=250_000, max_scale=2_000, always_show=True, size_pt=11,
                                         color="#aa0000"),
                     {"placement": 1, "quadrant": 0, "x": -5.66, "y": -5.66, "priority": 9, "scale_visibility": True,
                      "min_scale": 250_000, "max_scale": 2_000, "display_all": True, "size": 11, "color": "#aa0000"}),
    "point-around": ("point", LabelStyle(distance_px=4), {"placement": 0, "dist": 4, "scale_visibility": False}),
    "polygon-inside": ("polygon", LabelStyle(placement="inside", priority=1, halo=False),
                       {"placement": 4, "fit_inside": True, "priority": 1, "buffer": False}),
    "polygon-around": ("polygon", LabelStyle(), {"placement": 0, "fit_inside": False, "buffer": True}),
    "line-along": ("line", LabelStyle(placement="along"), {"placement": 2}),
    "line-horizontal": ("line", LabelStyle(), {"placement": 4}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_qgis_reads_gisapp_label_settings(tmp_path, pyqgis, case):
    family, style, expected = CASES[case]
    source, _ = _layer_file(tmp_path, family)
    qml = tmp_path / "labels.qml"
    qml.write_text(style_to_qml(SingleStyle(Symbol()), family, LabelSettings.of("名称", style)), encoding="utf-8")
    found = pyqgis(DESCRIBE_LABELS, source=source, qml=str(qml))
    assert found["enabled"] and found["field"] == "名称" and found["text"] == "一号地块"
    for key, value in expected.items():
        assert found[key] == pytest.approx(value), key
    # ...and gisapp reads its own file back to the same settings.
    assert qml_to_style(qml.read_text(encoding="utf-8")).labels == LabelSettings.of("名称", style)


def test_qgis_evaluates_a_template_to_the_text_gisapp_draws(tmp_path, pyqgis):
    source, frame = _layer_file(tmp_path, "polygon")
    style = LabelStyle(text="{名称}（{面积:.1f} km²）")
    qml = tmp_path / "labels.qml"
    qml.write_text(style_to_qml(SingleStyle(Symbol()), "polygon", LabelSettings.of("名称", style)), encoding="utf-8")
    found = pyqgis(DESCRIBE_LABELS, source=source, qml=str(qml))
    assert found["is_expression"]
    assert found["text"] == label_texts(frame, "名称", style, "zh")[0] == "一号地块（12.3 km²）"


def test_gisapp_reads_the_label_settings_qgis_writes(tmp_path, pyqgis):
    source, frame = _layer_file(tmp_path, "point")
    qml = tmp_path / "qgis.qml"
    pyqgis(QGIS_WRITES_LABELS, source=source, qml=str(qml))
    found = qml_to_style(qml.read_text(encoding="utf-8"))
    labels = found.labels
    assert found.notes == []
    assert labels.text == "{名称} {面积:.1f}" and label_texts(frame, "", labels, "zh")[0] == "一号地块 12.3"
    assert (labels.placement, labels.position, labels.distance_px) == ("offset", "NW", pytest.approx(5.66, abs=0.01))
    assert (labels.priority, labels.min_scale, labels.max_scale, labels.always_show) == (2, 500_000, 1_000, True)
