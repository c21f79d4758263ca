"""``.qml`` and ``.sld`` files applied to a layer and written from one, without QGIS; hostile
files leave the layer as it was and name the file and the problem."""

import os

import geopandas as gpd
import pytest
import shapely

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.style import CategorizedStyle, Category, GraduatedStyle, SingleStyle, Symbol
from gisapp.io.errors import GisIOError
from gisapp.io.qgis import style_to_qml
from gisapp.io.qgis.sld import style_to_sld
from gisapp.io.qgis.sld_reader import sld_to_style
from gisapp.io.qgis.style_files import apply_style_file, write_style_file

LAND_USE = CategorizedStyle("用地类型", [
    Category("居住", "居住用地", "居住用地", Symbol(fill="#f4d03f", fill_opacity=0.7, stroke="#7d6608")),
    Category("绿地", "绿地", "绿地", Symbol(fill="#27ae60", fill_opacity=0.6, stroke="#145a32", stroke_width=2,
                                        stroke_style="dash")),
], default=Symbol(fill="#cccccc", fill_opacity=0.3, stroke="#999999"))
FAR = GraduatedStyle("容积率", [1.0, 2.5, 4.0], [Symbol(fill="#fee5d9"), Symbol(fill="#fc9272"), Symbol(fill="#de2d26")])


def _layer(family="polygon"):
    geometry = {"polygon": shapely.box(121.5, 38.8, 121.6, 38.9), "line": shapely.LineString([(121.5, 38.8), (121.6, 38.9)]),
                "point": shapely.Point(121.5, 38.8)}[family]
    frame = gpd.GeoDataFrame({"用地类型": ["居住"], "容积率": [2.0], "名称": ["一号地块"]}, geometry=[geometry],
                             crs="EPSG:4326")
    return VectorLayer(id="plots", title_zh="地块", title_en="Plots", frame=frame,
                       style=SingleStyle(Symbol(fill="#123456")), opacity=0.9, label_field="")


@pytest.mark.parametrize("family", ["polygon", "line", "point"])
@pytest.mark.parametrize("style", [SingleStyle(Symbol(fill="#123456", fill_opacity=0.25, stroke="#abcdef",
                                                      stroke_width=2.5, stroke_style="dot", size=11, marker="square")),
                                   LAND_USE, FAR], ids=["single", "categorized", "graduated"])
def test_style_round_trips_through_sld(style, family):
    found = sld_to_style(style_to_sld(style, family, "地块", "名称"))
    assert found.notes == [] and found.geometry_family == family
    # The writer gives labels the canvas's look: 9 pt, a 1.5 px white halo.
    assert (found.labels.field, found.labels.size_pt, found.labels.halo_width_px) == ("名称", 9.0, 1.5)
    assert type(found.style) is type(style)
    for want, have in zip(style.symbols()[:len(found.style.symbols())], found.style.symbols(), strict=False):
        assert (have.stroke, have.stroke_width, have.stroke_style) == (want.stroke, want.stroke_width, want.stroke_style)
        if family != "line":
            assert (have.fill, have.fill_opacity) == (want.fill, want.fill_opacity)
        if family == "point":
            assert (have.size, have.marker) == (want.size, want.marker)
    if isinstance(style, CategorizedStyle):
        assert [(c.value, c.label_zh) for c in found.style.categories] == [(c.value, c.label_zh) for c in style.categories]
        assert found.style.default.stroke == style.default.stroke
        if family == "polygon":
            assert found.style.default == style.default
    if isinstance(style, GraduatedStyle):
        assert (found.style.field, found.style.breaks) == (style.field, style.breaks)


SLD_1_0 = """<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc">
 <NamedLayer><Name>plots</Name><UserStyle><FeatureTypeStyle>
  <Rule><Name>居住</Name><Title>居住用地</Title>
   <ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>用地类型</ogc:PropertyName><ogc:Literal>居住</ogc:Literal>
   </ogc:PropertyIsEqualTo></ogc:Filter>
   <PolygonSymbolizer><Fill><CssParameter name="fill">#FF0000</CssParameter>
    <CssParameter name="fill-opacity">0.5</CssParameter></Fill>
    <Stroke><CssParameter name="stroke">#000000</CssParameter><CssParameter name="stroke-width">3</CssParameter></Stroke>
   </PolygonSymbolizer></Rule>
  <Rule><TextSymbolizer><Label><ogc:PropertyName>名称</ogc:PropertyName></Label></TextSymbolizer></Rule>
 </FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>"""


