"""Autosave of unsaved edits to a recovery file, and recovery after a crash (no Qt).

While a layer has unsaved edits, the window writes the current tables of those
layers to ``<recovery dir>/recovery-<key>.gpkg`` (atomically, like a project save)
every minute. The file names the project it belongs to and the process that wrote
it. A clean exit, a save or a discard deletes it. If the process dies instead, the
next start finds a file whose writer is gone and offers to recover it: the project
is opened and each recovered table is applied as one undoable edit, so the user can
inspect, save or discard it.

The folder is ``$GISAPP_RECOVERY_DIR`` if set, else ``recovery`` in the state folder
(:func:`gisapp.paths.state_dir`: ``$XDG_STATE_HOME/gisapp``, ``~/.local/state/gisapp``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from gisapp.core.model.project import Project
from gisapp.core.texts import pick
from gisapp.io.atomic import _pid_alive, atomic_path
from gisapp.paths import state_dir

RECOVERY_ENV = "GISAPP_RECOVERY_DIR"
META_TABLE = "gisapp_recovery"
FORMAT_VERSION = 1


def recovery_dir() -> Path:
    override = os.environ.get(RECOVERY_ENV)
    return Path(override) if override else state_dir() / "recovery"


def project_key(project: Project) -> str:
    """Identifies a project across runs: its file path, or the bundled catalogue."""
    path = project.metadata.get("path")
    return str(Path(path).resolve()) if path else f"bundled:{project.title_en}"


def recovery_path(project: Project) -> Path:
    digest = hashlib.sha1(project_key(project).encode("utf-8")).hexdigest()[:12]
    return recovery_dir() / f"recovery-{digest}.gpkg"


@dataclass
class RecoveryInfo:
    path: Path
    project_path: str | None  # None: the bundled catalogue
    project_title_zh: str
    project_title_en: str
    written_at: float
    pid: int
    layers: list[dict[str, Any]] = field(default_factory=list)  # {"id", "table", "title_zh", "title_en", "features"}

    def title(self, lang: str) -> str:
        return pick(lang, self.project_title_zh, self.project_title_en)


@dataclass(frozen=True)
class RecoverySnapshot:
    """What a recovery file holds, taken on the UI thread in microseconds: the layers' frames
    (an edit never changes a frame in place, it swaps in a new one, so holding them is a
    snapshot) and the project's names. :func:`write_snapshot` writes it on any thread."""

    path: Path
    project_path: str | None
    project_title_zh: str
    project_title_en: str
    layers: tuple[tuple[str, str, str, gpd.GeoDataFrame], ...]  # (id, title_zh, title_en, frame)


def take_snapshot(project: Project, layer_ids: list[str], path: Path | None = None) -> RecoverySnapshot:
    layers = tuple((layer.id, layer.title_zh, layer.title_en, layer.frame)
                   for layer in (project.layer(layer_id) for layer_id in layer_ids))
    return RecoverySnapshot(Path(path) if path else recovery_path(project), project.metadata.get("path"),
                            project.title_zh, project.title_en, layers)


def write_snapshot(snapshot: RecoverySnapshot) -> Path:
    """Write the snapshot's tables to its recovery file (atomic)."""
    entries = []
    with atomic_path(snapshot.path) as temp:
        for number, (layer_id, title_zh, title_en, frame) in enumerate(snapshot.layers):
            table = f"layer_{number}"
            pyogrio.write_dataframe(frame, temp, layer=table, driver="GPKG",
                                    geometry_type="Unknown", promote_to_multi=False)
            entries.append({"id": layer_id, "table": table, "title_zh": title_zh,
                            "title_en": title_en, "features": len(frame)})
        meta = {
            "format_version": FORMAT_VERSION,
            "project_path": snapshot.project_path,
            "project_title_zh": snapshot.project_title_zh,
            "project_title_en": snapshot.project_title_en,
            "written_at": time.time(),
            "pid": os.getpid(),
            "layers": entries,
        }
        rows = pd.DataFrame({"key": list(meta), "value": [json.dumps(v, ensure_ascii=False) for v in meta.values()]})
        pyogrio.write_dataframe(rows, temp, layer=META_TABLE, driver="GPKG")
    return snapshot.path


def write_recovery(project: Project, layer_ids: list[str], path: Path | None = None) -> Path:
    """Write the current tables of ``layer_ids`` to the project's recovery file (atomic)."""
    return write_snapshot(take_snapshot(project, layer_ids, path))


def read_info(path: Path) -> RecoveryInfo | None:
    try:
        rows = pyogrio.read_dataframe(path, layer=META_TABLE)
        meta = {k: json.loads(v) for k, v in zip(rows["key"], rows["value"], strict=True)}
        return RecoveryInfo(Path(path), meta.get("project_path"), meta.get("project_title_zh", ""),
                            meta.get("project_title_en", ""), float(meta.get("written_at", 0)),
                            int(meta.get("pid", -1)), list(meta.get("layers", [])))
    except Exception:
        return None


def find_recoveries(include_live: bool = False) -> list[RecoveryInfo]:
    """Recovery files left by processes that are gone (newest first)."""
    folder = recovery_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("recovery-*.gpkg"):
        info = read_info(path)
        if info is None:
            continue
        if not include_live and info.pid != os.getpid() and _pid_alive(info.pid):
            continue  # another window is still running and owns it
        if info.pid == os.getpid() and not include_live:
            continue
        found.append(info)
    return sorted(found, key=lambda i: -i.written_at)


def read_layers(info: RecoveryInfo) -> dict[str, gpd.GeoDataFrame]:
    """The recovered tables by layer id."""
    return {entry["id"]: pyogrio.read_dataframe(info.path, layer=entry["table"]) for entry in info.layers}


def delete_recovery(path: Path) -> None:
    for sidecar in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{sidecar}").unlink()
