"""Map tools as Qt-free state machines (napari style).

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
>>> from gisapp.core.layer import VectorLayer
>>> from gisapp.core.project import Project
>>> from gisapp.core.edit_session import EditSession
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

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import shapely

from .edit_ops import (
    EditError,
    add_feature,
    add_part,
    add_ring,
    split_features,
)
from .edit_session import EditSession
from .edits import CompoundEdit, Edit, SetGeometries, plural_kind
from .geodesy import (
    STORAGE_CRS,
    geodesic_area_m2,
    geodesic_length_m,
    transform_geometries,
    transform_point,
)
from .geometry_ops import (
    GeometryEditError,
    canonical_index,
    components,
    delete_vertices,
    insert_vertex,
    move_vertices,
    nearest_segment,
    nearest_vertex,
    rotate,
    segments_between,
    translate,
    unique_vertex_indices,
    vertex_xy,
    vertices_at,
)
from .identify import features_at
from .layer import VectorLayer
from .project import Project
from .snapping import (
    DEFAULT_TOLERANCE_PX,
    CanvasGeometries,
    Snapper,
    SnapResult,
    candidate_rows,
    rows_in_box,
)

CLICK_SLOP_PX = 4.0
HIT_TOLERANCE_PX = 10.0
MAX_VERTEX_MARKERS = 5000


class Mode(StrEnum):
    PAN = "pan"
    SELECT = "select"
    ADD_POINT = "add_point"
    ADD_LINE = "add_line"
    ADD_POLYGON = "add_polygon"
    ADD_RING = "add_ring"
    ADD_PART = "add_part"
    VERTEX = "vertex"
    MOVE = "move"
    ROTATE = "rotate"
    SPLIT = "split"


EDITING_MODES = {Mode.ADD_POINT, Mode.ADD_LINE, Mode.ADD_POLYGON, Mode.ADD_RING, Mode.ADD_PART,
                 Mode.VERTEX, Mode.MOVE, Mode.ROTATE, Mode.SPLIT}


@dataclass(frozen=True)
class MapEvent:
    """A mouse or key event in map terms (no Qt).

    ``kind``: press, move, release, double, key or leave. ``x``/``y`` are canvas-CRS
    coordinates, ``px``/``py`` pixels. ``resolution`` is map units per pixel.
    """

    kind: str
    x: float = 0.0
    y: float = 0.0
    px: float = 0.0
    py: float = 0.0
    button: str | None = None  # left, right, middle
    buttons: frozenset = frozenset()
    modifiers: frozenset = frozenset()  # shift, ctrl, alt
    key: str | None = None  # Backspace, Enter, Escape, Delete
    resolution: float = 1.0

    @property
    def shift(self) -> bool:
        return "shift" in self.modifiers


@dataclass
class Measure:
    x: float
    y: float
    length_m: float | None = None
    area_m2: float | None = None
    angle_deg: float | None = None


@dataclass
class Overlay:
    """What a tool wants drawn over the map, in canvas CRS (painted by the canvas)."""

    geometries: list[tuple[Any, str, str]] = field(default_factory=list)  # (geom, family, style)
    lines: list[tuple[np.ndarray, str]] = field(default_factory=list)  # (n x 2 coords, style)
    polygons: list[tuple[np.ndarray, str]] = field(default_factory=list)
    markers: list[tuple[float, float, str]] = field(default_factory=list)  # (x, y, style)
    box: tuple[float, float, float, float] | None = None
    measure: Measure | None = None
    texts: list[tuple[float, float, str, str]] = field(default_factory=list)  # (x, y, text, style)


class ToolContext:
    """What tools may use. The UI fills in callbacks; tests use the defaults."""

    def __init__(self, project: Project, session: EditSession, crs: str,
                 apply: Callable[[Edit], Any] | None = None, active_layer_id: str | None = None,
                 snapping: bool = True, tolerance_px: float = DEFAULT_TOLERANCE_PX,
                 topological: bool = False) -> None:
        self.project = project
        self.session = session
        self.crs = crs
        self.apply = apply or session.apply
        self.active_layer_id = active_layer_id
        self.snapping = snapping
        self.tolerance_px = tolerance_px
        self.topological = topological
        self.geometries = CanvasGeometries()
        self.messages: list[tuple[str, dict]] = []
        self.on_message: Callable[[str, dict], None] | None = None
        self.on_select: Callable[[str, list[int], bool], None] | None = None
        self.on_preview: Callable[[dict], None] | None = None

    # --- layers ------------------------------------------------------------------------------
    def active_layer(self) -> VectorLayer | None:
        """The layer tools edit: the active layer, if it is in editing mode."""
        if self.active_layer_id is None:
            return None
        try:
            layer = self.project.layer(self.active_layer_id)
        except KeyError:
            return None
        return layer if self.session.is_editing(layer.id) else None

    def message(self, key: str, **params) -> None:
        self.messages.append((key, params))
        if self.on_message is not None:
            self.on_message(key, params)

    def select(self, layer_id: str, rows: list[int], add: bool = False) -> None:
        if self.on_select is not None:
            self.on_select(layer_id, rows, add)
        else:
            self.project.layer(layer_id).select(rows, add=add)

    def preview(self, geoms: dict) -> None:
        if self.on_preview is not None:
            self.on_preview(geoms)

    # --- coordinates ---------------------------------------------------------------------------
    def snap(self, event: MapEvent, exclude=frozenset(), exclude_features=frozenset()
             ) -> tuple[float, float, SnapResult | None]:
        if not self.snapping:
            return event.x, event.y, None
        snapper = Snapper(self.project, self.crs, self.tolerance_px, geometries=self.geometries)
        hit = snapper.snap(event.x, event.y, event.resolution, exclude, exclude_features)
        if hit is None:
            return event.x, event.y, None
        return hit.x, hit.y, hit

    def to_layer_xy(self, layer: VectorLayer, x: float, y: float,
                    snap: SnapResult | None = None) -> tuple[float, float]:
        if snap is not None and snap.source_xy is not None and snap.source_crs == layer.crs:
            return snap.source_xy
        return transform_point(x, y, self.crs, layer.crs)

    def to_layer(self, layer: VectorLayer, geom):
        return transform_geometries(np.array([geom], dtype=object), self.crs, layer.crs)[0]

    def to_canvas(self, layer: VectorLayer, geom):
        return transform_geometries(np.array([geom], dtype=object), layer.crs, self.crs)[0]

    def canvas_geometry(self, layer: VectorLayer, row: int):
        return self.geometries.get(layer, row, self.crs)


def geodesic_measure(coords: np.ndarray, crs: str, polygon: bool) -> tuple[float, float]:
    """(length or perimeter m, area m²) of canvas-CRS coordinates, geodesic."""
    if len(coords) < 2:
        return 0.0, 0.0
    if polygon and len(coords) >= 3:
        geom = shapely.Polygon(coords)
    else:
        geom = shapely.LineString(coords)
    lonlat = transform_geometries(np.array([geom], dtype=object), crs, STORAGE_CRS)[0]
    return geodesic_length_m(lonlat), geodesic_area_m2(lonlat) if polygon else 0.0


def _snap_marker(snap: SnapResult | None, overlay: Overlay) -> None:
    if snap is not None:
        overlay.markers.append((snap.x, snap.y, "snap_vertex" if snap.kind == "vertex" else "snap_segment"))


class Tool:
    mode = Mode.PAN
    cursor = "arrow"

    def __init__(self, ctx: ToolContext) -> None:
        self.ctx = ctx

    def handle(self, event: MapEvent) -> bool:
        """React to an event; True if the overlay changed (the canvas repaints)."""
        return False

    def overlay(self) -> Overlay:
        return Overlay()

    def cancel(self) -> None:
        """Drop any gesture in progress (tool switch, Esc)."""

    def _apply(self, edit: Edit) -> bool:
        self.ctx.apply(edit)
        return True

    def _need_layer(self) -> VectorLayer | None:
        layer = self.ctx.active_layer()
        if layer is None:
            self.ctx.message("no_edit_layer")
        return layer


# --- select ------------------------------------------------------------------------------------------
class SelectTool(Tool):
    """Click selects the feature under the cursor, shift-click adds, dragging a box selects inside."""

    mode = Mode.SELECT
    cursor = "pointing"

    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx)
        self._press: MapEvent | None = None
        self._box: tuple[float, float, float, float] | None = None

    def _layers(self) -> list[VectorLayer]:
        if self.ctx.active_layer_id:
            try:
                return [self.ctx.project.layer(self.ctx.active_layer_id)]
            except KeyError:
                pass
        return [layer for layer in self.ctx.project.layers if layer.visible and layer.group != "base"]

    def handle(self, event: MapEvent) -> bool:
        if event.kind == "press" and event.button == "left":
            self._press = event
            self._box = None
            return False
        if event.kind == "move" and self._press is not None and "left" in event.buttons:
            if math.hypot(event.px - self._press.px, event.py - self._press.py) > CLICK_SLOP_PX:
                self._box = (min(self._press.x, event.x), min(self._press.y, event.y),
                             max(self._press.x, event.x), max(self._press.y, event.y))
                return True
            return False
        if event.kind == "release" and event.button == "left" and self._press is not None:
            press, box = self._press, self._box
            self._press, self._box = None, None
            if box is not None:
                self._select_box(box, event.shift)
            else:
                self._select_click(press, event.shift)
            return True
        if event.kind == "key" and event.key == "Escape":
            self._press, self._box = None, None
            return True
        return False

    def _select_box(self, box, add: bool) -> None:
        probe = shapely.segmentize(shapely.box(*box), (box[2] - box[0]) / 16 or 1.0)
        for layer in self._layers():
            rows = rows_in_box(layer, self.ctx.crs, box)
            if len(rows):
                # Exact test in the layer's own CRS (no per-feature reprojection).
                local = transform_geometries(np.array([probe], dtype=object), self.ctx.crs, layer.crs)[0]
                geoms = np.asarray(layer.frame.geometry.array, dtype=object)[rows]
                rows = rows[shapely.intersects(geoms, local)]
            rows = rows.tolist()
            if rows or not add:
                self.ctx.select(layer.id, rows, add)

    def _select_click(self, event: MapEvent, add: bool) -> None:
        hits = features_at(self.ctx.project, self.ctx.crs, event.x, event.y,
                           HIT_TOLERANCE_PX * 0.6 * event.resolution)
        allowed = {layer.id for layer in self._layers()}
        hits = [hit for hit in hits if hit[0] in allowed]
        if not hits:
            if not add:
                for layer in self._layers():
                    self.ctx.select(layer.id, [], False)
            return
        layer_id, row = hits[0]
        layer = self.ctx.project.layer(layer_id)
        if add and row in layer.selection:
            self.ctx.select(layer_id, [r for r in layer.selection.tolist() if r != row], False)
        else:
            self.ctx.select(layer_id, [row], add)

    def overlay(self) -> Overlay:
        return Overlay(box=self._box)

    def cancel(self) -> None:
        self._press, self._box = None, None


# --- drawing: add feature, ring, part, split line ----------------------------------------------------
class DrawTool(Tool):
    """Click vertices; Backspace removes the last, double-click/Enter/right-click finishes, Esc cancels."""

    cursor = "cross"

    def __init__(self, ctx: ToolContext, mode: Mode, family: str) -> None:
        super().__init__(ctx)
        self.mode = mode
        self.family = family  # what is drawn: point, line or polygon
        self.points: list[tuple[float, float]] = []
        self.snaps: list[SnapResult | None] = []
        self.cursor_xy: tuple[float, float] | None = None
        self.cursor_snap: SnapResult | None = None
        self._press: MapEvent | None = None

    @property
    def minimum(self) -> int:
        return {"point": 1, "line": 2, "polygon": 3}[self.family]

    def handle(self, event: MapEvent) -> bool:
        if event.kind == "move":
            x, y, snap = self.ctx.snap(event)
            self.cursor_xy, self.cursor_snap = (x, y), snap
            return True
        if event.kind == "leave":
            self.cursor_xy = self.cursor_snap = None
            return True
        if event.kind == "press" and event.button in ("left", "right"):
            self._press = event
            return False
        if event.kind == "release" and self._press is not None:
            press, self._press = self._press, None
            if math.hypot(event.px - press.px, event.py - press.py) > CLICK_SLOP_PX:
                return False
            if event.button == "right":
                if self.points:
                    self.finish()
                return True
            if event.button == "left":
                self._add(event)
                if self.family == "point":
                    self.finish()
                return True
            return False
        if event.kind == "double" and event.button == "left":
            x, y, _snap = self.ctx.snap(event)
            if not self.points or math.hypot(*(np.subtract(self.points[-1], (x, y)))) > \
                    CLICK_SLOP_PX * event.resolution:
                self._add(event)
            self.finish()
            return True
        if event.kind == "key":
            if event.key == "Backspace":
                if self.points:
                    self.points.pop()
                    self.snaps.pop()
                return True
            if event.key in ("Enter", "Return"):
                self.finish()
                return True
            if event.key == "Escape":
                self.cancel()
                return True
        return False

    def _add(self, event: MapEvent) -> None:
        x, y, snap = self.ctx.snap(event)
        self.points.append((x, y))
        self.snaps.append(snap)
        self.cursor_xy, self.cursor_snap = (x, y), snap

    def cancel(self) -> None:
        self.points, self.snaps = [], []
        self._press = None

    def layer_coords(self, layer: VectorLayer) -> np.ndarray:
        """The drawn vertices in the layer's CRS (exact where snapped to a vertex)."""
        return np.array([self.ctx.to_layer_xy(layer, x, y, snap)
                         for (x, y), snap in zip(self.points, self.snaps, strict=True)], dtype=float)

    def finish(self) -> bool:
        if not self.points:
            return False
        layer = self._need_layer()
        if layer is None:
            self.cancel()
            return False
        if len(self.points) < self.minimum:
            self.ctx.message("too_few_vertices", minimum=self.minimum)
            return False
        coords = self.layer_coords(layer)
        try:
            edit = self.build(layer, coords)
        except (EditError, GeometryEditError) as exc:
            self.ctx.message(exc.key, **getattr(exc, "params", {}))
            self.cancel()
            return False
        self.cancel()
        if edit is not None:
            self._apply(edit)
        return True

    def geometry(self, coords: np.ndarray):
        if self.family == "point":
            return shapely.Point(coords[0])
        if self.family == "line":
            return shapely.LineString(coords)
        return shapely.Polygon(coords)

    def build(self, layer: VectorLayer, coords: np.ndarray) -> Edit | None:
        if layer.geometry_family != self.family and len(layer):
            raise EditError("wrong_family", "the layer holds another geometry type",
                            family=layer.geometry_family)
        return add_feature(layer, self.geometry(coords))

    def overlay(self) -> Overlay:
        overlay = Overlay()
        pts = list(self.points)
        if self.cursor_xy is not None and self.family != "point":
            pts.append(self.cursor_xy)
        if len(pts) >= 2:
            coords = np.array(pts)
            if self.family == "polygon" and len(pts) >= 3:
                overlay.polygons.append((coords, "rubber"))
            else:
                overlay.lines.append((coords, "rubber"))
            length, area = geodesic_measure(coords, self.ctx.crs, self.family == "polygon")
            last = pts[-1]
            overlay.measure = Measure(last[0], last[1], length_m=length,
                                      area_m2=area if self.family == "polygon" and len(pts) >= 3 else None)
        for x, y in self.points:
            overlay.markers.append((x, y, "new_vertex"))
        _snap_marker(self.cursor_snap, overlay)
        return overlay


