"""Runs in a subprocess: a real (offscreen) window opens each hostile case and does what a user
does next. One JSON line per case goes to stdout; a crash or hang shows as a missing line.

Usage: python window_child.py CASES.json OUT_DIR [FIRST_INDEX]
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

from gisapp.io.catalogue import load_catalogue  # noqa: E402
from gisapp.io.errors import GisIOError  # noqa: E402
from gisapp.ui.shell.app import create_application  # noqa: E402
from gisapp.ui.shell.main_window import MainWindow  # noqa: E402


def settle(app: QApplication, window: MainWindow, seconds: float = 0.2) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    window.canvas.wait_for_render()
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
    return [(layer.id, len(layer)) for layer in window.project.layers]


def exercise_layers(app: QApplication, window: MainWindow, layer_ids: list[str], out_dir: Path) -> list[str]:
    """Zoom full, zoom to layer, select all and zoom to it, the attribute table, resize, export, save."""
    from gisapp.export.web.webmap import WebMapOptions, export_web_map
    from gisapp.io.project_gpkg import save_project

    steps = []
    window.canvas.zoom_full()
    settle(app, window)
    steps.append("zoom_full")
    for layer_id in layer_ids:
        layer = window.project.layer(layer_id)
        window.canvas.zoom_to_layer(layer_id)
        settle(app, window)
        steps.append("zoom_layer")
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
        export_web_map(window.project, out_dir / "export.html", WebMapOptions(lang="zh", layer_ids=layer_ids))
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
    before = project_state(window)
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
    added = [layer.id for layer in window.project.layers if layer.id not in before_ids]
    if case["kind"] == "project":
        added = [layer.id for layer in window.project.layers]
        result["project_replaced"] = project_state(window) != before
    result["layers_added"] = added
    if added:
        result["steps"] = exercise_layers(app, window, added, out_dir)
        result["messages"] += take_messages(app)
    result["after_messages"] = take_messages(app)
    return result


def restore(window: MainWindow, bundled, original_ids: set[str]) -> None:
    """Back to the bundled project with its own layers, for the next case."""
    if window.project is not bundled:
        window.project.set_modified(False)
        window.set_project(bundled)
    for layer in list(bundled.layers):
        if layer.id not in original_ids:
            bundled.remove_layer(layer.id)
    bundled.set_modified(False)


def main() -> int:
    cases = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out_dir = Path(sys.argv[2])
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    app = create_application(offscreen=True)
    bundled = load_catalogue()
    original_ids = {layer.id for layer in bundled.layers}
    window = MainWindow(bundled, "zh")
    window.resize(1600, 1000)
    window.show()
    settle(app, window)
    for index in range(first, len(cases)):
        case = cases[index]
        print(json.dumps({"begin": index, "name": case["name"]}), flush=True)
        if window.project is not bundled:
            window.set_project(bundled)
        window.resize(1600, 1000)
        settle(app, window)
        case_dir = out_dir / case["name"]
        case_dir.mkdir(parents=True, exist_ok=True)
        try:
            result = run_case(app, window, case, case_dir)
        except Exception:  # reported, not hidden: the test fails on it
            result = {"name": case["name"], "error": traceback.format_exc(), "messages": take_messages(app)}
        restore(window, bundled, original_ids)
        print(json.dumps({"end": index, "result": result}, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
