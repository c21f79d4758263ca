"""The vertex tool: drag, insert and delete vertices, topologically when asked."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import shapely
from shapely.geometry.base import BaseGeometry

from gisapp.core.editing.edits import plural_kind
from gisapp.core.editing.snapping import (
    SnapResult,
    candidate_rows,
    rows_in_box,
)
from gisapp.core.editing.tools.base import (
    CLICK_SLOP_PX,
    HIT_TOLERANCE_PX,
    MAX_VERTEX_MARKERS,
    FeatureGeometries,
    MapEvent,
    Mode,
    Overlay,
    Tool,
    ToolContext,
    coincidence_tolerance,
    geometries_edit,
    snap_marker,
)
from gisapp.core.geo.geodesy import transform_point
from gisapp.core.geo.geometry_ops import (
    GeometryEditError,
    canonical_index,
    components,
    delete_vertices,
    insert_vertex,
    move_vertices,
    nearest_segment,
    nearest_vertex,
    segments_between,
    unique_vertex_indices,
    vertex_xy,
    vertices_at,
)
from gisapp.core.model.layer import VectorLayer

VertexKey = tuple[str, int, int]  # layer id, row, flat vertex index
# What the cursor is over: a vertex, or a segment (its start vertex) and the nearest point on it.
Hit = tuple[Literal["vertex"], VertexKey] | tuple[Literal["segment"], VertexKey, tuple[float, float]]


def _snap_inputs(event: MapEvent) -> tuple[Any, ...]:
    """What snapping a dragged vertex depends on in an event (a release where the last move
    was needs no second snap: 10 ms in a million-parcel layer)."""
    return event.x, event.y, event.modifiers, event.resolution


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
    preview: FeatureGeometries = field(default_factory=dict)  # in the layers' CRS
    at: tuple[Any, ...] | None = None  # where and how the preview was made (see _update_drag)


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
        self.hover: Hit | None = None
        self.focus: tuple[str, int] | None = None  # feature whose vertices are shown
        self.drag: _Drag | None = None
        self._press: MapEvent | None = None
        self._box: tuple[float, float, float, float] | None = None

    # --- hit testing -------------------------------------------------------------------------
    def _hit(self, event: MapEvent) -> Hit | None:
        layer = self.ctx.active_layer()
        if layer is None:
            return None
        radius = HIT_TOLERANCE_PX * event.resolution
        best_v: tuple[float, VertexKey] | None = None
        best_s: tuple[float, VertexKey, tuple[float, float]] | None = None
        rows = candidate_rows(layer, self.ctx.crs, event.x, event.y, radius).tolist()
        if self.focus is not None and self.focus[0] == layer.id and self.focus[1] in rows:
            rows.remove(self.focus[1])
            rows.insert(0, self.focus[1])  # the feature being worked on wins ties
        for row in rows:
            geom = self.ctx.canvas_geometry(layer, row)
            if geom is None:
                continue
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
            x, y = vertex_xy(layer.geometry_array[row], index)
            cx, cy = vertex_xy(self._canvas_geometry(layer, row), index)
            for other in self._editing_layers():
                if other.crs != layer.crs:
                    continue
                tol = coincidence_tolerance(other)
                for orow in candidate_rows(other, self.ctx.crs, cx, cy, 1e-6 + abs(cx) * 1e-9).tolist():
                    for oindex in vertices_at(other.geometry_array[orow], x, y, tol):
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
                    self._update_drag(self.drag, event)
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
            start = vertex_xy(self._canvas_geometry(layer, key[1]), key[2])
            self.drag = _Drag(key, start, (event.px, event.py), moving, self._partners(moving))
        return True

    def _on_release(self, event: MapEvent) -> bool:
        press, self._press = self._press, None
        if self.drag is not None:
            drag = self.drag
            if drag.active:
                if drag.at != _snap_inputs(event):  # released elsewhere than the last move
                    self._update_drag(drag, event)
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

    def _select_box(self, box: tuple[float, float, float, float], add: bool) -> None:
        layer = self.ctx.active_layer()
        if layer is None:
            return
        if not add:
            self.selected.clear()
        for row in rows_in_box(layer, self.ctx.crs, box).tolist():
            geom = self._canvas_geometry(layer, row)
            coords = shapely.get_coordinates(geom)
            for index in unique_vertex_indices(geom).tolist():
                x, y = coords[index]
                if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                    self.selected.add((layer.id, row, index))
        if self.selected:
            self.focus = next(iter(sorted(self.selected)))[:2]

    # --- dragging --------------------------------------------------------------------------------
    def _update_drag(self, drag: _Drag, event: MapEvent) -> None:
        exclude = frozenset(drag.moving) | frozenset(drag.partners)
        # Closing coordinates are aliases: exclude them too.
        x, y, snap = self.ctx.snap(event, exclude=self._with_aliases(exclude))
        drag.target, drag.snap = (x, y), snap
        drag.preview = self._moved_geometries(drag, (x, y))
        drag.at = _snap_inputs(event)
        self.ctx.preview(drag.preview)

    def _canvas_geometry(self, layer: VectorLayer, row: int) -> BaseGeometry:
        """The canvas geometry of a feature found by a hit or in the spatial index (so present)."""
        geom = self.ctx.canvas_geometry(layer, row)
        if geom is None:
            raise ValueError(f"feature {row} of {layer.id!r} has no geometry")
        return geom

    def _with_aliases(self, keys: Iterable[VertexKey]) -> frozenset[VertexKey]:
        out = set(keys)
        for layer_id, row, index in keys:
            geom = self.ctx.project.layer(layer_id).geometry_array[row]
            for comp in components(geom):
                if comp.closed and index == comp.start:
                    out.add((layer_id, row, comp.stop - 1))
        return frozenset(out)

    def _moved_geometries(self, drag: _Drag, target: tuple[float, float]) -> FeatureGeometries:
        """New geometries (layer CRS) of every feature touched by dragging the anchor to ``target``."""
        dx = target[0] - drag.start[0]
        dy = target[1] - drag.start[1]
        moves: dict[tuple[str, int], dict[int, tuple[float, float]]] = {}
        new_xy: dict[VertexKey, tuple[float, float]] = {}
        for key in drag.moving:
            layer_id, row, index = key
            layer = self.ctx.project.layer(layer_id)
            if key == drag.anchor:
                xy = self.ctx.to_layer_xy(layer, target[0], target[1], drag.snap)
            else:
                cx, cy = vertex_xy(self._canvas_geometry(layer, row), index)
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
            geom = self.ctx.project.layer(layer_id).geometry_array[row]
            out[(layer_id, row)] = move_vertices(geom, vertex_moves)
        return out

    def _source_of(self, partner: VertexKey, drag: _Drag) -> VertexKey:
        """The chosen vertex a partner shares its position with."""
        layer = self.ctx.project.layer(partner[0])
        px, py = vertex_xy(layer.geometry_array[partner[1]], partner[2])
        best, best_d = drag.moving[0], float("inf")
        for key in drag.moving:
            x, y = vertex_xy(self.ctx.project.layer(key[0]).geometry_array[key[1]], key[2])
            d = math.hypot(x - px, y - py)
            if d < best_d:
                best, best_d = key, d
        return best

    def _commit_drag(self, drag: _Drag) -> None:
        if not drag.preview or drag.target is None:
            return
        n = len(drag.moving)
        kind = plural_kind("move_vertex", "move_vertices", n)
        edit = geometries_edit(self.ctx.project, drag.preview, kind, {"n": n})
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
        geom = layer.geometry_array[row]
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
                    ogeom = other.geometry_array[orow]
                    starts = segments_between(ogeom, a, b, coincidence_tolerance(other))
                    for ostart in sorted(starts, reverse=True):
                        ogeom = insert_vertex(ogeom, ostart, xy)
                    if starts:
                        new[(other.id, orow)] = ogeom
        edit = geometries_edit(self.ctx.project, new, "insert_vertex", {})
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
                geom = self.ctx.project.layer(layer_id).geometry_array[row]
                new[(layer_id, row)], _removed = delete_vertices(geom, indices)
        except GeometryEditError as exc:
            self.ctx.message(exc.key)
            return False
        n = len(self.selected)
        edit = geometries_edit(self.ctx.project, new, plural_kind("delete_vertex", "delete_vertices", n),
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
            if geom is None:
                continue  # a selected feature without a geometry has no vertices to show
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
            snap_marker(self.drag.snap, overlay)
        elif self.hover is not None:
            if self.hover[0] == "vertex":
                layer_id, row, index = self.hover[1]
                hover_layer = self.ctx.project.layer(layer_id)
                if row < len(hover_layer):
                    x, y = vertex_xy(self._canvas_geometry(hover_layer, row), index)
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
            if row < len(layer) and index < shapely.get_num_coordinates(layer.geometry_array[row]):
                keep.add((layer_id, row, canonical_index(components(layer.geometry_array[row]), index)))
        self.selected = keep
        if self.focus is not None:
            try:
                if self.focus[1] >= len(self.ctx.project.layer(self.focus[0])):
                    self.focus = None
            except KeyError:
                self.focus = None
        self.hover = None
