"""Print benchmark: an A3 landscape page at 300 dpi to PDF and to PNG, ours against QGIS.

    .venv/bin/python benchmarks/bench_print.py 100000 [--out DIR]

Both sides print the same GeoPackage of parcels (categorized by land_use with QGIS's
colours and default outline) on the same A3 landscape layout: a 300 x 277 mm map frame at
the layer's full extent in EPSG:3857 at the same scale (ours: the round scale that fits
the extent; QGIS is given that scale), a title, a legend, a scale bar and a north arrow
(benchmarks/peers/qgis_print.py builds it with QgsPrintLayout and QgsLayoutExporter).
Ours runs in a fresh process without a window (``gisapp print``'s code: export_layout).

- PDF: the export call until the file is written (QGIS reads the features from the file
  while it renders; ours reads the file first, timed apart as ``open``, and builds its
  draw cache inside the first export, which is the PDF);
- PNG: the same page as a 300 dpi image (4961 x 3508 pixels);
- sizes: the bytes of each file;
- CPU time of each export (all threads of the process: QGIS renders in worker threads),
  which a busy machine disturbs less than the wall-clock time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from common import (
    BENCH_DIR,
    load_average,
    machine,
    parcels,
    ratio,
    run_ours,
    run_qgis,
    style_like_qgis,
)


def layout_like_the_peer():
    from gisapp.core.layout.items import Layout, LayoutItem
    from gisapp.core.layout.page import Page

    return Layout("bench", Page("A3", landscape=True, margin_mm=10), [
        LayoutItem("map", "map", 10, 10, 300, 277),
        LayoutItem("title", "title", 315, 10, 95, 20, text_zh="Parcels of the Dalian High-tech Zone",
                   text_en="Parcels of the Dalian High-tech Zone", font_size_pt=16, frame=False),
        LayoutItem("north_arrow", "north_arrow", 315, 32, 14, 18, frame=False),
        LayoutItem("scale_bar", "scale_bar", 331, 34, 79, 14, frame=False),
        LayoutItem("legend", "legend", 315, 62, 95, 60),
    ])


def measure(path: str, out_dir: str, dpi: float) -> None:
    from gisapp.ui.shell.app import create_application

    create_application(offscreen=True)
    from gisapp.core.geo.geodesy import STORAGE_CRS
    from gisapp.core.model.project import Project
    from gisapp.io.vector import open_vector_file
    from gisapp.ui.layout.export import ExportOptions, export_layout

    start = time.perf_counter()
    layer = open_vector_file(path)[0]
    open_s = time.perf_counter() - start
    style_like_qgis(layer)
    project = Project(layers=[layer])
    layout = layout_like_the_peer()
    layout.item("map").extent = layer.bounds_in(STORAGE_CRS)  # the full extent, at the round scale that fits
    options = ExportOptions(lang="en", dpi=dpi)
    figures = {}
    for kind in ("pdf", "png"):
        out = Path(out_dir) / f"ours.{kind}"
        start, cpu = time.perf_counter(), time.process_time()
        export_layout(layout, project, out, options)
        figures[f"{kind}_s"] = time.perf_counter() - start
        figures[f"{kind}_cpu_s"] = time.process_time() - cpu
        figures[f"{kind}_bytes"] = out.stat().st_size
    from gisapp.core.layout.frames import map_view, view_scale

    ppm = dpi / 25.4
    item = layout.item("map")
    figures["scale"] = round(view_scale(map_view(item, project, round(item.width * ppm), round(item.height * ppm), ppm),
                                        ppm))
    print(f"features={len(layer)} open_s={open_s:.3f} " + " ".join(
        f"{k}={v:.3f}" if k.endswith("_s") else f"{k}={int(v)}" for k, v in figures.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of parcels (10000, 100000, 1000000)")
    parser.add_argument("--out", help="folder to keep the four files in (default: a temporary folder)")
    parser.add_argument("--dpi", type=float, default=300.0)
    parser.add_argument("--measure", nargs=2, metavar=("GPKG", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], args.measure[1], args.dpi)
        return
    path = parcels(args.n)
    with tempfile.TemporaryDirectory() as temp:
        out = args.out or temp
        Path(out).mkdir(parents=True, exist_ok=True)
        ours = run_ours("bench_print.py", str(args.n), "--dpi", str(args.dpi), "--measure", str(path), out)
        qgis = run_qgis(BENCH_DIR / "peers" / "qgis_print.py", str(path), out, str(args.dpi), str(ours["scale"]))
    mb = 1e6
    print(f"print A3 {args.dpi:g} dpi, {args.n:,} parcels: "
          f"PDF {ours['pdf_s']:.2f} s (QGIS {qgis['pdf_s']:.2f} s, ratio {ratio(ours['pdf_s'], qgis['pdf_s'])}), "
          f"{ours['pdf_bytes'] / mb:.1f} MB (QGIS {qgis['pdf_bytes'] / mb:.1f} MB, "
          f"ratio {ratio(ours['pdf_bytes'], qgis['pdf_bytes'])}) | "
          f"PNG {ours['png_s']:.2f} s (QGIS {qgis['png_s']:.2f} s, ratio {ratio(ours['png_s'], qgis['png_s'])}), "
          f"{ours['png_bytes'] / mb:.1f} MB (QGIS {qgis['png_bytes'] / mb:.1f} MB, "
          f"ratio {ratio(ours['png_bytes'], qgis['png_bytes'])}) | "
          f"CPU time PDF {ours['pdf_cpu_s']:.2f} s (QGIS {qgis['pdf_cpu_s']:.2f} s, "
          f"ratio {ratio(ours['pdf_cpu_s'], qgis['pdf_cpu_s'])}), PNG {ours['png_cpu_s']:.2f} s "
          f"(QGIS {qgis['png_cpu_s']:.2f} s, ratio {ratio(ours['png_cpu_s'], qgis['png_cpu_s'])}) | "
          f"open {ours['open_s']:.2f} s (QGIS {qgis['open_s']:.2f} s) | {machine()}, {load_average()}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
