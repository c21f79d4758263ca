"""Attribute table: open, sort and scroll at up to a million rows, ours against QGIS's
attribute table model and pandas.

    .venv/bin/python benchmarks/bench_table.py 1000000

Ours: the real main window with the parcels opened (File > Open's code path). Times:
opening the table (Layer > Attribute table) until it is painted; sorting by the ``name``
column (text) and by ``far`` (numbers) as a header click does, until repainted; and 40
jumps of the scroll bar to random places, each until repainted (the model reads only the
cells on screen). QGIS (benchmarks/peers/qgis_table.py): QgsAttributeTableModel on a
QgsVectorLayerCache (what its attribute table dialog loads), then sorting its filter
model by the same columns. pandas: ``sort_values`` of the same column of the
GeoDataFrame in memory, for scale.
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import (
    BENCH_DIR,
    SYSTEM_PYTHON,
    load_average,
    machine,
    parcels,
    parse_figures,
    ratio,
    run,
    run_ours,
)

GOAL_OPEN_S = 1.0


def measure(path: str) -> None:
    import numpy as np
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from gisapp.io.catalogue import load_catalogue
    from gisapp.ui.shell.main_window import MainWindow

    window = MainWindow(load_catalogue(), "en")
    window.resize(1600, 1000)
    window.show()
    window.canvas.wait_for_render()
    window.open_paths([path]).wait()
    layer = window.project.layers[0]
    window.canvas.wait_for_render(600_000)
    while window.indicators.service.is_busy():  # let the dashboard finish its recomputation
        app.processEvents()
        time.sleep(0.01)

    start = time.perf_counter()
    table = window.open_attribute_table(layer.id)
    app.processEvents()
    table.view.viewport().repaint()
    open_s = time.perf_counter() - start

    def sort_by(name: str) -> float:
        column = table.model.columns.index(name)
        start = time.perf_counter()
        table.view.sortByColumn(column, Qt.AscendingOrder)
        app.processEvents()
        table.view.viewport().repaint()
        return time.perf_counter() - start

    sort_name_s = sort_by("name")
    first = table.model.index(0, table.model.columns.index("name")).data()
    assert first == layer.frame["name"].min(), (first, layer.frame["name"].min())
    sort_far_s = sort_by("far")

    bar = table.view.verticalScrollBar()
    rng = np.random.default_rng(3)
    steps = []
    for value in rng.integers(0, bar.maximum(), 40).tolist():
        start = time.perf_counter()
        bar.setValue(value)
        table.view.viewport().repaint()
        steps.append(time.perf_counter() - start)
    print(f"rows={len(layer)} open_s={open_s:.3f} sort_name_s={sort_name_s:.3f} sort_far_s={sort_far_s:.3f} "
          f"scroll_median_ms={1000 * statistics.median(steps):.1f} scroll_max_ms={1000 * max(steps):.1f}")
    window.project.set_modified(False)
    window.close()


def pandas_sort(path: str) -> dict[str, float]:
    import pyogrio

    frame = pyogrio.read_dataframe(path, columns=["name", "far"])
    out = {}
    for column in ("name", "far"):
        start = time.perf_counter()
        frame.sort_values(column, kind="stable")
        out[f"sort_{column}_s"] = time.perf_counter() - start
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = parcels(args.n)
    if args.measure:
        measure(str(path))
        return
    ours = run_ours("bench_table.py", str(args.n), "--measure")
    qgis = parse_figures(run([SYSTEM_PYTHON, str(BENCH_DIR / "peers" / "qgis_table.py"), str(path)]))
    pandas = pandas_sort(str(path))
    print(f"attribute table {args.n:,} rows: open {ours['open_s']:.2f} s (QGIS {qgis['open_s']:.2f} s, "
          f"ratio {ratio(ours['open_s'], qgis['open_s'])}; goal {GOAL_OPEN_S:.0f} s "
          f"{'met' if ours['open_s'] < GOAL_OPEN_S else 'NOT met'}) | sort by name {ours['sort_name_s']:.2f} s "
          f"(QGIS {qgis['sort_name_s']:.2f} s, ratio {ratio(ours['sort_name_s'], qgis['sort_name_s'])}; "
          f"pandas {pandas['sort_name_s']:.2f} s) | sort by far {ours['sort_far_s']:.2f} s "
          f"(QGIS {qgis['sort_far_s']:.2f} s, ratio {ratio(ours['sort_far_s'], qgis['sort_far_s'])}; "
          f"pandas {pandas['sort_far_s']:.2f} s) | scroll jump median {ours['scroll_median_ms']:.1f} ms, "
          f"max {ours['scroll_max_ms']:.1f} ms | {machine()}, {load_average()}")


if __name__ == "__main__":
    main()
