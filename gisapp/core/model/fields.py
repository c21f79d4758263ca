"""Field names, coded values and sources as a person reads them (Qt-free).

One piece shared by the identify panel, the attribute table, the report and the web map:
every bundled field has a Chinese and an English alias, coded values (``status``
``planned``) have labels (规划 / planned), and a source such as
``dalian-hitech-14th-five-year-plan.zh.txt, 第七章第一节 ...`` reads as the document's title
(《大连高新区…纲要》第七章第一节 …). A user's own fields keep their names unless the user gives
them an alias (``aliases``: column -> {"zh": ..., "en": ...}, saved with the layer).

>>> field_alias("plan_group", "zh"), field_alias("plan_group", "en")
('规划层次', 'Plan level')
>>> field_alias("my_column", "zh"), field_alias("my_column", "zh", {"my_column": {"zh": "我的列"}})
('my_column', '我的列')
>>> value_label("status", "planned", "zh"), value_label("status", "planned", "en")
('规划', 'Planned')
>>> citation("dalian-hitech-14th-five-year-plan.zh.txt, 第七章第一节 “一城”", "zh")
'《大连高新区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》第七章第一节 “一城”'
>>> citation("dalian-hitech-14th-five-year-plan.zh.txt, 表1 “十三五”重点指标完成情况, 序号3", "en")[-28:]
'Table 1 “十三五”重点指标完成情况, row 3'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from gisapp.core.texts import Bilingual, normalise_lang

B = Bilingual

FIELD_ALIASES: dict[str, Bilingual] = {
    "id": B("标识", "Identifier"),
    "name_zh": B("中文名称", "Name (Chinese)"),
    "name_en": B("英文名称", "Name (English)"),
    "plan_group": B("规划层次", "Plan level"),
    "kind": B("要素类型", "Feature type"),
    "role_zh": B("规划定位（中文）", "Role in the plan (Chinese)"),
    "role_en": B("规划定位（英文）", "Role in the plan (English)"),
    "industries_zh": B("重点产业（中文）", "Priority industries (Chinese)"),
    "industries_en": B("重点产业（英文）", "Priority industries (English)"),
    "status": B("建设状态", "Status"),
    "parent_id": B("所属上级要素", "Part of"),
    "source": B("来源", "Source"),
    "geom_quality": B("图形精度", "Shape quality"),
    "geom_basis": B("图形依据", "Basis of the shape"),
    "attribution": B("版权声明", "Attribution"),
    "license": B("许可协议", "Licence"),
    "upstream_id": B("上游数据标识", "Upstream identifier"),
    "confidence": B("位置可信度", "Location confidence"),
    "coord_status": B("坐标来源类型", "Kind of coordinates"),
}

CODED_VALUES: dict[str, dict[str, Bilingual]] = {
    "status": {"planned": B("规划", "Planned"), "under_construction": B("在建", "Under construction"),
               "existing": B("已建成", "Existing")},
    "plan_group": {"base": B("底图", "Base map"), "city": B("一城", "Science city"),
                   "core": B("一心", "Core"), "corridor": B("一廊", "Corridor"),
                   "clusters": B("多组团", "Clusters"), "expansion": B("拓展区域", "Expansion area"),
                   "streets": B("创新街区", "Innovation streets"), "blocks": B("中山、西岗街区", "Zhongshan and Xigang blocks")},
    "kind": {"base": B("底图", "Base map"), "reference_point": B("参考地点", "Reference place"),
             "cluster": B("产业组团", "Industrial cluster"), "block": B("街区", "Block"),
             "sector": B("功能片区", "Sector"), "project": B("重点项目", "Key project"),
             "linkage_part": B("联动片区", "Linkage area"), "platform": B("创新平台", "Innovation platform"),
             "corridor_section": B("走廊分段", "Corridor section"), "corridor": B("走廊", "Corridor"),
             "development_area": B("开发片区", "Development area"), "expansion": B("拓展区域", "Expansion area"),
             "street": B("街区", "Street"), "community": B("国际社区", "International community"),
             "innovation_centre": B("创新中心", "Innovation centre"), "cbd": B("中央商务区", "Central business district"),
             "cid": B("中央创新区", "Central innovation district"), "corridor_axis": B("走廊轴线", "Corridor axis"),
             "ecology": B("生态空间", "Ecological space"), "science_city": B("科学城", "Science city")},
    "geom_quality": {"schematic": B("示意", "Schematic"), "approximate": B("近似", "Approximate"),
                     "surveyed": B("实测", "Surveyed"), "traced": B("描绘", "Traced")},
    "confidence": {"low": B("低", "Low"), "low-medium": B("中低", "Low to medium"),
                   "medium-low": B("中低", "Medium to low"), "medium": B("中", "Medium"),
                   "medium-high": B("中高", "Medium to high"), "high": B("高", "High")},
    "coord_status": {"source-derived": B("据来源推得", "Derived from a source"),
                     "derived": B("推算", "Derived"), "estimate": B("估计", "Estimate")},
}

# Source documents by the file name the catalogue cites them by.
DOCUMENT_TITLES: dict[str, Bilingual] = {
    "dalian-hitech-14th-five-year-plan.zh.txt": B(
        "《大连高新区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》",
        "Outline of the 14th Five-Year Plan for National Economic and Social Development and the "
        "Long-Range Objectives Through 2035 of Dalian High-tech Zone,"),
    "dalian-zhongshan-xigang-blocks.en.txt": B(
        "周守亮、王梓萱《城市双创与更新建设研究——以大连市中山区和西岗区为例》",
        "Zhou & Wang, \"Research on Urban Double Innovation and Renewal Construction - "
        "A Case Study of Zhongshan District and Xigang District of Dalian City\","),
}

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CHAPTER = re.compile(r"第([一二三四五六七八九十]+)章(?:第([一二三四五六七八九十]+)节)?")


def _number(numeral: str) -> int:
    """一 .. 九十九 as an integer (chapter and section numbers)."""
    if "十" not in numeral:
        return _NUMERALS[numeral]
    tens, _, ones = numeral.partition("十")
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[ones] if ones else 0)


def field_alias(column: str, lang: str, aliases: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """What a person reads for ``column``: the user's alias, the bundled alias, or the name."""
    own = (aliases or {}).get(column) or {}
    text = own.get(normalise_lang(lang)) or own.get("zh") or own.get("en")
    if text:
        return text
    alias = FIELD_ALIASES.get(column)
    return alias(lang) if alias else column


