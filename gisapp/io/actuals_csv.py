"""Import and export monitoring values (actuals) as CSV, the form statistics offices send.

Two layouts are read, with English or Chinese headers:

- **long**: one value per row, e.g. ``indicator_id,feature_id,year,value,note`` or
  ``指标名称,年份,数值,备注``;
- **wide**: one indicator per row and a column per year, e.g. ``指标名称,单位,2021,2022,2023``
  (blank cells are simply not reported yet).

An indicator is found by its id, else by its Chinese or English name. A name that several
indicators share (table 1 and table 2 both list 技术合同成交总额) goes to the table 2
indicator, the one the 2021-2025 monitoring is about. Rows that match nothing are reported
with their line number and the reason, and the rest are still imported. Files may be UTF-8
(with or without a BOM) or GBK/GB18030, as Excel saves them on Chinese systems.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gisapp.core.model.project import Project
from gisapp.core.plan.actuals import MONITOR_YEARS, Actual
from gisapp.core.plan.indicators import Indicator, IndicatorCatalog
from gisapp.core.texts import Bilingual, pick
from gisapp.io.atomic import atomic_path
from gisapp.io.errors import GisIOError

ALIASES = {
    "indicator_id": ("indicator_id", "indicator id", "indicator", "id", "code", "指标编号", "指标代码",
                     "指标id", "编号"),
    "name": ("name", "indicator_name", "indicator name", "name_zh", "name_en", "指标", "指标名称", "名称"),
    "feature_id": ("feature_id", "feature id", "feature", "zone", "zone_id", "area", "要素", "要素编号",
                   "地块", "片区", "区域", "组团"),
    "year": ("year", "年份", "年度", "年"),
    "value": ("value", "actual", "actual_value", "actual value", "数值", "实际值", "完成值", "指标值", "值"),
    "note": ("note", "notes", "remark", "remarks", "comment", "备注", "说明"),
    "unit": ("unit", "单位"),
}
_YEAR_HEADER = re.compile(r"^(\d{4})\s*(年|年度)?$")
SUMMARY = {
    "imported": Bilingual("读取 {rows} 行，导入 {values} 个数值。", "Read {rows} rows, imported {values} values."),
    "with_problems": Bilingual("读取 {rows} 行，导入 {values} 个数值，{problems} 行未能匹配：",
                               "Read {rows} rows, imported {values} values; {problems} rows were not imported:"),
}


@dataclass
class RowProblem:
    """A row that was not imported: its line in the file and why (in both languages)."""

    line: int
    message_en: str
    message_zh: str
    text: str = ""

    def message(self, lang: str) -> str:
        return pick(lang, self.message_zh, self.message_en)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message_en}"


@dataclass
class ImportResult:
    actuals: list[Actual] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0
    layout: str = "long"

    def summary(self, lang: str = "en") -> str:
        template = SUMMARY["with_problems" if self.problems else "imported"](lang)
        return template.format(rows=self.rows_read, values=len(self.actuals), problems=len(self.problems))


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"\s+", "", text)


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GisIOError(path, "the file is neither UTF-8 nor GBK text")


def parse_number(text: str) -> float | None:
    """'1,234.5', '７.５', '12.3%', ' 6 ' -> float; '' -> None; raises ValueError otherwise."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    text = text.replace(",", "").replace("，", "").rstrip("%").strip()
    if text in ("", "-", "—", "--"):
        return None
    return float(text)


