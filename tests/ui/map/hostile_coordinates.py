"""Drive the window over layers with NaN, infinite and absurd coordinates (built in memory,
past any file validation) and record what the user sees.

Run as a script in a subprocess by test_canvas_guards.py, since a non-finite rectangle
handed to Qt kills the process:

    python tests/ui/map/hostile_coordinates.py OUT_FOLDER   -> JSON on stdout
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
from PySide6.QtWidgets import QApplication
from shapely.geometry import LineString, Point, Polygon, box

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project

NAN, INF = float("nan"), float("inf")
GOOD_BOX = box(121.50, 38.86, 121.54, 38.89)


def hostile_layers() -> list[VectorLayer]:
    def layer(layer_id: str, geoms: list) -> VectorLayer:
        frame = gpd.GeoDataFrame({"name": [f"{layer_id} {i + 1}" for i in range(len(geoms))]},
                                 geometry=geoms, crs="EPSG:4326")
        return VectorLayer(layer_id, layer_id, layer_id, frame, group="hostile")

    return [
        layer("nan_points", [Point(121.52, 38.87), Point(NAN, 38.9), Point(121.53, NAN)]),
        layer("inf_lines", [LineString([(121.5, 38.9), (121.6, 38.95)]), LineString([(121.5, 38.9), (INF, 39)]),
                            LineString([(121.5, 38.9), (NAN, 39), (121.6, 38.9)])]),
        layer("huge_polygons", [GOOD_BOX, Polygon([(121.5, 38.9), (1e308, 38.9), (121.5, 39.0)]),
                                Polygon([(-1e308, -1e308), (1e308, -1e308), (1e308, 1e308)])]),
        layer("far_points", [Point(41_543_210, 4_301_234), Point(121.52, 38.88)]),  # projected numbers
        layer("only_bad", [Point(INF, INF), Point(NAN, NAN)]),
        layer("one_point", [Point(121.52, 38.87)]),
        VectorLayer("no_columns", "no_columns", "no_columns", gpd.GeoDataFrame(
            geometry=[Point(121.51, 38.88), Point(NAN, 1)], crs="EPSG:4326"), group="hostile"),
    ]


def main(out: Path) -> int:
    from gisapp.export.web.webdata import skipped_features
    from gisapp.export.web.webmap import WebMapOptions, export_web_map
    from gisapp.ui.shell.app import choose_cjk_font
    from gisapp.ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    choose_cjk_font(app)
    layers = hostile_layers()
    good = VectorLayer("zones", "功能区", "Zones", gpd.GeoDataFrame({"name": ["zone"]}, geometry=[GOOD_BOX],
                                                                   crs="EPSG:4326"), group="plan")
    project = Project(title_zh="测试", title_en="Test", groups=[LayerGroup("hostile", "坏数据", "Bad data"),
                                                               LayerGroup("plan", "规划", "Plan")],
                      layers=[*layers, good])
    window = MainWindow(project, "en")
    window.resize(1200, 800)
    window.show()
    canvas = window.canvas
    seen: dict = {"messages": [], "unusable_views": [], "steps": 0}

    def step(name: str) -> None:
        canvas.wait_for_render()
        QApplication.processEvents()
        window.grab()  # paint: the canvas draws the image, selection and scale bar
        seen["steps"] += 1
        if not canvas.viewport.is_usable():
            seen["unusable_views"].append(f"{name}: {canvas.viewport}")
        message = window.statusBar().currentMessage()
        if message:
            seen["messages"].append(message)
            window.statusBar().clearMessage()

    for crs in ("EPSG:3857", "EPSG:4326"):
        window.set_canvas_crs(crs)
        step(f"{crs} set")
        canvas.zoom_full()
        step(f"{crs} full")
        for layer in layers:
            canvas.zoom_to_layer(layer.id)
            step(f"{crs} zoom {layer.id}")
            for row in range(len(layer)):
                window.clear_selection()
                layer.select([row])
                window.zoom_to_selection()
                step(f"{crs} selection {layer.id} {row}")
            layer.select(list(range(len(layer))))
            canvas.identify_at(canvas.width() / 2, canvas.height() / 2)
            step(f"{crs} identify {layer.id}")
            table = window.open_attribute_table(layer.id)
            table.view.sortByColumn(0, table.view.horizontalHeader().sortIndicatorOrder())
            step(f"{crs} table {layer.id}")
            canvas.zoom_by(1e6)  # far past float precision: the view stays usable
            step(f"{crs} zoom in {layer.id}")
            canvas.zoom_by(1e-12)
            step(f"{crs} zoom out {layer.id}")
        for size in ((640, 420), (1500, 950), (300, 260)):
            window.resize(*size)
            step(f"{crs} resize {size}")
    with skipped_features() as skipped:
        export_web_map(project, out / "web.html", WebMapOptions(layer_ids=[layer.id for layer in layers]))
    seen["web_skipped"] = {item.layer_id: item.rows for item in skipped}
    seen["web_bytes"] = (out / "web.html").stat().st_size
    project.set_modified(False)
    window.close()
    print(json.dumps(seen, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
