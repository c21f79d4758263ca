"""Map tools as Qt-free state machines (QGIS style: one class per tool, each with ``handle(event)``).

The canvas turns each Qt mouse or key event into a :class:`MapEvent` (map and pixel
position, button, modifiers, key, map units per pixel) and hands it to the active
tool's ``handle``. Tools read the project through a :class:`ToolContext`, propose
edits through ``ctx.apply`` (the UI pushes them on its undo stack) and describe what
to draw on top of the map with an :class:`Overlay` (rubber bands, vertex markers,
the snap marker, the dragged geometry). Nothing is written to a layer until the
gesture ends, so a whole vertex drag is one edit, and the map is not re-rendered
while the mouse moves.

Tests drive tools with hand-made events, without a window:

>>> import geopandas as gpd, shapely
>>> from gisapp.core.model.layer import VectorLayer
>>> from gisapp.core.model.project import Project
>>> from gisapp.core.editing.session import EditSession
>>> layer = VectorLayer("zones", "区", "Zones", gpd.GeoDataFrame(
...     {"id": ["a"]}, geometry=[shapely.box(0, 0, 10, 10)], crs="EPSG:3857"))
>>> project = Project(layers=[layer]); session = EditSession(project); session.start("zones")
>>> ctx = ToolContext(project, session, "EPSG:3857", active_layer_id="zones", snapping=False)
>>> tool = make_tool(Mode.ADD_POLYGON, ctx)
>>> for x, y in [(20, 0), (30, 0), (30, 10)]:
...     _ = tool.handle(MapEvent("press", x, y, button="left"))
...     _ = tool.handle(MapEvent("release", x, y, button="left"))
>>> _ = tool.handle(MapEvent("key", key="Enter"))
>>> len(layer), layer.frame.geometry.iloc[1].area
(2, 50.0)
"""

from __future__ import annotations

from gisapp.core.editing.tools.base import (
    CLICK_SLOP_PX,
    EDITING_MODES,
    HIT_TOLERANCE_PX,
    MEASURE_MODES,
    MapEvent,
    Measure,
    Mode,
    Overlay,
    Tool,
    ToolContext,
    geodesic_measure,
)
from gisapp.core.editing.tools.capture import CaptureTool
from gisapp.core.editing.tools.draw import AddPartTool, AddRingTool, DrawTool, SplitTool
from gisapp.core.editing.tools.measure import MeasureTool
from gisapp.core.editing.tools.select import SelectTool
from gisapp.core.editing.tools.transform import MoveTool, RotateTool
from gisapp.core.editing.tools.vertex import VertexTool

__all__ = [
    "CLICK_SLOP_PX", "EDITING_MODES", "HIT_TOLERANCE_PX", "MEASURE_MODES", "AddPartTool", "AddRingTool", "CaptureTool",
    "DrawTool", "MapEvent", "Measure", "MeasureTool", "Mode", "MoveTool", "Overlay", "RotateTool", "SelectTool", "SplitTool", "Tool", "ToolContext",
    "VertexTool", "geodesic_measure", "make_tool",
]


def make_tool(mode: Mode, ctx: ToolContext) -> Tool | None:
    """The tool for ``mode`` (None for PAN: the canvas pans and identifies)."""
    if mode == Mode.PAN:
        return None
    if mode == Mode.SELECT:
        return SelectTool(ctx)
    if mode == Mode.ADD_POINT:
        return DrawTool(ctx, mode, "point")
    if mode == Mode.ADD_LINE:
        return DrawTool(ctx, mode, "line")
    if mode == Mode.ADD_POLYGON:
        return DrawTool(ctx, mode, "polygon")
    if mode == Mode.ADD_RING:
        return AddRingTool(ctx)
    if mode == Mode.ADD_PART:
        return AddPartTool(ctx)
    if mode == Mode.SPLIT:
        return SplitTool(ctx)
    if mode == Mode.VERTEX:
        return VertexTool(ctx)
    if mode == Mode.MOVE:
        return MoveTool(ctx)
    if mode == Mode.ROTATE:
        return RotateTool(ctx)
    if mode in MEASURE_MODES:
        return MeasureTool(ctx, mode)
    if mode == Mode.CAPTURE_POINT:
        return CaptureTool(ctx)
    raise ValueError(mode)
