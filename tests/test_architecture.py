"""The rooms of gisapp and the rules between them (see the README's Architecture section)."""

import subprocess
import sys
from pathlib import Path

import grimp

BLOCK_QT = """
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("Qt imported from a Qt-free package: " + name)
sys.meta_path.insert(0, BlockQt())
import pkgutil, importlib, gisapp.core, gisapp.io, gisapp.export, gisapp.charts
for package in (gisapp.core, gisapp.io, gisapp.export, gisapp.charts):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
from gisapp.io.catalogue import load_catalogue
project = load_catalogue()
assert project.layers
print("ok", "PySide6" in sys.modules)
"""

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "gisapp"


def test_core_io_export_charts_import_and_load_without_qt():
    result = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok False"


def test_import_linter_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken" in result.stdout


def import_cycles(graph) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), counting imports inside functions too."""
    modules = sorted(m for m in graph.modules if m.startswith("gisapp"))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph.find_modules_directly_imported_by(module)):
            if not target.startswith("gisapp"):
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in modules:
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycles_anywhere_in_gisapp():
    graph = grimp.build_graph("gisapp", cache_dir=None)
    assert import_cycles(graph) == []


def test_cycle_finder_sees_a_cycle_hidden_in_a_function():
    graph = grimp.ImportGraph()
    for module in ("gisapp.a", "gisapp.b", "gisapp.c"):
        graph.add_module(module)
    graph.add_import(importer="gisapp.a", imported="gisapp.b")
    graph.add_import(importer="gisapp.b", imported="gisapp.a")  # e.g. an import inside a function
    graph.add_import(importer="gisapp.b", imported="gisapp.c")
    assert import_cycles(graph) == [["gisapp.a", "gisapp.b"]]


def test_window_never_imports_the_command_line():
    graph = grimp.build_graph("gisapp", cache_dir=None)
    assert not graph.chain_exists(importer="gisapp.ui", imported="gisapp.cli", as_packages=True)


def test_every_package_says_what_lives_there():
    for init in sorted(PACKAGE_DIR.rglob("__init__.py")):
        text = init.read_text(encoding="utf-8").lstrip()
        assert text.startswith('"""'), f"{init.relative_to(PACKAGE_DIR.parent)} has no docstring"
    assert (PACKAGE_DIR / "py.typed").is_file()
