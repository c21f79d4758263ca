"""Field types that pandas loses on reading, kept so a save writes them back.

GDAL declares a GeoPackage ``DATE`` field, and ``BOOLEAN`` and integer fields that hold
empty values, but the frame pyogrio reads has ``datetime64`` for a date and ``float64``
for an integer or boolean with empty cells. Each layer read remembers its declared
types in ``frame.attrs[FIELD_TYPES]``; before writing, :func:`frame_for_writing` turns
those columns back into dates, nullable booleans and nullable integers, where every value
still fits (a column the user filled with 2.5 stays a real).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio

FIELD_TYPES = "gisapp_field_types"
# pyogrio's dtype of a declared field -> the kind gisapp restores.
KEPT_KINDS = {"datetime64[D]": "date", "bool": "boolean", "int16": "Int16", "int32": "Int32", "int64": "Int64"}


def declared_types(path: str | Path, layer: str | None) -> dict[str, str]:
    """Column -> 'date', 'boolean' or a nullable integer dtype, for the fields the file declares so."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = pyogrio.read_info(path, layer=layer)
    except Exception:  # the reader reports what is wrong with the file; types are a nicety here
        return {}
    return {str(name): KEPT_KINDS[str(dtype)] for name, dtype in zip(info["fields"], info["dtypes"], strict=False)
            if str(dtype) in KEPT_KINDS}


def _as_dates(series: pd.Series) -> pd.Series | None:
    values = pd.to_datetime(series, errors="coerce")
    present = values.dropna()
    if not len(present) or len(present) != series.notna().sum() or (present != present.dt.normalize()).any():
        return None  # a time of day, or something that is no date: written as it is
    return pd.Series([value.date() if not pd.isna(value) else None for value in values],
                     index=series.index, dtype=object)


def _as_whole(series: pd.Series, dtype: str) -> pd.Series | None:
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return None
    values = series.to_numpy(dtype=float, na_value=np.nan)
    present = values[~np.isnan(values)]
    if not np.all(np.isfinite(present)) or not np.all(present == np.round(present)):
        return None
    if dtype == "boolean" and not np.isin(present, (0, 1)).all():
        return None
    if dtype != "boolean" and len(present) and np.abs(present).max() > np.iinfo(dtype.lower()).max:
        return None
    return pd.Series(values, index=series.index).astype("Float64").astype(dtype)  # NaN becomes <NA>


def frame_for_writing(frame: Any) -> tuple[Any, bool]:
    """The frame with its declared types restored, and whether it needs pyogrio's Arrow
    writer (the only one that writes a Python date as a GeoPackage ``DATE``)."""
    declared: dict[str, str] = frame.attrs.get(FIELD_TYPES) or {}
    changed: dict[str, pd.Series] = {}
    for column, kind in declared.items():
        if column not in frame.columns or column == frame.geometry.name:
            continue
        series = frame[column]
        if kind == "date":
            restored = _as_dates(series) if pd.api.types.is_datetime64_any_dtype(series) else None
        elif str(series.dtype) in ("bool", "boolean") or pd.api.types.is_integer_dtype(series):
            restored = None  # already written as declared
        else:
            restored = _as_whole(series, kind)
        if restored is not None:
            changed[column] = restored
    if not changed:
        return frame, False
    written = frame.copy()
    for column, series in changed.items():
        written[column] = series
    return written, any(kind == "date" for column, kind in declared.items() if column in changed)