class _IndicatorMatcher:
    def __init__(self, catalog: IndicatorCatalog) -> None:
        self.by_id = {_norm(i.id): i for i in catalog.indicators}
        self.by_name: dict[str, list[Indicator]] = {}
        for indicator in catalog.indicators:
            for name in {indicator.name_zh, indicator.name_en}:
                if name:
                    self.by_name.setdefault(_norm(name), []).append(indicator)

    def find(self, ident: str, name: str) -> tuple[Indicator | None, str, str]:
        """The indicator, or None and a reason (en, zh)."""
        if ident:
            found = self.by_id.get(_norm(ident))
            if found is not None:
                return found, "", ""
            if not name:
                name = ident  # an "id" column holding names
        if name:
            candidates = self.by_name.get(_norm(name), [])
            if len(candidates) == 1:
                return candidates[0], "", ""
            if len(candidates) > 1:
                current = [c for c in candidates if c.table == "table2"]
                if len(current) == 1:
                    return current[0], "", ""
                ids = ", ".join(c.id for c in candidates)
                return (None, f"the name '{name}' fits several indicators ({ids}); add an indicator_id column",
                        f"名称“{name}”对应多个指标（{ids}），请增加 indicator_id 列")
            return (None, f"no indicator has the id or name '{name}'",
                    f"没有编号或名称为“{name}”的指标")
        return None, "the row names no indicator", "该行没有指标编号或名称"


def _header_map(header: list[str]) -> tuple[dict[str, int], dict[int, int]]:
    columns: dict[str, int] = {}
    years: dict[int, int] = {}
    lookup = {_norm(alias): key for key, aliases in ALIASES.items() for alias in aliases}
    for index, title in enumerate(header):
        norm = _norm(title)
        if match := _YEAR_HEADER.match(norm):
            years[int(match[1])] = index
            continue
        key = lookup.get(norm)
        if key and key not in columns:
            columns[key] = index
    return columns, years


def read_actuals_csv(path: str | Path, catalog: IndicatorCatalog,
                     features: Mapping[str, str] | None = None) -> ImportResult:
    """Read actuals from ``path``; nothing is stored (the caller adds ``result.actuals``).

    ``features`` maps feature names (and ids) to feature ids, so a row may name its zone.
    Raises :class:`GisIOError` when the file cannot be read or has no usable header.
    """
    path = Path(path)
    try:
        text = _read_text(path)
    except OSError as exc:
        raise GisIOError(path, f"the file cannot be read ({exc.strerror or exc})") from exc
    return parse_actuals_csv(text, catalog, features, path)


