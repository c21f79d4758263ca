"""Locate: searching a large parcel layer by name, ours (one lowered string, ``str.find``)
against pandas ``str.contains`` over the same text columns (the obvious way), in one process.

    .venv/bin/python benchmarks/bench_locate.py [--rows 1000000] [--runs 5]

The layer is the synthetic parcel GeoPackage of the other benchmarks (benchmarks/common.py).
Timed: building our index once (done off the UI thread in the window), then for each query
the median of ``--runs`` searches, ours capped at 50 hits as the window asks, pandas over
every row (it cannot stop early): a rare text, a common one and one that matches nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd
from common import load_average, machine, parcels, ratio

from gisapp.core.model.locate import LayerText, text_columns
from gisapp.io.vector import read_layer


def _median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    frame, _report = read_layer(parcels(args.rows))
    columns = text_columns(frame)
    start = time.perf_counter()
    text = LayerText.build(frame)
    build_s = time.perf_counter() - start
    lowered = {column: frame[column].astype("string").fillna("").str.lower() for column in columns}
    sample = str(frame[columns[0]].iloc[len(frame) // 2]).lower()
    figures = [f"rows={len(frame)}", f"index_build_s={build_s:.2f}"]
    for name, query in (("rare", sample), ("common", sample[:2]), ("none", "zzqx")):
        ours = _median_ms(lambda query=query: text.find(query, 50), args.runs)

        def theirs(query=query) -> pd.Series:
            hit = pd.Series(False, index=frame.index)
            for values in lowered.values():
                hit |= values.str.contains(query, regex=False)
            return hit
        peer = _median_ms(theirs, args.runs)
        figures.append(f"{name}_ours_ms={ours:.1f} {name}_pandas_ms={peer:.1f} {name}_ratio={ratio(ours, peer)}")
    print(" ".join(figures), f"load={load_average()}", f"machine={machine()}")


if __name__ == "__main__":
    main()
