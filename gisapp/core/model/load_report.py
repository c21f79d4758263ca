"""What happened when a layer's data entered gisapp: warnings, rejected features, the CRS decision.

A file a user brings may be partly broken. The reader loads what it can and records the rest
here, so the window, ``gisapp info`` and the tests all see the same account. Every warning and
rejection has a code, named fields and a text in both languages (a catalogue of
:class:`~gisapp.core.texts.Bilingual`); ``message`` is English, ``message_in(lang)`` either.

>>> report = LoadReport(source="zones.shp", layer="zones")
>>> report.warn("no_prj")
>>> report.reject(3, "non_finite", fid=2)
>>> report.warnings[0].message
'no .prj: assumed WGS 84 (EPSG:4326)'
>>> report.rejected[0].message_in("zh")
'第 3 个要素（fid 2）: 坐标不是有限数（NaN 或无穷大）'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gisapp.core.texts import Bilingual, pick

# How the layer's CRS was decided.
CRS_DECLARED = "declared"  # the file names it (.prj, GeoPackage srs, GeoJSON "crs")
CRS_STANDARD = "standard"  # GeoJSON without "crs": WGS 84 by RFC 7946
CRS_ASSUMED = "assumed"  # nothing says: WGS 84 assumed, said out loud
CRS_GUESSED = "guessed"  # from the coordinates (Gauss-Krüger zone prefix, UTM 51N, ...)
CRS_SET = "set"  # by the user, Layer > Set layer CRS…
CRS_DECISIONS = (CRS_DECLARED, CRS_STANDARD, CRS_ASSUMED, CRS_GUESSED, CRS_SET)

WARNING_TEXTS: dict[str, Bilingual] = {
    "no_prj": Bilingual("缺少 .prj：已假定为 WGS 84（EPSG:4326）", "no .prj: assumed WGS 84 (EPSG:4326)"),
    "no_crs": Bilingual("文件未注明坐标系：已假定为 WGS 84（EPSG:4326）",
              "the file names no CRS: assumed WGS 84 (EPSG:4326)"),
    "bad_crs": Bilingual("无法识别文件注明的坐标系（{declared}）：已假定为 WGS 84（EPSG:4326）",
              "the CRS the file names ({declared}) could not be understood: assumed WGS 84 (EPSG:4326)"),
    "no_dbf": Bilingual("缺少 .dbf：没有属性，只读取了几何图形",
              "no .dbf: the attributes are missing; only the geometry was read"),
    "crs_guessed": Bilingual("坐标看起来属于 {crs_name}（{crs}），已按此读取。如有误，请用“图层 > 设置图层坐标系…”更正",
              "coordinates look like {crs_name} ({crs}); assumed. If that is wrong, use Layer > Set layer CRS…"),
    "crs_guessed_ambiguous": Bilingual("坐标看起来属于 {crs_name}（{crs}），已按此读取；但 {alternatives} 同样吻合。如有误，请用“图层 > 设置图层坐标系…”更正",
              "coordinates look like {crs_name} ({crs}); assumed, but {alternatives} fit as well. If that is wrong, use Layer > Set layer CRS…"),
    "crs_contradicted": Bilingual("文件注明的坐标系是 {declared}，但坐标（例如 {example}）不是经纬度",
              "the file says {declared}, but the coordinates (e.g. {example}) are not degrees"),
    "outside_area_of_use": Bilingual("要素位于 {crs} 的适用范围（{area}）之外，请检查坐标系",
              "the features lie outside the area of use of {crs} ({area}); check the CRS"),
    "far_features": Bilingual("有 {count} 个要素远离其他所有要素（{numbers}），请检查",
              "{count} feature(s) lie far from all the others ({numbers}); check them"),
    "not_utf8": Bilingual("文件不是 UTF-8 编码：已按 GBK（GB18030）读取文字",
              "the file is not UTF-8: its text was read as GBK (GB18030)"),
    "wrong_extension": Bilingual("文件实际是 {content}，但扩展名为 {suffix}；已按 {content} 读取",
              "the file is a {content} although its name ends {suffix}; read as {content}"),
    "careful_reader": Bilingual("GDAL 无法读取该文件（{reason}），已逐个要素读取",
              "GDAL could not read the file ({reason}); it was read feature by feature"),
    "not_strict_json": Bilingual("文件不是有效的 JSON（{reason}）；已载入 GDAL 能读取的要素",
              "the file is not valid JSON ({reason}); the features GDAL could read were loaded"),
    "split_by_type": Bilingual("文件混合了 {types}：每种类型各成一个图层",
              "the file mixes {types}: each type became its own layer"),
    "collections_converted": Bilingual("{count} 个单一类型的几何集合已按多部件几何读取",
              "{count} geometry collection(s) of one type were read as multi-part geometries"),
    "empty_layer": Bilingual("图层没有要素", "the layer has no features"),
    "truncated": Bilingual("{part} 文件比其文件头声明的短（可能被截断），可能缺少要素",
              "the {part} file is shorter than its header says (truncated?); features may be missing"),
    "qgis_style_simplified": Bilingual("已应用 QGIS 样式“{name}”，但做了简化：{notes}",
              "QGIS style “{name}” applied, simplified: {notes}"),
    "qgis_style_unreadable": Bilingual("无法使用 QGIS 样式“{name}”（{reason}）：保留了原样式",
              "the QGIS style “{name}” could not be used ({reason}); the layer kept its style"),
    "layer_skipped": Bilingual("图层 {layer} 未载入：{reason}", "layer {layer} was not loaded: {reason}"),
}
REJECT_TEXTS: dict[str, Bilingual] = {
    "no_geometry": Bilingual("没有几何图形", "no geometry"),
    "empty_geometry": Bilingual("空几何图形", "empty geometry"),
    "undecodable": Bilingual("几何图形的存储格式无法解码", "the geometry is stored in a form that cannot be decoded"),
    "invalid_geometry": Bilingual("无效的几何图形（{detail}）", "invalid geometry ({detail})"),
    "unclosed_ring": Bilingual("多边形的环没有闭合", "a polygon ring is not closed"),
    "too_few_points": Bilingual("{detail}的点数太少", "too few points for a {detail}"),
    "unsupported_type": Bilingual("不支持的几何类型 {detail}", "unsupported geometry type {detail}"),
    "mixed_collection": Bilingual("几何集合混合了点、线和面", "a geometry collection mixing points, lines and polygons"),
    "non_finite": Bilingual("坐标不是有限数（NaN 或无穷大）", "non-finite coordinate (NaN or infinity)"),
    "out_of_range": Bilingual("坐标超出 {detail} 的有效范围", "coordinates outside the valid range of {detail}"),
    "not_a_feature": Bilingual("不是 GeoJSON 要素（{detail}）", "not a GeoJSON feature ({detail})"),
    "bad_coordinates": Bilingual("坐标格式错误（{detail}）", "malformed coordinates ({detail})"),
}
# Words a detail may be, by key; any other detail is technical text shown as it is (a CRS, GEOS).
DETAIL_TEXTS: dict[str, Bilingual] = {
    "json_null": Bilingual("JSON 空值（null）", "a JSON null"),
    "json_boolean": Bilingual("JSON 布尔值", "a JSON boolean"),
    "json_number": Bilingual("JSON 数字", "a JSON number"),
    "json_string": Bilingual("JSON 字符串", "a JSON string"),
    "json_array": Bilingual("JSON 数组", "a JSON array"),
    "json_object": Bilingual("JSON 对象", "a JSON object"),
    "short_position": Bilingual("一个坐标位置至少需要两个数", "a position needs at least two numbers"),
    "not_numbers": Bilingual("坐标位置中含有非数字内容", "a position holds something other than numbers"),
    "nested_wrongly": Bilingual("坐标的嵌套层次不对", "the coordinates are nested wrongly"),
    "not_an_object": Bilingual("几何图形不是 JSON 对象", "the geometry is not a JSON object"),
    "no_geometries": Bilingual("GeometryCollection 中没有几何图形列表",
              "a GeometryCollection without a list of geometries"),
    "too_deep": Bilingual("几何集合嵌套过深", "geometry collections nested too deeply"),
    "no_coordinates": Bilingual("没有坐标列表", "no list of coordinates"),
    "line": Bilingual("线", "line"),
    "ring": Bilingual("多边形环", "polygon ring"),
    "gdal_could_not": Bilingual("GDAL 无法读取", "GDAL could not read it"),
}
CRS_DECISION_TEXTS: dict[str, Bilingual] = {
    CRS_DECLARED: Bilingual("文件中注明", "declared in the file"),
    CRS_STANDARD: Bilingual("GeoJSON 未注明 crs：按 RFC 7946 为 WGS 84",
              "GeoJSON without a crs member: WGS 84 by RFC 7946"),
    CRS_ASSUMED: Bilingual("假定（文件未注明坐标系）", "assumed (the file names no CRS)"),
    CRS_GUESSED: Bilingual("根据坐标推测", "guessed from the coordinates"),
    CRS_SET: Bilingual("由用户设置", "set by the user"),
}
FEATURE_TEXT = Bilingual("第 {number} 个要素", "feature {number}")
FEATURE_FID_TEXT = Bilingual("第 {number} 个要素（fid {fid}）", "feature {number} (fid {fid})")
REJECTED_SUMMARY = Bilingual("{read} 个要素中有 {rejected} 个被拒绝",
              "{rejected} of {read} features were rejected")


def crs_decision_text(how: str, lang: str | None = "en") -> str:
    return CRS_DECISION_TEXTS[how](lang)


def detail_text(detail: str, lang: str | None = "en") -> str:
    """A rejection's detail in ``lang``: a word of DETAIL_TEXTS, or technical text as it is."""
    return DETAIL_TEXTS[detail](lang) if detail in DETAIL_TEXTS else detail


