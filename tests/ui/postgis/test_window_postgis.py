"""PostGIS layers in the window: added from the server off the UI thread, used like file layers,
their edits saved to the server by the window's save (Retry when the server is gone, nothing
written on a conflict), and kept by reference in a project file."""

import time

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from gisapp.core.editing.edits import AddFeatures, DeleteFeatures, SetGeometries
from gisapp.core.model.project import Project
from gisapp.io.postgis.connection import connect
from gisapp.io.postgis.references import UNAVAILABLE, is_postgis_layer
from gisapp.io.postgis.tables import table_info
from gisapp.io.postgis.team import ConflictError
from tests.io.postgis.team_helpers import make_team_table, zones_frame

pytestmark = pytest.mark.xdist_group("postgis-ui")


def _empty_project():
    project = Project(title_zh="团队", title_en="Team")
    project.set_modified(False)
    return project


def _add_zones(window, spec):
    with connect(spec) as con:
        info = table_info(con, "plan", "zones")
    job = window.postgis.add_tables(spec.with_password(None), [info])
    assert window.postgis.busy()  # read on the PostGIS thread, not here
    assert window.postgis.wait()
    assert not job.error
    [layer] = [candidate for candidate in window.project.vector_layers() if is_postgis_layer(candidate)]
    return layer


def _server_rows(spec):
    with connect(spec) as con:
        return {key: (name, version, shapely.from_wkb(bytes(wkb))) for key, name, version, wkb in con.execute(
            "SELECT gid, name, gisapp_version, ST_AsBinary(geom) FROM plan.zones ORDER BY gid").fetchall()}


def _edit(window, layer):
    assert window.editing.operations.set_editing(True, layer.id)
    rows = window.editing.session.row_changes()[layer.id]
    row_of = {int(key): position for position, key in enumerate(rows.fids)}
    assert window.editing.edit_attribute(layer.id, row_of[2], "name", "新名字") is None
    geom = layer.frame.geometry.iat[row_of[3]]
    window.editing.push(SetGeometries(layer.id, [row_of[3]], [shapely.affinity.translate(geom, 0.001, 0)], [geom]))
    window.editing.push(DeleteFeatures(layer.id, [row_of[5]]))
    added = zones_frame(1).assign(name=["added"])
    window.editing.push(AddFeatures(layer.id, added.to_crs(layer.frame.crs), select=False))
    return geom


def test_a_table_added_from_the_browser_is_a_layer_like_a_file(make_window, postgis_db, pgpass, qtbot):
    make_team_table(postgis_db)
    window = make_window(project=_empty_project())
    layer = _add_zones(window, postgis_db)
    assert len(layer.frame) == 6 and layer.stored.fids.tolist() == [1, 2, 3, 4, 5, 6]
    assert layer.stored.versions.tolist() == [1] * 6
    table = window.open_attribute_table(layer.id)
    assert table.model.rowCount() == 6
    window.canvas.zoom_to_feature(layer.id, 2)
    assert window.canvas.wait_for_render()
    point = shapely.point_on_surface(layer.projected(window.canvas.viewport.crs).geometries[2])
    px, py = window.canvas.viewport.map_to_pixel(point.x, point.y)
    qtbot.mouseClick(window.canvas, Qt.LeftButton, pos=QPoint(round(px), round(py)))  # identify, as on a file
    assert layer.selection.tolist() == [2] and window.panel.current == (layer.id, 2)


def test_the_window_save_sends_the_edits_to_the_server_in_one_transaction(make_window, postgis_db, pgpass):
    make_team_table(postgis_db)
    window = make_window(project=_empty_project())
    layer = _add_zones(window, postgis_db)
    old_geom = _edit(window, layer)
    assert window.editing.session.is_dirty(layer.id)
    assert window.save()  # no project file: the server held all there was to save
    rows = _server_rows(postgis_db)
    assert rows[2][:2] == ("新名字", 2) and 5 not in rows
    assert rows[3][1] == 2 and rows[3][2].equals_exact(shapely.affinity.translate(old_geom, 0.001, 0), 1e-9)
    [new_key] = [key for key, row in rows.items() if row[0] == "added"]
    assert new_key > 6 and rows[1][1] == 1  # untouched rows keep their version
    assert not window.editing.session.is_dirty(layer.id)
    assert new_key in layer.stored.fids.tolist() and layer.stored.frame is layer.frame
    versions = dict(zip(layer.stored.fids.tolist(), layer.stored.versions.tolist(), strict=True))
    assert versions[2] == 2 and versions[3] == 2 and versions[new_key] == 1
    # The next save is based on those versions: no conflict with the editor's own save.
    rows_now = window.editing.session.row_changes()[layer.id]
    position = int(np.flatnonzero(rows_now.fids == 2)[0])
    assert window.editing.edit_attribute(layer.id, position, "name", "再改") is None
    assert window.save()
    assert _server_rows(postgis_db)[2][:2] == ("再改", 3)
    with connect(postgis_db) as con:
        audited = con.execute("SELECT count(*) FROM plan.gisapp_audit WHERE key = 2").fetchone()[0]
    assert audited == 2  # one audit row per save that changed it


