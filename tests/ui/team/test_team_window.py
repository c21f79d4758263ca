"""Team editing in the window against a real PostGIS server: others' changes arrive live (applied
where there is no local edit, marked where there is), a conflicting save goes through the
conflict dialog into undoable edits and a save that succeeds, and the history panel lists the
versions, draws an old one as a ghost and restores it as a new edit."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from gisapp.io.postgis.connection import connect
from gisapp.io.postgis.source import open_postgis_layer
from gisapp.io.postgis.tables import table_info
from gisapp.io.postgis.team import ConflictError, RowVersions, save_layer
from tests.io.postgis.team_helpers import Editor, make_team_table


def _server(spec, key):
    from psycopg import sql

    with connect(spec) as con:
        return con.execute(sql.SQL("SELECT name, far, gisapp_version FROM {} WHERE gid = %s").format(
            sql.Identifier("plan", "zones")), (key,)).fetchone()


def _add_shared_layer(window, spec):
    with connect(spec) as con:
        layer = open_postgis_layer(con, spec, table_info(con, "plan", "zones"))
    window.team.passwords[spec.url()] = spec.password
    window.project.add_layer(layer)
    assert window.team.wait_listening(), "the window did not start listening to the server"
    return layer


def _window_save(window, layer):
    """The window's save of a PostGIS layer as the save routing does it (conflicts go to the dialog)."""
    rows = window.editing.session.row_changes()[layer.id]
    with connect(window.team.spec_for(window.team.shared_layers()[0][1])) as con:
        result = save_layer(con, layer, rows, RowVersions.from_stored(layer.stored))
    layer.stored = result.stored(layer.frame)
    window.editing.session.commit([layer.id])
    return result


def test_others_changes_arrive_live_and_a_conflict_is_decided_in_the_dialog(make_window, qtbot, postgis_db):
    make_team_table(postgis_db)
    window = make_window()
    layer = _add_shared_layer(window, postgis_db)
    assert window.editing.operations.set_editing(True, layer.id)
    assert window.editing.edit_attribute(layer.id, 0, "name", "mine") is None  # key 1, edited here

    other = Editor(postgis_db)
    other.set(1, "name", "theirs")
    other.set(2, "far", 7.5)
    with qtbot.waitSignal(window.team.remoteApplied, timeout=15000) as arrived:
        other.save(comment="from the other desk", citation="Plan 4.1")
    outcome = arrived.args[1]
    assert outcome.applied == [2] and outcome.marked == [1]
    # Applied where there is no local edit (and kept by Discard), marked where there is one.
    assert layer.frame["far"].iat[1] == 7.5 and layer.frame["name"].iat[0] == "mine"
    assert layer.stored.versions.tolist()[:2] == [1, 2]
    assert window.team.marked_rows(layer.id) == [0]
    overlay = window.team.canvas_overlay()
    assert sorted(style for _g, _f, style in overlay.geometries) == ["remote", "remote_conflict"]
    assert sorted(text for _x, _y, text, _s in overlay.texts) == ["Also changed by postgres", "Saved by postgres"]
    window.panel.show_feature(layer.id, 0)
    assert "postgres saved version 2 of this feature while you edit it" in window.panel.plain_text()
    assert window.editing.session.row_changes()[layer.id].pending().positions.tolist() == [0]

    # The save stops before writing: the dialog shows both, and taking theirs is an undoable edit.
    with pytest.raises(ConflictError) as raised:
        _window_save(window, layer)
    decided = []
    dialog = window.team.resolve_conflicts(layer.id, raised.value.conflicts, on_done=decided.append)
    assert [shape.label for shape in dialog.map.drawn()] == ["As loaded", "Theirs", "Mine"]
    assert [dialog.table.item(0, column).text() for column in range(4)] == ["name", "zone 0", "mine", "theirs"]
    assert "postgres" in dialog.who.text()
    qtbot.mouseClick(dialog.take_theirs, Qt.LeftButton)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert decided == [True]
    assert layer.frame["name"].iat[0] == "theirs"
    assert window.editing.stack.undoText().startswith("Resolve conflicting edits")
    assert window.team.marked_rows(layer.id) == []
    result = _window_save(window, layer)
    assert result.updated == 0 and _server(postgis_db, 1) == ("theirs", 1.0, 2)  # nothing overwritten
    other.close()


