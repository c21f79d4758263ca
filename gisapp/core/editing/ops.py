"""Build edits from the current data: add, split, merge, paste, delete, repair (no Qt).

Each function looks at a layer, computes the new geometries and attributes, and
returns an :class:`~gisapp.core.editing.edits.Edit` to apply (it changes nothing itself),
or raises :class:`EditError` with a key the UI turns into a clear message.
All geometries passed in and out are in the layer's own CRS.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import split as shapely_split

from gisapp.core.editing.edits import (
    AddFeatures,
    CompoundEdit,
    DeleteFeatures,
    Edit,
    SetAttribute,
    SetGeometries,
    coerce_value,
    new_rows,
    plural_kind,
)
from gisapp.core.editing.validation import repair
from gisapp.core.geo.geodesy import transform_geometries
from gisapp.core.geo.geometry_ops import GeometryEditError, family_of, orient
from gisapp.core.geo.geometry_ops import add_part as _add_part
from gisapp.core.geo.geometry_ops import add_ring as _add_ring
from gisapp.core.model.layer import ID_FIELD, VectorLayer


class EditError(ValueError):
    """An edit that cannot be made; ``key`` and ``params`` let the UI explain why."""

    def __init__(self, key: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.key = key
        self.params = params


# --- ids and names ---------------------------------------------------------------------------
def _ids(layer: VectorLayer) -> set[str]:
    if ID_FIELD not in layer.frame.columns:
        return set()
    return set(layer.frame[ID_FIELD].dropna().astype(str))


def unique_id(existing: set[str], base: str, suffix: str) -> str:
    """``base`` if free, else ``base.<suffix>2``, ``base.<suffix>3``... (``base.<suffix>`` first for copies)."""
    if base not in existing:
        return base
    n = 2
    while f"{base}.{suffix}{n}" in existing:
        n += 1
    return f"{base}.{suffix}{n}"


def id_prefix(layer: VectorLayer) -> str:
    """The dotted prefix the layer's ids share (e.g. 'hitech.city.yingeshi.sector'), else the layer id."""
    ids = sorted(_ids(layer))
    if not ids:
        return layer.id
    split = [i.split(".") for i in ids]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    if len(ids) == 1:
        common = split[0][:-1]
    return ".".join(common) or layer.id


def next_new_id(layer: VectorLayer) -> str:
    """'<prefix>.new1', '<prefix>.new2'...: the first id of that form not yet used."""
    ids, prefix, n = _ids(layer), id_prefix(layer), 1
    while f"{prefix}.new{n}" in ids:
        n += 1
    return f"{prefix}.new{n}"


def names(layer: VectorLayer, row: int) -> dict[str, str]:
    return {"name": layer.feature_label(row, "en"), "name_zh": layer.feature_label(row, "zh"),
            "name_en": layer.feature_label(row, "en")}


def _common_value(layer: VectorLayer, column: str) -> Any:
    if column not in layer.frame.columns or len(layer.frame) == 0:
        return None
    values = layer.frame[column].dropna().astype(str)
    values = values[values != ""]
    unique = values.unique()
    return unique[0] if len(unique) == 1 and len(values) == len(layer.frame) else None


def _require_family(layer: VectorLayer, geom: BaseGeometry) -> None:
    if family_of(geom) != layer.geometry_family and len(layer.frame):
        raise EditError("wrong_family", "the geometry type does not match the layer",
                        family=layer.geometry_family)


# --- add ----------------------------------------------------------------------------------------
def add_feature(layer: VectorLayer, geom: BaseGeometry, attributes: dict[str, Any] | None = None) -> Edit:
    """A new feature with a fresh id; it inherits the parent zone its siblings share."""
    _require_family(layer, geom)
    geom = orient(geom)
    record: dict[str, Any] = dict(attributes or {})
    if ID_FIELD in layer.frame.columns and not record.get(ID_FIELD):
        record[ID_FIELD] = next_new_id(layer)
    parent = _common_value(layer, "parent_id")
    if parent and "parent_id" not in record:
        record["parent_id"] = parent
    if "geom_quality" in layer.frame.columns and "geom_quality" not in record:
        record["geom_quality"] = "schematic"  # drawn by hand on the map
    family = family_of(geom)
    return AddFeatures(layer.id, new_rows(layer, [geom], [record]), kind=f"add_{family}")


def add_ring(layer: VectorLayer, ring_coords: np.ndarray, preferred_rows: Iterable[int] = ()) -> Edit:
    """Cut a hole into the polygon (selected first) that contains the ring."""
    if layer.geometry_family != "polygon":
        raise EditError("needs_polygons", "rings can only be added to polygons")
    geoms = layer.geometry_array
    ring = np.asarray(ring_coords, dtype=float)
    if len(np.unique(ring, axis=0)) < 3:
        raise EditError("too_few_vertices", "a ring needs at least 3 vertices", minimum=3)
    hole = shapely.Polygon(ring)
    rows = [int(r) for r in preferred_rows]
    rows += [int(r) for r in np.flatnonzero(shapely.contains(layer.frame.geometry.to_numpy(), hole))
             if int(r) not in rows]
    for row in rows:
        try:
            new = _add_ring(geoms[row], ring)
        except GeometryEditError:
            continue
        return SetGeometries(layer.id, [row], [new], old=[geoms[row]], kind="add_ring")
    raise EditError("ring_outside", "draw the ring inside a polygon of the layer")