def test_sld_1_0_with_css_parameters_is_read(tmp_path):
    path = tmp_path / "old.sld"
    path.write_text(SLD_1_0, encoding="utf-8")
    layer = _layer()
    notes = apply_style_file(layer, path)
    assert isinstance(layer.style, CategorizedStyle) and layer.style.field == "用地类型"
    (category,) = layer.style.categories
    assert (category.value, category.label_zh, category.symbol.fill, category.symbol.fill_opacity,
            category.symbol.stroke_width) == ("居住", "居住用地", "#ff0000", 0.5, 3.0)
    assert layer.label_field == "名称" and layer.opacity == 1.0
    assert [n.code for n in notes] == ["outside_categories"]
    assert not layer.label_style.halo  # the SLD's labels have no halo, and gisapp draws them so
    assert notes[0].message_in("zh") == "不属于任何分类的值用 gisapp 的默认符号绘制"


def test_written_qml_and_sld_apply_back_to_a_layer(tmp_path):
    source = _layer()
    source.style, source.opacity, source.label_field = LAND_USE, 0.6, "名称"
    for suffix in (".qml", ".sld"):
        path = tmp_path / f"plots{suffix}"
        write_style_file(source, path)
        target = _layer()
        assert apply_style_file(target, path) == []
        assert target.label_field == "名称" and target.style.field == LAND_USE.field
        assert [c.value for c in target.style.categories] == [c.value for c in LAND_USE.categories]
        for have, want in zip(target.style.symbols(), LAND_USE.symbols(), strict=True):
            # QML stores opacity as an alpha byte (0.7 -> 178/255).
            assert have.with_(fill_opacity=round(have.fill_opacity, 2)) == want
        assert target.opacity == (0.6 if suffix == ".qml" else 1.0)  # SLD has no layer opacity


BOMB = ('<?xml version="1.0"?><!DOCTYPE qgis [<!ENTITY a "aaaaaaaaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + n)} "' + f"&{chr(97 + n)};" * 10 + '">' for n in range(8))
        + ']><qgis><layerOpacity>&i;</layerOpacity></qgis>')
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE qgis [<!ENTITY x SYSTEM "file:///etc/passwd">]><qgis>&x;</qgis>'
HEATMAP = '<qgis><renderer-v2 type="heatmapRenderer" radius="10"/></qgis>'
LINES = style_to_qml(SingleStyle(), "line")


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("text.qml", "this is not XML", "not valid XML"),
    ("bomb.qml", BOMB, "declares entities"),
    ("external.sld", EXTERNAL, "declares entities"),
    ("heatmap.qml", HEATMAP, "renderer 'heatmapRenderer' is not one gisapp can draw"),
    ("lines.qml", LINES, "the style is for lines, but the layer holds polygons"),
    ("other.qml", "<html><body/></html>", "not a QGIS style"),
    ("other.sld", "<qgis/>", "not an SLD style"),
    ("deep.qml", "<qgis><renderer-v2 type='RuleRenderer'><rules>" + "<rule>" * 5000 + "</rule>" * 5000
     + "</rules></renderer-v2></qgis>", "nested too deeply"),
    ("gbk.qml", "<qgis>用地</qgis>".encode("gbk"), "not UTF-8"),
])
def test_hostile_style_files_leave_the_layer_as_it_was(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    layer = _layer()
    before = (layer.style.to_dict(), layer.opacity, layer.label_field)
    with pytest.raises(GisIOError) as raised:
        apply_style_file(layer, path)
    assert str(raised.value).startswith(f"{name}: ") and problem in str(raised.value)
    assert (layer.style.to_dict(), layer.opacity, layer.label_field) == before


def test_a_huge_style_file_and_a_pipe_are_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.qml"
    with open(huge, "wb") as handle:
        handle.truncate(200 * 2**20)  # sparse: no disk used
    with pytest.raises(GisIOError, match="huge.qml: the style file is too large"):
        apply_style_file(_layer(), huge)
    pipe = tmp_path / "pipe.sld"
    os.mkfifo(pipe)
    with pytest.raises(GisIOError, match="pipe.sld: "):
        apply_style_file(_layer(), pipe)
