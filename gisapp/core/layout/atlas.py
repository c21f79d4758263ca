"""Atlas pages and indicator tables: what a zone sheet says about its feature (no Qt).

A zone sheet names the zone, its role, its geodesic area and its share of its parent
zone, and lists the plan indicators linked to it with baseline, target, latest actual and
status. Text items of an atlas layout use these as ``{placeholders}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gisapp.core.model.feature_measures import feature_measures
from gisapp.core.model.project import Project
from gisapp.core.plan.monitoring import assess_all, feature_progress
from gisapp.core.texts import Bilingual

TEXTS = {
    "indicator": Bilingual("指标", "Indicator"),
    "baseline": Bilingual("基期值", "Baseline"),
    "target": Bilingual("目标值", "Target"),
    "latest": Bilingual("最新值", "Latest actual"),
    "status": Bilingual("状态", "Status"),
    "area": Bilingual("面积 {area} 平方公里", "Area {area} km²"),
    "share": Bilingual("占{parent}的 {share}", "{share} of {parent}"),
    "no_indicators": Bilingual("没有关联的规划指标", "No plan indicators linked"),
    "industries": Bilingual("主导产业：{industries}", "Priority industries: {industries}"),
    "more": Bilingual("另有 {n} 项指标未列出", "{n} more indicators not listed"),
}


@dataclass(frozen=True)
class IndicatorRow:
    name: str
    baseline: str
    target: str
    latest: str
    unit: str
    status: str  # label in the language
    status_key: str  # achieved, on_track, behind, ...


@dataclass
class AtlasPage:
    """One feature's sheet; ``fields`` fill the layout's ``{placeholders}``."""

    layer_id: str
    row: int
    feature_id: str
    fields: dict[str, str] = field(default_factory=dict)
    indicators: list[IndicatorRow] = field(default_factory=list)


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


def fill(text: str, fields: Mapping[str, str]) -> str:
    """``text`` with ``{name}`` placeholders filled (unknown ones empty, stray braces kept).

    >>> fill("{name}: {role} {x}", {"name": "软件园", "role": "核心区"})
    '软件园: 核心区 '
    >>> fill("a {b", {})
    'a {b'
    """
    try:
        return text.format_map(_Blank(fields))
    except (ValueError, IndexError, AttributeError):
        return text


def _value(value: str | None, unit: str) -> str:
    return f"{value} {unit}".strip() if value not in (None, "") else "—"


def indicator_rows(project: Project, feature_id: str, lang: str) -> list[IndicatorRow]:
    """The feature's linked indicators (or, with ``feature_id`` empty, every plan indicator)."""
    catalog = project.indicators
    if feature_id:
        progress = feature_progress(catalog, feature_id)
    else:
        progress = list(assess_all(catalog).values())
    rows = []
    for item in progress:
        indicator = catalog.get(item.indicator_id)
        unit = indicator.unit_label(lang)
        latest = f"{item.value:g} ({item.year})" if item.value is not None and item.value_source == "actuals" \
            else "—"
        rows.append(IndicatorRow(indicator.name(lang), _value(indicator.baseline_value, ""),
                                 _value(indicator.target_value, ""), latest, unit,
                                 item.status_label(lang), item.status))
    return rows


def atlas_pages(project: Project, layer_id: str, lang: str) -> list[AtlasPage]:
    """One page per feature of ``layer_id`` (raises KeyError for an unknown layer)."""
    return [atlas_page(project, layer_id, row, lang) for row in range(len(project.layer(layer_id)))]


def atlas_page(project: Project, layer_id: str, row: int, lang: str) -> AtlasPage:
    """The sheet of one feature (the editor previews the first)."""
    layer = project.layer(layer_id)
    frame = layer.frame
    feature_id = str(frame["id"].iat[row]) if "id" in frame.columns else ""
    fields = {"name": layer.feature_label(row, lang), "layer": layer.title(lang), "id": feature_id,
              "role": _column(frame, row, f"role_{lang}") or _column(frame, row, "role_zh"),
              "industries": _column(frame, row, f"industries_{lang}") or _column(frame, row, "industries_zh")}
    measures = feature_measures(project, layer_id, row)
    if measures.area_m2 > 0:
        fields["area"] = TEXTS["area"](lang).format(area=f"{measures.area_m2 / 1e6:.2f}")
    if measures.parent_share is not None and measures.parent_layer_id is not None:
        parent = project.layer(measures.parent_layer_id).feature_label(measures.parent_row or 0, lang)
        fields["share"] = TEXTS["share"](lang).format(parent=parent, share=f"{measures.parent_share:.0%}")
    if fields["industries"]:
        fields["industries_line"] = TEXTS["industries"](lang).format(industries=fields["industries"])
    fields["facts"] = "  ·  ".join(v for v in (fields.get("area", ""), fields.get("share", "")) if v)
    return AtlasPage(layer_id, row, feature_id, fields,
                     indicator_rows(project, feature_id, lang) if feature_id else [])


def _column(frame, row: int, column: str) -> str:  # type: ignore[no-untyped-def]
    if column not in frame.columns:
        return ""
    value = frame[column].iat[row]
    return value if isinstance(value, str) else ""