class AddRingTool(DrawTool):
    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx, Mode.ADD_RING, "polygon")

    def build(self, layer, coords):
        return add_ring(layer, coords, preferred_rows=layer.selection.tolist())


class AddPartTool(DrawTool):
    def __init__(self, ctx: ToolContext) -> None:
        layer = ctx.active_layer()
        super().__init__(ctx, Mode.ADD_PART, layer.geometry_family if layer else "polygon")

    def build(self, layer, coords):
        if len(layer.selection) != 1:
            raise EditError("select_one", "select exactly one feature to add a part to")
        return add_part(layer, int(layer.selection[0]), self.geometry(coords))


class SplitTool(DrawTool):
    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx, Mode.SPLIT, "line")
        self._extend_px = 2.0
        self._resolution = 1.0

    def handle(self, event: MapEvent) -> bool:
        self._resolution = event.resolution or self._resolution
        return super().handle(event)

    def build(self, layer, coords):
        line = shapely.LineString(coords)
        # Lengthen the cut by a couple of pixels (in layer units) so a line that ends
        # exactly on a boundary, as it does when snapped, still cuts through it.
        cx, cy = self.points[0]
        ax, ay = transform_point(cx, cy, self.ctx.crs, layer.crs)
        bx, by = transform_point(cx + self._extend_px * self._resolution, cy, self.ctx.crs, layer.crs)
        extend = math.hypot(bx - ax, by - ay)
        rows = layer.selection.tolist() or None
        return split_features(layer, line, rows=rows, extend=extend)


