"""Monitoring plan indicators: actual values by year and progress against the targets.

The plan's mid-term evaluation (规划实施检测评估机制, chapter 9 section 5) compares what
was achieved with what the plan set out. Here that comparison is made for each kind of
indicator in the way its target is meant:

``stock``
    A count or amount at year end (valid invention patents, high-tech enterprises,
    technology-contract turnover). The expected trajectory is a straight line from the
    baseline (2020) to the target (2025). Indicators without a baseline count new
    additions from zero ("新增", "新引进"), which the reason says.
``share``
    A percentage level (digital economy share of GDP, days of good air). Same straight
    line from baseline to target; a share does not add up over zones.
``rate``
    An annual growth rate ("年均增长 %"). It is *not* a stock: the latest annual rate is
    compared with the target rate, and in the target year the compound average rate of
    the years entered decides. The reason also gives the average so far and the rate the
    remaining years need.
``cumulative_decline``
    "单位GDP能耗下降" (energy use per unit of GDP) is a cumulative decline over the five
    years: the actual for a year is the decline since the baseline year in %. The
    expected path is a constant annual decline that compounds to the target.
``upper_bound``
    "<4" (registered unemployment): achieved while the value stays below the bound.
``range``
    "7000-10000": the low end is the target; values above the range count as achieved and
    the reason says so. Percentage ranges are levels; count ranges without a baseline
    are new additions from zero.
``qualitative``
    "达到大连市要求": no numeric status; the value and note are shown for a person to judge.

Everything here is plain Python: the dashboard, the report and the command line share it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from gisapp.core.plan.actuals import ActualsTable
from gisapp.core.plan.indicators import Indicator, IndicatorCatalog, TargetRange, parse_target
from gisapp.core.texts import Bilingual, pick

DEFAULT_PERIOD_YEARS = 5  # a Five-Year Plan period

ACHIEVED, ON_TRACK, BEHIND, NO_DATA, NOT_ASSESSABLE = (
    "achieved", "on_track", "behind", "no_data", "not_assessable")
# An ended plan's target that was missed (table 1, the 13th plan): not "behind", it is over.
NOT_ACHIEVED = "not_achieved"
STATUSES = (ACHIEVED, ON_TRACK, BEHIND, NOT_ACHIEVED, NO_DATA, NOT_ASSESSABLE)
# Indicator.completion of an ended plan's indicators, as the plan prints it (完成 / 未完成).
ENDED_PLAN_OUTCOMES = {"completed": ACHIEVED, "not_completed": NOT_ACHIEVED}
NOT_LINKED = "not_linked"  # used when styling features: no indicator linked to the feature
STATUS_LABELS = {
    ACHIEVED: Bilingual("已完成", "Achieved"),
    ON_TRACK: Bilingual("进度正常", "On track"),
    BEHIND: Bilingual("滞后", "Behind"),
    NOT_ACHIEVED: Bilingual("未完成", "Not achieved"),
    NO_DATA: Bilingual("暂无数据", "No data"),
    NOT_ASSESSABLE: Bilingual("不作量化评估", "Not assessable"),
    NOT_LINKED: Bilingual("未关联指标", "No linked indicator"),
}
STATUS_COLOURS = {
    ACHIEVED: "#1a9850",
    ON_TRACK: "#4575b4",
    BEHIND: "#d73027",
    NOT_ACHIEVED: "#d73027",
    NO_DATA: "#bdbdbd",
    NOT_ASSESSABLE: "#8c8c8c",
    NOT_LINKED: "#eeeeee",
}
# Worst first: a zone carrying several indicators shows the worst numeric status.
_SEVERITY = {BEHIND: 0, NOT_ACHIEVED: 0, ON_TRACK: 1, ACHIEVED: 2, NO_DATA: 3, NOT_ASSESSABLE: 4}

METHOD_LABELS = {
    "stock": Bilingual("存量（线性进度）", "stock (linear trajectory)"),
    "share": Bilingual("比重（线性进度）", "share (linear trajectory)"),
    "rate": Bilingual("年均增长率", "annual growth rate"),
    "cumulative_decline": Bilingual("累计下降", "cumulative decline"),
    "upper_bound": Bilingual("上限", "upper bound"),
    "range": Bilingual("区间", "range"),
    "qualitative": Bilingual("定性", "qualitative"),
    "none": Bilingual("无目标", "no target"),
}


def status_label(status: str, lang: str) -> str:
    label = STATUS_LABELS.get(status)
    return label(lang) if label else status


# --- progress ------------------------------------------------------------------------------
@dataclass
class Progress:
    """How far an indicator has come, and whether that is on the expected path.

    ``share`` is the fraction of the way from baseline to target (1.0 = target reached;
    it may exceed 1 or be negative). ``expected`` is the value the trajectory expects in
    ``year``. ``reason_zh``/``reason_en`` say how the status was reached.
    """

    indicator_id: str
    feature_id: str
    method: str
    status: str
    baseline: float | None = None
    baseline_year: int | None = None
    target_low: float | None = None
    target_high: float | None = None
    target_text: str = ""
    target_year: int | None = None
    value: float | None = None
    year: int | None = None
    value_source: str = ""  # "actuals", "features" (sum of per-feature values), "plan"
    share: float | None = None
    expected: float | None = None
    expected_share: float | None = None
    average_rate: float | None = None  # compound average of the annual rates entered
    required_rate: float | None = None  # what the remaining years need to reach the target
    reason_zh: str = ""
    reason_en: str = ""
    series: list[tuple[int, float]] = field(default_factory=list)

    def reason(self, lang: str) -> str:
        return pick(lang, self.reason_zh, self.reason_en)

    def status_label(self, lang: str) -> str:
        return status_label(self.status, lang)

    @property
    def target(self) -> float | None:
        """The single number the progress is measured against (the bound for upper bounds)."""
        if self.method == "upper_bound":
            return self.target_high if self.target_high is not None else self.target_low
        return self.target_low if self.target_low is not None else self.target_high

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["series"] = [list(item) for item in self.series]
        return data


def _number(text: Any) -> float | None:
    if text is None:
        return None
    if isinstance(text, int | float):
        return None if isinstance(text, float) and math.isnan(text) else float(text)
    target = parse_target(str(text))
    if target.low is not None and target.high is not None and target.low == target.high:
        return target.low
    return target.low if target.low is not None else target.high


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _is_decline(indicator: Indicator) -> bool:
    name_en = indicator.name_en.lower()
    return "下降" in indicator.name_zh or "decline" in name_en or "reduction" in name_en


def _is_percent(indicator: Indicator) -> bool:
    return indicator.unit.strip() in ("%", "％") or indicator.unit_en.strip() == "%"


def assessment_method(indicator: Indicator) -> str:
    """How an indicator's progress is measured (see the module docstring)."""
    target = parse_target(indicator.target_value or indicator.target_avg_growth)
    if indicator.kind == "qualitative" or (target.text and not target.is_numeric):
        return "qualitative"
    if not target.is_numeric:
        return "none"
    if not indicator.target_value:
        return "rate"  # the only numeric target is an average annual growth rate
    if _is_decline(indicator) and _is_percent(indicator):
        return "cumulative_decline"
    if indicator.kind == "upper_bound" or (target.low is None and target.high is not None):
        return "upper_bound"
    if indicator.kind in ("rate", "range", "share", "stock"):
        return indicator.kind
    return "stock"


