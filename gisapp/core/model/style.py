"""Layer styles: one model drives the desktop canvas, the legend and the web export.

A style assigns every feature one of a list of symbols (``assign``) and describes
those symbols for legends (``legend``). Styles round-trip through plain dicts so
they can be stored in the manifest and in the project GeoPackage.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from gisapp.core.texts import pick

STROKE_STYLES = ("solid", "dash", "dot", "none")
MARKERS = ("circle", "square", "triangle", "star")


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
    def from_dict(cls, data: dict[str, Any] | None) -> Symbol:
        data = dict(data or {})
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        symbol = cls(**known)
        if symbol.stroke_style not in STROKE_STYLES:
            raise ValueError(f"unknown stroke_style {symbol.stroke_style!r}")
        if symbol.marker not in MARKERS:
            raise ValueError(f"unknown marker {symbol.marker!r}")
        return symbol

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
    def from_dict(data: dict[str, Any]) -> Style:
        kind = data.get("type", "single")
        if kind == "single":
            return SingleStyle(Symbol.from_dict(data.get("symbol")))
        if kind == "categorized":
            categories = [
                Category(
                    value=str(c["value"]),
                    label_zh=str(c.get("label_zh", c["value"])),
                    label_en=str(c.get("label_en", c["value"])),
                    symbol=Symbol.from_dict(c.get("symbol")),
                )
                for c in data.get("categories", [])
            ]
            return CategorizedStyle(
                field=str(data["field"]),
                categories=categories,
                default=Symbol.from_dict(data.get("default")),
            )
        if kind == "graduated":
            return GraduatedStyle(
                field=str(data["field"]),
                breaks=[float(b) for b in data["breaks"]],
                symbols_=[Symbol.from_dict(s) for s in data["symbols"]],
                scheme=str(data.get("scheme", "")),
            )
        raise ValueError(f"unknown style type {kind!r}")


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
