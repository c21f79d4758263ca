"""The crash safety net: fatal crashes leave their stack in the crash log (and on stderr);
uncaught exceptions in slots and threads are logged and shown once, and the app runs on;
a render error is said instead of leaving the map blank."""

import os
import signal
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication

from gisapp.ui.shell import crash
from gisapp.ui.shell.crash import ErrorDialog, ErrorReporter


def dialogs():
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.allWidgets() if isinstance(w, ErrorDialog) and w.isVisible()]


@pytest.fixture
def reporter(monkeypatch):
    """A fresh application reporter with its hooks installed, removed after the test."""
    fresh = ErrorReporter()
    monkeypatch.setattr(crash, "_reporter", fresh)
    fresh.install()
    yield fresh
    fresh.uninstall()
    for dialog in dialogs():
        dialog.done(0)


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_shown_once_logged_and_the_app_runs_on(make_window, qtbot, reporter, state_dir):
    window = make_window("en")

    def broken_slot():
        raise RuntimeError("boom <b>not bold</b>")

    action = QAction(window)
    action.triggered.connect(broken_slot)
    for _ in range(3):
        action.trigger()  # the same error three times: one dialog
    qtbot.waitUntil(lambda: len(dialogs()) == 1)
    qtbot.wait(50)
    [dialog] = dialogs()
    assert dialog.message.textFormat() == Qt.PlainText  # the <b> shows as typed
    assert "RuntimeError: boom <b>not bold</b>" in dialog.message.text()
    assert "The application is still running" in dialog.message.text()
    assert str(state_dir / "crash.log") in dialog.message.text()
    details = dialog.details.toPlainText()
    assert details.startswith("Traceback (most recent call last):") and "in broken_slot" in details
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == details and dialog.isVisible()

    worker = threading.Thread(target=lambda: 1 / 0, name="worker-1")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: "2 different errors" in dialog.message.text())
    assert len(dialogs()) == 1 and "ZeroDivisionError" in dialog.details.toPlainText()

    log = (state_dir / "crash.log").read_text(encoding="utf-8")
    assert log.count("RuntimeError: boom <b>not bold</b>\nTraceback") == 3  # the first few are logged
    assert "uncaught error in thread worker-1: ZeroDivisionError" in log and "in broken_slot" in log

    for _ in range(200):
        action.trigger()  # failing on every frame: no storm in the log or on screen
    qtbot.wait(50)
    log = (state_dir / "crash.log").read_text(encoding="utf-8")
    assert log.count("RuntimeError: boom <b>not bold</b>\nTraceback") == 3
    assert "(time 100): RuntimeError" in log and "(time 200): RuntimeError" in log and len(dialogs()) == 1

    before = window.canvas.viewport.resolution
    window.act_zoom_in.trigger()  # the window still works
    assert window.canvas.viewport.resolution < before and window.canvas.wait_for_render()


def test_a_render_error_is_said_and_shown_once_and_the_last_map_stays(make_window, qtbot, reporter, state_dir):
    window = make_window("en")
    canvas = window.canvas
    image = canvas._image
    layer = window.project.layer("hitech_clusters")
    layer.opacity = "abc"  # past set_opacity, as a damaged file once could
    for _ in range(3):
        canvas.pan_by(5, 0)
        assert canvas.wait_for_render()  # a failed render ends too; nothing waits forever
    assert window.statusBar().currentMessage() == f"The map could not be drawn: {canvas.last_render_error}"
    assert "TypeError" in canvas.last_render_traceback
    qtbot.waitUntil(lambda: len(dialogs()) == 1)
    qtbot.wait(50)
    [dialog] = dialogs()  # three failed renders, one dialog
    assert "The map could not be drawn" in dialog.message.text()
    assert "TypeError" in dialog.details.toPlainText()
    assert canvas._image is image  # the last good map, not a blank one
    assert "while drawing the map" in (state_dir / "crash.log").read_text(encoding="utf-8")
    layer.set_opacity(0.5)
    assert canvas.wait_for_render() and canvas._image is not image


def run_child(code, state_dir, timeout=120):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GISAPP_STATE_DIR": str(state_dir)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=timeout)


def test_a_segmentation_fault_leaves_its_stack_in_the_crash_log_and_on_stderr(state_dir):
    result = run_child("from gisapp.ui.shell.app import create_application\n"
                       "app = create_application(offscreen=True)\n"
                       "import faulthandler\n"
                       "def draw_the_map():\n"
                       "    faulthandler._sigsegv()\n"
                       "draw_the_map()\n", state_dir)
    assert result.returncode == -signal.SIGSEGV
    log = (state_dir / "crash.log").read_text(encoding="utf-8")
    assert "=== gisapp started" in log
    for text in (log, result.stderr):
        assert "Fatal Python error: Segmentation fault" in text and "in draw_the_map" in text


def test_an_uncaught_exception_in_the_window_is_logged_and_the_app_keeps_running(state_dir):
    result = run_child(r"""
from PySide6.QtCore import QTimer
from gisapp.io.catalogue import load_catalogue
from gisapp.ui.shell.app import create_application
from gisapp.ui.shell.crash import ErrorDialog
from gisapp.ui.shell.main_window import MainWindow

app = create_application(offscreen=True)
window = MainWindow(load_catalogue(), "en")
window.show()

def broken():
    raise KeyError("no such zone")

def later():
    shown = [w for w in app.allWidgets() if isinstance(w, ErrorDialog) and w.isVisible()]
    print("still running; dialogs:", len(shown), flush=True)
    window.project.set_modified(False)
    window.close()
    app.quit()

QTimer.singleShot(0, broken)
QTimer.singleShot(10, broken)
QTimer.singleShot(500, later)
app.exec()
""", state_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "still running; dialogs: 1"
    assert f"gisapp: error: KeyError: 'no such zone' (details in {state_dir / 'crash.log'})" in result.stderr
    log = (state_dir / "crash.log").read_text(encoding="utf-8")
    assert "uncaught error: KeyError: 'no such zone'" in log and "in broken" in log


def test_the_crash_log_is_there_after_the_window_starts(tmp_path, state_dir):
    out = tmp_path / "shot.png"
    env = {**os.environ, "GISAPP_STATE_DIR": str(state_dir)}
    result = subprocess.run([sys.executable, "-m", "gisapp.cli", "--screenshot", str(out), "--size", "800x600"],
                            env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert (state_dir / "crash.log").read_text(encoding="utf-8").startswith("=== gisapp started")
