"""Raster layers saved in the project: by path (relative to the project where it can be), with
their colours, opacity and place in the tree; a file missing on reopen is said and kept."""

from __future__ import annotations

import shutil

import pytest

from gisapp.core.model.project import LayerGroup
from gisapp.core.model.raster_layer import RasterLayer, RasterStyle
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import load_project, save_project
from gisapp.io.raster import open_raster
from tests.damaged_projects import read_meta, set_meta
from tests.io.test_project_gpkg import small_project
from tests.raster_files import quadrants


def project_with_raster(folder):
    project = small_project()
    (folder / "imagery").mkdir()
    layer = open_raster(quadrants(folder / "imagery" / "site.tif"))
    layer.title_zh, layer.title_en = "现状影像", "Site raster"
    layer.style = RasterStyle(ramp="terrain", vmin=0.0, vmax=40.0)
    layer.opacity, layer.visible = 0.7, False
    project.groups.append(LayerGroup("rasters", "影像与栅格", "Imagery and rasters"))
    layer.group = "rasters"
    project.add_layer(layer, index=1)
    return project, layer


def rasters(project):
    return [layer for layer in project.layers if isinstance(layer, RasterLayer)]


def test_a_raster_survives_a_save_by_relative_path_with_its_style(tmp_path):
    project, layer = project_with_raster(tmp_path)
    order = [each.id for each in project.layers]
    path = tmp_path / "plan.gpkg"
    save_project(project, path)
    entry = next(e for e in read_meta(path)["layers"] if e["id"] == layer.id)
    assert entry["kind"] == "raster" and entry["raster"]["path"] == "imagery/site.tif"
    again = load_project(path)
    assert [each.id for each in again.layers] == order
    (reopened,) = rasters(again)
    assert reopened.path == str(tmp_path / "imagery" / "site.tif")
    assert (reopened.style, reopened.opacity, reopened.visible, reopened.group) == (layer.style, 0.7, False, "rasters")
    assert (reopened.title_zh, reopened.title_en) == ("现状影像", "Site raster")
    assert reopened.info == layer.info
    # The project and its imagery folder moved together: the relative path still finds it.
    moved = tmp_path / "moved"
    shutil.copytree(tmp_path / "imagery", moved / "imagery")
    shutil.copy(path, moved / "plan.gpkg")
    assert rasters(load_project(moved / "plan.gpkg"))[0].path == str(moved / "imagery" / "site.tif")


def test_a_missing_raster_is_said_the_rest_opens_and_a_save_keeps_it(tmp_path):
    project, layer = project_with_raster(tmp_path)
    path = tmp_path / "plan.gpkg"
    save_project(project, path)
    shutil.move(tmp_path / "imagery", tmp_path / "away")
    warnings: list[str] = []
    again = load_project(path, warnings)
    assert rasters(again) == []
    assert [each.id for each in again.vector_layers()] == [each.id for each in project.vector_layers()]
    (said,) = [w for w in warnings if "site.tif" in w]
    assert "does not exist" in said and "stays in the project" in said
    save_project(again, path)  # a save while the file is away must not drop the layer
    shutil.move(tmp_path / "away", tmp_path / "imagery")
    back = load_project(path)
    assert [each.path for each in rasters(back)] == [str((tmp_path / "imagery" / "site.tif").resolve())]
    assert rasters(back)[0].style == layer.style
    assert "unopened_rasters" not in back.metadata


@pytest.mark.parametrize(("change", "problem"), [
    (lambda e: e.pop("raster"), "raster: required key is missing"),
    (lambda e: e["raster"].update(path=""), "raster.path: expected non-empty text"),
    (lambda e: e["raster"]["style"].update(vmin=50), "must be below vmax"),
    (lambda e: e["raster"]["style"].update(mode="hillshade"), "mode must be one of rgb, ramp"),
])
def test_a_damaged_raster_entry_says_where(tmp_path, change, problem):
    project, layer = project_with_raster(tmp_path)
    path = tmp_path / "plan.gpkg"
    save_project(project, path)
    layers = read_meta(path)["layers"]
    entry = next(e for e in layers if e["id"] == layer.id)
    change(entry)
    set_meta(path, "layers", layers)
    with pytest.raises(GisIOError) as caught:
        load_project(path)
    assert problem in str(caught.value) and "plan.gpkg" in str(caught.value)


def test_a_raster_style_change_saves_in_place_and_qgis_side_follows(tmp_path):
    project, layer = project_with_raster(tmp_path)
    path = tmp_path / "plan.gpkg"
    save_project(project, path)
    again = load_project(path)
    (reopened,) = rasters(again)
    reopened.set_opacity(0.3)
    reopened.set_style(RasterStyle(ramp="viridis"))
    assert save_project(again, path, changes={}) == "in_place"
    (back,) = rasters(load_project(path))
    assert back.opacity == 0.3 and back.style == RasterStyle(ramp="viridis")
    import sqlite3
    import zipfile
    from io import BytesIO

    with sqlite3.connect(path) as con:
        (content,) = con.execute("SELECT content FROM qgis_projects").fetchone()
    qgs = zipfile.ZipFile(BytesIO(bytes.fromhex(content))).read(zipfile.ZipFile(
        BytesIO(bytes.fromhex(content))).namelist()[0]).decode()
    assert "./imagery/site.tif" in qgs and 'opacity="0.3"' in qgs


def test_a_raster_in_a_qgis_project_opens_in_gisapp(tmp_path):
    """The .qgs gisapp stores (its raster a GDAL layer by relative path) read back as a QGIS
    project: the raster opens with its title, visibility and opacity; an XYZ layer is named."""
    import sqlite3
    import zipfile
    from io import BytesIO

    from gisapp.io.qgis.project_reader import read_qgis_project

    project, layer = project_with_raster(tmp_path)
    layer.visible = True
    path = tmp_path / "plan.gpkg"
    save_project(project, path)
    with sqlite3.connect(path) as con:
        (content,) = con.execute("SELECT content FROM qgis_projects").fetchone()
    archive = zipfile.ZipFile(BytesIO(bytes.fromhex(content)))
    qgs = tmp_path / "colleague.qgs"
    qgs.write_bytes(archive.read(archive.namelist()[0]))
    imported = read_qgis_project(qgs)
    (raster,) = rasters(imported.project)
    assert raster.path == str(tmp_path / "imagery" / "site.tif")
    assert (raster.title_zh, raster.visible, raster.opacity) == ("现状影像", True, 0.7)
    assert raster.info == layer.info
    assert not any(note.code == "raster" for note in imported.notes)
