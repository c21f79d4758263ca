"""Editing in the main window: tools, the edit buffer, undo, validity, autosave and recovery.

:class:`EditingController` owns the Qt side of editing and nothing else:

- the QUndoStack (every data change is an :class:`~gisapp.ui.editing.undo.EditCommand`
  around a Qt-free edit), the Edit menu, the editing toolbar and the undo history panel;
- the active map tool (a Qt-free state machine from :mod:`gisapp.core.editing.tools`), which the
  canvas drives through :meth:`canvas_event` and draws through :meth:`canvas_overlay`;
- validity: after every edit the touched geometries are checked; a problem is marked on
  the map with its reason and a bar offers Repair / Undo / Zoom;
- the edit buffer (:class:`~gisapp.core.editing.session.EditSession`): toggling editing,
  Save edits (saves the project file), Discard edits (asks first, clears the undo stack);
- autosave of unsaved edits to a recovery file every minute, and recovery at start-up.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolBar,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.editing import ops as edit_ops
from gisapp.core.editing.edits import (
    CompoundEdit,
    Edit,
    FieldValueError,
    ReplaceFrame,
    SetAttribute,
    coerce_value,
)
from gisapp.core.editing.session import EditSession
from gisapp.core.editing.snapping import DEFAULT_TOLERANCE_PX
from gisapp.core.editing.tools import (
    EDITING_MODES,
    Measure,
    Mode,
    Overlay,
    ToolContext,
    VertexTool,
    make_tool,
)
from gisapp.core.editing.validation import Problem, check_layer_topology, check_rows, invalid_rows
from gisapp.core.geo.geodesy import STORAGE_CRS, transform_geometries, transform_point
from gisapp.core.model.project import Project
from gisapp.io import recovery
from gisapp.io.errors import GisIOError
from gisapp.io.export_layer import export_layer
from gisapp.io.session import open_project
from gisapp.ui.editing.texts import EditTexts
from gisapp.ui.editing.undo import EditCommand

AUTOSAVE_MS = 60_000
CURSORS = {"arrow": Qt.ArrowCursor, "cross": Qt.CrossCursor, "pointing": Qt.PointingHandCursor,
           "size_all": Qt.SizeAllCursor}


def _conform(frame, template):
    """``frame`` with ``template``'s column order, dtypes and geometry column name."""
    frame = frame.rename_geometry(template.geometry.name) if frame.geometry.name != template.geometry.name \
        else frame
    columns = [c for c in template.columns if c in frame.columns]
    frame = frame[columns + [c for c in frame.columns if c not in columns]]
    for column in columns:
        if column != template.geometry.name and frame[column].dtype != template[column].dtype:
            try:
                frame[column] = frame[column].astype(template[column].dtype)
            except (TypeError, ValueError):
                pass
    if frame.crs != template.crs and template.crs is not None:
        frame = frame.set_crs(template.crs, allow_override=True)
    return frame