def _years(indicator: Indicator) -> tuple[int | None, int | None]:
    target_year = indicator.target_year
    baseline_year = indicator.baseline_year
    if baseline_year is None and target_year is not None:
        baseline_year = target_year - DEFAULT_PERIOD_YEARS
    return baseline_year, target_year


def _latest_value(indicator: Indicator, actuals: ActualsTable | None, feature_id: str,
                  method: str, as_of: int | None = None
                  ) -> tuple[float | None, int | None, str, list[tuple[int, float]], str]:
    """The value to assess: (value, year, source, series, note)."""
    if actuals is not None:
        records = [r for r in actuals.series(indicator.id, feature_id)
                   if r.value is not None and (as_of is None or r.year <= as_of)]
        series = [(r.year, r.value) for r in records if r.value is not None]
        if records:
            latest = records[-1]
            return latest.value, latest.year, "actuals", series, latest.note
        if not feature_id and method in ("stock", "range") and not _is_percent(indicator):
            # A zone-wide count can be the sum of the zones' counts in the latest year all share.
            features = actuals.features_with(indicator.id)
            by_year: dict[int, list[float]] = {}
            for fid in features:
                for record in actuals.series(indicator.id, fid):
                    if record.value is not None and (as_of is None or record.year <= as_of):
                        by_year.setdefault(record.year, []).append(record.value)
            if by_year:
                year = max(by_year)
                total = sum(by_year[year])
                summed = [(y, sum(v)) for y, v in sorted(by_year.items())]
                return total, year, "features", summed, f"{len(by_year[year])}"
    if not feature_id and indicator.actual_value not in (None, ""):
        value = _number(indicator.actual_value)
        if value is not None:
            plan_year = indicator.actual_year
            return value, plan_year, "plan", [(plan_year, value)] if plan_year else [], ""
    return None, None, "", [], ""


