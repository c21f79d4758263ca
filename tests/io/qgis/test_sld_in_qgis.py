"""SLD both ways with QGIS 3.22: gisapp reads the SLD QGIS writes, QGIS reads the SLD gisapp writes."""

import geopandas as gpd
import pytest
import shapely

from gisapp.core.model.style import CategorizedStyle, Category, GraduatedStyle, Symbol
from gisapp.io.qgis.sld import style_to_sld
from gisapp.io.qgis.sld_reader import sld_to_style
from tests.io.qgis.conftest import run_pyqgis

SLD_BOTH_WAYS = """
def fill(color):
    return QgsFillSymbol.createSimple({"color": color, "outline_color": "#333333", "outline_width": "0.5"})

layer = QgsVectorLayer(args["source"], "plots", "ogr")
assert layer.isValid()
layer.setRenderer(QgsCategorizedSymbolRenderer("用地类型", [
    QgsRendererCategory("居住", fill("#e41a1c"), "居住用地"), QgsRendererCategory("绿地", fill("#4daf4a"), "绿地")]))
settings = QgsPalLayerSettings()
settings.fieldName = "名称"
text = QgsTextFormat()
text.setColor(QColor("#112233"))
settings.setFormat(text)
layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
layer.setLabelsEnabled(True)
layer.saveSldStyle(args["categorized"])
layer.setRenderer(QgsGraduatedSymbolRenderer("容积率", [QgsRendererRange(0, 1.5, fill("#fee5d9"), "低"),
                                                     QgsRendererRange(1.5, 3, fill("#de2d26"), "高")]))
layer.setLabelsEnabled(False)
layer.saveSldStyle(args["graduated"])

read = {}
for name, path in args["gisapp"].items():
    target = QgsVectorLayer(args["source"], name, "ogr")
    message, ok = target.loadSldStyle(path)
    assert ok, message
    renderer = target.renderer()
    rules = renderer.rootRule().children() if renderer.type() == "RuleRenderer" else []
    read[name] = {"type": renderer.type(),
                  "rules": [[r.filterExpression(), r.symbol().color().name(), r.symbol().color().alpha()] for r in rules],
                  "labels": target.labeling().settings().fieldName if target.labelsEnabled() and target.labeling() else ""}
result["read"] = read
"""

LAND_USE = CategorizedStyle("用地类型", [
    Category("居住", "居住用地", "居住用地", Symbol(fill="#f4d03f", fill_opacity=0.6)),
    Category("绿地", "绿地", "绿地", Symbol(fill="#27ae60"))], default=Symbol(fill="#cccccc"))
FAR = GraduatedStyle("容积率", [1.0, 4.0], [Symbol(fill="#fee5d9"), Symbol(fill="#de2d26")])


@pytest.fixture(scope="module")
def exchanged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sld")
    source = folder / "plots.gpkg"
    gpd.GeoDataFrame({"用地类型": ["居住"], "容积率": [2.0], "名称": ["一号地块"]},
                     geometry=[shapely.box(121.5, 38.8, 121.6, 38.9)], crs="EPSG:4326").to_file(source, layer="plots")
    written = {}
    for name, style in (("categorized", LAND_USE), ("graduated", FAR)):
        written[name] = folder / f"gisapp_{name}.sld"
        written[name].write_text(style_to_sld(style, "polygon", "地块", "名称"), encoding="utf-8")
    result = run_pyqgis(SLD_BOTH_WAYS, folder, source=str(source), categorized=str(folder / "qgis_cat.sld"),
                        graduated=str(folder / "qgis_grad.sld"), gisapp={k: str(v) for k, v in written.items()})
    return folder, result


def test_gisapp_reads_qgis_categorized_sld_with_labels(exchanged):
    folder, _ = exchanged
    found = sld_to_style((folder / "qgis_cat.sld").read_bytes())
    assert isinstance(found.style, CategorizedStyle) and found.style.field == "用地类型"
    assert [(c.value, c.label_zh, c.symbol.fill, c.symbol.stroke) for c in found.style.categories] == [
        ("居住", "居住用地", "#e41a1c", "#333333"), ("绿地", "绿地", "#4daf4a", "#333333")]
    assert found.labels.field == "名称" and found.labels.color == "#112233"
    assert found.geometry_family == "polygon"


def test_gisapp_reads_qgis_graduated_sld(exchanged):
    folder, _ = exchanged
    found = sld_to_style((folder / "qgis_grad.sld").read_bytes())
    assert isinstance(found.style, GraduatedStyle) and found.style.field == "容积率"
    assert found.style.breaks == [1.5, 3.0] and [s.fill for s in found.style.symbols_] == ["#fee5d9", "#de2d26"]


def test_qgis_reads_the_sld_gisapp_writes(exchanged):
    _, result = exchanged
    categorized, graduated = result["read"]["categorized"], result["read"]["graduated"]
    assert categorized["type"] == "RuleRenderer" and categorized["labels"] == "名称"
    assert [colour for _, colour, _ in categorized["rules"]] == ["#f4d03f", "#27ae60", "#cccccc"]
    # QGIS truncates opacity to an alpha byte (0.5 -> 127).
    assert [alpha for _, _, alpha in categorized["rules"]] == [int(s.fill_opacity * 255) for s in LAND_USE.symbols()]
    assert "居住" in categorized["rules"][0][0] and "用地类型" in categorized["rules"][0][0]
    assert [colour for _, colour, _ in graduated["rules"]] == ["#fee5d9", "#de2d26"]
    assert "容积率" in graduated["rules"][1][0] and "4" in graduated["rules"][1][0]