# --- vertex tool -----------------------------------------------------------------------------------
VertexKey = tuple[str, int, int]  # layer id, row, flat vertex index


@dataclass
class _Drag:
    anchor: VertexKey
    start: tuple[float, float]  # canvas position of the anchor vertex
    press_px: tuple[float, float]
    moving: list[VertexKey]  # chosen vertices (anchor first)
    partners: list[VertexKey]  # shared vertices moved with them (topological editing)
    active: bool = False
    target: tuple[float, float] | None = None
    snap: SnapResult | None = None
    preview: dict = field(default_factory=dict)  # (layer id, row) -> geometry in layer CRS


class VertexTool(Tool):
    """Drag vertices, double-click a segment to insert one, select vertices and delete them.

    Works on the features of the active editing layer. With topological editing on,
    vertices of other features (in layers being edited) at the same position move,
    get inserted and get deleted along with the chosen ones, so shared boundaries
    stay shared.
    """

    mode = Mode.VERTEX
    cursor = "cross"

    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx)
        self.selected: set[VertexKey] = set()
        self.hover: tuple | None = None  # ("vertex", key) | ("segment", (layer, row, start), (x, y))
        self.focus: tuple[str, int] | None = None  # feature whose vertices are shown
        self.drag: _Drag | None = None
        self._press: MapEvent | None = None
        self._box: tuple[float, float, float, float] | None = None

    # --- hit testing -------------------------------------------------------------------------
    def _hit(self, event: MapEvent) -> tuple | None:
        layer = self.ctx.active_layer()
        if layer is None:
            return None
        radius = HIT_TOLERANCE_PX * event.resolution
        best_v: tuple[float, VertexKey] | None = None
        best_s: tuple[float, tuple, tuple[float, float]] | None = None
        rows = candidate_rows(layer, self.ctx.crs, event.x, event.y, radius).tolist()
        if self.focus is not None and self.focus[0] == layer.id and self.focus[1] in rows:
            rows.remove(self.focus[1])
            rows.insert(0, self.focus[1])  # the feature being worked on wins ties
        for row in rows:
            geom = self.ctx.canvas_geometry(layer, row)
            index, distance = nearest_vertex(geom, event.x, event.y)
            if index >= 0 and distance <= radius and (best_v is None or distance < best_v[0] - 1e-12):
                best_v = (distance, (layer.id, row, index))
            start, point, distance = nearest_segment(geom, event.x, event.y)
            if start >= 0 and distance <= radius and (best_s is None or distance < best_s[0] - 1e-12):
                best_s = (distance, (layer.id, row, start), point)
        if best_v is not None:
            return ("vertex", best_v[1])
        if best_s is not None:
            return ("segment", best_s[1], best_s[2])
        return None

    def _partners(self, keys: list[VertexKey]) -> list[VertexKey]:
        """Vertices of other features (editing layers, same CRS) at the same coordinates."""
        if not self.ctx.topological:
            return []
        found: list[VertexKey] = []
        chosen = set(keys)
        for layer_id, row, index in keys:
            layer = self.ctx.project.layer(layer_id)
            x, y = vertex_xy(layer.frame.geometry.array[row], index)
            cx, cy = vertex_xy(self.ctx.canvas_geometry(layer, row), index)
            for other in self._editing_layers():
                if other.crs != layer.crs:
                    continue
                tol = _coincidence_tolerance(other)
                for orow in candidate_rows(other, self.ctx.crs, cx, cy, 1e-6 + abs(cx) * 1e-9).tolist():
                    for oindex in vertices_at(other.frame.geometry.array[orow], x, y, tol):
                        key = (other.id, orow, oindex)
                        if key not in chosen and key not in found:
                            found.append(key)
        return found

    def _editing_layers(self) -> list[VectorLayer]:
        return [self.ctx.project.layer(i) for i in self.ctx.session.editing_layers()]

    # --- events -------------------------------------------------------------------------------
    def handle(self, event: MapEvent) -> bool:
        if event.kind == "move":
            return self._on_move(event)
        if event.kind == "press" and event.button == "left":
            return self._on_press(event)
        if event.kind == "release" and event.button == "left":
            return self._on_release(event)
        if event.kind == "double" and event.button == "left":
            return self._on_double(event)
        if event.kind == "key":
            if event.key == "Delete" or event.key == "Backspace":
                self.delete_selected()
                return True
            if event.key == "Escape":
                if self.drag is not None:
                    self._end_drag()
                else:
                    self.selected.clear()
                return True
        if event.kind == "leave":
            self.hover = None
            return True
        return False

    def _on_move(self, event: MapEvent) -> bool:
        if self._press is not None and "left" in event.buttons:
            moved = math.hypot(event.px - self._press.px, event.py - self._press.py) > CLICK_SLOP_PX
            if self.drag is not None:
                if moved or self.drag.active:
                    self.drag.active = True
                    self._update_drag(event)
                    return True
                return False
            if moved:
                self._box = (min(self._press.x, event.x), min(self._press.y, event.y),
                             max(self._press.x, event.x), max(self._press.y, event.y))
                return True
            return False
        self.hover = self._hit(event)
        if self.hover is not None:
            self.focus = self.hover[1][:2]
        return True

    def _on_press(self, event: MapEvent) -> bool:
        if self._need_layer() is None:
            return False
        self._press = event
        self._box = None
        hit = self._hit(event)
        self.hover = hit
        if hit is not None and hit[0] == "vertex":
            key = hit[1]
            self.focus = key[:2]
            moving = [key] + sorted(k for k in self.selected if k != key) if key in self.selected else [key]
            layer = self.ctx.project.layer(key[0])
            start = vertex_xy(self.ctx.canvas_geometry(layer, key[1]), key[2])
            self.drag = _Drag(key, start, (event.px, event.py), moving, self._partners(moving))
        return True

    def _on_release(self, event: MapEvent) -> bool:
        press, self._press = self._press, None
        if self.drag is not None:
            drag = self.drag
            if drag.active:
                self._update_drag(event)
                self._commit_drag(drag)
                self._end_drag()
                return True
            self._end_drag()
            self._click_vertex(drag.anchor, event.shift)
            return True
        if self._box is not None:
            box, self._box = self._box, None
            self._select_box(box, event.shift)
            return True
        if press is not None and not event.shift:
            hit = self._hit(event)
            if hit is None:
                self.selected.clear()
                self.focus = None
            elif hit[0] == "segment":
                self.focus = hit[1][:2]
        return True

    def _on_double(self, event: MapEvent) -> bool:
        hit = self._hit(event)
        if hit is None or hit[0] != "segment":
            return False
        (layer_id, row, start), point = hit[1], hit[2]
        self.insert_vertex(layer_id, row, start, point)
        return True

    # --- selection of vertices -------------------------------------------------------------------
    def _click_vertex(self, key: VertexKey, add: bool) -> None:
        if add:
            self.selected ^= {key}
        else:
            self.selected = {key}
        self.focus = key[:2]

    def _select_box(self, box, add: bool) -> None:
        layer = self.ctx.active_layer()
        if layer is None:
            return
        if not add:
            self.selected.clear()
        for row in rows_in_box(layer, self.ctx.crs, box).tolist():
            geom = self.ctx.canvas_geometry(layer, row)
            coords = shapely.get_coordinates(geom)
            for index in unique_vertex_indices(geom).tolist():
                x, y = coords[index]
                if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                    self.selected.add((layer.id, row, index))
        if self.selected:
            self.focus = next(iter(sorted(self.selected)))[:2]

    # --- dragging --------------------------------------------------------------------------------
    def _update_drag(self, event: MapEvent) -> None:
        drag = self.drag
        exclude = frozenset(drag.moving) | frozenset(drag.partners)
        # Closing coordinates are aliases: exclude them too.
        x, y, snap = self.ctx.snap(event, exclude=self._with_aliases(exclude))
        drag.target, drag.snap = (x, y), snap
        drag.preview = self._moved_geometries(drag)
        self.ctx.preview(drag.preview)

    def _with_aliases(self, keys) -> frozenset:
        out = set(keys)
        for layer_id, row, index in keys:
            geom = self.ctx.project.layer(layer_id).frame.geometry.array[row]
            for comp in components(geom):
                if comp.closed and index == comp.start:
                    out.add((layer_id, row, comp.stop - 1))
        return frozenset(out)

    def _moved_geometries(self, drag: _Drag) -> dict:
        """New geometries (layer CRS) of every feature touched by the drag."""
        dx = drag.target[0] - drag.start[0]
        dy = drag.target[1] - drag.start[1]
        moves: dict[tuple[str, int], dict[int, tuple[float, float]]] = {}
        new_xy: dict[VertexKey, tuple[float, float]] = {}
        for key in drag.moving:
            layer_id, row, index = key
            layer = self.ctx.project.layer(layer_id)
            if key == drag.anchor:
                xy = self.ctx.to_layer_xy(layer, drag.target[0], drag.target[1], drag.snap)
            else:
                cx, cy = vertex_xy(self.ctx.canvas_geometry(layer, row), index)
                xy = transform_point(cx + dx, cy + dy, self.ctx.crs, layer.crs)
            new_xy[key] = xy
            moves.setdefault((layer_id, row), {})[index] = xy
        for key in drag.partners:
            layer_id, row, index = key
            layer = self.ctx.project.layer(layer_id)
            source = self._source_of(key, drag)
            moves.setdefault((layer_id, row), {})[index] = new_xy[source]
        out = {}
        for (layer_id, row), vertex_moves in moves.items():
            geom = self.ctx.project.layer(layer_id).frame.geometry.array[row]
            out[(layer_id, row)] = move_vertices(geom, vertex_moves)
        return out

    def _source_of(self, partner: VertexKey, drag: _Drag) -> VertexKey:
        """The chosen vertex a partner shares its position with."""
        layer = self.ctx.project.layer(partner[0])
        px, py = vertex_xy(layer.frame.geometry.array[partner[1]], partner[2])
        best, best_d = drag.moving[0], float("inf")
        for key in drag.moving:
            x, y = vertex_xy(self.ctx.project.layer(key[0]).frame.geometry.array[key[1]], key[2])
            d = math.hypot(x - px, y - py)
            if d < best_d:
                best, best_d = key, d
        return best

    def _commit_drag(self, drag: _Drag) -> None:
        if not drag.preview or drag.target is None:
            return
        n = len(drag.moving)
        kind = plural_kind("move_vertex", "move_vertices", n)
        edit = _geometries_edit(self.ctx.project, drag.preview, kind, {"n": n})
        if edit is not None:
            self._apply(edit)
        # Keep the moved vertices selected (indices do not change when moving).
        if len(drag.moving) > 1:
            self.selected = set(drag.moving)

    def _end_drag(self) -> None:
        self.drag = None
        self.ctx.preview({})

    # --- insert / delete ---------------------------------------------------------------------------
    def insert_vertex(self, layer_id: str, row: int, start: int, point: tuple[float, float]) -> bool:
        layer = self.ctx.project.layer(layer_id)
        geom = layer.frame.geometry.array[row]
        xy = transform_point(point[0], point[1], self.ctx.crs, layer.crs)
        try:
            new = {(layer_id, row): insert_vertex(geom, start, xy)}
        except GeometryEditError as exc:
            self.ctx.message(exc.key)
            return False
        if self.ctx.topological:
            a = vertex_xy(geom, start)
            b = vertex_xy(geom, start + 1)
            for other in self._editing_layers():
                if other.crs != layer.crs:
                    continue
                cx, cy = point
                for orow in candidate_rows(other, self.ctx.crs, cx, cy, 1e-6 + abs(cx) * 1e-9).tolist():
                    if (other.id, orow) in new:
                        continue
                    ogeom = other.frame.geometry.array[orow]
                    starts = segments_between(ogeom, a, b, _coincidence_tolerance(other))
                    for ostart in sorted(starts, reverse=True):
                        ogeom = insert_vertex(ogeom, ostart, xy)
                    if starts:
                        new[(other.id, orow)] = ogeom
        edit = _geometries_edit(self.ctx.project, new, "insert_vertex", {})
        self.selected.clear()
        self.focus = (layer_id, row)
        return self._apply(edit)

    def delete_selected(self) -> bool:
        if not self.selected:
            self.ctx.message("no_vertex_selected")
            return False
        keys = sorted(self.selected)
        keys += self._partners(keys)
        by_feature: dict[tuple[str, int], list[int]] = {}
        for layer_id, row, index in keys:
            by_feature.setdefault((layer_id, row), []).append(index)
        new = {}
        try:
            for (layer_id, row), indices in by_feature.items():
                geom = self.ctx.project.layer(layer_id).frame.geometry.array[row]
                new[(layer_id, row)], _removed = delete_vertices(geom, indices)
        except GeometryEditError as exc:
            self.ctx.message(exc.key)
            return False
        n = len(self.selected)
        edit = _geometries_edit(self.ctx.project, new, plural_kind("delete_vertex", "delete_vertices", n),
                                {"n": n})
        self.selected.clear()
        return self._apply(edit)

    # --- drawing -----------------------------------------------------------------------------------
    def overlay(self) -> Overlay:
        overlay = Overlay()
        layer = self.ctx.active_layer()
        if layer is None:
            return overlay
        shown: list[tuple[str, int]] = []
        if self.focus is not None and self.focus[0] == layer.id and self.focus[1] < len(layer):
            shown.append(self.focus)
        for row in layer.selection.tolist()[:50]:
            if (layer.id, row) not in shown:
                shown.append((layer.id, row))
        for key in sorted(self.selected):
            if key[:2] not in shown and key[1] < len(self.ctx.project.layer(key[0])):
                shown.append(key[:2])
        preview = self.drag.preview if self.drag is not None and self.drag.active else {}
        count = 0
        for layer_id, row in shown:
            feature_layer = self.ctx.project.layer(layer_id)
            if (layer_id, row) in preview:
                continue
            geom = self.ctx.canvas_geometry(feature_layer, row)
            coords = shapely.get_coordinates(geom)
            for index in unique_vertex_indices(geom).tolist():
                if count >= MAX_VERTEX_MARKERS:
                    break
                style = "vertex_selected" if (layer_id, row, index) in self.selected else "vertex"
                overlay.markers.append((float(coords[index, 0]), float(coords[index, 1]), style))
                count += 1
        for (layer_id, _row), geom in preview.items():
            feature_layer = self.ctx.project.layer(layer_id)
            canvas = self.ctx.to_canvas(feature_layer, geom)
            overlay.geometries.append((canvas, feature_layer.geometry_family, "preview"))
            coords = shapely.get_coordinates(canvas)
            for index in unique_vertex_indices(canvas).tolist():
                overlay.markers.append((float(coords[index, 0]), float(coords[index, 1]), "vertex"))
        if self.drag is not None and self.drag.active and self.drag.target is not None:
            overlay.markers.append((*self.drag.target, "vertex_selected"))
            _snap_marker(self.drag.snap, overlay)
        elif self.hover is not None:
            if self.hover[0] == "vertex":
                layer_id, row, index = self.hover[1]
                hover_layer = self.ctx.project.layer(layer_id)
                if row < len(hover_layer):
                    x, y = vertex_xy(self.ctx.canvas_geometry(hover_layer, row), index)
                    overlay.markers.append((x, y, "vertex_hover"))
            else:
                overlay.markers.append((*self.hover[2], "segment_hover"))
        overlay.box = self._box
        return overlay

    def cancel(self) -> None:
        if self.drag is not None:
            self._end_drag()
        self._press = None
        self._box = None

    def forget_stale(self) -> None:
        """Drop vertex references that no longer exist (after an edit or undo)."""
        keep = set()
        for key in self.selected:
            layer_id, row, index = key
            try:
                layer = self.ctx.project.layer(layer_id)
            except KeyError:
                continue
            if row < len(layer) and index < shapely.get_num_coordinates(layer.frame.geometry.array[row]):
                keep.add((layer_id, row, canonical_index(components(layer.frame.geometry.array[row]), index)))
        self.selected = keep
        if self.focus is not None:
            try:
                if self.focus[1] >= len(self.ctx.project.layer(self.focus[0])):
                    self.focus = None
            except KeyError:
                self.focus = None
        self.hover = None


