"""Team editing against a real PostGIS server: versions, conflicts, history, live changes,
least privilege and hostile names."""

import threading
import time

import numpy as np
import pytest
import shapely

from gisapp.io.postgis.connection import PostgisError, connect
from gisapp.io.postgis.tables import table_info, write_table
from gisapp.io.postgis.team import (
    ChangeListener,
    ConflictError,
    feature_history,
    grant_editing,
    is_prepared,
    keep_mine,
    prepare_table,
    restore_version,
    take_theirs,
)
from tests.io.postgis.team_helpers import Editor, make_team_table, zones_frame


def _server_row(spec, key, schema="plan", table="zones"):
    from psycopg import sql

    with connect(spec) as con:
        return con.execute(sql.SQL("SELECT name, far, gisapp_version, ST_AsText(geom) FROM {} WHERE gid = %s").format(
            sql.Identifier(schema, table)), (key,)).fetchone()


def test_a_save_writes_changed_added_and_deleted_rows_with_versions_and_server_keys(postgis_db):
    make_team_table(postgis_db)
    editor = Editor(postgis_db)
    assert editor.layer.stored.versions.tolist() == [1] * 6
    editor.set(2, "name", "north park")
    editor.move(3, 0.001)
    editor.add("new school", 0.8)
    editor.delete(5)
    result = editor.save(comment="park moved north", citation="Plan 3.2")
    assert (result.updated, result.inserted, result.deleted) == (2, 1, 1)
    assert result.added_keys.tolist() == [7]
    assert editor.layer.stored.fids.tolist() == [1, 2, 3, 4, 6, 7]
    assert editor.base.get([1, 2, 3, 7, 5]).tolist() == [1, 2, 2, 1, 0]
    assert _server_row(postgis_db, 2)[:3] == ("north park", 1.1, 2)
    assert _server_row(postgis_db, 5) is None
    assert _server_row(postgis_db, 7)[:3] == ("new school", 0.8, 1)
    # The next save writes only what changed since: nothing.
    assert editor.rows.pending().is_empty
    editor.set(7, "far", 0.9)
    assert editor.save().updated == 1 and _server_row(postgis_db, 7)[2] == 2
    with connect(postgis_db) as con:
        history = feature_history(con, table_info(con, "plan", "zones"), 2)
    assert [(h.operation, h.version, h.comment, h.citation) for h in history] == [
        ("UPDATE", 2, "park moved north", "Plan 3.2")]
    assert history[0].old["name"] == "zone 1" and history[0].new["name"] == "north park"
    assert history[0].user == "postgres" and history[0].new["geometry"].equals(shapely.box(121.51, 38.8, 121.515, 38.805))
    editor.close()


def test_the_second_save_of_the_same_feature_stops_before_writing_and_shows_both(postgis_db):
    make_team_table(postgis_db)
    first, second = Editor(postgis_db), Editor(postgis_db)
    first.set(1, "name", "first's name")
    second.set(1, "name", "second's name")
    second.set(4, "far", 9.0)  # no conflict on its own, but must not be written either
    first.save(comment="first")
    with pytest.raises(ConflictError) as raised:
        second.save()
    (conflict,) = raised.value.conflicts
    assert conflict.key == 1 and conflict.base_version == 1 and conflict.their_version == 2
    assert conflict.mine["name"] == "second's name" and conflict.theirs["name"] == "first's name"
    assert conflict.their_user == "postgres" and conflict.their_comment == "first" and conflict.their_time is not None
    assert _server_row(postgis_db, 4)[:3] == ("zone 3", 1.3, 1)  # nothing of the save was written
    assert not second.rows.pending().is_empty  # the edits are still there
    # Keep mine: the user has seen theirs; the retry writes over exactly that version.
    second.base = keep_mine(second.base, raised.value.conflicts)
    result = second.save()
    assert result.updated == 2 and _server_row(postgis_db, 1)[:3] == ("second's name", 1.0, 3)
    with connect(postgis_db) as con:
        history = feature_history(con, table_info(con, "plan", "zones"), 1)
    assert [h.new["name"] for h in history] == ["first's name", "second's name"]  # none is lost
    first.close(), second.close()


