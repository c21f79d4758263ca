"""QGIS 3.22 and gisapp draw the saved bundled project in the same colours.

scripts/side_by_side.py renders the project stored in the saved GeoPackage with QGIS and the
project read back from it with gisapp's map renderer, at the same extent and size, without
labels (the two label engines place them differently by design); the colours at interior
points of the polygon features must agree.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "side_by_side.py"
TOLERANCE = 4  # of 255 per channel: antialiasing and premultiplied-alpha rounding


def _script():
    spec = importlib.util.spec_from_file_location("side_by_side", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


pytestmark = pytest.mark.xdist_group("qgis_side_by_side")  # one worker builds the module fixture once


@pytest.fixture(scope="module")
def compared(tmp_path_factory, qapp):
    side_by_side = _script()
    folder = tmp_path_factory.mktemp("side_by_side")
    gpkg, project = side_by_side.saved_bundled_project(folder)
    view = side_by_side.view_of(project, 800, 500, ["hitech_clusters", "hitech_core_zones", "hitech_science_city"])
    drawn = side_by_side.render_qgis(gpkg, project, view, folder / "qgis.png", labels=False)
    side_by_side.render_gisapp(project, view, folder / "gisapp.png", labels=False)
    rows = side_by_side.compare(folder / "qgis.png", folder / "gisapp.png", side_by_side.sample_points(project, view))
    return {"project": project, "drawn": drawn, "rows": rows, "view": view}


def test_qgis_draws_the_visible_layers_at_gisapps_extent(compared):
    project, drawn = compared["project"], compared["drawn"]
    assert drawn["errors"] == []
    assert drawn["layers"] == [layer.title_zh for layer in project.layers if layer.visible]
    assert drawn["extent"] == pytest.approx(list(compared["view"].extent), rel=1e-9)


def test_colours_inside_features_agree_for_categorized_and_single_layers(compared):
    rows = compared["rows"]
    assert {row["style"] for row in rows} == {"categorized", "single"}
    assert len({row["layer"] for row in rows}) >= 4 and len(rows) >= 10
    differing = [row for row in rows if row["difference"] > TOLERANCE]
    assert differing == []
    # The samples are not all the same colour: the test would see a wrong palette.
    assert len({row["gisapp"] for row in rows}) >= 6
