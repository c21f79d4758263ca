"""Large layers in the web map: the compact binary payload decodes to the same data, and
the page draws them on one canvas with working clicks, hover names and visibility."""

from __future__ import annotations

import base64

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.style import CategorizedStyle, Category, Symbol
from gisapp.export.web.compact import compact_column, varints, zigzag
from gisapp.export.web.webdata import EncodeSettings, encode_layer, geodesic_measures
from gisapp.export.web.webmap import WebMapOptions, export_web_map

USES = ["R2 residential", "M1 industrial", "G1 park"]


def parcels(n: int = 4000, seed: int = 5) -> VectorLayer:
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = 121.45, 38.80, 121.55, 38.86  # partly over the small project's south zone
    cells = shapely.get_parts(shapely.voronoi_polygons(
        shapely.multipoints(shapely.points(rng.uniform(x0, x1, n), rng.uniform(y0, y1, n))),
        extend_to=shapely.box(x0, y0, x1, y1)))
    cells = shapely.intersection(cells, shapely.box(x0, y0, x1, y1))
    frame = gpd.GeoDataFrame({"parcel_id": np.arange(len(cells)), "land_use": np.array(USES)[rng.integers(0, 3, len(cells))],
                              "name": [f"地块 {i}" for i in range(len(cells))]}, geometry=cells, crs="EPSG:4326")
    style = CategorizedStyle("land_use", [Category(u, u, u, Symbol(fill=c, fill_opacity=1.0, stroke="#232323",
                                                                   stroke_width=0.98))
                                          for u, c in zip(USES, ["#e6735c", "#5ce68a", "#5c8ae6"], strict=True)])
    return VectorLayer("parcels", "地块", "Parcels", frame, style=style, group="user", label_field="name")


