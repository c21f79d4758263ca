"""Data edits as plain objects with do/undo and a readable label in both languages (no Qt).

Every change a designer makes to layer data is one :class:`Edit`: set geometries
(a vertex drag, a move, a rotation, a repair), set an attribute, add features,
delete features, or a :class:`CompoundEdit` of those (split, merge). Edits are
applied to a :class:`~gisapp.core.model.project.Project` through an
:class:`~gisapp.core.editing.session.EditSession`; the Qt side wraps each one in a
QUndoCommand (``gisapp/ui/editing/undo.py``) labelled with :meth:`Edit.label_in` in the
window's language.

Edits keep the *old* values they replace (geometries in the layer's own CRS, cell
values, removed rows), so ``undo`` restores exactly what was there, bit for bit,
and ``do`` after ``undo`` re-applies exactly the new values. Rows are addressed by
position; an undo stack applies and reverts edits strictly in order, so the
positions an edit saw are the positions it finds again.

Example
-------
>>> import geopandas as gpd, shapely
>>> from gisapp.core.model.layer import VectorLayer
>>> from gisapp.core.model.project import Project
>>> layer = VectorLayer("zones", "区", "Zones", gpd.GeoDataFrame(
...     {"id": ["a"]}, geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326"))
>>> project = Project(layers=[layer])
>>> edit = SetGeometries("zones", [0], [shapely.box(0, 0, 2, 2)], project=project,
...                      kind="move_feature")
>>> edit.do(project); layer.frame.geometry.iloc[0].bounds
(0.0, 0.0, 2.0, 2.0)
>>> edit.undo(project); layer.frame.geometry.iloc[0].bounds
(0.0, 0.0, 1.0, 1.0)
>>> edit.label, edit.label_in("zh")
('Move feature', '移动要素')
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from geopandas.array import GeometryArray

from gisapp.core.geo.flatgeom import RowChange
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.texts import Bilingual, normalise_lang

# Undo-history labels by ``Edit.kind``, filled in from ``Edit.params`` ({n}, {name}, ...).
LABELS = {
    "add_point": Bilingual("添加点", "Add point"),
    "add_line": Bilingual("添加线", "Add line"),
    "add_polygon": Bilingual("添加面", "Add polygon"),
    "add_ring": Bilingual("添加内环", "Add ring"),
    "add_part": Bilingual("添加部件", "Add part"),
    "move_vertex": Bilingual("移动节点", "Move vertex"),
    "move_vertices": Bilingual("移动 {n} 个节点", "Move {n} vertices"),
    "insert_vertex": Bilingual("插入节点", "Insert vertex"),
    "delete_vertex": Bilingual("删除节点", "Delete vertex"),
    "delete_vertices": Bilingual("删除 {n} 个节点", "Delete {n} vertices"),
    "move_feature": Bilingual("移动要素", "Move feature"),
    "move_features": Bilingual("移动 {n} 个要素", "Move {n} features"),
    "rotate_feature": Bilingual("旋转要素 {angle}°", "Rotate feature by {angle}°"),
    "rotate_features": Bilingual("旋转 {n} 个要素 {angle}°", "Rotate {n} features by {angle}°"),
    "delete_feature": Bilingual("删除要素", "Delete feature"),
    "delete_features": Bilingual("删除 {n} 个要素", "Delete {n} features"),
    "set_attribute": Bilingual("将 {field} 设为“{value}”", "Set {field} to “{value}”"),
    "split": Bilingual("将{name}分割为 {n} 块", "Split {name} into {n} parts"),
    "split_many": Bilingual("分割 {count} 个要素", "Split {count} features"),
    "merge": Bilingual("将 {n} 个要素合并为{name}", "Merge {n} features into {name}"),
    "paste_feature": Bilingual("粘贴要素", "Paste feature"),
    "paste_features": Bilingual("粘贴 {n} 个要素", "Paste {n} features"),
    "repair": Bilingual("修复几何", "Repair geometry"),
    "repair_many": Bilingual("修复 {n} 个几何", "Repair {n} geometries"),
    "recover": Bilingual("恢复未保存的编辑", "Recover unsaved edits"),
    "restore_version": Bilingual("将{name}恢复为第 {version} 版", "Restore {name} to version {version}"),
    "take_theirs": Bilingual("采用他人对{name}的修改", "Take their version of {name}"),
    "resolve_conflict": Bilingual("合并{name}的冲突修改", "Merge conflicting edits of {name}"),
    "mark_traced": Bilingual("将 {n} 个要素标记为据“{figure}”描绘", "Mark {n} feature(s) as traced over “{figure}”"),
    "calculate_field": Bilingual("计算 {field}（{n} 个要素）", "Calculate {field} for {n} features"),
    "add_field": Bilingual("新建字段 {field}（{n} 个要素）", "New field {field} for {n} features"),
    "rename_layer": Bilingual("将图层重命名为“{name}”", "Rename layer to “{name}”"),
    "set_alias": Bilingual("{field} 的别名设为“{alias}”", "Alias of {field} set to “{alias}”"),
    "edit": Bilingual("编辑", "Edit"),
}

_tokens = itertools.count(1)


def plural_kind(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


@dataclass(eq=False)
class Edit:
    """Base class: one undoable change with a label."""

    kind: str = field(default="edit", kw_only=True)
    params: dict[str, Any] = field(default_factory=dict, kw_only=True)

    def __post_init__(self) -> None:
        self.token = next(_tokens)

    @property
    def label(self) -> str:
        """The label in English."""
        return self.label_in("en")

    def label_in(self, lang: str) -> str:
        """The label in ``lang``; a feature's ``name`` is taken in that language when known."""
        template = LABELS.get(self.kind, LABELS["edit"])(lang)
        params = dict(self.params)
        name_key = f"name_{normalise_lang(lang)}"
        if name_key in params:
            params["name"] = params[name_key]
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            return template

    def layer_ids(self) -> tuple[str, ...]:
        raise NotImplementedError

    def do(self, project: Project) -> None:
        raise NotImplementedError

    def undo(self, project: Project) -> None:
        raise NotImplementedError

    def touched_rows(self) -> dict[str, list[int]]:
        """Rows whose data this edit set (valid right after ``do``), by layer id."""
        return {}


