"""Column values of an expression: one array per feature, a kind and a NULL mask (no Qt).

Every node of an expression evaluates to a :class:`Value` over all features of the layer at
once (numpy and pandas, never a Python loop per feature where a vectorised step exists).
The kinds follow QGIS's types as far as users meet them: ``num`` (float64), ``str``
(object array of str), ``bool``, ``date`` (datetime64[ns]), ``interval`` (seconds, float64)
and ``null`` (the NULL literal, before it meets a typed value). Conversions raise
:class:`~gisapp.core.analysis.expressions.errors.ExpressionError` naming the first value
that does not convert, as QGIS does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gisapp.core.analysis.expressions.errors import ExpressionError

NUM, STR, BOOL, DATE, INTERVAL, NULL = "num", "str", "bool", "date", "interval", "null"
MAX_TEXT = 100_000  # characters of one text value an expression may build


@dataclass
class Value:
    kind: str
    data: np.ndarray
    null: np.ndarray  # True where the value is NULL

    def __len__(self) -> int:
        return len(self.data)


def constant(value: Any, n: int) -> Value:
    """A literal repeated for ``n`` features."""
    if value is None:
        return Value(NULL, np.full(n, np.nan), np.ones(n, dtype=bool))
    if isinstance(value, bool):
        return Value(BOOL, np.full(n, value, dtype=bool), np.zeros(n, dtype=bool))
    if isinstance(value, (int, float)):
        return Value(NUM, np.full(n, float(value)), np.zeros(n, dtype=bool))
    if isinstance(value, pd.Timestamp):
        return Value(DATE, np.full(n, value.to_datetime64(), dtype="datetime64[ns]"), np.zeros(n, dtype=bool))
    data = np.empty(n, dtype=object)
    data[:] = str(value)
    return Value(STR, data, np.zeros(n, dtype=bool))


def from_series(series: pd.Series) -> Value:
    """A layer column as a value."""
    null = series.isna().to_numpy(dtype=bool)
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return Value(BOOL, series.fillna(False).to_numpy(dtype=bool), null)
    if pd.api.types.is_numeric_dtype(dtype):
        return Value(NUM, series.to_numpy(dtype=float, na_value=np.nan), null)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        return Value(DATE, values.to_numpy(dtype="datetime64[ns]"), null)
    data = series.to_numpy(dtype=object).copy()
    present = ~null
    if present.any():
        data[present] = [v if isinstance(v, str) else _text_of(v) for v in data[present]]
    data[null] = None
    return Value(STR, data, null)


def _text_of(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)):
        return number_text(float(value))
    return str(value)


def number_text(number: float) -> str:
    """A number as QGIS writes it as text: whole numbers without a decimal point."""
    if np.isfinite(number) and number.is_integer() and abs(number) < 1e17:
        return str(int(number))
    return repr(number)


def to_num(value: Value, pos: int) -> Value:
    if value.kind in (NUM, INTERVAL):
        return value
    if value.kind == NULL:
        return Value(NUM, np.full(len(value), np.nan), value.null)
    if value.kind == BOOL:
        return Value(NUM, value.data.astype(float), value.null)
    if value.kind == DATE:
        raise ExpressionError("not_number", pos, value=_first_text(value))
    numbers = pd.to_numeric(pd.Series(value.data, dtype=object).str.strip(), errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(numbers) & ~value.null
    if bad.any():
        first = value.data[np.flatnonzero(bad)[0]]
        if str(first).strip().lower() not in ("nan",):
            raise ExpressionError("not_number", pos, value=_short(str(first)))
    return Value(NUM, numbers, value.null | np.isnan(numbers))


def to_bool(value: Value, pos: int) -> Value:
    """True/false as QGIS reads a condition: numbers are true unless 0; text as a number."""
    if value.kind == BOOL:
        return value
    if value.kind == NULL:
        return Value(BOOL, np.zeros(len(value), dtype=bool), value.null)
    if value.kind == STR:
        return to_bool(to_num(value, pos), pos)
    if value.kind == DATE:
        return Value(BOOL, np.ones(len(value), dtype=bool), value.null)
    return Value(BOOL, (value.data != 0) & ~value.null, value.null)


def to_str(value: Value) -> Value:
    if value.kind == STR:
        return value
    n = len(value)
    data = np.empty(n, dtype=object)
    present = np.flatnonzero(~value.null)
    if value.kind in (NUM, INTERVAL):
        numbers = value.data[present]
        whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (np.abs(numbers) < 1e17)
        texts = np.empty(len(numbers), dtype=object)
        texts[whole] = numbers[whole].astype(np.int64).astype(str).astype(object)
        texts[~whole] = [repr(float(x)) for x in numbers[~whole]]
        data[present] = texts
    elif value.kind == BOOL:
        data[present] = np.where(value.data[present], "true", "false")
    elif value.kind == DATE:
        stamps = pd.DatetimeIndex(value.data[present])
        whole_days = (stamps == stamps.normalize())
        data[present] = np.where(whole_days, stamps.strftime("%Y-%m-%d"), stamps.strftime("%Y-%m-%dT%H:%M:%S"))
    return Value(STR, data, value.null.copy())


def to_date(value: Value, pos: int) -> Value:
    if value.kind == DATE:
        return value
    if value.kind == NULL:
        return Value(DATE, np.full(len(value), np.datetime64("NaT"), dtype="datetime64[ns]"), value.null)
    if value.kind != STR:
        raise ExpressionError("not_date", pos, value=_first_text(value))
    parsed = pd.to_datetime(pd.Series(value.data, dtype=object), errors="coerce", format="mixed")
    bad = parsed.isna().to_numpy() & ~value.null
    if bad.any():
        raise ExpressionError("not_date", pos, value=_short(str(value.data[np.flatnonzero(bad)[0]])))
    return Value(DATE, parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
                 if parsed.dt.tz is not None else parsed.to_numpy(dtype="datetime64[ns]"), value.null.copy())


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def _first_text(value: Value) -> str:
    present = np.flatnonzero(~value.null)
    if not len(present):
        return "NULL"
    return _short(str(to_str(Value(value.kind, value.data[present[:1]], value.null[present[:1]])).data[0]))


def check_text_size(value: Value, pos: int) -> Value:
    present = value.data[~value.null]
    if len(present) and max(len(s) for s in present) > MAX_TEXT:
        raise ExpressionError("text_too_long", pos, limit=MAX_TEXT)
    return value


def unify(values: list[Value], pos: int) -> list[Value]:
    """Branches of CASE, if() and coalesce() in one kind: NULL takes the others' kind; numbers
    and booleans meet as numbers; anything else meets as text."""
    kinds = {v.kind for v in values} - {NULL}
    if not kinds:
        return values
    if len(kinds) == 1:
        kind = kinds.pop()
    elif kinds <= {NUM, BOOL}:
        kind = NUM
    else:
        kind = STR
    return [cast(v, kind, pos) for v in values]


def cast(value: Value, kind: str, pos: int) -> Value:
    if value.kind == kind:
        return value
    if kind == NUM:
        return to_num(value, pos)
    if kind == BOOL:
        return to_bool(value, pos)
    if kind == DATE:
        return to_date(value, pos)
    if kind == INTERVAL:
        return Value(INTERVAL, to_num(value, pos).data, value.null)
    return to_str(value)


def empty_like(kind: str, n: int) -> Value:
    if kind == STR:
        return Value(STR, np.full(n, None, dtype=object), np.ones(n, dtype=bool))
    if kind == BOOL:
        return Value(BOOL, np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
    if kind == DATE:
        return Value(DATE, np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"), np.ones(n, dtype=bool))
    return Value(kind, np.full(n, np.nan), np.ones(n, dtype=bool))


def choose(condition: np.ndarray, yes: Value, no: Value) -> Value:
    """Per feature: ``yes`` where ``condition``, else ``no`` (both of one kind)."""
    data = np.where(condition, yes.data, no.data)
    if yes.kind == STR:
        data = data.astype(object)
    return Value(yes.kind if yes.kind != NULL else no.kind, data, np.where(condition, yes.null, no.null))


def to_python(value: Value) -> list[Any]:
    """Plain Python values (None for NULL), e.g. for a preview."""
    out: list[Any] = []
    for item, missing in zip(value.data.tolist() if value.kind != DATE else list(pd.DatetimeIndex(value.data)),
                             value.null.tolist(), strict=True):
        if missing:
            out.append(None)
        elif value.kind == NUM and float(item).is_integer() and abs(item) < 2**53:
            out.append(int(item))
        else:
            out.append(item)
    return out


FIELD_TYPES = ("integer", "real", "text", "date", "boolean")
_INT_LIMIT = 2.0**63


def column_values(value: Value, field_type: str) -> pd.Series:
    """An expression's values as a column of ``field_type`` (integer: Int64, rounded half away
    from zero as QGIS writes a number into an integer field; real: float64; text: object;
    date: datetime64; boolean: nullable boolean)."""
    if field_type == "integer":
        number = to_num(value, 0)
        data = np.sign(number.data) * np.floor(np.abs(number.data) + 0.5)
        too_big = ~number.null & (np.abs(np.nan_to_num(data)) >= _INT_LIMIT)
        if too_big.any():
            raise ExpressionError("not_number", 0, value=number_text(float(number.data[np.flatnonzero(too_big)[0]])))
        out = pd.array(np.where(number.null, 0, np.nan_to_num(data)).astype(np.int64), dtype="Int64")
        out[number.null] = pd.NA
        return pd.Series(out)
    if field_type == "real":
        number = to_num(value, 0)
        return pd.Series(np.where(number.null, np.nan, number.data), dtype=float)
    if field_type == "date":
        date = to_date(value, 0)
        return pd.Series(np.where(date.null, np.datetime64("NaT"), date.data).astype("datetime64[ns]"))
    if field_type == "boolean":
        truth = to_bool(value, 0)
        flags = pd.array(truth.data, dtype="boolean")
        flags[truth.null] = pd.NA
        return pd.Series(flags)
    text = to_str(value)
    data = text.data.copy()
    data[text.null] = None
    return pd.Series(data, dtype=object)
