"""Styles from fields and indicators: mapclassify schemes, categories and progress status."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gisapp.core.analysis.classify import (
    STATUS_FIELD,
    categorized_style,
    class_breaks,
    graduated_style,
    indicator_values,
    progress_status_style,
    style_by_progress,
    write_indicator_column,
    write_label_column,
)
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.style import Style
from gisapp.core.plan.actuals import Actual

VALUES = [1, 2, 3, 4, 5, 10, 20, 50, 51, 52]


def test_schemes_follow_mapclassify():
    assert class_breaks(VALUES, "quantiles", 4) == pytest.approx([3.25, 7.5, 42.5, 52])
    assert class_breaks(VALUES, "natural_breaks", 4) == [5, 10, 20, 52]
    assert class_breaks(VALUES, "equal_interval", 4) == pytest.approx([13.75, 26.5, 39.25, 52])
    assert class_breaks([3, 3, 3, np.nan], "quantiles", 5) == [3]  # fewer distinct values than classes
    with pytest.raises(ValueError, match="no numeric"):
        class_breaks(["a", None], "quantiles", 3)
    with pytest.raises(ValueError, match="unknown classification"):
        class_breaks(VALUES, "head_tail", 3)


def test_graduated_style_assigns_classes_and_round_trips():
    style = graduated_style(VALUES, "v", "natural_breaks", 4, ramp="YlOrRd")
    frame = gpd.GeoDataFrame({"v": [1, 5, 6, 52, None]}, geometry=[shapely.Point(0, 0)] * 5)
    assert style.assign(frame).tolist() == [0, 0, 1, 3, 4]  # 4 = no value
    assert [e.label("en") for e in style.legend()] == ["≤ 5", "5 – 10", "10 – 20", "20 – 52"]
    assert Style.from_dict(style.to_dict()).to_dict() == style.to_dict()
    assert style.symbols_[0].fill != style.symbols_[-1].fill


def test_categorized_style():
    style = categorized_style(["b", "a", "b", None], "kind", family="line")
    assert [c.value for c in style.categories] == ["a", "b"]
    assert style.categories[0].symbol.stroke_width == 3.0


@pytest.fixture
def clusters(bundled_project):
    return bundled_project.layer("hitech_core_zones"), bundled_project.indicators


def test_style_by_progress_colours_linked_zones(clusters):
    layer, catalog = clusters
    catalog.actuals.update([Actual("plan.t2.04", 2022, 7000), Actual("plan.t2.05", 2022, 250),
                            Actual("plan.t2.06", 2022, 140)])
    column = style_by_progress(layer, catalog)
    assert column == STATUS_FIELD
    statuses = dict(zip(layer.frame["id"], layer.frame[STATUS_FIELD], strict=True))
    assert statuses["hitech.core.lingshui_cid"] == "behind"  # patents behind, contracts achieved
    # Financial institutions: 140 in 2022 is above the line 121 + 29 * 0.4, short of 150.
    assert statuses["hitech.core.qixianling_cbd"] == "on_track"
    assert statuses["hitech.core"] == "no_data"  # digital economy share: nothing entered
    assert statuses["hitech.core.xiaopingdao_area"] == "not_linked"
    legend = [e.label("en") for e in layer.style.legend()]
    assert legend == ["On track", "Behind", "No data", "No linked indicator"]
    assert layer.style.symbols()[layer.symbol_index()[0]] is not None


def test_indicator_values_per_feature(clusters):
    layer, catalog = clusters
    catalog.actuals.update([Actual("plan.t2.03", 2022, 12, "hitech.core.lingshui_cid"),
                            Actual("plan.t2.03", 2022, 4, "hitech.core.qixianling_cbd")])
    latest = indicator_values(catalog, layer.frame, "plan.t2.03", "latest")
    assert latest.tolist()[1:3] == [4, 12] and np.isnan(latest.iloc[0])
    progress = indicator_values(catalog, layer.frame, "plan.t2.03", "progress")
    assert progress.iloc[2] == pytest.approx((12 - 5) / (10 - 5) * 100)
    column = write_indicator_column(layer, catalog, "plan.t2.03", "latest")
    style = graduated_style(layer.frame[column], column, "equal_interval", 2)
    assert style.assign(layer.frame).tolist()[:3] == [2, 0, 1]
    label = write_label_column(layer, catalog, "plan.t2.03", "latest")
    layer.label_field = label
    assert layer.label_texts("zh").tolist()[:3] == ["", "4 %", "12 %"]


def test_status_labels_follow_the_language(clusters):
    layer, catalog = clusters
    label = write_label_column(layer, catalog, "plan.t2.04", "status")
    layer.label_field = label
    zh = layer.label_texts("zh").tolist()
    en = layer.label_texts("en").tolist()
    row = layer.feature_row("hitech.core.lingshui_cid")
    assert (zh[row], en[row]) == ("暂无数据", "No data")


def test_progress_style_without_values_lists_every_status():
    assert len(progress_status_style().categories) == 6
    layer = VectorLayer("p", "p", "p", gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(0, 0)], crs=4326))
    assert layer.geometry_family == "point"
