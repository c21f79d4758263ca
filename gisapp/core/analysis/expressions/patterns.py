"""LIKE patterns and regular expressions on RE2, which matches in linear time (no Qt).

A backtracking engine (Python's ``re``, PCRE) can take exponential time on a pattern such as
``(a+)+$``; RE2 cannot, so no pattern a user types can hang the window. RE2 has no
backreferences or lookarounds: such a pattern is refused with the engine's reason.
"""

from __future__ import annotations

import re2

from gisapp.core.analysis.expressions.errors import ExpressionError

MAX_PATTERN = 1_000  # characters of a LIKE pattern or regular expression


def like_regex(pattern: str, insensitive: bool) -> str:
    """A LIKE pattern as a regular expression: % any text, _ one character, \\% and \\_ literal."""
    out = ["(?s)"]
    if insensitive:
        out.append("(?i)")
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "%_\\":
            out.append(re2.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if char == "%" else "." if char == "_" else re2.escape(char))
        i += 1
    return "".join(out)


def compile_regex(pattern: str, pos: int) -> re2._Regexp:
    if len(pattern) > MAX_PATTERN:
        raise ExpressionError("regex_too_long", pos, limit=MAX_PATTERN)
    try:
        return re2.compile(pattern)
    except re2.error as exc:
        raise ExpressionError("bad_regex", pos, problem=str(exc)) from None