def assess(indicator: Indicator, actuals: ActualsTable | None = None, feature_id: str = "",
           as_of: int | None = None) -> Progress:
    """Progress and status of ``indicator`` (zone-wide, or for one feature's own values).

    ``as_of`` ignores actuals after that year (to look back at a past evaluation).
    """
    method = assessment_method(indicator)
    baseline_year, target_year = _years(indicator)
    target_source = indicator.target_value or (indicator.target_avg_growth if method == "rate" else None)
    target = parse_target(target_source)
    value, year, source, series, note = _latest_value(indicator, actuals, feature_id, method, as_of)
    progress = Progress(
        indicator_id=indicator.id, feature_id=feature_id, method=method, status=NO_DATA,
        baseline=_number(indicator.baseline_value), baseline_year=indicator.baseline_year,
        target_low=target.low, target_high=target.high, target_text=target.text or (target_source or ""),
        target_year=target_year, value=value, year=year, value_source=source, series=series,
    )
    if source == "features":
        progress.reason_zh = f"由 {note} 个要素的数值加总。"
        progress.reason_en = f"Sum of the values of {note} features. "
    if method == "qualitative":
        return _qualitative(progress, target)
    if method == "none":
        progress.status = NOT_ASSESSABLE if value is not None else NO_DATA
        _say(progress, "规划未给出数值目标。", "The plan gives no numeric target.")
        return progress
    if value is None:
        _say(progress, "尚未录入实际值。", "No actual value entered yet.")
        return progress
    if feature_id and method in ("stock", "range") and not _is_percent(indicator):
        progress.status = NOT_ASSESSABLE
        _say(progress, "单个要素的数量没有自己的目标，计入全区合计。",
             "A zone's count has no target of its own; it adds up to the zone-wide total.")
        return progress
    handler = {"rate": _rate, "cumulative_decline": _decline, "upper_bound": _upper_bound,
               "range": _range}.get(method, _linear)
    handler(progress, indicator, baseline_year)
    if indicator.completion in ENDED_PLAN_OUTCOMES and progress.status == BEHIND:
        # An ended plan (table 1: the 13th plan) is not behind: its target was missed (未完成).
        progress.status = NOT_ACHIEVED
    if feature_id:
        _say(progress, "（与全区目标比较）", "(Compared with the zone-wide target.)")
    return progress


def _say(progress: Progress, zh: str, en: str) -> None:
    progress.reason_zh = (progress.reason_zh + zh).strip()
    progress.reason_en = (progress.reason_en + " " + en).strip()


def _qualitative(progress: Progress, target: TargetRange) -> Progress:
    progress.status = NOT_ASSESSABLE
    text = target.text or progress.target_text
    _say(progress, f"定性目标“{text}”，需人工判断。", f"Qualitative target '{text}': judged by a person.")
    return progress


def _fraction_of_period(year: int, start: int | None, end: int | None) -> float | None:
    if start is None or end is None or end <= start:
        return None
    return min(1.0, max(0.0, (year - start) / (end - start)))


