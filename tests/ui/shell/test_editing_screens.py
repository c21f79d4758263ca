"""The editing screenshots render headless from the command line."""

import os
import subprocess
import sys

from PySide6.QtGui import QImage


def test_cli_renders_the_invalid_geometry_warning(tmp_path):
    out = tmp_path / "invalid_zh.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GISAPP_RECOVERY_DIR": str(tmp_path / "r")}
    done = subprocess.run([sys.executable, "-m", "gisapp.cli", "--screenshot", str(out), "--edit-scene",
                           "invalid", "--lang", "zh", "--size", "1280x800"],
                          capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    assert not list((tmp_path / "r").glob("*.gpkg")), "the scene leaves no recovery file behind"
