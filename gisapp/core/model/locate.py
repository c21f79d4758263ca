"""Find features by name or id across vector layers: substring, any case, zh and en (no Qt).

Each layer's text (its names first, then its id and every other field) is lowered once into
one string, rows separated by ``\\x1e`` and fields by ``\\x1f``, with the offset of each row.
A search is then ``str.find`` over that string, which runs in C at memory speed and stops
as soon as enough rows are found (tens of milliseconds through a million parcels). Building the
text of a large layer takes seconds per million rows, so the window builds
those off its UI thread and searches the layers that are ready meanwhile.

An index belongs to one frame of its layer: frames are replaced, never changed in place,
so a layer whose frame is not the indexed one is stale and built again when next asked.

>>> import geopandas as gpd, shapely
>>> from gisapp.core.model.layer import VectorLayer
>>> from gisapp.core.model.project import Project
>>> zones = VectorLayer("zones", "分区", "Zones", gpd.GeoDataFrame(
...     {"id": ["hitech.city"], "name_zh": ["英歌石科学城"], "name_en": ["Yingeshi Science City"]},
...     geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326"))
>>> index = LocateIndex()
>>> project = Project(layers=[zones])
>>> [(hit.layer_id, hit.row, hit.name) for hit in index.search(project, "science", "zh").hits]
[('zones', 0, '英歌石科学城')]
>>> index.search(project, "科学", "en").hits[0].name
'Yingeshi Science City'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gisapp.core.model.layer import ID_FIELD, VectorLayer
from gisapp.core.model.project import Project

ROW_SEP, FIELD_SEP = "\x1e", "\x1f"
NAME_FIELDS = ("name_zh", "name_en", "name")
DEFAULT_LIMIT = 50
# Layers up to this size are indexed on the spot; larger ones by a background job.
QUICK_BUILD_ROWS = 5_000


def text_columns(frame: pd.DataFrame) -> list[str]:
    """Columns searched: names first, then the id, then the other text and whole-number fields
    (codes such as parcel numbers; measures such as areas are not searched by text)."""
    geometry = getattr(frame, "_geometry_column_name", None)
    columns = [c for c in frame.columns if c != geometry and _searchable(frame[c])]
    first = [c for c in (*NAME_FIELDS, ID_FIELD) if c in columns]
    return first + [c for c in columns if c not in first]


def _searchable(values: pd.Series) -> bool:
    dtype = values.dtype
    if dtype.name == "geometry" or pd.api.types.is_bool_dtype(dtype):
        return False
    return bool(pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
                or isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_integer_dtype(dtype))


BUILD_CHUNK_ROWS = 2000  # rows per step: a worker gives the GIL back between steps


def _cells(values: np.ndarray) -> pd.Series:
    text = pd.Series(values).where(pd.notna(values), "").astype(str)
    return text.str.replace(ROW_SEP, " ", regex=False).str.replace(FIELD_SEP, " ", regex=False)


@dataclass(frozen=True)
class LayerText:
    """The lowered text of one frame of a layer (see the module docstring)."""

    frame: Any  # the frame it was built from (identity tells whether it is current)
    columns: list[str]
    text: str
    row_starts: np.ndarray  # offset of each row's text in ``text``; one more at the end

    @staticmethod
    def build(frame: pd.DataFrame, cancelled: Callable[[], bool] | None = None) -> LayerText | None:
        """The text of ``frame`` (None if ``cancelled`` said so between columns)."""
        columns = text_columns(frame)
        series = [frame[column] for column in columns]
        texts: list[str] = []
        for start in range(0, len(frame) if columns else 0, BUILD_CHUNK_ROWS):
            if cancelled is not None and cancelled():
                return None
            rows: pd.Series | None = None
            for values in series:
                cells = _cells(values.iloc[start:start + BUILD_CHUNK_ROWS].to_numpy(dtype=object))
                rows = cells if rows is None else rows + FIELD_SEP + cells
            assert rows is not None
            texts.extend(rows.str.lower().tolist())
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        row_starts = np.concatenate([[0], np.cumsum(lengths)])
        return LayerText(frame, columns, ROW_SEP.join(texts) + ROW_SEP, row_starts)

    def find(self, needle: str, limit: int) -> tuple[list[tuple[int, int, int]], bool]:
        """(row, field index, position in field) of rows containing the lowered ``needle``,
        in row order, at most ``limit``; and whether more rows contain it."""
        found: list[tuple[int, int, int]] = []
        if not needle or not self.columns:
            return found, False
        position = self.text.find(needle)
        while position >= 0:
            row = int(np.searchsorted(self.row_starts, position, side="right")) - 1
            if len(found) == limit:
                return found, True
            start = int(self.row_starts[row])
            field_index = self.text.count(FIELD_SEP, start, position)
            field_start = self.text.rfind(FIELD_SEP, start, position) + 1 if field_index else start
            found.append((row, field_index, position - field_start))
            position = self.text.find(needle, int(self.row_starts[row + 1]))
        return found, False


@dataclass(frozen=True)
class LocateHit:
    layer_id: str
    row: int
    name: str  # the feature's name in the asked language
    column: str  # the field that matched
    value: str  # its value (as stored)
    rank: int  # 0 best: a name equal to the text, then names starting with it, then ...


@dataclass
class LocateResults:
    hits: list[LocateHit] = field(default_factory=list)
    more: bool = False  # more features match than were returned
    pending: list[str] = field(default_factory=list)  # layers not indexed yet (not searched)


class LocateIndex:
    """Per-layer texts, built when asked for and rebuilt when a layer's frame changes."""

    def __init__(self, quick_build_rows: int = QUICK_BUILD_ROWS) -> None:
        self._texts: dict[str, LayerText] = {}
        self.quick_build_rows = quick_build_rows

    def is_current(self, layer: VectorLayer) -> bool:
        entry = self._texts.get(layer.id)
        return entry is not None and entry.frame is layer.frame

    def stale(self, project: Project) -> list[VectorLayer]:
        """Vector layers without a current text, in tree order."""
        return [layer for layer in project.vector_layers() if not self.is_current(layer)]

    def put(self, layer_id: str, text: LayerText) -> None:
        self._texts[layer_id] = text

    def forget(self, keep: set[str]) -> None:
        for layer_id in [key for key in self._texts if key not in keep]:
            del self._texts[layer_id]

    def build_quick(self, project: Project) -> list[VectorLayer]:
        """Index the stale small layers now; the stale large ones are returned (for a worker)."""
        large = []
        self.forget({layer.id for layer in project.vector_layers()})
        for layer in self.stale(project):
            if len(layer) > self.quick_build_rows or layer.metadata.get("loading"):
                large.append(layer)
                continue
            text = LayerText.build(layer.frame)
            if text is not None:
                self.put(layer.id, text)
        return large

    def search(self, project: Project, query: str, lang: str, limit: int = DEFAULT_LIMIT) -> LocateResults:
        """Features whose names, id or other fields contain ``query`` (any case), best
        first: ranked by how well a name matches, then by layer order and row."""
        results = LocateResults()
        needle = query.strip().lower()
        large = self.build_quick(project)
        results.pending = [layer.id for layer in large if not self.is_current(layer)]
        if not needle:
            return results
        scored: list[tuple[int, int, int, LocateHit]] = []
        for order, layer in enumerate(project.vector_layers()):
            if not self.is_current(layer):
                continue
            text = self._texts[layer.id]
            found, more = text.find(needle, limit)
            results.more = results.more or more
            for row, field_index, offset in found:
                column = text.columns[field_index]
                value = layer.frame[column].iat[row]
                shown = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
                rank = _rank(column, shown.lower(), needle, offset)
                scored.append((rank, order, row, LocateHit(layer.id, row, layer.feature_label(row, lang),
                                                           column, shown, rank)))
        scored.sort(key=lambda item: item[:3])
        results.more = results.more or len(scored) > limit
        results.hits = [item[3] for item in scored[:limit]]
        return results


def _rank(column: str, value: str, needle: str, offset: int) -> int:
    named = column in NAME_FIELDS or column == ID_FIELD
    if value == needle:
        return 0 if named else 3
    if offset == 0:
        return 1 if named else 4
    return 2 if named else 5
