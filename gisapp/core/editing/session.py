"""Edit buffers: which layers are being edited and what is not saved yet (no Qt).

A layer in editing mode has an :class:`EditBuffer`. The layer's frame always shows
the current edited state (the map, panels and table draw it); the buffer keeps the
*committed* frame, the state at the last save or when editing started, so
"Discard edits" can restore it. Whether a buffer is dirty is decided by the edits
currently applied compared with those applied at the last commit, so undoing back
to the saved state makes the layer clean again.

Applying or undoing an edit on a layer that is not being edited starts editing it
(an undo after "Stop editing" reopens the buffer instead of changing data behind
the user's back).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

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

    @property
    def dirty(self) -> bool:
        return self.history != self.clean


class EditSession:
    """Per-layer edit buffers of one project, and the single place edits are applied."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.buffers: dict[str, EditBuffer] = {}
        self.changed = Signal()  # (layer_id): editing started/stopped or dirty state may differ
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
        self.buffers[layer_id] = EditBuffer(layer_id, layer.frame.copy())
        self.changed.emit(layer_id)

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
        edit.do(self.project)
        for layer_id in edit.layer_ids():
            history = self.buffers[layer_id].history
            if history and history[-1] == -edit.token:
                history.pop()  # redo of an edit undone past a commit
            else:
                history.append(edit.token)
        self.applied.emit(edit, False)
        for layer_id in edit.layer_ids():
            self.changed.emit(layer_id)

    def undo(self, edit: Edit) -> None:
        for layer_id in edit.layer_ids():
            self.start(layer_id)
        edit.undo(self.project)
        for layer_id in edit.layer_ids():
            history = self.buffers[layer_id].history
            if edit.token in history:
                del history[len(history) - 1 - history[::-1].index(edit.token)]
            else:
                # Undoing an edit made before the last commit: the state moves away from it.
                history.append(-edit.token)
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
            buffer.committed = self.project.layer(layer_id).frame.copy()
            buffer.clean = list(buffer.history)
            self.changed.emit(layer_id)

    def discard(self, layer_id: str) -> None:
        """Put back the committed frame; the layer stays in editing mode, clean."""
        buffer = self.buffers.get(layer_id)
        if buffer is None:
            return
        layer = self.project.layer(layer_id)
        layer.clear_selection()
        layer.set_frame(buffer.committed.copy())
        buffer.history = []
        buffer.clean = []
        self.changed.emit(layer_id)
