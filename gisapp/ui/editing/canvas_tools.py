"""The active map tool and the canvas's editing interface: modes, snapping, events, overlay.

:class:`CanvasTools` holds the current mode and its tool (a Qt-free state machine from
:mod:`gisapp.core.editing.tools`). The canvas drives it through :meth:`~CanvasTools.canvas_event`
and draws :meth:`~CanvasTools.canvas_overlay`: the tool's sketch with its measure text, the
validity problems and the highlighted geometry-check item.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer

from gisapp.core.editing.snapping import DEFAULT_TOLERANCE_PX
from gisapp.core.editing.tools import EDITING_MODES, Measure, Mode, Overlay, ToolContext, make_tool
from gisapp.ui.editing.units import format_area, format_length

CURSORS = {"arrow": Qt.ArrowCursor, "cross": Qt.CrossCursor, "pointing": Qt.PointingHandCursor,
           "size_all": Qt.SizeAllCursor}


class CanvasTools(QObject):
    """Modes and tools of an :class:`~gisapp.ui.editing.controller.EditingController`."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.mode = Mode.PAN
        self.tool = None
        self.snapping = True
        self.topological = False
        self.topological_chosen = False  # the user set it: editing a layer no longer changes it
        self.tolerance_px = DEFAULT_TOLERANCE_PX
        self._preview: dict = {}
        self.ctx = self._make_context()
        self._panel_timer = QTimer(self, singleShot=True, interval=30)
        self._panel_timer.timeout.connect(self.flush_preview)

    def _make_context(self) -> ToolContext:
        controller = self.controller
        ctx = ToolContext(controller.project, controller.session, self.window.canvas.viewport.crs,
                          apply=controller.push, snapping=self.snapping, tolerance_px=self.tolerance_px,
                          topological=self.topological)
        ctx.on_message = lambda key, params: controller.status(controller.texts.message(key, params))
        ctx.on_select = self._select
        ctx.on_preview = self._on_preview
        return ctx

    def reset(self) -> None:
        """A project was opened: a fresh tool context on it."""
        self.ctx = self._make_context()

    def stop(self) -> None:
        self._panel_timer.stop()

    # --- modes and tools --------------------------------------------------------------------------
    def set_mode(self, mode: Mode) -> None:
        if self.tool is not None:
            self.tool.cancel()
        if mode in EDITING_MODES and self.controller.editing_layer() is None:
            self.controller.status(self.controller.texts.message("no_edit_layer"))
            mode = Mode.PAN
        self.sync_ctx()
        self.mode = mode
        self.tool = make_tool(mode, self.ctx)
        self.controller.actions.tool_actions[mode].setChecked(True)
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
        self.controller.actions.act_snapping.setChecked(self.snapping)
        self.controller.status(self.tr("Snapping on ({px} px)").format(px=int(self.tolerance_px)) if self.snapping
                               else self.tr("Snapping off"), 3000)

    def choose_topological(self, on: bool) -> None:
        """Edit > Topological editing, by the user."""
        self.topological_chosen = True
        self.set_topological(on)

    def set_topological(self, on: bool) -> None:
        self.topological = bool(on)
        self.ctx.topological = self.topological
        self.controller.actions.act_topological.setChecked(self.topological)

    def sync_ctx(self) -> None:
        crs = self.window.canvas.viewport.crs
        if self.ctx.crs != crs:
            self.ctx.crs = crs
            self.ctx.geometries.clear()
        self.ctx.active_layer_id = self.controller.active_layer_id()
        self.ctx.snapping = self.snapping
        self.ctx.topological = self.topological
        self.ctx.tolerance_px = self.tolerance_px

    # --- canvas interface ---------------------------------------------------------------------------
    def active(self) -> bool:
        return self.tool is not None

    def canvas_event(self, event) -> bool:
        if self.tool is None:
            return False
        self.sync_ctx()
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
        self.controller.validity.add_to_overlay(overlay, crs)
        self.controller.layer_check.add_to_overlay(overlay, crs)
        return overlay

    def _measure_text(self, m: Measure) -> str:
        parts = []
        if m.area_m2 is not None:
            parts.append(self.tr("Area {value}").format(value=format_area(m.area_m2)))
            parts.append(self.tr("Perimeter {value}").format(value=format_length(m.length_m or 0.0)))
        elif m.length_m is not None:
            parts.append(self.tr("Length {value}").format(value=format_length(m.length_m)))
        if m.angle_deg is not None:
            parts.append(self.tr("Angle {value}°").format(value=f"{m.angle_deg:.1f}"))
        return "\n".join(parts)

    # --- selection and preview --------------------------------------------------------------------------
    def _select(self, layer_id: str, rows: list[int], add: bool) -> None:
        project = self.controller.project
        if not add:
            for layer in project.vector_layers():
                if layer.id != layer_id:
                    layer.clear_selection()
        layer = project.layer(layer_id)
        layer.select(rows, add=add)
        if len(layer.selection):
            self.window.panel.show_feature(layer_id, int(layer.selection[0]))
        else:
            self.window.panel.show_feature(None, None)
        self.controller.actions.update()

    def _on_preview(self, geoms: dict) -> None:
        self._preview = dict(geoms)
        if geoms:
            self._panel_timer.start()  # at most one panel update per 30 ms while dragging
        else:
            self._panel_timer.stop()
            self.flush_preview()

    def flush_preview(self) -> None:
        panel = self.window.panel
        if self._preview and (panel.current is None or tuple(panel.current) not in self._preview):
            # The panel follows the feature being dragged, not the one selected before.
            layer_id, row = next(iter(self._preview))
            panel.show_feature(layer_id, row)
        panel.set_preview(self._preview)

    def select_all(self) -> None:
        layer = self.controller.active_layer()
        if layer is not None:
            self._select(layer.id, list(range(len(layer))), False)
