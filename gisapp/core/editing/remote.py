"""Other editors' committed changes to a shared table, brought into a layer (no Qt).

A layer of a shared (PostGIS) table knows each row's key and the version it read
(:class:`~gisapp.core.model.layer.StoredRows`). When another editor commits, the window learns
the keys and reads those rows again (:class:`RemoteRow`). :func:`apply_remote_rows` then:

- applies a changed row to the layer when it has no local edit, in the frame shown, in the
  edit buffer's committed frame (so *Discard edits* keeps it) and in the stored rows, whose
  version becomes the server's: a later local edit of that row saves without a conflict;
- leaves a row with a local edit as it is and reports it as *marked*: its stored version stays
  the one the edit started from, so the save finds the conflict and asks;
- while the layer is edited, leaves rows that others added or deleted for after the save
  (*deferred*): inserting or removing rows would move the positions the undo history holds.

A remote change never goes on the undo stack (it is not the user's edit). Restoring an old
version or taking theirs in a conflict is the user's edit: :func:`set_row_edit` makes it one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from geopandas.array import GeometryArray

from gisapp.core.editing.changes import RowChanges
from gisapp.core.editing.edits import CompoundEdit, Edit, SetAttribute, SetGeometries, coerce_value
from gisapp.core.editing.session import EditSession
from gisapp.core.geo.flatgeom import RowChange
from gisapp.core.model.layer import VectorLayer


@dataclass(frozen=True)
class RemoteRow:
    """A row of the shared table as the server holds it now."""

    key: int
    version: int
    values: dict[str, Any] | None  # attributes; None: the row was deleted on the server
    geometry: Any = None  # in the layer's CRS


@dataclass
class RemoteOutcome:
    applied: list[int] = field(default_factory=list)  # keys now showing the server's row
    marked: list[int] = field(default_factory=list)  # keys with a local edit: left as they are
    deferred: list[int] = field(default_factory=list)  # added or deleted there while editing here

    @property
    def changed_layer(self) -> bool:
        return bool(self.applied)


def locally_edited(session: EditSession | None, layer_id: str) -> set[int]:
    """Keys of rows that an edit not yet saved changed, added or deleted."""
    if session is None or not session.is_editing(layer_id):
        return set()
    rows = session.buffers[layer_id].rows
    if rows is None:
        return set()
    return rows.changed_ids()


def current_keys(layer: VectorLayer, session: EditSession | None) -> np.ndarray | None:
    """The key of each row of the layer's frame now, or None when not known."""
    rows: RowChanges | None = None
    if session is not None and session.is_editing(layer.id):
        rows = session.buffers[layer.id].rows
        if rows is not None and rows.frame is layer.frame:
            return rows.fids
        return None
    stored = layer.stored
    if stored is not None and stored.frame is layer.frame and len(stored.fids) == len(layer.frame):
        return stored.fids
    return None


def _position(keys: np.ndarray, key: int) -> int | None:
    hits = np.flatnonzero(keys == key)
    return int(hits[0]) if len(hits) else None


def _patched(frame: gpd.GeoDataFrame, position: int, row: RemoteRow) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    """``frame`` with the row at ``position`` set to ``row`` (a new frame; the old one is kept)."""
    out = frame.copy(deep=False)
    geometry_name = frame.geometry.name
    values = np.asarray(out.geometry.array, dtype=object).copy()
    values[position] = row.geometry
    out[geometry_name] = gpd.GeoSeries(GeometryArray(values, crs=frame.crs), index=out.index, copy=False)
    changed: list[str] = []
    for column, value in (row.values or {}).items():
        if column not in out.columns or column == geometry_name:
            continue
        try:
            typed = coerce_value(out, column, value) if isinstance(value, str) and out[column].dtype != object else value
        except ValueError:
            typed = value
        series = out[column].copy()
        try:
            series.iloc[position] = typed
        except (TypeError, ValueError):
            series = series.astype(object)
            series.iloc[position] = typed
        out[column] = series
        changed.append(column)
    return out, tuple(changed)


