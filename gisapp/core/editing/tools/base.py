"""What every map tool shares: the mode enum, events, overlays, the tool context and the Tool base."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gisapp.core.editing.edits import CompoundEdit, Edit, SetGeometries
from gisapp.core.editing.session import EditSession
from gisapp.core.editing.snapping import (
    DEFAULT_TOLERANCE_PX,
    CanvasGeometries,
    Snapper,
    SnapResult,
)
from gisapp.core.geo.geodesy import (
    STORAGE_CRS,
    geodesic_area_m2,
    geodesic_length_m,
    transform_geometries,
    transform_point,
)
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project

# (layer id, row) -> geometry, e.g. the unsaved geometries a drag shows
FeatureGeometries = dict[tuple[str, int], BaseGeometry]

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
    MEASURE_DISTANCE = "measure_distance"
    MEASURE_AREA = "measure_area"
    MEASURE_ANGLE = "measure_angle"
    CAPTURE_POINT = "capture_point"


MEASURE_MODES = {Mode.MEASURE_DISTANCE, Mode.MEASURE_AREA, Mode.MEASURE_ANGLE}
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
    buttons: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()  # shift, ctrl, alt
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
        self.messages: list[tuple[str, dict[str, Any]]] = []
        self.on_message: Callable[[str, dict[str, Any]], None] | None = None
        self.on_select: Callable[[str, list[int], bool], None] | None = None
        self.on_preview: Callable[[FeatureGeometries], None] | None = None

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

    def message(self, key: str, **params: Any) -> None:
        self.messages.append((key, params))
        if self.on_message is not None:
            self.on_message(key, params)

    def select(self, layer_id: str, rows: list[int], add: bool = False) -> None:
        if self.on_select is not None:
            self.on_select(layer_id, rows, add)
        else:
            self.project.layer(layer_id).select(rows, add=add)

    def preview(self, geoms: FeatureGeometries) -> None:
        if self.on_preview is not None:
            self.on_preview(geoms)

    # --- coordinates ---------------------------------------------------------------------------
    def snap(self, event: MapEvent, exclude: AbstractSet[tuple[str, int, int]] = frozenset(),
             exclude_features: AbstractSet[tuple[str, int]] = frozenset()
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

    def to_layer(self, layer: VectorLayer, geom: BaseGeometry) -> BaseGeometry:
        return transform_geometries(np.array([geom], dtype=object), self.crs, layer.crs)[0]

    def to_canvas(self, layer: VectorLayer, geom: BaseGeometry) -> BaseGeometry:
        return transform_geometries(np.array([geom], dtype=object), layer.crs, self.crs)[0]

    def canvas_geometry(self, layer: VectorLayer, row: int) -> BaseGeometry | None:
        return self.geometries.get(layer, row, self.crs)


def geodesic_measure(coords: np.ndarray, crs: str, polygon: bool) -> tuple[float, float]:
    """(length or perimeter m, area m²) of canvas-CRS coordinates, geodesic."""
    if len(coords) < 2:
        return 0.0, 0.0
    geom: BaseGeometry
    if polygon and len(coords) >= 3:
        geom = shapely.Polygon(coords)
    else:
        geom = shapely.LineString(coords)
    lonlat = transform_geometries(np.array([geom], dtype=object), crs, STORAGE_CRS)[0]
    return geodesic_length_m(lonlat), geodesic_area_m2(lonlat) if polygon else 0.0


def snap_marker(snap: SnapResult | None, overlay: Overlay) -> None:
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

    def _apply(self, edit: Edit | None) -> bool:
        """Apply ``edit``; False when there is nothing to apply (see geometries_edit)."""
        if edit is None:
            return False
        self.ctx.apply(edit)
        return True

    def _need_layer(self) -> VectorLayer | None:
        layer = self.ctx.active_layer()
        if layer is None:
            self.ctx.message("no_edit_layer")
        return layer


def coincidence_tolerance(layer: VectorLayer) -> float:
    """How close two vertices must be to count as shared: ~1 mm in the layer's units."""
    from pyproj import CRS

    return 1e-8 if CRS.from_user_input(layer.crs).is_geographic else 1e-3


def geometries_edit(project: Project, new: FeatureGeometries, kind: str, params: dict[str, Any]) -> Edit | None:
    """One edit setting new geometries by (layer id, row); compound across layers."""
    by_layer: dict[str, tuple[list[int], list[BaseGeometry]]] = {}
    for (layer_id, row), geom in new.items():
        rows, geoms = by_layer.setdefault(layer_id, ([], []))
        rows.append(row)
        geoms.append(geom)
    edits: list[Edit] = [SetGeometries(layer_id, rows, geoms, project=project, kind=kind, params=dict(params))
             for layer_id, (rows, geoms) in by_layer.items()]
    if not edits:
        return None
    if len(edits) == 1:
        return edits[0]
    return CompoundEdit(edits, kind=kind, params=dict(params))
