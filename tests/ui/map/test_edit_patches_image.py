"""An edit on a big layer redraws only the changed features' areas of the last image: the
render thread draws a few features, not the view, and nothing is built again for the whole
layer. The patched image must equal a full render of the same data."""

import geopandas as gpd
import numpy as np
import shapely

from gisapp.core.editing.edits import SetGeometries
from gisapp.core.editing.session import EditSession
from gisapp.core.geo.flatgeom import PatchedFlat, ProjectedCache
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.style import CategorizedStyle, Category, Symbol
from gisapp.ui.map import render
from gisapp.ui.map.canvas import MapCanvas

SIDE = 450  # 202,500 parcels
STEP, SIZE = 0.0004, 0.0003
COLOURS = ["#d02020", "#20a040", "#2050d0"]


def _boxes() -> gpd.GeoDataFrame:
    i = np.arange(SIDE * SIDE)
    x, y = 121.5 + (i % SIDE) * STEP, 38.85 + (i // SIDE) * STEP
    return gpd.GeoDataFrame({"use": np.array(["a", "b", "c"])[i % 3]}, geometry=shapely.box(x, y, x + SIZE, y + SIZE),
                            crs="EPSG:4326")


def _pixels(canvas: MapCanvas) -> np.ndarray:
    image = canvas._image
    width, height = image.width(), image.height()
    return np.frombuffer(bytes(image.constBits()), dtype=np.uint8)[: width * height * 4].reshape(height, width, 4).copy()


def _full_render(canvas: MapCanvas) -> np.ndarray:
    canvas.refresh()
    assert canvas.wait_for_render(60_000)
    assert not canvas.last_render_patched
    return _pixels(canvas)


def test_an_edit_and_its_undo_redraw_only_the_changed_areas(qtbot, monkeypatch):
    style = CategorizedStyle("use", [Category(v, v, v, Symbol(fill=c, fill_opacity=1.0, stroke="#232323", stroke_width=1.0))
                                     for v, c in zip("abc", COLOURS, strict=True)])
    layer = VectorLayer("parcels", "地块", "Parcels", _boxes(), style=style)
    project = Project(layers=[layer])
    canvas = MapCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    canvas.set_project(project)
    canvas.show()
    qtbot.waitExposed(canvas)
    row = SIDE * (SIDE // 2) + SIDE // 2  # a parcel in the middle of the layer
    box = layer.frame.geometry.iloc[row]
    cx, cy = box.centroid.coords[0]
    assert canvas.show_extent((cx - 0.004, cy - 0.003, cx + 0.004, cy + 0.003), "EPSG:4326")
    assert canvas.wait_for_render(60_000)
    builds = ProjectedCache.full_builds
    drawn: list[int] = []  # features each render drew
    draw_flat_class = render.draw_flat_class

    def counting(painter, flat, positions, *args, **kwargs):
        drawn.append(len(positions))
        return draw_flat_class(painter, flat, positions, *args, **kwargs)

    monkeypatch.setattr(render, "draw_flat_class", counting)
    full_view = _full_render(canvas)
    in_view = sum(drawn)
    assert in_view > 300, "the view shows hundreds of parcels"

    session = EditSession(project)
    moved = shapely.affinity.translate(box, SIZE / 3, SIZE / 4)
    edit = SetGeometries(layer.id, [row], [moved], project=project, kind="move_feature")
    for step, apply in (("edit", lambda: session.apply(edit)), ("undo", lambda: session.undo(edit))):
        drawn.clear()
        apply()
        assert canvas.wait_for_render(60_000)
        assert canvas.last_render_patched, f"the {step} redrew the whole view"
        assert 0 < sum(drawn) < in_view / 10, f"the {step} drew {sum(drawn)} parcels of the {in_view} in view"
        patched = _pixels(canvas)
        assert isinstance(layer.projected_if_ready(canvas.viewport.crs).flat, PatchedFlat)
        assert ProjectedCache.full_builds == builds, "the whole layer was projected again"
        full = _full_render(canvas)
        differ = np.abs(patched.astype(int) - full).max(axis=2) > 8
        assert differ.mean() < 0.001, f"the patched image differs from a full render in {differ.sum()} pixels"
        if step == "edit":
            assert (np.abs(full.astype(int) - full_view).max(axis=2) > 8).sum() > 20, "the edit moved nothing visible"
        else:
            assert (np.abs(full.astype(int) - full_view).max(axis=2) > 8).mean() < 0.001, "undo restores the map"


def test_a_change_of_style_after_an_edit_draws_everything(qtbot):
    layer = VectorLayer("parcels", "地块", "Parcels", _boxes().iloc[:2000].reset_index(drop=True))
    project = Project(layers=[layer])
    canvas = MapCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(300, 200)
    canvas.set_project(project)
    canvas.show()
    qtbot.waitExposed(canvas)
    assert canvas.wait_for_render(30_000)
    session = EditSession(project)
    box = layer.frame.geometry.iloc[5]
    session.apply(SetGeometries(layer.id, [5], [shapely.affinity.translate(box, SIZE, 0)], project=project,
                                kind="move_feature"))
    layer.set_style(CategorizedStyle("use", [Category("a", "a", "a", Symbol(fill="#000000"))]))
    assert canvas.wait_for_render(30_000)
    assert not canvas.last_render_patched
