"""Every hostile file is opened in a real window in a subprocess, followed by what a user does
next (zoom to full extent, zoom to layer, select and zoom to selection, attribute table,
resize, web export, save). A case fails if the process dies by a signal, hangs, raises, shows
no message where one is due, shows one that does not name the file, or changes the open
project when it refused the file.

One window process per test worker serves the cases one after the other; it is replaced
after a case that killed it, hung it, or left the window other than it was at the start."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

import pytest

from tests.broken_files import WINDOW_CASES, write_window_case

CHILD = Path(__file__).with_name("window_child.py")
ROOT = Path(__file__).resolve().parents[2]
CASE_TIMEOUT_S = 300  # per case; huge_property takes 100 s on a 2-core machine loaded 8 times over
START_TIMEOUT_S = 120


class WindowChild:
    """The window process: ``run(case)`` sends one case and waits for its result."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.process: subprocess.Popen | None = None
        self.stderr: deque[str] = deque(maxlen=200)
        self.starts = 0

    def _start(self) -> None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                   GISAPP_STATE_DIR=str(self.folder / "state"), GISAPP_RECOVERY_DIR=str(self.folder / "recovery"),
                   PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
        self.process = subprocess.Popen([sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env, cwd=self.folder)
        self.stderr.clear()
        self.starts += 1
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self.selector.register(self.process.stderr, selectors.EVENT_READ)

    def _next_event(self, timeout_s: float) -> dict | None:
        """The child's next JSON line; None when it closed its output or went quiet too long."""
        deadline = time.monotonic() + timeout_s
        while (remaining := deadline - time.monotonic()) > 0:
            for key, _ in self.selector.select(timeout=remaining):
                line = key.fileobj.readline()
                if not line:
                    return None
                if key.fileobj is self.process.stderr:
                    self.stderr.append(line)
                    continue
                try:
                    return json.loads(line)
                except ValueError:
                    continue
        return None

    def _stop(self) -> str:
        """End the child; how it ended."""
        process, self.process = self.process, None
        self.selector.close()
        if process.poll() is None:
            process.kill()
            process.wait()
            return "hung"
        code = process.returncode
        return f"killed by {signal.Signals(-code).name}" if code < 0 else f"exited with {code}"

    def run(self, case: dict) -> dict:
        if self.process is not None and self.process.poll() is not None:
            self._stop()  # it ended after the last case: that case's result is already in
        if self.process is None:
            self._start()
        try:
            self.process.stdin.write(json.dumps(case, ensure_ascii=False) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass  # it died between cases: the begin line below never comes
        begin = self._next_event(START_TIMEOUT_S)
        end = self._next_event(CASE_TIMEOUT_S) if begin else None
        while end is not None and "end" not in end:
            end = self._next_event(CASE_TIMEOUT_S)
        if end is None or end.get("end") != case["name"]:
            death = self._stop()
            return {"name": case["name"], "died": death, "stderr": "".join(self.stderr)[-3000:]}
        if not end["healthy"]:
            self._stop()  # the next case gets a fresh window
        return end["result"]

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            self._stop()


@pytest.fixture(scope="module")
def saved_project(tmp_path_factory) -> Path:
    """The bundled project saved by gisapp once per worker; project cases damage copies of it."""
    from gisapp.io.catalogue import load_catalogue
    from gisapp.io.project_gpkg import save_project

    path = tmp_path_factory.mktemp("project") / "bundled.gpkg"
    save_project(load_catalogue(), path)
    return path


@pytest.fixture(scope="module")
def window_child(tmp_path_factory):
    child = WindowChild(tmp_path_factory.mktemp("window"))
    yield child
    child.close()


def test_the_corpus_is_large_and_varied():
    assert len(WINDOW_CASES) >= 40
    assert sum(case.kind == "project" for case in WINDOW_CASES) >= 5
    assert sum(case.kind == "actuals" for case in WINDOW_CASES) >= 5
    assert {case.expect for case in WINDOW_CASES} == {"message", "quiet", "survive"}


@pytest.mark.parametrize("case", WINDOW_CASES, ids=str)
def test_the_window_survives_and_says_why(window_child, saved_project, tmp_path, case):
    files = tmp_path / "files"
    files.mkdir()
    paths = write_window_case(case, files, saved_project)
    result = window_child.run({"name": case.name, "kind": case.kind, "paths": [str(p) for p in paths],
                               "out_dir": str(tmp_path / "out")})
    name = case.name
    assert "died" not in result, f"{name}: the window process {result['died']}\n{result.get('stderr', '')}"
    assert not result.get("error"), f"{name}: an exception escaped:\n{result['error']}"
    messages = result["messages"] + result.get("after_messages", [])
    said = "\n".join([*messages, result.get("status") or ""])
    if case.expect == "message":
        assert said.strip(), f"{name}: nothing told the user what was wrong"
        assert any(path.name in said for path in paths), f"{name}: the message does not name the file:\n{said}"
    if case.expect == "quiet" and case.kind != "actuals":
        assert result["layers_added"], f"{name}: a good file did not open: {messages}"
    if case.kind == "data":
        refused = not result["layers_added"]
    elif case.kind == "project":
        refused = not result["project_replaced"]
    else:
        refused = result["actuals_added"] == 0
    if refused:
        assert result["unchanged"], f"{name}: the file was refused, but the open project changed"
    if case.kind == "data" and not result["layers_added"]:
        assert messages, f"{name}: refused without a word"
    for text in messages:
        assert "Traceback" not in text, f"{name}: a traceback was shown to the user:\n{text}"
    for step in result.get("steps", []):
        assert "refused" not in step or "GisIOError" not in step
