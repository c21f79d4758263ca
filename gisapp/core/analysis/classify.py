"""Indicator-driven maps: build styles from a field or a plan indicator.

- :func:`graduated_style`: numeric classes from mapclassify (quantiles, natural breaks
  (Fisher-Jenks, deterministic), equal interval) with a colour ramp;
- :func:`categorized_style`: one colour per value;
- :func:`progress_status_style`: achieved / on track / behind / no data, in fixed colours;
- :func:`write_indicator_column`: puts an indicator's values, progress or status for each
  feature into a column of the layer, so any style (and label) can use it, on the canvas,
  in the legend and in the web export alike.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from gisapp.core.model.layer import ID_FIELD, VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.style import CategorizedStyle, GraduatedStyle, Style, Symbol
from gisapp.core.model.style import Category as StyleCategory
from gisapp.core.plan.indicators import IndicatorCatalog
from gisapp.core.plan.monitoring import (
    ACHIEVED,
    BEHIND,
    NO_DATA,
    NOT_ASSESSABLE,
    NOT_LINKED,
    ON_TRACK,
    STATUS_COLOURS,
    STATUS_LABELS,
    feature_progress,
    status_label,
    worst_status,
)
from gisapp.core.texts import LANGUAGES, Bilingual

SCHEMES = {
    "quantiles": Bilingual("分位数", "Quantiles"),
    "natural_breaks": Bilingual("自然断点（Jenks）", "Natural breaks (Jenks)"),
    "equal_interval": Bilingual("等间距", "Equal interval"),
}
# ColorBrewer ramps (7 classes), sampled for fewer classes.
RAMPS = {
    "YlGnBu": ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
    "YlOrRd": ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
    "Greens": ["#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
    "Purples": ["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"],
    "RdYlGn": ["#d73027", "#fc8d59", "#fee08b", "#ffffbf", "#d9ef8b", "#91cf60", "#1a9850"],
}
QUALITATIVE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
               "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295"]
MAX_CATEGORIES = len(QUALITATIVE)
STATUS_FIELD = "progress_status"
STATUS_ORDER = (ACHIEVED, ON_TRACK, BEHIND, NO_DATA, NOT_ASSESSABLE, NOT_LINKED)
MEASURES = ("latest", "progress", "status")


def ramp_colours(ramp: str, k: int) -> list[str]:
    colours = RAMPS.get(ramp, RAMPS["YlGnBu"])
    if k <= 1:
        return [colours[-2]]
    picks = np.linspace(0, len(colours) - 1, k).round().astype(int)
    return [colours[i] for i in picks]


def class_symbol(colour: str, family: str) -> Symbol:
    """A symbol in ``colour`` that suits the geometry family."""
    if family == "line":
        return Symbol(fill=colour, fill_opacity=0.0, stroke=colour, stroke_width=3.0)
    if family == "point":
        return Symbol(fill=colour, fill_opacity=0.95, stroke="#333333", stroke_width=0.8, size=10)
    return Symbol(fill=colour, fill_opacity=0.75, stroke="#555555", stroke_width=0.8)


# What pd.Series(values) accepts: a column, an array or a list.
FieldValues: TypeAlias = "pd.Series | np.ndarray | Sequence[Any]"


def numeric_values(values: FieldValues) -> np.ndarray:
    array = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    return array[np.isfinite(array)]


def class_breaks(values: FieldValues, scheme: str = "quantiles", k: int = 5) -> list[float]:
    """Upper bounds of ``k`` classes (fewer when the values have fewer distinct numbers)."""
    import mapclassify

    data = numeric_values(values)
    if scheme not in SCHEMES:
        raise ValueError(f"unknown classification scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
    if len(data) == 0:
        raise ValueError("the field has no numeric values to classify")
    k = max(1, min(int(k), len(np.unique(data))))
    if k == 1:
        return [float(data.max())]
    classifier = {"quantiles": mapclassify.Quantiles, "natural_breaks": mapclassify.FisherJenks,
                  "equal_interval": mapclassify.EqualInterval}[scheme]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "numba not installed", "not enough unique values"
        bins = classifier(data, k=k).bins
    return [float(b) for b in np.unique(np.asarray(bins, dtype=float))]


def graduated_style(values: FieldValues, field: str, scheme: str = "quantiles", k: int = 5, ramp: str = "YlGnBu",
                    family: str = "polygon") -> GraduatedStyle:
    breaks = class_breaks(values, scheme, k)
    colours = ramp_colours(ramp, len(breaks))
    return GraduatedStyle(field=field, breaks=breaks, symbols_=[class_symbol(c, family) for c in colours],
                          scheme=scheme)


def categorized_style(values: FieldValues, field: str, family: str = "polygon",
                      labels: dict[str, Bilingual] | None = None) -> CategorizedStyle:
    """One colour per distinct value (the most frequent first, up to 12; the rest in grey)."""
    series = pd.Series(values).astype("string").fillna("")
    counts = series[series != ""].value_counts(sort=True)
    chosen = sorted(counts.index[:MAX_CATEGORIES].tolist(), key=str)
    categories = []
    for i, value in enumerate(chosen):
        label = (labels or {}).get(value, Bilingual(value, value))
        categories.append(StyleCategory(value=str(value), label_zh=label.zh, label_en=label.en,
                                        symbol=class_symbol(QUALITATIVE[i % len(QUALITATIVE)], family)))
    default = class_symbol("#cccccc", family).with_(fill_opacity=0.3)
    return CategorizedStyle(field=field, categories=categories, default=default)


def progress_status_style(values: FieldValues | None = None, field: str = STATUS_FIELD, family: str = "polygon") -> CategorizedStyle:
    """Status colours; the legend lists the statuses present in ``values`` (all when None)."""
    present = set(pd.Series(values).astype("string").fillna("")) if values is not None else set(STATUS_ORDER)
    categories = []
    for status in STATUS_ORDER:
        if status not in present:
            continue
        label = STATUS_LABELS[status]
        symbol = class_symbol(STATUS_COLOURS[status], family)
        if status == NOT_LINKED:
            symbol = symbol.with_(fill_opacity=0.15, stroke="#aaaaaa")
        categories.append(StyleCategory(status, label.zh, label.en, symbol))
    return CategorizedStyle(field=field, categories=categories,
                            default=class_symbol("#eeeeee", family).with_(fill_opacity=0.15))


# --- indicator values per feature -------------------------------------------------------------
def indicator_field_name(indicator_id: str | None, measure: str) -> str:
    """The column that holds ``measure`` of an indicator, e.g. 'ind_plan_t2_04'."""
    if measure == "status" and indicator_id is None:
        return STATUS_FIELD
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", indicator_id or "all").strip("_").lower()
    prefix = {"latest": "ind", "progress": "prog", "status": "status"}[measure]
    return f"{prefix}_{slug}"


def indicator_values(catalog: IndicatorCatalog, frame: pd.DataFrame, indicator_id: str | None,
                     measure: str = "latest", as_of: int | None = None) -> pd.Series:
    """Per feature: its latest own value (``latest``), its progress in % (``progress``), or
    its status (``status``; with ``indicator_id`` None, the worst of its linked indicators).

    ``progress`` and ``status`` fall back to the zone-wide figure for features linked to a
    zone-wide indicator; ``latest`` uses only the feature's own values. ``as_of`` (progress
    and status) ignores actuals after that year.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if measure != "status" and indicator_id is None:
        raise ValueError("choose an indicator")
    ids = (frame[ID_FIELD].astype("string").fillna("").tolist() if ID_FIELD in frame.columns
           else [""] * len(frame))
    out: list[float | str | None] = []  # None (a record without a value) becomes NaN
    for feature_id in ids:
        if not feature_id:
            out.append(np.nan if measure != "status" else NOT_LINKED)
            continue
        if measure == "latest":
            assert indicator_id is not None  # checked above
            record = catalog.actuals.latest(indicator_id, feature_id)
            out.append(record.value if record is not None else np.nan)
            continue
        results = feature_progress(catalog, feature_id, indicator_id, as_of)
        if measure == "status":
            out.append(worst_status(p.status for p in results))
        else:
            shares = [p.share for p in results if p.share is not None]
            out.append(shares[0] * 100 if shares else np.nan)
    if measure == "status":
        return pd.Series(out, index=frame.index, dtype=object)
    return pd.Series(out, index=frame.index, dtype=float)


