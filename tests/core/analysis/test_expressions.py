"""The expression language: QGIS's syntax and NULL rules, errors with positions, and limits."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.core.analysis.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    Expression,
    ExpressionError,
    layer_context,
)
from gisapp.core.model.layer import StoredRows, VectorLayer


@pytest.fixture
def frame():
    return gpd.GeoDataFrame({
        "name": ["Lingshui Bay", "Huangnichuan", None, "o'clock"],
        "jobs": pd.array([120, 5000, None, 30], dtype="Int64"),
        "share": [0.25, 0.5, np.nan, 1.0],
        "group": ["a", "b", "a", None],
        "opened": pd.to_datetime(["2021-05-01", "2023-01-15", None, "2020-12-31"]),
        "public": pd.array([True, False, None, True], dtype="boolean"),
    }, geometry=[shapely.box(121.5, 38.8, 121.51, 38.81), shapely.box(121.5, 38.8, 121.52, 38.81),
                 shapely.LineString([(121.5, 38.8), (121.51, 38.8)]), shapely.Point(121.5, 38.8)],
        crs="EPSG:4326")


def values(text, frame):
    return Expression(text).values(frame)


@pytest.mark.parametrize(("text", "expected"), [
    ('"jobs" > 100', [True, True, None, False]),
    ("jobs > 100 AND share < 0.4", [True, False, None, False]),
    ("jobs > 100 OR share < 0.4", [True, True, None, False]),
    ("jobs IS NULL", [False, False, True, False]),
    ("name IS NOT NULL", [True, True, False, True]),
    ("\"group\" IN ('a', 'c')", [True, False, True, None]),
    ("name LIKE '%Bay'", [True, False, None, False]),
    ("name ILIKE 'HUANG%'", [False, True, None, False]),
    ("name LIKE 'o''clock'", [False, False, None, True]),
    ("name = 'o\\'clock'", [False, False, None, True]),
    ("jobs * share", [30, 2500, None, 30]),
    ("jobs || ' jobs'", ["120 jobs", "5000 jobs", None, "30 jobs"]),
    ("coalesce(jobs, -1)", [120, 5000, -1, 30]),
    ("CASE WHEN jobs >= 1000 THEN 'large' WHEN jobs >= 100 THEN 'medium' ELSE 'small' END",
     ["medium", "large", "small", "small"]),
    ("if(public, 'open', 'closed')", ["open", "closed", "closed", "open"]),
    ("year(opened)", [2021, 2023, None, 2020]),
    ("opened > to_date('2021-01-01')", [True, True, None, False]),
    ("sum(jobs)", [5150] * 4),
    ("sum(jobs, group_by:=\"group\")", [120, 5000, 120, 30]),
    ("count(jobs, filter:=share >= 0.5)", [2] * 4),
    ("maximum(name)", ["o'clock"] * 4),
    ("$id", [1, 2, 3, 4]),
    ("left(name, 3) || right(name, 2)", ["Linay", "Huaan", None, "o'cck"]),
    ("min(jobs, 200)", [120, 200, 200, 30]),
    ("upper(substr(name, 1, 1))", ["L", "H", None, "O"]),
])
def test_values_follow_qgis_rules(frame, text, expected):
    assert values(text, frame) == expected


def test_geodesic_measures_in_metres(frame):
    area = values("$area", frame)
    # A 0.01° box at 38.8°N: about 1111 m north-south by 867 m east-west.
    assert area[0] == pytest.approx(1111.0 * 867.0, rel=0.01)
    assert area[1] == pytest.approx(2 * area[0], rel=1e-3)
    assert area[2] is None and area[3] is None  # a line and a point have no area
    assert values("$length", frame)[2] == pytest.approx(867.5, rel=0.01)
    assert values("$perimeter", frame)[0] == pytest.approx(2 * (1111.0 + 867.0), rel=0.01)


def test_measures_come_out_the_same_in_a_projected_crs(frame):
    projected = frame.to_crs("EPSG:32651")
    assert values("$area", projected)[0] == pytest.approx(values("$area", frame)[0], rel=1e-6)


def test_branches_are_evaluated_only_where_they_are_taken(frame):
    """A branch that would fail elsewhere (text to number) is not evaluated there, as in QGIS."""
    assert values("CASE WHEN name = 'Lingshui Bay' THEN to_int('12') ELSE 0 END", frame) == [12, 0, 0, 0]
    with pytest.raises(ExpressionError, match="cannot convert 'Lingshui Bay' to a number"):
        values("to_int(name)", frame)


def test_feature_ids_are_those_of_the_project_file(frame):
    layer = VectorLayer("l", "l", "l", frame)
    layer.stored = StoredRows(layer.frame, np.array([7, 9, 11, 12]), 13)
    assert Expression("$id").values(layer) == [7, 9, 11, 12]
    assert list(layer_context(layer).fids) == [7, 9, 11, 12]


@pytest.mark.parametrize(("text", "pos", "en", "zh"), [
    ("jobs +", 6, "ends too early", "不完整"),
    ("jobs + )", 7, "')' is not expected here", "此处不应出现“)”"),
    ("jobs # 2", 5, "unexpected character '#'", "无法识别的字符"),
    ('"jbos" * 2', 0, "no field named 'jbos'", "没有名为“jbos”的字段"),
    ("jobs + nosuch(1)", 7, "no function named 'nosuch'", "没有名为“nosuch”的函数"),
    ("upper(name, 2)", 0, "upper takes 1 arguments, 2 given", "函数 upper 需要 1 个参数"),
    ("sum(jobs, groupby:=name)", 19, "sum has no argument 'groupby'", "没有参数"),
    ("$aera", 0, "no variable '$aera'", "没有变量"),
    ("regexp_match(name, '(')", 19, "invalid regular expression", "正则表达式无效"),
])
def test_errors_name_the_position_and_the_problem(frame, text, pos, en, zh):
    with pytest.raises(ExpressionError) as caught:
        Expression(text).evaluate(frame)
    error = caught.value
    assert error.pos == pos
    assert en in error.message("en") and f"Character {pos + 1}:" in error.message("en")
    assert zh in error.message("zh") and f"第 {pos + 1} 个字符" in error.message("zh")


def test_check_reports_the_first_problem_without_evaluating(frame):
    with pytest.raises(ExpressionError) as caught:
        Expression("nosuch(1) + \"missing\"").check(frame.columns)
    assert caught.value.key == "unknown_function"


def test_limits_keep_any_text_from_hanging_the_window(frame):
    with pytest.raises(ExpressionError) as caught:
        Expression("1 + " * (MAX_LENGTH // 4) + "1")
    assert caught.value.key == "too_long"
    with pytest.raises(ExpressionError) as caught:
        Expression("abs(" * (MAX_DEPTH + 5) + "1" + ")" * (MAX_DEPTH + 5))
    assert caught.value.key == "too_deep"
    # Brackets alone add no depth: the parser keeps its own stack.
    assert Expression("(" * 2000 + "1" + ")" * 2000).values(frame) == [1] * 4
    # Catastrophic backtracking in a backtracking engine; RE2 answers in linear time.
    hostile = gpd.GeoDataFrame({"s": ["a" * 5000 + "!"]}, geometry=[None])
    assert Expression("regexp_match(s, '(a+)+$')").values(hostile) == [0]
    assert Expression("s LIKE '%a%a%a%a%a%a%a%a%b'").values(hostile) == [False]
    with pytest.raises(ExpressionError) as caught:
        Expression("regexp_match(s, '" + "a" * 2000 + "')").values(hostile)
    assert caught.value.key == "regex_too_long"
    with pytest.raises(ExpressionError) as caught:
        Expression("replace(replace(replace(s, 'a', s), 'a', s), 'a', s)").values(hostile)
    assert caught.value.key == "text_too_long"


def test_the_same_now_for_every_feature(frame):
    stamps = Expression("now()").values(frame)
    assert len(set(stamps)) == 1


def test_fields_lists_what_the_expression_reads():
    assert Expression('"jobs" * share + sum(jobs, group_by:="group")').fields() == ["jobs", "share", "group"]


def test_values_become_columns_of_a_field_type(frame):
    from gisapp.core.analysis.expressions.values import column_values

    value = Expression("share * 10").evaluate(frame)
    assert column_values(value, "integer").tolist()[:2] == [3, 5]  # 2.5 rounds away from zero
    assert column_values(value, "integer").isna().tolist() == [False, False, True, False]
    assert column_values(value, "text").tolist() == ["2.5", "5", None, "10"]
    dates = column_values(Expression("to_date('2025-01-0' || to_string($id))").evaluate(frame), "date")
    assert [str(d.date()) for d in dates] == ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"]
    with pytest.raises(ExpressionError, match="Lingshui Bay"):
        column_values(Expression("name").evaluate(frame), "real")