def test_a_conflict_stops_the_save_before_anything_is_written(make_window, postgis_db, pgpass):
    make_team_table(postgis_db)
    window = make_window(project=_empty_project())
    layer = _add_zones(window, postgis_db)
    _edit(window, layer)
    with connect(postgis_db) as con:  # another designer saves feature 2 first
        con.execute("UPDATE plan.zones SET name = 'theirs' WHERE gid = 2")
        con.commit()
    seen = []
    window.postgis.conflict_handler = lambda conflicted, error: seen.append((conflicted, error)) or False
    assert not window.save()
    [(conflicted, error)] = seen
    assert conflicted is layer and isinstance(error, ConflictError)
    assert [c.key for c in error.conflicts] == [2] and error.conflicts[0].theirs["name"] == "theirs"
    assert error.conflicts[0].mine["name"] == "新名字"
    rows = _server_rows(postgis_db)
    assert rows[2][0] == "theirs" and 5 in rows and rows[3][1] == 1  # nothing of mine was written
    assert window.editing.session.is_dirty(layer.id)  # and nothing of mine was lost
    window.editing.operations.discard_all()


def test_without_the_conflict_dialog_the_window_names_the_conflicting_features(make_window, postgis_db, pgpass):
    make_team_table(postgis_db)
    window = make_window(project=_empty_project())
    layer = _add_zones(window, postgis_db)
    window.postgis.conflict_handler = window.postgis._say_conflicts  # as without the team controller's dialog
    _edit(window, layer)
    with connect(postgis_db) as con:
        con.execute("UPDATE plan.zones SET name = 'theirs' WHERE gid = 2")
        con.commit()
    assert not window.save()
    boxes = [b for b in window.findChildren(QMessageBox) if b.objectName() == "ConflictBox"]
    assert boxes and "changed by someone else" in boxes[-1].text() and "key 2" in boxes[-1].detailedText()
    window.editing.operations.discard_all()


