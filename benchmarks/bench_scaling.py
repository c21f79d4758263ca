"""How cost grows with the layer: open, first render, pan/zoom, identify and peak memory at
several sizes, ours beside QGIS 3.22 at the same size in the same run.

    .venv/bin/python benchmarks/bench_scaling.py 100000 1000000 2000000 5000000

Every figure comes from its own fresh process (the measuring modes of the other benchmarks),
so one size's memory never counts against the next; a process's peak resident memory is its
own ``ru_maxrss`` from ``os.wait4``. Per size, alternating ours and QGIS:

- render (bench_render.py / ../shared/bench/qgis_render.py): open, first full-extent render
  at 1280x800 and the median of the same 10 pan/zoom renders, on our map canvas alone;
  its process's peak RSS is the *render peak* (ours holds every feature; QGIS streams them);
- identify (bench_identify.py / peers/qgis_identify.py): the main window, the file opened
  with File > Open's code path, 25 clicks at the 1/16 extent; QGIS's lookup alone;
- memory (bench_memory.py): the main window's peak with the map, identify and the attribute
  table (the indicator dashboard stopped), against the GeoDataFrame's own size in a process
  that only reads it (the goal: under 2x at 1,000,000).

Per feature: the time from opening to the first picture divided by the size, and the growth
of the render peak from the previous size divided by the features added (constant when memory
grows linearly). Each child runs under a memory watchdog that kills it when the machine's
available memory falls below ``--min-available-gib`` (default 3); before a size starts, the
largest peak of the previous size scaled by the size ratio is compared with what is
available, and the size is skipped with that arithmetic printed when it cannot fit.
Every line ends with the load average before and after it (the machine may be shared).
"""

from __future__ import annotations

import argparse
import sys
import tempfile

from common import (
    BENCH_DIR,
    SYSTEM_PYTHON,
    ChildKilled,
    ChildRun,
    available_gib,
    machine,
    parcels,
    peer,
    run_watched,
)

GOAL_MEMORY_RATIO = 2.0  # at 1,000,000 parcels, peak against the GeoDataFrame
DEFAULT_SIZES = [100_000, 1_000_000, 2_000_000, 5_000_000]


def ours(script: str, *args: str, limit: float) -> ChildRun:
    return run_watched([sys.executable, str(BENCH_DIR / script), *args], min_available_gib=limit)


def qgis(script, *args: str, limit: float) -> ChildRun:
    return run_watched([SYSTEM_PYTHON, str(script), *args], min_available_gib=limit)


def measure_size(n: int, limit: float, parts: set[str], png: str | None = None) -> dict:
    """Every figure of one size; a part whose child failed or was killed is noted, not raised."""
    path = str(parcels(n))
    row: dict = {"n": n, "runs": [], "notes": []}

    def attempt(name: str, run) -> ChildRun | None:
        try:
            result = run()
        except ChildKilled as exc:
            row["notes"].append(str(exc))
            row["runs"].append(exc.run)
            return None
        except RuntimeError as exc:
            row["notes"].append(f"{name} failed: {str(exc).splitlines()[0]}")
            return None
        row["runs"].append(result)
        return result

    if "render" in parts:
        ours_png = ["--png", f"{png}/ours_{n}.png"] if png else []
        row["ours_render"] = attempt("ours render", lambda: ours("bench_render.py", str(n), "--measure", *ours_png,
                                                                 limit=limit))
        row["qgis_render"] = attempt("QGIS render", lambda: qgis(peer("qgis_render.py"), path,
                                                                 *([f"{png}/qgis_{n}.png"] if png else []),
                                                                 limit=limit))
    if "identify" in parts:
        with tempfile.NamedTemporaryFile(suffix=".json") as points:
            row["ours_identify"] = attempt("ours identify", lambda: ours("bench_identify.py", str(n), "--measure",
                                                                         points.name, limit=limit))
            if row["ours_identify"] is not None:
                row["qgis_identify"] = attempt("QGIS identify", lambda: qgis(BENCH_DIR / "peers" / "qgis_identify.py",
                                                                             path, points.name, limit=limit))
    if "memory" in parts:
        row["frame"] = attempt("GeoDataFrame", lambda: ours("bench_memory.py", str(n), "--measure", "footprint",
                                                            limit=limit))
        row["ours_memory"] = attempt("ours memory", lambda: ours("bench_memory.py", str(n), "--measure", "alone",
                                                                 limit=limit))
    return row


