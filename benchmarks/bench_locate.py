"""Locate: searching a large parcel layer by name, ours (one lowered string, ``str.find``)
against pandas ``str.contains`` over the same text columns (the obvious way), in one process.

    .venv/bin/python benchmarks/bench_locate.py [--rows 1000000] [--runs 5]

The layer is the synthetic parcel GeoPackage of the other benchmarks (benchmarks/common.py).
Timed: building our index once (done off the UI thread in the window), then for each query
the median of ``--runs`` searches, ours capped at 50 hits as the window asks, pandas over
every row (it cannot stop early): a rare text, a common one and one that matches nothing.
Then, in a window-less Qt event loop with a 5 ms timer, the longest gap between ticks while
the locate box builds the index on its worker thread, against the same build on the UI thread.
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd
from common import load_average, machine, parcels, ratio

from gisapp.core.model.locate import LayerText, text_columns
from gisapp.io.vector import read_layer


def _median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    frame, _report = read_layer(parcels(args.rows))
    columns = text_columns(frame)
    start = time.perf_counter()
    text = LayerText.build(frame)
    build_s = time.perf_counter() - start
    lowered = {column: frame[column].astype("string").fillna("").str.lower() for column in columns}
    sample = str(frame[columns[0]].iloc[len(frame) // 2]).lower()
    figures = [f"rows={len(frame)}", f"index_build_s={build_s:.2f}"]
    for name, query in (("rare", sample), ("common", sample[:2]), ("none", "zzqx")):
        ours = _median_ms(lambda query=query: text.find(query, 50), args.runs)

        def theirs(query=query) -> pd.Series:
            hit = pd.Series(False, index=frame.index)
            for values in lowered.values():
                hit |= values.str.contains(query, regex=False)
            return hit
        peer = _median_ms(theirs, args.runs)
        figures.append(f"{name}_ours_ms={ours:.1f} {name}_pandas_ms={peer:.1f} {name}_ratio={ratio(ours, peer)}")
    figures.append(_event_loop_blocks(frame))
    print(" ".join(figures), f"load={load_average()}", f"machine={machine()}")


def _event_loop_blocks(frame) -> str:
    """Longest event-loop block (ms) while indexing in the background, and on the UI thread."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from gisapp.core.model.layer import VectorLayer
    from gisapp.core.model.project import Project
    from gisapp.ui.tools.locate_box import LocateBox

    app = QApplication.instance() or QApplication([])
    box = LocateBox()
    box.set_project(Project(layers=[VectorLayer("parcels", "地块", "Parcels", frame)]))
    clock, longest, last = QElapsedTimer(), [0.0], [0.0]
    timer = QTimer(interval=5)

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        longest[0] = max(longest[0], now - last[0])
        last[0] = now
    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    box.search("parcel")  # starts the background build
    start = time.perf_counter()
    while box._building and time.perf_counter() - start < 3600:
        app.processEvents()
        time.sleep(0.001)
    background = longest[0]
    longest[0], last[0] = 0.0, clock.nsecsElapsed() / 1e6
    QTimer.singleShot(0, lambda: LayerText.build(frame))  # the peer: the same build on the UI thread
    end = time.perf_counter() + 0.5
    while time.perf_counter() < end or longest[0] == 0.0:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    box.shutdown()
    return f"ui_block_background_ms={background:.0f} ui_block_on_ui_thread_ms={longest[0]:.0f}"


if __name__ == "__main__":
    main()
