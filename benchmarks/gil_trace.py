"""Who held the UI thread up: a diagnosis aid for bench_open (``BENCH_TRACE=1``), not a figure.

Worker threads started after :func:`install` get a profile function that notes every
stretch of more than ``min_ms`` between two Python events (calls, returns, calls of
built-ins) on that thread: one C call or a run of bytecode without a call. Such a stretch
either released the GIL (a GDAL read, a GIL-free shapely function) or held it the whole
time. :func:`report` prints, for each event-loop block the probe saw, the stretches of
other threads that overlap it most; the one holding the GIL is among them.
"""

from __future__ import annotations

import sys
import threading
import time

_stretches: list[tuple[str, float, float, str]] = []  # thread, start, end, where


def install(min_ms: float = 8.0) -> None:
    limit = min_ms / 1000
    clock = time.perf_counter

    def profile(frame, event, arg):
        now = clock()
        local = _state.__dict__
        last = local.get("t")
        if last is not None and now - last > limit:
            _stretches.append((threading.current_thread().name, last, now, local.get("where", "")))
        # What runs after this event: the C function called, or the Python code resumed.
        local["where"] = (f"{getattr(arg, '__qualname__', getattr(arg, '__name__', arg))} from "
                          f"{frame.f_code.co_name}:{frame.f_lineno}" if event == "c_call"
                          else f"{frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.f_code.co_name}:{frame.f_lineno}")
        local["t"] = clock()

    _state = threading.local()
    threading.setprofile(profile)
    sys.setprofile(profile)  # the UI thread too: its own long stretches
    started: dict[str, float] = {}

    def collected(phase, info):  # a collection stops every thread
        if phase == "start":
            started["t"] = clock()
        elif "t" in started and clock() - started["t"] > limit:
            _stretches.append((threading.current_thread().name, started.pop("t"), clock(),
                               f"gc of generation {info['generation']}"))

    import gc

    gc.callbacks.append(collected)


def report(blocks: list[tuple[float, float]], over_ms: float = 20.0, out=sys.stderr) -> None:
    """``blocks``: (start, end) perf_counter times of event-loop gaps."""
    for start, end in blocks:
        if (end - start) * 1000 < over_ms:
            continue
        overlaps = sorted(((min(end, e) - max(start, s), name, s, e, where) for name, s, e, where in _stretches
                           if s < end and e > start and "SimpleQueue.get" not in where
                           and "QEventLoop.exec" not in where), reverse=True)[:4]
        text = "; ".join(f"{name} {1000 * (e - s):.0f} ms ({1000 * o:.0f} in block) {where}"
                         for o, name, s, e, where in overlaps) or "no long stretch in another thread"
        print(f"block {1000 * (end - start):.0f} ms at {start:.2f}: {text}", file=out)
