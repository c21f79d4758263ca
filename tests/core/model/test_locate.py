"""The locate index: names in zh and en, ids and other fields, any case, ranked, capped, fresh."""

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.locate import LayerText, LocateIndex
from gisapp.core.model.project import Project


def _layer(layer_id, rows, **extra):
    frame = gpd.GeoDataFrame({"id": [r[0] for r in rows], "name_zh": [r[1] for r in rows],
                              "name_en": [r[2] for r in rows], **extra},
                             geometry=[shapely.Point(i, i) for i in range(len(rows))], crs="EPSG:4326")
    return VectorLayer(layer_id, layer_id, layer_id, frame)


def _found(results):
    return [(hit.layer_id, hit.row) for hit in results.hits]


def test_bundled_names_in_both_languages(bundled_project):
    index = LocateIndex()
    hits = index.search(bundled_project, "科学城", "zh").hits
    assert hits and all("科学城" in hit.value for hit in hits[:3])
    assert hits[0].name == "英歌石科学城" and hits[0].column == "name_zh"
    english = index.search(bundled_project, "YINGESHI science", "en").hits
    assert english[0].name == "Yingeshi Science City" and english[0].layer_id == hits[0].layer_id


def test_ids_substrings_and_other_fields():
    layer = _layer("zones", [("hitech.a", "甲区", "Zone A"), ("hitech.b", "乙区", "Zone B")],
                   note=["near the Huangnichuan bay", None], area=[1.5, np.nan])
    project = Project(layers=[layer])
    index = LocateIndex()
    assert _found(index.search(project, "HITECH.B", "en")) == [("zones", 1)]
    hit = index.search(project, "huangni", "zh").hits[0]
    assert (hit.row, hit.column, hit.value, hit.name) == (0, "note", "near the Huangnichuan bay", "甲区")
    assert index.search(project, "nan", "en").hits == []  # missing values are no text
    assert index.search(project, "   ", "en").hits == []


def test_best_matches_first_across_layers():
    top = _layer("top", [("t1", "创新大街", "Innovation Street"), ("t2", "创新", "Innovation")])
    below = _layer("below", [("b1", "科技创新城", "Tech Innovation City")])
    project = Project(layers=[top, below])
    ranked = LocateIndex().search(project, "创新", "zh").hits
    assert [(h.layer_id, h.row, h.rank) for h in ranked] == [("top", 1, 0), ("top", 0, 1), ("below", 0, 2)]


def test_results_are_capped_and_say_there_are_more():
    n = 500
    layer = _layer("parcels", [(f"p{i}", "地块", f"Parcel {i}") for i in range(n)])
    results = LocateIndex().search(Project(layers=[layer]), "parcel", "en", limit=20)
    assert len(results.hits) == 20 and results.more


def test_a_changed_frame_is_indexed_again():
    layer = _layer("zones", [("a", "甲区", "Zone A")])
    project = Project(layers=[layer])
    index = LocateIndex()
    assert index.search(project, "zone c", "en").hits == []
    frame = layer.frame.copy()
    frame.loc[0, "name_en"] = "Zone C"
    layer.set_frame(frame)
    assert _found(index.search(project, "zone c", "en")) == [("zones", 0)]
    project.remove_layer("zones")
    assert index.search(project, "zone", "en").hits == []


def test_large_layers_wait_for_a_background_build():
    layer = _layer("parcels", [(f"p{i}", "地块", f"Parcel {i}") for i in range(50)])
    project = Project(layers=[layer])
    index = LocateIndex(quick_build_rows=10)
    results = index.search(project, "parcel 7", "en")
    assert results.pending == ["parcels"] and results.hits == []
    index.put("parcels", LayerText.build(layer.frame))  # what the worker does
    assert _found(index.search(project, "parcel 7", "en")) == [("parcels", 7)]


def test_a_cancelled_build_stops():
    frame = pd.DataFrame({"name_en": [f"n{i}" for i in range(20_000)]})
    assert LayerText.build(frame, cancelled=lambda: True) is None
    assert LayerText.build(frame).find("n19999", 5) == ([(19_999, 0, 0)], False)


def test_codes_are_searched_measures_are_not():
    layer = _layer("parcels", [("a", "甲", "A"), ("b", "乙", "B")], parcel_no=[210204, 210205], far=[2.10204, 1.5])
    hits = LocateIndex().search(Project(layers=[layer]), "21020", "en").hits
    assert [(h.row, h.column) for h in hits] == [(0, "parcel_no"), (1, "parcel_no")]
