"""QGIS expression syntax parsed by lark into a small tree of plain nodes (no Qt, no eval).

The grammar follows QGIS's ``qgsexpressionparser.yy``: its operator precedence (``OR`` <
``AND`` < ``NOT`` < comparisons < ``+ -`` < ``* / // %`` < ``^`` < ``||`` < unary minus),
case-insensitive keywords, ``"field"`` and bare field names, ``'text'`` with ``''`` or
``\\'`` for a quote, ``$area``-style variables, ``name:=value`` arguments and ``--`` and
``/* */`` comments. lark's LALR parser keeps its own stack, so a long or deeply nested text
never recurses in Python while it is read; the tree is checked against :data:`MAX_DEPTH`
before anything walks it.

>>> parse("1 + 2 * 3")
Binary(pos=0, op='+', left=Literal(pos=0, value=1), right=Binary(pos=4, op='*', \
left=Literal(pos=4, value=2), right=Literal(pos=8, value=3)))
>>> parse("name ILIKE '%park%'").insensitive
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lark

from gisapp.core.analysis.expressions.errors import ExpressionError

MAX_LENGTH = 10_000  # characters of one expression
MAX_DEPTH = 60  # nesting of operators, calls and brackets

GRAMMAR = r"""
?start: or_expr

?or_expr: and_expr
        | or_expr OR and_expr              -> binary
?and_expr: not_expr
        | and_expr AND not_expr            -> binary
?not_expr: comparison
        | NOT not_expr                     -> unary
?comparison: sum
        | comparison COMPARE sum           -> binary
        | comparison LIKE sum              -> like
        | comparison NOT LIKE sum          -> like
        | comparison IS sum                -> is_
        | comparison IS NOT sum            -> is_
        | comparison IN "(" args ")"       -> in_
        | comparison NOT IN "(" args ")"   -> in_
?sum: product
    | sum ADD product                      -> binary
?product: power
    | product MUL power                    -> binary
?power: concat
    | concat POW power                     -> binary
?concat: unary
    | concat CONCAT unary                  -> binary
?unary: atom
    | ADD unary                            -> unary
?atom: NUMBER                              -> number
    | STRING                               -> string
    | NULL                                 -> null
    | TRUE                                 -> boolean
    | FALSE                                -> boolean
    | QUOTED_NAME                          -> quoted_field
    | NAME                                 -> field
    | VARIABLE                             -> variable
    | NAME "(" [args] ")"                  -> call
    | "(" or_expr ")"
    | CASE when+ [ELSE or_expr] END        -> case
when: WHEN or_expr THEN or_expr
args: arg ("," arg)*
?arg: or_expr
    | NAME ":=" or_expr                    -> named_arg

