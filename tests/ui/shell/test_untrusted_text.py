"""Names, values and file names that look like HTML show as the text they are.

Qt reads strings that look like HTML as rich text: '<img src=local.png>' in a layer name
would show that image in the layer-tree tooltip, and '<img src="/dev/zero">' would make Qt
read forever. The window drives every place such text reaches (tree, tooltips, attribute
table, identify panel, error box, style and export dialogs); the /dev/zero run happens in a
subprocess, so a regression fails the test instead of hanging or killing the test run.
"""

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from untrusted_text import BOLD, MATH, hostile_project, observe, resources_loaded, write_png

from gisapp.ui.plain import escape, message_box, tooltip

HELPER = Path(__file__).with_name("untrusted_text.py")
REPO = Path(__file__).resolve().parents[3]


def check(seen: dict, markup: str, file_markup: str) -> None:
    name = f"{markup} {BOLD}"
    assert seen["tree_layer"] == name and seen["tree_group"] == name
    for key in ("tree_tooltip", "table_tooltip"):
        tip = seen[key]
        assert markup in tip["plain"], key  # the literal text is what shows
        assert tip["resources"] == [], key  # and nothing is loaded for it
        assert tip["height"] < 200, key  # the 400 px image is not in the tooltip
        assert "<img" not in tip["text"], key
    assert seen["table_tooltip"]["plain"] == markup
    assert seen["table_header"] == markup and seen["table_cell"] == markup
    assert markup in seen["table_filter_items"]
    assert name in seen["panel_text"] and markup in seen["panel_text"]
    assert seen["panel_images"] == 0
    assert seen["error_box"]["plain"] and file_markup in seen["error_box"]["text"]
    assert markup in seen["style_fields"]
    assert seen["style_message"]["plain"] and markup in seen["style_message"]["text"]
    assert seen["export_layer"] == name and seen["export_group"] == name
    assert seen["export_size"]["plain"]
    assert seen["dashboard_name"] == f"{MATH} {name}"
    tip = seen["dashboard_tooltip"]
    assert markup in tip["plain"] and tip["resources"] == [] and tip["height"] < 300
    assert seen["chart_titles"] and seen["chart_titles"][0].startswith(MATH)  # drawn as written
    assert markup in seen["coverage"]["plain"] and seen["coverage"]["resources"] == []
    assert seen["zone_label"]["plain"] and markup in seen["zone_label"]["text"]


def test_a_local_image_named_in_data_is_never_shown(make_window, tmp_path, monkeypatch):
    png = write_png(tmp_path / "local.png")
    monkeypatch.chdir(tmp_path)  # where the file name's relative image would be found
    markup = f'<img src="{png}">'
    file_markup = "<img src=local.png>"
    assert resources_loaded(markup) == [str(png)]  # Qt would load it, were it rich text
    project, indicator_id = hostile_project(markup)
    window = make_window("en", project=project)
    check(observe(window, file_markup, tmp_path, indicator_id), markup, file_markup)


def _limit_memory() -> None:
    # A runaway read of /dev/zero then fails in a second instead of filling the machine.
    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))


def test_dev_zero_named_in_data_neither_hangs_nor_aborts_the_window(tmp_path):
    (tmp_path / "zero").symlink_to("/dev/zero")  # what a relative src in a file name would read
    markup, file_markup = '<img src="/dev/zero">', "<img src=zero>"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, str(HELPER), markup, file_markup, str(tmp_path)],
                          capture_output=True, text=True, timeout=300, env=env, preexec_fn=_limit_memory)
    assert done.returncode == 0, done.stderr[-3000:]
    check(json.loads(done.stdout.strip().splitlines()[-1]), markup, file_markup)


def test_the_helpers_keep_text_literal(qtbot):
    assert escape('<b a="1">&') == "&lt;b a=&quot;1&quot;&gt;&amp;"
    tip = tooltip("line <img src=x>\nnext")
    assert resources_loaded(tip) == [] and "&lt;img src=x&gt;" in tip and "<br>" in tip
    assert tooltip("") == ""
    box = message_box(QMessageBox.Warning, "t", "<img src=x>", parent=None, details="<b>d</b>")
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.PlainText and box.text() == "<img src=x>"
    assert box.detailedText() == "<b>d</b>"
