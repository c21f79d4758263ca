"""An editing session that crashes is recovered, exactly, by the next start.

The child process runs the real window offscreen, drags a vertex with the mouse and
types an attribute in the panel (the same code paths as a user), lets the autosave
timer write the recovery file, and SIGKILLs itself. This test then starts a window
in-process, answers "Recover" and checks every recovered coordinate and value.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import shapely
from editing_helpers import SECTORS, prepare

CHILD = r"""
import json, os, signal, sys, time
sys.path.insert(0, sys.argv[1])
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from gisapp.ui.shell.app import create_application
from gisapp.io.catalogue import load_catalogue
from gisapp.ui.shell.main_window import MainWindow
from gisapp.core.editing.tools import Mode
from editing_helpers import SECTORS, coords, free_pixel, pixel, prepare

app = create_application(offscreen=True)
window = MainWindow(load_catalogue(), "en")
window.resize(1600, 1000)
window.show()
app.processEvents()
window.canvas.zoom_full()
layer = prepare(window)
window.editing.recovery.autosave_timer.setInterval(300)
window.editing.tools.set_mode(Mode.VERTEX)
canvas = window.canvas
vertex = coords(layer, 3)[2]
start = pixel(window, layer, vertex)
end = free_pixel(window, start + QPoint(30, -20))
QTest.mouseMove(canvas, start)
QTest.mousePress(canvas, Qt.LeftButton, Qt.NoModifier, start)
QTest.mouseMove(canvas, start + QPoint(15, -10))
QTest.mouseMove(canvas, end)
QTest.mouseRelease(canvas, Qt.LeftButton, Qt.NoModifier, end)
window.select_feature(layer.frame["id"].iloc[1])
assert window.panel.edit_value("name_en", "Transfer and incubation hub") is None
assert window.editing.stack.count() == 2
deadline = time.time() + 20
while window.editing.recovery.recovery_file is None and time.time() < deadline:
    app.processEvents()
    time.sleep(0.02)
expected = {"wkb": [g.wkb_hex for g in layer.frame.geometry], "names": list(layer.frame["name_en"]),
            "file": str(window.editing.recovery.recovery_file)}
print(json.dumps(expected), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_edits_of_a_crashed_session_are_recovered_on_the_next_start(make_window, tmp_path, monkeypatch, qtbot):
    recovery_dir = tmp_path / "recovery"
    env = {**os.environ, "GISAPP_RECOVERY_DIR": str(recovery_dir), "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.run([sys.executable, "-c", CHILD, str(Path(__file__).parent)], env=env,
                           capture_output=True, text=True, timeout=180)
    assert child.returncode == -signal.SIGKILL, child.stderr
    expected = json.loads(child.stdout.strip().splitlines()[-1])
    assert Path(expected["file"]).exists()

    monkeypatch.setenv("GISAPP_RECOVERY_DIR", str(recovery_dir))
    window = make_window("en")
    layer = window.project.layer(SECTORS)
    original = [g.wkb_hex for g in layer.frame.geometry]
    assert original != expected["wkb"]
    prepare(window, zoom_to=None)
    window.editing.operations.set_editing(False)
    window.answers = ["recover"]
    assert window.editing.offer_recovery()
    title, text, buttons = window.asked[-1]
    assert title == "Recover unsaved edits" and "Yingeshi Science City functional sectors" in text
    assert buttons == ["recover", "discard", "cancel"]
    assert [g.wkb_hex for g in layer.frame.geometry] == expected["wkb"], "every coordinate, bit for bit"
    assert list(layer.frame["name_en"]) == expected["names"]
    assert window.editing.session.is_dirty(SECTORS) and window.windowTitle().startswith("*")
    assert window.editing.stack.undoText() == "Recover unsaved edits"
    # The recovered edits are protected again by this session's own recovery file.
    recovery_file = window.editing.recovery
    qtbot.waitUntil(lambda: recovery_file.recovery_file is not None and recovery_file.recovery_file.exists(),
                    timeout=20000)
    window.editing.stack.undo()
    assert [g.wkb_hex for g in layer.frame.geometry] == original
    assert all(shapely.from_wkb(h).is_valid for h in expected["wkb"])


def test_declining_recovery_deletes_the_file(make_window, tmp_path, monkeypatch):
    from gisapp.io import recovery
    from gisapp.io.catalogue import load_catalogue

    monkeypatch.setenv("GISAPP_RECOVERY_DIR", str(tmp_path))
    path = recovery.write_recovery(load_catalogue(), [SECTORS])
    monkeypatch.setattr(recovery, "read_info", _written_by_a_dead_process(recovery.read_info))
    window = make_window("zh")
    prepare(window, zoom_to=None)
    window.answers = ["discard"]
    assert not window.editing.offer_recovery()
    assert not path.exists()
    assert "恢复" in window.asked[-1][0]


def _written_by_a_dead_process(read_info):
    def patched(path):
        info = read_info(path)
        if info is not None:
            info.pid = 2 ** 22 + 12345  # above the default pid_max: no such process
        return info
    return patched
