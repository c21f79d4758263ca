"""Bilingual text outside widgets: picking a language, and every catalogue complete in both."""

import dataclasses
import importlib
import pkgutil
import string
from collections.abc import Mapping

import pytest

import gisapp.charts
import gisapp.core
import gisapp.export
import gisapp.io
from gisapp.core.texts import Bilingual, html_lang, normalise_lang, other_lang, pick, pick_all

ACHIEVED = Bilingual("已完成", "Achieved")


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "zh"), ("zh_CN", "zh"), ("zh-Hant", "zh"), ("ZH", "zh"),
    ("en", "en"), ("en_GB", "en"), ("de", "en"), ("", "en"), (None, "en"),
])
def test_languages_normalise_to_zh_or_en(lang, expected):
    assert normalise_lang(lang) == expected


def test_picking_follows_the_language():
    assert ACHIEVED("zh") == ACHIEVED.pick("zh_CN") == "已完成"
    assert ACHIEVED("en") == ACHIEVED.pick(None) == "Achieved"
    assert pick("zh", 1.6, 1.0) == 1.6 and pick("en", 1.6, 1.0) == 1.0
    assert other_lang("zh_CN") == "en" and other_lang("en") == "zh"
    assert html_lang("zh") == "zh-CN" and html_lang("en") == "en"


def test_a_bilingual_text_is_a_frozen_value():
    assert ACHIEVED == Bilingual("已完成", "Achieved")
    assert hash(ACHIEVED) == hash(Bilingual("已完成", "Achieved"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        ACHIEVED.en = "Done"


def test_pick_all_keeps_the_nesting_the_page_script_reads():
    texts = {"close": Bilingual("关闭", "Close"), "quality": {"surveyed": Bilingual("测绘范围", "Surveyed shape")}}
    assert pick_all(texts, "en") == {"close": "Close", "quality": {"surveyed": "Surveyed shape"}}
    assert pick_all(texts, "zh") == {"close": "关闭", "quality": {"surveyed": "测绘范围"}}


def _texts_in(value, where: str):
    """(place, Bilingual) for every Bilingual in a module-level value, through dicts and tuples."""
    if isinstance(value, Bilingual):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts_in(item, f"{where}[{key!r}]")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts_in(item, f"{where}[{i}]")


def catalogue_texts() -> dict[str, Bilingual]:
    """Every Bilingual held at module level in the Qt-free packages and the CLI."""
    modules = ["gisapp.cli"]
    for package in (gisapp.core, gisapp.io, gisapp.export, gisapp.charts):
        modules += [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    found = {}
    for name in modules:
        for attribute, value in vars(importlib.import_module(name)).items():
            found.update(_texts_in(value, f"{name}.{attribute}"))  # imported ones under each name
    return found


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def test_every_catalogue_entry_has_both_languages_with_the_same_placeholders():
    texts = catalogue_texts()
    places = "\n".join(texts)
    for expected in ("gisapp.core.plan.monitoring.STATUS_LABELS['achieved']",
                     "gisapp.core.editing.edits.LABELS['move_vertices']",
                     "gisapp.export.web.webmap.PAGE_TEXTS['quality']['schematic']",
                     "gisapp.export.report.TEXT['method_note']",
                     "gisapp.io.actuals_csv.SUMMARY['with_problems']",
                     "gisapp.core.analysis.spatial_indicators.GREEN_STANDARDS['park_500m'][1]"):
        assert expected in places
    for where, text in texts.items():
        assert text.zh.strip() and text.en.strip(), f"{where} is missing a language: {text}"
        assert _fields(text.zh) == _fields(text.en), f"{where} has different placeholders: {text}"
