"""Plan indicators as data: definitions, categories and links to features."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from gisapp.core.plan.actuals import ActualsTable
from gisapp.core.texts import Bilingual, pick

NATURE_LABELS = {
    "expected": Bilingual("预期性", "expected"),
    "binding": Bilingual("约束性", "binding"),
}


# Indicator ids that were renamed: projects saved with the old id still open, and actuals
# CSV files that use it still match. 百亿级 means ten billion yuan (百亿元), not a hundred billion.
RENAMED_INDICATOR_IDS: dict[str, str] = {
    "plan.text.hundred_billion_clusters": "plan.text.ten_billion_clusters",
}


def current_indicator_id(indicator_id: str) -> str:
    """The id an indicator has now, for an id read from an older project or file."""
    return RENAMED_INDICATOR_IDS.get(indicator_id, indicator_id)


@dataclass
class Indicator:
    id: str
    category: str
    name_zh: str
    name_en: str
    unit: str = ""
    unit_en: str = ""
    kind: str = "stock"
    table: str = ""
    row: int | None = None
    baseline_year: int | None = None
    baseline_value: str | None = None
    target_year: int | None = None
    target_value: str | None = None
    nature: str = ""
    actual_year: int | None = None
    actual_value: str | None = None
    actual_avg_growth: str | None = None
    target_avg_growth: str | None = None
    completion: str = ""
    source: str = ""
    source_quote: str = ""
    notes_zh: str = ""
    notes_en: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Indicator:
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"indicator {data.get('id')!r}: unknown fields {sorted(unknown)}")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def name(self, lang: str) -> str:
        return pick(lang, self.name_zh, self.name_en)

    def unit_label(self, lang: str) -> str:
        return pick(lang, self.unit, self.unit_en or self.unit)

    def nature_label(self, lang: str) -> str:
        label = NATURE_LABELS.get(self.nature)
        return label(lang) if label else self.nature


@dataclass
class Category:
    id: str
    name_zh: str
    name_en: str

    def name(self, lang: str) -> str:
        return pick(lang, self.name_zh, self.name_en)


@dataclass
class IndicatorLink:
    feature_id: str
    indicator_id: str
    relation: str = "carries"
    note: str = ""


@dataclass
class TargetRange:
    """A parsed target: ``low``/``high`` bounds (None = open), ``text`` if qualitative."""

    low: float | None = None
    high: float | None = None
    text: str = ""

    @property
    def is_numeric(self) -> bool:
        return self.low is not None or self.high is not None


_NUMBER = r"[-+]?\d+(?:\.\d+)?"


def parse_target(value: str | None) -> TargetRange:
    """Parse '10000', '7000-10000', '<4', '>7.5', '>=10' into bounds."""
    if value is None:
        return TargetRange()
    text = value.strip().replace("＞", ">").replace("＜", "<").replace("≥", ">=").replace("≤", "<=")
    text = text.replace("，", "").replace(",", "")
    if match := re.fullmatch(rf"({_NUMBER})\s*[-–~]\s*({_NUMBER})", text):
        return TargetRange(float(match[1]), float(match[2]))
    if match := re.fullmatch(rf"(<=?)\s*({_NUMBER})", text):
        return TargetRange(None, float(match[2]))
    if match := re.fullmatch(rf"(>=?)\s*({_NUMBER})", text):
        return TargetRange(float(match[2]), None)
    if match := re.fullmatch(rf"({_NUMBER})", text):
        number = float(match[1])
        return TargetRange(number, number)
    return TargetRange(text=value)


@dataclass
class IndicatorCatalog:
    categories: list[Category] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    links: list[IndicatorLink] = field(default_factory=list)
    # Monitoring values by year: user data, stored in the
    # project GeoPackage beside the indicator definitions, not in to_json_dict().
    actuals: ActualsTable = field(default_factory=ActualsTable)

    def __post_init__(self) -> None:
        self._by_id = {i.id: i for i in self.indicators}

    def get(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def for_feature(self, feature_id: str) -> list[tuple[Indicator, IndicatorLink]]:
        return [(self._by_id[link.indicator_id], link) for link in self.links
                if link.feature_id == feature_id and link.indicator_id in self._by_id]

    def features_for(self, indicator_id: str) -> list[str]:
        return [link.feature_id for link in self.links if link.indicator_id == indicator_id]

    # --- (de)serialisation -------------------------------------------------
    def to_json_dict(self) -> dict[str, Any]:
        return {
            "format_version": 1,
            "categories": [asdict(c) for c in self.categories],
            "indicators": [i.to_dict() for i in self.indicators],
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, Any], links: list[IndicatorLink]) -> IndicatorCatalog:
        return cls(
            categories=[Category(**c) for c in data.get("categories", [])],
            indicators=[Indicator.from_dict(i) for i in data.get("indicators", [])],
            links=links,
        )

    @classmethod
    def load(cls, indicators_json: Path, links_csv: Path | None) -> IndicatorCatalog:
        data = json.loads(Path(indicators_json).read_text(encoding="utf-8"))
        links: list[IndicatorLink] = []
        if links_csv is not None and Path(links_csv).exists():
            with open(links_csv, encoding="utf-8", newline="") as handle:
                links = [IndicatorLink(**row) for row in csv.DictReader(handle)]
        return cls.from_json_dict(data, links)
