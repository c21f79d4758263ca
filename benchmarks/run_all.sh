#!/usr/bin/env bash
# Every benchmark at the sizes the performance goals name, one line of figures each
# (ours, the peer's from the same run, the ratio). Long: the million-parcel runs take
# minutes each, and QGIS's too. Usage: benchmarks/run_all.sh [LOG]
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
log=${1:-/dev/null}
run() { echo "+ $*" >&2; "$py" "$@" | tee -a "$log"; }
for n in 10000 100000 1000000; do run benchmarks/bench_render.py "$n"; done
for n in 100000 1000000; do run benchmarks/bench_responsiveness.py "$n"; done
run benchmarks/bench_identify.py 1000000
run benchmarks/bench_table.py 1000000
run benchmarks/bench_memory.py 1000000
run benchmarks/bench_edit.py 1000000
for n in 10000 100000; do run benchmarks/bench_webexport.py "$n"; done
run benchmarks/bench_print.py 100000
run benchmarks/bench_save.py 1000000
run benchmarks/bench_expressions.py 100000
