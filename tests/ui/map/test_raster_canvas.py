"""Raster layers on the canvas and in the window: pixels in place at EPSG:3857 and 4326,
identify, overviews at low zoom, a file that breaks after opening, the open path and the tree."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from gisapp.core.geo.geodesy import transform_point
from gisapp.core.geo.viewport import Viewport
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.raster_layer import RasterLayer, RasterStyle
from gisapp.io.raster import open_raster
from gisapp.ui.map.canvas import MapCanvas
from gisapp.ui.map.rasters import RasterSnapshot
from tests.raster_files import quadrants

SEA = (0xAA, 0xD3, 0xDF)


def grey_layer(path) -> RasterLayer:
    layer = open_raster(path)
    layer.set_style(RasterStyle(ramp="gray", vmin=10, vmax=30))  # 10 black, 20 grey, 30 white
    layer.group = "rasters"
    return layer


@pytest.fixture
def make_canvas(qtbot):
    made = []

    def factory(project: Project, crs: str, width=600, height=400) -> MapCanvas:
        canvas = MapCanvas()
        qtbot.addWidget(canvas)
        canvas.resize(width, height)
        canvas.show()
        qtbot.waitExposed(canvas)
        project.canvas_crs = crs
        canvas.set_project(project)
        made.append(canvas)
        return canvas

    yield factory
    for canvas in made:
        canvas.shutdown()


def pixel(canvas: MapCanvas, lon: float, lat: float) -> tuple[int, int, int]:
    x, y = transform_point(lon, lat, "EPSG:4326", canvas.viewport.crs)
    px, py = canvas.viewport.map_to_pixel(x, y)
    colour = QColor(canvas.grab().toImage().pixel(int(px), int(py)))
    return colour.red(), colour.green(), colour.blue()


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:4326"])
def test_each_quadrant_is_drawn_where_it_lies_and_nodata_shows_the_map_below(tmp_path, make_canvas, crs):
    layer = grey_layer(quadrants(tmp_path / "q.tif"))
    canvas = make_canvas(Project(groups=[LayerGroup("rasters", "栅格", "Rasters")], layers=[layer]), crs)
    canvas.zoom_to_layer(layer.id)
    assert canvas.wait_for_render()
    assert canvas.last_render_error == ""
    assert pixel(canvas, 121.45, 38.97) == (0, 0, 0)
    grey = pixel(canvas, 121.65, 38.97)
    assert grey[0] == grey[1] == grey[2] and 120 <= grey[0] <= 135
    assert pixel(canvas, 121.45, 38.83) == (255, 255, 255)
    assert pixel(canvas, 121.65, 38.83) == SEA  # nodata: transparent


def test_opacity_blends_with_what_lies_below(tmp_path, make_canvas):
    layer = grey_layer(quadrants(tmp_path / "q.tif"))
    canvas = make_canvas(Project(groups=[LayerGroup("rasters", "栅格", "Rasters")], layers=[layer]), "EPSG:3857")
    canvas.zoom_to_layer(layer.id)
    layer.set_opacity(0.5)
    assert canvas.wait_for_render()
    red, green, blue = pixel(canvas, 121.45, 38.97)  # black at half opacity over the sea colour
    assert abs(red - SEA[0] // 2) <= 2 and abs(blue - SEA[2] // 2) <= 2


def test_identify_reports_the_pixel_value_from_a_click(tmp_path, make_canvas, qtbot):
    layer = grey_layer(quadrants(tmp_path / "q.tif"))
    canvas = make_canvas(Project(groups=[LayerGroup("rasters", "栅格", "Rasters")], layers=[layer]), "EPSG:3857")
    canvas.zoom_to_layer(layer.id)
    assert canvas.wait_for_render()
    heard = []
    canvas.rasterClicked.connect(lambda layer_id, x, y: heard.append((layer_id, x, y)))
    x, y = transform_point(121.45, 38.83, "EPSG:4326", "EPSG:3857")
    canvas.identify_at(*canvas.viewport.map_to_pixel(x, y))
    assert heard and heard[0][0] == layer.id
    from gisapp.io.raster import pixel_values

    assert [v.value for v in pixel_values(layer, heard[0][1], heard[0][2], "EPSG:3857")] == [30.0]


def test_the_whole_cog_at_low_zoom_reads_an_overview(tmp_path, make_canvas):
    layer = grey_layer(quadrants(tmp_path / "cog.tif", cog=True))
    canvas = make_canvas(Project(groups=[LayerGroup("rasters", "栅格", "Rasters")], layers=[layer]), "EPSG:3857",
                         width=150, height=100)
    x, y = transform_point(121.55, 38.9, "EPSG:4326", "EPSG:3857")
    canvas._set_viewport(Viewport(x, y, 400.0, 150, 100))  # ~400 m a pixel: the whole raster in ~80 px
    assert canvas.wait_for_render()
    snapshot = RasterSnapshot.of(layer)
    from gisapp.ui.map.render import render_image

    image = render_image([snapshot], canvas.viewport, canvas.label_font)
    assert image is not None and snapshot.overview_level >= 1
    assert pixel(canvas, 121.45, 38.97) == (0, 0, 0)


def test_a_raster_removed_after_opening_is_said_once_and_the_map_still_draws(tmp_path, make_canvas):
    layer = grey_layer(quadrants(tmp_path / "q.tif"))
    canvas = make_canvas(Project(groups=[LayerGroup("rasters", "栅格", "Rasters")], layers=[layer]), "EPSG:3857")
    canvas.zoom_to_layer(layer.id)
    assert canvas.wait_for_render()
    messages = []
    canvas.message.connect(messages.append)
    (tmp_path / "q.tif").unlink()
    canvas.zoom_by(1.2)
    assert canvas.wait_for_render()
    canvas.zoom_by(1.2)
    assert canvas.wait_for_render()
    assert canvas.last_render_error == ""
    said = [m for m in messages if "q.tif" in m]
    assert len(said) == 1 and "could not be drawn" in said[0]


def test_the_window_opens_a_tif_under_the_plan_and_identify_fills_the_panel(tmp_path, make_window):
    window = make_window()
    path = quadrants(tmp_path / "site.tif")
    outcome = window.read_paths([str(path)])
    assert outcome.opened == [str(path)] and not outcome.refused
    layer = next(each for each in window.project.layers if isinstance(each, RasterLayer))
    plan_rows = [i for i, each in enumerate(window.project.layers) if each.group not in ("rasters", "base")]
    assert window.project.layers.index(layer) > max(plan_rows)  # drawn under every plan layer
    assert window.tree.model().index_for_layer(layer.id).isValid()
    window.rasters.identify(layer.id, *transform_point(121.65, 38.97, "EPSG:4326", window.canvas.viewport.crs))
    text = window.panel.plain_text()
    assert "site" in text and "elevation" in text and "20" in text
    window.rasters.identify(layer.id, *transform_point(121.65, 38.83, "EPSG:4326", window.canvas.viewport.crs))
    assert "no data" in window.panel.plain_text()
    dialog = window.rasters.style_dialog(layer, run=False)
    dialog.ramp_combo.setCurrentIndex(dialog.ramp_combo.findData("terrain"))
    dialog.vmin_spin.setValue(0)
    dialog.vmax_spin.setValue(50)
    layer.set_style(dialog.style())
    assert layer.style == RasterStyle(mode="ramp", band=1, ramp="terrain", vmin=0.0, vmax=50.0)
    dialog.vmin_spin.setValue(60)
    dialog._accept()
    assert dialog.message.text() and dialog.result() == 0  # refused, said in the dialog


def test_the_window_refuses_a_broken_tif_and_keeps_the_project(tmp_path, make_window):
    window = make_window()
    before = list(window.project.layers)
    path = tmp_path / "broken.tif"
    path.write_bytes(b"II*\x00" + b"\x00" * 20)
    outcome = window.read_paths([str(path)])
    assert len(outcome.refused) == 1 and "broken.tif" in str(outcome.refused[0])
    assert window.project.layers == before


def test_set_layer_crs_places_a_world_file_raster_again_and_the_project_keeps_it(tmp_path, make_window, monkeypatch):
    from gisapp.io.project_gpkg import load_project, save_project
    from tests.raster_files import rgb_png

    window = make_window()
    x, y = transform_point(121.55, 38.88, "EPSG:4326", "EPSG:32651")
    path = rgb_png(tmp_path / "survey.png", west=x, north=y, pixel=10.0)  # UTM 51N metres, no CRS said
    outcome = window.read_paths([str(path)])
    (layer,) = outcome.rasters
    assert layer.load_report.crs_how == "guessed"
    window.tree.setCurrentIndex(window.tree.model().index_for_layer(layer.id))
    monkeypatch.setattr(window, "ask_crs", lambda title, current: "EPSG:4549")  # CGCS2000 / 3-degree GK CM 120E
    window.set_current_layer_crs_dialog()
    assert layer.info.crs == "EPSG:4549" and layer.load_report.crs_how == "set"
    assert window.canvas.wait_for_render() and window.canvas.last_render_error == ""
    save_project(window.project, tmp_path / "plan.gpkg")
    window.project.set_modified(False)
    (again,) = [each for each in load_project(tmp_path / "plan.gpkg").layers if isinstance(each, RasterLayer)]
    assert again.info.crs == "EPSG:4549" and again.load_report.crs_how == "set"


def test_the_window_opens_a_saved_project_with_its_raster(tmp_path, make_window):
    from gisapp.io.catalogue import load_catalogue
    from gisapp.io.project_gpkg import save_project

    project = load_catalogue()
    layer = grey_layer(quadrants(tmp_path / "site.tif"))
    base = next(i for i, group in enumerate(project.groups) if group.id == "base")
    project.groups.insert(base, LayerGroup("rasters", "影像与栅格", "Imagery and rasters"))  # above the land
    project.add_layer(layer, index=len(project.layers))
    save_project(project, tmp_path / "plan.gpkg")
    window = make_window()
    assert window.open_paths([str(tmp_path / "plan.gpkg")]).wait() == [str(tmp_path / "plan.gpkg")]
    (opened,) = [each for each in window.project.layers if isinstance(each, RasterLayer)]
    assert opened.style == layer.style and window.tree.model().index_for_layer(opened.id).isValid()
    window.canvas.zoom_to_layer(opened.id)
    assert window.canvas.wait_for_render() and window.canvas.last_render_error == ""
    assert pixel(window.canvas, 121.45, 38.83) == (255, 255, 255)