def figure(row: dict, key: str, name: str) -> float | None:
    run = row.get(key)
    return None if run is None else run.figures.get(name)


def peak(row: dict, key: str) -> float | None:
    run = row.get(key)
    return None if run is None else run.peak_rss_mb


def cpu(row: dict, key: str) -> float | None:
    run = row.get(key)
    return None if run is None else run.cpu_s


def fmt(value: float | None, pattern: str = "{:.2f}") -> str:
    return "–" if value is None else pattern.format(value)


def pair(a: float | None, b: float | None, pattern: str) -> str:
    """``ours / QGIS (ratio)``."""
    text = f"{fmt(a, pattern)} / {fmt(b, pattern)}"
    return text + (f" ({a / b:.2f})" if a is not None and b is not None and b >= 0.005 else "")  # not of ~0


def first_picture(row: dict, side: str) -> float | None:
    open_s, first = figure(row, f"{side}_render", "open_s"), figure(row, f"{side}_render", "first_render_s")
    return None if open_s is None or first is None else open_s + first


def load(row: dict) -> str:
    runs = row["runs"]
    return f"{min(r.load_before for r in runs):.1f}-{max(r.load_after for r in runs):.1f}" if runs else "–"


def per_feature(row: dict, previous: dict | None, side: str) -> tuple[float | None, float | None]:
    """(µs per feature to the first picture, KB of render peak per feature added since the previous size)."""
    seconds = first_picture(row, side)
    micro = None if seconds is None else 1e6 * seconds / row["n"]
    grown = None
    now = peak(row, f"{side}_render")
    before = peak(previous, f"{side}_render") if previous else None
    if now is not None and before is not None:
        grown = (now - before) * 1024 / (row["n"] - previous["n"])
    elif now is not None and previous is None:
        grown = now * 1024 / row["n"]  # the smallest size: the whole peak, start-up included
    return micro, grown


def line(row: dict, previous: dict | None) -> str:
    n = row["n"]
    ours_us, ours_kb = per_feature(row, previous, "ours")
    qgis_us, qgis_kb = per_feature(row, previous, "qgis")
    frame_mb = figure(row, "frame", "frame_mb")
    window_mb = figure(row, "ours_memory", "peak_mb")
    memory_ratio = window_mb / frame_mb if window_mb and frame_mb else None
    since = "of the peak" if previous is None else f"added since {previous['n']:,}"
    text = (f"scaling {n:,} parcels, ours / QGIS (ratio): open {pair(figure(row, 'ours_render', 'open_s'), figure(row, 'qgis_render', 'open_s'), '{:.2f} s')}"
            f" | first render {pair(figure(row, 'ours_render', 'first_render_s'), figure(row, 'qgis_render', 'first_render_s'), '{:.2f} s')}"
            f" | open to first picture {pair(first_picture(row, 'ours'), first_picture(row, 'qgis'), '{:.2f} s')}"
            f" | pan/zoom median {pair(figure(row, 'ours_render', 'panzoom_median_ms'), figure(row, 'qgis_render', 'panzoom_median_ms'), '{:.0f} ms')}"
            f" | identify median {pair(figure(row, 'ours_identify', 'identify_median_ms'), figure(row, 'qgis_identify', 'identify_median_ms'), '{:.1f} ms')}"
            f" | render peak RSS {pair(peak(row, 'ours_render'), peak(row, 'qgis_render'), '{:.0f} MB')}"
            f" | window peak with identify and table {fmt(window_mb, '{:.0f} MB')}, GeoDataFrame {fmt(frame_mb, '{:.0f} MB')}"
            f", ratio {fmt(memory_ratio)}"
            + (f" (goal < {GOAL_MEMORY_RATIO}: {'met' if memory_ratio < GOAL_MEMORY_RATIO else 'NOT met'})"
               if n == 1_000_000 and memory_ratio else "")
            + f" | CPU of the render processes {pair(cpu(row, 'ours_render'), cpu(row, 'qgis_render'), '{:.0f} s')}"
            + f" | µs per feature to first picture {pair(ours_us, qgis_us, '{:.1f}')}"
            f" | KB per feature {since} {pair(ours_kb, qgis_kb, '{:.2f}')}"
            f" | {machine()}, load {load(row)}")
    for note in row["notes"]:
        text += f" | {note}"
    return text


