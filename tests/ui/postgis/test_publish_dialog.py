"""File > Publish to PostGIS…: the window's project written to a real server off the UI thread."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from gisapp.io.postgis.project import open_published_project


def _open_dialog(window):
    [action] = [act for act in window.menu_file.actions() if act is window.publishing.act_publish]
    action.trigger()
    return window.publishing.dialog


def test_publish_from_the_file_menu_then_the_schema_opens_as_the_project(qtbot, make_window, postgis_db, tmp_path,
                                                                       monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    window = make_window("en")
    assert window.publishing.act_publish.text() == "Publish to PostGIS…"
    dialog = _open_dialog(window)
    dialog.url_edit.setText(replace(postgis_db, schema="dalian").url())
    assert dialog.schema_edit.text() == "dalian"  # taken from the URL's ?schema=
    dialog.password_edit.setText(postgis_db.password)
    dialog.publish()
    assert not dialog.publish_button.isEnabled()  # running on the publish thread
    qtbot.waitUntil(lambda: dialog.publish_button.isEnabled(), timeout=120_000)
    layers = window.project.vector_layers()
    assert dialog.status.text().startswith(f"Published {len(layers)} layers to ") and "dalian" in dialog.status.text()
    reopened = open_published_project(replace(postgis_db, schema="dalian"))
    assert [layer.id for layer in reopened.vector_layers()] == [layer.id for layer in layers]
    # Again without "replace": refused, said in the dialog, nothing changed.
    dialog.publish()
    qtbot.waitUntil(lambda: dialog.publish_button.isEnabled(), timeout=120_000)
    assert "Not published" in dialog.status.text() and "published there already" in dialog.status.text()
    assert dialog.status.textFormat() == Qt.PlainText  # the server's words are never rich text
    dialog.close()


def test_a_bad_url_and_a_server_that_is_down_are_said_in_the_dialog(qtbot, make_window, tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    window = make_window("zh")
    assert window.publishing.act_publish.text() == "发布到 PostGIS…"
    dialog = _open_dialog(window)
    dialog.url_edit.setText("http://not-a-server")
    assert dialog.publish() is None and "not a PostgreSQL URL" in dialog.status.text()
    dialog.url_edit.setText("postgresql://planner@127.0.0.1:1/plan?sslmode=disable")
    dialog.publish()
    qtbot.waitUntil(lambda: dialog.publish_button.isEnabled(), timeout=60_000)
    assert "127.0.0.1:1/plan" in dialog.status.text()
    assert window.project.vector_layers()  # the project is as it was
    dialog.close()


def test_actuals_shared_from_the_window_reach_colleagues_and_theirs_come_back(qtbot, monkeypatch, postgis_db, tmp_path):
    from gisapp.core.plan.actuals import Actual
    from gisapp.io.postgis.project import publish_project, save_published_actuals
    from gisapp.ui.shell.app import start_window
    from tests.io.test_project_gpkg import small_project

    monkeypatch.setenv("PGPASSWORD", postgis_db.password)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    project = small_project()
    indicator = project.indicators.indicators[0].id
    project.indicators.actuals.replace_all([Actual(indicator, 2021, 10.0)])
    publish_project(project, postgis_db, "plan")
    spec = replace(postgis_db, schema="plan")
    window = start_window(spec.url(), "en")
    qtbot.addWidget(window, before_close_func=lambda w: w.project.set_modified(False))
    qtbot.waitUntil(lambda: not window.opener.busy(), timeout=60_000)
    assert window.publishing.act_share.isEnabled()
    # A colleague saves a value for another year meanwhile.
    colleague = open_published_project(spec)
    read = colleague.indicators.actuals.records()
    colleague.indicators.actuals.set_value(indicator, 2022, 11.0)
    save_published_actuals(spec, "plan", colleague.indicators.actuals.records(), read)
    window.project.indicators.actuals.set_value(indicator, 2023, 12.0)
    window.publishing.act_share.trigger()
    qtbot.waitUntil(lambda: window.publishing.act_share.isEnabled(), timeout=60_000)
    mine = {(a.year, a.value) for a in window.project.indicators.actuals.records()}
    assert mine == {(2021, 10.0), (2022, 11.0), (2023, 12.0)}  # the colleague's value is in the window
    on_server = {(a.year, a.value) for a in open_published_project(spec).indicators.actuals.records()}
    assert on_server == mine
    assert "3 values there now" in window.statusBar().currentMessage()
