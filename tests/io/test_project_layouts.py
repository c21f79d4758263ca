"""Print layouts saved in the project GeoPackage: round trip, damage named, older projects."""

import pytest

from gisapp.core.layout.items import Layout
from gisapp.core.layout.templates import plan_map, zone_sheet
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import load_project, save_project
from tests.damaged_projects import delete_meta, read_meta, saved_project, set_meta


def test_layouts_are_saved_with_the_project(tmp_path):
    path = saved_project(tmp_path)
    project = load_project(path)
    assert project.layouts == []
    mine = plan_map()
    mine.name = "我的图"
    mine.item("map").scale = 25000
    project.layouts = [mine.to_dict(), zone_sheet("zones").to_dict()]
    save_project(project, path)
    reopened = load_project(path)
    assert [Layout.from_dict(entry).to_dict() for entry in reopened.layouts] == project.layouts
    assert Layout.from_dict(reopened.layouts[0]).item("map").scale == 25000


def test_a_project_from_before_layouts_opens_with_none(tmp_path):
    path = saved_project(tmp_path)
    delete_meta(path, "layouts")
    assert load_project(path).layouts == []


def test_a_damaged_layout_is_named_and_the_project_is_refused(tmp_path):
    path = saved_project(tmp_path)
    project = load_project(path)
    project.layouts = [plan_map().to_dict()]
    save_project(project, path)
    layouts = read_meta(path)["layouts"]
    layouts[0]["items"][3]["width"] = -5
    set_meta(path, "layouts", layouts)
    with pytest.raises(GisIOError) as caught:
        load_project(path)
    assert "damaged project metadata: layouts[0].items[3].width: expected a number from 1" in str(caught.value)
