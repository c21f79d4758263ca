"""The Edit menu, the editing toolbar and the editing docks, their texts and enabled states.

:class:`EditingActions` builds one QAction per command and tool, connected to the part of the
:class:`~gisapp.ui.editing.controller.EditingController` that does the work; it puts them in the
Edit menu (and Layer > Export layer…) and the editing toolbar, places the undo history and
geometry check docks, names everything in the UI language and enables what fits the current layer.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QToolBar, QUndoView

from gisapp.core.editing.tools import EDITING_MODES, Mode


class EditingActions(QObject):
    """Actions, menus, toolbar and docks of an editing controller."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_docks()

    # --- construction ------------------------------------------------------------------------
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
        controller = self.controller
        operations, tools = controller.operations, controller.tools
        stack = controller.stack
        self.act_toggle = a(lambda checked: operations.set_editing(checked), "Ctrl+E", checkable=True)
        self.act_save_edits = a(operations.save_edits)
        self.act_discard = a(operations.discard_edits)
        self.act_undo = a(stack.undo, QKeySequence.Undo)
        self.act_redo = a(stack.redo, QKeySequence.Redo)
        self.act_select_all = a(tools.select_all, QKeySequence.SelectAll, canvas_only=True)
        self.act_delete = a(operations.delete_selected, QKeySequence.Delete, canvas_only=True)
        self.act_copy = a(operations.copy_features, QKeySequence.Copy, canvas_only=True)
        self.act_paste = a(operations.paste_features, QKeySequence.Paste, canvas_only=True)
        self.act_merge = a(operations.merge_selected)
        self.act_mark_traced = a(operations.mark_traced_selected)
        self.act_snapping = a(tools.set_snapping, "S", checkable=True)
        self.act_snapping.setChecked(tools.snapping)
        self.act_topological = a(tools.choose_topological, checkable=True)
        self.act_check = a(controller.layer_check.check_layer)
        self.act_repair = a(controller.validity.repair_problems)
        self.act_export_layer = a(controller.export.export_layer_dialog)
        self.tool_group = QActionGroup(self.window)
        self.tool_group.setExclusive(True)
        self.tool_actions: dict[Mode, QAction] = {}
        shortcuts = {Mode.PAN: "P", Mode.SELECT: "Q", Mode.VERTEX: "V", Mode.MOVE: "M",
                     Mode.ROTATE: "R", Mode.SPLIT: "K"}
        for mode in Mode:
            act = a(lambda _checked=False, mode=mode: tools.set_mode(mode), shortcuts.get(mode), checkable=True)
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
        m.addActions([self.act_merge, self.act_mark_traced, self.act_delete, self.act_copy, self.act_paste])
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
        self.history = QUndoView(self.controller.stack)
        self.history.setObjectName("UndoHistory")
        self.history_dock = QDockWidget(window)
        self.history_dock.setObjectName("UndoHistoryDock")
        self.history_dock.setWidget(self.history)
        window.addDockWidget(Qt.RightDockWidgetArea, self.history_dock)
        window.tabifyDockWidget(window.panel_dock, self.history_dock)
        QTimer.singleShot(0, window.panel_dock.raise_)
        self.check_dock = self.controller.layer_check.check_dock
        window.addDockWidget(Qt.RightDockWidgetArea, self.check_dock)
        window.tabifyDockWidget(window.panel_dock, self.check_dock)
        self.check_dock.hide()
        window.menu_view.addAction(self.history_dock.toggleViewAction())
        window.menu_view.addAction(self.check_dock.toggleViewAction())

    # --- language ----------------------------------------------------------------------------
    def retranslate(self) -> None:
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
            self.act_mark_traced: (self.tr("Mark as traced over a figure…"), None),
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

    # --- state ----------------------------------------------------------------------------------
    def _step_editable(self, index: int) -> bool:
        """Whether the undo step at ``index`` only touches layers still being edited."""
        edit = getattr(self.controller.stack.command(index), "edit", None)
        session = self.controller.session
        return edit is None or all(session.is_editing(layer_id) for layer_id in edit.layer_ids())

    def update(self) -> None:
        """Enable what fits the active layer, its editing state, the undo stack and the problems."""
        controller = self.controller
        if controller.closed:
            return
        session, stack, tools = controller.session, controller.stack, controller.tools
        layer = controller.active_layer()
        editing = layer is not None and session.is_editing(layer.id)
        family = layer.geometry_family if layer is not None else None
        empty = layer is not None and len(layer) == 0
        self.act_toggle.blockSignals(True)
        self.act_toggle.setChecked(editing)
        self.act_toggle.blockSignals(False)
        self.act_toggle.setEnabled(layer is not None)
        self.act_save_edits.setEnabled(session.is_dirty())
        self.act_discard.setEnabled(layer is not None and session.is_dirty(layer.id))
        self.act_undo.setEnabled(stack.canUndo() and self._step_editable(stack.index() - 1))
        self.act_redo.setEnabled(stack.canRedo() and self._step_editable(stack.index()))
        undo_text, redo_text = stack.undoText(), stack.redoText()
        self.act_undo.setText(self.tr("Undo {edit}").format(edit=undo_text) if undo_text else self.tr("Undo"))
        self.act_redo.setText(self.tr("Redo {edit}").format(edit=redo_text) if redo_text else self.tr("Redo"))
        self.act_undo.setIconText(self.tr("Undo"))
        self.act_redo.setIconText(self.tr("Redo"))
        for mode, act in self.tool_actions.items():
            if mode not in EDITING_MODES:  # pan, select, measure, capture: no edit layer needed
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
        for act in (self.act_delete, self.act_paste, self.act_mark_traced):
            act.setEnabled(editing)
        self.act_merge.setEnabled(editing and family in ("polygon", "line"))
        self.act_copy.setEnabled(layer is not None and len(layer.selection) > 0)
        self.act_select_all.setEnabled(layer is not None)
        self.act_repair.setEnabled(controller.validity.can_repair())
        self.act_check.setEnabled(layer is not None)
        self.act_export_layer.setEnabled(layer is not None)
        if tools.mode in EDITING_MODES and not editing:
            tools.set_mode(Mode.PAN)