# --- the page's decoders, in Python ----------------------------------------------------------
def read_varints(text: str, count: int, signed: bool = False) -> np.ndarray:
    data, out, pos = base64.b64decode(text), [], 0
    for _ in range(count):
        value, shift = 0, 0
        while True:
            b = data[pos]
            pos += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        out.append(-(value + 1) // 2 if signed and value % 2 else value // 2 if signed else value)
    assert pos == len(data)
    return np.array(out, dtype=np.int64)


def decode_compact(geom: dict, precision: int) -> np.ndarray:
    steps = read_varints(geom["c"], 2 * geom["n"], signed=True).reshape(-1, 2)
    coords = np.cumsum(steps, axis=0) / 10.0 ** precision
    offsets = [np.concatenate([[0], np.cumsum(read_varints(o, n))]) for o, n in zip(geom["o"], geom["on"], strict=True)]
    if geom.get("open"):  # close the rings again
        coords = np.insert(coords, offsets[0][1:], coords[offsets[0][:-1]], axis=0)
        offsets[0] = offsets[0] + np.arange(len(offsets[0]))
    return shapely.from_ragged_array(shapely.GeometryType(geom["t"]), coords, tuple(offsets))


def test_varints_and_zigzag_round_trip():
    values = np.array([0, 1, -1, 63, -64, 64, 300, -300, 2**31 + 5, -(2**40)], dtype=np.int64)
    text = base64.b64encode(varints(zigzag(values))).decode()
    assert read_varints(text, len(values), signed=True).tolist() == values.tolist()
    assert varints(np.array([0, 127, 128])) == bytes([0, 127, 0x80, 1])


def test_a_large_layer_is_sent_compact_and_decodes_to_the_same_features():
    layer = parcels()
    out = encode_layer(layer, EncodeSettings(lang="zh", canvas_above=3000), None)
    assert out["renderer"] == "fast" and out["geom"]["b"] == 1
    n = out["n"]
    assert n == len(layer)
    # Features travel in a spatial order; every per-feature field follows the same order.
    rows = np.array([int(name.split()[1]) for name in out["names"]])
    assert sorted(rows.tolist()) == list(range(n)) and rows.tolist() != list(range(n))
    shapes = decode_compact(out["geom"], out["precision"])
    original = layer.frame.geometry.to_numpy()[rows]
    assert (shapely.hausdorff_distance(shapes, original) < 2e-5).all()  # simplified by 1 m, rounded to 1e-6°
    # Exteriors counter-clockwise, for the page's non-zero fill.
    assert shapely.is_ccw(shapely.get_exterior_ring(shapes)).all()
    symbols = np.frombuffer(base64.b64decode(out["sym"]["k"]), dtype=np.uint8)
    assert symbols.tolist() == layer.symbol_index()[rows].tolist()
    columns = dict(zip(out["columns"], out["values"], strict=True))
    assert "name" not in columns  # the same as the names
    land_use = columns["land_use"]
    codes = np.frombuffer(base64.b64decode(land_use["k"]), dtype=np.uint8)
    assert [land_use["d"][c] for c in codes] == layer.frame["land_use"].to_numpy()[rows].tolist()
    assert columns["parcel_id"] == [str(r) for r in rows]
    areas = read_varints(out["area_m2"]["v"], n)
    expected = geodesic_measures(original, "polygon")["area_m2"]
    assert np.abs(areas - expected).max() <= 0.5
    labels = read_varints(out["labels"]["b"], 2 * out["labels"]["n"], signed=True).reshape(-1, 2)
    points = shapely.points(np.cumsum(labels, axis=0) / 10.0 ** out["precision"])
    assert shapely.intersects(shapely.buffer(shapes, 1e-5), points).all()


def test_geodesic_measures_match_the_projected_shapely_measures():
    from pyproj import Transformer

    from gisapp.core.geo.geodesy import geodesic_length_m

    layer = parcels(300)
    geoms = layer.frame.geometry.to_numpy().copy()
    geoms[3] = shapely.difference(geoms[3], geoms[3].centroid.buffer(0.0005))  # a hole
    geoms[7] = shapely.MultiPolygon([geoms[7], shapely.box(121.6, 38.9, 121.61, 38.91)])
    measures = geodesic_measures(geoms, "polygon")
    bounds = shapely.total_bounds(geoms)
    laea = Transformer.from_crs("EPSG:4326", f"+proj=laea +lat_0={(bounds[1] + bounds[3]) / 2} "
                                f"+lon_0={(bounds[0] + bounds[2]) / 2} +ellps=WGS84 +units=m", always_xy=True)
    projected = shapely.transform(geoms, lambda c: np.column_stack(laea.transform(c[:, 0], c[:, 1])))
    np.testing.assert_allclose(measures["area_m2"], shapely.area(projected), rtol=1e-9)
    # Perimeters count every ring, holes too (as the export always did).
    rings = [shapely.get_rings(shapely.get_parts(g)) for g in geoms]
    np.testing.assert_allclose(measures["length_m"], [sum(geodesic_length_m(r) for r in rs) for rs in rings],
                               rtol=1e-9)


def test_only_repetitive_columns_become_dictionaries():
    assert compact_column(["a", "b"] * 10) == ["a", "b"] * 10  # short: as it is
    assert compact_column([str(i) for i in range(2000)])[:2] == ["0", "1"]  # all distinct
    column = compact_column(["x", "y", ""] * 1000)
    assert column["d"] == ["x", "y", ""] and len(base64.b64decode(column["k"])) == 3000


# --- in the browser ---------------------------------------------------------------------------
@pytest.fixture
def large_project(small_project) -> Project:
    layer = parcels()
    small_project.groups.insert(0, LayerGroup("user", "用户图层", "User layers"))
    small_project.layers.insert(0, layer)  # on top of the plan layers, as File > Open puts it
    return small_project


@pytest.mark.browser
def test_the_page_draws_a_large_layer_and_answers_clicks_and_hovers(large_project, tmp_path, open_map):
    page_file = export_web_map(large_project, tmp_path / "large.html", WebMapOptions(lang="zh"))
    opened = open_map(page_file)
    assert opened.console_errors == [] and opened.blocked == []
    layers = opened.eval("gisappExport.layers()")
    assert layers["parcels"]["renderer"] == "fast"
    assert layers["parcels"]["drawn"] == layers["parcels"]["expected"] == 4000  # all in the first view
    assert opened.page.locator('.leaflet-pane[data-layer="parcels"] canvas.gis-fast').count() == 1
    # A click inside a parcel (its label point) opens it, highlighted like the desktop; the
    # parcel lies over the south zone (an SVG layer below), and the parcel is what is on top.
    layer = large_project.layer("parcels")
    inside = shapely.contains(shapely.box(121.51, 38.845, 121.54, 38.855),
                              shapely.point_on_surface(layer.frame.geometry.to_numpy()))
    name = layer.frame["name"].to_numpy()[np.flatnonzero(inside)[0]]
    index = opened.eval(f"gisappExport.featureIndex('parcels', '{name}')")
    point = opened.eval(f"gisappExport.featurePoint('parcels', {index})")
    opened.page.mouse.move(point["x"], point["y"])
    opened.page.wait_for_selector(".gis-tooltip", timeout=5000)
    assert name in opened.page.inner_text(".gis-tooltip")
    opened.page.mouse.click(point["x"], point["y"])
    panel = opened.page.locator(".gis-info")
    panel.wait_for(state="visible")
    assert panel.locator("h2").inner_text() == name
    text = panel.inner_text()
    assert "land_use" in text and "m²" in text
    assert opened.page.locator('.leaflet-pane[data-layer="parcels"] path[stroke="#ff00ff"]').count() == 1
    # Closing clears the highlight; hiding the layer stops drawing it and its clicks.
    opened.page.locator(".gis-info-close").click()
    assert opened.page.locator('.leaflet-pane[data-layer="parcels"] path[stroke="#ff00ff"]').count() == 0
    opened.eval("gisappExport.setVisible('parcels', false)")
    assert opened.eval("gisappExport.layers()")["parcels"]["drawn"] == 0
    opened.page.mouse.click(point["x"], point["y"])
    panel.wait_for(state="visible")  # the south zone, now that the parcels are hidden
    assert panel.locator("h2").inner_text() == "南区"
    assert opened.console_errors == []