def test_keeping_mine_writes_over_the_version_the_user_saw(make_window, qtbot, postgis_db):
    make_team_table(postgis_db)
    window = make_window()
    layer = _add_shared_layer(window, postgis_db)
    window.editing.operations.set_editing(True, layer.id)
    assert window.editing.edit_attribute(layer.id, 2, "far", "4.25") is None  # key 3
    other = Editor(postgis_db)
    other.set(3, "far", 9.0)
    with qtbot.waitSignal(window.team.remoteApplied, timeout=15000):
        other.save()
    with pytest.raises(ConflictError) as raised:
        _window_save(window, layer)
    # The save routing's handler waits for the dialog: answer it as a person would.
    def answer():
        dialog = window.team.conflict_dialog
        assert dialog.table.item(1, 3).text() == "9.0"
        qtbot.mouseClick(dialog.keep_mine, Qt.LeftButton)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)

    qtbot.waitUntil(lambda: True)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(50, answer)
    assert window.team.handle_conflicts(layer, raised.value) is True
    _window_save(window, layer)
    assert _server(postgis_db, 3) == ("zone 2", 4.25, 3)
    other.close()


def test_the_history_panel_lists_versions_draws_a_ghost_and_restores_one(make_window, qtbot, postgis_db):
    make_team_table(postgis_db)
    other = Editor(postgis_db)
    other.set(2, "name", "school site")
    other.save(comment="first draft", citation="Plan 3.2")
    other.move(2, 0.002)
    other.set(2, "far", 3.5)
    other.save(comment="moved east", citation="Plan 3.4")
    window = make_window()
    layer = _add_shared_layer(window, postgis_db)
    with qtbot.waitSignal(window.team.historyShown, timeout=15000):
        assert window.team.open_history(layer.id, 1)
    panel = window.team.history_panel
    rows = [[panel.list.item(r, c).text() for c in (0, 2, 3, 4, 5)] for r in range(panel.list.rowCount())]
    assert rows == [["3", "postgres", "changed", "Plan 3.4", "moved east"],
                    ["2", "postgres", "changed", "Plan 3.2", "first draft"]]
    panel.choose(1)  # the first draft: the ghost is its geometry, west of the feature now
    ghosts = [g for g, _f, style in window.team.canvas_overlay().geometries if style == "ghost"]
    assert len(ghosts) == 1
    now = layer.frame.geometry.iat[1]
    assert not now.equals(panel.versions[1].geometry)
    assert panel.restore.isEnabled()
    qtbot.mouseClick(panel.restore, Qt.LeftButton)
    assert window.editing.session.is_editing(layer.id)
    assert layer.frame.geometry.iat[1].equals(panel.versions[1].geometry)
    assert layer.frame["far"].iat[1] == pytest.approx(1.1) and layer.frame["name"].iat[1] == "school site"
    assert window.editing.stack.undoText() == "Restore school site to version 2"
    window.editing.stack.undo()
    assert layer.frame.geometry.iat[1].equals(now) and layer.frame["far"].iat[1] == 3.5
    window.editing.stack.redo()
    _window_save(window, layer)
    assert _server(postgis_db, 2) == ("school site", pytest.approx(1.1), 4)
    other.close()


def test_a_layer_not_in_editing_mode_follows_others_inserts_and_deletes(make_window, qtbot, postgis_db):
    make_team_table(postgis_db)
    window = make_window()
    layer = _add_shared_layer(window, postgis_db)
    other = Editor(postgis_db)
    other.add("new school", 0.8)
    other.delete(4)
    with qtbot.waitSignal(window.team.remoteApplied, timeout=15000) as arrived:
        other.save()
    qtbot.waitUntil(lambda: 7 in layer.stored.fids.tolist() and 4 not in layer.stored.fids.tolist(), timeout=10000)
    assert sorted(arrived.args[1].applied) != []
    assert layer.frame["name"].tolist()[-1] == "new school" and len(layer.frame) == 6
    assert layer.stored.frame is layer.frame and np.array_equal(layer.stored.fids, [1, 2, 3, 5, 6, 7])
    other.close()


@pytest.fixture
def pgpass(postgis_server, tmp_path, monkeypatch):
    """libpq finds the superuser's password here (projects and saved connections keep none)."""
    path = tmp_path / "pgpass"
    path.write_text(f"127.0.0.1:{postgis_server.port}:*:postgres:{postgis_server.password}\n")
    path.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