class _Defaults(dict[str, Any]):
    """Leave unknown fields visible instead of raising (a template and its call out of step)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: dict[str, Any]) -> str:
    return template.format_map(_Defaults(params))


@dataclass(frozen=True)
class LoadWarning:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message_in(self, lang: str | None) -> str:
        return fill(WARNING_TEXTS[self.code](lang), self.params_in(lang))

    def params_in(self, lang: str | None) -> dict[str, Any]:
        """The values, a bilingual one (what a QGIS style lost) in ``lang``."""
        return {k: v(lang) if isinstance(v, Bilingual) else v for k, v in self.params.items()}

    @property
    def message(self) -> str:
        return self.message_in("en")

    def to_dict(self, lang: str | None = "en") -> dict[str, Any]:
        return {"code": self.code, "message": self.message_in(lang),
                **({"params": self.params_in(lang)} if self.params else {})}


@dataclass(frozen=True)
class RejectedFeature:
    """A feature that was not loaded: ``number`` counts the layer's features from 1 in file
    order; ``fid`` is the source's feature id where it has one (GeoPackage, Shapefile).
    ``detail`` is a key of DETAIL_TEXTS or technical text (a CRS and a coordinate, GEOS's words)."""

    number: int
    code: str
    detail: str = ""
    fid: int | None = None

    def reason_in(self, lang: str | None) -> str:
        return fill(REJECT_TEXTS[self.code](lang), {"detail": detail_text(self.detail, lang)})

    def label_in(self, lang: str | None) -> str:
        text = FEATURE_TEXT if self.fid is None or self.fid == self.number else FEATURE_FID_TEXT
        return fill(text(lang), {"number": self.number, "fid": self.fid})

    def message_in(self, lang: str | None) -> str:
        return f"{self.label_in(lang)}: {self.reason_in(lang)}"

    @property
    def reason(self) -> str:
        return self.reason_in("en")

    @property
    def message(self) -> str:
        return self.message_in("en")

    def to_dict(self, lang: str | None = "en") -> dict[str, Any]:
        return {"number": self.number, "fid": self.fid, "code": self.code, "reason": self.reason_in(lang),
                "message": self.message_in(lang)}


@dataclass
class LoadReport:
    """The account of one layer read from a file (see the module docstring)."""

    source: str
    layer: str
    features_read: int = 0
    crs: str = ""
    crs_how: str = CRS_DECLARED
    warnings: list[LoadWarning] = field(default_factory=list)
    rejected: list[RejectedFeature] = field(default_factory=list)

    def warn(self, code: str, **params: Any) -> None:
        if code not in WARNING_TEXTS:
            raise KeyError(f"unknown warning code {code!r}")
        warning = LoadWarning(code, params)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def reject(self, number: int, code: str, detail: str = "", fid: int | None = None) -> None:
        if code not in REJECT_TEXTS:
            raise KeyError(f"unknown rejection code {code!r}")
        self.rejected.append(RejectedFeature(number, code, detail, fid))

    @property
    def features_loaded(self) -> int:
        return self.features_read - len(self.rejected)

    @property
    def has_problems(self) -> bool:
        return bool(self.warnings or self.rejected)

    @property
    def crs_trusted(self) -> bool:
        """False when nothing in the file said which CRS the coordinates are in."""
        return self.crs_how in (CRS_DECLARED, CRS_STANDARD, CRS_SET)

    def summary_in(self, lang: str | None) -> str:
        """One line: the warnings, then how many features were rejected."""
        parts = [warning.message_in(lang) for warning in self.warnings]
        if self.rejected:
            parts.append(REJECTED_SUMMARY(lang).format(rejected=len(self.rejected), read=self.features_read))
        return pick(lang, "；", "; ").join(parts)

    def summary(self) -> str:
        return self.summary_in("en")

    def to_dict(self, lang: str | None = "en") -> dict[str, Any]:
        return {"source": self.source, "layer": self.layer, "features_read": self.features_read,
                "features_loaded": self.features_loaded, "crs": self.crs, "crs_decision": self.crs_how,
                "crs_decision_text": crs_decision_text(self.crs_how, lang),
                "warnings": [w.to_dict(lang) for w in self.warnings],
                "rejected": [r.to_dict(lang) for r in self.rejected]}
