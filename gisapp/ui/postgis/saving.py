"""Saving the edits of PostGIS layers to their servers, on the PostGIS worker thread.

Only the rows the edit session knows as changed, added or deleted travel: the UI thread cuts
them out of the layer's frame (:func:`pending_part`, a few rows of a million-row layer) and
hands the worker that small frame with its CRS as text, so no pyproj object made on the UI
thread is used on the worker (see gisapp/ui/workers.py). The worker connects, calls
:func:`gisapp.io.postgis.team.save_changes` (one transaction, versions compared first) and
gives back the keys and versions that describe the whole layer after the save
(:func:`stored_after`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np

from gisapp.core.editing.changes import PendingRows, RowChanges
from gisapp.core.model.layer import StoredRows, VectorLayer
from gisapp.io.postgis.connection import ConnectionSpec, PostgisError, connect
from gisapp.io.postgis.source import TableRef


@dataclass
class LayerSave:
    """One layer's edits on their way to the server (made on the UI thread, sent by the worker)."""

    layer_id: str
    ref: TableRef
    spec: ConnectionSpec
    part: gpd.GeoDataFrame  # the pending rows only, without a CRS object
    crs: str
    part_pending: PendingRows  # positions into ``part``
    pending: PendingRows  # positions into the layer's frame
    fids: np.ndarray  # the session's id of every row of the layer's frame
    frame: gpd.GeoDataFrame  # the layer's frame this save describes
    base: Any  # team.RowVersions: the versions the local copy is based on
    comment: str = ""
    citation: str = ""
    connection: Any = field(default=None, repr=False)  # while the worker holds one: Cancel cancels its query
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def cancel(self) -> None:
        """Ask the server to stop the running statement (the transaction then rolls back)."""
        with self.lock:
            con = self.connection
        if con is not None:
            try:
                con.cancel_safe(timeout=5) if hasattr(con, "cancel_safe") else con.cancel()
            except Exception:  # noqa: BLE001 - the connection may be gone already; the save fails anyway
                pass


def pending_part(layer: VectorLayer, rows: RowChanges, spec: ConnectionSpec, ref: TableRef, base: Any,
                 comment: str = "", citation: str = "") -> LayerSave | None:
    """What a save of ``layer`` sends (None when the whole table was replaced: that cannot be
    sent as changed rows)."""
    pending = rows.pending()
    if pending is None:
        return None
    frame = layer.frame
    part = frame.iloc[pending.positions].reset_index(drop=True)
    part = gpd.GeoDataFrame(part.drop(columns=part.geometry.name), geometry=np.asarray(part.geometry.array, dtype=object),
                            crs=None)  # the CRS goes as text: set again on the worker
    part_pending = PendingRows(np.arange(len(pending.positions), dtype=np.int64), pending.fids, pending.added,
                               pending.deleted)
    return LayerSave(layer.id, ref, spec, part, layer.crs, part_pending, pending, rows.fids.copy(), frame, base,
                     comment, citation)


def send(save: LayerSave) -> Any:
    """On the worker: write the edits in one transaction; the SaveResult, or raises
    ConflictError (nothing written), ConnectionLost or PostgisError."""
    import psycopg

    from gisapp.io.postgis import team
    from gisapp.io.postgis.tables import table_info

    part = save.part.set_crs(save.crs, allow_override=True) if save.crs else save.part
    con = connect(save.spec)
    with save.lock:
        save.connection = con
    try:
        try:
            info = table_info(con, save.ref.schema, save.ref.table)
            con.rollback()
        except psycopg.OperationalError as exc:
            raise team.ConnectionLost(f"{save.ref.schema}.{save.ref.table}",
                                      "the connection was lost; nothing was written and your edits are kept: "
                                      f"retry ({str(exc).strip().splitlines()[0]})", None, False) from exc
        return team.save_changes(con, info, part, save.part_pending.fids, save.part_pending, save.base,
                                 comment=save.comment, citation=save.citation)
    finally:
        with save.lock:
            save.connection = None
        try:
            con.close()
        except Exception:  # noqa: BLE001
            pass


def stored_after(save: LayerSave, result: Any) -> StoredRows:
    """The layer's stored rows after ``result`` (keys from the server for added rows, versions
    the next save is based on)."""
    keys = save.fids.copy()
    keys[save.pending.positions] = np.asarray(result.keys, dtype=np.int64)
    next_key = int(keys.max()) + 1 if len(keys) else 1
    return StoredRows(save.frame, keys, next_key, result.base.get(keys))


def not_sendable(save_layer_title: str, ref: TableRef) -> PostgisError:
    return PostgisError(f"{ref.schema}.{ref.table}", f"{save_layer_title} was replaced as a whole; only changed, "
                                                     "added and deleted features can be saved to a shared table")