def add_part(layer: VectorLayer, row: int | None, part: BaseGeometry) -> Edit:
    if row is None:
        raise EditError("select_one", "select exactly one feature to add a part to")
    geoms = layer.geometry_array
    try:
        new = _add_part(geoms[row], orient(part))
    except GeometryEditError as exc:
        raise EditError(exc.key, str(exc)) from None
    return SetGeometries(layer.id, [row], [new], old=[geoms[row]], kind="add_part")


# --- delete ---------------------------------------------------------------------------------------
def delete_features(layer: VectorLayer, rows: Iterable[int]) -> Edit:
    rows = sorted({int(r) for r in rows})
    if not rows:
        raise EditError("nothing_selected", "select features first")
    return DeleteFeatures(layer.id, rows, kind=plural_kind("delete_feature", "delete_features", len(rows)),
                          params={"n": len(rows)})


# --- split ------------------------------------------------------------------------------------------
def extend_line(line: shapely.LineString, distance: float) -> shapely.LineString:
    """Lengthen both end segments by ``distance`` so a cut that ends on a boundary crosses it."""
    coords = shapely.get_coordinates(line)
    if len(coords) < 2 or distance <= 0:
        return line
    coords = coords.copy()
    for end, inner in ((0, 1), (-1, -2)):
        vector = coords[end] - coords[inner]
        norm = float(np.hypot(*vector))
        if norm > 0:
            coords[end] = coords[end] + vector / norm * distance
    return shapely.LineString(coords)


def _split_geometry(geom: BaseGeometry, line: shapely.LineString) -> list[BaseGeometry] | None:
    """Pieces of ``geom`` cut by ``line``; parts the line misses stay with the largest piece."""
    family = family_of(geom)
    parts = list(shapely.get_parts(geom))
    cut: list[BaseGeometry] = []
    untouched: list[BaseGeometry] = []
    for part in parts:
        pieces = list(shapely_split(part, line).geoms) if part.intersects(line) else [part]
        pieces = [p for p in pieces if not p.is_empty]
        (cut if len(pieces) > 1 else untouched).extend(pieces)
    if not cut:
        return None
    measure = shapely.area if family == "polygon" else shapely.length
    cut.sort(key=lambda g: -float(measure(g)))
    first = [cut[0], *untouched]  # single parts of the geometry's own family
    if len(first) == 1 and not geom.geom_type.startswith("Multi"):
        keep = first[0]
    elif family == "polygon":
        keep = shapely.MultiPolygon(cast(list[shapely.Polygon], first))
    else:
        keep = shapely.MultiLineString(cast(list[shapely.LineString], first))
    return [orient(keep), *[orient(p) for p in cut[1:]]]


def split_features(layer: VectorLayer, line: shapely.LineString, rows: Sequence[int] | np.ndarray | None = None,
                   extend: float = 0.0) -> Edit:
    """Split polygons or lines crossed by ``line`` (the selected ones if ``rows`` is given).

    The largest piece keeps the feature (its row, id and indicator links); every
    other piece becomes a new feature with the same attributes and an id such as
    ``<id>.part2``.
    """
    if layer.geometry_family not in ("polygon", "line"):
        raise EditError("split_needs_lines_or_polygons", "only polygons and lines can be split")
    line = extend_line(line, extend)
    all_geoms = layer.frame.geometry.to_numpy()
    if rows is None or len(rows) == 0:
        rows = np.flatnonzero(shapely.intersects(all_geoms, line))
    edits: list[Edit] = []
    added_geoms: list[BaseGeometry] = []
    added_records: list[dict[str, Any]] = []
    ids = _ids(layer)
    split_rows: list[int] = []
    pieces_total = 0
    for row in sorted(int(r) for r in rows):
        pieces = _split_geometry(all_geoms[row], line)
        if pieces is None:
            continue
        split_rows.append(row)
        pieces_total += len(pieces)
        edits.append(SetGeometries(layer.id, [row], [pieces[0]], old=[all_geoms[row]]))
        record = layer.frame.drop(columns=layer.frame.geometry.name).iloc[row].to_dict()
        for piece in pieces[1:]:
            extra = dict(record)
            if ID_FIELD in extra and isinstance(extra[ID_FIELD], str) and extra[ID_FIELD]:
                extra[ID_FIELD] = unique_id(ids | {extra[ID_FIELD]}, extra[ID_FIELD], "part")
                ids.add(extra[ID_FIELD])
            added_geoms.append(piece)
            added_records.append(extra)
    if not split_rows:
        raise EditError("split_no_cross", "the line must cross a feature from one side to the other")
    if added_geoms:
        edits.append(AddFeatures(layer.id, new_rows(layer, added_geoms, added_records), select=False))
    if len(split_rows) == 1:
        kind, params = "split", {**names(layer, split_rows[0]), "n": pieces_total}
    else:
        kind, params = "split_many", {"count": len(split_rows), "n": pieces_total}
    return CompoundEdit(edits, kind=kind, params=params)


