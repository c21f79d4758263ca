"""Raster: a tiled GeoTIFF with overviews drawn in Web Mercator, ours against QGIS's raster layer.

    .venv/bin/python benchmarks/bench_raster.py [--size 8192] [--runs 5]

The data is an RGB GeoTIFF of SIZE x SIZE pixels in EPSG:4326 over the Hi-tech Zone (DEFLATE,
256-pixel tiles, internal overviews 2-64: what a COG holds, though not in the COG driver's byte
order), generated once into the bench cache. Both sides render it into
a 1280x800 image in EPSG:3857 (a warp from lon/lat) at three views: the whole raster (an
overview is enough), a quarter of it, and a close view where full-resolution pixels are drawn.
Timed: the median of ``--runs`` renders after one uncounted render that opens the file.
Ours: gisapp.ui.map.render.render_image with a RasterSnapshot (what the canvas's render
thread does: open, choose the overview, WarpedVRT, colour, one QImage), which also says the
overview level it read. QGIS: QgsMapRendererSequentialJob (benchmarks/peers/qgis_raster.py).
Each side runs in a fresh process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from common import BENCH_DIR, CACHE, SYSTEM_PYTHON, load_average, machine, parse_figures, ratio, run

WIDTH, HEIGHT = 1280, 800
BOUNDS = (121.35, 38.80, 121.70, 39.05)


def raster(size: int):
    import numpy as np
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.transform import from_bounds
    from rasterio.windows import Window

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"raster_rgb_{size}.tif"
    if path.exists():
        return path
    temp = path.with_suffix(".tmp.tif")
    with rasterio.open(temp, "w", driver="GTiff", width=size, height=size, count=3, dtype="uint8", crs="EPSG:4326",
                       transform=from_bounds(*BOUNDS, size, size), tiled=True, blockxsize=256, blockysize=256,
                       compress="deflate", photometric="RGB") as dst:
        step = 1024
        for row in range(0, size, step):
            y, x = np.mgrid[row:min(size, row + step), 0:size]
            block = np.stack([(128 + 100 * np.sin(x / 90.0)), (128 + 100 * np.cos(y / 70.0)), (x + y) % 256])
            dst.write(block.astype(np.uint8), window=Window(0, row, size, block.shape[1]))
        dst.build_overviews([2, 4, 8, 16, 32, 64], Resampling.average)
    temp.replace(path)
    return path


def views() -> list[tuple[float, float, float, float]]:
    from gisapp.core.geo.geodesy import transformer

    west, south, east, north = transformer("EPSG:4326", "EPSG:3857").transform_bounds(*BOUNDS)
    cx, cy = (west + east) / 2, (south + north) / 2

    def around(half_width: float) -> tuple[float, float, float, float]:
        half_height = half_width * HEIGHT / WIDTH
        return (cx - half_width, cy - half_height, cx + half_width, cy + half_height)

    whole = max(east - west, (north - south) * WIDTH / HEIGHT) / 2
    return [around(whole), around(whole / 4), around(WIDTH * 0.6 / 2)]  # the last: 0.6 m a pixel


def measure_ours(path: str, runs: int) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # noqa: F841 (kept alive)
    from PySide6.QtGui import QFont

    from gisapp.core.geo.viewport import Viewport
    from gisapp.io.raster import open_raster
    from gisapp.ui.map.rasters import RasterSnapshot
    from gisapp.ui.map.render import render_image

    layer = open_raster(path)
    figures = []
    for number, (xmin, ymin, xmax, ymax) in enumerate(views()):
        viewport = Viewport((xmin + xmax) / 2, (ymin + ymax) / 2, (xmax - xmin) / WIDTH, WIDTH, HEIGHT)
        times, level = [], None
        for _ in range(runs + 1):
            snapshot = RasterSnapshot.of(layer)
            start = time.perf_counter()
            image = render_image([snapshot], viewport, QFont())
            times.append(time.perf_counter() - start)
            assert image is not None and not snapshot.problems, snapshot.problems
            level = snapshot.overview_level
        figures.append(f"view{number}_s={statistics.median(times[1:]):.4f} view{number}_level={level}")
    print(" ".join(figures), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=8192)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ours", metavar="FILE", help=argparse.SUPPRESS)  # the measuring child
    args = parser.parse_args()
    if args.ours:
        measure_ours(args.ours, args.runs)
        return
    path = raster(args.size)
    ours = parse_figures(run([sys.executable, str(BENCH_DIR / "bench_raster.py"), "--ours", str(path),
                              "--runs", str(args.runs)]))
    extents = [",".join(repr(v) for v in view) for view in views()]
    theirs = parse_figures(run([SYSTEM_PYTHON, str(BENCH_DIR / "peers" / "qgis_raster.py"), str(path), str(WIDTH),
                                str(HEIGHT), str(args.runs), *extents]))
    names = ("whole", "quarter", "close")
    parts = [f"{name} ours {ours[f'view{i}_s'] * 1000:.0f} ms (overview {int(ours[f'view{i}_level'])}), "
             f"QGIS {theirs[f'view{i}_s'] * 1000:.0f} ms (ratio {ratio(ours[f'view{i}_s'], theirs[f'view{i}_s'])})"
             for i, name in enumerate(names)]
    print(f"raster {args.size}x{args.size} RGB tiled GeoTIFF with overviews in EPSG:4326 drawn at {WIDTH}x{HEIGHT} in EPSG:3857, "
          f"median of {args.runs} | " + " | ".join(parts) + f" | {machine()}, {load_average()}")


if __name__ == "__main__":
    main()