# --- frame helpers --------------------------------------------------------------------------
# A layer's frame is never changed in place: an edit builds a new frame (a shallow,
# copy-on-write copy) and swaps it in, so a render thread reading the old one is safe.
# Each helper tells the layer which rows changed, so it updates its caches for those alone.
def _set_geometries(layer: VectorLayer, rows: np.ndarray, geoms: np.ndarray) -> None:
    frame = layer.frame.copy(deep=False)
    # One copy of the geometry pointers, made ahead off the UI thread when the UI asked for it
    # (GeoSeries(values) would copy them again: 25 ms more for a million rows).
    values = layer.edit_geometry_values()
    values[rows] = geoms
    frame[frame.geometry.name] = gpd.GeoSeries(GeometryArray(values, crs=frame.crs), index=frame.index, copy=False)
    old = np.asarray(layer.frame.geometry.array, dtype=object)
    layer.apply_change(frame, RowChange("geometry", rows))
    layer.retire_geometry_values(old, rows)


def _set_cell(layer: VectorLayer, row: int, column: str, value: Any) -> None:
    frame = layer.frame.copy(deep=False)
    frame.iloc[row, frame.columns.get_loc(column)] = value
    layer.apply_change(frame, RowChange("attributes", np.array([row]), (column,)))


def _insert_rows(layer: VectorLayer, positions: np.ndarray, rows: gpd.GeoDataFrame) -> None:
    """Insert ``rows`` so that they end up at ``positions`` (sorted) of the new frame."""
    old = layer.frame
    total = len(old) + len(rows)
    combined = pd.concat([old, rows.set_axis(old.columns, axis=1)], ignore_index=True)
    is_new = np.zeros(total, dtype=bool)
    is_new[positions] = True
    order = np.empty(total, dtype=np.int64)
    order[~is_new] = np.arange(len(old))
    order[is_new] = len(old) + np.arange(len(rows))
    frame = gpd.GeoDataFrame(combined.iloc[order], geometry=old.geometry.name, crs=old.crs)
    layer.apply_change(frame.reset_index(drop=True), RowChange("insert", positions))


def _remove_rows(layer: VectorLayer, positions: np.ndarray,
                 dtypes: pd.Series | None = None) -> gpd.GeoDataFrame:
    old = layer.frame
    removed = old.iloc[positions].copy()
    frame = old.drop(index=old.index[positions])
    if dtypes is not None:
        for column, dtype in dtypes.items():
            if column in frame.columns and frame[column].dtype != dtype:
                try:
                    frame[column] = frame[column].astype(dtype)
                except (TypeError, ValueError):
                    pass
    frame = gpd.GeoDataFrame(frame, geometry=old.geometry.name, crs=old.crs).reset_index(drop=True)
    layer.apply_change(frame, RowChange("remove", positions))
    return removed