def _value_and_target(progress: Progress) -> tuple[float, float]:
    """The actual and the number it is measured against; assess() hands over only such progress."""
    value, target = progress.value, progress.target
    if value is None or target is None:
        raise ValueError(f"{progress.indicator_id}: a value and a numeric target are needed")
    return value, target


def _linear(progress: Progress, indicator: Indicator, baseline_year: int | None) -> None:
    """Stocks and shares: straight line from the baseline to the target."""
    value, target = _value_and_target(progress)
    year = progress.year
    baseline = progress.baseline
    if baseline is None and progress.method in ("stock", "range") and not _is_percent(indicator):
        baseline = 0.0
        _say(progress, "规划未给出基期值，按新增量自零起算。",
             "The plan gives no baseline: counted as new additions from zero.")
    increasing = baseline is None or target >= baseline
    reached = value >= target if increasing else value <= target
    if baseline is not None and target != baseline:
        progress.share = (value - baseline) / (target - baseline)
    else:
        progress.share = 1.0 if reached else (value / target if target else None)
    unit = indicator.unit_label("en")
    if reached:
        progress.status = ACHIEVED
        _say(progress, f"{year}年实际值 {_fmt(value)} 已达到目标 {_fmt(target)}。",
             f"{_fmt(value)} {unit} in {year} has reached the target {_fmt(target)}.")
        return
    fraction = _fraction_of_period(year, baseline_year, progress.target_year) if year else None
    if baseline is None or fraction is None:
        progress.status = BEHIND
        _say(progress, f"实际值 {_fmt(value)} 低于目标 {_fmt(target)}，无基期值，无法计算预期进度。",
             f"{_fmt(value)} {unit} is short of the target {_fmt(target)}; without a baseline "
             "there is no expected path.")
        return
    expected = baseline + (target - baseline) * fraction
    progress.expected = expected
    progress.expected_share = fraction
    if fraction >= 1.0:  # the target year has come
        progress.status = BEHIND
        _say(progress, f"目标年已到，{_fmt(value)} 未达到目标 {_fmt(target)}。",
             f"The target year has come and {_fmt(value)} {unit} falls short of {_fmt(target)}.")
        return
    on_path = value >= expected if increasing else value <= expected
    progress.status = ON_TRACK if on_path else BEHIND
    _say(progress,
         f"{year}年按线性进度应达 {_fmt(expected)}（完成 {_pct(fraction)}），实际 {_fmt(value)}"
         f"（完成 {_pct(progress.share)}）。",
         f"The straight line from {_fmt(baseline)} ({baseline_year}) to {_fmt(target)} "
         f"({progress.target_year}) expects {_fmt(expected)} in {year} ({_pct(fraction)} of the way); "
         f"actual {_fmt(value)} ({_pct(progress.share)}).")


def _compound_average(rates: list[float]) -> float:
    product = 1.0
    for rate in rates:
        product *= 1 + rate / 100
    if product <= 0:
        return -100.0
    return (product ** (1 / len(rates)) - 1) * 100


