"""The PostGIS connection dialog and the table browser against a real server on loopback."""

import os
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from PySide6.QtCore import QSettings, Qt, QTimer

from gisapp.io.postgis.connection import ConnectionSpec, connect
from gisapp.io.postgis.tables import write_table
from gisapp.io.tiles.keys import KEYRING_SERVICE
from gisapp.ui.postgis.browser import INFO_ROLE, PostgisBrowser
from gisapp.ui.postgis.connection_dialog import ConnectionDialog
from gisapp.ui.postgis.connections import save_connection, saved_connections

pytestmark = pytest.mark.xdist_group("postgis-ui")

HOSTILE_TABLE = '<b>zones</b>"; DROP TABLE plan.parcels; --'


def _fill(dialog, spec, password=None, name="Bureau"):
    dialog.name_edit.setText(name)
    dialog.host_edit.setText(spec.host)
    dialog.port_box.setValue(spec.port)
    dialog.database_edit.setText(spec.dbname)
    dialog.user_edit.setText(spec.user)
    dialog.ssl_box.setCurrentIndex(dialog.ssl_box.findData(spec.sslmode))
    dialog.password_edit.setText(password or "")


def _test_and_wait(qtbot, dialog):
    ticks = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.mouseClick(dialog.test_button, Qt.LeftButton)
    assert dialog.testing() and not dialog.test_button.isEnabled()  # the answer comes later, off this thread
    dialog.wait_for_test()
    timer.stop()
    return dialog.result_label.text(), ticks


def test_test_connection_runs_off_the_ui_thread_and_says_what_the_server_answered(qtbot, postgis_server, postgis_db,
                                                                                 memory_keyring, tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    _fill(dialog, postgis_db, postgis_db.password)
    text, ticks = _test_and_wait(qtbot, dialog)
    assert text.startswith("Connected: PostgreSQL 15") and "PostGIS 3" in text, text
    dialog.password_edit.setText("wrong")
    text, _ = _test_and_wait(qtbot, dialog)
    assert "refused the user name or password" in text and postgis_db.display() in text
    dialog.password_edit.setText("")
    text, _ = _test_and_wait(qtbot, dialog)
    assert "asks for a password" in text
    dialog.port_box.setValue(1)
    text, _ = _test_and_wait(qtbot, dialog)
    assert "no server answers" in text and "127.0.0.1:1/" in text


def test_a_server_that_never_answers_leaves_the_dialog_responsive(qtbot, monkeypatch):
    """A port that takes connections and says nothing: the connect timeout ends the wait, and
    the dialog's event loop runs all the while."""
    import socket

    from gisapp.io.postgis import connection

    monkeypatch.setattr(connection, "CONNECT_TIMEOUT_S", 2)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        dialog = ConnectionDialog()
        qtbot.addWidget(dialog)
        _fill(dialog, ConnectionSpec(host="127.0.0.1", port=silent.getsockname()[1], dbname="plan", user="u",
                                     sslmode="disable"), "pw")
        text, ticks = _test_and_wait(qtbot, dialog)
    finally:
        silent.close()
    assert "did not answer" in text or "timeout" in text.lower(), text
    assert len(ticks) > 50  # the timer kept firing every 10 ms during the 2 s wait


def test_a_saved_connection_keeps_no_password_and_the_keyring_keeps_it_when_asked(qtbot, postgis_db, memory_keyring):
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    _fill(dialog, postgis_db, postgis_db.password)
    dialog.schema_edit.setText("plan")
    dialog.remember_box.setChecked(True)
    dialog.accept()
    assert dialog.result() == ConnectionDialog.Accepted
    [saved] = saved_connections()
    assert saved.name == "Bureau" and saved.spec().schema == "plan" and saved.spec().password is None
    QSettings().sync()
    settings_text = Path(QSettings().fileName()).read_text(encoding="utf-8", errors="replace")
    assert postgis_db.dbname in settings_text and postgis_db.password not in settings_text
    assert memory_keyring.secrets[(KEYRING_SERVICE, postgis_db.keyring_name())] == postgis_db.password
    # Not remembered: in memory for this session only, never in the keyring.
    memory_keyring.secrets.clear()
    again = ConnectionDialog(name="Bureau", spec=saved.spec())
    qtbot.addWidget(again)
    again.password_edit.setText(postgis_db.password)
    again.remember_box.setChecked(False)
    again.accept()
    assert memory_keyring.secrets == {} and again.has_remembered_password()
    with connect(saved.spec()) as con:  # the session's password reaches libpq
        assert con.execute("SELECT current_database()").fetchone()[0] == postgis_db.dbname


def test_services_of_the_service_file_are_offered(qtbot, tmp_path, monkeypatch):
    service = tmp_path / "pg_service.conf"
    service.write_text("[plan_office]\nhost=127.0.0.1\ndbname=plan\n\n[archive]\nhost=127.0.0.1\n")
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    monkeypatch.setenv("PGSYSCONFDIR", str(tmp_path / "nothing"))
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    assert [dialog.service_box.itemText(i) for i in range(dialog.service_box.count())] == ["", "archive", "plan_office"]
    dialog.service_box.setCurrentText("plan_office")
    dialog.database_edit.setText("")
    assert dialog.spec().service == "plan_office" and dialog.problem() == ""


def test_a_fifo_as_the_service_file_is_skipped(tmp_path, monkeypatch):
    from gisapp.io.postgis.services import service_names

    fifo = tmp_path / "pg_service.conf"
    os.mkfifo(fifo)
    assert service_names([fifo]) == []  # would block forever if opened


def _tables(spec):
    frame = gpd.GeoDataFrame({"name": ["a", "b", "c"]}, geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1),
                                                                 shapely.box(2, 0, 3, 1)], crs="EPSG:4549")
    with connect(spec) as con:
        write_table(con, "plan", HOSTILE_TABLE, frame.to_crs(4326))
        write_table(con, "plan", "parcels", frame)
        con.execute("CREATE TABLE plan.no_key (name text, geom geometry(Point, 4326))")
        con.commit()


