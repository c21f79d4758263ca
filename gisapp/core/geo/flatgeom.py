"""Flat coordinate arrays of a whole layer, for drawing, culling and identify (no Qt).

Large layers (hundreds of thousands of parcels) are too slow to draw through shapely
objects: every render would call ``get_parts``/``get_rings``/``simplify`` per feature.
Instead, once per layer and canvas CRS, :func:`build_flat` turns the geometries into a
handful of numpy arrays:

- ``x``/``y``: every vertex of every part (polygon ring, line, point) in the target CRS, as
  float32 offsets from its feature's lower-left bound (:meth:`FlatGeometry.gather` gives
  them back as float64 coordinates). An offset is at most the feature's size, so its error
  is under 1e-7 of the feature's width: a thousandth of a pixel for any feature drawn from
  these arrays (wider ones are clipped from their shapely geometries), at half the
  memory of float64;
- ``part_offsets``: where each part's vertices start, ``feature_parts``: where each
  feature's parts start;
- ``order``: features are stored in a *spatial* order (Morton code of the centre of their
  bounds), so consecutive features are close together on screen; ``order[i]`` is the
  layer row of stored feature ``i``;
- per-feature ``stored_bounds`` (stored order; ``bounds`` in row order is made only when
  asked for) and ``block_bounds`` over runs of ``BLOCK`` stored features, a two-level index
  that culls a million features with a few array compares.

Polygon rings are oriented as ``shapely.orient_polygons`` does (exteriors counter-clockwise,
holes clockwise), so a renderer can fill many features in one path with the winding rule.
The arrays are never modified after they are built. An edit of a few rows does not
rebuild them: :class:`PatchedFlat` keeps them as its base, hides the changed rows there
and holds the changed and added rows in a small flat index of their own (see
:meth:`ProjectedCache.patched`); a layer rebuilds the whole only when that grows large.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import shapely
from pyproj import CRS

from gisapp.core.geo.geodesy import transformer
from gisapp.core.geo.viewport import MAX_PROJECTED_COORDINATE

BLOCK = 64  # stored features per culling block
# shapely.get_coordinates and np.repeat keep the GIL: 0.36 s for a million polygons. The
# cache is built in the render thread, so they run on slices to let the UI thread in.
SLICE = 25_000


@dataclass(eq=False)
class FlatGeometry:
    """A layer's geometries as flat arrays in one CRS (see the module docstring)."""

    family: str  # 'point', 'line' or 'polygon'
    x: np.ndarray  # float32, one per vertex: offset from its feature's stored_bounds[:, 0]
    y: np.ndarray  # float32, offset from stored_bounds[:, 1]
    part_start: np.ndarray  # bool, True at the first vertex of each part
    part_offsets: np.ndarray  # int64, len n_parts + 1
    feature_parts: np.ndarray  # int64, len n + 1, over stored (spatial) order
    order: np.ndarray  # int64, layer row of each stored feature
    stored_bounds: np.ndarray  # (n, 4) float64 per stored feature; NaN for empty geometries
    block_bounds: np.ndarray  # (ceil(n / BLOCK), 4)

    def __len__(self) -> int:
        return len(self.order)

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays held, with ``bounds`` and ``row_positions`` if they were made."""
        made = [self.__dict__[name] for name in ("bounds", "row_positions") if name in self.__dict__]
        return sum(a.nbytes for a in (self.x, self.y, self.part_start, self.part_offsets, self.feature_parts,
                                      self.order, self.stored_bounds, self.block_bounds, *made))

    @cached_property
    def bounds(self) -> np.ndarray:
        """(n, 4) bounds per layer row, NaN for empty geometries (made on first use: drawing,
        identify and zooming to the layer do without it)."""
        return self.stored_bounds[self.row_positions]

    @property
    def total_bounds(self) -> np.ndarray:
        """(xmin, ymin, xmax, ymax) over every feature with bounds (NaN if none)."""
        return _total_bounds(self.block_bounds)

    # --- queries ---------------------------------------------------------------------------
    def positions_in(self, xmin: float, ymin: float, xmax: float, ymax: float) -> np.ndarray:
        """Stored positions (ascending) of the features whose bounds meet the box."""
        bb = self.block_bounds
        blocks = np.flatnonzero((bb[:, 0] <= xmax) & (bb[:, 2] >= xmin)
                                & (bb[:, 1] <= ymax) & (bb[:, 3] >= ymin))
        n = len(self.order)
        if len(blocks) == 0:
            return np.empty(0, dtype=np.int64)
        if len(blocks) == len(bb):
            candidates = np.arange(n, dtype=np.int64)
        else:
            candidates = (blocks[:, None] * BLOCK + np.arange(BLOCK)).ravel()
            candidates = candidates[candidates < n]
        b = self.stored_bounds[candidates]
        inside = (b[:, 0] <= xmax) & (b[:, 2] >= xmin) & (b[:, 1] <= ymax) & (b[:, 3] >= ymin)
        return candidates[inside]

    def rows_in(self, xmin: float, ymin: float, xmax: float, ymax: float) -> np.ndarray:
        """Layer rows (ascending) of the features whose bounds meet the box."""
        return np.sort(self.order[self.positions_in(xmin, ymin, xmax, ymax)])

    def rows_at(self, positions: np.ndarray) -> np.ndarray:
        """Layer rows of the stored features ``positions``."""
        return self.order[positions]

    def bounds_at(self, positions: np.ndarray) -> np.ndarray:
        """(len, 4) bounds of the stored features ``positions``."""
        return self.stored_bounds[positions]

    def bounds_of(self, rows: np.ndarray) -> np.ndarray:
        """(len, 4) bounds of layer rows."""
        return self.stored_bounds[self.row_positions[rows]]

    @property
    def vertex_total(self) -> int:
        return len(self.x)

    @cached_property
    def row_positions(self) -> np.ndarray:
        """The stored position of every layer row (the inverse of ``order``)."""
        positions = np.empty(len(self.order), dtype=np.int64)
        positions[self.order] = np.arange(len(self.order), dtype=np.int64)
        return positions

    def vertex_ranges(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """First and one-past-last vertex of each stored feature in ``positions``."""
        return (self.part_offsets[self.feature_parts[positions]],
                self.part_offsets[self.feature_parts[positions + 1]])

    def gather(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Vertices of the stored features ``positions``, in that order.

        Returns x, y (float64 coordinates), part-start flags and the vertex offset of each
        feature (len + 1).
        """
        starts, ends = self.vertex_ranges(positions)
        offsets = concat_offsets(ends - starts)
        x, y = self.coordinates(positions, starts, ends, offsets)
        if len(positions) == len(self.order):  # positions are unique: this is everything, in order
            return x, y, self.part_start, offsets
        return x, y, self.part_start[ranges_index(starts, ends, offsets)], offsets

    def coordinates(self, positions: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                    offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """float64 x and y of the vertices ``starts[i]:ends[i]`` of the stored features ``positions``."""
        index = None if len(positions) == len(self.order) else ranges_index(starts, ends, offsets)
        counts = ends - starts
        origin = self.stored_bounds[positions]
        x = np.repeat(np.nan_to_num(origin[:, 0]), counts)
        y = np.repeat(np.nan_to_num(origin[:, 1]), counts)
        x += self.x if index is None else self.x[index]
        y += self.y if index is None else self.y[index]
        return x, y


# Changed and added rows live in a side index of their own until it holds this many rows;
# past that the layer rebuilds its whole cache in the render thread, as after a new file.
MAX_PATCH_ROWS = 10_000


@dataclass(frozen=True, eq=False)
class RowChange:
    """Which rows of a layer one data change touched.

    ``kind`` is ``"geometry"`` (geometries of ``rows`` replaced), ``"attributes"`` (cells
    of ``columns`` at ``rows`` set), ``"insert"`` (new rows now at ``rows`` of the new
    table) or ``"remove"`` (``rows`` of the old table removed). Rows are kept ascending.
    """

    kind: str
    rows: np.ndarray
    columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in ("geometry", "attributes", "insert", "remove"):
            raise ValueError(f"unknown row change {self.kind!r}")
        object.__setattr__(self, "rows", np.unique(np.asarray(self.rows, dtype=np.int64)))

    def row_map(self, n_old: int) -> np.ndarray | None:
        """The new row of every old row (-1 for a removed one), or None if rows keep their numbers."""
        if self.kind == "remove":
            kept = np.ones(n_old, dtype=bool)
            kept[self.rows] = False
            new = np.cumsum(kept) - 1
            new[~kept] = -1
            return new
        if self.kind == "insert":
            is_new = np.zeros(n_old + len(self.rows), dtype=bool)
            is_new[self.rows] = True
            return np.flatnonzero(~is_new)
        return None


@dataclass(eq=False)
class PatchedFlat:
    """A :class:`FlatGeometry` (the *base*) with some rows changed, added or removed.

    The base keeps its arrays. Its stored features whose geometry changed are hidden
    (``hidden``, a short sorted list), those whose row went away map to row -1, and the
    current geometries of the changed and added rows form a small FlatGeometry of their
    own (``extra``, the side index). Stored positions run over the base (``0 ..
    len(base)``), then over ``extra``; vertex indices likewise. The queries are
    FlatGeometry's, so renderers need not know. A geometry change costs only its rows;
    inserting or removing rows renumbers the base's rows (two integer arrays).
    """

    family: str
    base: FlatGeometry
    base_rows: np.ndarray  # int64 per base stored position: its current row, -1 if removed
    row_positions: np.ndarray  # int64 per current row: its base stored position, -1 if added
    hidden: np.ndarray  # int64, sorted: base stored positions whose geometry was replaced
    extra: FlatGeometry
    extra_rows: np.ndarray  # int64 per row of ``extra`` (ascending): its current row
    rows_shifted: bool  # rows were inserted or removed since the base was built

    def __len__(self) -> int:
        return len(self.row_positions)

    @property
    def nbytes(self) -> int:
        return self.base.nbytes + self.extra.nbytes + self.base_rows.nbytes + self.row_positions.nbytes

    @property
    def vertex_total(self) -> int:
        return self.base.vertex_total + self.extra.vertex_total

    @cached_property
    def bounds(self) -> np.ndarray:
        """(n, 4) bounds per current row, NaN for empty geometries (made on first use;
        :meth:`bounds_of` answers for a few rows without it)."""
        if not self.rows_shifted:  # every row is the base's row, or in extra
            bounds = self.base.stored_bounds[self.base.row_positions]
        else:
            bounds = np.full((len(self), 4), np.nan)
            rows = np.flatnonzero(self.row_positions >= 0)
            bounds[rows] = self.base.stored_bounds[self.row_positions[rows]]
        bounds[self.extra_rows] = self.extra.bounds
        return bounds

    def bounds_of(self, rows: np.ndarray) -> np.ndarray:
        """(len, 4) bounds of some current rows."""
        rows = np.asarray(rows, dtype=np.int64)
        slot = np.searchsorted(self.extra_rows, rows)
        in_extra = slot < len(self.extra_rows)
        in_extra[in_extra] = self.extra_rows[slot[in_extra]] == rows[in_extra]
        out = np.empty((len(rows), 4))
        out[in_extra] = self.extra.bounds[slot[in_extra]]
        out[~in_extra] = self.base.stored_bounds[self.row_positions[rows[~in_extra]]]
        return out

    # --- queries (as FlatGeometry's) ----------------------------------------------------------
    def positions_in(self, xmin: float, ymin: float, xmax: float, ymax: float) -> np.ndarray:
        base = self.base.positions_in(xmin, ymin, xmax, ymax)
        shown = self.base_rows[base] >= 0
        if len(self.hidden):
            shown &= ~_contains(self.hidden, base)
        extra = self.extra.positions_in(xmin, ymin, xmax, ymax)
        return np.concatenate([base[shown], extra + len(self.base)])

    def rows_in(self, xmin: float, ymin: float, xmax: float, ymax: float) -> np.ndarray:
        return np.sort(self.rows_at(self.positions_in(xmin, ymin, xmax, ymax)))

    def _split(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mask of base positions, those base positions, the extra stored positions)."""
        positions = np.asarray(positions, dtype=np.int64)
        in_base = positions < len(self.base)
        return in_base, positions[in_base], positions[~in_base] - len(self.base)

    def rows_at(self, positions: np.ndarray) -> np.ndarray:
        in_base, base, extra = self._split(positions)
        out = np.empty(len(in_base), dtype=np.int64)
        out[in_base] = self.base_rows[base]
        out[~in_base] = self.extra_rows[self.extra.order[extra]]
        return out

    def bounds_at(self, positions: np.ndarray) -> np.ndarray:
        in_base, base, extra = self._split(positions)
        out = np.empty((len(in_base), 4))
        out[in_base] = self.base.stored_bounds[base]
        out[~in_base] = self.extra.stored_bounds[extra]
        return out

    def vertex_ranges(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """First and one-past-last vertex of each stored feature (base vertices first)."""
        in_base, base, extra = self._split(positions)
        starts = np.empty(len(in_base), dtype=np.int64)
        ends = np.empty(len(in_base), dtype=np.int64)
        starts[in_base], ends[in_base] = self.base.vertex_ranges(base)
        extra_starts, extra_ends = self.extra.vertex_ranges(extra)
        shift = self.base.vertex_total
        starts[~in_base], ends[~in_base] = extra_starts + shift, extra_ends + shift
        return starts, ends

    def gather(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        starts, ends = self.vertex_ranges(positions)
        offsets = concat_offsets(ends - starts)
        index = ranges_index(starts, ends, offsets)
        shift = self.base.vertex_total
        from_extra = index >= shift
        counts = ends - starts
        origin = np.nan_to_num(self.bounds_at(positions)[:, :2])
        x, y = np.repeat(origin[:, 0], counts), np.repeat(origin[:, 1], counts)
        if not from_extra.any():
            x += self.base.x[index]
            y += self.base.y[index]
            return x, y, self.base.part_start[index], offsets
        from_base = ~from_extra
        base_index, extra_index = index[from_base], index[from_extra] - shift
        out = []
        for base_values, extra_values in ((self.base.x, self.extra.x), (self.base.y, self.extra.y),
                                          (self.base.part_start, self.extra.part_start)):
            values = np.empty(len(index), dtype=base_values.dtype)
            values[from_base] = base_values[base_index]
            values[from_extra] = extra_values[extra_index]
            out.append(values)
        x += out[0]
        y += out[1]
        return x, y, out[2], offsets


def _contains(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is in ``sorted_values`` (short, sorted, unique)."""
    slot = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return sorted_values[slot] == values


def patch_flat(flat: FlatGeometry | PatchedFlat, change: RowChange, geoms: np.ndarray,
               source_crs: str, target_crs: str) -> PatchedFlat | None:
    """``flat`` after a geometry change or rows added or removed (``change``), given the
    layer's new geometries (its own CRS): only the changed and added rows are projected.
    None when the side index would grow past ``MAX_PATCH_ROWS`` rows (rebuild instead)."""
    if isinstance(flat, FlatGeometry):
        patched = PatchedFlat(flat.family, flat, flat.order, flat.row_positions, np.empty(0, dtype=np.int64),
                              _empty_flat(flat.family), np.empty(0, dtype=np.int64), False)
    else:
        patched = flat
    base_rows, row_positions, hidden = patched.base_rows, patched.row_positions, patched.hidden
    extra_rows, shifted = patched.extra_rows, patched.rows_shifted
    rows = change.rows
    if change.kind == "geometry":
        replaced = row_positions[rows]
        hidden = np.union1d(hidden, replaced[replaced >= 0])
        extra_rows = np.union1d(extra_rows, rows)
    elif change.kind in ("remove", "insert"):
        row_map = change.row_map(len(row_positions))
        assert row_map is not None
        if change.kind == "remove":  # removed rows map to -1: their base features are not drawn
            row_positions = np.delete(row_positions, rows)
            extra_rows = row_map[extra_rows]
            extra_rows = extra_rows[extra_rows >= 0]
        else:
            row_positions = np.insert(row_positions, rows - np.arange(len(rows)), -1)
            extra_rows = np.union1d(row_map[extra_rows], rows)
        base_rows = base_rows.copy()
        present = base_rows >= 0
        base_rows[present] = row_map[base_rows[present]]
        shifted = True
    else:
        raise ValueError("attribute changes keep the flat arrays as they are")
    if len(extra_rows) > MAX_PATCH_ROWS or len(hidden) > MAX_PATCH_ROWS:
        return None
    extra = build_flat(np.asarray(geoms, dtype=object)[extra_rows], patched.family, source_crs, target_crs)
    return PatchedFlat(patched.family, patched.base, base_rows, row_positions, hidden, extra, extra_rows, shifted)


@lru_cache(maxsize=4)
def _empty_flat(family: str) -> FlatGeometry:
    return build_flat(np.empty(0, dtype=object), family, "EPSG:3857", "EPSG:3857")


def concat_offsets(lengths: np.ndarray) -> np.ndarray:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def ranges_index(starts: np.ndarray, ends: np.ndarray, offsets: np.ndarray | None = None) -> np.ndarray:
    """``concatenate([arange(s, e) for s, e in zip(starts, ends)])`` without a Python loop."""
    lengths = ends - starts
    if offsets is None:
        offsets = concat_offsets(lengths)
    total = int(offsets[-1])
    if total == 0:
        return np.empty(0, dtype=np.int64)
    # Each element is its range's start plus its position within the range.
    shift = np.repeat(starts - offsets[:-1], lengths)
    return np.arange(total, dtype=np.int64) + shift


def morton_order(centre_x: np.ndarray, centre_y: np.ndarray) -> np.ndarray:
    """Indices that sort points along a Z-order curve (NaN points last, input order kept on ties)."""
    valid = np.isfinite(centre_x) & np.isfinite(centre_y)
    if not valid.any():
        return np.arange(len(centre_x), dtype=np.int64)
    x0, x1 = np.min(centre_x[valid]), np.max(centre_x[valid])
    y0, y1 = np.min(centre_y[valid]), np.max(centre_y[valid])
    scale = 65535.0
    gx = np.zeros(len(centre_x), dtype=np.uint64)
    gy = np.zeros(len(centre_y), dtype=np.uint64)
    gx[valid] = ((centre_x[valid] - x0) / max(x1 - x0, 1e-300) * scale).astype(np.uint64)
    gy[valid] = ((centre_y[valid] - y0) / max(y1 - y0, 1e-300) * scale).astype(np.uint64)
    code = _spread_bits(gx) | (_spread_bits(gy) << np.uint64(1))
    code[~valid] = np.uint64(2**63)  # empty geometries at the end
    return np.argsort(code, kind="stable")


def _spread_bits(v: np.ndarray) -> np.ndarray:
    """Interleave zeros between the low 16 bits of ``v`` (0b1011 -> 0b1000101)."""
    v = v & np.uint64(0xFFFF)
    v = (v | (v << np.uint64(8))) & np.uint64(0x00FF00FF)
    v = (v | (v << np.uint64(4))) & np.uint64(0x0F0F0F0F)
    v = (v | (v << np.uint64(2))) & np.uint64(0x33333333)
    return (v | (v << np.uint64(1))) & np.uint64(0x55555555)


def _reduce_per_range(values: np.ndarray, offsets: np.ndarray, func: np.ufunc) -> np.ndarray:
    """func.reduceat over the ranges offsets[i]:offsets[i+1]; NaN for empty ranges."""
    n = len(offsets) - 1
    out = np.full(n, np.nan)
    nonempty = offsets[1:] > offsets[:-1]
    if nonempty.any() and len(values):
        out[nonempty] = func.reduceat(values, offsets[:-1][nonempty])
    return out


def same_crs(a: str, b: str) -> bool:
    return a == b or CRS.from_user_input(a) == CRS.from_user_input(b)


def build_flat(geoms: np.ndarray, family: str, source_crs: str, target_crs: str) -> FlatGeometry:
    """Flat arrays of ``geoms`` (layer rows, ``source_crs``) in ``target_crs``.

    shapely is only asked for coordinates, in row order (it walks its objects in the order
    they were allocated, which is several times faster than a shuffled order); the spatial
    reordering, ring orientation and bounds are numpy gathers and reductions.
    """
    n = len(geoms)
    coords, part_offsets, owner, is_exterior = part_coordinates(geoms, family)
    feature_parts = concat_offsets(np.bincount(owner, minlength=n) if n else np.empty(0, dtype=np.int64))
    x, y = project_xy(coords[:, 0], coords[:, 1], source_crs, target_crs)
    del coords

    vertex_offsets = part_offsets[feature_parts]
    bounds = np.column_stack([
        _reduce_per_range(x, vertex_offsets, np.minimum), _reduce_per_range(y, vertex_offsets, np.minimum),
        _reduce_per_range(x, vertex_offsets, np.maximum), _reduce_per_range(y, vertex_offsets, np.maximum)])
    # A feature with a NaN, infinite or absurd vertex (a damaged file, 1e308, or a point the
    # projection cannot reach, like a pole in Web Mercator) gets no bounds: it is never
    # drawn, picked or counted in an extent, as if it were empty (GEOS cannot even clip it).
    with np.errstate(invalid="ignore"):
        bounds[~(np.abs(bounds) <= MAX_PROJECTED_COORDINATE).all(axis=1)] = np.nan
    order = morton_order((bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2).astype(np.int64)

    # Parts in stored order; rings with the wrong orientation are reversed in the same gather.
    part_index = ranges_index(feature_parts[order], feature_parts[order + 1])
    part_lengths = np.diff(part_offsets)[part_index]
    source_start = part_offsets[:-1][part_index]
    new_offsets = concat_offsets(part_lengths)
    if is_exterior is not None and len(x):
        flip = _ring_needs_flip(x, y, part_offsets, is_exterior)[part_index]
    else:
        flip = np.zeros(len(part_index), dtype=bool)
    total = int(new_offsets[-1])
    x, y = _gather_parts(x, y, source_start, part_lengths, new_offsets, flip)

    part_start = np.zeros(total, dtype=bool)
    part_start[new_offsets[:-1][part_lengths > 0]] = True
    stored_feature_parts = concat_offsets(np.diff(feature_parts)[order])
    stored_bounds = bounds[order]
    del bounds
    x32, y32 = _feature_offsets(x, y, new_offsets[stored_feature_parts], stored_bounds)
    del x, y
    block_bounds = block_bounds_of(stored_bounds)
    return FlatGeometry(family=family, x=x32, y=y32, part_start=part_start, part_offsets=new_offsets,
                        feature_parts=stored_feature_parts, order=order,
                        stored_bounds=stored_bounds, block_bounds=block_bounds)


def _feature_offsets(x: np.ndarray, y: np.ndarray, vertex_offsets: np.ndarray, stored_bounds: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """float32 offsets of each vertex from its feature's lower-left bound (features without
    bounds keep their coordinates, as float32), in slices of features."""
    out_x, out_y = np.empty(len(x), dtype=np.float32), np.empty(len(y), dtype=np.float32)
    origin = np.nan_to_num(stored_bounds[:, :2])
    with np.errstate(over="ignore", invalid="ignore"):  # absurd vertices of unbounded features
        for a in range(0, len(stored_bounds), 4 * SLICE):
            b = min(a + 4 * SLICE, len(stored_bounds))
            first, last = int(vertex_offsets[a]), int(vertex_offsets[b])
            counts = np.diff(vertex_offsets[a:b + 1])
            np.subtract(x[first:last], np.repeat(origin[a:b, 0], counts), out=out_x[first:last], casting="same_kind")
            np.subtract(y[first:last], np.repeat(origin[a:b, 1], counts), out=out_y[first:last], casting="same_kind")
    return out_x, out_y


def _total_bounds(bounds: np.ndarray) -> np.ndarray:
    if not len(bounds) or np.isnan(bounds).all():
        return np.full(4, np.nan)
    return np.array([np.nanmin(bounds[:, 0]), np.nanmin(bounds[:, 1]), np.nanmax(bounds[:, 2]), np.nanmax(bounds[:, 3])])


def block_bounds_of(stored_bounds: np.ndarray) -> np.ndarray:
    """Bounds of each run of ``BLOCK`` stored features."""
    n = len(stored_bounds)
    if not n:
        return np.empty((0, 4))
    starts = np.arange(0, n, BLOCK)
    return np.column_stack([np.fmin.reduceat(stored_bounds[:, 0], starts), np.fmin.reduceat(stored_bounds[:, 1], starts),
                            np.fmax.reduceat(stored_bounds[:, 2], starts), np.fmax.reduceat(stored_bounds[:, 3], starts)])


def concatenate_flat(parts: list[FlatGeometry]) -> FlatGeometry:
    """The flat arrays of consecutive runs of layer rows as one (a file read in chunks: each
    chunk is projected once). Each part keeps its own spatial order, so stored features run
    part by part; culling is as exact, blocks only straddle two parts at their seams."""
    if len(parts) == 1:
        return parts[0]
    vertex_starts = concat_offsets(np.array([len(p.x) for p in parts], dtype=np.int64))
    part_starts = concat_offsets(np.array([len(p.part_offsets) - 1 for p in parts], dtype=np.int64))
    row_starts = concat_offsets(np.array([len(p.order) for p in parts], dtype=np.int64))
    stored_bounds = np.concatenate([p.stored_bounds for p in parts])
    return FlatGeometry(
        family=parts[0].family,
        x=np.concatenate([p.x for p in parts]), y=np.concatenate([p.y for p in parts]),
        part_start=np.concatenate([p.part_start for p in parts]),
        part_offsets=np.concatenate([p.part_offsets[:-1] + start for p, start in zip(parts, vertex_starts, strict=False)]
                                    + [vertex_starts[-1:]]),
        feature_parts=np.concatenate([p.feature_parts[:-1] + start for p, start in zip(parts, part_starts, strict=False)]
                                     + [part_starts[-1:]]),
        order=np.concatenate([p.order + start for p, start in zip(parts, row_starts, strict=False)]),
        stored_bounds=stored_bounds,
        block_bounds=block_bounds_of(stored_bounds))


_WEB_MERCATOR_RADIUS = 6378137.0


def project_xy(x: np.ndarray, y: np.ndarray, source_crs: str, target_crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Transform coordinate arrays (new arrays; always float64 and contiguous).

    WGS84 lon/lat to Web Mercator (the default canvas) is two numpy expressions, about
    three times faster than PROJ on millions of vertices and equal to it within 1e-7 m.
    """
    if same_crs(source_crs, target_crs):
        return np.array(x, dtype=np.float64), np.array(y, dtype=np.float64)
    if _is_lonlat_to_web_mercator(source_crs, target_crs):
        px = np.radians(x)
        px *= _WEB_MERCATOR_RADIUS
        py = np.radians(y)
        py *= 0.5
        py += np.pi / 4
        np.tan(py, out=py)
        np.log(py, out=py)
        py *= _WEB_MERCATOR_RADIUS
        return px, py
    px, py = transformer(source_crs, target_crs).transform(np.ascontiguousarray(x), np.ascontiguousarray(y))
    return np.asarray(px, dtype=np.float64), np.asarray(py, dtype=np.float64)


@lru_cache(maxsize=32)
def _is_lonlat_to_web_mercator(source_crs: str, target_crs: str) -> bool:
    return (CRS.from_user_input(source_crs) == CRS.from_epsg(4326)
            and CRS.from_user_input(target_crs) == CRS.from_epsg(3857))


def part_coordinates(geoms: np.ndarray, family: str
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Coordinates of every part (polygon ring, line, point) in row order: (n, 2)
    coordinates, part offsets, the row each part belongs to and, for polygons, whether
    a ring is an exterior (else None). Missing geometries have no parts."""
    geoms = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(geoms)
    if missing.any():
        geoms = geoms.copy()
        geoms[missing] = shapely.from_wkt("GEOMETRYCOLLECTION EMPTY")
    parts, owner = _parts(geoms)
    if family == "polygon":
        return _ring_coordinates(parts, owner)
    coords, counts = _coordinates(parts)
    return coords, concat_offsets(counts), owner, None


def _parts(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Single-part geometries and the index of their feature; multi-part ones are split.

    Unlike ``shapely.get_parts`` on everything, single geometries are not cloned.
    """
    n = len(geoms)
    type_ids = shapely.get_type_id(geoms)
    multi = type_ids >= 4  # Multi* and GeometryCollection (also the stand-in for missing)
    if not multi.any():
        return geoms, np.arange(n, dtype=np.int64)
    counts = np.ones(n, dtype=np.int64)
    counts[multi] = shapely.get_num_geometries(geoms[multi])
    offsets = concat_offsets(counts)
    parts = np.empty(int(offsets[-1]), dtype=object)
    parts[offsets[:-1][~multi]] = geoms[~multi]
    multi_rows = np.flatnonzero(multi)
    parts[ranges_index(offsets[multi_rows], offsets[multi_rows + 1])] = shapely.get_parts(geoms[multi])
    return parts, np.repeat(np.arange(n, dtype=np.int64), counts)


def _coordinates(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``shapely.get_coordinates(geoms)`` (2D) and the number of coordinates per geometry."""
    counts = shapely.get_num_coordinates(geoms)
    offsets = concat_offsets(counts)
    coords = np.empty((int(offsets[-1]), 2))
    for a in range(0, len(geoms), SLICE):
        b = min(a + SLICE, len(geoms))
        coords[offsets[a]:offsets[b]] = shapely.get_coordinates(geoms[a:b])
    return coords, counts


def _gather_parts(x: np.ndarray, y: np.ndarray, source_start: np.ndarray, lengths: np.ndarray,
                  new_offsets: np.ndarray, flip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of parts ``source_start[i]:source_start[i] + lengths[i]``, concatenated at
    ``new_offsets``, each part reversed where ``flip`` is set (in slices of parts)."""
    total = int(new_offsets[-1])
    out_x, out_y = np.empty(total), np.empty(total)
    for a in range(0, len(lengths), 4 * SLICE):
        b = min(a + 4 * SLICE, len(lengths))
        first, last = int(new_offsets[a]), int(new_offsets[b])
        if last == first:
            continue
        flipped = flip[a:b]
        offsets = new_offsets[a:b]
        base = np.where(flipped, source_start[a:b] + lengths[a:b] - 1 + offsets, source_start[a:b] - offsets)
        sign = np.where(flipped, -1, 1)
        position = np.arange(first, last, dtype=np.int64)
        index = np.repeat(base, lengths[a:b]) + np.repeat(sign, lengths[a:b]) * position
        out_x[first:last] = x[index]
        out_y[first:last] = y[index]
    return out_x, out_y


def _ring_coordinates(polygons: np.ndarray, owner: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vertices of every ring of ``polygons`` (exterior first), ring offsets, ring owners and
    exterior flags, calling ``get_rings`` only on the polygons that have holes."""
    coords, poly_counts = _coordinates(polygons)
    interiors = np.maximum(shapely.get_num_interior_rings(polygons), 0)
    rings_per_poly = 1 + interiors
    first_ring = concat_offsets(rings_per_poly)
    ring_counts = np.empty(int(first_ring[-1]), dtype=np.int64)
    holed = np.flatnonzero(interiors > 0)
    plain = interiors == 0
    ring_counts[first_ring[:-1][plain]] = poly_counts[plain]
    if len(holed):
        rings = shapely.get_rings(polygons[holed])
        ring_counts[ranges_index(first_ring[holed], first_ring[holed + 1])] = shapely.get_num_coordinates(rings)
    is_exterior = np.zeros(len(ring_counts), dtype=bool)
    is_exterior[first_ring[:-1]] = True
    return coords, concat_offsets(ring_counts), np.repeat(owner, rings_per_poly), is_exterior


def _middle(values: np.ndarray) -> float:
    """The middle of the plausible values (one vertex at 1e308 or infinity must not shift
    every other ring to infinity)."""
    low, high = np.nanmin(values), np.nanmax(values)
    if not (abs(low) <= MAX_PROJECTED_COORDINATE and abs(high) <= MAX_PROJECTED_COORDINATE):
        plausible = values[np.abs(values) <= MAX_PROJECTED_COORDINATE]
        if not len(plausible):
            return 0.0
        low, high = plausible.min(), plausible.max()
    return 0.5 * (float(low) + float(high))


def _ring_needs_flip(x: np.ndarray, y: np.ndarray, ring_offsets: np.ndarray, is_exterior: np.ndarray) -> np.ndarray:
    """True for rings to reverse so exteriors run counter-clockwise and holes clockwise
    (what shapely.orient_polygons does)."""
    n_rings = len(ring_offsets) - 1
    flip = np.zeros(n_rings, dtype=bool)
    if n_rings == 0 or len(x) < 2:
        return flip
    # Twice the signed area (shoelace) of each closed ring.
    counts = np.diff(ring_offsets)
    has_area = counts > 2
    starts = ring_offsets[:-1][has_area]
    # Shift to the data's centre so products of large projected coordinates keep their
    # precision (the sign of sliver rings is what matters).
    xs = x - _middle(x)
    ys = y - _middle(y)
    cross = np.zeros(len(x))
    np.multiply(xs[:-1], ys[1:], out=cross[:-1])
    cross[:-1] -= xs[1:] * ys[:-1]
    del xs, ys
    cross[ring_offsets[1:][counts > 0] - 1] = 0.0  # a ring's last vertex pairs with no one
    short = np.flatnonzero(~has_area & (counts > 0))
    if len(short):  # degenerate rings between two real ones must add nothing to either
        cross[ranges_index(ring_offsets[short], ring_offsets[short + 1])] = 0.0
    sums = np.add.reduceat(cross, starts) if len(starts) else np.empty(0)
    area2 = np.zeros(n_rings)
    area2[has_area] = sums
    return np.where(is_exterior, area2 < 0, area2 > 0)


class ProjectedCache:
    """A layer's geometries in one CRS.

    ``flat`` (the arrays above, with ``bounds`` per row) is built at once and is all the
    canvas needs to draw, cull and identify. Shapely geometries in this CRS and their
    STRtree (``geometries``, ``tree``) are built on first use only, for editing and
    snapping: a million projected shapely polygons cost as much memory as the layer.
    ``take(rows)`` projects just some rows. After an edit, :meth:`patched` gives the
    cache of the new data at the cost of the changed rows.
    """

    full_builds = 0  # caches built from all rows, ever (tests count rebuilds with it)

    def __init__(self, crs: str, source: np.ndarray, source_crs: str, family: str,
                 flat: FlatGeometry | PatchedFlat | None = None) -> None:
        self.crs = crs
        self.source = source  # the layer's geometry array (never mutated, replaced on edits)
        self.source_crs = source_crs
        self.family = family
        if flat is None:
            ProjectedCache.full_builds += 1
            flat = build_flat(np.asarray(source, dtype=object), family, source_crs, crs)
            flat.row_positions  # noqa: B018 - made here, in the render thread, not at the first edit
        self.flat = flat
        self._same_crs = same_crs(source_crs, crs)
        self._geometries: np.ndarray | None = None
        self._tree: shapely.STRtree | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_flat(cls, crs: str, source: np.ndarray, source_crs: str, family: str, flat: FlatGeometry) -> ProjectedCache:
        """The cache of ``source`` whose flat arrays in ``crs`` are built already (a file read in
        chunks, see :func:`concatenate_flat`)."""
        return cls(crs, source, source_crs, family, flat=flat)

    def patched(self, source: np.ndarray, change: RowChange) -> ProjectedCache | None:
        """This cache after ``change`` of the layer, whose geometry array is now ``source``.

        Only changed and added rows are projected; the flat arrays, and the projected
        geometries if they were made, are shared or patched. The STRtree cannot be
        updated and is rebuilt when asked for (box queries use the flat index). None when
        the change is too large for a patch (see ``MAX_PATCH_ROWS``): rebuild instead.
        """
        if change.kind == "attributes":
            flat: FlatGeometry | PatchedFlat | None = self.flat
        else:
            flat = patch_flat(self.flat, change, source, self.source_crs, self.crs)
        if flat is None:
            return None
        cache = ProjectedCache(self.crs, source, self.source_crs, self.family, flat=flat)
        with self._lock:
            geometries, tree = self._geometries, self._tree
        if change.kind == "attributes":
            cache._geometries, cache._tree = geometries, tree
        elif geometries is not None:
            rows = change.rows
            if change.kind == "geometry":
                geometries = geometries.copy()
                geometries[rows] = cache._project(np.asarray(source, dtype=object)[rows])
            elif change.kind == "remove":
                geometries = np.delete(geometries, rows)
            else:
                added = np.empty(len(rows), dtype=object)
                added[:] = cache._project(np.asarray(source, dtype=object)[rows])
                geometries = np.insert(geometries, rows - np.arange(len(rows)), added)
            cache._geometries = geometries
        return cache

    @property
    def bounds(self) -> np.ndarray:
        """(n, 4) bounds per layer row, NaN for empty geometries."""
        return self.flat.bounds

    @property
    def total_bounds(self) -> np.ndarray:
        """(xmin, ymin, xmax, ymax) of every feature with bounds, NaN if none (from the
        culling blocks: without the per-row bounds)."""
        flat = self.flat
        return flat.total_bounds if isinstance(flat, FlatGeometry) else _total_bounds(flat.bounds)

    def bounds_of(self, rows: np.ndarray) -> np.ndarray:
        """(len, 4) bounds of some rows (after an edit, without copying every row's)."""
        return self.flat.bounds_of(rows)

    def _project(self, geoms: np.ndarray) -> np.ndarray:
        if self._same_crs:
            projected = geoms
        else:
            trans = transformer(self.source_crs, self.crs)
            projected = shapely.transform(geoms, lambda c: np.column_stack(trans.transform(c[:, 0], c[:, 1])))
        if self.family == "polygon":
            # Consistent ring orientation lets renderers fill holes with the winding rule.
            projected = shapely.orient_polygons(projected)
        return projected

    @property
    def geometries(self) -> np.ndarray:
        with self._lock:
            if self._geometries is None:
                self._geometries = self._project(np.asarray(self.source, dtype=object))
            return self._geometries

    @property
    def tree(self) -> shapely.STRtree:
        geometries = self.geometries
        with self._lock:
            if self._tree is None:
                # Features without finite bounds stay out (GEOS refuses NaN envelopes).
                drawable = ~np.isnan(self.flat.bounds).any(axis=1)
                kept = geometries if drawable.all() else np.where(drawable, geometries, np.array(None, dtype=object))
                self._tree = shapely.STRtree(kept)
            return self._tree

    def take(self, rows: np.ndarray) -> np.ndarray:
        """Geometries of ``rows`` in this CRS, without projecting the whole layer."""
        rows = np.asarray(rows, dtype=np.int64)
        if self._geometries is not None:
            return self._geometries[rows]
        return self._project(np.asarray(self.source, dtype=object)[rows])

    def rows_in(self, xmin: float, ymin: float, xmax: float, ymax: float) -> np.ndarray:
        """Rows whose bounds meet the box, ascending (what ``tree.query(box)`` finds)."""
        return self.flat.rows_in(xmin, ymin, xmax, ymax)