def write_indicator_column(layer: VectorLayer, catalog: IndicatorCatalog, indicator_id: str | None,
                           measure: str = "latest") -> str:
    """Store :func:`indicator_values` in the layer's frame and return the column name.

    The caller then sets a style (which announces the change); no "data" change is emitted,
    because geometries are untouched.
    """
    column = indicator_field_name(indicator_id, measure)
    layer.frame[column] = indicator_values(catalog, layer.frame, indicator_id, measure).to_numpy()
    return column


def write_label_column(layer: VectorLayer, catalog: IndicatorCatalog, indicator_id: str,
                       measure: str = "latest") -> str:
    """A text column for labels: '8,120 件' or '42%' or the status; empty where there is none."""
    values = indicator_values(catalog, layer.frame, indicator_id, measure)
    unit = catalog.get(indicator_id).unit
    column = indicator_field_name(indicator_id, measure) + "_label"
    if measure == "status":
        for lang in LANGUAGES:
            layer.frame[f"{column}_{lang}"] = [status_label(v, lang) if v != NOT_LINKED else "" for v in values]
        layer.frame[column] = layer.frame[f"{column}_en"]
        return column
    if measure == "progress":
        texts = ["" if pd.isna(v) else f"{v:.0f}%" for v in values]
    else:
        texts = ["" if pd.isna(v) else f"{v:,.6g} {unit}".strip() for v in values]
    layer.frame[column] = texts
    return column


