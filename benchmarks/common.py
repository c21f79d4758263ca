"""Shared pieces of the benchmarks: test data, peers, the QGIS-like style, view extents.

Benchmarks are not tests: they print one line of figures each, ours beside the peer's
measured in the same run on the same data (see ../shared/bench/README.md), and the
ratio ours / peer (below 1 means we are faster or smaller).

Data is generated once into a cache outside the repository:
``$GISAPP_BENCH_CACHE`` or ``$XDG_CACHE_HOME/gisapp-bench`` (default ``~/.cache/gisapp-bench``).
"""

from __future__ import annotations

import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO))

PEER_DIR = Path(os.environ.get("GISAPP_PEER_DIR", REPO.parent / "shared" / "bench"))
SYSTEM_PYTHON = os.environ.get("GISAPP_SYSTEM_PYTHON", "/usr/bin/python3")  # Debian's, with python3-qgis
CACHE = Path(os.environ.get("GISAPP_BENCH_CACHE")
             or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gisapp-bench")
LAND_USES = ["R2 residential", "M1 industrial", "A3 education", "B1 commercial", "G1 park", "S1 road"]
SIZE = (1280, 800)
# QGIS's default polygon outline: 0.26 mm at 96 dpi, colour (35, 35, 35).
OUTLINE_PX = 0.26 / 25.4 * 96
OUTLINE = "#232323"


def parcels(n: int) -> Path:
    """The synthetic parcel GeoPackage with ``n`` features (generated on first use)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"parcels_{n}.gpkg"
    if not path.exists():
        temp = path.with_suffix(".tmp.gpkg")
        run_watched([sys.executable, str(PEER_DIR / "make_parcels.py"), str(n), str(temp)])  # 5M needs GiBs
        temp.replace(path)
    return path


def parse_figures(text: str) -> dict[str, float]:
    """``key=value`` pairs of the last line that has any (numbers only)."""
    for line in reversed(text.strip().splitlines()):
        pairs = dict(re.findall(r"(\w+)=([-+0-9.eE]+)", line))
        if pairs:
            return {k: float(v) for k, v in pairs.items()}
    raise RuntimeError(f"no figures in peer output:\n{text}")


def run(args: list[str], timeout: float = 3600, env: dict | None = None) -> str:
    """Run a command to completion under the memory watchdog of :func:`run_watched` and
    return its stdout (stderr is shown on failure)."""
    return run_watched(args, timeout, env=env).stdout


def run_ours(script: str, *args: str, timeout: float = 3600) -> dict[str, float]:
    """Run one of our measurement scripts in a fresh process (as a user starts the app)."""
    return parse_figures(run([sys.executable, str(BENCH_DIR / script), *args], timeout))


def run_qgis(script: Path | str, *args: str, timeout: float = 3600) -> dict[str, float]:
    return parse_figures(run([SYSTEM_PYTHON, str(script), *args], timeout))


@dataclass
class ChildRun:
    """What one measuring child process printed, and what it cost the machine."""

    stdout: str
    peak_rss_mb: float  # the child's own peak resident memory (wait4's ru_maxrss)
    wall_s: float
    load_before: float
    load_after: float
    killed: str = ""  # why the memory watchdog killed it, if it did
    cpu_s: float = 0.0  # user + system time of the child: what a loaded machine inflates least

    @property
    def figures(self) -> dict[str, float]:
        return parse_figures(self.stdout)


def available_gib() -> float:
    """MemAvailable of /proc/meminfo: what the kernel can give without swapping or killing."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 2**20
    return float("inf")


def run_watched(args: list[str], timeout: float = 7200, min_available_gib: float = 3.0,
                env: dict | None = None) -> ChildRun:
    """Run a measuring child to completion; return its output and its own peak RSS.

    A watchdog polls the machine's available memory and kills the child (and raises) when it
    drops below ``min_available_gib``, so a run that does not fit ends before the kernel's OOM
    killer picks a process of someone else. The peak is the child's alone: ``os.wait4``'s
    ru_maxrss, which Linux takes as the larger of the child's own peak and the parent's
    resident memory when it forked; where the parent was the larger, the child's VmHWM as
    last polled (a high-water mark since its exec).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        load_before = os.getloadavg()[0]
        parent_mb = rss_mb()
        polled_mb = 0.0
        start = time.perf_counter()
        child = subprocess.Popen(args, stdout=out, stderr=err, env={**os.environ, **(env or {})},
                                 start_new_session=True)
        killed, lowest = "", float("inf")
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            polled_mb = max(polled_mb, _high_water_mb(child.pid))
            available = available_gib()
            lowest = min(lowest, available)
            if not killed and available < min_available_gib:
                killed = f"available memory fell to {available:.1f} GiB (limit {min_available_gib:.1f} GiB)"
                os.killpg(child.pid, signal.SIGKILL)
            elif not killed and time.perf_counter() - start > timeout:
                killed = f"still running after {timeout:.0f} s"
                os.killpg(child.pid, signal.SIGKILL)
            time.sleep(0.1)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall_s = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    peak_mb = usage.ru_maxrss / 1024
    # Near this process's own size, ru_maxrss may be the fork's copy of it (plus what the
    # parent grew since), not the child's own: then the child's polled VmHWM is the figure.
    if peak_mb <= parent_mb * 1.25 and polled_mb > 0:
        peak_mb = polled_mb
    run = ChildRun(stdout, peak_mb, wall_s, load_before, os.getloadavg()[0], killed,
                   usage.ru_utime + usage.ru_stime)
    if killed:
        raise ChildKilled(f"{Path(args[1]).name} killed: {killed}, its peak RSS {run.peak_rss_mb:.0f} MB", run)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({child.returncode}):\n{stdout}\n{stderr}")
    return run


def _high_water_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class ChildKilled(RuntimeError):
    def __init__(self, message: str, run: ChildRun) -> None:
        super().__init__(message)
        self.run = run


def peer(name: str) -> Path:
    return PEER_DIR / name


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}" if theirs else "n/a"


def machine() -> str:
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 2**20
    except OSError:
        pass
    return f"{os.cpu_count()}-core {platform.machine()}, {mem:.0f} GiB"


def load_average() -> str:
    try:
        return f"load {os.getloadavg()[0]:.1f}"
    except OSError:
        return ""


# --- in our process ----------------------------------------------------------------------
def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def qgis_colour(i: int) -> str:
    """QColor.fromHsv(i * 50, 160, 230), the categories of ../shared/bench/qgis_render.py."""
    from PySide6.QtGui import QColor

    return QColor.fromHsv(i * 50, 160, 230).name()


def style_like_qgis(layer, labels: bool = False) -> None:
    """Categorized by land_use with QGIS's colours and default outline; no labels unless
    asked (QGIS draws none in the peer script)."""
    from gisapp.core.model.style import CategorizedStyle, Category, Symbol

    layer.set_style(CategorizedStyle("land_use", [
        Category(use, use, use, Symbol(fill=qgis_colour(i), fill_opacity=1.0, stroke=OUTLINE,
                                       stroke_width=OUTLINE_PX))
        for i, use in enumerate(LAND_USES)]))
    if not labels:
        layer.label_field = ""


def peer_extents(full: tuple[float, float, float, float]) -> list[tuple[float, float, float, float]]:
    """The 10 pan/zoom extents of ../shared/bench/qgis_render.py around ``full``."""
    xmin, ymin, xmax, ymax = full
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    out = []
    for k in range(10):
        f = 0.5 ** (k % 5)
        w, h = (xmax - xmin) * f, (ymax - ymin) * f
        dx = (k - 5) * w * 0.05
        out.append((cx - w / 2 + dx, cy - h / 2, cx + w / 2 + dx, cy + h / 2))
    return out


def full_extent_3857(path: Path) -> tuple[float, float, float, float]:
    """The layer extent transformed like QGIS's transformBoundingBox (corners, densified)."""
    import pyogrio
    from pyproj import Transformer

    info = pyogrio.read_info(path, layer="parcels", force_total_bounds=True)
    xmin, ymin, xmax, ymax = info["total_bounds"]
    return Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform_bounds(xmin, ymin, xmax, ymax)


# --- the window and canvas our benchmarks measure --------------------------------------------
WINDOW_SIZE = (1600, 1000)


def qt_binding() -> SimpleNamespace:
    """PySide6's modules in the shape benchmarks/input_script.py expects of either binding."""
    from PySide6 import QtCore, QtGui, QtWidgets

    return SimpleNamespace(QtCore=QtCore, QtGui=QtGui, QtWidgets=QtWidgets)


def open_window(size: tuple[int, int] = WINDOW_SIZE, dashboard: bool = True):
    """The real main window on the bundled project, shown (offscreen) and drawn once; with
    ``dashboard=False`` the indicator dashboard's service is stopped, leaving the map canvas
    alone. Returns (app, window)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from gisapp.io.catalogue import load_catalogue
    from gisapp.ui.shell.main_window import MainWindow

    window = MainWindow(load_catalogue(), "en")
    window.resize(*size)
    window.show()
    window.canvas.wait_for_render()
    if not dashboard:
        window.indicators.shutdown()
    return app, window


def open_in_window(window, path: str | Path, timeout_s: float = 7200):
    """File > Open's code path (read in the background), waited for until every feature is
    read; the layer. Raises if the read did not finish (a partial layer would be measured)."""
    import pyogrio

    batch = window.open_paths([str(path)])
    batch.wait(int(timeout_s * 1000))
    if not batch.done or not batch.outcome.layers:
        raise RuntimeError(f"{path} was not opened within {timeout_s:.0f} s")
    layer = batch.outcome.layers[0]
    expected = pyogrio.read_info(path)["features"]
    if len(layer) != expected:
        raise RuntimeError(f"{path}: {len(layer)} features read of {expected}")
    return layer


def close_window(window) -> None:
    """Close without the unsaved-changes question."""
    window.project.set_modified(False)
    window.close()


def open_canvas(size: tuple[int, int] = SIZE):
    """Our map canvas alone, shown (offscreen) at ``size``. Returns (app, canvas)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from gisapp.ui.map.canvas import MapCanvas

    canvas = MapCanvas()
    canvas.resize(*size)
    canvas.show()
    app.processEvents()
    return app, canvas


def wait(app, predicate, timeout: float = 600.0, step_ms: int = 5) -> bool:
    """Process events until ``predicate()`` is true."""
    end = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > end:
            return False
        app.processEvents()
        time.sleep(step_ms / 1000)
    return True