def test_take_theirs_puts_their_row_locally_and_the_save_writes_nothing_for_it(postgis_db):
    make_team_table(postgis_db)
    mine, theirs = Editor(postgis_db), Editor(postgis_db)
    theirs.set(3, "far", 7.5)
    theirs.save()
    mine.set(3, "far", 2.0)
    with pytest.raises(ConflictError) as raised:
        mine.save()
    mine.base, values = take_theirs(mine.base, raised.value.conflicts)
    mine.set(3, "far", values[3]["far"])
    result = mine.save()
    assert (result.updated, result.unchanged) == (0, 1)
    assert _server_row(postgis_db, 3)[1:3] == (7.5, 2)
    mine.close(), theirs.close()


def test_a_row_deleted_by_them_is_a_conflict_and_keep_mine_inserts_it_again(postgis_db):
    make_team_table(postgis_db)
    mine, theirs = Editor(postgis_db), Editor(postgis_db)
    theirs.delete(2)
    theirs.save()
    mine.set(2, "name", "kept")
    with pytest.raises(ConflictError) as raised:
        mine.save()
    (conflict,) = raised.value.conflicts
    assert conflict.theirs is None and conflict.their_version is None
    mine.base = keep_mine(mine.base, raised.value.conflicts)
    assert mine.save().inserted == 1
    name, _, version, _ = _server_row(postgis_db, 2)
    assert name == "kept" and version == 2  # 1 was read and deleted: the new row does not repeat it
    # Both deleting the same row is no conflict.
    a, b = Editor(postgis_db), Editor(postgis_db)
    a.delete(4), b.delete(4)
    a.save()
    assert b.save().deleted == 1
    for editor in (mine, theirs, a, b):
        editor.close()


def test_restore_writes_an_old_version_as_a_new_one_and_checks_the_current_version(postgis_db):
    make_team_table(postgis_db)
    editor = Editor(postgis_db)
    editor.set(1, "name", "renamed")
    editor.move(1, 0.01)
    editor.save()
    editor.set(1, "far", 5.0)
    editor.save()
    with connect(postgis_db) as con:
        info = table_info(con, "plan", "zones")
        first_change, second_change = feature_history(con, info, 1)
        with pytest.raises(ConflictError):
            restore_version(con, info, first_change, expected_version=2)  # the row is at 3 now
        version = restore_version(con, info, first_change, expected_version=3, comment="back to the first change")
        assert version == 4
    assert second_change.old["far"] == 1.0 and first_change.old["far"] == 1.0
    # The state the first change left: renamed, moved, far still 1.0.
    name, far, _, wkt = _server_row(postgis_db, 1)
    assert (name, far) == ("renamed", 1.0)
    assert shapely.from_wkt(wkt).equals(shapely.affinity.translate(shapely.box(121.5, 38.8, 121.505, 38.805), 0.01, 0))
    editor.close()


def test_the_listener_receives_committed_changes_only(postgis_db):
    make_team_table(postgis_db)
    received, errors = [], []
    arrived = threading.Event()

    def on_change(notice):
        received.append(notice)
        arrived.set()

    listener = ChangeListener(postgis_db, on_change, frozenset({("plan", "zones")}), on_error=errors.append)
    assert listener.start()
    try:
        editor = Editor(postgis_db)
        with connect(postgis_db) as con:  # an uncommitted change is never announced
            con.execute("UPDATE plan.zones SET far = 3 WHERE gid = 6")
            time.sleep(0.6)
            con.rollback()
        assert received == []
        editor.set(2, "name", "seen by others")
        result = editor.save()
        assert arrived.wait(10)
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
        (notice,) = received
        assert (notice.table, notice.key, notice.version, notice.operation, notice.txid) == (
            "zones", 2, 2, "UPDATE", result.txid)
    finally:
        listener.stop()
    assert not listener.listening and errors == []
    editor.close()