class ValidityBar(QFrame):
    """A non-modal bar over the map: what is wrong, with Repair, Undo and Zoom buttons."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("ValidityBar")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#ValidityBar { background: #fff4f2; border: 1px solid #c00000; border-radius: 4px; }"
                           "#ValidityBar QLabel { color: #7a0000; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.repair_button = QPushButton(self)
        self.undo_button = QPushButton(self)
        self.zoom_button = QPushButton(self)
        self.close_button = QPushButton("×", self)
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        for button in (self.repair_button, self.undo_button, self.zoom_button, self.close_button):
            layout.addWidget(button)
        self.hide()

    def place(self) -> None:
        parent = self.parentWidget()
        width = min(parent.width() - 24, 900)
        self.setFixedWidth(max(200, width))
        self.adjustSize()
        self.move((parent.width() - self.width()) // 2, 10)


class EditingController(QObject):
    """Wires editing into a MainWindow (see the module docstring)."""

    stateChanged = Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self._closed = False
        self.window = window
        self.project: Project = window.project
        self.texts = EditTexts(self)
        self.session = EditSession(self.project)
        self.session.changed.connect(self._on_session_changed)
        self.stack = QUndoStack(self)
        self.mode = Mode.PAN
        self.tool = None
        self.snapping = True
        self.topological = False
        self.tolerance_px = DEFAULT_TOLERANCE_PX
        self.problems: list[Problem] = []
        self._flagged: dict[str, set[int]] = {}
        self.check_items: list[tuple[str, object]] = []  # (layer id, geometry in layer CRS) to highlight
        self.highlight: tuple[str, object] | None = None
        self.clipboard: tuple | None = None  # (frame, crs, family, layer title)
        self.recovery_file: Path | None = None
        self.last_error: str = ""
        self._preview: dict = {}
        self.ctx = self._make_context()

        self._panel_timer = QTimer(self, singleShot=True, interval=30)
        self._panel_timer.timeout.connect(self._flush_preview)
        self.autosave_timer = QTimer(self, interval=AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_docks()
        self.bar = ValidityBar(window.canvas)
        self.bar.repair_button.clicked.connect(self.repair_problems)
        self.bar.undo_button.clicked.connect(self.stack.undo)
        self.bar.zoom_button.clicked.connect(self.zoom_to_problem)
        self.bar.close_button.clicked.connect(self.bar.hide)
        window.canvas.installEventFilter(self)
        window.canvas.interaction = self
        self.stack.indexChanged.connect(self._on_stack_changed)
        self.stack.cleanChanged.connect(self._on_stack_changed)

    # --- construction ------------------------------------------------------------------------
    def _make_context(self) -> ToolContext:
        ctx = ToolContext(self.project, self.session, self.window.canvas.viewport.crs, apply=self.push,
                          snapping=self.snapping, tolerance_px=self.tolerance_px, topological=self.topological)
        ctx.on_message = lambda key, params: self.status(self.texts.message(key, params))
        ctx.on_select = self._select
        ctx.on_preview = self._on_preview
        return ctx

    def _action(self, slot=None, shortcut=None, checkable=False, canvas_only=False) -> QAction:
        act = QAction(self.window)
        act.setCheckable(checkable)
        if slot is not None:
            act.triggered.connect(slot)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if canvas_only:
            # Keys like Delete and Ctrl+C belong to the map only; tables keep their own.
            act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            self.window.canvas.addAction(act)
        return act

    def _build_actions(self) -> None:
        a = self._action
        self.act_toggle = a(lambda checked: self.set_editing(checked), "Ctrl+E", checkable=True)
        self.act_save_edits = a(self.save_edits)
        self.act_discard = a(self.discard_edits)
        self.act_undo = a(self.stack.undo, QKeySequence.Undo)
        self.act_redo = a(self.stack.redo, QKeySequence.Redo)
        self.act_select_all = a(self.select_all, QKeySequence.SelectAll, canvas_only=True)
        self.act_delete = a(self.delete_selected, QKeySequence.Delete, canvas_only=True)
        self.act_copy = a(self.copy_features, QKeySequence.Copy, canvas_only=True)
        self.act_paste = a(self.paste_features, QKeySequence.Paste, canvas_only=True)
        self.act_merge = a(self.merge_selected)
        self.act_snapping = a(self.set_snapping, "S", checkable=True)
        self.act_snapping.setChecked(self.snapping)
        self.act_topological = a(self.set_topological, checkable=True)
        self.act_check = a(self.check_layer)
        self.act_repair = a(self.repair_problems)
        self.act_export_layer = a(self.export_layer_dialog)
        self.tool_group = QActionGroup(self.window)
        self.tool_group.setExclusive(True)
        self.tool_actions: dict[Mode, QAction] = {}
        shortcuts = {Mode.PAN: "P", Mode.SELECT: "Q", Mode.VERTEX: "V", Mode.MOVE: "M",
                     Mode.ROTATE: "R", Mode.SPLIT: "K"}
        for mode in Mode:
            act = a(lambda _checked=False, mode=mode: self.set_mode(mode), shortcuts.get(mode), checkable=True)
            self.tool_group.addAction(act)
            self.tool_actions[mode] = act
        self.tool_actions[Mode.PAN].setChecked(True)

    def _build_menus(self) -> None:
        window = self.window
        self.menu = QMenu(window)
        window.menuBar().insertMenu(window.menu_view.menuAction(), self.menu)
        m = self.menu
        m.addActions([self.act_undo, self.act_redo])
        m.addSeparator()
        m.addActions([self.act_toggle, self.act_save_edits, self.act_discard])
        m.addSeparator()
        m.addActions([self.tool_actions[Mode.PAN], self.tool_actions[Mode.SELECT], self.act_select_all,
                      window.act_clear_selection])
        m.addSeparator()
        m.addActions([self.tool_actions[mode] for mode in (Mode.ADD_POINT, Mode.ADD_LINE, Mode.ADD_POLYGON,
                                                            Mode.ADD_RING, Mode.ADD_PART)])
        m.addSeparator()
        m.addActions([self.tool_actions[mode] for mode in (Mode.VERTEX, Mode.MOVE, Mode.ROTATE, Mode.SPLIT)])
        m.addActions([self.act_merge, self.act_delete, self.act_copy, self.act_paste])
        m.addSeparator()
        m.addActions([self.act_snapping, self.act_topological, self.act_check, self.act_repair])
        window.menu_layer.addAction(self.act_export_layer)

    def _build_toolbar(self) -> None:
        window = self.window
        self.toolbar = QToolBar(window)
        self.toolbar.setObjectName("EditingToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        for act in (self.act_toggle, self.act_save_edits, None, self.act_undo, self.act_redo, None,
                    self.tool_actions[Mode.PAN], self.tool_actions[Mode.SELECT], None,
                    self.tool_actions[Mode.ADD_POINT], self.tool_actions[Mode.ADD_LINE],
                    self.tool_actions[Mode.ADD_POLYGON], self.tool_actions[Mode.VERTEX],
                    self.tool_actions[Mode.MOVE], self.tool_actions[Mode.ROTATE],
                    self.tool_actions[Mode.SPLIT], self.act_merge, self.act_delete, None,
                    self.act_snapping, self.act_topological):
            self.toolbar.addSeparator() if act is None else self.toolbar.addAction(act)
        window.addToolBarBreak()
        window.addToolBar(self.toolbar)

    def _build_docks(self) -> None:
        window = self.window
        self.history = QUndoView(self.stack)
        self.history.setObjectName("UndoHistory")
        self.history_dock = QDockWidget(window)
        self.history_dock.setObjectName("UndoHistoryDock")
        self.history_dock.setWidget(self.history)
        window.addDockWidget(Qt.RightDockWidgetArea, self.history_dock)
        window.tabifyDockWidget(window.panel_dock, self.history_dock)
        QTimer.singleShot(0, window.panel_dock.raise_)
        self.check_list = QListWidget()
        self.check_list.setObjectName("GeometryCheckList")
        self.check_list.currentRowChanged.connect(self._on_check_row)
        self.check_summary = QLabel()
        self.check_summary.setWordWrap(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.check_summary)
        layout.addWidget(self.check_list)
        self.check_dock = QDockWidget(window)
        self.check_dock.setObjectName("GeometryCheckDock")
        self.check_dock.setWidget(box)
        window.addDockWidget(Qt.RightDockWidgetArea, self.check_dock)
        window.tabifyDockWidget(window.panel_dock, self.check_dock)
        self.check_dock.hide()
        window.menu_view.addAction(self.history_dock.toggleViewAction())
        window.menu_view.addAction(self.check_dock.toggleViewAction())

    # --- language ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.texts.lang = self.window.lang
        self.menu.setTitle(self.tr("&Edit"))
        self.toolbar.setWindowTitle(self.tr("Editing toolbar"))
        texts = {
            self.act_toggle: (self.tr("Toggle editing"), self.tr("Edit")),
            self.act_save_edits: (self.tr("Save edits"), self.tr("Save edits")),
            self.act_discard: (self.tr("Discard edits…"), None),
            self.act_select_all: (self.tr("Select all"), None),
            self.act_delete: (self.tr("Delete selected"), self.tr("Delete")),
            self.act_copy: (self.tr("Copy features"), None),
            self.act_paste: (self.tr("Paste features"), None),
            self.act_merge: (self.tr("Merge selected features…"), self.tr("Merge")),
            self.act_snapping: (self.tr("Snapping"), self.tr("Snap")),
            self.act_topological: (self.tr("Topological editing"), self.tr("Topology")),
            self.act_check: (self.tr("Check geometry and topology"), None),
            self.act_repair: (self.tr("Repair invalid geometry"), None),
            self.act_export_layer: (self.tr("Export layer…"), None),
            self.tool_actions[Mode.PAN]: (self.tr("Pan and identify"), self.tr("Pan")),
            self.tool_actions[Mode.SELECT]: (self.tr("Select features"), self.tr("Select")),
            self.tool_actions[Mode.ADD_POINT]: (self.tr("Add point"), self.tr("Point")),
            self.tool_actions[Mode.ADD_LINE]: (self.tr("Add line"), self.tr("Line")),
            self.tool_actions[Mode.ADD_POLYGON]: (self.tr("Add polygon"), self.tr("Polygon")),
            self.tool_actions[Mode.ADD_RING]: (self.tr("Add ring (hole)"), None),
            self.tool_actions[Mode.ADD_PART]: (self.tr("Add part"), None),
            self.tool_actions[Mode.VERTEX]: (self.tr("Vertex tool"), self.tr("Vertices")),
            self.tool_actions[Mode.MOVE]: (self.tr("Move features"), self.tr("Move")),
            self.tool_actions[Mode.ROTATE]: (self.tr("Rotate features"), self.tr("Rotate")),
            self.tool_actions[Mode.SPLIT]: (self.tr("Split features"), self.tr("Split")),
        }
        for act, (text, short) in texts.items():
            act.setText(text)
            if short:
                act.setIconText(short)
        tips = {
            Mode.ADD_POLYGON: self.tr("Click vertices; Backspace removes the last one; double-click or Enter "
                                 "finishes; Esc cancels."),
            Mode.VERTEX: self.tr("Drag a vertex; double-click a segment to add one; click or drag a box to select "
                            "vertices, then Delete."),
            Mode.SPLIT: self.tr("Draw a line across the features to cut; double-click or Enter cuts."),
            Mode.ROTATE: self.tr("Drag to rotate the selected features; hold Shift for 15° steps."),
        }
        for mode, tip in tips.items():
            self.tool_actions[mode].setToolTip(f"{self.tool_actions[mode].text()} — {tip}")
        self.history_dock.setWindowTitle(self.tr("Undo history"))
        self.history.setEmptyLabel(self.tr("<no edits>"))
        self.check_dock.setWindowTitle(self.tr("Geometry check"))
        self.bar.repair_button.setText(self.tr("Repair"))
        self.bar.undo_button.setText(self.tr("Undo"))
        self.bar.zoom_button.setText(self.tr("Zoom to"))
        for i in range(self.stack.count()):
            command = self.stack.command(i)
            if isinstance(command, EditCommand):
                command.setText(self.texts.edit_label(command.edit))
        self._update_actions()
        self._show_problems()

    # --- project --------------------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        """A project was opened: forget buffers, history, problems and the old recovery file."""
        self.set_mode(Mode.PAN)
        if self.recovery_file is not None and project is not self.project:
            recovery.delete_recovery(self.recovery_file)
            self.recovery_file = None
        self.project = project
        self._clean_baseline = not project.modified
        self._other_changes = False
        self.session.reset(project)
        self.stack.clear()
        self.problems, self._flagged, self.highlight = [], {}, None
        self.check_list.clear()
        self.ctx = self._make_context()
        self.bar.hide()
        project.layer_changed.connect(self._on_layer_changed)
        project.layers_changed.connect(self._on_layers_changed)
        tree_model = self.window.tree_model
        if tree_model is not None:
            tree_model.edit_state = self.edit_state
        selection = self.window.tree.selectionModel()
        if selection is not None:
            selection.currentChanged.connect(lambda *_: self._update_actions())
        self.window.panel.can_edit = self.session.is_editing
        self.window.panel.attribute_editor = self.edit_attribute
        self._update_actions()

    def edit_state(self, layer_id: str) -> tuple[bool, bool]:
        return self.session.is_editing(layer_id), self.session.is_dirty(layer_id)

    def _on_layers_changed(self) -> None:
        self._other_changes = True
        present = {layer.id for layer in self.project.layers}
        gone = [layer_id for layer_id in self.session.editing_layers() if layer_id not in present]
        if gone:
            # Edits of a removed layer cannot be undone or saved any more.
            if self.tool is not None:
                self.tool.cancel()
            for layer_id in gone:
                self.session.forget(layer_id)
                self._forget_problems(layer_id)
            self.stack.clear()
            self._update_actions()

    def _on_layer_changed(self, layer, reason: str) -> None:
        if reason != "data" or not self.session.is_editing(layer.id):
            self._other_changes = True
        if reason == "data" and self.window.panel.current is not None \
                and self.window.panel.current[0] == layer.id:
            self.window.panel.refresh()

    # --- state ----------------------------------------------------------------------------------
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

    def _on_session_changed(self, layer_id: str) -> None:
        if self.window.tree_model is not None:
            refresh = getattr(self.window.tree_model, "refresh_layer", None)
            if refresh is not None:
                refresh(layer_id)
        if not self.session.is_dirty():
            if self.recovery_file is not None:
                recovery.delete_recovery(self.recovery_file)
                self.recovery_file = None
            # Undone or discarded back to the saved state: nothing is left to save.
            if self._clean_baseline and not self._other_changes and self.project.modified:
                self.project.set_modified(False)
        self.window._update_title()
        self._update_actions()
        self.stateChanged.emit()

    def _on_stack_changed(self, *_args) -> None:
        if not self._closed:
            self._update_actions()
            self.bar.undo_button.setEnabled(self.stack.canUndo())

    def _update_actions(self) -> None:
        if self._closed:
            return
        layer = self.active_layer()
        editing = layer is not None and self.session.is_editing(layer.id)
        family = layer.geometry_family if layer is not None else None
        empty = layer is not None and len(layer) == 0
        self.act_toggle.blockSignals(True)
        self.act_toggle.setChecked(editing)
        self.act_toggle.blockSignals(False)
        self.act_toggle.setEnabled(layer is not None)
        self.act_save_edits.setEnabled(self.session.is_dirty())
        self.act_discard.setEnabled(layer is not None and self.session.is_dirty(layer.id))
        self.act_undo.setEnabled(self.stack.canUndo())
        self.act_redo.setEnabled(self.stack.canRedo())
        undo_text, redo_text = self.stack.undoText(), self.stack.redoText()
        self.act_undo.setText(self.tr("Undo {edit}").format(edit=undo_text) if undo_text else self.tr("Undo"))
        self.act_redo.setText(self.tr("Redo {edit}").format(edit=redo_text) if redo_text else self.tr("Redo"))
        self.act_undo.setIconText(self.tr("Undo"))
        self.act_redo.setIconText(self.tr("Redo"))
        for mode, act in self.tool_actions.items():
            if mode in (Mode.PAN, Mode.SELECT):
                act.setEnabled(True)
                continue
            allowed = editing
            if mode in (Mode.ADD_POINT, Mode.ADD_LINE, Mode.ADD_POLYGON):
                own = mode.value.removeprefix("add_")
                allowed = editing and (empty or family == own)
                # One shortcut for "add a feature": the tool that fits the layer.
                act.setShortcut(QKeySequence("Ctrl+.") if editing and family == own else QKeySequence())
            elif mode == Mode.ADD_RING:
                allowed = editing and family == "polygon"
            elif mode == Mode.SPLIT:
                allowed = editing and family in ("polygon", "line")
            act.setEnabled(allowed)
        for act in (self.act_delete, self.act_paste):
            act.setEnabled(editing)
        self.act_merge.setEnabled(editing and family in ("polygon", "line"))
        self.act_copy.setEnabled(layer is not None and len(layer.selection) > 0)
        self.act_select_all.setEnabled(layer is not None)
        self.act_repair.setEnabled(any(p.severity == "error" or p.key == "orientation" for p in self.problems))
        self.act_check.setEnabled(layer is not None)
        self.act_export_layer.setEnabled(layer is not None)
        if self.mode in EDITING_MODES and not editing:
            self.set_mode(Mode.PAN)

    def status(self, text: str, ms: int = 6000) -> None:
        self.last_error = text
        self.window.statusBar().showMessage(text, ms)

    # --- modes and tools --------------------------------------------------------------------------
    def set_mode(self, mode: Mode) -> None:
        if self.tool is not None:
            self.tool.cancel()
        if mode in EDITING_MODES and self.editing_layer() is None:
            self.status(self.texts.message("no_edit_layer"))
            mode = Mode.PAN
        self._sync_ctx()
        self.mode = mode
        self.tool = make_tool(mode, self.ctx)
        self.tool_actions[mode].setChecked(True)
        canvas = self.window.canvas
        canvas.unsetCursor()
        shape = self.cursor_shape()
        if shape is not None:
            canvas.setCursor(shape)
        canvas.update()
        if mode != Mode.PAN:
            canvas.setFocus()

    def set_snapping(self, on: bool) -> None:
        self.snapping = bool(on)
        self.ctx.snapping = self.snapping
        self.act_snapping.setChecked(self.snapping)
        self.status(self.tr("Snapping on ({px} px)").format(px=int(self.tolerance_px)) if self.snapping
                    else self.tr("Snapping off"), 3000)

    def set_topological(self, on: bool) -> None:
        self.topological = bool(on)
        self.ctx.topological = self.topological
        self.act_topological.setChecked(self.topological)

    def _sync_ctx(self) -> None:
        crs = self.window.canvas.viewport.crs
        if self.ctx.crs != crs:
            self.ctx.crs = crs
            self.ctx.geometries.clear()
        self.ctx.active_layer_id = self.active_layer_id()
        self.ctx.snapping = self.snapping
        self.ctx.topological = self.topological
        self.ctx.tolerance_px = self.tolerance_px

    # --- canvas interface ---------------------------------------------------------------------------
    def active(self) -> bool:
        return self.tool is not None

    def canvas_event(self, event) -> bool:
        if self.tool is None:
            return False
        self._sync_ctx()
        return self.tool.handle(event)

    def cursor_shape(self):
        if self.tool is None:
            return None
        return CURSORS.get(self.tool.cursor, Qt.ArrowCursor)

    def canvas_overlay(self) -> Overlay:
        overlay = self.tool.overlay() if self.tool is not None else Overlay()
        measure = overlay.measure
        if measure is not None:
            overlay.texts.append((measure.x, measure.y, self._measure_text(measure), "measure"))
        crs = self.window.canvas.viewport.crs
        for problem in self.problems[:20]:
            try:
                layer = self.project.layer(problem.layer_id)
            except KeyError:
                continue
            if not np.isfinite(problem.x):
                continue
            x, y = transform_point(problem.x, problem.y, layer.crs, crs)
            overlay.markers.append((x, y, "problem"))
            overlay.texts.append((x, y, self.texts.problem(problem), "problem"))
        if self.highlight is not None:
            layer_id, geom = self.highlight
            try:
                layer = self.project.layer(layer_id)
                canvas_geom = transform_geometries(np.array([geom], dtype=object), layer.crs, crs)[0]
                overlay.geometries.append((canvas_geom, "polygon" if geom.geom_type.endswith("Polygon")
                                           else "line", "check"))
            except KeyError:
                self.highlight = None
        return overlay

    def _measure_text(self, m: Measure) -> str:
        parts = []
        if m.area_m2 is not None:
            parts.append(self.tr("Area {value}").format(value=_area(m.area_m2)))
            parts.append(self.tr("Perimeter {value}").format(value=_length(m.length_m or 0.0)))
        elif m.length_m is not None:
            parts.append(self.tr("Length {value}").format(value=_length(m.length_m)))
        if m.angle_deg is not None:
            parts.append(self.tr("Angle {value}°").format(value=f"{m.angle_deg:.1f}"))
        return "\n".join(parts)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self.window.canvas and event.type() == QEvent.Resize and self.bar.isVisible():
            self.bar.place()
        return False

    # --- selection and preview --------------------------------------------------------------------------
    def _select(self, layer_id: str, rows: list[int], add: bool) -> None:
        if not add:
            for layer in self.project.layers:
                if layer.id != layer_id:
                    layer.clear_selection()
        layer = self.project.layer(layer_id)
        layer.select(rows, add=add)
        if len(layer.selection):
            self.window.panel.show_feature(layer_id, int(layer.selection[0]))
        else:
            self.window.panel.show_feature(None, None)
        self._update_actions()

    def _on_preview(self, geoms: dict) -> None:
        self._preview = dict(geoms)
        if geoms:
            self._panel_timer.start()  # at most one panel update per 30 ms while dragging
        else:
            self._panel_timer.stop()
            self._flush_preview()

    def _flush_preview(self) -> None:
        self.window.panel.set_preview(self._preview)

    def select_all(self) -> None:
        layer = self.active_layer()
        if layer is not None:
            self._select(layer.id, list(range(len(layer))), False)

    # --- applying edits -----------------------------------------------------------------------------------
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
        if isinstance(self.tool, VertexTool):
            self.tool.forget_stale()
        self._revalidate(edit)
        for layer_id in edit.layer_ids():
            layer = self.project.layer(layer_id)
            panel = self.window.panel
            if len(layer.selection) and (panel.current is None or panel.current[0] == layer_id):
                panel.show_feature(layer_id, int(layer.selection[0]))
            elif panel.current is not None and panel.current[0] == layer_id:
                panel.refresh()
        self.window.canvas.update()
        self._update_actions()

    def _revalidate(self, edit: Edit) -> None:
        touched = edit.touched_rows()
        if isinstance(edit, CompoundEdit):
            touched = edit.touched_rows()
        for layer_id in edit.layer_ids():
            layer = self.project.layer(layer_id)
            rows = set(self._flagged.get(layer_id, set())) | set(touched.get(layer_id, []))
            rows = {r for r in rows if r < len(layer)}
            problems = check_rows(layer, rows)
            self._flagged[layer_id] = {p.row for p in problems}
        self.problems = []
        for layer_id, rows in self._flagged.items():
            try:
                layer = self.project.layer(layer_id)
            except KeyError:
                continue
            self.problems.extend(check_rows(layer, rows))
        self._show_problems()

    def _show_problems(self) -> None:
        if not self.problems:
            self.bar.hide()
            return
        first = self.problems[0]
        layer = self.project.layer(first.layer_id)
        name = layer.feature_label(first.row, self.window.lang) if first.row < len(layer) else ""
        lon, lat = transform_point(first.x, first.y, layer.crs, STORAGE_CRS)
        text = self.tr("{feature} — {problem} (at {lon:.5f}°E, {lat:.5f}°N).").format(
            feature=name, problem=self.texts.problem(first), lon=lon, lat=lat)
        more = len(self.problems) - 1
        if more:
            text += " " + self.tr("{n} more problem(s) are marked on the map.").format(n=more)
        text += " " + self.tr("Undo the edit or repair the shape before saving.")
        self.bar.label.setText(text)
        self.bar.undo_button.setEnabled(self.stack.canUndo())
        self.bar.show()
        self.bar.raise_()
        self.bar.place()

    def repair_problems(self) -> None:
        by_layer: dict[str, set[int]] = {}
        for problem in self.problems:
            by_layer.setdefault(problem.layer_id, set()).add(problem.row)
        edits = [edit_ops.repair_features(self.project.layer(layer_id), rows)
                 for layer_id, rows in by_layer.items()]
        if not edits:
            return
        self.push(edits[0] if len(edits) == 1 else CompoundEdit(edits, kind="repair_many",
                                                                params={"n": len(self.problems)}))

    def zoom_to_problem(self) -> None:
        if self.problems:
            problem = self.problems[0]
            self.window.canvas.zoom_to_feature(problem.layer_id, problem.row)

    # --- editing mode, save, discard ------------------------------------------------------------------------
    def set_editing(self, on: bool, layer_id: str | None = None) -> bool:
        layer_id = layer_id or self.active_layer_id()
        if layer_id is None:
            self.status(self.tr("Choose a layer in the layer tree first."))
            self._update_actions()
            return False
        if on:
            self.session.start(layer_id)
            title = self.project.layer(layer_id).title(self.window.lang)
            self.status(self.tr("Editing {layer}. Edits stay in the edit buffer until you save.").format(
                layer=title))
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
                    self._update_actions()
                    return False
            elif answer == "discard":
                self._discard(layer_id)
            else:
                self._update_actions()
                return False
        if self.tool is not None and self.ctx.active_layer_id == layer_id:
            self.set_mode(Mode.PAN)
        self.session.stop(layer_id)
        self._forget_problems(layer_id)
        return True

    def save_edits(self) -> bool:
        """Save edits: write the project file (every layer's edits), atomically."""
        return self.window.save()

    def discard_edits(self) -> bool:
        layer = self.active_layer()
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
        if self.tool is not None:
            self.tool.cancel()
        self.session.discard(layer_id)
        self.stack.clear()
        self._forget_problems(layer_id)
        self.window.panel.refresh()
        self.status(self.tr("Edits discarded."))

    def discard_all(self) -> None:
        for layer_id in self.session.dirty_layers():
            self._discard(layer_id)

    def _forget_problems(self, layer_id: str) -> None:
        self._flagged.pop(layer_id, None)
        self.problems = [p for p in self.problems if p.layer_id != layer_id]
        self._show_problems()
        self.window.canvas.update()

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
            self.push(edits[0] if len(edits) == 1 else CompoundEdit(edits, kind="repair_many", params={"n": count}))
        return True

    def saved(self) -> None:
        """The project file now holds every edit: buffers are clean, the recovery file goes."""
        self.session.commit()
        self.stack.setClean()
        self._clean_baseline = True
        self._other_changes = False
        if self.recovery_file is not None:
            recovery.delete_recovery(self.recovery_file)
            self.recovery_file = None

    def unsaved_layer_titles(self) -> list[str]:
        return [self.project.layer(i).title(self.window.lang) for i in self.session.dirty_layers()]

    # --- feature operations ------------------------------------------------------------------------------------
    def _run(self, build) -> bool:
        try:
            edit = build()
        except edit_ops.EditError as exc:
            self.status(self.texts.message(exc.key, exc.params))
            return False
        return self.push(edit)

    def delete_selected(self) -> bool:
        if isinstance(self.tool, VertexTool) and self.tool.selected:
            self._sync_ctx()
            return self.tool.delete_selected()
        layer = self.editing_layer()
        if layer is None:
            self.status(self.texts.message("no_edit_layer"))
            return False
        return self._run(lambda: edit_ops.delete_features(layer, layer.selection.tolist()))

    def merge_selected(self) -> bool:
        layer = self.editing_layer()
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

    def copy_features(self) -> bool:
        layer = self.active_layer()
        if layer is None or len(layer.selection) == 0:
            self.status(self.texts.message("nothing_selected"))
            return False
        frame = layer.frame.iloc[layer.selection].copy()
        self.clipboard = (frame, layer.crs, layer.geometry_family, layer.title(self.window.lang))
        self.status(self.tr("Copied {n} feature(s) from {layer}.").format(n=len(frame), layer=self.clipboard[3]))
        return True

    def paste_features(self) -> bool:
        layer = self.editing_layer()
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
        self.push(SetAttribute(layer_id, row, column, typed, project=self.project))
        return None

    # --- layer check ---------------------------------------------------------------------------------------
    def check_layer(self) -> None:
        layer = self.active_layer()
        if layer is None:
            return
        report = check_layer_topology(layer)
        lang = self.window.lang
        self.check_list.clear()
        self.check_items = []
        for problem in report.invalid:
            text = self.tr("Invalid: {feature} — {problem}").format(
                feature=layer.feature_label(problem.row, lang), problem=self.texts.problem(problem))
            self._add_check_item(text, layer.id, shapely.Point(problem.x, problem.y).buffer(1e-4))
        for overlap in report.overlaps:
            text = self.tr("Overlap: {a} and {b} — {area}").format(
                a=layer.feature_label(overlap.row_a, lang), b=layer.feature_label(overlap.row_b, lang),
                area=_area(overlap.area_m2))
            self._add_check_item(text, layer.id, overlap.geometry)
        for gap in report.gaps:
            self._add_check_item(self.tr("Gap — {area}").format(area=_area(gap.area_m2)), layer.id, gap.geometry)
        self.check_summary.setText(self.tr("{layer}: {invalid} invalid, {overlaps} overlaps, {gaps} gaps. "
                                           "Click a line to show it on the map.").format(
            layer=layer.title(lang), invalid=len(report.invalid), overlaps=len(report.overlaps),
            gaps=len(report.gaps)))
        self.check_dock.show()
        self.check_dock.raise_()
        self.last_report = report

    def _add_check_item(self, text: str, layer_id: str, geom) -> None:
        self.check_items.append((layer_id, geom))
        QListWidgetItem(text, self.check_list)

    def _on_check_row(self, row: int) -> None:
        if 0 <= row < len(self.check_items):
            self.highlight = self.check_items[row]
            layer_id, geom = self.highlight
            layer = self.project.layer(layer_id)
            crs = self.window.canvas.viewport.crs
            canvas_geom = transform_geometries(np.array([geom], dtype=object), layer.crs, crs)[0]
            x0, y0, x1, y1 = canvas_geom.bounds
            pad = max(x1 - x0, y1 - y0, self.window.canvas.viewport.resolution * 200)
            canvas = self.window.canvas
            canvas._set_viewport(canvas.viewport.fitted((x0 - pad, y0 - pad, x1 + pad, y1 + pad), margin=0))

    # --- export -------------------------------------------------------------------------------------------
    def export_layer_dialog(self) -> list[str] | None:
        layer = self.active_layer()
        if layer is None:
            self.status(self.tr("Choose a layer in the layer tree first."))
            return None
        path = self.window.get_save_path(
            self.tr("Export layer"), str(Path.home() / f"{layer.id}.geojson"),
            self.tr("GeoJSON (*.geojson);;Shapefile, UTF-8 (*.shp)"))
        if not path:
            return None
        if Path(path).suffix.lower() not in (".geojson", ".json", ".shp"):
            path += ".geojson"
        try:
            warnings = export_layer(layer, path)
        except GisIOError as exc:
            self.window.show_error(self.tr("The layer was not exported"), str(exc))
            return None
        self.status(self.tr("Exported {layer} to {path}").format(layer=layer.title(self.window.lang), path=path))
        if warnings:
            self.window.show_error(self.tr("Exported with changes"), "\n".join(warnings))
        return warnings

    # --- autosave and recovery ------------------------------------------------------------------------------
    def autosave(self) -> Path | None:
        dirty = self.session.dirty_layers()
        if not dirty:
            return None
        try:
            self.recovery_file = recovery.write_recovery(self.project, dirty)
        except Exception as exc:  # an autosave must never interrupt editing
            self.status(self.tr("Autosave failed: {error}").format(error=exc))
            return None
        return self.recovery_file

    def offer_recovery(self) -> bool:
        """At start-up: offer to recover edits a crashed session left behind."""
        found = recovery.find_recoveries()
        if not found:
            return False
        info = found[0]
        lang = self.window.lang
        when = datetime.datetime.fromtimestamp(info.written_at).strftime("%Y-%m-%d %H:%M")
        layers = ", ".join(entry["title_zh" if lang == "zh" else "title_en"] for entry in info.layers)
        answer = self.window.ask(
            self.tr("Recover unsaved edits"),
            self.tr("gisapp closed without saving edits to {project} (autosaved {time}): {layers}. "
                    "Recover them?").format(project=info.title(lang), time=when, layers=layers),
            [("recover", self.tr("Recover")), ("discard", self.tr("Discard them")), ("cancel", self.tr("Later"))],
            "recover")
        if answer == "discard":
            recovery.delete_recovery(info.path)
            return False
        if answer != "recover":
            return False
        return self.recover(info)

    def recover(self, info: recovery.RecoveryInfo) -> bool:
        current = self.project.metadata.get("path")
        wanted = info.project_path
        same = (Path(current).resolve() == Path(wanted).resolve()) if (current and wanted) else \
            (not current and not wanted and self.project.title_en == info.project_title_en)
        if not same:
            try:
                project = open_project(wanted)
            except GisIOError as exc:
                self.window.show_error(self.tr("The edits could not be recovered"), str(exc))
                return False
            self.window.set_project(project)
        frames = recovery.read_layers(info)
        edits: list[Edit] = []
        missing = []
        for layer_id, frame in frames.items():
            try:
                layer = self.project.layer(layer_id)
            except KeyError:
                missing.append(layer_id)
                continue
            edits.append(ReplaceFrame(layer_id, _conform(frame, layer.frame)))
        if not edits:
            return False
        self.push(CompoundEdit(edits, kind="recover"))
        old = info.path
        self.autosave()
        if self.recovery_file is None or old.resolve() != self.recovery_file.resolve():
            recovery.delete_recovery(old)
        self.status(self.tr("Recovered unsaved edits. Save them, or use Undo or Discard edits."))
        if missing:
            self.window.show_error(self.tr("Some edits could not be recovered"),
                                   self.tr("These layers are no longer in the project: {layers}").format(
                                       layers=", ".join(missing)))
        return True

    def shutdown(self) -> None:
        """The window closes after the user saved or discarded: no recovery file is needed."""
        self._closed = True
        self.autosave_timer.stop()
        self._panel_timer.stop()
        self.stack.blockSignals(True)
        self.window.canvas.interaction = None
        if self.recovery_file is not None:
            recovery.delete_recovery(self.recovery_file)
            self.recovery_file = None


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


def _area(m2: float) -> str:
    return f"{m2 / 1e6:,.3f} km²" if m2 >= 1e5 else f"{m2:,.0f} m²"


def _length(m: float) -> str:
    return f"{m / 1000:,.3f} km" if m >= 1000 else f"{m:,.1f} m"

