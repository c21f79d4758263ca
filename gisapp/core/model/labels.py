"""How a layer's labels read and look: the text (a field or a template), font size, colours,
halo, placement, priority, scale range and collisions. Qt-free; the canvas, print, the
project file and QGIS styles all use this one object.

The text comes from the layer's ``label_field`` or, when ``text`` is set, from a template
such as ``"{name_zh} {area:.1f}"``. An expression engine can be plugged in later: anything
that maps a layer's frame to a Series of strings (:data:`TextEvaluator`) replaces both.

>>> style = LabelStyle(text="{name_zh} ({area:.0f})")
>>> frame = pd.DataFrame({"name_zh": ["甲"], "name_en": ["A"], "area": [12.4]})
>>> label_texts(frame, "", style, "en").tolist()
['A (12)']
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from gisapp.core.model.style import StyleError, shown

# Placements per geometry family; the first is the default (what gisapp drew before).
PLACEMENTS: dict[str, tuple[str, ...]] = {
    "polygon": ("around", "inside"),   # horizontal around the point on surface / never outside it
    "line": ("horizontal", "along"),   # horizontal at the middle / rotated along the line
    "point": ("around", "offset"),     # any of 8 positions, preferred first / only the chosen one
}
# Positions around a point, clockwise from the top; (dx, dy) in screen directions (y down).
POSITIONS: dict[str, tuple[int, int]] = {
    "N": (0, -1), "NE": (1, -1), "E": (1, 0), "SE": (1, 1),
    "S": (0, 1), "SW": (-1, 1), "W": (-1, 0), "NW": (-1, -1),
}
MAX_LABEL_CHARS = 200  # longer texts end in an ellipsis before they are measured or drawn
DEFAULT_SIZE_PT = 9.0
MAX_SIZE_PT = 72.0
MAX_HALO_PX = 10.0
MAX_DISTANCE_PX = 100.0
MAX_SCALE = 1e9
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# {column} or {column:spec}; a spec is a short number format (no widths that allocate megabytes).
_PLACEHOLDER = re.compile(r"\{([^{}:]*)(?::([^{}]*))?\}")
_SPEC = re.compile(r",?(?:\.\d{1,2})?[fgde%]?")

TextEvaluator = Callable[[pd.DataFrame], pd.Series]  # a layer's frame -> one label text per row


@dataclass(frozen=True)
class LabelStyle:
    """Everything about a layer's labels except which field they show (``VectorLayer.label_field``)."""

    text: str = ""               # a template like "{name_zh} {area}"; '' shows the label field
    follow_language: bool = True  # name_zh / name_en (and any *_zh / *_en) follow the UI language
    font_family: str = "Noto Sans CJK SC"
    size_pt: float = DEFAULT_SIZE_PT
    color: str = "#232323"
    halo: bool = True
    halo_color: str = "#ffffff"
    halo_opacity: float = 230 / 255
    halo_width_px: float = 1.5   # the canvas strokes a 3 px pen: 1.5 px outside the glyphs
    placement: str = ""          # one of PLACEMENTS[family]; '' is the family's default
    position: str = "E"          # a point's preferred side (POSITIONS)
    distance_px: float = 6.0     # from a point to its label
    priority: int = 5            # 0-10: higher is placed first, across layers
    min_scale: float = 0.0       # hidden when zoomed out beyond 1:min_scale (0: no limit)
    max_scale: float = 0.0       # hidden when zoomed in beyond 1:max_scale (0: no limit)
    always_show: bool = False    # drawn even where it overlaps other labels

    def placement_for(self, family: str) -> str:
        choices = PLACEMENTS.get(family, PLACEMENTS["point"])
        return self.placement if self.placement in choices else choices[0]

    def shown_at(self, scale_denominator: float) -> bool:
        """Whether labels show at 1:``scale_denominator`` (QGIS's rule: min is the zoomed-out end)."""
        if not math.isfinite(scale_denominator):
            return True
        if self.min_scale > 0 and scale_denominator > self.min_scale:
            return False
        return not (self.max_scale > 0 and scale_denominator < self.max_scale)

    def with_(self, **changes: Any) -> LabelStyle:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Only what differs from the defaults, so old readers and diffs stay small."""
        default = LabelStyle()
        return {key: value for key, value in asdict(self).items() if value != getattr(default, key)}

    @classmethod
    def from_dict(cls, data: Any, where: str = "labels", unknown: list[str] | None = None) -> LabelStyle:
        """A label style from its stored dict; missing keys take the defaults, bad values raise
        :class:`StyleError` naming the key.

        >>> LabelStyle.from_dict({"priority": 8, "placement": "inside"}).priority
        8
        >>> LabelStyle.from_dict({"priority": 11})
        Traceback (most recent call last):
        ...
        gisapp.core.model.style.StyleError: labels.priority: expected a whole number from 0 to 10, got 11
        """
        if not isinstance(data, dict):
            raise StyleError(where, f"expected an object, got {shown(data)}")
        names = {item.name for item in fields(cls)}
        if unknown is not None:
            unknown.extend(f"{where}.{key}" for key in data if key not in names)
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key in names:
                values[key] = _checked(key, value, f"{where}.{key}")
        return cls(**values)


def _checked(key: str, value: Any, where: str) -> Any:
    def number(low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
                or not low <= value <= high:
            raise StyleError(where, f"expected a number from {low:g} to {high:g}, got {shown(value)}")
        return float(value)

    def text(limit: int = 1000) -> str:
        if not isinstance(value, str) or len(value) > limit:
            raise StyleError(where, f"expected text of at most {limit} characters, got {shown(value)}")
        return value

    if key in ("follow_language", "halo", "always_show"):
        if not isinstance(value, bool):
            raise StyleError(where, f"expected true or false, got {shown(value)}")
        return value
    if key in ("color", "halo_color"):
        if not isinstance(value, str) or not _HEX_COLOUR.fullmatch(value):
            raise StyleError(where, f"expected a colour like #232323, got {shown(value)}")
        return value
    if key == "text":
        return text()
    if key == "font_family":
        return text(200)
    if key == "placement":
        allowed = {"", *(p for choices in PLACEMENTS.values() for p in choices)}
        if value not in allowed:
            raise StyleError(where, f"expected one of {', '.join(sorted(allowed - {''}))}, got {shown(value)}")
        return value
    if key == "position":
        if value not in POSITIONS:
            raise StyleError(where, f"expected one of {', '.join(POSITIONS)}, got {shown(value)}")
        return value
    if key == "priority":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise StyleError(where, f"expected a whole number from 0 to 10, got {shown(value)}")
        return value
    limits = {"size_pt": (1.0, MAX_SIZE_PT), "halo_opacity": (0.0, 1.0), "halo_width_px": (0.0, MAX_HALO_PX),
              "distance_px": (0.0, MAX_DISTANCE_PX), "min_scale": (0.0, MAX_SCALE), "max_scale": (0.0, MAX_SCALE)}
    return number(*limits[key])


# --- texts ----------------------------------------------------------------------------------------

def language_column(column: str, lang: str, columns: Iterable[str]) -> str:
    """``name_zh`` reads ``name_en`` in English (and the other way) when that column exists."""
    present = set(columns)
    base = column[:-3] if column.endswith(("_zh", "_en")) else column
    for candidate in (f"{base}_{lang}", column):
        if candidate in present:
            return candidate
    return column


def template_fields(template: str) -> list[str]:
    """The column names a template reads, in order.

    >>> template_fields("{name_zh} {area:.1f} m²")
    ['name_zh', 'area']
    """
    return [match.group(1).strip() for match in _PLACEHOLDER.finditer(template)]


def template_problem(template: str, columns: Iterable[str]) -> str | None:
    """Why ``template`` cannot be shown on a layer with ``columns`` (None when it can)."""
    present = set(columns)
    for match in _PLACEHOLDER.finditer(template):
        name, spec = match.group(1).strip(), match.group(2)
        if name not in present:
            return f"no field {name!r}"
        if spec is not None and not _SPEC.fullmatch(spec):
            return f"the format {spec!r} of {name!r} is not a number format like .1f"
    return None


def _formatted(values: pd.Series, spec: str | None) -> pd.Series:
    """One column as text: missing values empty, numbers in ``spec`` where they are numbers."""
    if spec and _SPEC.fullmatch(spec):
        def one(value: Any) -> str:
            if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
                return ""
            try:
                return format(value, spec)
            except (TypeError, ValueError):
                return str(value)
        return values.map(one).astype(object)
    return values.astype("string").fillna("").astype(object)


def capped(texts: pd.Series) -> pd.Series:
    """Texts cut at :data:`MAX_LABEL_CHARS` with an ellipsis (a 3-million-character field once
    took the window 23 s to measure on every render)."""
    texts = texts.astype("string").fillna("")
    long = texts.str.len() > MAX_LABEL_CHARS
    if bool(long.any()):
        texts = texts.where(~long, texts.str.slice(0, MAX_LABEL_CHARS - 1) + "…")
    return texts


def label_texts(frame: pd.DataFrame, field: str, style: LabelStyle, lang: str,
                evaluate: TextEvaluator | None = None) -> pd.Series:
    """One label text per row of ``frame`` ('' for none), capped in length.

    ``evaluate`` (an expression engine) wins; then the template ``style.text``; then ``field``.
    """
    if evaluate is not None:
        texts = evaluate(frame)
    elif style.text:
        texts = _from_template(frame, style, lang)
    elif field:
        column = language_column(field, lang, frame.columns) if style.follow_language else field
        if column not in frame.columns:
            return pd.Series([""] * len(frame), index=frame.index, dtype=object)
        texts = frame[column]
    else:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return capped(pd.Series(texts, index=frame.index)).str.strip().astype(object)


def _from_template(frame: pd.DataFrame, style: LabelStyle, lang: str) -> pd.Series:
    pieces: list[pd.Series | str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(style.text):
        pieces.append(style.text[position:match.start()])
        position = match.end()
        name = match.group(1).strip()
        column = language_column(name, lang, frame.columns) if style.follow_language else name
        if column in frame.columns:
            pieces.append(_formatted(frame[column], match.group(2)))
    pieces.append(style.text[position:])
    out = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    for piece in pieces:
        out = out + piece
    return out


def has_text(field: str, style: LabelStyle, columns: Iterable[str]) -> bool:
    """Whether a layer with ``columns`` has anything to label with."""
    present = set(columns)
    if style.text:
        return any(name in present or language_column(name, "en", present) in present
                   for name in template_fields(style.text)) or not template_fields(style.text)
    return bool(field) and (field in present or language_column(field, "en", present) in present
                            or language_column(field, "zh", present) in present)


def rows_texts(frame: pd.DataFrame, field: str, style: LabelStyle, lang: str, rows: np.ndarray | None,
               evaluate: TextEvaluator | None = None) -> np.ndarray:
    """:func:`label_texts` for some rows only (the render asks for a few hundred of a million)."""
    part = frame if rows is None else frame.iloc[np.asarray(rows, dtype=np.int64)]
    return label_texts(part, field, style, lang, evaluate).to_numpy(dtype=object)
