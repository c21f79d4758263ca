"""Basemap: pan and zoom over XYZ tiles from a loopback server, ours against QGIS's XYZ layer.

    .venv/bin/python benchmarks/bench_basemap.py [--delay-ms 20] [--runs 3]

A threaded HTTP server on 127.0.0.1 (tests/tile_server.py) serves generated 256-pixel PNG
tiles, each answer held ``--delay-ms`` as a network would. Both sides start with an empty
tile cache, a 1280x800 canvas in EPSG:3857 on Dalian at zoom 12, and then get the same input
(benchmarks/input_script.py: a 40-step drag at 60 Hz, then 12 wheel notches). Timed:

- first view: from setting the extent until every tile of the view is drawn;
- pan/zoom: from the first input event until the view after the last one is complete
  (ours: no tile of the view missing or on its way, and the image shown; QGIS: its map
  render finished, which for an XYZ layer waits for its tiles);
- the longest block of the event loop in each (a 5 ms timer), and the tiles each asked for.

The server's tiles are drawn in a first, uncounted round, so neither side pays for their
encoding. Ours: gisapp's MapCanvas alone with one tile layer; QGIS: QgsMapCanvas with the pan tool and
a ``type=xyz`` layer (benchmarks/peers/qgis_basemap.py), each in a fresh process, alternating.
Each canvas is painted once before the timing starts (the first paint loads fonts).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

from common import (
    BENCH_DIR,
    REPO,
    SYSTEM_PYTHON,
    load_average,
    machine,
    open_canvas,
    parse_figures,
    ratio,
    run,
)

GOAL_MS = 50
WIDTH, HEIGHT = 1280, 800
CENTER = (13_518_000.0, 4_700_000.0)  # Dalian, EPSG:3857
RESOLUTION = 38.2185  # zoom 12


def measure_ours(url: str) -> None:
    import os

    import input_script as script
    import PySide6
    from PySide6 import (
        QtCore,
        QtGui,  # noqa: F401 (the input script uses it)
    )

    from gisapp.core.geo.viewport import Viewport
    from gisapp.core.model.project import LayerGroup, Project
    from gisapp.core.model.tile_layer import TileLayer, TileSource

    assert os.environ.get("GISAPP_TILE_CACHE_DIR")
    app, canvas = open_canvas((WIDTH, HEIGHT))  # noqa: F841 (app kept alive)
    canvas.grab()  # the first paint loads fonts (76 ms here); a window has done that at start-up
    probe = script.LatencyProbe(PySide6)
    loop = QtCore.QEventLoop()

    def run_until_complete(after_ms: int = 0) -> None:
        state = {"posted": after_ms == 0}
        poll = QtCore.QTimer()
        poll.setInterval(5)

        def check() -> None:
            if state["posted"] and not canvas.is_rendering() and not canvas.tiles_loading() \
                    and canvas.tiles_missing() == 0:
                poll.stop()
                loop.quit()

        poll.timeout.connect(check)
        poll.start()
        if after_ms:
            QtCore.QTimer.singleShot(after_ms + 10, lambda: state.update(posted=True))
        loop.exec()

    probe.start()
    start = time.perf_counter()
    project = Project(groups=[LayerGroup("basemaps", "底图", "Basemaps")],
                      layers=[TileLayer("tiles", "瓦片", "Tiles", TileSource("xyz", url=url), group="basemaps")])
    canvas.set_project(project)
    canvas._set_viewport(Viewport(CENTER[0], CENTER[1], RESOLUTION, WIDTH, HEIGHT))
    run_until_complete()
    first_s = time.perf_counter() - start
    first_block = probe.stop()

    probe.start()
    start = time.perf_counter()
    last = script.schedule_pan_and_zoom(PySide6, canvas, canvas.width(), canvas.height())
    run_until_complete(last)
    panzoom_s = time.perf_counter() - start
    panzoom_block = probe.stop()
    canvas.shutdown()
    print(f"first_s={first_s:.3f} first_block_ms={first_block:.1f} panzoom_s={panzoom_s:.3f} "
          f"panzoom_block_ms={panzoom_block:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ours", metavar="URL", help=argparse.SUPPRESS)  # the measuring child
    args = parser.parse_args()
    if args.ours:
        measure_ours(args.ours)
        return
    sys.path.insert(0, str(REPO))
    from tests.tile_server import serve

    server = serve(delay_s=args.delay_ms / 1000)
    url = f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    ours, theirs = [], []
    # A first round is not counted: the server draws and encodes each tile once (PIL), and
    # that must not fall on whichever side asks first.
    for round_number in range(args.runs + 1):
        for side, results in (("ours", ours), ("qgis", theirs)):
            before = server.count()
            with tempfile.TemporaryDirectory() as folder:
                if side == "ours":
                    text = run([sys.executable, str(BENCH_DIR / "bench_basemap.py"), "--ours", url],
                               env={"GISAPP_TILE_CACHE_DIR": folder, "GISAPP_STATE_DIR": folder})
                else:
                    text = run([SYSTEM_PYTHON, str(BENCH_DIR / "peers" / "qgis_basemap.py"), url, str(WIDTH),
                                str(HEIGHT), str(CENTER[0]), str(CENTER[1]), str(RESOLUTION), folder])
            figures = parse_figures(text)
            figures["tiles"] = server.count() - before
            if round_number:
                results.append(figures)
    server.stop()

    def median(rows, key):
        return statistics.median(row[key] for row in rows)

    worst = max(max(r["first_block_ms"], r["panzoom_block_ms"]) for r in ours)
    print(f"basemap {WIDTH}x{HEIGHT}, tiles held {args.delay_ms:.0f} ms, median of {args.runs} runs | "
          f"first view ours {median(ours, 'first_s'):.2f} s, QGIS {median(theirs, 'first_s'):.2f} s "
          f"(ratio {ratio(median(ours, 'first_s'), median(theirs, 'first_s'))}) | "
          f"pan/zoom complete ours {median(ours, 'panzoom_s'):.2f} s, QGIS {median(theirs, 'panzoom_s'):.2f} s "
          f"(ratio {ratio(median(ours, 'panzoom_s'), median(theirs, 'panzoom_s'))}) | "
          f"longest UI block first/pan-zoom ours {median(ours, 'first_block_ms'):.0f}/"
          f"{median(ours, 'panzoom_block_ms'):.0f} ms, QGIS {median(theirs, 'first_block_ms'):.0f}/"
          f"{median(theirs, 'panzoom_block_ms'):.0f} ms (goal <= {GOAL_MS} ms, worst run ours {worst:.0f} ms) | "
          f"tiles asked ours {median(ours, 'tiles'):.0f}, QGIS {median(theirs, 'tiles'):.0f} | "
          f"{machine()}, {load_average()}")


if __name__ == "__main__":
    main()
