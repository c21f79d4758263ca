"""QGIS 3.22 lists the bookmarks of a project gisapp saved, with their extents and CRSs."""

from gisapp.io.project_gpkg import load_project, save_project
from tests.damaged_projects import saved_project
from tests.io.test_project_bookmarks import SCIENCE_CITY, ZONE_41

QGIS_BOOKMARKS = """
from urllib.parse import quote
project = QgsProject.instance()
result["read"] = project.read(f"geopackage:{args['path']}?projectName={quote(args['name'])}")
result["bookmarks"] = [[b.id(), b.name(), b.extent().crs().authid(), b.extent().xMinimum(), b.extent().yMaximum()]
                       for b in project.bookmarkManager().bookmarks()]
"""


def test_qgis_lists_the_project_bookmarks(tmp_path, pyqgis):
    path = saved_project(tmp_path)
    project = load_project(path)
    project.bookmarks = [SCIENCE_CITY, ZONE_41]
    save_project(project, path)
    seen = pyqgis(QGIS_BOOKMARKS, path=str(path), name=project.title_zh)
    assert seen["read"] is True
    assert seen["bookmarks"] == [["gisapp_b1", "英歌石科学城", "EPSG:3857", 13506000.0, 4710000.0],
                                 ["gisapp_b2", "Zone 41 view", "EPSG:4529", 41370000.0, 4310000.0]]