def _set_column(layer: VectorLayer, rows: np.ndarray, column: str, values: pd.Series | np.ndarray) -> None:
    """Set ``column`` at ``rows`` (values already of the column's type) in a new frame."""
    frame = layer.frame.copy(deep=False)
    series = frame[column].copy()
    series.iloc[rows] = values
    frame[column] = series
    layer.apply_change(frame, RowChange("attributes", rows, (column,)))


# The frame attribute where io/field_types.py keeps declared field types (FIELD_TYPES there).
DECLARED_TYPES_ATTR = "gisapp_field_types"
NEW_FIELD_DTYPES = {"integer": "Int64", "real": "float64", "text": "object", "date": "datetime64[ns]"}


# --- edits ---------------------------------------------------------------------------------
@dataclass(eq=False)
class SetGeometries(Edit):
    """Replace the geometries of some rows (layer CRS); remembers the old ones."""

    layer_id: str
    rows: list[int]
    new: list[Any]
    old: list[Any] | None = None
    project: Project | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.rows = [int(r) for r in self.rows]
        if self.old is None:
            if self.project is None:
                raise ValueError("SetGeometries needs the old geometries or the project")
            geoms = self.project.layer(self.layer_id).geometry_array
            self.old = [geoms[r] for r in self.rows]
        self.project = None  # do not keep the project alive from the undo stack

    def layer_ids(self) -> tuple[str, ...]:
        return (self.layer_id,)

    def _apply(self, project: Project, geoms: list[Any]) -> None:
        layer = project.layer(self.layer_id)
        values = np.empty(len(geoms), dtype=object)
        values[:] = geoms
        _set_geometries(layer, np.asarray(self.rows, dtype=np.int64), values)

    def do(self, project: Project) -> None:
        self._apply(project, self.new)

    def undo(self, project: Project) -> None:
        if self.old is None:  # __post_init__ always sets it
            raise RuntimeError("SetGeometries without the old geometries")
        self._apply(project, self.old)

    def touched_rows(self) -> dict[str, list[int]]:
        return {self.layer_id: list(self.rows)}


@dataclass(eq=False)
class SetAttribute(Edit):
    """Set one cell; ``new`` must already have the column's type (see coerce_value)."""

    layer_id: str
    row: int
    column: str
    new: Any
    old: Any = None
    project: Project | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.project is not None:
            frame = self.project.layer(self.layer_id).frame
            self.old = frame.iat[self.row, frame.columns.get_loc(self.column)]
        self.project = None
        if self.kind == "edit":
            self.kind = "set_attribute"
        shown = "" if _is_missing(self.new) else str(self.new)
        self.params.setdefault("field", self.column)
        self.params.setdefault("value", shown if len(shown) <= 24 else shown[:23] + "…")

    def layer_ids(self) -> tuple[str, ...]:
        return (self.layer_id,)

    def do(self, project: Project) -> None:
        _set_cell(project.layer(self.layer_id), self.row, self.column, self.new)

    def undo(self, project: Project) -> None:
        _set_cell(project.layer(self.layer_id), self.row, self.column, self.old)

    def touched_rows(self) -> dict[str, list[int]]:
        return {self.layer_id: [self.row]}


@dataclass(eq=False)
class SetFieldValues(Edit):
    """Set one column at many rows in one step (the field calculator); ``new`` holds values of the
    column's type, one per row. Undo puts back the old values exactly."""

    layer_id: str
    column: str
    rows: np.ndarray
    new: pd.Series
    old: pd.Series | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.rows = np.asarray(self.rows, dtype=np.int64)
        order = np.argsort(self.rows, kind="stable")
        self.rows = self.rows[order]
        self.new = pd.Series(self.new).iloc[order].reset_index(drop=True)
        if self.kind == "edit":
            self.kind = "calculate_field"
        self.params.setdefault("field", self.column)
        self.params.setdefault("n", len(self.rows))

    def layer_ids(self) -> tuple[str, ...]:
        return (self.layer_id,)

    def do(self, project: Project) -> None:
        layer = project.layer(self.layer_id)
        if self.old is None:
            self.old = layer.frame[self.column].iloc[self.rows].reset_index(drop=True).copy()
        _set_column(layer, self.rows, self.column, self.new.to_numpy(dtype=object)
                    if self.new.dtype == object else self.new.array)

    def undo(self, project: Project) -> None:
        if self.old is None:
            raise RuntimeError("SetFieldValues.undo before do: no values to restore")
        _set_column(project.layer(self.layer_id), self.rows, self.column,
                    self.old.to_numpy(dtype=object) if self.old.dtype == object else self.old.array)

    def touched_rows(self) -> dict[str, list[int]]:
        return {}  # attributes only: no geometry to check again (a million rows would be)


