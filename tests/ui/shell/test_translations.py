"""The Chinese translation covers every UI string and the shipped .qm matches the .ts."""

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from gisapp.ui.shell.i18n import translations_dir

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def test_every_ui_string_has_a_finished_chinese_translation(tmp_path):
    ts = tmp_path / "check.ts"
    shutil.copy(translations_dir() / "gisapp_zh_CN.ts", ts)
    sources = sorted(str(p) for p in (ROOT / "gisapp" / "ui").rglob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-locations", "none", "-ts", str(ts)],
                   check=True, capture_output=True)
    unfinished = [m.findtext("source") for m in ET.parse(ts).iter("message")
                  if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")]
    assert unfinished == [], "run scripts/update_translations.sh and translate these"


def test_compiled_translation_is_up_to_date(tmp_path):
    qm = tmp_path / "check.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(translations_dir() / "gisapp_zh_CN.ts"), "-qm", str(qm)],
                   check=True, capture_output=True)
    assert qm.read_bytes() == (translations_dir() / "gisapp_zh_CN.qm").read_bytes()
