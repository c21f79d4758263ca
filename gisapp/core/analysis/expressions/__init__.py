"""A safe expression language with QGIS's syntax, evaluated over a layer at once (no Qt).

Text is parsed by lark (:mod:`.syntax`), never by Python's ``eval``; the tree is checked
against the layer's fields and the known functions (:meth:`Expression.check`), then evaluated
over every feature with numpy and pandas (:mod:`.evaluate`, :mod:`.functions`). Limits on the
length of the text, its nesting, and the size of patterns and texts, and RE2 for regular
expressions, mean no user text can hang the window.

>>> import geopandas as gpd, shapely
>>> frame = gpd.GeoDataFrame({"name": ["Park", "Lab", None], "jobs": [10, 250, None]},
...     geometry=[shapely.box(121.5, 38.8, 121.51, 38.81)] * 3, crs="EPSG:4326")
>>> expression = Expression('"jobs" > 100 OR name ILIKE \\'p%\\'')
>>> expression.matches(frame).tolist()
[True, True, False]
>>> Expression("upper(name) || ' ' || to_string(jobs * 2)").values(frame)
['PARK 20', 'LAB 500', None]
>>> round(Expression("$area / 10000").values(frame)[0], 1)  # hectares, geodesic
96.4
>>> Expression("sum(jobs)").values(frame)
[260, 260, 260]
>>> Expression('"jbos" + 1').check(frame.columns)
Traceback (most recent call last):
...
gisapp.core.analysis.expressions.errors.ExpressionError: Character 1: there is no field named 'jbos'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from gisapp.core.analysis.expressions.context import Context
from gisapp.core.analysis.expressions.errors import ExpressionError
from gisapp.core.analysis.expressions.evaluate import VARIABLES, evaluate
from gisapp.core.analysis.expressions.functions import (
    FUNCTIONS,
    GROUPS,
    VARIABLE_HELP,
    Function,
    check_call,
)
from gisapp.core.analysis.expressions.syntax import (
    MAX_DEPTH,
    MAX_LENGTH,
    Binary,
    Call,
    Case,
    Field,
    In,
    Is,
    Like,
    Node,
    Unary,
    Variable,
    parse,
)
from gisapp.core.analysis.expressions.values import NULL, Value, to_bool, to_python
from gisapp.core.model.layer import VectorLayer

__all__ = ["Expression", "ExpressionError", "FUNCTIONS", "GROUPS", "VARIABLE_HELP", "Function",
           "MAX_DEPTH", "MAX_LENGTH", "layer_context", "Value"]


def _children(node: Node) -> Iterable[Node]:
    if isinstance(node, Unary):
        yield node.operand
    elif isinstance(node, Binary):
        yield from (node.left, node.right)
    elif isinstance(node, Like):
        yield from (node.operand, node.pattern)
    elif isinstance(node, Is):
        yield from (node.left, node.right)
    elif isinstance(node, In):
        yield node.operand
        yield from node.options
    elif isinstance(node, Call):
        yield from node.args
        yield from (arg for _, arg in node.named)
    elif isinstance(node, Case):
        for condition, result in node.whens:
            yield from (condition, result)
        if node.otherwise is not None:
            yield node.otherwise


def layer_context(layer: VectorLayer, now: datetime | None = None) -> Context:
    """A context over every feature of ``layer``; ``$id`` is the feature id in the project file
    when the layer's rows are the ones stored there, else the row number from 1."""
    stored = layer.stored
    frame = layer.frame
    fids = stored.fids if stored is not None and stored.frame is frame else None
    geometries = np.asarray(layer.geometry_array, dtype=object)
    attributes = pd.DataFrame(frame.drop(columns=[frame.geometry.name]))
    return Context(attributes, layer.crs, fids, now, geometries=geometries)


class Expression:
    """One parsed expression; raises :class:`ExpressionError` on a syntax error."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root = parse(text)

    def nodes(self) -> Iterable[Node]:
        stack = [self.root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(_children(node))

    def fields(self) -> list[str]:
        """The fields the expression reads, in order of first mention."""
        found = sorted((n.pos, n.name) for n in self.nodes() if isinstance(n, Field))
        return list(dict.fromkeys(name for _, name in found))

    def check(self, columns: Iterable[str]) -> None:
        """Unknown fields, variables and functions, and wrong argument counts, as errors with their
        position (the first in the text)."""
        known = set(columns)
        problems: list[ExpressionError] = []
        for node in self.nodes():
            try:
                if isinstance(node, Field) and node.name not in known:
                    raise ExpressionError("unknown_field", node.pos, name=node.name)
                if isinstance(node, Variable) and node.name not in VARIABLES:
                    raise ExpressionError("unknown_variable", node.pos, name=node.name)
                if isinstance(node, Call):
                    check_call(node)
            except ExpressionError as exc:
                problems.append(exc)
        if problems:
            raise min(problems, key=lambda problem: problem.pos)

    def evaluate(self, source: VectorLayer | pd.DataFrame | Context, now: datetime | None = None) -> Value:
        """The value for every feature."""
        ctx = source if isinstance(source, Context) else layer_context(source, now) \
            if isinstance(source, VectorLayer) else Context(source, str(getattr(source, "crs", None) or "EPSG:4326"),
                                                            now=now)
        self.check(c for c in ctx.frame.columns if ctx.has_column(c))
        return evaluate(self.root, ctx)

    def values(self, source: VectorLayer | pd.DataFrame | Context) -> list[Any]:
        """Plain Python values (None for NULL)."""
        return to_python(self.evaluate(source))

    def matches(self, source: VectorLayer | pd.DataFrame | Context) -> np.ndarray:
        """Where the expression is true (NULL counts as false), as a boolean array."""
        value = self.evaluate(source)
        if value.kind == NULL:
            return np.zeros(len(value), dtype=bool)
        truth = to_bool(value, self.root.pos)
        return truth.data & ~truth.null
