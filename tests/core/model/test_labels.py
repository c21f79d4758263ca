"""Label settings: texts from a field or a template in the UI language, capped; stored dicts checked."""

import pandas as pd
import pytest

from gisapp.core.model.labels import (
    MAX_LABEL_CHARS,
    LabelStyle,
    has_text,
    label_texts,
    template_problem,
)
from gisapp.core.model.style import StyleError

FRAME = pd.DataFrame({"name_zh": ["英歌石科学城", None], "name_en": ["Yingeshi Science City", "Lab"],
                      "area": [21.895, 3.0], "note": ["长" * 3_000_000, "short"]})


def test_a_field_follows_the_language_unless_told_not_to():
    assert label_texts(FRAME, "name_zh", LabelStyle(), "en").tolist() == ["Yingeshi Science City", "Lab"]
    assert label_texts(FRAME, "name_zh", LabelStyle(), "zh").tolist() == ["英歌石科学城", ""]
    assert label_texts(FRAME, "name_zh", LabelStyle(follow_language=False), "en").tolist() == ["英歌石科学城", ""]


def test_a_template_mixes_fields_and_number_formats():
    style = LabelStyle(text="{name_zh} {area:.1f} km²")
    assert label_texts(FRAME, "", style, "zh").tolist() == ["英歌石科学城 21.9 km²", "3.0 km²"]
    assert label_texts(FRAME, "", style, "en").tolist() == ["Yingeshi Science City 21.9 km²", "Lab 3.0 km²"]
    assert template_problem("{name_zh} {area:.1f}", FRAME.columns) is None
    assert "no field 'height'" in template_problem("{height}", FRAME.columns)
    # A width that would allocate a gigabyte is no number format gisapp formats with.
    assert "not a number format" in template_problem("{area:999999999}", FRAME.columns)
    assert label_texts(FRAME, "", LabelStyle(text="{area:999999999}"), "en").tolist() == ["21.895", "3.0"]


def test_an_evaluator_replaces_field_and_template():
    texts = label_texts(FRAME, "name_zh", LabelStyle(text="{area}"), "en",
                        evaluate=lambda frame: frame["area"].round().astype(int).astype(str) + " km²")
    assert texts.tolist() == ["22 km²", "3 km²"]


def test_huge_texts_are_capped_before_anyone_measures_them():
    texts = label_texts(FRAME, "note", LabelStyle(), "zh").tolist()
    assert len(texts[0]) == MAX_LABEL_CHARS and texts[0].endswith("…") and texts[1] == "short"
    assert len(label_texts(FRAME, "", LabelStyle(text="{note}!"), "zh")[0]) == MAX_LABEL_CHARS


def test_has_text():
    assert has_text("name_zh", LabelStyle(), FRAME.columns)
    assert not has_text("", LabelStyle(), FRAME.columns)
    assert not has_text("missing", LabelStyle(), FRAME.columns)
    assert has_text("", LabelStyle(text="{area}"), FRAME.columns)


def test_scale_range_follows_qgis():
    style = LabelStyle(min_scale=100_000, max_scale=5_000)
    assert style.shown_at(50_000) and not style.shown_at(200_000) and not style.shown_at(1_000)
    assert LabelStyle().shown_at(1e8)


def test_stored_dicts_round_trip_and_bad_values_are_named():
    style = LabelStyle(text="{name_zh}", size_pt=12, color="#102030", halo=False, placement="inside",
                       position="NW", priority=9, min_scale=50_000, always_show=True)
    assert LabelStyle.from_dict(style.to_dict()) == style
    assert LabelStyle().to_dict() == {}
    unknown = []
    assert LabelStyle.from_dict({"glow": 1}, "labels", unknown) == LabelStyle() and unknown == ["labels.glow"]
    for bad, where in (({"priority": 2.5}, "labels.priority"), ({"color": "red"}, "labels.color"),
                       ({"placement": "upside"}, "labels.placement"), ({"size_pt": float("nan")}, "labels.size_pt"),
                       ({"halo": "yes"}, "labels.halo"), ({"position": "up"}, "labels.position")):
        with pytest.raises(StyleError) as caught:
            LabelStyle.from_dict(bad)
        assert caught.value.where == where


def test_rows_of_a_frame_that_has_since_lost_rows_get_no_text_instead_of_an_error():
    import geopandas as gpd
    import numpy as np
    import shapely

    from gisapp.core.model.layer import VectorLayer

    frame = gpd.GeoDataFrame({"name": ["a", "b", "c"]}, geometry=[shapely.Point(0, 0)] * 3, crs="EPSG:4326")
    layer = VectorLayer("l", "l", "l", frame, label_field="name")
    drawn_rows = np.array([0, 2])  # what the render thread drew before the delete
    layer.set_frame(frame.iloc[:2])
    assert layer.label_texts("en", drawn_rows).tolist() == ["a", ""]
    assert layer.label_texts("en", np.array([1])).tolist() == ["b"]
