"""One label engine for all layers: candidate positions per geometry type, collisions across
layers, priorities. Qt-free; text is measured through a callable the UI provides (from
QFontMetricsF), so the canvas, print and tests place labels the same way.

Labels are placed in rank order: layer priority (higher first), then layer order (top layer
first), then feature size (the caller passes each layer's features largest first). A label
takes the first of its candidate positions that stays inside the view, inside its polygon
when the placement says so, and clear of every label placed before it (a uniform grid of
placed boxes answers that); "always show" labels are drawn where they fall, and still
reserve their room.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
import shapely.ops

from gisapp.core.geo.labels import label_points

Measure = Callable[[str], tuple[float, float, float]]  # text -> (width, height, ascent) in pixels
Candidate = tuple[float, float, float]  # centre x, centre y (view pixels), angle (degrees)
GRID_PX = 64.0
# Positions around a point, in the order tried after the preferred one (QGIS prefers the
# upper right); (dx, dy) in screen directions, y down.
AROUND = {"E": (1, 0), "NE": (1, -1), "SE": (1, 1), "W": (-1, 0), "NW": (-1, -1), "SW": (-1, 1),
          "N": (0, -1), "S": (0, 1)}
LINE_FRACTIONS = (0.5, 0.35, 0.65, 0.2, 0.8)
DIAGONAL = math.sqrt(0.5)  # a diagonal position keeps the distance a side position has


@dataclass
class LayerLabels:
    """One layer's label candidates: features (canvas CRS) largest first, with their texts."""

    key: str
    family: str                 # 'polygon', 'line' or 'point'
    geoms: np.ndarray
    texts: Sequence[str]
    measure: Measure
    placement: str = ""         # see gisapp.core.model.labels.PLACEMENTS
    position: str = "E"
    distance_px: float = 6.0
    priority: int = 5
    always_show: bool = False
    rank: int = 0               # layer order: 0 is the top layer
    padding_px: tuple[float, float] = (3.0, 2.0)  # kept free around each label (x, y)


@dataclass(frozen=True)
class PlacedLabel:
    """A label's place in view pixels: the centre of its box, its size and rotation (degrees,
    clockwise as on screen). ``corners`` are the box's four corners."""

    key: str
    index: int                  # position of the feature in its LayerLabels
    text: str
    cx: float
    cy: float
    width: float
    height: float
    ascent: float
    angle: float = 0.0
    corners: tuple[tuple[float, float], ...] = field(default=(), repr=False)

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [c[0] for c in self.corners]
        ys = [c[1] for c in self.corners]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class View:
    """Map to pixel: the extent's top-left and the map units per pixel, and the size in pixels."""

    xmin: float
    ymax: float
    resolution: float
    width: float
    height: float

    def to_pixel(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (x - self.xmin) / self.resolution, (self.ymax - y) / self.resolution

    def to_map(self, px: float, py: float) -> tuple[float, float]:
        return self.xmin + px * self.resolution, self.ymax - py * self.resolution


def _corners(cx: float, cy: float, width: float, height: float, angle: float) -> tuple[tuple[float, float], ...]:
    hw, hh = width / 2, height / 2
    if angle == 0.0:
        return ((cx - hw, cy - hh), (cx + hw, cy - hh), (cx + hw, cy + hh), (cx - hw, cy + hh))
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return tuple((cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)
                 for dx, dy in ((-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)))


def _separated(a: tuple[tuple[float, float], ...], b: tuple[tuple[float, float], ...]) -> bool:
    """Two convex quadrilaterals do not overlap (separating axis test; touching edges are apart)."""
    for quad in (a, b):
        for i in range(4):
            x1, y1 = quad[i]
            x2, y2 = quad[(i + 1) % 4]
            nx, ny = y1 - y2, x2 - x1
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) + 1e-9 or max(pb) <= min(pa) + 1e-9:
                return True
    return False


