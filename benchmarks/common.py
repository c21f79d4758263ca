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
import subprocess
import sys
import time
from pathlib import Path

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
        subprocess.run([sys.executable, str(PEER_DIR / "make_parcels.py"), str(n), str(temp)], check=True,
                       stdout=subprocess.DEVNULL)
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
    """Run a command to completion and return its stdout (stderr is shown on failure)."""
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def run_ours(script: str, *args: str, timeout: float = 3600) -> dict[str, float]:
    """Run one of our measurement scripts in a fresh process (as a user starts the app)."""
    return parse_figures(run([sys.executable, str(BENCH_DIR / script), *args], timeout))


def run_qgis(script: Path | str, *args: str, timeout: float = 3600) -> dict[str, float]:
    return parse_figures(run([SYSTEM_PYTHON, str(script), *args], timeout))


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


def wait(app, predicate, timeout: float = 600.0, step_ms: int = 5) -> bool:
    """Process events until ``predicate()`` is true."""
    end = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > end:
            return False
        app.processEvents()
        time.sleep(step_ms / 1000)
    return True
