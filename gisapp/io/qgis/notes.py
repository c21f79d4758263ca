"""What a style from QGIS (QML, SLD, a project's layer) lost on its way into gisapp, in both languages.

>>> note = StyleNote("fill_pattern", {"pattern": "'b_diagonal'"})
>>> note.message, note.message_in("zh")
("fill pattern 'b_diagonal' drawn solid", "填充图案 'b_diagonal' 按实心填充绘制")
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gisapp.core.texts import Bilingual

NOTE_TEXTS: dict[str, Bilingual] = {
    "map_units": Bilingual("以地图单位表示的 {key} 按 {default} 像素绘制（gisapp 以像素绘制宽度）",
                           "{key} in map units drawn as {default} px (gisapp draws widths in pixels)"),
    "symbol_layers": Bilingual("符号层 {classes} 以简单符号代替", "symbol layers {classes} replaced by a simple symbol"),
    "several_layers": Bilingual("多层符号简化为一个填充和一个轮廓",
                                "symbols with several layers reduced to one fill and one outline"),
    "fill_pattern": Bilingual("填充图案 {pattern} 按实心填充绘制", "fill pattern {pattern} drawn solid"),
    "marker_shape": Bilingual("标记形状 {shape} 按圆形绘制", "marker shape {shape} drawn as a circle"),
    "too_wide": Bilingual("超过 {limit} 像素的{what}按 {limit} 像素绘制", "{what} above {limit} px drawn at {limit} px"),
    "nested_rules": Bilingual("嵌套规则已展开：子规则不再受父规则的过滤条件限制",
                              "nested rules flattened: a child rule's parent filter is not applied"),
    "rule_scales": Bilingual("规则的比例尺范围被忽略", "rule scale ranges ignored"),
    "rules_as_categories": Bilingual("基于规则的样式按字段 {field} 的分类读取",
                                     "rule-based renderer read as categories of field {field}"),
    "rules_as_classes": Bilingual("基于规则的样式按字段 {field} 的分级读取",
                                  "rule-based renderer read as graduated classes of field {field}"),
    "rules_single": Bilingual("基于规则的样式含有 gisapp 无法表达的过滤条件：所有要素都用第一条规则的符号绘制",
                              "rule-based renderer with filters gisapp cannot express: every feature drawn with the "
                              "first rule's symbol"),
    "outside_categories": Bilingual("不属于任何分类的值用 gisapp 的默认符号绘制",
                                    "values outside the categories are drawn with gisapp's default symbol"),
    "no_renderer": Bilingual("样式中没有渲染器：使用 gisapp 的默认符号", "no renderer in the style: gisapp's default symbol used"),
    "categories_off": Bilingual("在 QGIS 中关闭的分类也会绘制", "categories switched off in QGIS are drawn"),
    "merged_values": Bilingual("合并多个值的分类已拆分为每个值一个分类",
                               "categories merging several values split into one category per value"),
    "category_expression": Bilingual("分类表达式 {expression} 按字段名读取", "category expression {expression} read as a field name"),
    "open_ranges": Bilingual("没有有限边界的分级被略去", "ranges without finite bounds left out"),
    "below_first": Bilingual("小于 {lower} 的值（QGIS 不绘制）按第一级绘制",
                             "values below {lower} (undrawn in QGIS) are drawn in the first class"),
    "gaps_closed": Bilingual("分级之间的空隙已合并：每一级从上一级的上限开始",
                             "gaps between QGIS ranges closed: each class starts where the previous ends"),
    "graduated_size": Bilingual("分级大小按各级自身的符号绘制", "graduated sizes drawn with each class's own symbol"),
    "no_ranges": Bilingual("分级样式没有分级：使用 gisapp 的默认符号",
                           "graduated renderer without ranges: gisapp's default symbol used"),
    "label_expression": Bilingual("不支持标注表达式 {expression}：标注已关闭",
                                  "label expression {expression} not supported: labels switched off"),
    "label_curved": Bilingual("曲线标注按沿线的直线标注读入", "curved labels read as straight labels along the line"),
    "rule_labels": Bilingual("基于规则的标注按第一条规则用于所有要素",
                             "rule-based labels read as the first rule's labels on every feature"),
    "labeling_kind": Bilingual("不支持标注方式 {kind}：标注已关闭", "labeling {kind} not supported: labels switched off"),
    "blend_mode": Bilingual("图层混合模式按正常模式绘制", "layer blend mode drawn as normal"),
    "data_defined": Bilingual("数据定义（表达式）属性被忽略", "data-defined (expression) properties ignored"),
    "ground_units": Bilingual("以地面单位表示的尺寸按像素绘制", "sizes in ground units drawn as pixels"),
    "stroke_opacity": Bilingual("描边透明度按不透明绘制", "stroke opacity drawn opaque"),
    "graphic_fill": Bilingual("图形填充按纯色填充绘制", "graphic fills drawn as a plain fill"),
    "external_graphic": Bilingual("外部图形按圆形绘制", "external graphics drawn as circles"),
    "several_symbolizers": Bilingual("含多个符号器的规则只取第一个", "rules with several symbolizers reduced to the first"),
    "sld_label_expression": Bilingual("标注不是单个字段：标注已关闭",
                                      "label expressions other than one field: labels switched off"),
    "sld_gaps_closed": Bilingual("分级之间的空隙已合并：每一级从上一级的上限开始",
                                 "gaps between SLD classes closed: each class starts where the previous ends"),
    "sld_below_first": Bilingual("小于 {lower} 的值按第一级绘制", "values below {lower} are drawn in the first class"),
    "first_style_only": Bilingual("只读取 SLD 中的第一个图层样式", "only the first layer style of the SLD is read"),
    "several_geometries": Bilingual("SLD 含有多种几何类型的符号器：使用第一种",
                                    "symbolizers for several geometry types: the first type is used"),
    "no_symbolizer": Bilingual("SLD 中没有符号器：使用 gisapp 的默认符号", "no symbolizer in the SLD: gisapp's default symbol used"),
    "sld_filters": Bilingual("SLD 的过滤条件 gisapp 无法表达：所有要素都用第一条规则的符号绘制",
                             "SLD filters gisapp cannot express: every feature drawn with the first rule's symbol"),
    "field_missing": Bilingual("样式的字段 {field} 不在图层中：所有要素都用默认符号绘制",
                               "the style's field {field} is not in the layer: every feature is drawn with the default symbol"),
    "label_style": Bilingual("标注按 gisapp 的标注样式绘制（字体、字号、颜色和光晕未采用）",
                             "labels drawn in gisapp's label style (the font, size, colours and halo were not taken over)"),
    "label_field_missing": Bilingual("标注字段 {field} 不在图层中：标注已关闭",
                                     "the label field {field} is not in the layer: labels switched off"),
}
WHAT = {"stroke width": Bilingual("线宽", "stroke width"), "size": Bilingual("大小", "size")}


@dataclass(frozen=True, order=True)
class StyleNote:
    """One simplification: a key of NOTE_TEXTS and its values (quoted names, numbers as text)."""

    code: str
    params: tuple[tuple[str, str], ...] | dict[str, Any] = field(default=())

    def __post_init__(self) -> None:
        if self.code not in NOTE_TEXTS:
            raise KeyError(f"unknown style note {self.code!r}")
        if isinstance(self.params, dict):  # kept hashable, so a set holds each note once
            object.__setattr__(self, "params", tuple(sorted((k, str(v)) for k, v in self.params.items())))

    def message_in(self, lang: str | None) -> str:
        values = dict(self.params)
        if "what" in values and values["what"] in WHAT:
            values["what"] = WHAT[values["what"]](lang)
        return NOTE_TEXTS[self.code](lang).format_map(values)

    @property
    def message(self) -> str:
        return self.message_in("en")

    def __str__(self) -> str:
        return self.message


def joined(notes: Iterable[StyleNote]) -> Bilingual:
    """All notes in one line per language."""
    listed = list(notes)
    return Bilingual("；".join(n.message_in("zh") for n in listed), "; ".join(n.message_in("en") for n in listed))
