"""Edit buffers: which layers are being edited and what is not saved yet (no Qt).

A layer in editing mode has an :class:`EditBuffer`. The layer's frame always shows
the current edited state (the map, panels and table draw it); the buffer keeps the
*committed* frame, the state at the last save or when editing started, so
"Discard edits" can restore it (frames are never changed in place, so keeping the
frame object costs nothing). Whether a buffer is dirty is decided by the edits
currently applied compared with those applied at the last commit, so undoing back
to the saved state makes the layer clean again.

Applying or undoing an edit on a layer that is not being edited starts editing it
(an undo after "Stop editing" reopens the buffer instead of changing data behind
the user's back).

Each buffer of a layer read from a project file also keeps a
:class:`~gisapp.core.editing.changes.RowChanges`: which rows differ from the file, so a
save can write only those (:func:`row_changes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from gisapp.core.editing.changes import RowChanges
from gisapp.core.editing.edits import Edit
from gisapp.core.events import Signal
from gisapp.core.model.project import Project


class EditSessionError(RuntimeError):
    pass


@dataclass
class EditBuffer:
    layer_id: str
    committed: gpd.GeoDataFrame
    history: list[int] = field(default_factory=list)  # tokens of applied edits, in order
    clean: list[int] = field(default_factory=list)  # history at the last commit
    rows: RowChanges | None = None  # None: the layer's rows in the file are not known

    @property
    def dirty(self) -> bool:
        return self.history != self.clean


class EditSession:
    """Per-layer edit buffers of one project, and the single place edits are applied."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.buffers: dict[str, EditBuffer] = {}
        self.changed = Signal()  # (layer_id): editing started/stopped or dirty state may differ
        self._frame_before: dict[str, object] = {}
        self.applied = Signal()  # (edit, undone: bool)

    # --- state -----------------------------------------------------------------------------
    def is_editing(self, layer_id: str) -> bool:
        return layer_id in self.buffers

    def editing_layers(self) -> list[str]:
        return list(self.buffers)

    def is_dirty(self, layer_id: str | None = None) -> bool:
        if layer_id is None:
            return any(buffer.dirty for buffer in self.buffers.values())
        buffer = self.buffers.get(layer_id)
        return buffer is not None and buffer.dirty

    def dirty_layers(self) -> list[str]:
        return [layer_id for layer_id, buffer in self.buffers.items() if buffer.dirty]

    # --- editing mode --------------------------------------------------------------------------
    def start(self, layer_id: str) -> None:
        if layer_id in self.buffers:
            return
        layer = self.project.layer(layer_id)
        self.buffers[layer_id] = EditBuffer(layer_id, layer.frame, rows=self._row_changes_of(layer_id))
        self.changed.emit(layer_id)

    def _row_changes_of(self, layer_id: str, after: RowChanges | None = None) -> RowChanges | None:
        """A fresh change log for a layer whose frame is the one its file holds."""
        layer = self.project.layer(layer_id)
        stored = layer.stored
        if stored is None or stored.frame is not layer.frame or len(stored.fids) != len(layer.frame):
            return None
        rows = RowChanges(stored.fids, max(stored.next_fid, after.next_fid if after else 0))
        rows.frame = layer.frame
        return rows

    def _follow(self, edit: Edit, undone: bool) -> None:
        for layer_id in edit.layer_ids():
            rows = self.buffers[layer_id].rows
            if rows is None:
                continue
            layer = self.project.layer(layer_id)
            if rows.frame is not self._frame_before.get(layer_id):
                self.buffers[layer_id].rows = None  # the frame changed outside the session
                continue
            (rows.undone if undone else rows.applied)(layer_id, edit)
            rows.frame = layer.frame

    def row_changes(self) -> dict[str, RowChanges]:
        """Per edited layer whose rows in the file are known, what changed since the last save
        (the layer's frame is ``rows.frame``; a save checks that again)."""
        return {layer_id: buffer.rows for layer_id, buffer in self.buffers.items()
                if buffer.rows is not None and buffer.rows.frame is self.project.layer(layer_id).frame}

    def stop(self, layer_id: str) -> None:
        """Leave editing mode; refuses while there are unsaved edits (save or discard first)."""
        buffer = self.buffers.get(layer_id)
        if buffer is None:
            return
        if buffer.dirty:
            raise EditSessionError(f"layer {layer_id!r} has unsaved edits: save or discard them first")
        del self.buffers[layer_id]
        self.changed.emit(layer_id)

    def forget(self, layer_id: str) -> None:
        """Drop a layer's buffer without touching data (the layer left the project)."""
        if self.buffers.pop(layer_id, None) is not None:
            self.changed.emit(layer_id)

    def reset(self, project: Project | None = None) -> None:
        """Forget every buffer (a different project was opened)."""
        layer_ids = list(self.buffers)
        self.buffers.clear()
        if project is not None:
            self.project = project
        for layer_id in layer_ids:
            self.changed.emit(layer_id)

    # --- applying edits --------------------------------------------------------------------------
    def apply(self, edit: Edit) -> None:
        """Do ``edit`` (also used for redo)."""
        for layer_id in edit.layer_ids():
            self.start(layer_id)
        self._frame_before = {layer_id: self.project.layer(layer_id).frame for layer_id in edit.layer_ids()}
        edit.do(self.project)
        self._follow(edit, undone=False)
        for layer_id in edit.layer_ids():
            history = self.buffers[layer_id].history
            if history and history[-1] == -edit.token:
                history.pop()  # redo of an edit undone past a commit
            else:
                history.append(edit.token)
        self._frame_before = {}  # the old frames go as soon as nothing else holds them
        self.applied.emit(edit, False)
        for layer_id in edit.layer_ids():
            self.changed.emit(layer_id)

    def undo(self, edit: Edit) -> None:
        for layer_id in edit.layer_ids():
            self.start(layer_id)
        self._frame_before = {layer_id: self.project.layer(layer_id).frame for layer_id in edit.layer_ids()}
        edit.undo(self.project)
        self._follow(edit, undone=True)
        for layer_id in edit.layer_ids():
            history = self.buffers[layer_id].history
            if edit.token in history:
                del history[len(history) - 1 - history[::-1].index(edit.token)]
            else:
                # Undoing an edit made before the last commit: the state moves away from it.
                history.append(-edit.token)
        self._frame_before = {}
        self.applied.emit(edit, True)
        for layer_id in edit.layer_ids():
            self.changed.emit(layer_id)

    # --- save / discard ----------------------------------------------------------------------------
    def commit(self, layer_ids: list[str] | None = None) -> None:
        """The current state of these layers (default: all edited layers) is now the saved one."""
        for layer_id in list(self.buffers) if layer_ids is None else layer_ids:
            buffer = self.buffers.get(layer_id)
            if buffer is None:
                continue
            layer = self.project.layer(layer_id)
            buffer.committed = layer.frame
            buffer.clean = list(buffer.history)
            rows, stored = buffer.rows, layer.stored
            if rows is not None and stored is not None and stored.frame is layer.frame is rows.frame \
                    and stored.fids is rows.fids:
                rows.saved()  # the save wrote these rows with these ids
            else:
                buffer.rows = self._row_changes_of(layer_id, buffer.rows)
            self.changed.emit(layer_id)

    def discard(self, layer_id: str) -> None:
        """Put back the committed frame; the layer stays in editing mode, clean."""
        buffer = self.buffers.get(layer_id)
        if buffer is None:
            return
        layer = self.project.layer(layer_id)
        layer.clear_selection()
        stored = layer.stored
        layer.set_frame(buffer.committed)
        if stored is not None and stored.frame is buffer.committed:
            stored.frame = layer.frame  # the same rows as the file, in a new frame object
        buffer.committed = layer.frame
        buffer.rows = self._row_changes_of(layer_id, buffer.rows)
        buffer.history = []
        buffer.clean = []
        self.changed.emit(layer_id)
