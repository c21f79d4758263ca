"""The benchmarks' child runner (benchmarks/common.py): a child's own peak memory, and the
watchdog that kills a child before the machine runs out of memory."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str):
    """A benchmarks/ module under its own name, as when the scripts run (they import ``common``)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


common = _load("common")


def test_peak_is_the_childs_own():
    # The child holds its 300 MB a moment: a peak shorter than the 0.1 s poll may be missed when
    # the parent is larger than the child (then the polled VmHWM is the figure).
    allocate = ("import time; block = bytearray(300 * 2**20); block[::4096] = b'x' * len(block[::4096]); "
                "time.sleep(0.5); print('n=1')")
    child = common.run_watched([sys.executable, "-c", allocate], min_available_gib=0)
    assert child.figures == {"n": 1.0}
    assert 300 <= child.peak_rss_mb < 600  # the 300 MB it touched, not this test process's memory
    assert child.cpu_s > 0.01  # its own CPU time (starting Python and touching the pages)
    # This process is larger than a bare interpreter: its fork must not count as the child's peak.
    small = common.run_watched([sys.executable, "-c", "import time; time.sleep(1); print('n=2')"],
                               min_available_gib=0)
    assert 3 < small.peak_rss_mb < 60


def test_watchdog_kills_a_child_when_memory_runs_short():
    start = time.perf_counter()
    with pytest.raises(common.ChildKilled, match="available memory fell to") as caught:
        # no machine has this much: the first poll must kill the sleeping child
        common.run_watched([sys.executable, "-c", "import time; time.sleep(60)"], min_available_gib=1e6)
    assert time.perf_counter() - start < 30
    assert caught.value.run.killed


def test_a_failing_child_raises_with_its_output():
    with pytest.raises(RuntimeError, match="boom"):
        common.run_watched([sys.executable, "-c", "import sys; sys.exit('boom')"], min_available_gib=0)


def test_a_size_that_cannot_fit_is_skipped_with_the_arithmetic():
    scaling = _load("bench_scaling")
    previous = {"n": 2_000_000, "runs": [common.ChildRun("", 6 * 1024, 1.0, 0.0, 0.0)]}
    reason = scaling.fits(5_000_000, previous, limit=common.available_gib() - 10)  # 10 GiB of room
    assert "5,000,000 parcels not run" in reason and "6.0 GiB, times 2.5 is 15.0 GiB" in reason
    assert scaling.fits(5_000_000, previous, limit=common.available_gib() - 20) == ""
