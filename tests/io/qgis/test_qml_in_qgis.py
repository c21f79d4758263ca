"""QGIS 3.22 itself reads gisapp's QML, and gisapp reads the QML QGIS writes."""

import sqlite3
from contextlib import closing

import geopandas as gpd
import pytest
import shapely

from gisapp.core.model.style import CategorizedStyle, Category, GraduatedStyle, SingleStyle, Symbol
from gisapp.io.qgis import LabelSettings, qml_to_style, style_to_qml
from gisapp.io.qgis.layer_styles import StoredStyle, geometry_columns, write_default_styles

DESCRIBE_STYLE = """
layer = QgsVectorLayer(args["source"], "t", "ogr")
assert layer.isValid(), args["source"]
message, ok = layer.loadNamedStyle(args["qml"])
assert ok, message
renderer = layer.renderer()

def color(c):
    return [c.name(), c.alpha()]

def symbol(s):
    sl = s.symbolLayer(0)
    props = sl.properties()
    return {"class": sl.layerType(), "fill": color(sl.color()) if sl.layerType() != "SimpleLine" else None,
            "stroke": color(sl.strokeColor()) if sl.layerType() != "SimpleLine" else color(sl.color()),
            "width": props.get("outline_width", props.get("line_width")),
            "width_unit": props.get("outline_width_unit", props.get("line_width_unit")),
            "size": props.get("size"), "opacity": s.opacity()}

result["type"] = renderer.type()
if renderer.type() == "categorizedSymbol":
    result["field"] = renderer.classAttribute()
    result["categories"] = [[c.value(), c.label(), symbol(c.symbol())] for c in renderer.categories()]
elif renderer.type() == "graduatedSymbol":
    result["field"] = renderer.classAttribute()
    result["ranges"] = [[r.lowerValue(), r.upperValue(), symbol(r.symbol())] for r in renderer.ranges()]
else:
    result["symbol"] = symbol(renderer.symbol())
result["opacity"] = layer.opacity()
result["labels_enabled"] = layer.labelsEnabled()
if layer.labeling() is not None:
    settings = layer.labeling().settings()
    text = settings.format()
    result["label"] = {"field": settings.fieldName, "family": text.font().family(), "size": text.size(),
                       "color": color(text.color()), "buffer": text.buffer().enabled(),
                       "buffer_color": color(text.buffer().color()), "buffer_size": text.buffer().size(),
                       "buffer_unit": text.buffer().sizeUnit() == QgsUnitTypes.RenderPixels}
"""

LAND_USE = CategorizedStyle("用地类型", [
    Category("居住", "居住用地", "Residential", Symbol(fill="#f4d03f", fill_opacity=0.7, stroke="#7d6608")),
    Category("绿地", "绿地", "Green", Symbol(fill="#27ae60", fill_opacity=0.6, stroke="#145a32", stroke_width=2)),
], default=Symbol(fill="#cccccc", fill_opacity=0.3, stroke="#999999"))


def _layer_file(tmp_path, family):
    geometry = {"polygon": shapely.box(121.5, 38.8, 121.6, 38.9),
                "line": shapely.LineString([(121.5, 38.8), (121.6, 38.9)]),
                "point": shapely.Point(121.5, 38.8)}[family]
    frame = gpd.GeoDataFrame({"用地类型": ["居住"], "容积率": [2.0], "名称": ["一号地块"]},
                             geometry=[geometry], crs="EPSG:4326")
    path = tmp_path / f"{family}.gpkg"
    frame.to_file(path, layer="plots", driver="GPKG")
    return str(path)


def _alpha(opacity):
    return round(opacity * 255)


