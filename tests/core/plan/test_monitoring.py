"""Progress and status for each kind of plan indicator, checked against hand calculations."""

import pytest

from gisapp.core.plan.actuals import Actual, ActualsTable
from gisapp.core.plan.indicators import Indicator
from gisapp.core.plan.monitoring import (
    ACHIEVED,
    BEHIND,
    ENDED_PLAN_OUTCOMES,
    NO_DATA,
    NOT_ACHIEVED,
    NOT_ASSESSABLE,
    NOT_LINKED,
    ON_TRACK,
    assess,
    assess_all,
    assessment_method,
    feature_progress,
    feature_status,
    worst_status,
)


@pytest.fixture
def catalog(bundled_project):
    return bundled_project.indicators


def progress_for(catalog, indicator_id, values, feature_id=""):
    table = ActualsTable(Actual(indicator_id, year, value, feature_id) for year, value in values.items())
    return assess(catalog.get(indicator_id), table, feature_id)


# --- methods ------------------------------------------------------------------------------
def test_each_kind_gets_its_method(catalog):
    methods = {i: assessment_method(catalog.get(i)) for i in (
        "plan.t2.04", "plan.t2.12", "plan.t2.01", "plan.t2.16", "plan.t2.20", "plan.t1.03",
        "plan.t1.09", "plan.text.gdp_2020")}
    assert methods == {
        "plan.t2.04": "stock", "plan.t2.12": "share", "plan.t2.01": "rate",
        "plan.t2.16": "upper_bound", "plan.t2.20": "cumulative_decline", "plan.t1.03": "range",
        "plan.t1.09": "qualitative", "plan.text.gdp_2020": "none"}


# --- stock: straight line from the 2020 baseline to the 2025 target ----------------------------
def test_stock_on_track_behind_and_achieved(catalog):
    # Valid invention patents 6726 (2020) -> 10000 (2025); 2022 is 2/5 of the way: 8035.6.
    on_track = progress_for(catalog, "plan.t2.04", {2022: 8100})
    assert on_track.status == ON_TRACK
    assert on_track.expected == pytest.approx(6726 + 3274 * 0.4)
    assert on_track.share == pytest.approx((8100 - 6726) / 3274)
    assert on_track.expected_share == pytest.approx(0.4)
    assert progress_for(catalog, "plan.t2.04", {2022: 7900}).status == BEHIND
    assert progress_for(catalog, "plan.t2.04", {2022: 7900, 2024: 10200}).status == ACHIEVED
    missed = progress_for(catalog, "plan.t2.04", {2025: 9900})
    assert missed.status == BEHIND and "target year" in missed.reason_en


def test_stock_without_baseline_counts_new_additions_from_zero(catalog):
    # New schools and medical institutions: target 20 by 2025, no baseline -> 12 expected in 2023.
    progress = progress_for(catalog, "plan.t2.17", {2023: 12})
    assert progress.status == ON_TRACK
    assert progress.expected == pytest.approx(12)
    assert "zero" in progress.reason_en
    assert progress_for(catalog, "plan.t2.17", {2023: 11}).status == BEHIND


def test_zone_wide_stock_sums_the_zones(catalog):
    table = ActualsTable([Actual("plan.t2.09", 2023, 900, "hitech.cluster.huangnichuan"),
                          Actual("plan.t2.09", 2023, 700, "hitech.core.lingshui_cid"),
                          Actual("plan.t2.09", 2022, 1000, "hitech.core.lingshui_cid")])
    progress = assess(catalog.get("plan.t2.09"), table)
    assert (progress.value, progress.year, progress.value_source) == (1600, 2023, "features")
    # 967 -> 2000: 2023 expects 967 + 1033 * 0.6 = 1586.8.
    assert progress.status == ON_TRACK
    # A zone's own count has no target of its own.
    own = assess(catalog.get("plan.t2.09"), table, "hitech.core.lingshui_cid")
    assert own.status == NOT_ASSESSABLE


# --- rate: an annual growth rate, not a stock ------------------------------------------------
def test_rate_compares_the_latest_annual_rate_with_the_target_rate(catalog):
    # GDP average annual growth target 7.5 %.
    assert progress_for(catalog, "plan.t2.01", {2021: 8.1}).status == ON_TRACK
    behind = progress_for(catalog, "plan.t2.01", {2021: 8.1, 2022: 6.0})
    assert behind.status == BEHIND
    assert behind.value == 6.0
    assert behind.average_rate == pytest.approx(((1.081 * 1.06) ** 0.5 - 1) * 100)
    # Three years left to lift the 5-year average to 7.5 %.
    needed = ((1.075 ** 5 / (1.081 * 1.06)) ** (1 / 3) - 1) * 100
    assert behind.required_rate == pytest.approx(needed)
    # A rate of 7.6 % is on track in any year: a rate is not compared with a rising stock line.
    assert progress_for(catalog, "plan.t2.01", {2024: 7.6}).status == ON_TRACK


