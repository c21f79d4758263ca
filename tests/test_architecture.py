"""gisapp.core, gisapp.io and gisapp.export must run without Qt."""

import subprocess
import sys
from pathlib import Path

BLOCK_QT = """
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("Qt imported from a Qt-free package: " + name)
sys.meta_path.insert(0, BlockQt())
import pkgutil, importlib, gisapp.core, gisapp.io, gisapp.export
for package in (gisapp.core, gisapp.io, gisapp.export):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
from gisapp.io.catalogue import load_catalogue
project = load_catalogue()
assert project.layers
print("ok", "PySide6" in sys.modules)
"""


def test_core_io_export_import_and_load_without_qt():
    result = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok False"


def test_import_linter_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken" in result.stdout
