"""Spatial bookmarks saved in the project GeoPackage and in the QGIS project stored beside
the layers: round trip, in-place saves, older projects, damage named."""

import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from contextlib import closing
from io import BytesIO

import pytest

from gisapp.core.model.bookmarks import Bookmark
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import load_project, save_project
from tests.damaged_projects import delete_meta, read_meta, saved_project, set_meta

SCIENCE_CITY = Bookmark("gisapp_b1", "英歌石科学城", (13506000.0, 4706000.0, 13512000.0, 4710000.0), "EPSG:3857")
ZONE_41 = Bookmark("gisapp_b2", "Zone 41 view", (41370000.0, 4300000.0, 41380000.0, 4310000.0), "EPSG:4529")


def _stored_qgs(path) -> ET.Element:
    with closing(sqlite3.connect(path)) as con:
        (content,) = con.execute("SELECT content FROM qgis_projects").fetchone()
    with zipfile.ZipFile(BytesIO(bytes.fromhex(content))) as archive:
        return ET.fromstring(archive.read(archive.namelist()[0]))


def test_bookmarks_round_trip_and_reach_the_qgis_project(tmp_path):
    path = saved_project(tmp_path)
    project = load_project(path)
    assert project.bookmarks == []
    project.bookmarks = [SCIENCE_CITY, ZONE_41]
    save_project(project, path)
    reopened = load_project(path)
    assert reopened.bookmarks == [SCIENCE_CITY, ZONE_41]
    marks = _stored_qgs(path).find("Bookmarks")
    assert [(b.get("id"), b.get("name")) for b in marks] == [("gisapp_b1", "英歌石科学城"),
                                                              ("gisapp_b2", "Zone 41 view")]
    assert marks[0].get("extent") == ("POLYGON((13506000.0 4706000.0, 13512000.0 4706000.0, "
                                      "13512000.0 4710000.0, 13506000.0 4710000.0, 13506000.0 4706000.0))")
    assert marks[1].find("spatialrefsys/authid").text == "EPSG:4529"


def test_a_renamed_bookmark_is_saved_in_place(tmp_path):
    path = saved_project(tmp_path)
    project = load_project(path)
    project.bookmarks = [SCIENCE_CITY]
    save_project(project, path)
    project = load_project(path)
    project.bookmarks = [project.bookmarks[0].renamed("科学城核心")]
    save_project(project, path, {})  # no row changes: the metadata rows are rewritten in place
    assert [b.name for b in load_project(path).bookmarks] == ["科学城核心"]
    assert [b.get("name") for b in _stored_qgs(path).find("Bookmarks")] == ["科学城核心"]


def test_a_project_from_before_bookmarks_opens_with_none(tmp_path):
    path = saved_project(tmp_path)
    delete_meta(path, "bookmarks")
    assert "bookmarks" not in read_meta(path)
    assert load_project(path).bookmarks == []


@pytest.mark.parametrize(("damage", "message"), [
    ({"id": "x", "name": "a", "crs": "EPSG:3857", "extent": [0, 0, "wide", 1]},
     "bookmarks[0].extent: expected four finite numbers"),
    ({"id": "x", "name": "a", "crs": "EPSG:3857", "extent": [5, 0, 1, 1]}, "bookmarks[0].extent: empty or inverted"),
    ({"id": "x", "name": 7, "crs": "EPSG:3857", "extent": [0, 0, 1, 1]}, "bookmarks[0].name: expected text"),
])
def test_a_damaged_bookmark_is_named_and_the_project_refused(tmp_path, damage, message):
    path = saved_project(tmp_path)
    set_meta(path, "bookmarks", [damage])
    with pytest.raises(GisIOError) as caught:
        load_project(path)
    assert path.name in str(caught.value) and message in str(caught.value)