@dataclass(eq=False)
class AddField(Edit):
    """A new column (before the geometry) holding ``values``, one per row; undo removes it.
    ``field_type`` is integer, real, text or date (NEW_FIELD_DTYPES)."""

    layer_id: str
    column: str
    field_type: str
    values: pd.Series

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.field_type not in NEW_FIELD_DTYPES:
            raise ValueError(f"unknown field type {self.field_type!r}")
        if self.kind == "edit":
            self.kind = "add_field"
        self.params.setdefault("field", self.column)
        self.params.setdefault("n", len(self.values))

    def layer_ids(self) -> tuple[str, ...]:
        return (self.layer_id,)

    def do(self, project: Project) -> None:
        layer = project.layer(self.layer_id)
        old = layer.frame
        if self.column in old.columns:
            raise FieldValueError("field_exists", f"the layer already has a field {self.column!r}",
                                  field=self.column)
        if len(self.values) != len(old):
            raise ValueError("AddField: one value per row is needed")
        frame = old.copy(deep=False)
        frame.insert(frame.columns.get_loc(frame.geometry.name), self.column,
                     pd.Series(self.values.to_numpy(), index=frame.index, dtype=self.values.dtype))
        if self.field_type == "date":
            declared = dict(old.attrs.get(DECLARED_TYPES_ATTR, {}))
            declared[self.column] = "date"
            frame.attrs = {**old.attrs, DECLARED_TYPES_ATTR: declared}
        layer.apply_change(frame, RowChange("attributes", np.empty(0, dtype=np.int64), (self.column,)))

    def undo(self, project: Project) -> None:
        layer = project.layer(self.layer_id)
        old = layer.frame
        frame = old.drop(columns=[self.column])
        declared = dict(old.attrs.get(DECLARED_TYPES_ATTR, {}))
        if declared.pop(self.column, None) is not None:
            frame.attrs = {**old.attrs, DECLARED_TYPES_ATTR: declared}
        layer.field_aliases.pop(self.column, None)
        layer.apply_change(frame, RowChange("attributes", np.empty(0, dtype=np.int64), (self.column,)))

    def touched_rows(self) -> dict[str, list[int]]:
        return {}  # attributes only: no geometry to check again


@dataclass(eq=False)
class RenameLayer(Edit):
    """A layer's title in one or both languages (project metadata: no rows change)."""

    layer_id: str
    title_zh: str
    title_en: str
    old: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind == "edit":
            self.kind = "rename_layer"
        self.params.setdefault("name_zh", self.title_zh)
        self.params.setdefault("name_en", self.title_en)

    def layer_ids(self) -> tuple[str, ...]:
        return ()  # no data changes: no edit buffer is opened

    def _set(self, project: Project, zh: str, en: str) -> None:
        layer = project.map_layer(self.layer_id)
        if self.old is None:
            self.old = (layer.title_zh, layer.title_en)
        layer.title_zh, layer.title_en = zh, en
        layer.changed.emit("title")

    def do(self, project: Project) -> None:
        self._set(project, self.title_zh, self.title_en)

    def undo(self, project: Project) -> None:
        if self.old is None:
            raise RuntimeError("RenameLayer.undo before do")
        self._set(project, *self.old)


@dataclass(eq=False)
class SetFieldAliases(Edit):
    """A user's aliases of one field ({"zh": ..., "en": ...}; empty texts remove them)."""

    layer_id: str
    column: str
    aliases: dict[str, str]
    old: dict[str, str] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind == "edit":
            self.kind = "set_alias"
        self.params.setdefault("field", self.column)
        shown = self.aliases.get("zh") or self.aliases.get("en") or ""
        self.params.setdefault("alias", shown)

    def layer_ids(self) -> tuple[str, ...]:
        return ()

    def _set(self, project: Project, aliases: dict[str, str]) -> None:
        layer = project.layer(self.layer_id)
        if self.old is None:
            self.old = dict(layer.field_aliases.get(self.column, {}))
        kept = {lang: text.strip() for lang, text in aliases.items() if text and text.strip()}
        if kept:
            layer.field_aliases[self.column] = kept
        else:
            layer.field_aliases.pop(self.column, None)
        layer.changed.emit("aliases")

    def do(self, project: Project) -> None:
        self._set(project, self.aliases)

    def undo(self, project: Project) -> None:
        if self.old is None:
            raise RuntimeError("SetFieldAliases.undo before do")
        self._set(project, self.old)