def test_rate_in_the_target_year_is_judged_on_the_average(catalog):
    good = progress_for(catalog, "plan.t2.01", {2021: 8, 2022: 7, 2023: 8, 2024: 7.5, 2025: 7.5})
    assert good.status == ACHIEVED
    assert good.average_rate == pytest.approx(((1.08 * 1.07 * 1.08 * 1.075 * 1.075) ** 0.2 - 1) * 100)
    # A strong last year does not make up for a weak period.
    weak = progress_for(catalog, "plan.t2.01", {2021: 5, 2022: 5, 2023: 5, 2024: 5, 2025: 9})
    assert weak.status == BEHIND


def test_table1_rates_use_the_plan_average_growth(catalog):
    progress = assess(catalog.get("plan.t1.01"))  # average 6.12 against >7.5 -> not completed
    assert progress.status == NOT_ACHIEVED and progress.status_label("zh") == "未完成"
    assert progress.average_rate == pytest.approx(6.12)


def test_an_average_growth_target_is_a_rate_whatever_the_kind():
    # Only target_avg_growth is given; measuring it as a stock once compared with None.
    indicator = Indicator(id="x.output", category="economy", name_zh="产值", name_en="Output",
                          unit="%", kind="stock", baseline_year=2020, target_year=2025,
                          target_avg_growth=">8")
    assert assessment_method(indicator) == "rate"
    progress = assess(indicator, ActualsTable([Actual("x.output", 2022, 9.0)]))
    assert progress.status == ON_TRACK and progress.target == 8


def test_plan_average_growth_that_is_not_a_number_falls_back_to_the_value():
    indicator = Indicator(id="x.gdp", category="economy", name_zh="地区生产总值增速", name_en="GDP growth",
                          unit="%", kind="rate", target_year=2020, target_value=">7.5",
                          actual_year=2020, actual_value="8", actual_avg_growth="未公布")
    progress = assess(indicator)
    assert progress.status == ACHIEVED and progress.average_rate == pytest.approx(8)


# --- share: a level in % -----------------------------------------------------------------------
def test_share_follows_the_line_from_baseline_to_target(catalog):
    # Digital economy share of GDP 47 -> 60: 2023 expects 47 + 13 * 0.6 = 54.8.
    assert progress_for(catalog, "plan.t2.12", {2023: 55}).status == ON_TRACK
    assert progress_for(catalog, "plan.t2.12", {2023: 52}).status == BEHIND
    assert progress_for(catalog, "plan.t2.12", {2023: 61}).status == ACHIEVED


def test_falling_share_is_on_track_below_the_line():
    indicator = Indicator(id="x.coal", category="environment", name_zh="煤炭消费比重", name_en="Coal share",
                          unit="%", kind="share", baseline_year=2020, baseline_value="30",
                          target_year=2025, target_value="20")
    table = ActualsTable([Actual("x.coal", 2023, 23)])
    progress = assess(indicator, table)  # expected 30 - 10 * 0.6 = 24
    assert progress.status == ON_TRACK and progress.expected == pytest.approx(24)
    assert progress.share == pytest.approx(0.7)
    table.set_value("x.coal", 2023, 25)
    assert assess(indicator, table).status == BEHIND


# --- upper bound: "<4" is achieved while below ------------------------------------------------
def test_upper_bound(catalog):
    assert progress_for(catalog, "plan.t2.16", {2022: 3.6}).status == ACHIEVED
    assert progress_for(catalog, "plan.t2.16", {2022: 4.0}).status == BEHIND  # "<4" is strict
    above = progress_for(catalog, "plan.t2.16", {2021: 3.5, 2022: 4.4})
    assert above.status == BEHIND and above.value == 4.4
    assert above.share == pytest.approx(4 / 4.4)