def _coincidence_tolerance(layer: VectorLayer) -> float:
    """How close two vertices must be to count as shared: ~1 mm in the layer's units."""
    from pyproj import CRS

    return 1e-8 if CRS.from_user_input(layer.crs).is_geographic else 1e-3


def _geometries_edit(project: Project, new: dict, kind: str, params: dict) -> Edit | None:
    """One edit setting new geometries by (layer id, row); compound across layers."""
    by_layer: dict[str, tuple[list[int], list]] = {}
    for (layer_id, row), geom in new.items():
        rows, geoms = by_layer.setdefault(layer_id, ([], []))
        rows.append(row)
        geoms.append(geom)
    edits = [SetGeometries(layer_id, rows, geoms, project=project, kind=kind, params=dict(params))
             for layer_id, (rows, geoms) in by_layer.items()]
    if not edits:
        return None
    if len(edits) == 1:
        return edits[0]
    return CompoundEdit(edits, kind=kind, params=dict(params))


# --- move and rotate features ------------------------------------------------------------------------
class _FeatureDragTool(Tool):
    """Press on a feature (or anywhere, with a selection) and drag; release applies."""

    cursor = "size_all"

    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx)
        self._press: MapEvent | None = None
        self._start: tuple[float, float] | None = None
        self.rows: list[int] = []
        self.layer: VectorLayer | None = None
        self.preview: dict = {}
        self.active = False
        self.snap: SnapResult | None = None
        self.shift = False

    def handle(self, event: MapEvent) -> bool:
        if event.kind == "press" and event.button == "left":
            layer = self._need_layer()
            if layer is None:
                return False
            rows = layer.selection.tolist()
            if not rows:
                hits = [h for h in features_at(self.ctx.project, self.ctx.crs, event.x, event.y,
                                               HIT_TOLERANCE_PX * 0.6 * event.resolution)
                        if h[0] == layer.id]
                if not hits:
                    self.ctx.message("nothing_selected")
                    return False
                rows = [hits[0][1]]
                self.ctx.select(layer.id, rows, False)
            self.layer, self.rows, self._press = layer, rows, event
            exclude = frozenset((layer.id, r) for r in rows)
            x, y, _snap = self.ctx.snap(event, exclude_features=exclude)
            self._start = (x, y)
            self.active = False
            return False
        if event.kind == "move" and self._press is not None and "left" in event.buttons:
            if not self.active and math.hypot(event.px - self._press.px,
                                              event.py - self._press.py) <= CLICK_SLOP_PX:
                return False
            self.active = True
            self.shift = event.shift
            self._update(event)
            return True
        if event.kind == "release" and event.button == "left" and self._press is not None:
            if self.active:
                self.shift = event.shift
                self._update(event)
                edit = self._edit()
                if edit is not None:
                    self._apply(edit)
            self._reset()
            return True
        if event.kind == "key" and event.key == "Escape":
            self._reset()
            return True
        return False

    def _update(self, event: MapEvent) -> None:
        exclude = frozenset((self.layer.id, r) for r in self.rows)
        x, y, self.snap = self.ctx.snap(event, exclude_features=exclude)
        self.preview = {}
        for row in self.rows:
            canvas = self.ctx.canvas_geometry(self.layer, row)
            self.preview[(self.layer.id, row)] = self.transform(canvas, (x, y))
        self.ctx.preview({key: self.ctx.to_layer(self.layer, g) for key, g in self.preview.items()})

    def transform(self, canvas_geom, target):
        raise NotImplementedError

    def _edit(self) -> Edit | None:
        if not self.preview:
            return None
        new = {key: self.ctx.to_layer(self.layer, g) for key, g in self.preview.items()}
        return _geometries_edit(self.ctx.project, new, *self.label())

    def label(self) -> tuple[str, dict]:
        raise NotImplementedError

    def _reset(self) -> None:
        self._press = None
        self.active = False
        self.preview = {}
        self.snap = None
        self.ctx.preview({})

    def cancel(self) -> None:
        self._reset()

    def overlay(self) -> Overlay:
        overlay = Overlay()
        if self.active and self.layer is not None:
            for geom in self.preview.values():
                overlay.geometries.append((geom, self.layer.geometry_family, "preview"))
            _snap_marker(self.snap, overlay)
        return overlay


