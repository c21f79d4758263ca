"""Editors in separate processes on one shared table: a conflict between two, and eight editing
at random for about a minute with the audit log checked against the final table."""

import json
import multiprocessing
import os

import numpy as np
import pytest
import shapely

from gisapp.io.postgis.connection import connect
from gisapp.io.postgis.tables import read_table, table_info
from tests.io.postgis.team_helpers import Editor, editor_process, make_team_table, zones_frame

SOAK_SECONDS = float(os.environ.get("GISAPP_TEAM_SOAK_S", "60"))


def _two_editors_step(spec, name, ready, go, results):
    from gisapp.io.postgis.team import ConflictError, keep_mine

    editor = Editor(spec)
    editor.set(1, "name", f"{name}'s name")
    editor.move(1, 0.002 if name == "first" else -0.002)
    ready.wait()
    if name == "second":
        go.wait()  # the first has saved
    try:
        editor.save(comment=name)
        results.put((name, "saved", None))
    except ConflictError as error:
        (conflict,) = error.conflicts
        results.put((name, "conflict", {"mine": conflict.mine["name"], "theirs": conflict.theirs["name"],
                                        "their_comment": conflict.their_comment,
                                        "their_geometry": conflict.theirs["geometry"].wkt,
                                        "mine_geometry": conflict.mine["geometry"].wkt}))
        editor.base = keep_mine(editor.base, error.conflicts)
        editor.save(comment="second, having seen the first's")
    if name == "first":
        go.set()
    editor.close()


def test_two_editor_processes_edit_the_same_feature_and_the_second_sees_both(postgis_db):
    make_team_table(postgis_db)
    context = multiprocessing.get_context("spawn")
    ready, go, results = context.Barrier(2), context.Event(), context.Queue()
    workers = [context.Process(target=_two_editors_step, args=(postgis_db, name, ready, go, results))
               for name in ("first", "second")]
    for worker in workers:
        worker.start()
    outcomes = {name: (what, detail) for name, what, detail in (results.get(timeout=120) for _ in workers)}
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert outcomes["first"] == ("saved", None)
    what, seen = outcomes["second"]
    assert what == "conflict"
    assert (seen["mine"], seen["theirs"], seen["their_comment"]) == ("second's name", "first's name", "first")
    original = shapely.box(121.5, 38.8, 121.505, 38.805)
    assert shapely.from_wkt(seen["their_geometry"]).equals(shapely.affinity.translate(original, 0.002, 0))
    assert shapely.from_wkt(seen["mine_geometry"]).equals(shapely.affinity.translate(original, -0.002, 0))
    from gisapp.io.postgis.team import feature_history

    with connect(postgis_db) as con:
        history = feature_history(con, table_info(con, "plan", "zones"), 1)
    assert [(h.new["name"], h.version) for h in history] == [("first's name", 2), ("second's name", 3)]


def _replay(initial, audit_rows):
    """The table as the audit log says it must be: the initial rows, then every change in order."""
    rows = {key: (name, far, geom.wkb) for key, (name, far, geom) in initial.items()}
    for operation, key, new_row, new_geom in audit_rows:
        if operation == "DELETE":
            rows.pop(key)
        else:
            rows[key] = (new_row["name"], new_row["far"], bytes(new_geom))
    return rows


@pytest.mark.xdist_group("postgis-soak")
def test_eight_editor_processes_lose_no_update_and_the_audit_replays_to_the_table(postgis_db, tmp_path):
    make_team_table(postgis_db, frame=zones_frame(40))
    initial = {i + 1: (row.name, row.far, row.geometry) for i, row in enumerate(zones_frame(40).itertuples())}
    context = multiprocessing.get_context("spawn")
    logs = [tmp_path / f"editor{i}.jsonl" for i in range(8)]
    workers = [context.Process(target=editor_process, args=(postgis_db, f"editor{i}", SOAK_SECONDS, i, 8, str(log)))
               for i, log in enumerate(logs)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(SOAK_SECONDS + 240)
        assert worker.exitcode == 0
    attempts = [json.loads(line) for log in logs for line in log.read_text().splitlines()]
    with connect(postgis_db) as con:
        audit = con.execute("SELECT id, operation, key, version, txid, old_row, new_row, ST_AsBinary(new_geom), username "
                            "FROM plan.gisapp_audit WHERE table_name = 'zones' ORDER BY id").fetchall()
        final = read_table(con, table_info(con, "plan", "zones"))
    # 1. The final table is the replay of the audit log.
    replayed = _replay(initial, [(op, key, new, geom) for _, op, key, _, _, _, new, geom, _ in audit])
    assert sorted(replayed) == final["gid"].tolist()
    for key, name, far, version, geom in zip(final["gid"], final["name"], final["far"], final["gisapp_version"],
                                            final.geometry, strict=True):
        assert replayed[key][:2] == (name, far) and replayed[key][2] == geom.wkb, key
        last = max(v for _, _, k, v, *_ in audit if k == key) if any(a[2] == key for a in audit) else 1
        assert version == last
    # 2. No lost update: every change written started from the version the server had.
    saved = {(a["txid"], key): base for a in attempts if a["outcome"] == "saved"
             for key, base in zip(a["keys"], a["base"], strict=True)}
    by_txid = {a["txid"] for a in attempts if a["outcome"] == "saved"}
    for _, operation, key, version, txid, old_row, _, _, _ in audit:
        assert txid in by_txid, "a transaction that no editor reported as saved"
        if operation == "UPDATE":
            assert old_row["gisapp_version"] == saved[(txid, key)] == version - 1, (key, txid)
        elif operation == "DELETE":
            assert old_row["gisapp_version"] == saved[(txid, key)] == version, (key, txid)
    # 3. Every race lost was reported to the loser: each reported key had moved on from its base.
    conflicts = [a for a in attempts if a["outcome"] == "conflict"]
    versions_seen = {}
    for _, _, key, version, *_ in audit:
        versions_seen.setdefault(key, set()).add(version)
    for attempt in conflicts:
        base_of = dict(zip(attempt["keys"], attempt["base"], strict=True))
        for key, theirs in zip(attempt["reported"], attempt["their_versions"], strict=True):
            assert theirs != base_of[key]
            assert theirs is None or theirs in versions_seen[key]
    updates = sum(1 for a in audit if a[1] == "UPDATE")
    assert len(conflicts) >= 5 and updates >= 100, (len(conflicts), updates)
    print(f"\n{len(attempts)} saves tried, {len(conflicts)} conflicts, {len(audit)} audited changes, "
          f"{np.mean([len(a['keys']) for a in attempts]):.1f} rows per save")
