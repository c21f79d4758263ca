#!/usr/bin/env bash
# Every benchmark at the sizes the performance goals name, one line of figures each
# (ours, the peer's from the same run, the ratio). Long: the million-parcel runs take
# minutes each, and QGIS's too. Usage: benchmarks/run_all.sh [LOG]
# LARGE=1 adds 2,000,000 and 5,000,000 parcels to the render, responsiveness, identify and
# memory benchmarks and runs the scaling report (hours; each child runs under a memory
# watchdog, see benchmarks/common.py run_watched). SCALING_ONLY=1 runs only that report.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
log=${1:-/dev/null}
run() { echo "+ $*" >&2; "$py" "$@" | tee -a "$log"; }
large=()
[ "${LARGE:-}" = 1 ] && large=(2000000 5000000)
if [ "${SCALING_ONLY:-}" = 1 ]; then
  run benchmarks/bench_scaling.py 100000 1000000 2000000 5000000
  exit 0
fi
for n in 10000 100000 1000000 "${large[@]}"; do run benchmarks/bench_render.py "$n"; done
for n in 100000 1000000 "${large[@]}"; do run benchmarks/bench_responsiveness.py "$n"; done
for n in 1000000 "${large[@]}"; do run benchmarks/bench_identify.py "$n"; done
run benchmarks/bench_table.py 1000000
for n in 1000000 "${large[@]}"; do run benchmarks/bench_memory.py "$n"; done
run benchmarks/bench_edit.py 1000000
for n in 10000 100000; do run benchmarks/bench_webexport.py "$n"; done
run benchmarks/bench_print.py 100000
run benchmarks/bench_save.py 1000000
run benchmarks/bench_postgis_edit.py 100000
run benchmarks/bench_expressions.py 100000
[ "${LARGE:-}" = 1 ] && run benchmarks/bench_scaling.py 100000 1000000 2000000 5000000
exit 0
