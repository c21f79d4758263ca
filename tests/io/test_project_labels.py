"""Label settings are saved in the project GeoPackage; projects from before them still open."""

import pytest
from damaged_projects import read_meta, saved_project, set_meta

from gisapp.core.model.labels import LabelStyle
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import load_project, save_project

STYLE = LabelStyle(text="{name} ({kind})", size_pt=12.5, color="#102030", halo=True, halo_color="#ffff00",
                   halo_width_px=2.5, placement="offset", position="NW", distance_px=9, priority=9,
                   min_scale=250_000, max_scale=2_000, always_show=True, follow_language=False)


def test_label_settings_round_trip(tmp_path):
    path = saved_project(tmp_path)
    project = load_project(path)
    points = project.layer("points")
    points.set_label_settings("name", STYLE)
    save_project(project, tmp_path / "again.gpkg")
    again = load_project(tmp_path / "again.gpkg").layer("points")
    assert again.label_field == "name" and again.label_style == STYLE
    assert load_project(tmp_path / "again.gpkg").layer("zones").label_style == LabelStyle()


def test_a_project_with_only_a_label_field_opens_with_the_default_look(tmp_path):
    path = saved_project(tmp_path)
    layers = read_meta(path)["layers"]
    for entry in layers:
        entry.pop("labels", None)  # as gisapp wrote projects before label settings
    layers[0]["label_field"] = "name"
    set_meta(path, "layers", layers)
    warnings = []
    layer = load_project(path, warnings).layer("points")
    assert layer.label_field == "name" and layer.label_style == LabelStyle() and warnings == []


def test_damaged_label_settings_name_the_key(tmp_path):
    path = saved_project(tmp_path)
    layers = read_meta(path)["layers"]
    layers[0]["labels"] = {"priority": "high"}
    set_meta(path, "layers", layers)
    with pytest.raises(GisIOError) as caught:
        load_project(path)
    assert "labels.priority" in str(caught.value) and "0 to 10" in str(caught.value)
    layers[0]["labels"] = {"priority": 3, "sparkle": True}
    set_meta(path, "layers", layers)
    warnings = []
    assert load_project(path, warnings).layer("points").label_style.priority == 3
    assert "layers[0].labels.sparkle" in warnings[0]