def table(rows: list[dict]) -> str:
    """The rows as the README's Markdown table."""
    out = ["| Parcels | Open, ours / QGIS | First render | Open to first picture | Pan/zoom median | "
           "Identify median | Render peak RSS | Window peak / GeoDataFrame | µs per feature to first picture | "
           "KB per feature added | Load |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    previous = None
    for row in rows:
        ours_us, ours_kb = per_feature(row, previous, "ours")
        qgis_us, qgis_kb = per_feature(row, previous, "qgis")
        frame_mb, window_mb = figure(row, "frame", "frame_mb"), figure(row, "ours_memory", "peak_mb")
        window = (f"{window_mb:.0f} / {frame_mb:.0f} MB ({window_mb / frame_mb:.2f}x)" if window_mb and frame_mb
                  else "–")
        out.append(" | ".join([
            f"| {row['n']:,}",
            pair(figure(row, "ours_render", "open_s"), figure(row, "qgis_render", "open_s"), "{:.2f} s"),
            pair(figure(row, "ours_render", "first_render_s"), figure(row, "qgis_render", "first_render_s"), "{:.2f} s"),
            pair(first_picture(row, "ours"), first_picture(row, "qgis"), "{:.2f} s"),
            pair(figure(row, "ours_render", "panzoom_median_ms"), figure(row, "qgis_render", "panzoom_median_ms"),
                 "{:.0f} ms"),
            pair(figure(row, "ours_identify", "identify_median_ms"), figure(row, "qgis_identify", "identify_median_ms"),
                 "{:.1f} ms"),
            pair(peak(row, "ours_render"), peak(row, "qgis_render"), "{:.0f} MB"),
            window,
            pair(ours_us, qgis_us, "{:.1f}"),
            pair(ours_kb, qgis_kb, "{:.2f}"),
            load(row) + " |"]))
        previous = row
    return "\n".join(out)


def fits(n: int, previous: dict | None, limit: float) -> str:
    """Why size ``n`` cannot run now (empty when it can): the largest peak of the previous
    size, scaled by the size ratio, against the memory available above the watchdog's limit."""
    if previous is None:
        return ""
    peaks = [run.peak_rss_mb for run in previous["runs"]]
    if not peaks:
        return ""
    expected_gib = max(peaks) * n / previous["n"] / 1024
    room_gib = available_gib() - limit
    if expected_gib <= room_gib:
        return ""
    return (f"{n:,} parcels not run: the largest peak at {previous['n']:,} was {max(peaks) / 1024:.1f} GiB, "
            f"times {n / previous['n']:.1f} is {expected_gib:.1f} GiB, but only {room_gib:.1f} GiB is available above "
            f"the {limit:.0f} GiB the watchdog keeps free ({available_gib():.1f} GiB available now)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=DEFAULT_SIZES, help="numbers of parcels")
    parser.add_argument("--min-available-gib", type=float, default=3.0,
                        help="kill a child when the machine's available memory falls below this (default 3)")
    parser.add_argument("--parts", default="render,identify,memory",
                        help="comma-separated: render, identify, memory (default all)")
    parser.add_argument("--png", metavar="DIR", help="save both first renders of each size as PNG here")
    parser.add_argument("--force", action="store_true", help="run a size even if the estimate says it will not fit")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    rows: list[dict] = []
    for n in sorted(args.sizes):
        previous = rows[-1] if rows else None
        reason = "" if args.force else fits(n, previous, args.min_available_gib)
        if reason:
            print(reason, flush=True)
            continue
        row = measure_size(n, args.min_available_gib, parts, args.png)
        print(line(row, previous), flush=True)
        rows.append(row)
    print(table(rows))


if __name__ == "__main__":
    main()
