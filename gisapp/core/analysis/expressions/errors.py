"""Expression errors: a key, the character position and the values to name (no Qt).

The window and the command line show :meth:`ExpressionError.message` in their language;
positions are shown 1-based, as a person counts characters.

>>> ExpressionError("unknown_field", 4, name="aera").message("en")
"Character 5: there is no field named 'aera'"
>>> ExpressionError("unknown_field", 4, name="aera").message("zh")
'第 5 个字符：没有名为“aera”的字段'
"""

from __future__ import annotations

from typing import Any

from gisapp.core.texts import Bilingual

B = Bilingual

MESSAGES: dict[str, Bilingual] = {
    "not_text": B("表达式必须是文本", "the expression must be text"),
    "empty": B("表达式为空", "the expression is empty"),
    "too_long": B("表达式过长（最多 {limit} 个字符）", "the expression is too long (at most {limit} characters)"),
    "too_deep": B("嵌套过深（最多 {limit} 层）", "it is nested too deeply (at most {limit} levels)"),
    "unexpected_char": B("无法识别的字符“{char}”", "unexpected character '{char}'"),
    "unexpected_token": B("此处不应出现“{token}”", "'{token}' is not expected here"),
    "unexpected_end": B("表达式不完整", "the expression ends too early"),
    "positional_after_named": B("命名参数之后不能再有位置参数",
                                "a positional argument cannot follow a named one"),
    "unknown_field": B("没有名为“{name}”的字段", "there is no field named '{name}'"),
    "unknown_function": B("没有名为“{name}”的函数", "there is no function named '{name}'"),
    "unknown_variable": B("没有变量“${name}”", "there is no variable '${name}'"),
    "argument_count": B("函数 {name} 需要 {expected} 个参数，给出了 {given} 个",
                        "{name} takes {expected} arguments, {given} given"),
    "unknown_argument": B("函数 {name} 没有参数“{argument}”", "{name} has no argument '{argument}'"),
    "not_number": B("无法将“{value}”转换为数字", "cannot convert '{value}' to a number"),
    "not_date": B("无法将“{value}”转换为日期", "cannot convert '{value}' to a date"),
    "not_boolean": B("无法将“{value}”转换为真或假", "cannot convert '{value}' to true or false"),
    "bad_regex": B("正则表达式无效：{problem}", "invalid regular expression: {problem}"),
    "regex_too_long": B("正则表达式过长（最多 {limit} 个字符）",
                        "the regular expression is too long (at most {limit} characters)"),
    "text_too_long": B("结果文本过长（最多 {limit} 个字符）", "the resulting text is too long (at most {limit} characters)"),
    "no_geometry": B("该图层没有几何", "the layer has no geometry"),
}

AT = B("第 {position} 个字符：{problem}", "Character {position}: {problem}")


class ExpressionError(ValueError):
    """A problem with an expression; ``pos`` is a 0-based character offset."""

    def __init__(self, key: str, pos: int, **params: Any) -> None:
        self.key = key
        self.pos = int(pos)
        self.params = params
        super().__init__(self.message("en"))

    def problem(self, lang: str) -> str:
        template = MESSAGES.get(self.key, MESSAGES["unexpected_end"])(lang)
        try:
            return template.format(**self.params)
        except (KeyError, IndexError):
            return template

    def message(self, lang: str) -> str:
        return AT(lang).format(position=self.pos + 1, problem=self.problem(lang))