def _rate(progress: Progress, indicator: Indicator, baseline_year: int | None) -> None:
    """Annual growth rates: the latest rate against the target rate; the target year uses the average."""
    value, target = _value_and_target(progress)
    year = progress.year
    baseline = progress.baseline
    start = baseline_year if baseline_year is not None else (
        progress.target_year - DEFAULT_PERIOD_YEARS if progress.target_year else None)
    in_period = [v for y, v in progress.series if start is None or y > start]
    plan_average = _number(indicator.actual_avg_growth) if progress.value_source == "plan" else None
    if plan_average is not None:
        average, years_counted = plan_average, DEFAULT_PERIOD_YEARS
    elif in_period:
        average = _compound_average(in_period)
        years_counted = len(in_period)
    else:
        average, years_counted = value, 1
    progress.average_rate = average
    if baseline is not None and target != baseline:
        progress.share = (value - baseline) / (target - baseline)
    else:
        progress.share = value / target if target else None

    def meets(rate: float) -> bool:
        return rate >= target
    period = (progress.target_year - start) if progress.target_year and start else None
    if period and years_counted < period and average is not None and average > -100:
        needed = ((1 + target / 100) ** period / (1 + average / 100) ** years_counted) ** (
            1 / (period - years_counted)) - 1
        progress.required_rate = needed * 100
    at_end = progress.target_year is not None and year is not None and year >= progress.target_year
    if at_end:
        if baseline is not None and target != baseline:
            progress.share = (average - baseline) / (target - baseline)
        elif target:
            progress.share = average / target
        progress.status = ACHIEVED if meets(average) else BEHIND
        _say(progress,
             f"目标年平均增长 {_fmt(average)}%（{years_counted} 年），目标 {_fmt(target)}%。",
             f"In the target year the average annual rate is {_fmt(average)}% over "
             f"{years_counted} year(s) against a target of {_fmt(target)}%.")
        return
    progress.status = ON_TRACK if meets(value) else BEHIND
    zh = f"{year}年增长 {_fmt(value)}%，目标年均 {_fmt(target)}%"
    en = f"The {year} rate {_fmt(value)}% is compared with the target average {_fmt(target)}%"
    if years_counted > 1:
        zh += f"；已录入 {years_counted} 年平均 {_fmt(average)}%"
        en += f"; the {years_counted} years entered average {_fmt(average)}%"
    if progress.required_rate is not None:
        zh += f"；其余年份需年均 {_fmt(progress.required_rate)}%"
        en += f"; the remaining years need {_fmt(progress.required_rate)}% a year"
    _say(progress, zh + "。", en + ".")


def _decline(progress: Progress, indicator: Indicator, baseline_year: int | None) -> None:
    """Cumulative decline in % since the baseline year; expected path compounds evenly."""
    value, target = _value_and_target(progress)
    year = progress.year
    start = baseline_year
    progress.share = value / target if target else None
    if progress.baseline is not None:
        _say(progress, f"基期值 {_fmt(progress.baseline)} 为上一规划期的累计下降，不作起点；",
             f"The baseline {_fmt(progress.baseline)} is the previous period's cumulative decline, "
             "not a starting level;")
    progress.baseline = 0.0
    if value >= target:
        progress.status = ACHIEVED
        _say(progress, f"累计下降 {_fmt(value)}% 已达到目标 {_fmt(target)}%。",
             f"the cumulative decline of {_fmt(value)}% has reached the target {_fmt(target)}%.")
        return
    fraction = _fraction_of_period(year, start, progress.target_year) if year else None
    if fraction is None:
        progress.status = BEHIND
        _say(progress, f"累计下降 {_fmt(value)}% 未达目标 {_fmt(target)}%。",
             f"the cumulative decline of {_fmt(value)}% is short of the target {_fmt(target)}%.")
        return
    expected = (1 - (1 - target / 100) ** fraction) * 100
    progress.expected = expected
    progress.expected_share = expected / target if target else None
    if fraction >= 1.0:  # the target year has come
        progress.status = BEHIND
    else:
        progress.status = ON_TRACK if value >= expected else BEHIND
    _say(progress,
         f"按每年等比下降，{year}年应累计下降 {_fmt(expected)}%，实际 {_fmt(value)}%（自{start}年起）。",
         f"an even annual decline compounding to {_fmt(target)}% by {progress.target_year} expects "
         f"{_fmt(expected)}% by {year}; actual {_fmt(value)}% since {start}.")


def _upper_bound(progress: Progress, indicator: Indicator, baseline_year: int | None) -> None:
    value, bound = _value_and_target(progress)
    strict = (progress.target_text or indicator.target_value or "").strip().startswith(("<", "＜")) and \
        not (indicator.target_value or "").strip().startswith(("<=", "≤"))
    within = value < bound if strict else value <= bound
    progress.share = 1.0 if within else (bound / value if value else 0.0)
    sign = "<" if strict else "≤"
    if within:
        progress.status = ACHIEVED
        _say(progress, f"{progress.year}年 {_fmt(value)} 在上限 {sign}{_fmt(bound)} 以内。",
             f"{_fmt(value)} in {progress.year} stays within the bound {sign}{_fmt(bound)}.")
    else:
        progress.status = BEHIND
        _say(progress, f"{progress.year}年 {_fmt(value)} 超出上限 {sign}{_fmt(bound)}。",
             f"{_fmt(value)} in {progress.year} exceeds the bound {sign}{_fmt(bound)}.")


