"""Run PyQGIS scripts under Debian's own Python (QGIS 3.22 from python3-qgis), headless.

``scripts/bootstrap.sh --test`` installs python3-qgis and qgis-providers; a missing QGIS
fails these tests rather than skipping them.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
RESULT_MARK = "@@gisapp-result@@"

PREAMBLE = """\
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from qgis.core import *  # noqa
from qgis.PyQt.QtGui import QColor, QFont
_app = QgsApplication([], False)
_app.setPrefixPath("/usr", True)
_app.initQgis()
args = json.loads(sys.argv[1])
result = {}
"""

EPILOGUE = f"""
print({RESULT_MARK!r} + json.dumps(result, default=str), flush=True)
# exitQgis() crashes QGIS 3.22 offscreen now and then; the work is done, so leave at once.
sys.stderr.flush()
os._exit(0)
"""


def run_pyqgis(script: str, tmp_path: Path, **args) -> dict:
    """Run ``script`` with QGIS initialised; it reads ``args`` and fills ``result`` (JSON)."""
    path = tmp_path / "pyqgis_script.py"
    path.write_text(PREAMBLE + textwrap.dedent(script) + EPILOGUE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.setdefault("XDG_RUNTIME_DIR", str(tmp_path))
    completed = subprocess.run([SYSTEM_PYTHON, str(path), json.dumps(args, default=str)], capture_output=True,
                               text=True, env=env, cwd=tmp_path, timeout=300)
    lines = [line for line in completed.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if completed.returncode != 0 or not lines:
        raise AssertionError(f"PyQGIS script failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}")
    found = json.loads(lines[-1][len(RESULT_MARK):])
    found["_stderr"] = completed.stderr  # what GDAL and QGIS warned about
    return found


@pytest.fixture
def pyqgis(tmp_path):
    """``pyqgis(script, **args) -> result dict``, the script run by QGIS's own Python."""
    return lambda script, **args: run_pyqgis(script, tmp_path, **args)


@pytest.fixture(scope="module")
def module_pyqgis(tmp_path_factory):
    """``pyqgis`` for module-scoped set-up: one QGIS run serves all tests of a module."""
    folder = tmp_path_factory.mktemp("pyqgis")
    return lambda script, **args: run_pyqgis(script, folder, **args)