@dataclass(eq=False)
class AddFeatures(Edit):
    """Append rows (a GeoDataFrame in the layer's schema and CRS, see new_rows)."""

    layer_id: str
    rows: gpd.GeoDataFrame
    select: bool = True
    positions: list[int] = field(default_factory=list)
    _dtypes: pd.Series | None = field(default=None, repr=False)

    def layer_ids(self) -> tuple[str, ...]:
        return (self.layer_id,)

    def do(self, project: Project) -> None:
        layer = project.layer(self.layer_id)
        self._dtypes = layer.frame.dtypes.copy()
        start = len(layer.frame)
        self.positions = list(range(start, start + len(self.rows)))
        _insert_rows(layer, np.asarray(self.positions, dtype=np.int64), self.rows)
        if self.select:
            layer.select(self.positions)

    def undo(self, project: Project) -> None:
        layer = project.layer(self.layer_id)
        _remove_rows(layer, np.asarray(self.positions, dtype=np.int64), self._dtypes)
        layer.select([r for r in layer.selection.tolist() if r < len(layer.frame)])

    def touched_rows(self) -> dict[str, list[int]]:
        return {self.layer_id: list(self.positions)}


@dataclass(eq=False)
class DeleteFeatures(Edit):
    """Remove rows; undo puts them back at the same positions."""

    layer_id: str
    rows: list[int]
    _removed: gpd.GeoDataFrame | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.rows = sorted(int(r) for r in set(self.rows))

    def layer_ids(self) -> tuple[str, ...]:
        return (self.layer_id,)

    def do(self, project: Project) -> None:
        layer = project.layer(self.layer_id)
        layer.clear_selection()
        self._removed = _remove_rows(layer, np.asarray(self.rows, dtype=np.int64))

    def undo(self, project: Project) -> None:
        layer = project.layer(self.layer_id)
        _insert_rows(layer, np.asarray(self.rows, dtype=np.int64), self._removed)
        layer.select(self.rows)


@dataclass(eq=False)
class ReplaceFrame(Edit):
    """Swap a layer's whole table (used to recover autosaved edits)."""

    layer_id: str
    new: gpd.GeoDataFrame
    old: gpd.GeoDataFrame | None = None

    def layer_ids(self) -> tuple[str, ...]:
        return (self.layer_id,)

    def do(self, project: Project) -> None:
        layer = project.layer(self.layer_id)
        if self.old is None:
            self.old = layer.frame
        layer.clear_selection()
        layer.set_frame(self.new.copy())

    def undo(self, project: Project) -> None:
        if self.old is None:
            raise RuntimeError("ReplaceFrame.undo before do: no table to restore")
        layer = project.layer(self.layer_id)
        layer.clear_selection()
        layer.set_frame(self.old.copy())

    def touched_rows(self) -> dict[str, list[int]]:
        return {self.layer_id: list(range(len(self.new)))}


