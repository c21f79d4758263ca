"""Monitored values of plan indicators: one value per indicator, feature and year."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from gisapp.core.events import Signal

MONITOR_YEARS = tuple(range(2021, 2026))

@dataclass
class Actual:
    """One monitored value: an indicator in a year, zone-wide (``feature_id`` '') or per feature."""

    indicator_id: str
    year: int
    value: float | None
    feature_id: str = ""
    note: str = ""

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.indicator_id, self.feature_id, self.year)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ActualsTable:
    """Actual values keyed by (indicator, feature, year); ``changed`` fires once per edit.

    Examples
    --------
    >>> table = ActualsTable()
    >>> table.set_value("plan.t2.04", 2021, 7400)
    >>> table.latest("plan.t2.04").value
    7400.0
    """

    def __init__(self, records: Iterable[Actual] = ()) -> None:
        self._records: dict[tuple[str, str, int], Actual] = {}
        self.changed = Signal()
        for record in records:
            self._records[record.key] = _clean(record)

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Actual]:
        return iter(self.records())

    def records(self) -> list[Actual]:
        return [self._records[key] for key in sorted(self._records)]

    def set(self, record: Actual) -> None:
        self.update([record])

    def set_value(self, indicator_id: str, year: int, value: float | None, feature_id: str = "",
                  note: str = "") -> None:
        self.set(Actual(indicator_id, int(year), value, feature_id, note))

    def update(self, records: Iterable[Actual]) -> int:
        """Add or replace records; returns how many were stored (one ``changed`` emit)."""
        count = 0
        for record in records:
            record = _clean(record)
            self._records[record.key] = record
            count += 1
        if count:
            self.changed.emit()
        return count

    def remove(self, indicator_id: str, year: int, feature_id: str = "") -> bool:
        removed = self._records.pop((indicator_id, feature_id, int(year)), None) is not None
        if removed:
            self.changed.emit()
        return removed

    def replace_all(self, records: Iterable[Actual]) -> None:
        self._records = {}
        for record in records:
            record = _clean(record)
            self._records[record.key] = record
        self.changed.emit()

    def series(self, indicator_id: str, feature_id: str = "") -> list[Actual]:
        """Values with a number, by year."""
        return sorted((r for r in self._records.values()
                       if r.indicator_id == indicator_id and r.feature_id == feature_id),
                      key=lambda r: r.year)

    def get(self, indicator_id: str, year: int, feature_id: str = "") -> Actual | None:
        return self._records.get((indicator_id, feature_id, int(year)))

    def latest(self, indicator_id: str, feature_id: str = "") -> Actual | None:
        numeric = [r for r in self.series(indicator_id, feature_id) if r.value is not None]
        return numeric[-1] if numeric else None

    def features_with(self, indicator_id: str) -> list[str]:
        return sorted({r.feature_id for r in self._records.values()
                       if r.indicator_id == indicator_id and r.feature_id})

    def indicators_for_feature(self, feature_id: str) -> list[str]:
        return sorted({r.indicator_id for r in self._records.values() if r.feature_id == feature_id})


def _clean(record: Actual) -> Actual:
    value = record.value
    if value is not None:
        value = float(value)
        if not math.isfinite(value):  # NaN is how a GeoPackage holds 'no value'; inf is never one
            value = None
    return Actual(str(record.indicator_id), int(record.year), value, str(record.feature_id or ""),
                  str(record.note or ""))
