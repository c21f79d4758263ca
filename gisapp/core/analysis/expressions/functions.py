"""The functions of the expression language, with QGIS's names, arguments and NULL rules (no Qt).

Each :class:`Function` has its parameter names (so ``name:=value`` works as in QGIS), a group
and a help text in both languages for the expression builder. Aggregates (``sum``, ``mean``,
``count``, ``minimum``, ``maximum``) look at every feature of the layer, optionally grouped by
``group_by`` and limited by ``filter``, and are computed once per evaluation with pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gisapp.core.analysis.expressions.context import Context
from gisapp.core.analysis.expressions.errors import ExpressionError
from gisapp.core.analysis.expressions.patterns import compile_regex
from gisapp.core.analysis.expressions.syntax import Call, Node
from gisapp.core.analysis.expressions.values import (
    DATE,
    INTERVAL,
    NULL,
    NUM,
    STR,
    Value,
    check_text_size,
    constant,
    empty_like,
    to_date,
    to_num,
    to_str,
    unify,
)
from gisapp.core.texts import Bilingual

B = Bilingual
Impl = Callable[[Call, Context, list[Value]], Value]


@dataclass(frozen=True)
class Evaluator:
    """How the evaluator evaluates nodes, handed in by it (this module does not import it)."""

    value: Callable[[Node, Context], Value]
    truth: Callable[[Node, Context], np.ndarray]
    case: Callable[[Node, Node, Node | None, Context, int], Value]


@dataclass(frozen=True)
class Function:
    name: str
    params: tuple[str, ...]
    required: int
    group: str  # key of GROUPS
    help: Bilingual
    impl: Impl | None = None  # None: a special form handled in call()
    variadic: bool = False


GROUPS: dict[str, Bilingual] = {
    "conditionals": B("条件", "Conditionals"),
    "string": B("文本", "String"),
    "math": B("数学", "Math"),
    "date": B("日期和时间", "Date and time"),
    "conversions": B("转换", "Conversions"),
    "aggregates": B("汇总", "Aggregates"),
}


def _args(node: Call, ctx: Context, ev: Evaluator) -> list[Value]:
    return [ev.value(arg, ctx) for arg in node.args]


# --- helpers ---------------------------------------------------------------------------------
def _text_map(value: Value, func: Callable[[str], object], kind: str = STR) -> Value:
    text = to_str(value)
    keep = np.flatnonzero(~text.null)
    mapped = pd.Series(text.data[keep], dtype=object).map(func).to_numpy()  # pandas' C loop
    if kind == STR:
        data = np.empty(len(text), dtype=object)
        data[keep] = mapped
        return Value(STR, data, text.null.copy())
    numbers = np.full(len(text), np.nan)
    numbers[keep] = mapped.astype(float)
    return Value(NUM, numbers, text.null.copy())


def _ints(value: Value, pos: int) -> np.ndarray:
    number = to_num(value, pos)
    return np.where(number.null, 0, np.trunc(np.nan_to_num(number.data))).astype(np.int64)


def _numeric(func: Callable[[np.ndarray], np.ndarray]) -> Impl:
    def impl(node: Call, ctx: Context, args: list[Value]) -> Value:
        number = to_num(args[0], node.args[0].pos)
        with np.errstate(all="ignore"):
            data = func(number.data)
        null = number.null | ~np.isfinite(data)
        return Value(NUM, np.where(null, np.nan, data), null)
    return impl


def _round_half_away(values: np.ndarray) -> np.ndarray:
    return np.sign(values) * np.floor(np.abs(values) + 0.5)


def _round(node: Call, ctx: Context, args: list[Value]) -> Value:
    number = to_num(args[0], node.args[0].pos)
    places = _ints(args[1], node.args[1].pos) if len(args) > 1 else np.zeros(len(number), dtype=np.int64)
    scale = np.power(10.0, places)
    with np.errstate(all="ignore"):
        data = _round_half_away(number.data * scale) / scale
    null = number.null | ~np.isfinite(data)
    return Value(NUM, np.where(null, np.nan, data), null)


def _min_max(smallest: bool) -> Impl:
    """min()/max() of scalars: NULLs are left out; NULL when all are NULL."""
    def impl(node: Call, ctx: Context, args: list[Value]) -> Value:
        numbers = np.vstack([np.where(v.null, np.nan, to_num(v, a.pos).data) for v, a in
                             zip(args, node.args, strict=True)])
        missing = np.isnan(numbers)
        all_null = np.all(missing, axis=0)
        if smallest:
            data = np.min(np.where(missing, np.inf, numbers), axis=0)
        else:
            data = np.max(np.where(missing, -np.inf, numbers), axis=0)
        return Value(NUM, np.where(all_null, np.nan, data), all_null)
    return impl


def _coalesce(node: Call, ctx: Context, args: list[Value]) -> Value:
    values = unify(args, node.pos)
    kind = next((v.kind for v in values if v.kind != NULL), NULL)
    if kind == NULL:
        return constant(None, ctx.n)
    out = empty_like(kind, ctx.n)
    for value in values:
        fill = out.null & ~value.null
        out.data[fill] = value.data[fill]
        out.null[fill] = False
    return out


def _substr(node: Call, ctx: Context, args: list[Value]) -> Value:
    text = to_str(args[0])
    start = _ints(args[1], node.args[1].pos)
    length = _ints(args[2], node.args[2].pos) if len(args) > 2 else None
    null = text.null | args[1].null | (args[2].null if len(args) > 2 else False)
    data = np.empty(ctx.n, dtype=object)
    for i in np.flatnonzero(~null).tolist():
        s = text.data[i]
        begin = int(start[i])
        begin = max(len(s) + begin, 0) if begin < 0 else max(begin - 1, 0)
        count = len(s) if length is None else int(length[i])
        if count < 0:
            count = max(len(s) + count - begin, 0)
        data[i] = s[begin:begin + count]
    return Value(STR, data, null)


def _left_right(from_left: bool) -> Impl:
    def impl(node: Call, ctx: Context, args: list[Value]) -> Value:
        text = to_str(args[0])
        count = _ints(args[1], node.args[1].pos)
        null = text.null | args[1].null
        data = np.empty(ctx.n, dtype=object)
        for i in np.flatnonzero(~null).tolist():
            k = max(int(count[i]), 0)
            data[i] = text.data[i][:k] if from_left else (text.data[i][-k:] if k else "")
        return Value(STR, data, null)
    return impl


def _replace(node: Call, ctx: Context, args: list[Value]) -> Value:
    text, before, after = (to_str(v) for v in args)
    null = text.null | before.null | after.null
    data = np.empty(ctx.n, dtype=object)
    for i in np.flatnonzero(~null).tolist():
        data[i] = text.data[i].replace(before.data[i], after.data[i]) if before.data[i] else text.data[i]
    return check_text_size(Value(STR, data, null), node.pos)


def _strpos(node: Call, ctx: Context, args: list[Value]) -> Value:
    haystack, needle = to_str(args[0]), to_str(args[1])
    null = haystack.null | needle.null
    data = np.full(ctx.n, np.nan)
    keep = np.flatnonzero(~null)
    data[keep] = [h.find(s) + 1 for h, s in zip(haystack.data[keep], needle.data[keep], strict=True)]
    return Value(NUM, data, null)


def _regexp_match(node: Call, ctx: Context, args: list[Value]) -> Value:
    text, pattern = to_str(args[0]), to_str(args[1])
    null = text.null | pattern.null
    data = np.full(ctx.n, np.nan)
    compiled: dict[str, object] = {}
    for i in np.flatnonzero(~null).tolist():
        source = pattern.data[i]
        regex = compiled.get(source)
        if regex is None:
            regex = compiled[source] = compile_regex(source, node.args[1].pos)
        found = regex.search(text.data[i])  # type: ignore[attr-defined]
        data[i] = 0 if found is None else found.start() + 1
    return Value(NUM, data, null)


def _concat_all(node: Call, ctx: Context, args: list[Value]) -> Value:
    """concat(): NULLs count as empty text."""
    data = np.empty(ctx.n, dtype=object)
    data[:] = ""
    for value in args:
        text = to_str(value)
        parts = np.where(text.null, "", text.data)
        data = np.array([a + b for a, b in zip(data, parts, strict=True)], dtype=object)
    return check_text_size(Value(STR, data, np.zeros(ctx.n, dtype=bool)), node.pos)


def _to_int(node: Call, ctx: Context, args: list[Value]) -> Value:
    number = to_num(args[0], node.args[0].pos)
    return Value(NUM, np.where(number.null, np.nan, _round_half_away(number.data)), number.null)


def _date_part(part: str) -> Impl:
    seconds = {"year": 31557600.0, "month": 2592000.0, "day": 86400.0}[part]

    def impl(node: Call, ctx: Context, args: list[Value]) -> Value:
        value = args[0]
        if value.kind == INTERVAL:
            return Value(NUM, value.data / seconds, value.null)
        date = to_date(value, node.args[0].pos)
        stamps = pd.DatetimeIndex(date.data)
        data = np.asarray(getattr(stamps, part), dtype=float)
        return Value(NUM, np.where(date.null, np.nan, data), date.null)
    return impl


def _now(node: Call, ctx: Context, args: list[Value]) -> Value:
    return constant(ctx.now, ctx.n)


def _age(node: Call, ctx: Context, args: list[Value]) -> Value:
    a, b = to_date(args[0], node.args[0].pos), to_date(args[1], node.args[1].pos)
    null = a.null | b.null
    seconds = (a.data - b.data) / np.timedelta64(1, "s")
    return Value(INTERVAL, np.where(null, np.nan, seconds), null)


# --- aggregates ---------------------------------------------------------------------------------
AGGREGATE_PARAMS = ("expression", "group_by", "filter")


AggregateImpl = Callable[[Call, Context, Evaluator], Value]
_AGGREGATES: dict[str, AggregateImpl] = {}


def _aggregate(how: str) -> None:
    def impl(node: Call, ctx: Context, ev: Evaluator) -> Value:
        root = ctx.root
        arguments = _bind(node)
        key = (how, repr(arguments.get("expression")), repr(arguments.get("group_by")),
               repr(arguments.get("filter")))
        if key not in root._aggregates:
            root._aggregates[key] = _aggregate_all(how, arguments, root, ev)
        full = root._aggregates[key]
        return Value(full.kind, full.data[ctx.rows], full.null[ctx.rows])
    _AGGREGATES[how] = impl


def _aggregate_all(how: str, arguments: dict[str, Node], root: Context, ev: Evaluator) -> Value:
    n = root.n_total
    values = ev.value(arguments["expression"], root)
    use = ~values.null
    if "filter" in arguments:
        use &= ev.truth(arguments["filter"], root)
    if how in ("sum", "mean"):
        values = to_num(values, arguments["expression"].pos)
    if values.kind == DATE:
        series = pd.Series(pd.DatetimeIndex(values.data))
    elif values.kind == STR:
        series = pd.Series(values.data, dtype=object)
    else:
        series = pd.Series(to_num(values, arguments["expression"].pos).data)
    series = series.where(use)
    if "group_by" in arguments:
        groups = to_str(ev.value(arguments["group_by"], root))
        labels = pd.Series(np.where(groups.null, "\x00NULL", groups.data), dtype=object)
        grouped = series.groupby(labels, sort=False, dropna=False)
        pandas_how = {"sum": "sum", "mean": "mean", "count": "count", "minimum": "min", "maximum": "max"}[how]
        result = grouped.transform(pandas_how)
    else:
        whole = getattr(series, {"minimum": "min", "maximum": "max"}.get(how, how))()
        result = pd.Series([whole] * n)
    if values.kind == DATE and how in ("minimum", "maximum"):
        dates = pd.to_datetime(result)
        null = dates.isna().to_numpy()
        return Value(DATE, dates.to_numpy(dtype="datetime64[ns]"), null)
    if values.kind == STR and how in ("minimum", "maximum"):
        data = result.to_numpy(dtype=object)
        null = pd.isna(result).to_numpy()
        data[null] = None
        return Value(STR, data, null)
    numbers = pd.to_numeric(result, errors="coerce").to_numpy(dtype=float)
    null = np.isnan(numbers)
    return Value(NUM, numbers, null)


def _bind(node: Call) -> dict[str, Node]:
    """Arguments by parameter name (positional first, then name:=value)."""
    spec = FUNCTIONS[node.name]
    bound: dict[str, Node] = {}
    for name, arg in zip(spec.params, node.args, strict=False):
        bound[name] = arg
    for name, arg in node.named:
        bound[name] = arg
    return bound


FUNCTIONS: dict[str, Function] = {f.name: f for f in (
    # conditionals
    Function("if", ("condition", "result_when_true", "result_when_false"), 3, "conditionals",
             B("if(条件, 真时结果, 假时结果)：条件为真时取第二个值，否则取第三个值",
               "if(condition, result_when_true, result_when_false): the second value where the "
               "condition holds, else the third")),
    Function("coalesce", ("expression",), 1, "conditionals",
             B("coalesce(值1, 值2, …)：第一个非空值", "coalesce(value1, value2, …): the first value that is not NULL"),
             _coalesce, variadic=True),
    # string
    Function("upper", ("string",), 1, "string", B("upper(文本)：转为大写", "upper(string): in capitals"),
             lambda n, c, a: _text_map(a[0], str.upper)),
    Function("lower", ("string",), 1, "string", B("lower(文本)：转为小写", "lower(string): in lower case"),
             lambda n, c, a: _text_map(a[0], str.lower)),
    Function("length", ("string",), 1, "string", B("length(文本)：字符数", "length(string): the number of characters"),
             lambda n, c, a: _text_map(a[0], len, NUM)),
    Function("trim", ("string",), 1, "string", B("trim(文本)：去掉首尾空白", "trim(string): without leading and trailing spaces"),
             lambda n, c, a: _text_map(a[0], str.strip)),
    Function("substr", ("string", "start", "length"), 2, "string",
             B("substr(文本, 起始, 长度)：从第几个字符起的一段（从 1 数起，负数从末尾数）",
               "substr(string, start, length): part of the text from a character (counted from 1; "
               "negative counts from the end)"), _substr),
    Function("left", ("string", "length"), 2, "string", B("left(文本, n)：左边 n 个字符", "left(string, n): the first n characters"),
             _left_right(True)),
    Function("right", ("string", "length"), 2, "string", B("right(文本, n)：右边 n 个字符", "right(string, n): the last n characters"),
             _left_right(False)),
    Function("replace", ("string", "before", "after"), 3, "string",
             B("replace(文本, 原文, 替换为)：替换所有出现之处", "replace(string, before, after): every occurrence replaced"),
             _replace),
    Function("strpos", ("haystack", "needle"), 2, "string",
             B("strpos(文本, 子串)：子串首次出现的位置（从 1 数起，找不到为 0）",
               "strpos(haystack, needle): where the needle first occurs (from 1; 0 if absent)"), _strpos),
    Function("regexp_match", ("input_string", "regex"), 2, "string",
             B("regexp_match(文本, 正则)：首个匹配的位置（从 1 数起，无匹配为 0）",
               "regexp_match(string, regex): where the first match begins (from 1; 0 if none)"), _regexp_match),
    Function("concat", ("string",), 1, "string",
             B("concat(文本1, 文本2, …)：连接文本，空值视为空文本", "concat(string1, string2, …): joined; NULL counts as empty"),
             _concat_all, variadic=True),
    # math
    Function("abs", ("value",), 1, "math", B("abs(数)：绝对值", "abs(value): the absolute value"), _numeric(np.abs)),
    Function("round", ("value", "places"), 1, "math",
             B("round(数, 小数位)：四舍五入", "round(value, places): rounded, halves away from zero"), _round),
    Function("floor", ("value",), 1, "math", B("floor(数)：向下取整", "floor(value): rounded down"), _numeric(np.floor)),
    Function("ceil", ("value",), 1, "math", B("ceil(数)：向上取整", "ceil(value): rounded up"), _numeric(np.ceil)),
    Function("sqrt", ("value",), 1, "math", B("sqrt(数)：平方根", "sqrt(value): the square root"), _numeric(np.sqrt)),
    Function("min", ("value",), 1, "math", B("min(数1, 数2, …)：最小值（忽略空值）", "min(value1, value2, …): the smallest (NULLs left out)"),
             _min_max(True), variadic=True),
    Function("max", ("value",), 1, "math", B("max(数1, 数2, …)：最大值（忽略空值）", "max(value1, value2, …): the largest (NULLs left out)"),
             _min_max(False), variadic=True),
    # date and time
    Function("to_date", ("string",), 1, "date", B("to_date(文本)：文本转日期", "to_date(string): text to a date"),
             lambda n, c, a: to_date(a[0], n.args[0].pos)),
    Function("year", ("date",), 1, "date", B("year(日期)：年份（时间间隔则为年数）", "year(date): the year (of an interval: years)"),
             _date_part("year")),
    Function("month", ("date",), 1, "date", B("month(日期)：月份（时间间隔则为月数）", "month(date): the month (of an interval: months)"),
             _date_part("month")),
    Function("day", ("date",), 1, "date", B("day(日期)：日（时间间隔则为天数）", "day(date): the day of the month (of an interval: days)"),
             _date_part("day")),
    Function("now", (), 0, "date", B("now()：当前日期和时间", "now(): the current date and time"), _now),
    Function("age", ("datetime1", "datetime2"), 2, "date",
             B("age(日期1, 日期2)：两日期之间的时间间隔", "age(datetime1, datetime2): the interval between two dates"), _age),
    # conversions
    Function("to_int", ("value",), 1, "conversions", B("to_int(值)：转为整数", "to_int(value): to a whole number"), _to_int),
    Function("to_real", ("value",), 1, "conversions", B("to_real(值)：转为实数", "to_real(value): to a number"),
             lambda n, c, a: to_num(a[0], n.args[0].pos)),
    Function("to_string", ("value",), 1, "conversions", B("to_string(值)：转为文本", "to_string(value): to text"),
             lambda n, c, a: to_str(a[0])),
    # aggregates
    *(Function(name, AGGREGATE_PARAMS, 1, "aggregates", text) for name, text in (
        ("sum", B("sum(表达式, group_by:=分组, filter:=条件)：全图层（或同组）之和",
                  "sum(expression, group_by:=group, filter:=condition): the total over the layer (or the group)")),
        ("mean", B("mean(表达式, group_by:=分组, filter:=条件)：平均值",
                   "mean(expression, group_by:=group, filter:=condition): the average")),
        ("count", B("count(表达式, group_by:=分组, filter:=条件)：非空值的个数",
                    "count(expression, group_by:=group, filter:=condition): how many values are not NULL")),
        ("minimum", B("minimum(表达式, group_by:=分组, filter:=条件)：最小值",
                      "minimum(expression, group_by:=group, filter:=condition): the smallest value")),
        ("maximum", B("maximum(表达式, group_by:=分组, filter:=条件)：最大值",
                      "maximum(expression, group_by:=group, filter:=condition): the largest value")),
    )),
)}

VARIABLE_HELP: dict[str, Bilingual] = {
    "area": B("$area：要素的椭球面积（平方米）", "$area: the feature's geodesic area (m²)"),
    "perimeter": B("$perimeter：面的椭球周长（米）", "$perimeter: a polygon's geodesic perimeter (m)"),
    "length": B("$length：线的椭球长度（米）", "$length: a line's geodesic length (m)"),
    "id": B("$id：要素编号", "$id: the feature id"),
    "x": B("$x：点的 X 坐标", "$x: a point's x coordinate"),
    "y": B("$y：点的 Y 坐标", "$y: a point's y coordinate"),
}


def check_call(node: Call) -> None:
    """Unknown functions, argument counts and names, before anything is evaluated."""
    spec = FUNCTIONS.get(node.name)
    if spec is None:
        raise ExpressionError("unknown_function", node.pos, name=node.name)
    given = len(node.args) + len(node.named)
    if spec.variadic:
        if given < spec.required:
            raise ExpressionError("argument_count", node.pos, name=node.name, expected=f"≥{spec.required}",
                                  given=given)
        if node.named:
            raise ExpressionError("unknown_argument", node.named[0][1].pos, name=node.name,
                                  argument=node.named[0][0])
        return
    for name, arg in node.named:
        if name not in spec.params or name in spec.params[:len(node.args)]:
            raise ExpressionError("unknown_argument", arg.pos, name=node.name, argument=name)
    if not spec.required <= given <= len(spec.params):
        expected = str(spec.required) if spec.required == len(spec.params) else f"{spec.required}-{len(spec.params)}"
        raise ExpressionError("argument_count", node.pos, name=node.name, expected=expected, given=given)


for _how in ("sum", "mean", "count", "minimum", "maximum"):
    _aggregate(_how)


def call(node: Call, ctx: Context, ev: Evaluator) -> Value:
    check_call(node)
    spec = FUNCTIONS[node.name]
    if node.name == "if":
        bound = _bind(node)
        return ev.case(bound["condition"], bound["result_when_true"], bound.get("result_when_false"), ctx, node.pos)
    if spec.group == "aggregates":
        return _AGGREGATES[node.name](node, ctx, ev)
    if node.named:  # put named arguments in their places
        bound = _bind(node)
        node = Call(node.pos, node.name, tuple(bound[p] for p in spec.params if p in bound), ())
    assert spec.impl is not None
    return spec.impl(node, ctx, _args(node, ctx, ev))
