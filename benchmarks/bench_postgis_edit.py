"""Team editing on PostGIS: saving 1,000 edited features, and eight editors at once, beside QGIS.

    .venv/bin/python benchmarks/bench_postgis_edit.py [N] [--seconds 30]

A throw-away PostgreSQL/PostGIS cluster on loopback (tests/postgis_server.py) holds the
parcels of ../shared/bench/make_parcels.py (N, default 100,000) twice, as two tables
prepared for team editing (row versions, audit and NOTIFY triggers on both, so both sides pay
for them).

- Save: 1,000 parcels spread over the table moved by (0.0001°, 0.0001°). Ours: the table
  opened as a gisapp layer, the move applied through the edit session, then ``save_layer``
  (versions checked under a row lock, the rows written in one transaction). QGIS 3.22
  (benchmarks/peers/qgis_pg_edit.py): the same move in the postgres provider's edit buffer,
  ``commitChanges`` alone timed.
- Eight editors: the first 1,000 parcels as a table of their own per side; eight processes
  edit it for ``--seconds`` each (1 to 3 attribute edits per save, 70 % among 8 hot
  features), each as its own login role that has only SELECT/INSERT/UPDATE/DELETE. Ours are
  gisapp editors (tests/io/postgis/team_helpers.py ``editor_process``: on a conflict, keep
  mine or take theirs); QGIS's are postgres-provider layers committing from their copy.
  Figures: features changed per second (from the audit) and lost updates: changes written
  over a version the editor had not seen (audit's old version against the version the
  editor's copy held). Ours must be zero.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

from common import load_average, machine, parcels, ratio, run_qgis

DX = DY = 0.0001
EDITORS = 8
HOT = 8


def peer_script() -> Path:
    return Path(__file__).resolve().parent / "peers" / "qgis_pg_edit.py"


def _load(spec, frame, tables):
    from gisapp.io.postgis.connection import connect
    from gisapp.io.postgis.tables import table_info, write_table
    from gisapp.io.postgis.team import prepare_table

    with connect(spec) as con:
        for table in tables:
            write_table(con, "plan", table, frame)
            con.commit()
            prepare_table(con, table_info(con, "plan", table))


def _audit(spec, table):
    from gisapp.io.postgis.connection import connect

    with connect(spec) as con:
        return con.execute("SELECT operation, key, version, txid, old_row->'gisapp_version', username "
                           "FROM plan.gisapp_audit WHERE table_name = %s ORDER BY id", (table,)).fetchall()


def _roles(server, spec, table, prefix):
    from dataclasses import replace

    from gisapp.io.postgis.connection import connect
    from gisapp.io.postgis.tables import table_info
    from gisapp.io.postgis.team import grant_editing

    specs = []
    with connect(spec) as con:
        info = table_info(con, "plan", table)
        for i in range(EDITORS):
            role = f"{prefix}{i}"
            server.sql(f"CREATE ROLE {role} LOGIN PASSWORD 'editor'", spec.dbname)  # bench names, no user input
            grant_editing(con, info, role)
            specs.append(replace(spec, user=role, password="editor"))
    return specs


def save_part(spec, n):
    import numpy as np
    import shapely

    from gisapp.core.editing.edits import SetGeometries
    from gisapp.core.editing.session import EditSession
    from gisapp.core.model.project import Project
    from gisapp.io.postgis.connection import connect
    from gisapp.io.postgis.source import open_postgis_layer
    from gisapp.io.postgis.tables import table_info
    from gisapp.io.postgis.team import RowVersions, save_layer

    with connect(spec) as con:
        layer = open_postgis_layer(con, spec, table_info(con, "plan", "parcels_ours"))
        con.rollback()
        project = Project(layers=[layer])
        session = EditSession(project)
        rows = np.linspace(0, len(layer.frame) - 1, 1000).astype(np.int64).tolist()
        moved = shapely.transform(layer.frame.geometry.array[rows], lambda xy: xy + (DX, DY))
        session.apply(SetGeometries(layer.id, rows, list(moved), project=project))
        changes = session.row_changes()[layer.id]
        keys = changes.fids[rows].tolist()
        start = time.perf_counter()
        result = save_layer(con, layer, changes, RowVersions.from_stored(layer.stored))
        ours_s = time.perf_counter() - start
        assert result.updated == 1000, result
    qgis = run_qgis(peer_script(), "commit", _conninfo(spec), "plan", "parcels_qgis", str(DX), str(DY), *map(str, keys))
    return ours_s, qgis["commit_s"]


def _conninfo(spec):
    return f"host={spec.host} port={spec.port} dbname={spec.dbname} user={spec.user} sslmode=disable"


def editors_part(server, spec, seconds, work):
    import subprocess

    from common import SYSTEM_PYTHON

    from tests.io.postgis.team_helpers import editor_process

    ours_specs = _roles(server, spec, "team_ours", "gisapp_editor")
    qgis_specs = _roles(server, spec, "team_qgis", "qgis_editor")
    context = multiprocessing.get_context("spawn")
    logs = [work / f"ours{i}.jsonl" for i in range(EDITORS)]
    workers = [context.Process(target=editor_process, args=(s, f"editor{i}", seconds, i, HOT, str(log), "team_ours"))
               for i, (s, log) in enumerate(zip(ours_specs, logs, strict=True))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 300)
    attempts = [json.loads(line) for log in logs for line in log.read_text().splitlines()]
    base_of = {(a["txid"], key): base for a in attempts if a["outcome"] == "saved"
               for key, base in zip(a["keys"], a["base"], strict=True)}
    audit = _audit(spec, "team_ours")
    ours_lost = sum(1 for op, key, version, txid, old, _ in audit
                    if op in ("UPDATE", "DELETE") and base_of.get((txid, key)) != old)
    ours_rate = sum(1 for op, *_ in audit if op == "UPDATE") / seconds
    conflicts = sum(1 for a in attempts if a["outcome"] == "conflict")

    qlogs = [work / f"qgis{i}.jsonl" for i in range(EDITORS)]
    peers = []
    for i, (s, log) in enumerate(zip(qgis_specs, qlogs, strict=True)):
        env = dict(os.environ, PGPASSWORD=s.password)
        peers.append(subprocess.Popen([SYSTEM_PYTHON, str(peer_script()), "editor", _conninfo(s), "plan", "team_qgis",
                                       str(seconds), str(i), str(HOT), str(log)], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for peer in peers:
        out, err = peer.communicate(timeout=seconds + 300)
        assert peer.returncode == 0, err[-2000:]
    seen: dict[tuple[str, int], list[int]] = {}
    for i, log in enumerate(qlogs):
        for line in log.read_text().splitlines():
            entry = json.loads(line)
            seen.setdefault((f"qgis_editor{i}", entry["key"]), []).append(entry["seen"])
    qaudit = _audit(spec, "team_qgis")
    qgis_lost = 0
    cursor: dict[tuple[str, int], int] = {}
    for op, key, _version, _txid, old, user in qaudit:
        if op != "UPDATE":
            continue
        at = cursor.get((user, key), 0)
        cursor[(user, key)] = at + 1
        expected = seen.get((user, key), [])
        if at < len(expected) and expected[at] != old:
            qgis_lost += 1
    qgis_rate = sum(1 for op, *_ in qaudit if op == "UPDATE") / seconds
    return ours_rate, ours_lost, conflicts, qgis_rate, qgis_lost


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    import pyogrio

    from tests.postgis_server import PostgisServer

    frame = pyogrio.read_dataframe(parcels(args.n))
    server = PostgisServer.start_new()
    work = Path(tempfile.mkdtemp(prefix="bench-pg-edit-"))
    try:
        spec = server.new_database()
        os.environ["PGPASSWORD"] = spec.password or ""  # for the QGIS peer (libpq reads it)
        _load(spec, frame, ["parcels_ours", "parcels_qgis"])
        _load(spec, frame.iloc[:1000], ["team_ours", "team_qgis"])
        ours_s, qgis_s = save_part(spec, args.n)
        ours_rate, ours_lost, conflicts, qgis_rate, qgis_lost = editors_part(server, spec, args.seconds, work)
        print(f"postgis edit n={args.n}: save 1000 edited features {ours_s:.3f} s, QGIS commitChanges {qgis_s:.3f} s "
              f"(ratio {ratio(ours_s, qgis_s)}); {EDITORS} editors for {args.seconds:.0f} s: ours "
              f"{ours_rate:.1f} features changed/s, lost updates {ours_lost} ({conflicts} conflicts shown), QGIS "
              f"{qgis_rate:.1f}/s, lost updates {qgis_lost}; goal: zero lost updates | {machine()}, {load_average()}",
              flush=True)
    finally:
        server.destroy()
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