class CollisionGrid:
    """Placed label boxes in uniform cells: a new box is tested only against its cells' boxes."""

    def __init__(self, cell: float = GRID_PX) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.boxes: list[tuple[tuple[float, float], ...]] = []
        self.rects: list[tuple[float, float, float, float]] = []
        self.upright: list[bool] = []

    def _keys(self, rect: tuple[float, float, float, float]) -> Iterator[tuple[int, int]]:
        x0, y0, x1, y1 = (int(math.floor(v / self.cell)) for v in rect)
        return ((i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1))

    def free(self, box: tuple[tuple[float, float], ...], rect: tuple[float, float, float, float],
             rotated: bool) -> bool:
        seen: set[int] = set()
        for key in self._keys(rect):
            for index in self.cells.get(key, ()):
                if index in seen:
                    continue
                seen.add(index)
                other = self.rects[index]
                if rect[0] >= other[2] or other[0] >= rect[2] or rect[1] >= other[3] or other[1] >= rect[3]:
                    continue  # the boxes' bounds do not overlap
                if not rotated and self.upright[index]:
                    return False  # two upright boxes whose bounds overlap
                if not _separated(box, self.boxes[index]):
                    return False
        return True

    def add(self, box: tuple[tuple[float, float], ...], rect: tuple[float, float, float, float],
            rotated: bool) -> None:
        index = len(self.boxes)
        self.boxes.append(box)
        self.rects.append(rect)
        self.upright.append(not rotated)
        for key in self._keys(rect):
            self.cells.setdefault(key, []).append(index)


def _bounds(box: tuple[tuple[float, float], ...]) -> tuple[float, float, float, float]:
    xs = [c[0] for c in box]
    ys = [c[1] for c in box]
    return min(xs), min(ys), max(xs), max(ys)


def _point_candidates(px: float, py: float, width: float, height: float, layer: LayerLabels) -> Iterator[Candidate]:
    """Boxes (centre x, centre y) at the preferred position, then the other seven ('around')."""
    order = [layer.position] if layer.position in AROUND else ["E"]
    if layer.placement != "offset":
        order += [p for p in AROUND if p not in order]
    distance = layer.distance_px
    for name in order:
        dx, dy = AROUND[name]
        # A diagonal keeps the same gap from the point as a side does.
        gap = distance * (DIAGONAL if dx and dy else 1.0)
        cx = px + dx * (gap + width / 2)
        cy = py + dy * (gap + height / 2)
        yield cx, cy, 0.0


def _polygon_candidates(px: float, py: float, width: float, height: float) -> Iterator[Candidate]:
    """Centred on the point on surface, then above and below it, then to its sides."""
    yield px, py, 0.0
    for step in (1, 2, 3):
        yield px, py - step * height, 0.0
        yield px, py + step * height, 0.0
    for dx, dy in ((1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1)):
        yield px + dx * width / 2, py + dy * height, 0.0


INSIDE_GRID = 7  # interior sample points per side of a polygon's bounds, for labels kept inside


def _inside_candidates(polygon: shapely.Geometry, px: float, py: float, view: View) -> Iterator[Candidate]:
    """Centred on the point on surface, then on interior points farthest from the boundary
    first (the pole of inaccessibility leads), so a label finds the roomiest part."""
    yield px, py, 0.0
    xmin, ymin, xmax, ymax = shapely.bounds(polygon)
    grid_x, grid_y = np.meshgrid(np.linspace(xmin, xmax, INSIDE_GRID + 2)[1:-1],
                                 np.linspace(ymin, ymax, INSIDE_GRID + 2)[1:-1])
    xs, ys = grid_x.ravel(), grid_y.ravel()
    pole = shapely.ops.polylabel(polygon, tolerance=max(view.resolution * 2, 1e-9)) \
        if isinstance(polygon, shapely.Polygon) else None
    if pole is not None and not pole.is_empty:
        xs, ys = np.concatenate([[pole.x], xs]), np.concatenate([[pole.y], ys])
    inside = shapely.contains_xy(polygon, xs, ys)
    xs, ys = xs[inside], ys[inside]
    room = shapely.distance(shapely.boundary(polygon), shapely.points(xs, ys))
    order = np.argsort(-room, kind="stable")
    cx, cy = view.to_pixel(xs[order], ys[order])
    for x, y in zip(cx.tolist(), cy.tolist(), strict=True):
        yield x, y, 0.0