def test_qgis_reads_a_categorized_style_with_labels_and_opacity(tmp_path, pyqgis):
    # An installed family (bootstrap.sh installs it): QGIS reports the font it resolved.
    labels = LabelSettings(field="名称", font_family="WenQuanYi Micro Hei", size_pt=10, color="#202020")
    qml_path = tmp_path / "style.qml"
    qml_path.write_text(style_to_qml(LAND_USE, "polygon", labels, opacity=0.8), encoding="utf-8")
    found = pyqgis(DESCRIBE_STYLE, source=_layer_file(tmp_path, "polygon"), qml=str(qml_path))
    assert found["type"] == "categorizedSymbol" and found["field"] == "用地类型"
    expected = [[c.value, c.label_zh, c.symbol] for c in LAND_USE.categories] + [["", "", LAND_USE.default]]
    assert [[value, label] for value, label, _ in found["categories"]] == [[v, lab] for v, lab, _ in expected]
    for (_, _, got), (_, _, want) in zip(found["categories"], expected, strict=True):
        assert got["class"] == "SimpleFill"
        assert got["fill"] == [want.fill, _alpha(want.fill_opacity)]
        assert got["stroke"] == [want.stroke, 255]
        assert float(got["width"]) == want.stroke_width and got["width_unit"] == "Pixel"
    assert found["opacity"] == pytest.approx(0.8)
    assert found["labels_enabled"] is True
    label = found["label"]
    assert (label["field"], label["family"], label["size"], label["color"]) == ("名称", labels.font_family,
                                                                               10, ["#202020", 255])
    assert label["buffer"] and label["buffer_color"] == ["#ffffff", 230]
    assert label["buffer_size"] == 1.5 and label["buffer_unit"]


def test_qgis_reads_graduated_ranges(tmp_path, pyqgis):
    style = GraduatedStyle("容积率", [1.0, 2.5, 4.0],
                           [Symbol(fill="#fee5d9"), Symbol(fill="#fc9272"), Symbol(fill="#de2d26")])
    qml_path = tmp_path / "style.qml"
    qml_path.write_text(style_to_qml(style, "polygon", opacity=0.5), encoding="utf-8")
    found = pyqgis(DESCRIBE_STYLE, source=_layer_file(tmp_path, "polygon"), qml=str(qml_path))
    assert found["type"] == "graduatedSymbol" and found["field"] == "容积率"
    assert [upper for _, upper, _ in found["ranges"]] == style.breaks
    assert [lower for lower, _, _ in found["ranges"]][1:] == style.breaks[:-1]
    assert found["ranges"][0][0] < -1e300  # gisapp's first class is open below
    assert [s["fill"][0] for _, _, s in found["ranges"]] == [s.fill for s in style.symbols_]
    assert found["opacity"] == 0.5 and found["labels_enabled"] is False


@pytest.mark.parametrize("family", ["line", "point"])
def test_qgis_reads_line_and_marker_symbols_in_pixels(tmp_path, pyqgis, family):
    symbol = Symbol(fill="#ff8800", fill_opacity=0.9, stroke="#003366", stroke_width=3, size=12)
    qml_path = tmp_path / "style.qml"
    qml_path.write_text(style_to_qml(SingleStyle(symbol), family), encoding="utf-8")
    found = pyqgis(DESCRIBE_STYLE, source=_layer_file(tmp_path, family), qml=str(qml_path))
    got = found["symbol"]
    assert found["type"] == "singleSymbol"
    assert got["stroke"] == ["#003366", 255] and float(got["width"]) == 3 and got["width_unit"] == "Pixel"
    if family == "point":
        assert got["class"] == "SimpleMarker" and float(got["size"]) == 12
        assert got["fill"] == ["#ff8800", _alpha(0.9)]
    else:
        assert got["class"] == "SimpleLine"


QGIS_WRITES_CATEGORIZED = """
layer = QgsVectorLayer(args["source"], "t", "ogr")
categories = []
for value, fill in [("居住", "#e41a1c"), ("绿地", "#4daf4a"), ("工业", "#377eb8")]:
    s = QgsFillSymbol.createSimple({"color": fill, "outline_color": "#333333", "outline_width": "0.5",
                                    "outline_width_unit": "MM"})
    categories.append(QgsRendererCategory(value, s, value + "用地"))
layer.setRenderer(QgsCategorizedSymbolRenderer("用地类型", categories))
layer.setOpacity(0.8)
settings = QgsPalLayerSettings()
settings.fieldName = "名称"
text = QgsTextFormat()
text.setFont(QFont("WenQuanYi Micro Hei"))
text.setSize(12)
text.setColor(QColor("#112233"))
buffer = QgsTextBufferSettings()
buffer.setEnabled(True)
buffer.setSize(1)
buffer.setColor(QColor("#fafafa"))
text.setBuffer(buffer)
settings.setFormat(text)
layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
layer.setLabelsEnabled(True)
layer.saveNamedStyle(args["qml"])
if args.get("rule_based"):
    layer.setRenderer(QgsRuleBasedRenderer.convertFromRenderer(layer.renderer()))
    layer.saveNamedStyle(args["qml"])
"""