def apply_remote_rows(layer: VectorLayer, rows: Iterable[RemoteRow], session: EditSession | None = None,
                      protected: set[int] | None = None) -> RemoteOutcome:
    """Bring the server's ``rows`` into ``layer`` (see the module docstring).

    ``protected``: keys the caller also keeps as they are (rows an undone edit would redo).
    """
    outcome = RemoteOutcome()
    stored = layer.stored
    keys = current_keys(layer, session)
    if stored is None or keys is None:
        outcome.deferred.extend(row.key for row in rows)
        return outcome
    editing = session is not None and session.is_editing(layer.id)
    edited = locally_edited(session, layer.id) | set(protected or ())
    buffer = session.buffers[layer.id] if editing and session is not None else None
    for row in rows:
        at = _position(keys, row.key)
        if row.key in edited:
            outcome.marked.append(row.key)
            continue
        if at is not None and stored.versions is not None:
            stored_at = _position(stored.fids, row.key)
            if stored_at is not None and int(stored.versions[stored_at]) >= row.version and row.values is not None:
                continue  # this window saved that version itself, or read it already
        if row.values is None or at is None:
            if editing:
                outcome.deferred.append(row.key)
                continue
            if row.values is None and at is None:
                continue
            _insert_or_remove(layer, row, at)
            keys = stored.fids
            outcome.applied.append(row.key)
            continue
        old_current = layer.frame
        new_current, columns = _patched(old_current, at, row)
        layer.apply_change(new_current, RowChange("geometry", np.array([at])))
        if columns:
            layer.apply_change(layer.frame, RowChange("attributes", np.array([at]), columns))
        new_current = layer.frame
        if buffer is not None:
            new_committed = buffer.committed
            if buffer.committed is old_current:
                new_committed = new_current
            elif stored.frame is buffer.committed:
                stored_at = _position(stored.fids, row.key)
                if stored_at is not None:
                    new_committed, _ = _patched(buffer.committed, stored_at, row)
            if stored.frame is buffer.committed:
                stored.frame = new_committed
            buffer.committed = new_committed
            if buffer.rows is not None and buffer.rows.frame is old_current:
                buffer.rows.frame = new_current
        if stored.frame is old_current:
            stored.frame = new_current
        _set_version(layer, row.key, row.version)
        outcome.applied.append(row.key)
    return outcome


def _insert_or_remove(layer: VectorLayer, row: RemoteRow, at: int | None) -> None:
    """A row added or deleted on the server, in a layer that is not being edited."""
    stored = layer.stored
    if stored is None:
        return
    frame = layer.frame
    versions = stored.versions if stored.versions is not None else np.zeros(len(stored.fids), dtype=np.int64)
    if row.values is None and at is not None:
        new = gpd.GeoDataFrame(frame.drop(index=frame.index[at]), geometry=frame.geometry.name,
                               crs=frame.crs).reset_index(drop=True)
        layer.apply_change(new, RowChange("remove", np.array([at])))
        stored.fids = np.delete(stored.fids, at)
        stored.versions = np.delete(versions, at)
    else:
        from gisapp.core.editing.edits import new_rows

        added = new_rows(layer, [row.geometry], [dict(row.values or {})])
        combined = pd.concat([frame, added.set_axis(frame.columns, axis=1)], ignore_index=True)
        new = gpd.GeoDataFrame(combined, geometry=frame.geometry.name, crs=frame.crs)
        layer.apply_change(new, RowChange("insert", np.array([len(frame)])))
        stored.fids = np.append(stored.fids, np.int64(row.key))
        stored.versions = np.append(versions, np.int64(row.version))
        stored.next_fid = max(stored.next_fid, int(row.key) + 1)
    stored.frame = layer.frame


def _set_version(layer: VectorLayer, key: int, version: int) -> None:
    stored = layer.stored
    if stored is None or stored.versions is None:
        return
    at = _position(stored.fids, key)
    if at is not None:
        versions = stored.versions.copy()
        versions[at] = version
        stored.versions = versions


def accept_server_version(layer: VectorLayer, key: int, version: int) -> None:
    """The user saw the server's row ``key`` at ``version`` and decided: the next save of that
    row starts from it (keep mine writes over it; take theirs writes what it holds)."""
    _set_version(layer, key, version)


def set_row_edit(layer: VectorLayer, row: int, geometry: Any, values: dict[str, Any], kind: str,
                 params: dict[str, Any] | None = None) -> Edit | None:
    """One undoable edit that gives row ``row`` this geometry and these attribute values
    (texts are read as the column's type, as typed values are); None when nothing differs.
    Raises FieldValueError for a value the column cannot take."""
    frame = layer.frame
    parts: list[Edit] = []
    current = layer.geometry_array[row]
    if geometry is not None and (current is None or not current.equals_exact(geometry, 0.0)):
        parts.append(SetGeometries(layer.id, [row], [geometry], old=[current]))
    for column, value in values.items():
        if column not in frame.columns or column == frame.geometry.name:
            continue
        typed = coerce_value(frame, column, value) if isinstance(value, str) else value
        old = frame.iat[row, frame.columns.get_loc(column)]
        if _same(old, typed):
            continue
        parts.append(SetAttribute(layer.id, row, column, typed, old=old))
    if not parts:
        return None
    return CompoundEdit(parts, kind=kind, params=dict(params or {}))


def _same(a: Any, b: Any) -> bool:
    a_missing = a is None or (not isinstance(a, str) and bool(pd.isna(a)) if np.ndim(a) == 0 else False)
    b_missing = b is None or (not isinstance(b, str) and bool(pd.isna(b)) if np.ndim(b) == 0 else False)
    if a_missing or b_missing:
        return a_missing and b_missing
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False
