"""Evaluating an expression tree over a layer's features at once, with QGIS's NULL rules (no Qt).

- Arithmetic, comparisons, ``||`` and LIKE with a NULL operand give NULL; division by zero
  gives NULL; ``NULL IS NULL`` is true.
- ``AND``/``OR`` are three-valued: ``false AND NULL`` is false, ``true OR NULL`` is true.
- A condition that is NULL counts as false (CASE, if(), select by expression).
- ``+`` joins two texts; otherwise texts convert to numbers, and a text that is no number
  is an error naming it. Comparisons are numeric when both sides are numbers, or one is a
  number and the other a text that reads as one; otherwise they compare texts.
- LIKE and regular expressions run on RE2 (linear time: no pattern can hang the window).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import re2

from gisapp.core.analysis.expressions import functions
from gisapp.core.analysis.expressions.context import Context
from gisapp.core.analysis.expressions.errors import ExpressionError
from gisapp.core.analysis.expressions.patterns import compile_regex, like_regex
from gisapp.core.analysis.expressions.syntax import (
    Binary,
    Call,
    Case,
    Field,
    In,
    Is,
    Like,
    Literal,
    Node,
    Unary,
    Variable,
)
from gisapp.core.analysis.expressions.values import (
    BOOL,
    DATE,
    INTERVAL,
    NULL,
    NUM,
    STR,
    Value,
    check_text_size,
    constant,
    empty_like,
    to_bool,
    to_date,
    to_num,
    to_str,
    unify,
)

VARIABLES = ("area", "length", "perimeter", "id", "x", "y")


def evaluate(node: Node, ctx: Context) -> Value:
    if isinstance(node, Literal):
        return constant(node.value, ctx.n)
    if isinstance(node, Field):
        return ctx.column(node.name, node.pos)
    if isinstance(node, Variable):
        if node.name == "id":
            return ctx.fid()
        if node.name in VARIABLES:
            return ctx.measure(node.name, node.pos)
        raise ExpressionError("unknown_variable", node.pos, name=node.name)
    if isinstance(node, Unary):
        operand = evaluate(node.operand, ctx)
        if node.op == "NOT":
            truth = to_bool(operand, node.pos)
            return Value(BOOL, ~truth.data & ~truth.null, truth.null)
        number = to_num(operand, node.operand.pos)
        return Value(number.kind, -number.data if node.op == "-" else number.data, number.null)
    if isinstance(node, Binary):
        if node.op in ("AND", "OR"):
            return _logic(node, ctx)
        left, right = evaluate(node.left, ctx), evaluate(node.right, ctx)
        if node.op in COMPARISONS:
            return compare(left, right, node.op, node.right.pos)
        if node.op == "||":
            return _concat(left, right, node.pos)
        return arithmetic(left, right, node.op, node.left.pos, node.right.pos)
    if isinstance(node, Like):
        return _like(node, ctx)
    if isinstance(node, Is):
        left, right = evaluate(node.left, ctx), evaluate(node.right, ctx)
        both_null = left.null & right.null
        equal = compare(left, right, "=", node.right.pos)
        data = both_null | (equal.data & ~equal.null)
        return Value(BOOL, ~data if node.negated else data, np.zeros(ctx.n, dtype=bool))
    if isinstance(node, In):
        return _in(node, ctx)
    if isinstance(node, Case):
        return _case(node.whens, node.otherwise, ctx, node.pos)
    if isinstance(node, Call):
        return functions.call(node, ctx, EVALUATOR)
    raise ExpressionError("unexpected_end", node.pos)  # pragma: no cover - every node is handled


def truth(node: Node, ctx: Context) -> np.ndarray:
    """Where a condition holds (NULL counts as false)."""
    value = to_bool(evaluate(node, ctx), node.pos)
    return value.data & ~value.null


def _logic(node: Binary, ctx: Context) -> Value:
    left = to_bool(evaluate(node.left, ctx), node.left.pos)
    right = to_bool(evaluate(node.right, ctx), node.right.pos)
    lt, lf = left.data & ~left.null, ~left.data & ~left.null
    rt, rf = right.data & ~right.null, ~right.data & ~right.null
    if node.op == "AND":
        data, known = lt & rt, lf | rf | (lt & rt)
    else:
        data, known = lt | rt, lt | rt | (lf & rf)
    return Value(BOOL, data, ~known)


COMPARISONS = {"=": np.equal, "<>": np.not_equal, "!=": np.not_equal, "<": np.less, ">": np.greater,
               "<=": np.less_equal, ">=": np.greater_equal}


def compare(left: Value, right: Value, op: str, pos: int) -> Value:
    n = len(left)
    null = left.null | right.null
    if NULL in (left.kind, right.kind):
        return Value(BOOL, np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
    func = COMPARISONS[op]
    numeric = {NUM, BOOL, INTERVAL}
    if left.kind in numeric and right.kind in numeric:
        data = func(to_num(left, pos).data, to_num(right, pos).data)
    elif DATE in (left.kind, right.kind) and {left.kind, right.kind} <= {DATE, STR}:
        data = func(to_date(left, pos).data, to_date(right, pos).data)
    elif STR in (left.kind, right.kind) and (left.kind in numeric or right.kind in numeric):
        text, number = (left, right) if left.kind == STR else (right, left)
        as_number = pd.to_numeric(pd.Series(text.data, dtype=object), errors="coerce").to_numpy(dtype=float)
        readable = ~np.isnan(as_number)
        a = np.where(readable, as_number, 0.0)
        numbers = func(a, number.data) if text is left else func(number.data, a)
        texts = _text_compare(to_str(left), to_str(right), func)
        data = np.where(readable, numbers, texts)
    else:
        data = _text_compare(to_str(left), to_str(right), func)
    data = np.asarray(data, dtype=bool) & ~null
    return Value(BOOL, data, null)


def _text_compare(left: Value, right: Value, func: Callable[..., np.ndarray]) -> np.ndarray:
    a = np.where(left.null, "", left.data).astype(str)
    b = np.where(right.null, "", right.data).astype(str)
    return np.asarray(func(a, b), dtype=bool)


def arithmetic(left: Value, right: Value, op: str, left_pos: int, right_pos: int) -> Value:
    n = len(left)
    null = left.null | right.null
    if op == "+" and left.kind == STR and right.kind == STR:
        return _concat(left, right, left_pos)
    if NULL in (left.kind, right.kind):
        return Value(NUM, np.full(n, np.nan), np.ones(n, dtype=bool))
    if DATE in (left.kind, right.kind) and op in ("+", "-"):
        return _date_arithmetic(left, right, op, left_pos, right_pos)
    a, b = to_num(left, left_pos).data, to_num(right, right_pos).data
    with np.errstate(all="ignore"):
        if op == "+":
            data = a + b
        elif op == "-":
            data = a - b
        elif op == "*":
            data = a * b
        elif op == "/":
            data = np.where(b == 0, np.nan, a / np.where(b == 0, 1, b))
        elif op == "//":
            data = np.where(b == 0, np.nan, np.floor(a / np.where(b == 0, 1, b)))
        elif op == "%":
            data = np.where(b == 0, np.nan, np.fmod(a, np.where(b == 0, 1, b)))
        else:  # ^
            data = np.power(a, b)
    null = null | ~np.isfinite(data)
    kind = INTERVAL if INTERVAL in (left.kind, right.kind) and op in ("+", "-") else NUM
    return Value(kind, np.where(null, np.nan, data), null)


def _date_arithmetic(left: Value, right: Value, op: str, left_pos: int, right_pos: int) -> Value:
    null = left.null | right.null
    if left.kind in (DATE, STR) and right.kind in (DATE, STR) and op == "-":
        a, b = to_date(left, left_pos), to_date(right, right_pos)
        seconds = (a.data - b.data) / np.timedelta64(1, "s")
        return Value(INTERVAL, np.where(null, np.nan, seconds), null)
    if left.kind == DATE and right.kind in (INTERVAL, NUM):
        step = (right.data * (1 if right.kind == INTERVAL else 86400.0))
        step = np.where(null, 0, step).astype("timedelta64[s]")
        data = left.data + step if op == "+" else left.data - step
        return Value(DATE, data.astype("datetime64[ns]"), null)
    raise ExpressionError("not_number", left_pos if left.kind == DATE else right_pos, value="date")


def _concat(left: Value, right: Value, pos: int) -> Value:
    a, b = to_str(left), to_str(right)
    null = a.null | b.null
    data = np.empty(len(a), dtype=object)
    keep = np.flatnonzero(~null)
    data[keep] = a.data[keep] + b.data[keep]  # object arrays: str + str in numpy's loop
    return check_text_size(Value(STR, data, null), pos)


def _like(node: Like, ctx: Context) -> Value:
    text = to_str(evaluate(node.operand, ctx))
    pattern = to_str(evaluate(node.pattern, ctx))
    null = text.null | pattern.null
    data = np.zeros(ctx.n, dtype=bool)
    compiled: dict[str, re2._Regexp] = {}
    for i in np.flatnonzero(~null).tolist():
        source = pattern.data[i]
        regex = compiled.get(source)
        if regex is None:
            regex = compiled[source] = compile_regex(like_regex(source, node.insensitive), node.pattern.pos)
        data[i] = regex.fullmatch(text.data[i]) is not None
    if node.negated:
        data = ~data & ~null
    return Value(BOOL, data, null)


def _in(node: In, ctx: Context) -> Value:
    operand = evaluate(node.operand, ctx)
    found = np.zeros(ctx.n, dtype=bool)
    unknown = np.zeros(ctx.n, dtype=bool)
    for option in node.options:
        equal = compare(operand, evaluate(option, ctx), "=", option.pos)
        found |= equal.data & ~equal.null
        unknown |= equal.null
    null = operand.null | (~found & unknown)
    data = (~found if node.negated else found) & ~null
    return Value(BOOL, data, null)


def _case(whens: tuple[tuple[Node, Node], ...], otherwise: Node | None, ctx: Context, pos: int) -> Value:
    """Each branch evaluated only on the features that reach it."""
    remaining = np.arange(ctx.n, dtype=np.int64)
    parts: list[tuple[np.ndarray, Value]] = []
    for condition, result in whens:
        if not len(remaining):
            break
        sub = ctx.subset(remaining)
        holds = truth(condition, sub)
        taken = remaining[holds]
        if len(taken):
            parts.append((taken, evaluate(result, ctx.subset(taken))))
        remaining = remaining[~holds]
    if len(remaining) and otherwise is not None:
        parts.append((remaining, evaluate(otherwise, ctx.subset(remaining))))
    values = unify([value for _, value in parts], pos)
    kind = next((v.kind for v in values if v.kind != NULL), NULL)
    out = empty_like(kind if kind != NULL else NUM, ctx.n)
    if kind == NULL:
        out.kind = NULL
    for (positions, _), value in zip(parts, values, strict=True):
        out.data[positions] = value.data
        out.null[positions] = value.null
    return out


def case_of(condition: Node, yes: Node, no: Node | None, ctx: Context, pos: int) -> Value:
    """if(condition, yes, no) as CASE WHEN condition THEN yes ELSE no END."""
    return _case(((condition, yes),), no, ctx, pos)


EVALUATOR = functions.Evaluator(evaluate, truth, case_of)
