"""QML written by gisapp reads back into the same style, without QGIS."""

import xml.etree.ElementTree as ET

import pytest

from gisapp.core.model.style import CategorizedStyle, Category, GraduatedStyle, SingleStyle, Symbol
from gisapp.io.qgis import LabelSettings, qml_to_style, style_to_qml

LAND_USE = CategorizedStyle("用地类型", [
    Category("居住", "居住用地", "Residential", Symbol(fill="#f4d03f", fill_opacity=0.7, stroke="#7d6608")),
    Category("绿地", "绿地", "Green", Symbol(fill="#27ae60", fill_opacity=0.6, stroke="#145a32", stroke_width=2)),
], default=Symbol(fill="#cccccc", fill_opacity=0.3))
FAR = GraduatedStyle("容积率", [1.0, 2.5, 4.0],
                     [Symbol(fill="#fee5d9"), Symbol(fill="#fc9272"), Symbol(fill="#de2d26")])


@pytest.mark.parametrize("family", ["polygon", "line", "point"])
@pytest.mark.parametrize("style", [SingleStyle(Symbol(fill="#123456", fill_opacity=0.25, stroke="#abcdef",
                                                      stroke_width=2.5, stroke_style="dash", size=11,
                                                      marker="square")), LAND_USE, FAR],
                         ids=["single", "categorized", "graduated"])
def test_style_round_trips_through_qml(style, family):
    labels = LabelSettings(field="名称", size_pt=11, color="#102030", halo_width_px=2)
    found = qml_to_style(style_to_qml(style, family, labels, opacity=0.65))
    assert found.notes == []
    assert found.opacity == 0.65
    assert found.labels == labels
    assert type(found.style) is type(style)
    expected, got = style.symbols(), found.style.symbols()
    for want, have in zip(expected, got, strict=True):
        assert have.stroke == want.stroke and have.stroke_width == want.stroke_width
        assert have.stroke_style == want.stroke_style
        if family != "line":  # lines have no fill in QGIS
            assert have.fill == want.fill and have.fill_opacity == pytest.approx(want.fill_opacity, abs=0.003)
        if family == "point":
            assert have.size == want.size and have.marker == want.marker
    if isinstance(style, CategorizedStyle):
        assert [(c.value, c.label_zh) for c in found.style.categories] == [(c.value, c.label_zh)
                                                                          for c in style.categories]
        assert found.style.field == style.field
    if isinstance(style, GraduatedStyle):
        assert found.style.breaks == style.breaks and found.style.field == style.field


def test_widths_are_pixels_and_labels_off_without_a_field():
    root = ET.fromstring(style_to_qml(SingleStyle(), "polygon").split("\n", 1)[1])
    assert root.get("labelsEnabled") == "0" and root.find("labeling") is None
    units = {o.get("name"): o.get("value") for o in root.iter("Option") if o.get("name", "").endswith("unit")}
    assert units == {"outline_width_unit": "Pixel"}


def test_millimetres_convert_at_96_dpi_and_rule_based_is_simplified_with_a_note():
    qml = """<qgis labelsEnabled="0"><renderer-v2 type="RuleRenderer">
      <rules key="r"><rule symbol="0" filter="&quot;kind&quot; = 'A'" label="Type A"/>
        <rule symbol="1" filter="ELSE"/></rules>
      <symbols>
        <symbol type="fill" name="0" alpha="0.5"><layer class="SimpleFill" enabled="1">
          <prop k="color" v="255,0,0,255"/><prop k="outline_width" v="0.5"/><prop k="outline_width_unit" v="MM"/>
        </layer></symbol>
        <symbol type="fill" name="1" alpha="1"><layer class="SimpleFill" enabled="1">
          <prop k="color" v="0,0,255,255"/></layer></symbol>
      </symbols></renderer-v2><layerOpacity>0.8</layerOpacity></qgis>"""
    found = qml_to_style(qml)
    assert isinstance(found.style, CategorizedStyle)
    assert found.style.field == "kind"
    (category,) = found.style.categories
    assert (category.value, category.label_zh, category.symbol.fill) == ("A", "Type A", "#ff0000")
    assert category.symbol.fill_opacity == 0.5 and category.symbol.stroke_width == pytest.approx(1.89)
    assert found.style.default.fill == "#0000ff"
    assert found.opacity == 0.8
    assert any("rule-based" in note.message for note in found.notes)


def test_unsupported_rules_fall_back_to_one_symbol_and_say_so():
    qml = """<qgis><renderer-v2 type="RuleRenderer"><rules key="r">
      <rule symbol="0" filter="&quot;area&quot; > 100 OR &quot;kind&quot; = 'x'"/></rules>
      <symbols><symbol type="line" name="0"><layer class="SimpleLine" enabled="1">
        <prop k="line_color" v="0,128,0,255"/><prop k="line_width" v="3"/><prop k="line_width_unit" v="Pixel"/>
      </layer></symbol></symbols></renderer-v2></qgis>"""
    found = qml_to_style(qml)
    assert isinstance(found.style, SingleStyle)
    assert (found.style.symbol.stroke, found.style.symbol.stroke_width) == ("#008000", 3.0)
    assert [n.message for n in found.notes] == ["rule-based renderer with filters gisapp cannot express: every feature drawn "
                           "with the first rule's symbol"]


def test_data_defined_properties_are_named_as_ignored():
    qml = style_to_qml(SingleStyle(), "polygon").replace(
        "</layer>", '<data_defined_properties><Option type="Map"><Option name="properties" type="Map">'
        '<Option name="fillColor" type="Map"><Option name="active" value="true" type="bool"/>'
        '<Option name="expression" value="color_rgb(1,2,3)" type="QString"/></Option></Option></Option>'
        "</data_defined_properties></layer>", 1)
    assert [n.message for n in qml_to_style(qml).notes] == ["data-defined (expression) properties ignored"]
