"""Layer styles: one model drives the desktop canvas, the legend and the web export.

A style assigns every feature one of a list of symbols (``assign``) and describes
those symbols for legends (``legend``). Styles round-trip through plain dicts so
they can be stored in the manifest and in the project GeoPackage.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from gisapp.core.texts import pick

STROKE_STYLES = ("solid", "dash", "dot", "none")
MARKERS = ("circle", "square", "triangle", "star")
STYLE_TYPES = ("single", "categorized", "graduated")
# The map's background (the sea around Dalian), on the canvas and in the QGIS project gisapp stores.
MAP_BACKGROUND = "#aad3df"
# Colours are stored as CSS/Qt hex (what the style dialog and the classifier write); an 8-digit
# form is refused because Qt reads it as #AARRGGBB and browsers as #RRGGBBAA.
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# Bounds keep a damaged file from handing Qt a pen or marker it cannot draw in reasonable time.
MAX_STROKE_WIDTH = 100.0
MAX_MARKER_SIZE = 200.0


class StyleError(ValueError):
    """A stored style is malformed; ``where`` is the path inside the style (``symbol.fill``)."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}" if where else problem)


def shown(value: Any, limit: int = 60) -> str:
    """A short repr of a bad value for an error message.

    >>> shown("abc")
    "'abc'"
    >>> len(shown("x" * 500))
    61
    """
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _join(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def _object(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise StyleError(where, f"expected an object, got {shown(data)}")
    return data


def _text(data: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    if key not in data:
        if default is None:
            raise StyleError(_join(where, key), "required key is missing")
        return default
    value = data[key]
    if not isinstance(value, str):
        raise StyleError(_join(where, key), f"expected text, got {shown(value)}")
    return value


def _number(value: Any, where: str, low: float, high: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not low <= value <= high:
        raise StyleError(where, f"expected {what}, got {shown(value)}")
    return float(value)


def _colour(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _HEX_COLOUR.fullmatch(value):
        raise StyleError(where, f"expected a colour like #3182bd, got {shown(value)}")
    return value


def _unknown(data: dict[str, Any], known: Iterable[str] | dict[str, Any], where: str,
             unknown: list[str] | None) -> None:
    if unknown is not None:
        names = set(known)
        unknown.extend(_join(where, key) for key in data if key not in names)


@dataclass(frozen=True)
class Symbol:
    fill: str = "#9ecae1"
    fill_opacity: float = 0.5
    stroke: str = "#3182bd"
    stroke_width: float = 1.0
    stroke_style: str = "solid"
    size: float = 7.0
    marker: str = "circle"

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, where: str = "",
                  unknown: list[str] | None = None) -> Symbol:
        """A symbol from its dict; missing keys take the defaults, bad values raise StyleError.

        ``unknown`` collects the paths of keys this version does not know (they are ignored).
        """
        data = _object({} if data is None else data, where)
        _unknown(data, cls.__dataclass_fields__, where, unknown)
        values: dict[str, Any] = {}
        for key in ("fill", "stroke"):
            if key in data:
                values[key] = _colour(data[key], _join(where, key))
        if "fill_opacity" in data:
            values["fill_opacity"] = _number(data["fill_opacity"], _join(where, "fill_opacity"), 0, 1,
                                             "a number from 0 to 1")
        if "stroke_width" in data:
            values["stroke_width"] = _number(data["stroke_width"], _join(where, "stroke_width"), 0,
                                             MAX_STROKE_WIDTH, f"a number from 0 to {MAX_STROKE_WIDTH:g}")
        if "size" in data:
            values["size"] = _number(data["size"], _join(where, "size"), 0, MAX_MARKER_SIZE,
                                     f"a number from 0 to {MAX_MARKER_SIZE:g}")
        for key, choices in (("stroke_style", STROKE_STYLES), ("marker", MARKERS)):
            if key in data:
                if data[key] not in choices:
                    raise StyleError(_join(where, key),
                                     f"expected one of {', '.join(choices)}, got {shown(data[key])}")
                values[key] = data[key]
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_(self, **changes: Any) -> Symbol:
        return replace(self, **changes)


@dataclass
class LegendEntry:
    label_zh: str
    label_en: str
    symbol: Symbol

    def label(self, lang: str) -> str:
        return pick(lang, self.label_zh, self.label_en)


class Style:
    """Base class: subclasses implement ``assign`` and ``legend``."""

    kind = "base"

    def symbols(self) -> list[Symbol]:
        raise NotImplementedError

    def assign(self, frame: pd.DataFrame) -> np.ndarray:
        """Index into ``symbols()`` for each row of ``frame`` (int array)."""
        raise NotImplementedError

    def legend(self) -> list[LegendEntry]:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    @staticmethod
    def from_dict(data: dict[str, Any], unknown: list[str] | None = None) -> Style:
        """A style from its stored dict.

        Raises :class:`StyleError` (a ValueError) naming the part that is wrong; keys this
        version does not know are ignored, and their paths added to ``unknown`` if given.

        >>> Style.from_dict({"type": "single", "symbol": {"fill": "#ff0000"}}).symbol.fill
        '#ff0000'
        >>> Style.from_dict({"type": "single", "symbol": {"fill_opacity": "abc"}})
        Traceback (most recent call last):
        ...
        gisapp.core.model.style.StyleError: symbol.fill_opacity: expected a number from 0 to 1, got 'abc'
        """
        data = _object(data, "")
        kind = data.get("type", "single")
        if kind not in STYLE_TYPES:
            raise StyleError("type", f"expected one of {', '.join(STYLE_TYPES)}, got {shown(kind)}")
        if kind == "single":
            _unknown(data, ("type", "symbol"), "", unknown)
            return SingleStyle(Symbol.from_dict(data.get("symbol"), "symbol", unknown))
        if kind == "categorized":
            _unknown(data, ("type", "field", "categories", "default"), "", unknown)
            raw = data.get("categories", [])
            if not isinstance(raw, list):
                raise StyleError("categories", f"expected a list, got {shown(raw)}")
            categories = []
            for number, entry in enumerate(raw):
                where = f"categories[{number}]"
                entry = _object(entry, where)
                _unknown(entry, ("value", "label_zh", "label_en", "symbol"), where, unknown)
                if "value" not in entry:
                    raise StyleError(f"{where}.value", "required key is missing")
                value = entry["value"]
                if isinstance(value, bool) or not isinstance(value, str | int | float):
                    raise StyleError(f"{where}.value", f"expected text or a number, got {shown(value)}")
                value = str(value)
                categories.append(Category(
                    value=value, label_zh=_text(entry, "label_zh", where, value),
                    label_en=_text(entry, "label_en", where, value),
                    symbol=Symbol.from_dict(entry.get("symbol"), f"{where}.symbol", unknown)))
            return CategorizedStyle(field=_text(data, "field", ""), categories=categories,
                                    default=Symbol.from_dict(data.get("default"), "default", unknown))
        _unknown(data, ("type", "field", "breaks", "symbols", "scheme"), "", unknown)
        breaks, symbols = data.get("breaks"), data.get("symbols")
        if not isinstance(breaks, list):
            raise StyleError("breaks", f"expected a list of numbers, got {shown(breaks)}")
        if not isinstance(symbols, list) or not symbols:
            raise StyleError("symbols", f"expected a list of symbols, got {shown(symbols)}")
        if len(breaks) != len(symbols):
            raise StyleError("breaks", f"expected one break per symbol ({len(symbols)}), got {len(breaks)}")
        values = [_number(b, f"breaks[{n}]", -math.inf, math.inf, "a finite number")
                  for n, b in enumerate(breaks)]
        if any(b > a for a, b in zip(values[1:], values, strict=False)):
            raise StyleError("breaks", f"expected numbers in ascending order, got {shown(breaks)}")
        return GraduatedStyle(
            field=_text(data, "field", ""), breaks=values,
            symbols_=[Symbol.from_dict(s, f"symbols[{n}]", unknown) for n, s in enumerate(symbols)],
            scheme=_text(data, "scheme", "", ""))


@dataclass
class SingleStyle(Style):
    symbol: Symbol = field(default_factory=Symbol)
    kind = "single"

    def symbols(self) -> list[Symbol]:
        return [self.symbol]

    def assign(self, frame: pd.DataFrame) -> np.ndarray:
        return np.zeros(len(frame), dtype=np.int32)

    def legend(self) -> list[LegendEntry]:
        return [LegendEntry("", "", self.symbol)]

    def to_dict(self) -> dict[str, Any]:
        return {"type": "single", "symbol": self.symbol.to_dict()}


@dataclass
class Category:
    value: str
    label_zh: str
    label_en: str
    symbol: Symbol


@dataclass
class CategorizedStyle(Style):
    field: str
    categories: list[Category]
    # dataclasses.field: the attribute above shadows the imported name in this class body.
    default: Symbol = dataclasses.field(default_factory=Symbol)
    kind = "categorized"

    def symbols(self) -> list[Symbol]:
        return [c.symbol for c in self.categories] + [self.default]

    def assign(self, frame: pd.DataFrame) -> np.ndarray:
        other = len(self.categories)
        if self.field not in frame.columns:
            return np.full(len(frame), other, dtype=np.int32)
        lookup = {c.value: i for i, c in enumerate(self.categories)}
        values = frame[self.field].astype("string").fillna("")
        return values.map(lookup).fillna(other).to_numpy(dtype=np.int32)

    def legend(self) -> list[LegendEntry]:
        return [LegendEntry(c.label_zh, c.label_en, c.symbol) for c in self.categories]

    def set_category_symbol(self, value: str, symbol: Symbol) -> None:
        for category in self.categories:
            if category.value == value:
                category.symbol = symbol
                return
        raise KeyError(value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "categorized",
            "field": self.field,
            "categories": [
                {"value": c.value, "label_zh": c.label_zh, "label_en": c.label_en,
                 "symbol": c.symbol.to_dict()}
                for c in self.categories
            ],
            "default": self.default.to_dict(),
        }


@dataclass
class GraduatedStyle(Style):
    """Numeric classes: ``breaks`` are upper bounds, one symbol per class."""

    field: str
    breaks: list[float]
    symbols_: list[Symbol]
    scheme: str = ""
    kind = "graduated"

    def symbols(self) -> list[Symbol]:
        return list(self.symbols_) + [Symbol(fill="#cccccc", fill_opacity=0.3, stroke="#999999")]

    def assign(self, frame: pd.DataFrame) -> np.ndarray:
        missing = len(self.symbols_)
        if self.field not in frame.columns:
            return np.full(len(frame), missing, dtype=np.int32)
        values = pd.to_numeric(frame[self.field], errors="coerce").to_numpy(dtype=float)
        classes = np.searchsorted(np.asarray(self.breaks), values, side="left")
        classes = np.minimum(classes, len(self.symbols_) - 1)
        return np.where(np.isnan(values), missing, classes).astype(np.int32)

    def legend(self) -> list[LegendEntry]:
        entries = []
        lower = None
        for upper, symbol in zip(self.breaks, self.symbols_, strict=False):
            text = f"≤ {upper:g}" if lower is None else f"{lower:g} – {upper:g}"
            entries.append(LegendEntry(text, text, symbol))
            lower = upper
        return entries

    def to_dict(self) -> dict[str, Any]:
        return {"type": "graduated", "field": self.field, "breaks": self.breaks,
                "symbols": [s.to_dict() for s in self.symbols_], "scheme": self.scheme}
