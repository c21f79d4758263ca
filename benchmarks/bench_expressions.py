"""Expressions over N parcels: gisapp's vectorised evaluation beside QGIS's QgsExpression.

    .venv/bin/python benchmarks/bench_expressions.py 100000

Three expressions a planner types into select by expression and the field calculator: a
filter on an attribute and the geodesic area, a text built per feature, and an aggregate by
group. Ours: ``Expression(text).evaluate(layer_context(layer))`` on the parcels read by gisapp
(what the builder's worker thread runs); QGIS 3.22 (benchmarks/peers/qgis_expression.py):
the same text prepared and evaluated feature by feature over features already in memory.
Both count the features whose value is true, and the counts must agree.

Goal: each expression evaluated for 100,000 parcels in under 2 s, and faster than QGIS.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from common import load_average, machine, parcels, ratio, run_qgis

EXPRESSIONS = (
    "\"land_use\" = 'G1 park' AND $area > 2000",
    "length(upper(\"land_use\") || ' ' || to_string(\"parcel_id\")) > 12",
    "\"far\" > mean(\"far\", group_by:=\"land_use\")",
)
GOAL_S = 2.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    args = parser.parse_args()
    from gisapp.core.analysis.expressions import Expression, layer_context
    from gisapp.core.analysis.expressions.values import to_bool
    from gisapp.io.vector import open_vector_file

    path = parcels(args.n)
    layer = open_vector_file(path)[0]
    qgis = run_qgis(Path(__file__).resolve().parent / "peers" / "qgis_expression.py", str(path), *EXPRESSIONS)
    for number, text in enumerate(EXPRESSIONS):
        start = time.perf_counter()
        value = Expression(text).evaluate(layer_context(layer))
        truth = to_bool(value, 0)
        count = int((truth.data & ~truth.null).sum())
        ours_s = time.perf_counter() - start
        theirs_s = qgis[f"e{number}_s"]
        assert count == int(qgis[f"e{number}_true"]), (text, count, qgis[f"e{number}_true"])
        print(f"expression n={args.n} [{text}]: ours {ours_s:.3f} s, QGIS {theirs_s:.3f} s "
              f"(ratio {ratio(ours_s, theirs_s)}), {count} true; goal < {GOAL_S} s and faster than QGIS "
              f"| {machine()}, {load_average()}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
