#!/usr/bin/env bash
# Refresh the Chinese translation source from the UI code, then compile it.
# Translate new entries in resources/translations/gisapp_zh_CN.ts (Qt Linguist or any editor)
# before committing; tests fail while an entry is unfinished.
set -euo pipefail
cd "$(dirname "$0")/.."
ts=resources/translations/gisapp_zh_CN.ts
.venv/bin/pyside6-lupdate $(find gisapp/ui -name "*.py" | sort) -no-obsolete -locations none -source-language en -target-language zh_CN -ts "$ts"
.venv/bin/pyside6-lrelease "$ts" -qm resources/translations/gisapp_zh_CN.qm
# Qt's own strings that Qt's Chinese catalogue misses (kept by hand).
.venv/bin/pyside6-lrelease resources/translations/qt_extra_zh_CN.ts -qm resources/translations/qt_extra_zh_CN.qm