# --- merge -------------------------------------------------------------------------------------------
def merge_features(layer: VectorLayer, rows: Iterable[int], keep_row: int) -> Edit:
    """One feature from the selected ones, with ``keep_row``'s attributes."""
    rows = sorted({int(r) for r in rows})
    if len(rows) < 2:
        raise EditError("merge_needs_two", "select at least two features to merge")
    if keep_row not in rows:
        raise EditError("merge_keep", "the feature whose attributes are kept must be selected")
    if layer.geometry_family == "point":
        raise EditError("merge_needs_lines_or_polygons", "points cannot be merged")
    geoms = layer.geometry_array
    union = shapely.union_all(np.array([geoms[r] for r in rows], dtype=object))
    if layer.geometry_family == "line":
        union = shapely.line_merge(union) if union.geom_type == "MultiLineString" else union
    union = orient(union)
    others = [r for r in rows if r != keep_row]
    kept_at = keep_row - sum(1 for r in others if r < keep_row)
    label = {**names(layer, keep_row), "n": len(rows)}
    return CompoundEdit([
        DeleteFeatures(layer.id, others),
        SetGeometries(layer.id, [kept_at], [union], old=[geoms[keep_row]]),
    ], kind="merge", params=label)


# --- paste -------------------------------------------------------------------------------------------
def paste_features(layer: VectorLayer, frame: pd.DataFrame, source_crs: str) -> Edit:
    """Copies of ``frame``'s features in ``layer``: same-named fields are kept, ids made unique."""
    if len(frame) == 0:
        raise EditError("clipboard_empty", "copy features first")
    geom_name = frame.geometry.name
    geoms = transform_geometries(frame.geometry.to_numpy(), source_crs, layer.crs)
    families = {family_of(g) for g in geoms if g is not None and not g.is_empty}
    if len(layer.frame) and families - {layer.geometry_family}:
        raise EditError("wrong_family", "paste features into a layer of the same geometry type",
                        family=layer.geometry_family)
    ids = _ids(layer)
    records = []
    for record in frame.drop(columns=geom_name).to_dict("records"):
        record = {k: v for k, v in record.items() if k in layer.frame.columns}
        if isinstance(record.get(ID_FIELD), str) and record[ID_FIELD]:
            record[ID_FIELD] = unique_id(ids, record[ID_FIELD], "copy")
            ids.add(record[ID_FIELD])
        records.append(record)
    n = len(records)
    return AddFeatures(layer.id, new_rows(layer, list(geoms), records),
                       kind=plural_kind("paste_feature", "paste_features", n), params={"n": n})


# --- repair --------------------------------------------------------------------------------------------
def repair_features(layer: VectorLayer, rows: Iterable[int]) -> Edit:
    rows = sorted({int(r) for r in rows})
    geoms = layer.geometry_array
    new = [repair(geoms[r]) for r in rows]
    return SetGeometries(layer.id, rows, new, old=[geoms[r] for r in rows],
                         kind=plural_kind("repair", "repair_many", len(rows)), params={"n": len(rows)})


# --- traced over a georeferenced figure ---------------------------------------------------------------
TRACED = "traced"


def traced_basis(figure: str) -> str:
    """The ``geom_basis`` of a shape traced over ``figure`` (an image's file name or title)."""
    return f"traced over the georeferenced figure {figure}"


def mark_traced(layer: VectorLayer, rows: Iterable[int], figure: str) -> Edit:
    """One undo step setting ``geom_quality = traced`` and ``geom_basis`` (if the layer has it)
    on ``rows``: their shapes were traced over ``figure``."""
    rows = sorted({int(r) for r in rows})
    figure = str(figure or "").strip()
    if not rows:
        raise EditError("nothing_selected", "select the features first")
    if not figure:
        raise EditError("no_figure", "name the figure the features were traced over")
    frame = layer.frame
    if "geom_quality" not in frame.columns:
        raise EditError("no_quality_field", "the layer has no geom_quality field", layer=layer.title("en"))
    values = {"geom_quality": TRACED}
    if "geom_basis" in frame.columns:
        values["geom_basis"] = traced_basis(figure)
    edits: list[Edit] = []
    for row in rows:
        for column, value in values.items():
            edits.append(SetAttribute(layer.id, row, column, coerce_value(frame, column, value),
                                      old=frame.iat[row, frame.columns.get_loc(column)]))
    return CompoundEdit(edits, kind="mark_traced", params={"n": len(rows), "figure": figure})
