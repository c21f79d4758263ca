import geopandas as gpd
import pandas as pd
import shapely

from gisapp.core.model.style import CategorizedStyle, GraduatedStyle, SingleStyle, Style, Symbol
from gisapp.core.plan.indicators import parse_target


def test_categorized_style_assigns_symbols_and_falls_back_to_default():
    style = Style.from_dict({
        "type": "categorized", "field": "kind",
        "categories": [{"value": "cluster", "label_zh": "组团", "label_en": "Cluster", "symbol": {"fill": "#ff0000"}},
                       {"value": "cbd", "label_zh": "商务区", "label_en": "CBD", "symbol": {"fill": "#00ff00"}}],
        "default": {"fill": "#999999"}})
    frame = pd.DataFrame({"kind": ["cbd", "cluster", "other", None]})
    index = style.assign(frame)
    symbols = style.symbols()
    assert [symbols[i].fill for i in index] == ["#00ff00", "#ff0000", "#999999", "#999999"]
    assert [e.label("zh") for e in style.legend()] == ["组团", "商务区"]


def test_styles_round_trip_through_dicts():
    styles = [
        SingleStyle(Symbol(fill="#123456", stroke_style="dash")),
        CategorizedStyle.from_dict({"type": "categorized", "field": "f", "categories": [
            {"value": "a", "label_zh": "甲", "label_en": "A", "symbol": {"marker": "star"}}]}),
        GraduatedStyle(field="v", breaks=[1, 5, 10], symbols_=[Symbol(fill=c) for c in ("#eee", "#999", "#333")]),
    ]
    for style in styles:
        assert Style.from_dict(style.to_dict()).to_dict() == style.to_dict()


def test_graduated_style_classes_numbers_and_marks_missing():
    style = GraduatedStyle(field="v", breaks=[1, 5, 10], symbols_=[Symbol(fill=c) for c in ("#eee", "#999", "#333")])
    frame = gpd.GeoDataFrame({"v": [0.5, 1, 3, 10, 99, None]}, geometry=[shapely.Point(0, 0)] * 6)
    assert style.assign(frame).tolist() == [0, 0, 1, 2, 2, 3]


def test_parse_target_kinds():
    assert (parse_target("7000-10000").low, parse_target("7000-10000").high) == (7000, 10000)
    assert (parse_target("<4").low, parse_target("<4").high) == (None, 4)
    assert (parse_target("＞7.5").low, parse_target("＞7.5").high) == (7.5, None)
    assert (parse_target(">=10").low, parse_target(">=10").high) == (10, None)
    assert parse_target("2000").low == parse_target("2000").high == 2000
    qualitative = parse_target("达到大连市要求")
    assert not qualitative.is_numeric and qualitative.text == "达到大连市要求"
