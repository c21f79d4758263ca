"""Every hostile file is opened in a real window in a subprocess, followed by what a user does
next (zoom to full extent, zoom to layer, select and zoom to selection, attribute table,
resize, web export, save). A case fails if the process dies by a signal, hangs, raises, shows
no message where one is due, or changes the open project when it refused the file."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus import make_corpus

# One worker runs the whole corpus: its module fixture runs every case.
pytestmark = pytest.mark.xdist_group("hostile_corpus")

CHILD = Path(__file__).with_name("window_child.py")
CASE_TIMEOUT_S = 120  # per case; a loaded 2-core machine needs ~10 s for the slowest


def _save_bundled_project(path: Path) -> Path:
    from gisapp.io.catalogue import load_catalogue
    from gisapp.io.project_gpkg import save_project

    save_project(load_catalogue(), path)
    return path


def _run_children(cases_file: Path, out_dir: Path, count: int) -> dict[str, dict]:
    """Run the child from the first unfinished case until all are done; a dead child is noted
    against the case it was on and the next child starts after it."""
    results: dict[str, dict] = {}
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               GISAPP_RECOVERY_DIR=str(out_dir / "recovery"), XDG_STATE_HOME=str(out_dir / "state"),
               PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                           os.environ.get("PYTHONPATH", "")]))
    names = [case["name"] for case in json.loads(cases_file.read_text(encoding="utf-8"))]
    first = 0
    while first < count:
        process = subprocess.Popen([sys.executable, str(CHILD), str(cases_file), str(out_dir), str(first)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                   cwd=out_dir)
        current = None
        stderr_lines: list[str] = []
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        selector.register(process.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + CASE_TIMEOUT_S
        hung = False
        open_streams = 2
        while open_streams:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                hung = True
                break
            for key, _ in selector.select(timeout=remaining):
                line = key.fileobj.readline()
                if not line:
                    selector.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                if key.fileobj is process.stderr:
                    stderr_lines.append(line)
                    continue
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                deadline = time.monotonic() + CASE_TIMEOUT_S
                if "begin" in event:
                    current = event["begin"]
                elif "end" in event:
                    results[names[event["end"]]] = event["result"]
                    current = None
        if hung:
            process.kill()
        returncode = process.wait()
        if current is None:
            if len(results) < count:
                raise AssertionError(f"the child stopped between cases ({returncode}, hung: {hung}):\n"
                                     f"{''.join(stderr_lines)[-3000:]}")
            break
        death = ("hung" if hung else f"killed by {signal.Signals(-returncode).name}" if returncode < 0
                 else f"exited with {returncode}")
        results[names[current]] = {"name": names[current], "died": death,
                                   "stderr": "".join(stderr_lines)[-3000:]}
        first = current + 1
    return results


@pytest.fixture(scope="module")
def corpus_results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    cases = make_corpus(folder / "files", _save_bundled_project)
    cases_file = folder / "cases.json"
    cases_file.write_text(json.dumps([{"name": c.name, "kind": c.kind, "expect": c.expect,
                                       "paths": [str(p) for p in c.paths]} for c in cases],
                                     ensure_ascii=False), encoding="utf-8")
    out_dir = folder / "out"
    out_dir.mkdir()
    return {case.name: case for case in cases}, _run_children(cases_file, out_dir, len(cases))


def _case_names() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return [case.name for case in make_corpus(Path(folder), lambda path: _touch(path))]


def _touch(path: Path) -> Path:
    """A stand-in project with every key the damage touches: only case names are needed here."""
    import sqlite3

    every_key = {"canvas_crs": "EPSG:3857", "opacity": 1, "groups": [], "layers": [], "indicators": {},
                 "fill": "#000000", "title_en": "x", "id": "x"}
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE gisapp_project (key TEXT, value TEXT)")
        db.execute("INSERT INTO gisapp_project VALUES ('project', ?)", (json.dumps(every_key),))
    return path


def test_the_corpus_is_large_and_varied():
    names = _case_names()
    assert len(names) >= 40
    assert sum(name.startswith("project_") for name in names) >= 5
    assert sum(name.startswith("actuals_") for name in names) >= 5


@pytest.mark.parametrize("name", _case_names())
def test_the_window_survives_and_says_why(corpus_results, name):
    cases, results = corpus_results
    case, result = cases[name], results.get(name)
    assert result is not None, f"{name}: no result (the child stopped before it)"
    assert "died" not in result, f"{name}: the window process {result['died']}\n{result.get('stderr', '')}"
    assert not result.get("error"), f"{name}: an exception escaped:\n{result['error']}"
    messages = result["messages"] + result.get("after_messages", [])
    if case.expect == "message":
        assert messages or result.get("status"), f"{name}: nothing told the user what was wrong"
    if case.expect == "quiet" and case.kind != "actuals":
        assert result["layers_added"], f"{name}: a good file did not open: {messages}"
    if case.kind == "project" and not result.get("layers_added"):
        pass
    if case.kind == "data" and not result["layers_added"]:
        assert messages, f"{name}: refused without a word"
    for text in messages:
        assert "Traceback" not in text, f"{name}: a traceback was shown to the user:\n{text}"
    for step in result.get("steps", []):
        assert "refused" not in step or "GisIOError" not in step
