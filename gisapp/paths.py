"""Where the bundled catalogue and resources live (source tree or installed data)."""

from __future__ import annotations

import sys
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[1]


def _find(name: str) -> Path:
    for candidate in (_REPO_ROOT / name, Path(sys.prefix) / "share" / "gisapp" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"gisapp data folder {name!r} is missing (looked beside the package)")


def layers_dir() -> Path:
    return _find("layers")


def resources_dir() -> Path:
    return _find("resources")


def bundled_manifest() -> Path:
    return layers_dir() / "manifest.json"
