#!/usr/bin/env bash
# Installs what the benchmarks need on Debian 12 (they are not part of the test suite):
# - the project's test environment (.venv with geopandas, folium, playwright; Debian's
#   chromium for the web-export page timings) via scripts/bootstrap.sh --test;
# - the peer QGIS 3.22 for Debian's own Python: python3-qgis and qgis-providers (OGR,
#   GeoPackage), used by ../shared/bench/qgis_render.py and benchmarks/peers/*.py.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --test

apt_packages=(python3-qgis qgis-providers)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "benchmarks: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
/usr/bin/python3 -c "import qgis.core" || { echo "benchmarks: QGIS's Python bindings do not import" >&2; exit 1; }
peers=${GISAPP_PEER_DIR:-../shared/bench}
[ -f "$peers/qgis_render.py" ] || echo "benchmarks: the shared peer scripts are expected in $peers (GISAPP_PEER_DIR)" >&2
echo "benchmarks: ready (data goes to \${GISAPP_BENCH_CACHE:-\${XDG_CACHE_HOME:-~/.cache}/gisapp-bench})"
