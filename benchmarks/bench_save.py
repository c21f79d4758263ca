"""Saving edits to a project GeoPackage of N parcels: in place, a full rewrite, and QGIS.

    .venv/bin/python benchmarks/bench_save.py 1000000

The project is the parcels of ../shared/bench/make_parcels.py saved once by gisapp as a
project GeoPackage (cached beside the parcels). For 1 and for 1,000 parcels (every
N/1000-th), the same edit on both sides: each parcel's geometry moved by (0.0001°, 0.0001°).

- Ours, in place: the project opened with gisapp, the edit applied through the edit
  session as the window does, then ``save_project`` with the session's row changes (what
  *Save edits* runs): the changed rows and gisapp's metadata rows in one SQLite transaction.
- Ours, full rewrite: ``save_project(..., in_place=False)`` of the same edited project, the
  atomic rewrite every save did before (temporary GeoPackage, fsync, rename) and *Save As*
  does.
- QGIS 3.22 (benchmarks/peers/qgis_commit.py): the same table of a fresh copy of the same
  file as a QgsVectorLayer, ``changeGeometry`` of the same features in its edit buffer,
  then ``commitChanges``; its figure is ``commitChanges`` alone.

Goal: one edited feature saved in under 0.3 s, at most a tenth of the full rewrite, and no
slower than QGIS's commit.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from common import CACHE, load_average, machine, parcels, ratio, run_qgis

DX = DY = 0.0001
GOAL_S = 0.3


def project_file(n: int) -> Path:
    """The parcels as a gisapp project GeoPackage (written once)."""
    path = CACHE / f"project_{n}.gpkg"
    if not path.exists():
        from gisapp.core.model.project import Project
        from gisapp.io.project_gpkg import save_project
        from gisapp.io.vector import open_vector_file

        project = Project(title_zh="地块", title_en="Parcels", layers=open_vector_file(parcels(n)))
        temp = path.with_suffix(".tmp.gpkg")
        save_project(project, temp)
        temp.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=1_000_000)
    args = parser.parse_args()
    import shapely

    from gisapp.core.editing.edits import SetGeometries
    from gisapp.core.editing.session import EditSession
    from gisapp.io.project_gpkg import load_project, save_project

    source = project_file(args.n)
    work = Path(tempfile.mkdtemp(prefix="bench-save-", dir=CACHE))
    try:
        for count in (1, 1000):
            ours_path, qgis_path = work / "ours.gpkg", work / "qgis.gpkg"
            shutil.copy(source, ours_path)
            shutil.copy(source, qgis_path)
            project = load_project(ours_path)
            layer = project.layers[0]
            session = EditSession(project)
            rows = list(range(args.n // 2, args.n, max(1, args.n // 2 // count)))[:count]
            moved = shapely.transform(layer.frame.geometry.array[rows], lambda xy: xy + (DX, DY))
            session.apply(SetGeometries(layer.id, rows, list(moved), project=project))
            fids = session.row_changes()[layer.id].pending().fids.tolist()
            start = time.perf_counter()
            how = save_project(project, ours_path, session.row_changes())
            in_place_s = time.perf_counter() - start
            assert how == "in_place", how
            start = time.perf_counter()
            how = save_project(project, ours_path, in_place=False)
            rewrite_s = time.perf_counter() - start
            assert how == "rewrite", how
            with sqlite3.connect(source) as db:  # the project's one feature table
                table = db.execute("SELECT table_name FROM gpkg_geometry_columns").fetchone()[0]
            qgis = run_qgis(peer_script(), str(qgis_path), table, str(DX), str(DY), *map(str, fids))
            print(f"save edits n={args.n} features={count}: in place {in_place_s:.3f} s, full rewrite "
                  f"{rewrite_s:.2f} s (ratio {ratio(in_place_s, rewrite_s)}), QGIS commitChanges "
                  f"{qgis['commit_s']:.3f} s (ratio {ratio(in_place_s, qgis['commit_s'])}); "
                  f"goal one feature < {GOAL_S} s, <= 0.1 of the rewrite, <= QGIS | {machine()}, {load_average()}",
                  flush=True)
            del project, layer, session
    finally:
        shutil.rmtree(work, ignore_errors=True)


def peer_script() -> Path:
    return Path(__file__).resolve().parent / "peers" / "qgis_commit.py"


if __name__ == "__main__":
    sys.exit(main())
