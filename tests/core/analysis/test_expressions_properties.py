"""Property-based tests: no text makes the expression parser or evaluator fail other than with an
ExpressionError, and generated expressions agree with a direct Python computation."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gisapp.core.analysis.expressions import Expression, ExpressionError

FRAME = gpd.GeoDataFrame({"a": [1.0, -2.5, np.nan, 0.0], "b": [3, 4, 5, 6], "s": ["x", "Yz", None, ""]},
                         geometry=[shapely.box(0, 0, 0.01, 0.01)] * 4, crs="EPSG:4326")

TOKENS = ["a", "b", "s", '"a"', "'x'", "'%'", "1", "2.5", "0", "NULL", "TRUE", "(", ")", ",", "+", "-", "*", "/",
          "//", "%", "^", "||", "=", "<>", "<", ">=", "AND", "OR", "NOT", "IS", "IN", "LIKE", "ILIKE", "CASE",
          "WHEN", "THEN", "ELSE", "END", "upper(", "coalesce(", "sum(", "group_by:=", "if(", "round(",
          "substr(", "regexp_match(", "$area", "$id", "to_date(", "age(", "year(", "min(", "'2020-01-01'"]

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text(max_size=200))
def test_any_text_is_parsed_or_refused_with_an_expression_error(text):
    try:
        Expression(text).values(FRAME)
    except ExpressionError as error:
        assert error.message("zh") and error.message("en")
        assert 0 <= error.pos <= len(text)


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
def test_token_soup_is_evaluated_or_refused_with_an_expression_error(tokens):
    try:
        result = Expression(" ".join(tokens)).values(FRAME)
    except ExpressionError:
        return
    assert len(result) == len(FRAME)


numbers = st.integers(min_value=-1000, max_value=1000)


@st.composite
def arithmetic(draw, depth=0):
    """(expression text, function of (a, b) row values giving the expected value or None)."""
    if depth > 3 or draw(st.booleans()):
        choice = draw(st.sampled_from(["a", "b", "const"]))
        if choice == "const":
            value = draw(numbers)
            return f"({value})", lambda row, value=value: float(value)
        return f'"{choice}"', lambda row, choice=choice: None if np.isnan(row[choice]) else row[choice]
    op = draw(st.sampled_from(["+", "-", "*"]))
    left_text, left = draw(arithmetic(depth + 1))
    right_text, right = draw(arithmetic(depth + 1))

    def combined(row, left=left, right=right, op=op):
        x, y = left(row), right(row)
        if x is None or y is None:
            return None
        return {"+": x + y, "-": x - y, "*": x * y}[op]
    return f"({left_text} {op} {right_text})", combined


@SETTINGS
@given(arithmetic())
def test_generated_arithmetic_matches_python(case):
    text, expected_of = case
    got = Expression(text).values(FRAME)
    for row, value in zip(FRAME[["a", "b"]].to_dict("records"), got, strict=True):
        expected = expected_of({k: float(v) for k, v in row.items()})
        if expected is None:
            assert value is None
        else:
            assert value == pytest.approx(expected)