def test_an_editor_role_with_only_select_insert_update_delete_edits_and_is_audited(postgis_server, postgis_db):
    make_team_table(postgis_db)
    postgis_server.sql("DO $$ BEGIN CREATE ROLE planner_editor LOGIN PASSWORD 'pw'; "
                       "EXCEPTION WHEN duplicate_object THEN NULL; END $$", postgis_db.dbname)
    with connect(postgis_db) as con:
        info = table_info(con, "plan", "zones")
        grant_editing(con, info, "planner_editor")
    editor_spec = postgis_db.with_password("pw")
    from dataclasses import replace

    editor_spec = replace(editor_spec, user="planner_editor")
    editor = Editor(editor_spec)
    editor.set(1, "name", "by the editor")
    editor.add("added by the editor", 1.0)
    editor.delete(6)
    result = editor.save(comment="least privilege")
    assert (result.updated, result.inserted, result.deleted) == (1, 1, 1)
    with connect(editor_spec) as con:
        info = table_info(con, "plan", "zones")
        assert [h.user for h in feature_history(con, info, 1)] == ["planner_editor"]
        with pytest.raises(Exception, match="permission denied"):  # the audit cannot be forged
            con.execute("DELETE FROM plan.gisapp_audit")
        con.rollback()
        with pytest.raises(PostgisError, match="owner"):
            prepare_table(con, info)  # preparing needs more and says so
    editor.close()


def test_hostile_schema_table_and_column_names_are_only_names(postgis_db):
    schema, table, column = 'plan"; DROP TABLE x; --', "zones'); DELETE FROM pg_class; --", 'far" = 0; --'
    frame = zones_frame(3).rename(columns={"far": column})
    make_team_table(postgis_db, schema, table, frame)
    with connect(postgis_db) as con:
        assert is_prepared(con, table_info(con, schema, table))
    a, b = Editor(postgis_db, schema, table), Editor(postgis_db, schema, table)
    a.set(1, column, 4.5)
    a.add("x'); --", 2.0)
    a.save(comment="'; DROP TABLE plan; --")
    b.set(1, column, 1.5)
    with pytest.raises(ConflictError) as raised:
        b.save()
    assert raised.value.conflicts[0].theirs[column] == 4.5
    with connect(postgis_db) as con:
        info = table_info(con, schema, table)
        (entry,) = feature_history(con, info, 1)
        assert entry.comment == "'; DROP TABLE plan; --" and entry.new[column] == 4.5
        assert con.execute("SELECT count(*) FROM pg_class").fetchone()[0] > 100
    a.close(), b.close()


def test_a_table_not_prepared_is_refused_with_the_reason(postgis_db):
    with connect(postgis_db) as con:
        write_table(con, "plan", "zones", zones_frame())
        con.commit()
    editor = Editor(postgis_db)
    editor.set(1, "name", "x")
    with pytest.raises(PostgisError, match="not prepared for team editing"):
        editor.save()
    assert not editor.rows.pending().is_empty
    editor.close()


def test_preparing_twice_keeps_versions_and_history(postgis_db):
    make_team_table(postgis_db)
    editor = Editor(postgis_db)
    editor.set(1, "name", "once")
    editor.save()
    with connect(postgis_db) as con:
        info = table_info(con, "plan", "zones")
        prepare_table(con, info)
        assert len(feature_history(con, info, 1)) == 1
    editor.reload()
    assert editor.base.version(1) == 2 and np.all(editor.base.get([2, 3]) == 1)
    editor.close()


def test_a_change_made_outside_gisapp_is_versioned_audited_and_announced_row_by_row(postgis_db):
    make_team_table(postgis_db, frame=zones_frame(450))
    received = []
    listener = ChangeListener(postgis_db, received.append)
    assert listener.start()
    try:
        with connect(postgis_db) as con:  # as psql or QGIS would: one statement, no gisapp involved
            con.execute("UPDATE plan.zones SET far = far + 1")
            con.commit()
        deadline = time.monotonic() + 15
        while len(received) < 450 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        listener.stop()
    assert sorted(n.key for n in received) == list(range(1, 451))  # in notices of 200 keys
    assert {(n.version, n.operation) for n in received} == {(2, "UPDATE")}
    with connect(postgis_db) as con:
        info = table_info(con, "plan", "zones")
        (entry,) = feature_history(con, info, 450)
        assert (entry.old["far"], entry.new["far"]) == (pytest.approx(45.9), pytest.approx(46.9))
        assert con.execute("SELECT count(DISTINCT gisapp_version) FROM plan.zones").fetchone()[0] == 1
