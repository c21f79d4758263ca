"""The bundled project saved as a GeoPackage, drawn by QGIS 3.22 and by gisapp at the same extent.

usage: .venv/bin/python scripts/side_by_side.py OUT_DIR [--size 1280x800] [--zoom LAYER_ID,...]

Writes OUT_DIR/dalian_plan.gpkg (gisapp's save), qgis.png (QGIS renders the project stored in
that file, via scripts/qgis_render_project.py under /usr/bin/python3), gisapp.png (gisapp's map
renderer on the project read back from the file), side_by_side.png (both, QGIS left), and prints
the colours at interior points of the polygon features in label-free renders of both.
tests/io/qgis/test_side_by_side.py runs the same comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter  # noqa: E402
from shapely.ops import polylabel  # noqa: E402

from gisapp.core.geo.geodesy import transform_geometries  # noqa: E402
from gisapp.core.geo.viewport import Viewport  # noqa: E402
from gisapp.core.model.project import Project  # noqa: E402
from gisapp.core.model.style import MAP_BACKGROUND  # noqa: E402
from gisapp.io.catalogue import load_catalogue  # noqa: E402
from gisapp.io.project_gpkg import load_project, save_project  # noqa: E402
from gisapp.ui.map.render import LayerSnapshot, render_image  # noqa: E402

SYSTEM_PYTHON = os.environ.get("GISAPP_SYSTEM_PYTHON", "/usr/bin/python3")
QGIS_RENDER = REPO / "scripts" / "qgis_render_project.py"
LABEL_FONT = ("WenQuanYi Micro Hei", 9)


@dataclass(frozen=True)
class SamplePoint:
    """A pixel inside one feature, away from every edge, line and marker of the visible layers."""

    layer_id: str
    style: str
    row: int
    x: int
    y: int


def saved_bundled_project(folder: Path) -> tuple[Path, Project]:
    """The bundled project saved by gisapp, and the project read back from that file."""
    path = folder / "dalian_plan.gpkg"
    save_project(load_catalogue(), path)
    return path, load_project(path)


def view_of(project: Project, width: int, height: int, layer_ids: list[str] | None = None) -> Viewport:
    """The view fitted to the visible layers (or to ``layer_ids``), in the project's canvas CRS."""
    boxes = [layer.bounds_in(project.canvas_crs) for layer in project.layers
             if (layer.id in layer_ids if layer_ids else layer.visible) and len(layer)]
    bounds = [b for b in boxes if b is not None]
    union = (min(b[0] for b in bounds), min(b[1] for b in bounds), max(b[2] for b in bounds), max(b[3] for b in bounds))
    return Viewport(width=width, height=height, crs=project.canvas_crs).fitted(union)


def render_gisapp(project: Project, view: Viewport, out: Path, labels: bool = True, lang: str = "zh") -> QImage:
    """gisapp's map renderer (the canvas's, without its overlays) on the map background."""
    snapshots = [LayerSnapshot(
        layer_id=layer.id, family=layer.geometry_family, projected=partial(layer.projected, view.crs),
        symbol_index=layer.symbol_index, symbols=layer.style.symbols(), opacity=layer.opacity,
        labels=partial(layer.label_texts, lang) if labels and layer.label_column(lang) else None)
        for layer in project.render_order() if layer.visible and len(layer)]
    drawn = render_image(snapshots, view, QFont(*LABEL_FONT))
    image = QImage(view.width, view.height, QImage.Format_ARGB32)
    image.fill(QColor(MAP_BACKGROUND))
    painter = QPainter(image)
    painter.drawImage(0, 0, drawn)
    painter.end()
    image.save(str(out))
    return image