class MoveTool(_FeatureDragTool):
    mode = Mode.MOVE

    def transform(self, canvas_geom, target):
        return translate(canvas_geom, target[0] - self._start[0], target[1] - self._start[1])

    def label(self):
        n = len(self.rows)
        return plural_kind("move_feature", "move_features", n), {"n": n}


class RotateTool(_FeatureDragTool):
    """Rotate about the centre of the selection's bounding box; Shift rounds to 15°."""

    mode = Mode.ROTATE
    cursor = "cross"

    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx)
        self.angle = 0.0
        self.centre: tuple[float, float] | None = None

    def transform(self, canvas_geom, target):
        if self.centre is None:
            geoms = np.array([self.ctx.canvas_geometry(self.layer, r) for r in self.rows], dtype=object)
            x0, y0, x1, y1 = shapely.total_bounds(geoms)
            self.centre = ((x0 + x1) / 2, (y0 + y1) / 2)
        cx, cy = self.centre
        a0 = math.atan2(self._start[1] - cy, self._start[0] - cx)
        a1 = math.atan2(target[1] - cy, target[0] - cx)
        angle = math.degrees(a1 - a0)
        angle = (angle + 180.0) % 360.0 - 180.0
        if self.shift:
            angle = round(angle / 15.0) * 15.0
        self.angle = angle
        return rotate(canvas_geom, angle, self.centre)

    def handle(self, event: MapEvent) -> bool:
        if event.kind == "press":
            self.centre = None
        return super().handle(event)

    def label(self):
        n = len(self.rows)
        return (plural_kind("rotate_feature", "rotate_features", n),
                {"n": n, "angle": f"{self.angle:.1f}"})

    def overlay(self) -> Overlay:
        overlay = super().overlay()
        if self.active and self.centre is not None:
            overlay.markers.append((*self.centre, "centre"))
            overlay.measure = Measure(self.centre[0], self.centre[1], angle_deg=self.angle)
        return overlay


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
    raise ValueError(mode)
