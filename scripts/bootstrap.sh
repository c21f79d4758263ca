#!/usr/bin/env bash
# Installs what is missing for running (default) or testing (--test) gisapp on Debian:
# system packages through apt, then a virtual environment in .venv with the project in it.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
# CJK font so Chinese labels render; Qt's xcb/EGL runtime libraries for a real window.
apt_packages=(fonts-wqy-microhei fontconfig libegl1 libgl1 libglib2.0-0 libfontconfig1
  libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1)
if [ "$mode" = "--test" ]; then
  # A real browser for the exported web maps; QGIS (Debian's PyQGIS) for the interoperability tests.
  # poppler-utils: pdffonts, pdftotext and pdftoppm check the printed PDFs.
  # PostgreSQL and PostGIS: the team-editing tests start a throw-away server on loopback.
  apt_packages+=(chromium python3-qgis qgis-providers poppler-utils postgresql-15 postgresql-15-postgis-3)
fi
# npm fetches the pinned Leaflet plugins that self-contained web maps inline.
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing system packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python_bin=${PYTHON:-}
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python_bin=$(command -v "$candidate"); break; fi
  done
fi
[ -n "$python_bin" ] || { echo "bootstrap: Python 3.11 is required" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv with $python_bin"
  "$python_bin" -m venv .venv
fi

# Reinstall only when the dependency list changes; a test install also covers running.
stamp=.venv/.gisapp-installed
hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
kind=run
[ "$mode" = "--test" ] && kind=test
if ! { [ -f "$stamp" ] && { grep -qx "$hash test" "$stamp" || grep -qx "$hash $kind" "$stamp"; }; }; then
  echo "bootstrap: installing Python packages into .venv (log: .venv/pip.log)"
  target="."
  [ "$kind" = test ] && target=".[test]"
  if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e "$target"; } > .venv/pip.log 2>&1; then
    tail -30 .venv/pip.log >&2
    echo "bootstrap: pip install failed; the full log is .venv/pip.log" >&2
    exit 1
  fi
  echo "$hash $kind" > "$stamp"
fi

# Leaflet plugins for offline web maps (pinned versions and digests; a no-op when present).
if ! .venv/bin/python -m gisapp.export.web.assets fetch >/dev/null; then
  echo "bootstrap: the Leaflet plugins for self-contained web maps could not be fetched" >&2
  if [ "$mode" = "--test" ]; then exit 1; fi
fi
