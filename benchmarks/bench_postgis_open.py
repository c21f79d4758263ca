"""A large layer published in PostGIS: the time from opening it to the first picture, ours
against QGIS 3.22's PostGIS provider on the same table in the same run.

    .venv/bin/python benchmarks/bench_postgis_open.py 100000

Set-up: a throw-away PostgreSQL 15 / PostGIS 3 cluster on loopback (tests/postgis_server.py);
the synthetic parcels (benchmarks/common.py: parcels) published by ``publish_project`` into the
schema ``bench`` (a table with a primary key and a GiST index, its style in layer_styles),
without labels unless ``--labels`` (as bench_open: QGIS would place a label for every parcel,
gisapp at most 400). The time the publish takes is printed too.

Ours: the real main window on the bundled project (1600x1000), the view on the parcels'
extent, then ``--project postgresql://...?schema=bench``'s code path (``open_paths`` with the
URL: the project read on the open thread, then shown). *First picture*: from the open until
the canvas shows a finished render with the parcels. A 5 ms timer measures the longest
event-loop block meanwhile (benchmarks/input_script.py).

QGIS (benchmarks/peers/qgis_postgis_open.py): a QgsMapCanvas of our canvas's size adds the
table through the ``postgres`` provider and renders its full extent (QGIS reads while it
renders); the same timer runs.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from common import (
    BENCH_DIR,
    SYSTEM_PYTHON,
    ChildKilled,
    load_average,
    machine,
    parcels,
    parse_figures,
    ratio,
    run,
    run_ours,
)

SCHEMA = "bench"


def measure(url: str) -> None:
    import input_script as script
    from common import qt_binding
    from PySide6 import QtCore, QtWidgets

    from gisapp.core.geo.flatgeom import project_xy
    from gisapp.io.postgis.connection import connect, parse_url

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])  # noqa: F841 (kept alive)
    import numpy as np

    from gisapp.io.catalogue import load_catalogue
    from gisapp.ui.shell.main_window import MainWindow

    with connect(parse_url(url)) as con:
        xmin, ymin, xmax, ymax = con.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            "(SELECT ST_Extent(geom) AS e FROM bench.parcels) s").fetchone()
    window = MainWindow(load_catalogue(), "en")
    window.resize(1600, 1000)
    window.show()
    canvas = window.canvas
    canvas.wait_for_render()
    x, y = project_xy(np.array([xmin, xmax]), np.array([ymin, ymax]), "EPSG:4326", canvas.viewport.crs)
    canvas._set_viewport(canvas.viewport.fitted((x[0], y[0], x[1], y[1])))
    canvas.wait_for_render()
    drawing_it: set[int] = set()
    state: dict[str, float | None] = {"first": None}
    start_render, on_finished = canvas._start_render, canvas._on_render_finished

    def with_parcels() -> bool:
        layer = window.project.layer("parcels") if any(
            v.id == "parcels" for v in window.project.vector_layers()) else None
        return layer is not None and len(layer) > 0

    def start_and_note() -> None:
        start_render()
        if canvas._job is not None and with_parcels() and any(s.layer_id == "parcels" for s in canvas._job.layers):
            drawing_it.add(canvas._job.id)

    def finished_and_note(job_id: int) -> None:
        on_finished(job_id)
        if job_id in drawing_it and canvas._job is None and not canvas.last_render_error and state["first"] is None:
            state["first"] = time.perf_counter()
            loop.quit()

    canvas._start_render = start_and_note
    canvas._renderer.finished.disconnect(on_finished)
    canvas._renderer.finished.connect(finished_and_note)
    loop = QtCore.QEventLoop()
    probe = script.LatencyProbe(qt_binding())
    probe.start()
    start = time.perf_counter()
    batch = window.open_paths([url])
    QtCore.QTimer.singleShot(3_600_000, loop.quit)
    loop.exec()
    block = probe.stop()
    if state["first"] is None or batch.outcome.refused:
        raise RuntimeError(f"not drawn: {[str(e) for e in batch.outcome.refused]}")
    print(f"canvas_w={canvas.width()} canvas_h={canvas.height()} features={len(window.project.layer('parcels'))} "
          f"first_picture_s={state['first'] - start:.2f} block_ms={block:.1f}")
    window.project.set_modified(False)
    window.close()


def publish(n: int, spec, labels: bool) -> float:
    """The parcels published as a one-layer project; seconds it took."""
    from gisapp.core.model.project import Project
    from gisapp.io.postgis.project import publish_project
    from gisapp.io.vector import open_vector_file

    [layer] = open_vector_file(parcels(n))
    layer.id = "parcels"
    if not labels:  # as bench_open: fills and outlines only (QGIS would label all of them, gisapp 400)
        layer.label_field = ""
    start = time.perf_counter()
    publish_project(Project(title_zh="地块", title_en="Parcels", layers=[layer]), spec, SCHEMA)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of parcels (100000, 1000000)")
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--labels", action="store_true",
                        help="publish the parcels labelled by name (QGIS then labels every parcel it draws)")
    parser.add_argument("--peer-timeout", type=float, default=900.0, help="seconds QGIS may take (default 900)")
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    from tests.postgis_server import PostgisServer

    server = PostgisServer.start_new()
    try:
        spec = server.new_database()
        publish_s = publish(args.n, spec, args.labels)
        folder = Path(tempfile.mkdtemp(prefix="gisapp-bench-pg-"))
        pgpass = folder / "pgpass"  # the password as libpq reads it: never on a command line
        pgpass.write_text(f"127.0.0.1:{server.port}:*:postgres:{server.password}\n")
        pgpass.chmod(0o600)
        os.environ["PGPASSFILE"] = str(pgpass)
        url = f"postgresql://postgres@127.0.0.1:{server.port}/{spec.dbname}?schema={SCHEMA}&sslmode=disable"
        ours = run_ours("bench_postgis_open.py", str(args.n), "--measure", url)
        print(f"ours: first_picture_s={ours['first_picture_s']:.2f} block_ms={ours['block_ms']:.0f} "
              f"publish_s={publish_s:.1f}", flush=True)
        try:
            qgis = parse_figures(run([SYSTEM_PYTHON, str(BENCH_DIR / "peers" / "qgis_postgis_open.py"),
                                      f"host=127.0.0.1 port={server.port} dbname={spec.dbname} user=postgres "
                                      "sslmode=disable", SCHEMA, "parcels",
                                      str(int(ours["canvas_w"])), str(int(ours["canvas_h"]))], timeout=args.peer_timeout))
        except ChildKilled:
            qgis = None
    finally:
        server.destroy()
    if qgis is None:
        peer = f"QGIS's postgres provider had not drawn it after {args.peer_timeout:.0f} s"
        verdict = "met"
    else:
        peer = (f"QGIS's postgres provider, open + full render {qgis['first_picture_s']:.2f} s, longest UI block "
                f"{qgis['block_ms']:.0f} ms; ratio {ratio(ours['first_picture_s'], qgis['first_picture_s'])}")
        verdict = "met" if ours["first_picture_s"] <= qgis["first_picture_s"] else "NOT met"
    print(f"PostGIS {args.n:,} parcels: open to first picture {ours['first_picture_s']:.2f} s, longest UI block "
          f"{ours['block_ms']:.0f} ms ({peer}; goal: no slower, {verdict}) | publish {publish_s:.1f} s | "
          f"{machine()}, {load_average()}")


if __name__ == "__main__":
    main()