def _line_candidates(geom: shapely.Geometry | None, width: float, height: float, view: View,
                     along: bool) -> Iterator[Candidate]:
    """Centred on the longest part at the middle, then towards its ends; rotated along it."""
    if geom is None or shapely.is_empty(geom):
        return
    parts = shapely.get_parts(geom)
    line = parts[int(np.argmax(shapely.length(parts)))]
    length = float(shapely.length(line))
    if length <= 0:
        return
    half = width / 2 * view.resolution
    if along and 2 * half > length:
        return  # the text is longer than the line: no room along it
    for fraction in LINE_FRACTIONS:
        at = fraction * length
        point = shapely.line_interpolate_point(line, at)
        cx, cy = view.to_pixel(np.array([shapely.get_x(point)]), np.array([shapely.get_y(point)]))
        angle = 0.0
        if along:
            if at - half < 0 or at + half > length:
                continue
            start = shapely.line_interpolate_point(line, at - half)
            end = shapely.line_interpolate_point(line, at + half)
            (sx, ex), (sy, ey) = view.to_pixel(np.array([shapely.get_x(start), shapely.get_x(end)]),
                                               np.array([shapely.get_y(start), shapely.get_y(end)]))
            angle = math.degrees(math.atan2(ey - sy, ex - sx))
            if angle > 90:  # keep text upright
                angle -= 180
            elif angle < -90:
                angle += 180
        yield float(cx[0]), float(cy[0]), angle


def _inside(polygon: shapely.Geometry, box: tuple[tuple[float, float], ...], view: View) -> bool:
    ring = [view.to_map(x, y) for x, y in box]
    return bool(shapely.contains(polygon, shapely.Polygon(ring)))


def place_labels(layers: Sequence[LayerLabels], view: View) -> list[PlacedLabel]:
    """Where each label goes, in drawing order; labels with no free candidate are left out."""
    grid = CollisionGrid()
    placed: list[PlacedLabel] = []
    for layer in sorted(layers, key=lambda each: (-each.priority, each.rank)):
        if not len(layer.geoms):
            continue
        family = layer.family
        anchors = label_points(layer.geoms, family) if family != "line" else None
        if anchors is not None:
            valid = ~(shapely.is_missing(anchors) | shapely.is_empty(anchors))
            ax, ay = np.full(len(anchors), np.nan), np.full(len(anchors), np.nan)
            ax[valid], ay[valid] = shapely.get_x(anchors[valid]), shapely.get_y(anchors[valid])
            pxs, pys = view.to_pixel(ax, ay)
        inside_only = family == "polygon" and layer.placement == "inside"
        if inside_only:
            shapely.prepare(layer.geoms)
        pad_x, pad_y = layer.padding_px
        for index, text in enumerate(layer.texts):
            if not isinstance(text, str) or not text:
                continue
            width, height, ascent = layer.measure(text)
            if family == "line":
                candidates = _line_candidates(layer.geoms[index], width, height, view,
                                              along=layer.placement == "along")
            else:
                px, py = float(pxs[index]), float(pys[index])
                if not (math.isfinite(px) and math.isfinite(py)):
                    continue
                if family == "point":
                    candidates = _point_candidates(px, py, width, height, layer)
                elif inside_only:
                    candidates = _inside_candidates(layer.geoms[index], px, py, view)
                else:
                    candidates = _polygon_candidates(px, py, width, height)
            for cx, cy, angle in candidates:
                box = _corners(cx, cy, width, height, angle)
                rect = _bounds(box)
                if rect[0] < 0 or rect[1] < 0 or rect[2] > view.width or rect[3] > view.height:
                    continue
                if inside_only and not _inside(layer.geoms[index], box, view):
                    continue
                padded = _corners(cx, cy, width + 2 * pad_x, height + 2 * pad_y, angle)
                padded_rect = _bounds(padded)
                if not layer.always_show and not grid.free(padded, padded_rect, angle != 0.0):
                    continue
                grid.add(padded, padded_rect, angle != 0.0)
                placed.append(PlacedLabel(layer.key, index, text, cx, cy, width, height, ascent, angle, box))
                break
    return placed


def overlapping(placed: Sequence[PlacedLabel]) -> list[tuple[PlacedLabel, PlacedLabel]]:
    """Pairs of placed labels whose boxes overlap (for checks; quadratic)."""
    pairs = []
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            ra, rb = a.bounds(), b.bounds()
            if ra[0] >= rb[2] or rb[0] >= ra[2] or ra[1] >= rb[3] or rb[1] >= ra[3]:
                continue
            if not _separated(a.corners, b.corners):
                pairs.append((a, b))
    return pairs
