"""Edit sessions in the window: editing on and off, save, discard, feature operations, attributes.

:class:`SessionOperations` works the edit buffer (:class:`~gisapp.core.editing.session.EditSession`)
for the user: toggling editing, Save edits (saves the project file), Discard edits (asks first,
clears the undo stack), the check before a save, delete / merge / copy / paste of features and
attribute edits from the panel and the table. It also follows the project's changes, so undoing
back to the saved state leaves nothing to save.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog

from gisapp.core.editing import ops as edit_ops
from gisapp.core.editing.edits import CompoundEdit, FieldValueError, SetAttribute, coerce_value
from gisapp.core.editing.tools import Mode, VertexTool
from gisapp.core.editing.validation import invalid_rows, shares_boundaries
from gisapp.core.model.layer import LOADING
from gisapp.core.model.project import Project
from gisapp.io.postgis.references import UNAVAILABLE


class SessionOperations(QObject):
    """The edit-session side of an :class:`~gisapp.ui.editing.controller.EditingController`."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.session = controller.session
        self.texts = controller.texts
        self.clipboard: tuple | None = None  # (frame, crs, family, layer title)
        self.session.changed.connect(self._on_session_changed)

    @property
    def project(self) -> Project:
        return self.controller.project

    def status(self, text: str, ms: int = 6000) -> None:
        self.controller.status(text, ms)

    def reset(self, project: Project) -> None:
        """A project was opened: its saved state is the clean baseline."""
        self._clean_baseline = not project.modified
        self._other_changes = False

    # --- following the session and the project ---------------------------------------------------
    def follow(self, project: Project) -> None:
        """Listen to the opened project's changes; the layer tree shows each layer's edit state."""
        project.layer_changed.connect(self._on_layer_changed)
        project.layers_changed.connect(self._on_layers_changed)
        tree_model = self.window.tree_model
        if tree_model is not None:
            tree_model.edit_state = self.edit_state

    def edit_state(self, layer_id: str) -> tuple[bool, bool]:
        return self.session.is_editing(layer_id), self.session.is_dirty(layer_id)

    def _on_layers_changed(self) -> None:
        self._other_changes = True
        present = {layer.id for layer in self.project.layers}
        gone = [layer_id for layer_id in self.session.editing_layers() if layer_id not in present]
        if gone:
            # Edits of a removed layer cannot be undone or saved any more.
            tools = self.controller.tools
            if tools.tool is not None:
                tools.tool.cancel()
            for layer_id in gone:
                self.session.forget(layer_id)
                self.controller.validity.forget(layer_id)
            self.controller.stack.clear()
            self.controller.actions.update()

    def _on_layer_changed(self, layer, reason: str) -> None:
        if reason != "data" or not self.session.is_editing(layer.id):
            self._other_changes = True
        if reason == "data" and self.window.panel.current is not None \
                and self.window.panel.current[0] == layer.id:
            self.controller.refresh_panel_later()  # after the map shows the change

    def _on_session_changed(self, layer_id: str) -> None:
        if self.window.tree_model is not None:
            refresh = getattr(self.window.tree_model, "refresh_layer", None)
            if refresh is not None:
                refresh(layer_id)
        if not self.session.is_dirty():
            self.controller.recovery.delete_file()
            # Undone or discarded back to the saved state: nothing is left to save.
            if self._clean_baseline and not self._other_changes and self.project.modified:
                self.project.set_modified(False)
        self.window._update_title()
        self.controller.actions.update()
        self.controller.stateChanged.emit()

    # --- editing mode, save, discard ------------------------------------------------------------------------
    def set_editing(self, on: bool, layer_id: str | None = None) -> bool:
        layer_id = layer_id or self.controller.active_layer_id()
        if layer_id is None:
            self.status(self.tr("Choose a layer in the layer tree first."))
            self.controller.actions.update()
            return False
        if on:
            layer = self.project.layer(layer_id)
            if layer.metadata.get(LOADING):  # its frame is replaced as the file is read
                self.status(self.tr("{layer} is still being read; edit it once it is open.").format(
                    layer=layer.title(self.window.lang)))
                self.controller.actions.update()
                return False
            if layer.metadata.get(UNAVAILABLE):  # a PostGIS layer whose server did not answer
                self.status(self.tr("{layer} could not be read from its server; use Layer > Reload from "
                                    "PostGIS, then edit it.").format(layer=layer.title(self.window.lang)))
                self.controller.actions.update()
                return False
            self.session.start(layer_id)
            self.controller.prepare_edit_copy(layer_id)
            title = self.project.layer(layer_id).title(self.window.lang)
            message = self.tr("Editing {layer}. Edits stay in the edit buffer until you save.").format(layer=title)
            tools = self.controller.tools
            if not tools.topological and not tools.topological_chosen and shares_boundaries(layer):
                # Adjacent zones: a dragged shared vertex must move in both, or their boundary splits.
                tools.set_topological(True)
                message += " " + self.tr("Its zones share boundaries, so topological editing is on: a shared "
                                         "vertex moves in every zone (Edit > Topological editing).")
            self.status(message, 10000)
            return True
        if self.session.is_dirty(layer_id):
            title = self.project.layer(layer_id).title(self.window.lang)
            answer = self.window.ask(
                self.tr("Stop editing"),
                self.tr("{layer} has unsaved edits. Save them before you stop editing?").format(layer=title),
                [("save", self.tr("Save")), ("discard", self.tr("Discard")), ("cancel", self.tr("Cancel"))],
                "save")
            if answer == "save":
                if not self.window.save():
                    self.controller.actions.update()
                    return False
            elif answer == "discard":
                self._discard(layer_id)
            else:
                self.controller.actions.update()
                return False
        tools = self.controller.tools
        if tools.tool is not None and tools.ctx.active_layer_id == layer_id:
            tools.set_mode(Mode.PAN)
        self.session.stop(layer_id)
        self.controller.validity.forget(layer_id)
        if not self.session.editing_layers():
            # As in QGIS, stopping editing ends the layer's history: nothing is left to redo.
            self.controller.stack.clear()
        return True

    def save_edits(self) -> bool:
        """Save edits: write the project file (every layer's edits), atomically."""
        return self.window.save()

    def discard_edits(self) -> bool:
        layer = self.controller.active_layer()
        if layer is None or not self.session.is_dirty(layer.id):
            return False
        answer = self.window.ask(
            self.tr("Discard edits"),
            self.tr("Discard all unsaved edits to {layer}? This cannot be undone.").format(
                layer=layer.title(self.window.lang)),
            [("discard", self.tr("Discard edits")), ("cancel", self.tr("Cancel"))], "cancel")
        if answer != "discard":
            return False
        self._discard(layer.id)
        return True

    def _discard(self, layer_id: str) -> None:
        tools = self.controller.tools
        if tools.tool is not None:
            tools.tool.cancel()
        self.session.discard(layer_id)
        self.controller.stack.clear()
        self.controller.validity.forget(layer_id)
        self.window.panel.refresh()
        self.status(self.tr("Edits discarded."))

    def discard_all(self) -> None:
        for layer_id in self.session.dirty_layers():
            self._discard(layer_id)

    def confirm_save(self) -> bool:
        """Before a save: offer to repair invalid geometries in edited layers."""
        bad = {}
        for layer_id in self.session.editing_layers():
            rows = invalid_rows(self.project.layer(layer_id))
            if len(rows):
                bad[layer_id] = rows
        if not bad:
            return True
        count = sum(len(rows) for rows in bad.values())
        answer = self.window.ask(
            self.tr("Invalid geometries"),
            self.tr("{n} edited feature(s) have invalid geometry (they are marked on the map). "
                    "Repair them before saving?").format(n=count),
            [("repair", self.tr("Repair and save")), ("save", self.tr("Save as they are")),
             ("cancel", self.tr("Cancel"))], "repair")
        if answer == "cancel":
            return False
        if answer == "repair":
            edits = [edit_ops.repair_features(self.project.layer(layer_id), rows) for layer_id, rows in bad.items()]
            self.controller.push(edits[0] if len(edits) == 1
                                 else CompoundEdit(edits, kind="repair_many", params={"n": count}))
        return True

    def saved(self) -> None:
        """The project file now holds every edit: buffers are clean, the recovery file goes."""
        self.session.commit()
        self.controller.stack.setClean()
        self._clean_baseline = True
        self._other_changes = False
        self.controller.recovery.delete_file()

    def unsaved_layer_titles(self) -> list[str]:
        return [self.project.layer(i).title(self.window.lang) for i in self.session.dirty_layers()]

    # --- feature operations ------------------------------------------------------------------------------------
    def _run(self, build) -> bool:
        try:
            edit = build()
        except edit_ops.EditError as exc:
            self.status(self.texts.message(exc.key, exc.params))
            return False
        return self.controller.push(edit)

    def delete_selected(self) -> bool:
        tools = self.controller.tools
        if isinstance(tools.tool, VertexTool) and tools.tool.selected:
            tools.sync_ctx()
            return tools.tool.delete_selected()
        layer = self.controller.editing_layer()
        if layer is None:
            self.status(self.texts.message("no_edit_layer"))
            return False
        return self._run(lambda: edit_ops.delete_features(layer, layer.selection.tolist()))

    def merge_selected(self) -> bool:
        layer = self.controller.editing_layer()
        if layer is None:
            self.status(self.texts.message("no_edit_layer"))
            return False
        rows = layer.selection.tolist()
        if len(rows) < 2:
            self.status(self.texts.message("merge_needs_two"))
            return False
        options = [f"{layer.feature_label(r, self.window.lang)}" for r in rows]
        choice = self.window.choose(self.tr("Merge features"),
                                    self.tr("Keep the attributes of which feature?"), options)
        if choice is None:
            return False
        return self._run(lambda: edit_ops.merge_features(layer, rows, rows[choice]))

    def mark_traced_selected(self) -> bool:
        """Mark the selected features of the layer being edited as traced over a figure (one undo step)."""
        layer = self.controller.editing_layer()
        if layer is None:
            self.status(self.texts.message("no_edit_layer"))
            return False
        if len(layer.selection) == 0:
            self.status(self.texts.message("nothing_selected"))
            return False
        figure = self.ask_figure(getattr(self.window, "last_georeferenced_figure", "") or "")
        if figure is None:
            return False
        return self._run(lambda: edit_ops.mark_traced(layer, layer.selection.tolist(), figure))

    def ask_figure(self, default: str) -> str | None:
        """The figure's name, asked (tests replace this); None if the user cancelled."""
        text, ok = QInputDialog.getText(self.window, self.tr("Mark the selected features as traced"),
                                        self.tr("Figure the selected features were traced over:"), text=default)
        return text if ok else None

    def copy_features(self) -> bool:
        layer = self.controller.active_layer()
        if layer is None or len(layer.selection) == 0:
            self.status(self.texts.message("nothing_selected"))
            return False
        frame = layer.frame.iloc[layer.selection].copy()
        self.clipboard = (frame, layer.crs, layer.geometry_family, layer.title(self.window.lang))
        self.status(self.tr("Copied {n} feature(s) from {layer}.").format(n=len(frame), layer=self.clipboard[3]))
        return True

    def paste_features(self) -> bool:
        layer = self.controller.editing_layer()
        if layer is None:
            self.status(self.texts.message("no_edit_layer"))
            return False
        if self.clipboard is None:
            self.status(self.texts.message("clipboard_empty"))
            return False
        frame, crs, _family, _title = self.clipboard
        return self._run(lambda: edit_ops.paste_features(layer, frame, crs))

    def edit_attribute(self, layer_id: str, row: int, column: str, value) -> str | None:
        """Set one attribute from user input; returns a message if the value does not fit."""
        layer = self.project.layer(layer_id)
        if not self.session.is_editing(layer_id):
            return self.texts.message("no_edit_layer")
        try:
            typed = coerce_value(layer.frame, column, value)
        except FieldValueError as exc:
            message = self.texts.field_error(exc.key, exc.params)
            self.status(message)
            return message
        old = layer.frame.iat[row, layer.frame.columns.get_loc(column)]
        if _same(old, typed):
            return None
        self.controller.push(SetAttribute(layer_id, row, column, typed, project=self.project))
        return None


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _same(a, b) -> bool:
    """True if setting ``b`` over ``a`` would change nothing (so no undo step is made)."""
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    try:
        return bool(a == b) and isinstance(b, type(a))
    except (TypeError, ValueError):
        return False
