"""Render benchmark: open, first full-extent render and pan/zoom, ours against QGIS.

    .venv/bin/python benchmarks/bench_render.py 100000 [--png DIR]

Both sides render the same GeoPackage at 1280x800 in EPSG:3857, categorized by land_use
with QGIS's default outline, at the same full extent and the same 10 pan/zoom extents
(../shared/bench/qgis_render.py). Ours runs in a fresh process through the real map
canvas (offscreen): the layer is read with ``open_vector_file`` as File > Open does.

- open: reading the file (ours reads every feature; QGIS only opens the data source);
- first render: from handing the project to the canvas until the first image is shown,
  including the debounce timer and building the layer's draw cache (QGIS: the render
  job, which reads the features from the file);
- pan/zoom: median render-job time over the 10 extents (QGIS: the same).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from common import (
    SIZE,
    full_extent_3857,
    load_average,
    machine,
    open_canvas,
    parcels,
    peer,
    peer_extents,
    ratio,
    run_ours,
    run_qgis,
    style_like_qgis,
    wait,
)


def measure(path: str, png: str | None) -> None:
    app, canvas = open_canvas(SIZE)
    from gisapp.core.geo.viewport import Viewport
    from gisapp.core.model.project import Project
    from gisapp.io.vector import open_vector_file

    finished: list[float] = []
    canvas.renderFinished.connect(lambda: finished.append(time.perf_counter()))

    start = time.perf_counter()
    layer = open_vector_file(path)[0]
    open_s = time.perf_counter() - start
    style_like_qgis(layer)
    full = full_extent_3857(path)
    target = Viewport(width=SIZE[0], height=SIZE[1], crs="EPSG:3857").fitted(full, margin=0)

    start = time.perf_counter()
    canvas.set_project(Project(layers=[layer]))
    canvas._set_viewport(target)  # the QGIS full extent, before the debounce fires
    assert wait(app, lambda: finished)
    first_s = finished[-1] - start
    if png:
        canvas._image.save(png)
    times = []
    for extent in peer_extents(full):
        finished.clear()
        canvas._set_viewport(target.fitted(extent, margin=0))
        assert wait(app, lambda: finished)
        times.append(canvas.last_render_ms / 1000)
    if "-v" in sys.argv:
        print("pan/zoom ms:", [round(t * 1000) for t in times], file=sys.stderr)
    print(f"features={len(layer)} open_s={open_s:.3f} first_render_s={first_s:.3f} "
          f"panzoom_median_ms={1000 * statistics.median(times):.1f}")
    canvas.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of parcels (10000 up to 5000000)")
    parser.add_argument("--png", help="folder for the two first-render images")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("-v", action="store_true", help="print each pan/zoom time")
    args = parser.parse_args()
    path = parcels(args.n)
    if args.measure:
        measure(str(path), args.png)
        return
    ours = run_ours("bench_render.py", str(args.n), "--measure",
                    *(["--png", f"{args.png}/ours_{args.n}.png"] if args.png else []))
    qgis = run_qgis(peer("qgis_render.py"), str(path), *([f"{args.png}/qgis_{args.n}.png"] if args.png else []))
    ours_total = ours["open_s"] + ours["first_render_s"]
    qgis_total = qgis["open_s"] + qgis["first_render_s"]
    print(f"render {args.n:,} parcels: "
          f"first render {ours['first_render_s']:.2f} s (QGIS {qgis['first_render_s']:.2f} s, "
          f"ratio {ratio(ours['first_render_s'], qgis['first_render_s'])}) | "
          f"pan/zoom median {ours['panzoom_median_ms']:.0f} ms (QGIS {qgis['panzoom_median_ms']:.0f} ms, "
          f"ratio {ratio(ours['panzoom_median_ms'], qgis['panzoom_median_ms'])}) | "
          f"open {ours['open_s']:.2f} s (QGIS {qgis['open_s']:.2f} s) | "
          f"open+first {ours_total:.2f} s (QGIS {qgis_total:.2f} s, ratio {ratio(ours_total, qgis_total)}) | "
          f"{machine()}, {load_average()}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
