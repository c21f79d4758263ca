"""Editing in the main window: tools, the edit buffer, undo, validity, autosave and recovery.

:class:`EditingController` owns what every part of editing shares: the edit buffer
(:class:`~gisapp.core.editing.session.EditSession`), the QUndoStack (every data change is an
:class:`~gisapp.ui.editing.undo.EditCommand` around a Qt-free edit, applied by :meth:`push`)
and the layer the tools work on. It composes one object per concern, each holding a
reference back to it:

- ``actions`` (:mod:`~gisapp.ui.editing.actions`): the Edit menu, the editing toolbar, the
  undo history and geometry check docks, their texts and enabled states;
- ``tools`` (:mod:`~gisapp.ui.editing.canvas_tools`): the mode and its map tool (a Qt-free
  state machine from :mod:`gisapp.core.editing.tools`), snapping, and the canvas interface;
- ``validity`` and ``layer_check`` (:mod:`~gisapp.ui.editing.validity`): after every edit the
  touched geometries are checked, a problem is marked on the map with its reason and a bar
  offers Repair / Undo / Zoom; Check geometry and topology lists a layer's problems;
- ``operations`` (:mod:`~gisapp.ui.editing.session`): toggling editing, Save edits (saves the
  project file), Discard edits (asks first, clears the undo stack), feature operations and
  attribute edits;
- ``export`` (:mod:`~gisapp.ui.editing.export`): Layer > Export layer…;
- ``recovery`` (:mod:`~gisapp.ui.editing.recovery`): autosave of unsaved edits to a recovery
  file every minute, and recovery at start-up.

The main window talks to the controller only; the canvas talks to ``tools``.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from gisapp.core.editing.edits import Edit
from gisapp.core.editing.session import EditSession
from gisapp.core.editing.tools import Mode, VertexTool
from gisapp.core.model.project import Project
from gisapp.ui.editing.actions import EditingActions
from gisapp.ui.editing.canvas_tools import CanvasTools
from gisapp.ui.editing.export import LayerExport
from gisapp.ui.editing.recovery import CrashRecovery
from gisapp.ui.editing.session import SessionOperations
from gisapp.ui.editing.texts import EditTexts
from gisapp.ui.editing.undo import EditCommand
from gisapp.ui.editing.validity import LayerCheck, Validity
from gisapp.ui.workers import Job, JobRunner, WorkerThread

# Copies a big layer's geometry pointers for its next edit, off the UI thread.
EDIT_COPY_THREAD = WorkerThread("gisapp-edit-copy")
EDIT_COPY_MIN_ROWS = 50_000  # below this the copy costs the UI thread under a millisecond
SETTLE_WAIT_MS = 250  # the longest the follow-up of an edit waits for the map to show it


class EditingController(QObject):
    """Wires editing into a MainWindow (see the module docstring)."""

    stateChanged = Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self.closed = False
        self.window = window
        self.project: Project = window.project
        self.texts = EditTexts(self)
        self.session = EditSession(self.project)
        self.stack = QUndoStack(self)
        self.last_error: str = ""
        self.operations = SessionOperations(self)
        self.tools = CanvasTools(self)
        self.recovery = CrashRecovery(self)
        self.validity = Validity(self)
        self.layer_check = LayerCheck(self)
        self.export = LayerExport(self)
        self.actions = EditingActions(self)  # last: its actions call the parts above
        window.canvas.interaction = self.tools
        self.stack.indexChanged.connect(self._on_stack_changed)
        self.stack.cleanChanged.connect(self._on_stack_changed)
        # What follows an edit (the validity check, the panel, the actions) runs once the map
        # shows the edit: the release of a vertex drag only applies it.
        self._settling: list[Edit] = []
        self._panel_stale = False
        self._settle_timer = QTimer(self, singleShot=True, interval=0)
        self._settle_timer.timeout.connect(self._settle_when_shown)
        self._settle_clock = QElapsedTimer()
        self._copier = JobRunner(EDIT_COPY_THREAD, self)

    # --- the main window's interface ---------------------------------------------------------
    def retranslate(self) -> None:
        self.texts.lang = self.window.lang
        self.actions.retranslate()
        self.validity.bar.retranslate()
        for i in range(self.stack.count()):
            command = self.stack.command(i)
            if isinstance(command, EditCommand):
                command.setText(self.texts.edit_label(command.edit))
        self.actions.update()
        self.validity.show_problems()

    def set_project(self, project: Project) -> None:
        """A project was opened: forget buffers, history, problems and the old recovery file."""
        self.tools.set_mode(Mode.PAN)
        self._settle_timer.stop()
        self._settling = []  # edits of the project that is closing
        self.recovery.project_opened(project)
        self.project = project
        self.operations.reset(project)
        self.session.reset(project)
        self.stack.clear()
        self.validity.reset()
        self.layer_check.reset()
        self.tools.reset()
        self.operations.follow(project)
        selection = self.window.tree.selectionModel()
        if selection is not None:
            selection.currentChanged.connect(lambda *_: self.actions.update())
        self.window.panel.can_edit = self.session.is_editing
        self.window.panel.attribute_editor = self.edit_attribute
        self.actions.update()

    def confirm_save(self) -> bool:
        """Before a save: offer to repair invalid geometries in edited layers."""
        self.settle()
        return self.operations.confirm_save()

    def saved(self) -> None:
        """The project file now holds every edit: buffers are clean, the recovery file goes."""
        self.operations.saved()

    def unsaved_layer_titles(self) -> list[str]:
        return self.operations.unsaved_layer_titles()

    def edit_attribute(self, layer_id: str, row: int, column: str, value) -> str | None:
        """Set one attribute from user input; returns a message if the value does not fit."""
        message = self.operations.edit_attribute(layer_id, row, column, value)
        self.settle()  # the panel the user typed into shows the value at once
        return message

    def offer_recovery(self) -> bool:
        """At start-up: offer to recover edits a crashed session left behind."""
        return self.recovery.offer_recovery()

    def shutdown(self) -> None:
        """The window closes after the user saved or discarded: no recovery file is needed."""
        self.closed = True
        self._settle_timer.stop()
        self._settling = []
        self._copier.shutdown()
        self.recovery.stop()
        self.tools.stop()
        self.stack.blockSignals(True)
        self.window.canvas.interaction = None
        self.recovery.delete_file()

    # --- shared by the parts --------------------------------------------------------------------
    def active_layer_id(self) -> str | None:
        """The layer tools work on: the current layer in the tree, else the only edited layer."""
        layer = self.window.current_layer()
        if layer is not None:
            return layer.id
        editing = self.session.editing_layers()
        return editing[0] if len(editing) == 1 else None

    def active_layer(self):
        layer_id = self.active_layer_id()
        return self.project.layer(layer_id) if layer_id else None

    def editing_layer(self):
        layer = self.active_layer()
        return layer if layer is not None and self.session.is_editing(layer.id) else None

    def status(self, text: str, ms: int = 6000) -> None:
        self.last_error = text
        self.window.statusBar().showMessage(text, ms)

    def push(self, edit: Edit) -> bool:
        """Apply ``edit`` as one undo step; False if it failed (nothing changed then)."""
        command = EditCommand(self.session, edit, self.texts.edit_label(edit), after=self._after_edit)
        self.stack.push(command)
        error = getattr(command, "error", None)
        if error is not None:
            self.status(self.tr("The edit could not be made: {error}").format(error=error))
            return False
        return True

    def _after_edit(self, edit: Edit, undone: bool) -> None:
        if isinstance(self.tools.tool, VertexTool):
            self.tools.tool.forget_stale()
        self.window.canvas.update()
        self._settling.append(edit)
        self._settle_later()

    def refresh_panel_later(self) -> None:
        """The feature panel shows a feature whose data changed: refresh it once the map shows it."""
        self._panel_stale = True
        self._settle_later()

    def _settle_later(self) -> None:
        if not self._settle_timer.isActive():
            self._settle_clock.start()
            self._settle_timer.start(0)

    def _settle_when_shown(self) -> None:
        if self.window.canvas.is_rendering() and self._settle_clock.elapsed() < SETTLE_WAIT_MS:
            self._settle_timer.start(5)  # the render thread draws the edit: it goes first
            return
        self.settle()

    def settle(self) -> None:
        """Finish what the edits since the last call need: check the touched geometries, refresh
        the feature panel and the actions, and copy big layers' geometry pointers for the next
        edit on a worker thread. Runs by itself once the map shows the edit."""
        self._settle_timer.stop()
        edits, self._settling = self._settling, []
        panel_stale, self._panel_stale = self._panel_stale, False
        if self.closed:
            return
        panel = self.window.panel
        present = {layer.id for layer in self.project.vector_layers()}
        layer_ids: list[str] = []
        for edit in edits:
            if all(layer_id in present for layer_id in edit.layer_ids()):
                self.validity.revalidate(edit)
            layer_ids.extend(i for i in edit.layer_ids() if i not in layer_ids)
        for layer_id in layer_ids:
            if layer_id not in present:  # the layer went away meanwhile
                continue
            layer = self.project.layer(layer_id)
            if len(layer.selection) and (panel.current is None or panel.current[0] == layer_id):
                panel.show_feature(layer_id, int(layer.selection[0]))
                panel_stale = False
            elif panel.current is not None and panel.current[0] == layer_id:
                panel.refresh()
                panel_stale = False
            self.prepare_edit_copy(layer_id)
        if panel_stale:
            panel.refresh()
        if edits:
            self.window.canvas.update()
            self.actions.update()

    def prepare_edit_copy(self, layer_id: str) -> None:
        """Have a worker copy a big edited layer's geometry pointers for its next geometry edit
        (the copy-on-write frame: the UI thread then changes the copy instead of making one)."""
        layer = self.project.layer(layer_id)
        if len(layer) >= EDIT_COPY_MIN_ROWS and self.session.is_editing(layer_id) and not self.closed:
            self._copier.submit(Job(layer.prepare_edit_copy))

    def _on_stack_changed(self, *_args) -> None:
        if not self.closed:
            self.actions.update()
            self.validity.bar.undo_button.setEnabled(self.stack.canUndo())