def render_qgis(gpkg: Path, project: Project, view: Viewport, out: Path, labels: bool = True) -> dict:
    """QGIS 3.22 renders the project stored in ``gpkg`` at the view's extent and size."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="qgis-runtime-"))  # Qt wants a 0700 folder
    command = [SYSTEM_PYTHON, str(QGIS_RENDER), str(gpkg), project.title_zh, *map(repr, view.extent),
               str(view.width), str(view.height), str(out)] + ([] if labels else ["--no-labels"])
    completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    if completed.returncode != 0 or not out.exists():
        raise RuntimeError(f"QGIS could not render {gpkg}:\n{completed.stdout}\n{completed.stderr}")
    found = json.loads(completed.stdout.strip().splitlines()[-1])
    found["stderr"] = completed.stderr
    return found


def sample_points(project: Project, view: Viewport, clearance_px: float = 6.0) -> list[SamplePoint]:
    """An interior pixel of each polygon feature, at least ``clearance_px`` from any polygon edge,
    line or point of the visible layers (strokes and antialiasing differ there by design)."""
    visible = [layer for layer in project.layers if layer.visible and len(layer)]
    obstacles = []
    for layer in visible:
        geoms = transform_geometries(np.asarray(layer.frame.geometry.array, dtype=object), layer.crs, view.crs)
        obstacles.extend(shapely.boundary(g) if layer.geometry_family == "polygon" else g for g in geoms if g is not None)
    tree = shapely.STRtree(obstacles)
    clearance = clearance_px * view.resolution
    xmin, ymin, xmax, ymax = view.extent
    points = []
    for layer in visible:
        if layer.geometry_family != "polygon":
            continue
        geoms = transform_geometries(np.asarray(layer.frame.geometry.array, dtype=object), layer.crs, view.crs)
        for row, geom in enumerate(geoms):
            if geom is None or geom.is_empty:
                continue
            inside = shapely.point_on_surface(geom)
            # The pole of inaccessibility is farther from edges than a surface point.
            best = polylabel(max(getattr(geom, "geoms", [geom]), key=lambda g: g.area), tolerance=view.resolution)
            for candidate in (best, inside):
                if not (xmin < candidate.x < xmax and ymin < candidate.y < ymax):
                    continue
                near = tree.query(candidate, predicate="dwithin", distance=clearance)
                if len(near):
                    continue
                x, y = view.map_to_pixel(candidate.x, candidate.y)
                points.append(SamplePoint(layer.id, layer.style.kind, row, int(x), int(y)))
                break
    return points


def colour_at(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    colour = image.pixelColor(x, y)
    return colour.red(), colour.green(), colour.blue()


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def compare(qgis_png: Path, gisapp_png: Path, points: list[SamplePoint]) -> list[dict]:
    """The colour of each sample point in both images and their largest channel difference."""
    qgis, ours = QImage(str(qgis_png)), QImage(str(gisapp_png))
    rows = []
    for point in points:
        a, b = colour_at(qgis, point.x, point.y), colour_at(ours, point.x, point.y)
        rows.append({"layer": point.layer_id, "style": point.style, "row": point.row, "x": point.x, "y": point.y,
                     "qgis": _hex(a), "gisapp": _hex(b),
                     "difference": max(abs(p - q) for p, q in zip(a, b, strict=True))})
    return rows


def side_by_side(left: Path, right: Path, out: Path) -> None:
    a, b = QImage(str(left)), QImage(str(right))
    image = QImage(a.width() + b.width() + 10, max(a.height(), b.height()), QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, a)
    painter.drawImage(a.width() + 10, 0, b)
    painter.end()
    image.save(str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--zoom", default="", help="fit the view to these layers (ids, comma-separated)")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (QFont and QPainter need it)
    gpkg, project = saved_bundled_project(args.out)
    view = view_of(project, width, height, [i for i in args.zoom.split(",") if i])
    drawn = render_qgis(gpkg, project, view, args.out / "qgis.png")
    render_gisapp(project, view, args.out / "gisapp.png")
    side_by_side(args.out / "qgis.png", args.out / "gisapp.png", args.out / "side_by_side.png")
    render_qgis(gpkg, project, view, args.out / "qgis_no_labels.png", labels=False)
    render_gisapp(project, view, args.out / "gisapp_no_labels.png", labels=False)
    rows = compare(args.out / "qgis_no_labels.png", args.out / "gisapp_no_labels.png", sample_points(project, view))
    print(f"QGIS drew {len(drawn['layers'])} layers at {drawn['extent']} ({drawn['crs']})")
    for row in rows:
        print(f"{row['layer']:34} {row['style']:12} #{row['row']:<3} ({row['x']:4}, {row['y']:4})  "
              f"QGIS {row['qgis']}  gisapp {row['gisapp']}  difference {row['difference']}")
    worst = max((row["difference"] for row in rows), default=0)
    print(f"{len(rows)} sample points, largest channel difference {worst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