def parse_actuals_csv(text: str, catalog: IndicatorCatalog, features: Mapping[str, str] | None = None,
                      path: Path | str = "<text>") -> ImportResult:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise GisIOError(path, "the file is empty")
    columns, years = _header_map(rows[0])
    if "indicator_id" not in columns and "name" not in columns:
        raise GisIOError(path, "no indicator column: the header needs indicator_id or name (指标名称)")
    wide = bool(years) and "value" not in columns
    if not wide and ("year" not in columns or "value" not in columns):
        raise GisIOError(path, "the header needs year and value columns (年份, 数值), "
                               "or one column per year (2021, 2022, …)")
    feature_lookup = {_norm(k): v for k, v in (features or {}).items()}
    matcher = _IndicatorMatcher(catalog)
    result = ImportResult(layout="wide" if wide else "long")

    def cell(row: list[str], key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        result.rows_read += 1
        raw = ",".join(row)

        def problem(en: str, zh: str, line: int = line, raw: str = raw) -> None:
            result.problems.append(RowProblem(line, en, zh, raw))

        indicator, why_en, why_zh = matcher.find(cell(row, "indicator_id"), cell(row, "name"))
        if indicator is None:
            problem(why_en, why_zh)
            continue
        feature_id = cell(row, "feature_id")
        if feature_id and features is not None:
            resolved = feature_lookup.get(_norm(feature_id))
            if resolved is None:
                problem(f"no feature has the id or name '{feature_id}'", f"没有编号或名称为“{feature_id}”的要素")
                continue
            feature_id = resolved
        if feature_id in ("全区", "zone-wide", "all"):
            feature_id = ""
        note = cell(row, "note")
        if wide:
            for year, index in sorted(years.items()):
                text_value = row[index].strip() if index < len(row) else ""
                if not text_value:
                    continue
                try:
                    value = parse_number(text_value)
                except ValueError:
                    problem(f"the {year} value '{text_value}' is not a number",
                            f"{year}年的数值“{text_value}”不是数字")
                    continue
                result.actuals.append(Actual(indicator.id, year, value, feature_id, note))
            continue
        year_text = unicodedata.normalize("NFKC", cell(row, "year")).rstrip("年度").strip()
        try:
            year = int(float(year_text))
        except ValueError:
            problem(f"the year '{cell(row, 'year')}' is not a year", f"年份“{cell(row, 'year')}”无效")
            continue
        if not 1990 <= year <= 2100:
            problem(f"the year {year} is out of range", f"年份 {year} 超出范围")
            continue
        try:
            value = parse_number(cell(row, "value"))
        except ValueError:
            problem(f"the value '{cell(row, 'value')}' is not a number", f"数值“{cell(row, 'value')}”不是数字")
            continue
        if value is None and not note:
            problem("the row has no value", "该行没有数值")
            continue
        result.actuals.append(Actual(indicator.id, year, value, feature_id, note))
    return result


def write_actuals_csv(path: str | Path, catalog: IndicatorCatalog, layout: str = "long",
                      years: tuple[int, ...] = MONITOR_YEARS) -> Path:
    """Write the actuals (long) or a form of every indicator by year (wide), UTF-8 with a BOM.

    The BOM lets Excel open the Chinese names correctly; both layouts read back in.
    """
    path = Path(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if layout == "wide":
        writer.writerow(["indicator_id", "name_zh", "name_en", "unit", "feature_id",
                         *[str(y) for y in years], "note"])
        keys = {(r.indicator_id, r.feature_id) for r in catalog.actuals.records()}
        for indicator in catalog.indicators:
            keys.add((indicator.id, ""))
        order = {ind.id: i for i, ind in enumerate(catalog.indicators)}
        for indicator_id, feature_id in sorted(keys, key=lambda k: (order.get(k[0], 1e9), k[1])):
            try:
                indicator = catalog.get(indicator_id)
            except KeyError:
                continue
            values, notes = [], []
            for year in years:
                record = catalog.actuals.get(indicator_id, year, feature_id)
                values.append("" if record is None or record.value is None else f"{record.value:g}")
                if record is not None and record.note:
                    notes.append(f"{year}: {record.note}")
            writer.writerow([indicator.id, indicator.name_zh, indicator.name_en, indicator.unit,
                             feature_id, *values, "; ".join(notes)])
    else:
        writer.writerow(["indicator_id", "name_zh", "name_en", "unit", "feature_id", "year", "value", "note"])
        for record in catalog.actuals.records():
            try:
                indicator = catalog.get(record.indicator_id)
                names = (indicator.name_zh, indicator.name_en, indicator.unit)
            except KeyError:
                names = ("", "", "")
            writer.writerow([record.indicator_id, *names, record.feature_id, record.year,
                             "" if record.value is None else f"{record.value:g}", record.note])
    try:
        with atomic_path(path) as temp:
            Path(temp).write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise GisIOError(path, f"the file cannot be written ({exc.strerror or exc})") from exc
    return path


def feature_names(project: Project) -> dict[str, str]:
    """Feature ids and their Chinese and English names -> id, for matching CSV rows to zones."""
    names: dict[str, str] = {}
    for layer in project.layers:
        frame = layer.frame
        if "id" not in frame.columns:
            continue
        ids = frame["id"].astype("string").fillna("")
        for column in ("name_zh", "name_en", "name"):
            if column in frame.columns:
                for fid, name in zip(ids, frame[column].astype("string").fillna(""), strict=True):
                    if name and fid:
                        names.setdefault(str(name), str(fid))
        for fid in ids:
            if fid:
                names[str(fid)] = str(fid)
    return names
