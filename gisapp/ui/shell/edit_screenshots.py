"""Headless screenshots of editing: the vertex tool mid-drag, and an invalid-geometry warning.

``gisapp --screenshot out.png --edit-scene vertex --lang zh`` renders the window offscreen
with the Yingeshi sectors in editing mode, topological editing on, and a shared vertex
being dragged onto a snap target: the dragged zones, their vertices, the snap marker and
the live area/perimeter/share of the science city in the panel. ``--edit-scene invalid``
drags a vertex across its zone and shows the warning bar and the marker with the reason.
The scenes are driven with the same map events the canvas sends for real mouse input.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from gisapp.core.editing.tools import MapEvent, Mode
from gisapp.core.geo.geodesy import transform_point

SECTORS = "hitech_city_sectors"
SCENES = ("vertex", "invalid")


def _event(window, kind: str, xy_layer, layer, held: bool = False) -> MapEvent:
    canvas = window.canvas
    x, y = transform_point(float(xy_layer[0]), float(xy_layer[1]), layer.crs, canvas.viewport.crs)
    px, py = canvas.viewport.map_to_pixel(x, y)
    button = "left" if kind in ("press", "release") else None
    return MapEvent(kind, x, y, px, py, button, frozenset({"left"}) if held else frozenset(),
                    frozenset(), None, canvas.viewport.resolution)


def _send(window, event: MapEvent) -> None:
    window.canvas.interaction.canvas_event(event)
    window.canvas.update()


def take_editing_screenshot(out: str, scene: str = "vertex", size: tuple[int, int] = (1600, 1000),
                            lang: str = "en", project_path: str | None = None) -> Path:
    if scene not in SCENES:
        raise KeyError(f"unknown editing scene {scene!r}; choose {' or '.join(SCENES)}")
    from gisapp.io.session import open_project
    from gisapp.ui.shell.app import create_application

    app = create_application(offscreen=True)
    from gisapp.ui.shell.main_window import MainWindow

    window = MainWindow(open_project(project_path), lang)
    window.resize(*size)
    window.show()
    app.processEvents()
    editing = window.editing
    layer = window.project.layer(SECTORS)
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(SECTORS))
    editing.operations.set_editing(True)
    editing.tools.set_topological(True)
    window.canvas.zoom_to_feature("hitech_science_city", 0)
    window.canvas.zoom_by(1.5)
    editing.tools.set_mode(Mode.VERTEX)
    if scene == "vertex":
        # The vertex shared by the technology-transfer and new-economy sectors, dragged
        # towards the science city's boundary: both sectors follow, the panel is live.
        window.select_feature(layer.frame["id"].iloc[1])
        window.panel_dock.raise_()
        shared = [tuple(c) for c in shapely.get_coordinates(layer.frame.geometry.iloc[1])
                  if tuple(c) in {tuple(d) for d in shapely.get_coordinates(layer.frame.geometry.iloc[2])}]
        start = np.array(shared[-1])
        window.canvas.zoom_to_feature(SECTORS, 1)
        window.canvas.zoom_by(1 / 1.3)
        # Towards a vertex of the science city's boundary a few vertices along: the drag
        # ends 3 pixels short, so the snap marker shows where the vertex will land.
        city = window.project.layer("hitech_science_city")
        ring = shapely.get_coordinates(city.frame.geometry.iloc[0])
        distance = np.hypot(*(ring - start).T)
        goal = ring[np.argsort(distance)[6]]
        target = goal + window.canvas.viewport.resolution * 3 / 111_000 * np.array([1.0, -1.0])
        _send(window, _event(window, "move", start, layer))
        _send(window, _event(window, "press", start, layer, held=True))
        for t in (0.3, 0.7, 1.0):
            _send(window, _event(window, "move", start + t * (target - start), layer, held=True))
        editing.tools.flush_preview()
    else:
        ring = shapely.get_coordinates(layer.frame.geometry.iloc[3])[:-1]
        start = ring[0]
        target = start + 1.35 * (ring[len(ring) // 2] - start)
        window.select_feature(layer.frame["id"].iloc[3])
        _send(window, _event(window, "move", start, layer))
        _send(window, _event(window, "press", start, layer, held=True))
        _send(window, _event(window, "move", (start + target) / 2, layer, held=True))
        _send(window, _event(window, "move", target, layer, held=True))
        _send(window, _event(window, "release", target, layer))
        window.canvas.zoom_to_feature(SECTORS, 3)
        window.canvas.zoom_by(1 / 1.6)
    app.processEvents()
    window.canvas.wait_for_render()
    app.processEvents()
    image = window.grab()
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out_path)):
        raise OSError(f"could not write {out_path}")
    editing.tools.tool.cancel()
    editing.operations.discard_all()
    window.project.set_modified(False)
    window.close()
    return out_path