@pytest.mark.parametrize("rule_based", [False, True], ids=["categorized", "rule-based"])
def test_gisapp_reads_the_categorized_style_qgis_writes(tmp_path, pyqgis, rule_based):
    qml_path = tmp_path / "qgis.qml"
    pyqgis(QGIS_WRITES_CATEGORIZED, source=_layer_file(tmp_path, "polygon"), qml=str(qml_path),
           rule_based=rule_based)
    found = qml_to_style(qml_path.read_text(encoding="utf-8"))
    assert isinstance(found.style, CategorizedStyle) and found.style.field == "用地类型"
    assert [(c.value, c.label_zh, c.symbol.fill, c.symbol.fill_opacity, c.symbol.stroke)
            for c in found.style.categories] == [
        ("居住", "居住用地", "#e41a1c", 1.0, "#333333"),
        ("绿地", "绿地用地", "#4daf4a", 1.0, "#333333"),
        ("工业", "工业用地", "#377eb8", 1.0, "#333333"),
    ]
    assert all(c.symbol.stroke_width == pytest.approx(0.5 * 96 / 25.4, abs=0.01) for c in found.style.categories)
    assert found.opacity == pytest.approx(0.8)
    assert found.labels == LabelSettings(field="名称", font_family="WenQuanYi Micro Hei", size_pt=12,
                                         color="#112233", halo_color="#fafafa", halo_opacity=1.0,
                                         halo_width_px=pytest.approx(96 / 25.4, abs=0.01))
    outside = "values outside the categories are drawn with gisapp's default symbol"
    if rule_based:
        assert [n.message for n in found.notes] == ["rule-based renderer read as categories of field '用地类型'",
                                                    outside]
        assert found.notes[0].message_in("zh") == "基于规则的样式按字段 '用地类型' 的分类读取"
    else:
        assert [n.message for n in found.notes] == [outside]


DEFAULT_STYLE_OF_LAYER = """
layer = QgsVectorLayer(args["source"] + "|layername=plots", "plots", "ogr")
assert layer.isValid()
renderer = layer.renderer()
result["type"] = renderer.type()
result["categories"] = [[c.value(), c.symbol().color().name()] for c in renderer.categories()] \\
    if renderer.type() == "categorizedSymbol" else []
result["opacity"] = layer.opacity()
result["label_field"] = layer.labeling().settings().fieldName if layer.labeling() else ""
"""


def test_qgis_loads_the_default_style_gisapp_stores_in_layer_styles(tmp_path, pyqgis):
    source = _layer_file(tmp_path, "polygon")
    # A colleague's older default for the same table stays in the file; gisapp's newer row wins.
    pyqgis(QGIS_WRITES_CATEGORIZED + """
layer.saveStyleToDatabase("colleague", "", True, "")
""", source=source, qml=str(tmp_path / "unused.qml"))
    write_default_styles(source, [StoredStyle("plots", geometry_columns(source)["plots"], "土地利用",
                                              style_to_qml(LAND_USE, "polygon", LabelSettings(field="名称"), 0.7))])
    with closing(sqlite3.connect(source)) as connection:
        assert connection.execute("SELECT styleName, useAsDefault FROM layer_styles ORDER BY id").fetchall() == [
            ("colleague", 1), ("gisapp", 1)]
    found = pyqgis(DEFAULT_STYLE_OF_LAYER, source=source)
    assert found["type"] == "categorizedSymbol"
    assert found["categories"] == [[c.value, c.symbol.fill] for c in LAND_USE.categories] + [["", "#cccccc"]]
    assert found["opacity"] == pytest.approx(0.7) and found["label_field"] == "名称"
