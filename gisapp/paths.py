"""Where the bundled catalogue and resources live (source tree or installed data), and the
user's state folder (recovery files, the crash log)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

STATE_ENV = "GISAPP_STATE_DIR"

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


def state_dir() -> Path:
    """``$GISAPP_STATE_DIR``, else ``$XDG_STATE_HOME/gisapp`` (``~/.local/state/gisapp``)."""
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "gisapp"
