"""`gisapp --project postgresql://USER@HOST:PORT/DB?schema=NAME`: the window shows at once and
reads the published project on the open thread, as it reads a project file."""

from __future__ import annotations

from dataclasses import replace

from gisapp.io.postgis.project import PUBLISHED_KEY, publish_project
from gisapp.io.postgis.source import table_ref
from gisapp.ui.shell.app import start_window
from tests.io.test_project_gpkg import small_project


def _started(qtbot, *args):
    window = start_window(*args)
    qtbot.addWidget(window, before_close_func=lambda w: w.project.set_modified(False))
    return window


def test_a_published_project_opens_in_the_background(qtbot, monkeypatch, postgis_db, tmp_path):
    monkeypatch.setenv("PGPASSWORD", postgis_db.password)  # libpq's own: the URL has none
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    project = small_project()
    publish_project(project, postgis_db, "plan")
    url = replace(postgis_db, schema="plan").url()
    window = _started(qtbot, url, "en")
    assert window.isVisible() and window.opener.busy()  # shown; the server is asked on the open thread
    # The outline first (layers empty, titles in the tree), as for a project file.
    qtbot.waitUntil(lambda: window.project.title_en == "Test" or not window.opener.busy(), timeout=60_000)
    qtbot.waitUntil(lambda: not window.opener.busy(), timeout=60_000)
    assert [layer.id for layer in window.project.layers] == [layer.id for layer in project.layers]
    assert window.project.title_en == "Test" and not window.project.modified
    assert window.project.metadata[PUBLISHED_KEY]["schema"] == "plan"
    zones = window.project.layer("zones")
    assert table_ref(zones).table == "zones" and len(zones.frame) == 2
    # The primary keys stay the layer's stored ids in the frame it shows (its edits go to these rows).
    assert zones.stored is not None and zones.stored.frame is zones.frame and zones.stored.fids.tolist() == [1, 2]
    assert window.canvas.wait_for_render()


def test_a_server_that_is_down_is_named_and_the_window_stays(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    shown = []
    monkeypatch.setattr("gisapp.ui.shell.main_window.MainWindow.show_error",
                        lambda self, title, text: shown.append((title, text)))
    window = _started(qtbot, "postgresql://planner@127.0.0.1:1/plan?schema=team&sslmode=disable", "en")
    qtbot.waitUntil(lambda: not window.opener.busy(), timeout=60_000)
    assert len(shown) == 1 and "127.0.0.1:1/plan" in shown[0][1] and "no server answers" in shown[0][1]
    assert window.isVisible() and not window.project.vector_layers()


def test_a_server_that_asks_for_a_password_gets_it_from_a_prompt(qtbot, monkeypatch, postgis_db, tmp_path,
                                                                  memory_keyring):
    from gisapp.io.postgis.connection import connect, keyring_password
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))  # no ~/.pgpass, no keyring entry
    monkeypatch.delenv("PGPASSWORD", raising=False)
    publish_project(small_project(), postgis_db, "plan")
    url = replace(postgis_db, schema="plan").url()
    window = _started(qtbot, url, "en")
    asked = []
    answers = iter([("wrong", False), (postgis_db.password, False)])

    def prompt(spec, problem):
        asked.append((spec.display(), problem))
        return next(answers)

    window.postgis.password_prompt = prompt
    qtbot.waitUntil(lambda: not window.opener.busy(), timeout=60_000)
    # Asked once for the missing password, once more after the wrong one; then the project opened.
    assert [problem.split(" (")[0] for _, problem in asked] == ["the server asks for a password",
                                                                "the server refused the user name or password"]
    assert asked[0][0] == postgis_db.display()
    assert [layer.id for layer in window.project.layers] == [layer.id for layer in small_project().layers]
    # For this session only (not remembered): later connections use it, nothing was stored.
    assert memory_keyring.secrets == {}
    assert keyring_password(postgis_db.with_password(None)) == postgis_db.password
    with connect(postgis_db.with_password(None)) as con:
        assert con.execute("SELECT 1").fetchone()[0] == 1


def test_cancelling_the_password_prompt_names_the_server_and_keeps_the_window(qtbot, monkeypatch, postgis_db,
                                                                             tmp_path, memory_keyring):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    shown = []
    monkeypatch.setattr("gisapp.ui.shell.main_window.MainWindow.show_error",
                        lambda self, title, text: shown.append((title, text)))
    publish_project(small_project(), postgis_db, "plan")
    window = _started(qtbot, replace(postgis_db, schema="plan").url(), "en")
    before = [layer.id for layer in window.project.layers]
    window.postgis.password_prompt = lambda spec, problem: None
    qtbot.waitUntil(lambda: not window.opener.busy(), timeout=60_000)
    assert len(shown) == 1 and postgis_db.display() in shown[0][1] and "asks for a password" in shown[0][1]
    assert [layer.id for layer in window.project.layers] == before and window.isVisible()
