"""Runs in a subprocess: a real (offscreen) window opens hostile cases one after the other
and does what a user does next. Each case arrives as one JSON line on stdin ({"name", "kind",
"paths", "out_dir"}); the answers are a {"begin": name} line, then {"end": name, "result": ...,
"healthy": ...} on stdout. A crash or hang shows as a missing "end" line. "healthy" is false
when the window could not be put back to the bundled project: the parent then starts a new
child, so every case starts from the same window.

Usage: python window_child.py
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from gisapp.core.model.layer import VectorLayer  # noqa: E402
from gisapp.io.catalogue import load_catalogue  # noqa: E402
from gisapp.io.errors import GisIOError  # noqa: E402
from gisapp.ui.shell.app import create_application  # noqa: E402
from gisapp.ui.shell.main_window import MainWindow  # noqa: E402


def settle(app: QApplication, window: MainWindow, indicators: bool = True, timeout_s: float = 60) -> None:
    """Until the window is idle: posted events handled, the map drawn and, with
    ``indicators``, the spatial indicators (recomputed 0.6 s after layers change) shown."""
    end = time.monotonic() + timeout_s
    for _ in range(3):
        app.processEvents()
    while time.monotonic() < end and (window.canvas.is_rendering()
                                      or (indicators and window.indicators.service.is_busy())):
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def take_messages(app: QApplication) -> list[str]:
    """Texts of the message boxes now showing (then closed), as the user would read them."""
    texts = []
    for widget in app.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            texts.append("\n".join(part for part in (widget.windowTitle(), widget.text(),
                                                     widget.informativeText(), widget.detailedText()) if part))
            widget.done(0)
    return texts


def project_state(window: MainWindow) -> list:
    return [(layer.id, len(layer) if isinstance(layer, VectorLayer) else layer.kind) for layer in window.project.layers]


def exercise_layers(app: QApplication, window: MainWindow, layer_ids: list[str], out_dir: Path) -> list[str]:
    """Zoom full, zoom to layer, select all and zoom to it, the attribute table, resize, export, save."""
    from gisapp.export.web.webmap import WebMapOptions, export_web_map
    from gisapp.io.project_gpkg import save_project

    steps = []
    window.canvas.zoom_full()
    settle(app, window)
    steps.append("zoom_full")
    for layer_id in layer_ids:
        window.canvas.zoom_to_layer(layer_id)
        settle(app, window)
        steps.append("zoom_layer")
        if not isinstance(window.project.map_layer(layer_id), VectorLayer):  # a raster: identify at the centre
            window.canvas.identify_at(window.canvas.width() / 2, window.canvas.height() / 2)
            settle(app, window)
            steps.append("identify")
            continue
        layer = window.project.layer(layer_id)
        layer.select(list(range(len(layer))))
        window.zoom_to_selection()
        settle(app, window)
        steps.append("zoom_selection")
        window.open_attribute_table(layer_id)
        settle(app, window)
        steps.append("attribute_table")
        layer.select([])
    for size in ((1280, 800), (300, 200), (1600, 1000)):
        window.resize(*size)
        settle(app, window)
    steps.append("resize")
    try:
        # The web map takes vector layers (a raster's id is not offered there); the rest export as usual.
        vector_ids = [i for i in layer_ids if isinstance(window.project.map_layer(i), VectorLayer)] or None
        export_web_map(window.project, out_dir / "export.html", WebMapOptions(lang="zh", layer_ids=vector_ids))
        steps.append("web_export")
    except GisIOError as exc:
        steps.append(f"web_export refused: {exc}")
    try:
        save_project(window.project, out_dir / "saved.gpkg")
        steps.append("save")
    except GisIOError as exc:
        steps.append(f"save refused: {exc}")
    return steps


def run_case(app: QApplication, window: MainWindow, case: dict, out_dir: Path) -> dict:
    before, before_project = project_state(window), window.project
    before_actuals = window.project.indicators.actuals.records()
    before_ids = {layer_id for layer_id, _ in before}
    result: dict = {"name": case["name"], "messages": [], "steps": [], "error": None}
    paths = case["paths"]
    if case["kind"] == "actuals":
        actuals_before = len(window.project.indicators.actuals)
        window.indicators.import_csv(paths[0])
        result["actuals_added"] = len(window.project.indicators.actuals) - actuals_before
    else:
        window.open_paths(paths).wait()
    settle(app, window)
    result["messages"] = take_messages(app)
    result["status"] = window.statusBar().currentMessage()
    # What a refusal owes: the same project, the same layers, the same actuals.
    result["unchanged"] = (window.project is before_project and project_state(window) == before
                           and window.project.indicators.actuals.records() == before_actuals)
    added = [layer.id for layer in window.project.layers if layer.id not in before_ids]
    if case["kind"] == "project":
        added = [layer.id for layer in window.project.layers]
        result["project_replaced"] = window.project is not before_project
    result["layers_added"] = added
    if added:
        result["steps"] = exercise_layers(app, window, added, out_dir)
        result["messages"] += take_messages(app)
    result["after_messages"] = take_messages(app)
    return result


def restore(app: QApplication, window: MainWindow, bundled, initial_state: list, initial_actuals: list) -> bool:
    """Back to the bundled project with its own layers, for the next case; False when the
    window is not as it was at the start."""
    if window.project is not bundled:
        window.project.set_modified(False)
        window.set_project(bundled)
    initial_ids = {layer_id for layer_id, _ in initial_state}
    for layer in list(bundled.layers):
        if layer.id not in initial_ids:
            bundled.remove_layer(layer.id)
    bundled.indicators.actuals.replace_all(initial_actuals)
    bundled.set_modified(False)
    take_messages(app)
    window.resize(1600, 1000)
    # The indicators' recompute after the restore joins the next case's (one debounce timer).
    settle(app, window, indicators=False)
    return (window.isVisible() and window.project is bundled and project_state(window) == initial_state
            and bundled.indicators.actuals.records() == initial_actuals and not take_messages(app)
            and not [w for w in app.topLevelWidgets() if w.isModal() and w.isVisible()])


def main() -> int:
    app = create_application(offscreen=True)
    bundled = load_catalogue()
    window = MainWindow(bundled, "zh")
    window.resize(1600, 1000)
    window.show()
    settle(app, window)
    initial_state, initial_actuals = project_state(window), bundled.indicators.actuals.records()
    for line in sys.stdin:
        case = json.loads(line)
        print(json.dumps({"begin": case["name"]}), flush=True)
        case_dir = Path(case["out_dir"])
        case_dir.mkdir(parents=True, exist_ok=True)
        try:
            result = run_case(app, window, case, case_dir)
        except Exception:  # reported, not hidden: the test fails on it
            result = {"name": case["name"], "error": traceback.format_exc(), "messages": take_messages(app)}
        try:
            healthy = restore(app, window, bundled, initial_state, initial_actuals)
        except Exception:
            healthy = False
        print(json.dumps({"end": case["name"], "result": result, "healthy": healthy},
                         ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