OR: "OR"i
AND: "AND"i
NOT: "NOT"i
LIKE: "LIKE"i | "ILIKE"i
IS: "IS"i
IN: "IN"i
NULL: "NULL"i
TRUE: "TRUE"i
FALSE: "FALSE"i
CASE: "CASE"i
WHEN: "WHEN"i
THEN: "THEN"i
ELSE: "ELSE"i
END: "END"i
COMPARE: "<>" | "!=" | "<=" | ">=" | "=" | "<" | ">"
ADD: "+" | "-"
MUL: "//" | "*" | "/" | "%"
POW: "^"
CONCAT: "||"
NUMBER: /(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/
STRING: /'(?:[^'\\]|''|\\.)*'/s
QUOTED_NAME: /"(?:[^"\\]|""|\\.)*"/s
NAME: /[^\W\d]\w*/i
VARIABLE: /\$[^\W\d]\w*/i
COMMENT: /--[^\n]*/ | /\/\*(.|\n)*?\*\//
%ignore COMMENT
%ignore /\s+/
"""

_PARSER = lark.Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=True)


# --- nodes ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Node:
    pos: int  # 0-based character offset of the node's first token


@dataclass(frozen=True)
class Literal(Node):
    value: Any  # int, float, str, bool or None (NULL)


@dataclass(frozen=True)
class Field(Node):
    name: str


@dataclass(frozen=True)
class Variable(Node):
    name: str  # without the $, lower case


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-", "+" or "NOT"
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str  # OR AND = <> < > <= >= + - * / // % ^ ||
    left: Node
    right: Node


@dataclass(frozen=True)
class Like(Node):
    operand: Node
    pattern: Node
    insensitive: bool
    negated: bool


@dataclass(frozen=True)
class Is(Node):
    left: Node
    right: Node
    negated: bool


@dataclass(frozen=True)
class In(Node):
    operand: Node
    options: tuple[Node, ...]
    negated: bool


@dataclass(frozen=True)
class Call(Node):
    name: str  # lower case
    args: tuple[Node, ...]
    named: tuple[tuple[str, Node], ...]


@dataclass(frozen=True)
class Case(Node):
    whens: tuple[tuple[Node, Node], ...]
    otherwise: Node | None


def _unquote(text: str, quote: str) -> str:
    body = text[1:-1]
    out: list[str] = []
    i = 0
    escapes = {"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"'}
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        elif char == quote and i + 1 < len(body) and body[i + 1] == quote:
            out.append(quote)
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _pos(item: lark.Tree[Any] | lark.Token | Node) -> int:
    if isinstance(item, Node):
        return item.pos
    if isinstance(item, lark.Token):
        return int(item.start_pos or 0)
    return int(getattr(item.meta, "start_pos", 0) or 0)


class _ToNodes(lark.Transformer[lark.Token, Node]):
    """lark's tree to :class:`Node` objects (run bottom-up, without recursion in lark)."""

    def number(self, items: list[lark.Token]) -> Node:
        text = str(items[0])
        value: int | float = int(text) if text.isdigit() else float(text)
        return Literal(_pos(items[0]), value)

    def string(self, items: list[lark.Token]) -> Node:
        return Literal(_pos(items[0]), _unquote(str(items[0]), "'"))

    def null(self, items: list[lark.Token]) -> Node:
        return Literal(_pos(items[0]), None)

    def boolean(self, items: list[lark.Token]) -> Node:
        return Literal(_pos(items[0]), items[0].type == "TRUE")

    def quoted_field(self, items: list[lark.Token]) -> Node:
        return Field(_pos(items[0]), _unquote(str(items[0]), '"'))

    def field(self, items: list[lark.Token]) -> Node:
        return Field(_pos(items[0]), str(items[0]))

    def variable(self, items: list[lark.Token]) -> Node:
        return Variable(_pos(items[0]), str(items[0])[1:].lower())

    def unary(self, items: list[Any]) -> Node:
        op = str(items[0]).upper()
        return Unary(_pos(items[0]), op, items[1])

    def binary(self, items: list[Any]) -> Node:
        left, op, right = items
        return Binary(_pos(left), str(op).upper(), left, right)

    def like(self, items: list[Any]) -> Node:
        negated = len(items) == 4
        operator = str(items[-2]).upper()
        return Like(_pos(items[0]), items[0], items[-1], operator == "ILIKE", negated)

    def is_(self, items: list[Any]) -> Node:
        return Is(_pos(items[0]), items[0], items[-1], len(items) == 4)

    def in_(self, items: list[Any]) -> Node:
        args: tuple[Node, ...] = items[-1]
        return In(_pos(items[0]), items[0], args, len(items) == 4)

    def args(self, items: list[Any]) -> tuple[Node, ...]:
        return tuple(items)

    def named_arg(self, items: list[Any]) -> tuple[str, Node]:
        return (str(items[0]).lower(), items[1])

    def call(self, items: list[Any]) -> Node:
        name_token, args = items
        positional: list[Node] = []
        named: list[tuple[str, Node]] = []
        for arg in args or ():
            if isinstance(arg, tuple):
                named.append(arg)
            elif named:
                raise ExpressionError("positional_after_named", _pos(arg))
            else:
                positional.append(arg)
        return Call(_pos(name_token), str(name_token).lower(), tuple(positional), tuple(named))

    def when(self, items: list[Any]) -> tuple[Node, Node]:
        return (items[1], items[3])

    def case(self, items: list[Any]) -> Node:
        whens = tuple(item for item in items[1:] if isinstance(item, tuple))
        # [CASE, when..., ELSE-token or None, expression or None, END]
        otherwise = items[-2] if isinstance(items[-2], Node) else None
        return Case(_pos(items[0]), whens, otherwise)


def _check_depth(tree: lark.Tree[Any]) -> None:
    stack: list[tuple[lark.Tree[Any], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError("too_deep", _pos(node), limit=MAX_DEPTH)
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, lark.Tree))


def _describe(token: lark.Token) -> str:
    text = str(token)
    return text if len(text) <= 20 else text[:19] + "…"


def parse(text: str) -> Node:
    """The tree of ``text``, or an :class:`ExpressionError` naming the position and the problem."""
    if not isinstance(text, str):
        raise ExpressionError("not_text", 0)
    if len(text) > MAX_LENGTH:
        raise ExpressionError("too_long", MAX_LENGTH, limit=MAX_LENGTH)
    if not text.strip():
        raise ExpressionError("empty", 0)
    try:
        tree = _PARSER.parse(text)
    except lark.exceptions.UnexpectedCharacters as exc:
        at = int(exc.pos_in_stream or 0)
        raise ExpressionError("unexpected_char", at, char=text[at:at + 1]) from None
    except lark.exceptions.UnexpectedToken as exc:
        if exc.token.type == "$END":
            raise ExpressionError("unexpected_end", len(text)) from None
        raise ExpressionError("unexpected_token", int(exc.token.start_pos or 0),
                              token=_describe(exc.token)) from None
    except lark.exceptions.UnexpectedEOF:
        raise ExpressionError("unexpected_end", len(text)) from None
    except lark.exceptions.VisitError as exc:  # pragma: no cover - raised by transformers only
        raise ExpressionError("unexpected_end", len(text)) from exc
    _check_depth(tree)
    try:
        node = _ToNodes().transform(tree)
    except lark.exceptions.VisitError as exc:
        if isinstance(exc.orig_exc, ExpressionError):
            raise exc.orig_exc from None
        raise
    if not isinstance(node, Node):  # pragma: no cover - every rule makes a node
        raise ExpressionError("unexpected_end", len(text))
    return node