def test_the_window_save_asks_through_the_dialog_and_saves_the_decisions(make_window, qtbot, postgis_db, pgpass):
    from PySide6.QtCore import QTimer

    make_team_table(postgis_db)
    window = make_window()
    layer = _add_shared_layer(window, postgis_db)
    window.editing.operations.set_editing(True, layer.id)
    assert window.editing.edit_attribute(layer.id, 0, "name", "mine") is None  # key 1
    assert window.editing.edit_attribute(layer.id, 1, "far", "5.5") is None  # key 2
    other = Editor(postgis_db)
    other.set(1, "name", "theirs")
    other.set(2, "far", 8.0)
    with qtbot.waitSignal(window.team.remoteApplied, timeout=15000):
        other.save()
    shown = []

    def answer():
        dialog = window.team.conflict_dialog
        if dialog is None:
            QTimer.singleShot(50, answer)
            return
        shown.append([item.key for item in dialog.items])
        qtbot.mouseClick(dialog.keep_mine, Qt.LeftButton)  # key 1: mine
        qtbot.mouseClick(dialog.edit_button, Qt.LeftButton)  # key 2: an edited result
        dialog.set_result("far", "6.75")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)

    QTimer.singleShot(50, answer)
    assert window.save()  # the save stopped, asked, and went on with the decisions
    assert shown == [[1, 2]]
    assert _server(postgis_db, 1) == ("mine", 1.0, 3) and _server(postgis_db, 2) == ("zone 1", 6.75, 3)
    assert not window.editing.session.is_dirty(layer.id) and window.team.marked_rows(layer.id) == []
    other.close()


def test_a_change_applied_live_survives_discard_and_the_next_save_starts_from_it(make_window, qtbot, postgis_db):
    make_team_table(postgis_db)
    window = make_window()
    layer = _add_shared_layer(window, postgis_db)
    window.editing.operations.set_editing(True, layer.id)
    assert window.editing.edit_attribute(layer.id, 0, "name", "mine") is None
    other = Editor(postgis_db)
    other.set(2, "far", 7.5)
    with qtbot.waitSignal(window.team.remoteApplied, timeout=15000):
        other.save()
    window.editing.session.discard(layer.id)
    assert layer.frame["far"].iat[1] == 7.5 and layer.frame["name"].iat[0] == "zone 0"
    assert window.editing.edit_attribute(layer.id, 1, "name", "after theirs") is None
    _window_save(window, layer)  # no conflict: the base is the version shown
    assert _server(postgis_db, 2) == ("after theirs", 7.5, 3)
    other.close()


def test_a_row_an_undone_edit_would_redo_is_marked_not_overwritten(make_window, qtbot, postgis_db):
    make_team_table(postgis_db)
    window = make_window()
    layer = _add_shared_layer(window, postgis_db)
    window.editing.operations.set_editing(True, layer.id)
    assert window.editing.edit_attribute(layer.id, 2, "name", "mine") is None  # key 3
    window.editing.stack.undo()  # clean again, but Redo would bring "mine" back
    other = Editor(postgis_db)
    other.set(3, "name", "theirs")
    with qtbot.waitSignal(window.team.remoteApplied, timeout=15000) as arrived:
        other.save()
    assert arrived.args[1].marked == [3] and layer.frame["name"].iat[2] == "zone 2"
    window.editing.stack.redo()
    with pytest.raises(ConflictError):  # the redone edit is not written over theirs unseen
        _window_save(window, layer)
    assert _server(postgis_db, 3) == ("theirs", 1.2, 2)
    window.editing.operations.discard_all()
    other.close()


def test_rows_added_and_deleted_elsewhere_while_editing_appear_when_editing_stops(make_window, qtbot, postgis_db):
    make_team_table(postgis_db)
    window = make_window()
    layer = _add_shared_layer(window, postgis_db)
    window.editing.operations.set_editing(True, layer.id)
    other = Editor(postgis_db)
    other.add("new school", 0.8)
    other.delete(6)
    with qtbot.waitSignal(window.team.remoteApplied, timeout=15000) as arrived:
        other.save()
    assert sorted(arrived.args[1].deferred) == [6, 7] and len(layer.frame) == 6
    with qtbot.waitSignal(window.team.remoteApplied, timeout=15000):
        window.editing.operations.set_editing(False, layer.id)
    assert layer.stored.fids.tolist() == [1, 2, 3, 4, 5, 7] and layer.frame["name"].iat[-1] == "new school"
    other.close()


def test_history_from_a_server_that_is_gone_says_so_and_the_window_goes_on(make_window, qtbot):
    from tests.postgis_server import PostgisServer

    server = PostgisServer.start_new()
    try:
        spec = server.new_database()
        make_team_table(spec)
        window = make_window()
        layer = _add_shared_layer(window, spec)
        server.stop()
        window.team.open_history(layer.id, 0)
        panel = window.team.history_panel
        qtbot.waitUntil(lambda: "could not be read" in panel.status.text(), timeout=20000)
        assert "127.0.0.1" in panel.status.text() and panel.list.rowCount() == 0
        assert window.isVisible() and len(layer.frame) == 6  # the layer is as it was
    finally:
        server.destroy()