def value_label(column: str, value: object, lang: str) -> str:
    """A coded value's label (``status`` ``planned`` -> 规划 / Planned); other values as text."""
    if column == "source" and isinstance(value, str):
        return citation(value, lang)
    labels = CODED_VALUES.get(column)
    if labels and isinstance(value, str) and value in labels:
        return labels[value](lang)
    return "" if value is None else str(value)


def citation(source: str, lang: str) -> str:
    """A source as a reference: the document's title in place of its file name, then where in it.

    Sources that name no known document (a data file, a URL) are returned as they are.
    """
    text = str(source or "").strip()
    for file_name, title in DOCUMENT_TITLES.items():
        if not text.startswith(file_name):
            continue
        where = text[len(file_name):].lstrip(" ,，;；")
        if normalise_lang(lang) == "zh":
            return title(lang) + where
        return f"{title(lang)} {_english_place(where)}".strip()
    return text


def _english_place(where: str) -> str:
    def chapter(match: re.Match[str]) -> str:
        out = f"chapter {_number(match.group(1))}"
        return out + (f", section {_number(match.group(2))}" if match.group(2) else "")

    where = _CHAPTER.sub(chapter, where)
    where = re.sub(r"表(\d+)", r"Table \1", where)
    where = re.sub(r"序号(\d+)", r"row \1", where)
    return where.replace("；", "; ")
