"""The fast renderer (flat arrays, many small paths) draws what the one-path renderer drew."""

import threading
from functools import partial

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QImage, QPainter

from gisapp.core.geo.viewport import Viewport
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.style import CategorizedStyle, Category, Symbol
from gisapp.ui.map.render import LayerSnapshot, draw_features, largest_first, render_image


def _parcels(n: int, seed: int = 0) -> VectorLayer:
    """Voronoi parcels in three categories, like the benchmark's (but small)."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = 121.30, 38.78, 121.40, 38.84
    points = shapely.multipoints(shapely.points(rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)))
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=shapely.box(x0, y0, x1, y1)))
    cells = shapely.intersection(cells, shapely.box(x0, y0, x1, y1))
    kinds = np.array(["a", "b", "c"])[rng.integers(0, 3, len(cells))]
    frame = gpd.GeoDataFrame({"kind": kinds}, geometry=cells, crs="EPSG:4326")
    style = CategorizedStyle("kind", [
        Category(k, k, k, Symbol(fill=colour, fill_opacity=1.0, stroke="#232323", stroke_width=0.98))
        for k, colour in (("a", "#e6735c"), ("b", "#5ce68a"), ("c", "#5c8ae6"))])
    return VectorLayer("parcels", "parcels", "parcels", frame, style=style)


def _snapshot(layer: VectorLayer, crs: str = "EPSG:3857") -> LayerSnapshot:
    return LayerSnapshot(layer_id=layer.id, family=layer.geometry_family, projected=partial(layer.projected, crs),
                         symbol_index=layer.symbol_index, symbols=layer.style.symbols(), opacity=1.0, labels=None)


def _reference(layer: VectorLayer, viewport: Viewport) -> QImage:
    """The previous renderer: one antialiased path per symbol class, fill then outline."""
    image = QImage(viewport.width, viewport.height, QImage.Format_ARGB32_Premultiplied)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing, True)
    geoms = layer.projected(viewport.crs).geometries
    index = layer.symbol_index()
    for symbol_id in np.unique(index):
        draw_features(painter, geoms[index == symbol_id], "polygon", layer.style.symbols()[symbol_id], viewport)
    painter.end()
    return image


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format_ARGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4].reshape(
        image.height(), image.width(), 4).astype(int)


def _full_view(layer: VectorLayer, zoom: float = 1.0) -> Viewport:
    x0, y0, x1, y1 = layer.bounds_in("EPSG:3857")
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / zoom, (y1 - y0) / zoom
    return Viewport(width=640, height=400, crs="EPSG:3857").fitted((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2),
                                                                   margin=0)


@pytest.mark.parametrize(("features", "zoom"), [(150, 1.0), (150, 3.0), (1000, 3.0), (6000, 1.0), (6000, 4.0)])
def test_fast_renderer_matches_the_one_path_renderer(qtbot, features, zoom):
    layer = _parcels(features)
    viewport = _full_view(layer, zoom)
    ours = _pixels(render_image([_snapshot(layer)], viewport, QFont()))
    reference = _pixels(_reference(layer, viewport))
    difference = np.abs(ours - reference).max(axis=2)
    if features <= 200:  # layers of up to 200 features are drawn exactly as before
        assert difference.max() <= 2
    else:  # many small paths, sub-pixel vertex dropping, aliased fill under the outline:
        # edges may differ a little, areas may not
        assert difference.mean() < 2.5
        assert np.percentile(difference, 95) < 16
    # Every category colour is where it was: compare the mean colour of the image.
    assert np.abs(ours.reshape(-1, 4).mean(axis=0) - reference.reshape(-1, 4).mean(axis=0)).max() < 0.5


def test_huge_features_are_clipped_and_drawn(qtbot):
    big = gpd.GeoDataFrame({"kind": ["a"]}, geometry=[shapely.box(100, 20, 140, 50)], crs="EPSG:4326")
    layer = VectorLayer("big", "big", "big", big, style=_parcels(3).style)
    x, y = layer.projected("EPSG:3857").bounds[0][:2]
    viewport = Viewport(center_x=x + 2e6, center_y=y + 1e6, resolution=10.0, width=100, height=80)
    image = _pixels(render_image([_snapshot(layer)], viewport, QFont()))
    assert (image[:, :, 3] == 255).all()  # the view is inside the polygon: all filled


def test_a_cancelled_render_gives_no_image(qtbot):
    layer = _parcels(3000)
    cancelled = threading.Event()
    cancelled.set()
    assert render_image([_snapshot(layer)], _full_view(layer), QFont(), cancelled) is None


def test_largest_first_is_a_stable_descending_sort():
    rng = np.random.default_rng(0)
    values = rng.integers(0, 50, 5000).astype(float)  # many ties
    for limit in (1, 10, 400, 4999, 6000):
        assert largest_first(values, limit).tolist() == np.argsort(-values, kind="stable")[:limit].tolist()


def test_a_failed_render_is_reported_and_the_last_image_stays(qtbot, monkeypatch):
    from gisapp.core.model.project import Project
    from gisapp.ui.map.canvas import MapCanvas

    layer = _parcels(300)
    canvas = MapCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    canvas.show()
    canvas.set_project(Project(layers=[layer]))
    assert canvas.wait_for_render()
    shown = canvas._image

    def broken(_crs):
        raise OSError("the layer's file went away")

    monkeypatch.setattr(layer, "projected", broken)  # the fault; the canvas is under test
    with qtbot.waitSignal(canvas.renderFailed) as failure:
        canvas.refresh()
    assert failure.args == ["the layer's file went away"]
    assert canvas.last_render_error == "the layer's file went away"
    assert not canvas.is_rendering()
    assert canvas._image is shown
    canvas.shutdown()