@dataclass(eq=False)
class CompoundEdit(Edit):
    """Several edits as one undo step (split, merge, topological moves)."""

    edits: list[Edit]

    def layer_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for edit in self.edits:
            for layer_id in edit.layer_ids():
                seen[layer_id] = None
        return tuple(seen)

    def do(self, project: Project) -> None:
        for edit in self.edits:
            edit.do(project)

    def undo(self, project: Project) -> None:
        for edit in reversed(self.edits):
            edit.undo(project)

    def touched_rows(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for edit in self.edits:
            if isinstance(edit, DeleteFeatures):
                continue
            for layer_id, rows in edit.touched_rows().items():
                out.setdefault(layer_id, [])
                out[layer_id].extend(r for r in rows if r not in out[layer_id])
        return out


# --- attribute values -------------------------------------------------------------------------
class FieldValueError(ValueError):
    """A value that does not fit a field; ``key`` and ``params`` let the UI explain it."""

    def __init__(self, key: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.key = key
        self.params = params


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def field_kind(dtype: np.dtype | pd.api.extensions.ExtensionDtype) -> str:
    """'integer', 'real', 'boolean', 'date' or 'text' for a pandas dtype."""
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "real"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    return "text"


TRUE_WORDS = {"true", "yes", "1", "y", "t", "是", "真"}
FALSE_WORDS = {"false", "no", "0", "n", "f", "否", "假"}


def coerce_value(frame: pd.DataFrame, column: str, value: Any) -> Any:
    """Turn what the user typed into a value of the column's type, or raise FieldValueError.

    An empty text clears the cell where the column allows missing values.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"jobs": pd.Series([1, 2], dtype="int64")})
    >>> coerce_value(frame, "jobs", " 7000 ")
    7000
    >>> coerce_value(frame, "jobs", "7k")
    Traceback (most recent call last):
    ...
    gisapp.core.editing.edits.FieldValueError: 'jobs' takes a whole number; '7k' is not one
    """
    dtype = frame[column].dtype
    kind = field_kind(dtype)
    text = value.strip() if isinstance(value, str) else value
    if text == "" or _is_missing(text):
        if kind == "integer" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
            raise FieldValueError("required_integer", f"'{column}' takes a whole number and cannot be empty",
                              field=column)
        if kind == "boolean" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
            raise FieldValueError("required_boolean", f"'{column}' takes yes or no and cannot be empty",
                              field=column)
        if kind == "integer":
            return pd.NA
        if kind in ("real",):
            return np.nan
        if kind == "date":
            return pd.NaT
        return None
    if kind == "integer":
        try:
            number = float(str(text).replace(",", "")) if not isinstance(text, (int, np.integer)) else text
        except ValueError:
            raise FieldValueError("not_integer", f"'{column}' takes a whole number; '{value}' is not one",
                              field=column, value=value) from None
        if isinstance(number, float) and (not np.isfinite(number) or not number.is_integer()):
            raise FieldValueError("not_integer", f"'{column}' takes a whole number; '{value}' is not one",
                              field=column, value=value)
        number = int(number)
        info = np.iinfo(dtype.numpy_dtype if hasattr(dtype, "numpy_dtype") else dtype)
        if not info.min <= number <= info.max:
            raise FieldValueError("out_of_range", f"'{column}' takes numbers from {info.min} to {info.max}",
                              field=column, minimum=info.min, maximum=info.max)
        return number
    if kind == "real":
        try:
            number = float(str(text).replace(",", "")) if not isinstance(text, (float, int)) else float(text)
        except ValueError:
            raise FieldValueError("not_number", f"'{column}' takes a number; '{value}' is not one",
                              field=column, value=value) from None
        return number
    if kind == "boolean":
        word = str(text).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise FieldValueError("not_boolean", f"'{column}' takes yes or no; '{value}' is neither",
                          field=column, value=value)
    if kind == "date":
        try:
            return pd.Timestamp(text)
        except (ValueError, TypeError):
            raise FieldValueError("not_date", f"'{column}' takes a date such as 2025-12-31; '{value}' is not one",
                              field=column, value=value) from None
    return str(text)


# --- building rows in a layer's schema --------------------------------------------------------------
def empty_value(dtype: np.dtype | pd.api.extensions.ExtensionDtype) -> Any:
    kind = field_kind(dtype)
    if kind == "integer":
        return pd.NA
    if kind == "real":
        return np.nan
    if kind == "date":
        return pd.NaT
    if kind == "boolean":
        return pd.NA
    return None


def new_rows(layer: VectorLayer, geometries: list[Any], records: list[dict[str, Any]] | None = None
             ) -> gpd.GeoDataFrame:
    """Rows for ``layer`` (its columns and dtypes) with ``geometries`` in the layer CRS.

    Columns missing from a record are left empty. Integer and boolean columns that
    cannot hold a missing value become their nullable versions for the new rows.
    """
    frame = layer.frame
    records = records or [{} for _ in geometries]
    geom_name = frame.geometry.name
    data: dict[str, pd.Series] = {}
    for column in frame.columns:
        if column == geom_name:
            continue
        dtype = frame[column].dtype
        values = [record.get(column, empty_value(dtype)) for record in records]
        series = pd.Series(values, dtype=object)
        if any(_is_missing(v) for v in values):
            kind = field_kind(dtype)
            if kind == "integer" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
                dtype = "Int64"
            elif kind == "boolean" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
                dtype = "boolean"
        try:
            data[column] = series.astype(dtype)
        except (TypeError, ValueError):
            data[column] = series
    data[geom_name] = gpd.GeoSeries(list(geometries), crs=frame.crs)
    return gpd.GeoDataFrame(data, geometry=geom_name, crs=frame.crs)[list(frame.columns)]