def style_by_progress(layer: VectorLayer, catalog: IndicatorCatalog, indicator_id: str | None = None) -> str:
    """Colour the layer's features by progress status (of one indicator, or the worst linked)."""
    return apply_style_spec(layer, catalog, {"source": "indicator", "indicator": indicator_id,
                                             "measure": "status", "method": "status"})


def linked_layers(project: Project) -> list[VectorLayer]:
    """The plan's polygon layers with features that carry indicators (or have actuals)."""
    catalog = project.indicators
    linked = {link.feature_id for link in catalog.links}
    linked |= {r.feature_id for r in catalog.actuals.records() if r.feature_id}
    return [layer for layer in project.vector_layers()
            if layer.group != "base" and layer.geometry_family == "polygon" and ID_FIELD in layer.frame.columns
            and set(layer.frame[ID_FIELD].astype("string").fillna("")) & linked]


# --- a style described by a small dict, so it can be re-applied when actuals change ---------------
STYLE_SPEC_KEY = "indicator_style"
LABEL_SPEC_KEY = "indicator_label"


def apply_style_spec(layer: VectorLayer, catalog: IndicatorCatalog, spec: dict[str, Any]) -> str:
    """Style ``layer`` as ``spec`` says and return the column used.

    ``spec``: ``source`` "field" or "indicator"; ``field`` (for fields); ``indicator`` and
    ``measure`` ("latest", "progress", "status"; for indicators); ``method`` ("categorized",
    "graduated", "status"); ``scheme``, ``k`` and ``ramp`` for graduated styles.
    Indicator-driven specs are kept in the layer's metadata, so they survive a save and are
    re-applied by :func:`refresh_indicator_styles` when monitoring values change.
    """
    family = layer.geometry_family
    method = spec.get("method", "graduated")
    if spec.get("source") == "indicator":
        measure = "status" if method == "status" else spec.get("measure", "latest")
        column = write_indicator_column(layer, catalog, spec.get("indicator"), measure)
    else:
        column = spec["field"]
        if column not in layer.frame.columns:
            raise ValueError(f"the layer has no field {column!r}")
    values = layer.frame[column]
    style: Style
    if method == "status" or (spec.get("source") == "indicator" and spec.get("measure") == "status"):
        style = progress_status_style(values, column, family)
    elif method == "categorized":
        style = categorized_style(values, column, family)
    else:
        style = graduated_style(values, column, spec.get("scheme", "quantiles"), int(spec.get("k", 5)),
                                spec.get("ramp", "YlGnBu"), family)
    if spec.get("source") == "indicator":
        layer.metadata[STYLE_SPEC_KEY] = dict(spec)
    else:
        layer.metadata.pop(STYLE_SPEC_KEY, None)
    layer.set_style(style)
    return column


def apply_label_spec(layer: VectorLayer, catalog: IndicatorCatalog, spec: dict[str, Any] | None) -> str:
    """Label by nothing (None), a field, or an indicator value/progress/status; returns the field."""
    if not spec or spec.get("source") in (None, "none"):
        layer.metadata.pop(LABEL_SPEC_KEY, None)
        layer.label_field = ""
    elif spec.get("source") == "field":
        layer.metadata.pop(LABEL_SPEC_KEY, None)
        layer.label_field = spec["field"]
    else:
        layer.label_field = write_label_column(layer, catalog, spec["indicator"], spec.get("measure", "latest"))
        layer.metadata[LABEL_SPEC_KEY] = dict(spec)
    layer.changed.emit("style")
    return layer.label_field


def refresh_indicator_styles(layers: Iterable[VectorLayer], catalog: IndicatorCatalog) -> list[str]:
    """Re-apply indicator-driven styles and labels (after monitoring values changed)."""
    refreshed = []
    for layer in layers:
        spec = layer.metadata.get(STYLE_SPEC_KEY)
        label = layer.metadata.get(LABEL_SPEC_KEY)
        try:
            if spec:
                apply_style_spec(layer, catalog, spec)
            if label:
                apply_label_spec(layer, catalog, label)
        except (ValueError, KeyError):
            continue  # e.g. no numeric values left to classify: keep the last style
        if spec or label:
            refreshed.append(layer.id)
    return refreshed
