"""Text in Chinese and English outside Qt widgets: one value type and how to pick from it.

Widgets translate with Qt's ``tr()``. Everything else that puts words in front of a
person (status labels, reasons, undo labels, the report, the web page, the command line)
writes each text once as a :class:`Bilingual` pair, usually in a small keyed catalogue next
to the code that shows it, and picks the language when it shows it. A language is
``"zh"`` or ``"en"``; :func:`normalise_lang` maps locale names onto them.

Examples
--------
>>> STATUS = {"achieved": Bilingual("已完成", "Achieved")}
>>> STATUS["achieved"]("zh"), STATUS["achieved"].pick("en")
('已完成', 'Achieved')
>>> normalise_lang("zh_CN"), normalise_lang("en-GB"), normalise_lang(None)
('zh', 'en', 'en')
>>> pick("zh", "规划分区", "Plan zones")  # two fields of a record, such as title_zh/title_en
'规划分区'
>>> Bilingual("移动 {n} 个节点", "Move {n} vertices")("zh").format(n=3)
'移动 3 个节点'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

ZH, EN = "zh", "en"
LANGUAGES = (ZH, EN)

T = TypeVar("T")


def normalise_lang(lang: str | None) -> str:
    """``"zh"`` for anything starting with "zh" (``zh_CN``, ``zh-Hant``), else ``"en"``."""
    return ZH if str(lang or "").lower().startswith(ZH) else EN


def pick(lang: str | None, zh: T, en: T) -> T:
    """``zh`` or ``en`` by language: for values held in two fields, or per-language settings.

    >>> pick("en", "cva", "eva")
    'eva'
    """
    return zh if normalise_lang(lang) == ZH else en


def other_lang(lang: str | None) -> str:
    """The other language, e.g. to show a feature's name in it as well.

    >>> other_lang("zh"), other_lang("en")
    ('en', 'zh')
    """
    return pick(lang, EN, ZH)


def html_lang(lang: str | None) -> str:
    """The BCP 47 tag for an HTML ``lang`` attribute.

    >>> html_lang("zh"), html_lang("en")
    ('zh-CN', 'en')
    """
    return pick(lang, "zh-CN", "en")


@dataclass(frozen=True, slots=True)
class Bilingual:
    """One text in Chinese and English; call it (or :meth:`pick`) with a language."""

    zh: str
    en: str

    def pick(self, lang: str | None) -> str:
        return pick(lang, self.zh, self.en)

    __call__ = pick


def pick_all(texts: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    """A catalogue (nested mappings allowed) with every entry picked in ``lang``.

    >>> pick_all({"close": Bilingual("关闭", "Close"),
    ...           "quality": {"approximate": Bilingual("近似范围", "Approximate shape")}}, "zh")
    {'close': '关闭', 'quality': {'approximate': '近似范围'}}
    """
    return {key: pick_all(value, lang) if isinstance(value, Mapping) else value.pick(lang)
            for key, value in texts.items()}