def _range(progress: Progress, indicator: Indicator, baseline_year: int | None) -> None:
    low, high = progress.target_low, progress.target_high
    if low is None or high is None or low == high:
        _linear(progress, indicator, baseline_year)
        return
    value, _low = _value_and_target(progress)
    text = f"{_fmt(low)}–{_fmt(high)}"
    if value >= low:
        progress.status = ACHIEVED
        baseline = progress.baseline if progress.baseline is not None else (
            None if _is_percent(indicator) else 0.0)
        progress.share = ((value - baseline) / (low - baseline)
                          if baseline is not None and low != baseline else 1.0)
        if value > high:
            _say(progress, f"{_fmt(value)} 高于目标区间 {text}，按完成计。",
                 f"{_fmt(value)} is above the target range {text}; counted as achieved.")
        else:
            _say(progress, f"{_fmt(value)} 在目标区间 {text} 内。",
                 f"{_fmt(value)} lies within the target range {text}.")
        return
    if _is_percent(indicator) and progress.baseline is None:
        progress.status = BEHIND
        progress.share = value / low if low else None
        _say(progress, f"{_fmt(value)}% 低于目标区间 {text}%。",
             f"{_fmt(value)}% is below the target range {text}%.")
        return
    # Below the range: a straight line to its low end (count ranges start from zero).
    progress.target_high = progress.target_low
    _linear(progress, indicator, baseline_year)
    progress.target_high = high
    _say(progress, f"（以区间下限 {_fmt(low)} 为目标）", f"(Measured against the low end {_fmt(low)}.)")


# --- whole catalogue --------------------------------------------------------------------
def assess_all(catalog: IndicatorCatalog, as_of: int | None = None) -> dict[str, Progress]:
    """Zone-wide progress of every indicator, by id."""
    return {ind.id: assess(ind, catalog.actuals, "", as_of) for ind in catalog.indicators}


def worst_status(statuses: Iterable[str]) -> str:
    chosen = [s for s in statuses if s in _SEVERITY]
    return min(chosen, key=_SEVERITY.__getitem__) if chosen else NOT_LINKED


def feature_progress(catalog: IndicatorCatalog, feature_id: str,
                     indicator_id: str | None = None, as_of: int | None = None) -> list[Progress]:
    """Progress for a feature's indicators: its own values where entered, else zone-wide;
    ``as_of`` ignores actuals after that year (the web map's year slider)."""
    if indicator_id is not None:
        ids = [indicator_id]
    else:
        ids = [ind.id for ind, _link in catalog.for_feature(feature_id)]
        ids += [i for i in catalog.actuals.indicators_for_feature(feature_id) if i not in ids]
    results = []
    for ind_id in ids:
        try:
            indicator = catalog.get(ind_id)
        except KeyError:
            continue
        if has_own_value(catalog, ind_id, feature_id, as_of):
            own_progress = assess(indicator, catalog.actuals, feature_id, as_of)
            if own_progress.status != NOT_ASSESSABLE or indicator_id is not None:
                results.append(own_progress)
                continue
        if indicator_id is not None and feature_id not in catalog.features_for(ind_id):
            continue
        results.append(assess(indicator, catalog.actuals, "", as_of))
    return results


def has_own_value(catalog: IndicatorCatalog, indicator_id: str, feature_id: str, as_of: int | None = None) -> bool:
    """Whether the feature has a value of its own for the indicator (up to ``as_of``)."""
    if as_of is None:
        return catalog.actuals.latest(indicator_id, feature_id) is not None
    return any(r.value is not None and r.year <= as_of for r in catalog.actuals.series(indicator_id, feature_id))


def actual_years(catalog: IndicatorCatalog) -> list[int]:
    """The years monitoring values were entered for, oldest first."""
    return sorted({r.year for r in catalog.actuals.records() if r.value is not None})


def feature_status(catalog: IndicatorCatalog, feature_id: str, indicator_id: str | None = None) -> str:
    """One status for a feature: the worst of its indicators' (or of one indicator)."""
    return worst_status(p.status for p in feature_progress(catalog, feature_id, indicator_id))