# --- cumulative decline: energy use per unit of GDP ------------------------------------------
def test_energy_intensity_is_a_cumulative_decline(catalog):
    # 13.5 % over five years at an even annual rate: by 2022, 1 - 0.865 ** 0.4.
    expected = (1 - 0.865 ** 0.4) * 100
    progress = progress_for(catalog, "plan.t2.20", {2022: 6.0})
    assert progress.status == ON_TRACK
    assert progress.expected == pytest.approx(expected)
    assert progress.share == pytest.approx(6.0 / 13.5)
    assert progress.baseline == 0.0  # '15' is the previous period's decline, not a level
    assert progress_for(catalog, "plan.t2.20", {2022: 4.0}).status == BEHIND
    assert progress_for(catalog, "plan.t2.20", {2024: 14.0}).status == ACHIEVED
    assert progress_for(catalog, "plan.t2.20", {2025: 12.0}).status == BEHIND


# --- ranges ----------------------------------------------------------------------------------
def test_ranges(catalog):
    above = assess(catalog.get("plan.t1.03"))  # 22759 new IP applications against 7000-10000
    assert above.status == ACHIEVED and "above" in above.reason_en
    within = assess(catalog.get("plan.t1.07"))  # 22 against 20-30
    assert within.status == ACHIEVED and "within" in within.reason_en
    # A share range is a level: 9 % is below 10-15 % (the 13th plan has ended: not achieved).
    below = progress_for(catalog, "plan.t1.04", {2020: 9})
    assert below.status == NOT_ACHIEVED
    # A count range with no baseline: new schools 4-5 by 2025, from zero to the low end 4.
    assert progress_for(catalog, "plan.text.primary_secondary_schools", {2023: 3}).status == ON_TRACK
    assert progress_for(catalog, "plan.text.primary_secondary_schools", {2023: 2}).status == BEHIND


def test_table1_completion_is_reproduced(catalog):
    results = assess_all(catalog)
    for indicator in catalog.indicators:
        if indicator.table != "table1" or results[indicator.id].method == "qualitative":
            continue
        # The ended 13th plan's outcomes read as the plan prints them: 已完成 / 未完成, never 滞后.
        expected = ENDED_PLAN_OUTCOMES[indicator.completion]
        assert results[indicator.id].status == expected, indicator.id
        assert results[indicator.id].status_label("zh") == {"completed": "已完成", "not_completed": "未完成"}[
            indicator.completion]


# --- qualitative and missing ---------------------------------------------------------------------
def test_qualitative_and_missing(catalog):
    qualitative = assess(catalog.get("plan.t1.09"))
    assert qualitative.status == NOT_ASSESSABLE and "达到大连市要求" in qualitative.reason_zh
    missing = assess(catalog.get("plan.t2.04"), ActualsTable())
    assert missing.status == NO_DATA and missing.share is None


def test_as_of_looks_back(catalog):
    table = ActualsTable([Actual("plan.t2.04", 2022, 8100), Actual("plan.t2.04", 2024, 10100)])
    assert assess(catalog.get("plan.t2.04"), table).status == ACHIEVED
    assert assess(catalog.get("plan.t2.04"), table, as_of=2023).status == ON_TRACK


# --- the table of actuals ----------------------------------------------------------------------
def test_actuals_table_edits_announce_once():
    table = ActualsTable()
    calls = []
    table.changed.connect(lambda: calls.append(1))
    assert table.update([Actual("a", 2021, 1), Actual("a", 2022, "2"), Actual("a", 2022, 3)]) == 3
    assert len(calls) == 1 and len(table) == 2
    assert table.latest("a").value == 3.0
    table.set_value("a", 2023, None, note="not yet published")
    assert table.latest("a").year == 2022  # a value-less record does not count as the latest
    assert table.remove("a", 2023) and not table.remove("a", 2023)
    assert len(calls) == 3


def test_feature_status_is_the_worst_of_its_indicators(catalog):
    catalog.actuals.update([Actual("plan.t2.04", 2022, 7000), Actual("plan.t2.05", 2022, 250)])
    # The Lingshui CID carries patents (behind) and technology-contract turnover (achieved).
    assert feature_status(catalog, "hitech.core.lingshui_cid") == BEHIND
    assert feature_status(catalog, "hitech.core.lingshui_cid", "plan.t2.05") == ACHIEVED
    assert feature_status(catalog, "no.such.feature") == NOT_LINKED
    assert worst_status([ACHIEVED, NO_DATA]) == ACHIEVED
    # A feature's own rate is compared with the zone-wide target.
    catalog.actuals.set(Actual("plan.t2.03", 2022, 12, "hitech.core.lingshui_cid"))
    own = feature_progress(catalog, "hitech.core.lingshui_cid", "plan.t2.03")[0]
    assert own.feature_id == "hitech.core.lingshui_cid" and own.status == ON_TRACK