def test_the_browser_lists_geometry_tables_with_type_srid_rows_and_key(qtbot, postgis_db, pgpass):
    _tables(postgis_db)
    save_connection("Bureau", postgis_db)
    browser = PostgisBrowser()
    qtbot.addWidget(browser)
    browser.list_tables()
    assert browser.busy()
    browser.wait()
    rows = {}
    schema = browser.tree.topLevelItem(0)
    assert schema.text(0) == "plan"
    for index in range(schema.childCount()):
        item = schema.child(index)
        rows[item.text(0)] = (item.text(2), item.text(3), item.text(4), item.text(5),
                              bool(item.flags() & Qt.ItemIsEnabled), item.text(6))
    assert rows[HOSTILE_TABLE] == ("GEOMETRY", "4326", "3", "gid", True, "not prepared")  # the name is just text
    assert rows["parcels"] == ("GEOMETRY", "4549", "3", "gid", True, "not prepared")
    assert rows["no_key"][1:4] == ("4326", "not counted yet", "none") and rows["no_key"][4] is False
    assert not browser.select_table("plan", "no_key")  # no key: its edits could not be saved
    assert browser.select_table("plan", "parcels") and [t.table for t in browser.selected_tables()] == ["parcels"]
    assert browser.tree.currentItem() is None or browser.tree.currentItem().data(0, INFO_ROLE) is not None
    requested = []
    browser.addRequested.connect(lambda spec, tables: requested.append((spec, tables)))
    browser.add_selected()
    assert requested[0][0].dbname == postgis_db.dbname and requested[0][1][0].srid == 4549


def test_a_server_that_is_down_is_said_in_the_browser(qtbot, postgis_db):
    save_connection("Gone", ConnectionSpec(host="127.0.0.1", port=1, dbname="plan", user="u", sslmode="disable"))
    browser = PostgisBrowser()
    qtbot.addWidget(browser)
    browser.list_tables()
    browser.wait()
    assert "no server answers" in browser.status.text() and browser.tree.topLevelItemCount() == 0
    assert browser.status.textFormat() == Qt.PlainText


def _row_texts(browser, table):
    schema = browser.tree.topLevelItem(0)
    for index in range(schema.childCount()):
        if schema.child(index).text(0) == table:
            return [schema.child(index).text(column) for column in range(browser.tree.columnCount())]
    return None


def test_prepare_for_team_editing_needs_the_owner_and_says_so(qtbot, postgis_server, postgis_db, pgpass):
    _tables(postgis_db)
    postgis_server.sql("DO $$ BEGIN CREATE ROLE gisapp_editor LOGIN PASSWORD 'editor-pw'; "
                       "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    postgis_server.sql("GRANT USAGE ON SCHEMA plan TO gisapp_editor; "
                       "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA plan TO gisapp_editor",
                       postgis_db.dbname)
    save_connection("Editor", ConnectionSpec(host="127.0.0.1", port=postgis_server.port, dbname=postgis_db.dbname,
                                             user="gisapp_editor", sslmode="disable"))
    save_connection("Owner", postgis_db)
    browser = PostgisBrowser()
    qtbot.addWidget(browser)
    from gisapp.io.tiles.keys import use_for_session

    use_for_session(ConnectionSpec(host="127.0.0.1", port=postgis_server.port, dbname=postgis_db.dbname,
                                   user="gisapp_editor", sslmode="disable").keyring_name(), "editor-pw")
    browser.connection_box.setCurrentIndex(browser.connection_box.findText("Editor"))
    browser.list_tables()
    browser.wait()
    assert browser.select_table("plan", "parcels")
    browser.prepare_selected()
    browser.wait()
    assert "needs the table's owner" in browser.status.text(), browser.status.text()
    assert _row_texts(browser, "parcels")[6] == "not prepared"
    browser.connection_box.setCurrentIndex(browser.connection_box.findText("Owner"))
    browser.list_tables()
    browser.wait()
    assert browser.select_table("plan", "parcels")
    browser.prepare_selected()
    browser.wait()
    browser.wait()  # the list read again after preparing
    assert _row_texts(browser, "parcels")[6] == "yes"