@pytest.fixture
def own_server(tmp_path, monkeypatch):
    from tests.postgis_server import PostgisServer

    server = PostgisServer.start_new()
    pgpass = tmp_path / "own-pgpass"
    pgpass.write_text(f"127.0.0.1:{server.port}:*:postgres:{server.password}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    yield server
    server.destroy()


def test_a_server_gone_at_save_keeps_the_edits_and_retry_saves_them(make_window, own_server):
    spec = own_server.new_database()
    make_team_table(spec)
    window = make_window(project=_empty_project())
    layer = _add_zones(window, spec)
    _edit(window, layer)
    own_server.stop()
    asked = []

    def answer(title, text, buttons, default=None):
        asked.append(text)
        if len(asked) == 1:
            return "cancel"
        own_server.start()
        return "retry"

    window.ask = answer
    assert not window.save()  # cancelled after the first failure
    assert "no server answers" in asked[0] and "edits are kept" in asked[0] and f"127.0.0.1:{own_server.port}" in asked[0]
    assert window.editing.session.is_dirty(layer.id) and "新名字" in layer.frame["name"].tolist()
    assert window.save()  # fails once more, then the server is back and Retry writes them
    assert len(asked) == 2
    rows = _server_rows(spec)
    assert rows[2][0] == "新名字" and 5 not in rows and not window.editing.session.is_dirty(layer.id)


def test_a_project_file_keeps_the_postgis_layer_by_reference_and_opens_it_from_the_server(
        make_window, own_server, tmp_path):
    spec = own_server.new_database()
    make_team_table(spec)
    window = make_window(project=_empty_project())
    layer = _add_zones(window, spec)
    layer.title_en = "Shared zones"
    path = tmp_path / "team.gpkg"
    window.get_save_path = lambda *args: str(path)
    assert window.save()
    with connect(spec) as con:
        con.execute("UPDATE plan.zones SET name = 'changed on the server' WHERE gid = 1")
        con.commit()
    window.read_paths([str(path)])
    reopened = window.project.layer(layer.id)
    assert reopened.title_en == "Shared zones" and reopened.frame["name"].iat[0] == "changed on the server"
    assert reopened.stored is not None and reopened.stored.frame is reopened.frame
    assert not reopened.metadata.get("loading")
    # Edits after opening the file go to the server too, and the file's save stays in place.
    _edit(window, reopened)
    assert window.save()
    assert _server_rows(spec)[2][0] == "新名字"
    # A server that is down at opening: the project opens, the layer is named, nothing hangs.
    own_server.stop()
    outcome = window.read_paths([str(path)])
    down = window.project.layer(layer.id)
    assert len(down.frame) == 0 and "no server answers" in down.metadata[UNAVAILABLE]
    assert any("Shared zones" in note and "no server answers" in note for note in outcome.notes), outcome.notes
    assert not window.editing.operations.set_editing(True, down.id)
    assert "Reload from PostGIS" in window.editing.last_error
    own_server.start()
    assert window.postgis.reload(down) is not None and window.postgis.wait()
    assert len(down.frame) == 6 and UNAVAILABLE not in down.metadata
    assert window.editing.operations.set_editing(True, down.id)


def test_a_server_stopped_in_the_middle_of_a_save_writes_nothing_and_retry_after_restart_saves(
        make_window, own_server):
    """The save waits on a row another session holds; the server stops meanwhile (the window
    keeps painting: a timer keeps firing). Nothing is half-written, the edits stay, and Retry
    after the restart writes them once."""
    from PySide6.QtCore import QTimer

    spec = own_server.new_database()
    make_team_table(spec)
    window = make_window(project=_empty_project())
    layer = _add_zones(window, spec)
    _edit(window, layer)
    blocker = connect(spec)
    blocker.execute("SELECT 1 FROM plan.zones WHERE gid = 3 FOR UPDATE")  # the save must wait for this row
    ticks = []
    ticker = QTimer(interval=20)
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start()
    QTimer.singleShot(1500, lambda: own_server.stop())
    asked = []

    def answer(title, text, buttons, default=None):
        asked.append(text)
        own_server.start()
        return "retry"

    window.ask = answer
    try:
        assert window.save()
    finally:
        ticker.stop()
        blocker.close()
    assert len(asked) == 1 and "edits are kept" in asked[0], asked
    assert len(ticks) > 30  # the event loop ran while the save waited on the server
    rows = _server_rows(spec)
    assert rows[2][:2] == ("新名字", 2) and rows[3][1] == 2 and 5 not in rows  # written once, by the retry
    with connect(spec) as con:
        assert con.execute("SELECT count(*) FROM plan.gisapp_audit WHERE key = 2").fetchone()[0] == 1
    assert not window.editing.session.is_dirty(layer.id)


def test_cancel_while_the_server_makes_the_save_wait_rolls_it_back(make_window, postgis_db, pgpass):
    from PySide6.QtCore import QTimer

    make_team_table(postgis_db)
    window = make_window(project=_empty_project())
    layer = _add_zones(window, postgis_db)
    _edit(window, layer)
    blocker = connect(postgis_db)
    blocker.execute("SELECT 1 FROM plan.zones WHERE gid = 3 FOR UPDATE")
    QTimer.singleShot(1000, lambda: window.postgis.save_progress.cancel())  # as the box's Cancel button does
    asked = []
    window.ask = lambda title, text, buttons, default=None: asked.append(text) or "cancel"
    clock = time.monotonic()
    try:
        assert not window.save()
    finally:
        blocker.close()
    assert time.monotonic() - clock < 30  # the server stopped the statement: no wait for the 120 s timeout
    assert not asked and "cancelled" in window.statusBar().currentMessage()
    assert "canceling statement" in str(window.postgis.last_save_error)
    rows = _server_rows(postgis_db)
    assert rows[2][0] == "zone 1" and 5 in rows  # rolled back: nothing of it was written
    assert window.editing.session.is_dirty(layer.id)
    window.editing.operations.discard_all()


def test_a_note_for_the_next_save_goes_into_the_history_of_every_feature_it_writes(make_window, postgis_db, pgpass,
                                                                                  bundled_project):
    from gisapp.io.postgis.team import feature_history
    from gisapp.ui.postgis.save_note import SaveNoteDialog, plan_citations

    make_team_table(postgis_db)
    citations = plan_citations(bundled_project, "zh")
    assert citations and all(".md" not in text for text in citations)  # titles, not file names
    window = make_window(project=_empty_project())
    dialog = SaveNoteDialog("", "", citations, window)
    assert dialog.citation_box.count() == len(citations) and dialog.note() == ("", "")
    layer = _add_zones(window, postgis_db)
    assert window.postgis.note_dialog(("边界按实测道路调整", citations[0])) == ("边界按实测道路调整", citations[0])
    assert "边界按实测道路调整" in window.postgis.act_note.toolTip()
    _edit(window, layer)
    assert window.save()
    with connect(postgis_db) as con:
        info = table_info(con, "plan", "zones")
        for key in (2, 3, 5):
            last = feature_history(con, info, key)[-1]
            assert (last.comment, last.citation) == ("边界按实测道路调整", citations[0])
    assert window.postgis.save_note == ("", "")  # written once: the next save has no note
    rows_now = window.editing.session.row_changes()[layer.id]
    position = int(np.flatnonzero(rows_now.fids == 2)[0])
    assert window.editing.edit_attribute(layer.id, position, "name", "再改") is None
    assert window.save()
    with connect(postgis_db) as con:
        assert feature_history(con, table_info(con, "plan", "zones"), 2)[-1].comment == ""
