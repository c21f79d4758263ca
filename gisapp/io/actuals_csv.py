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

import codecs
import csv
import io
import math
import re
import stat
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gisapp.core.model.project import Project
from gisapp.core.plan.actuals import MONITOR_YEARS, Actual
from gisapp.core.plan.indicators import Indicator, IndicatorCatalog, current_indicator_id
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
YEAR_RANGE = (1990, 2100)
MAX_ABS_VALUE = 1e15  # beyond any plan figure (the largest are in 亿元 or counts)
MAX_FILE_BYTES = 50 * 1024 * 1024  # a statistics office table is kilobytes
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


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _decode(raw: bytes, path: Path | str) -> str:
    """The text of a CSV file: UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's
    "Unicode text") or GBK/GB18030. A UTF-8 file with a damaged byte is reported, not read
    as GBK mojibake."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise GisIOError(path, f"the file starts as UTF-16 text but byte {exc.start:,} is not "
                                   "UTF-16") from exc
    if b"\x00" in raw:
        line = raw[:raw.index(b"\x00")].count(b"\n") + 1
        raise GisIOError(path, f"line {line}: the file holds NUL bytes: it is binary data, not CSV text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        replaced = raw.decode("utf-8-sig", errors="replace")
        damaged = replaced.count("\ufffd")
        non_ascii = len(replaced) - len(replaced.encode("ascii", "ignore")) - damaged
        # GBK read as UTF-8 is mostly invalid; UTF-8 with a damaged byte mostly valid.
        if raw.startswith(codecs.BOM_UTF8) or non_ascii >= 4 * damaged:
            line = raw[:exc.start].count(b"\n") + 1
            raise GisIOError(path, f"line {line}: the text is not valid UTF-8 (byte {exc.start:,}); "
                                   "the file may be truncated or damaged") from exc
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise GisIOError(path, f"line {line}: the file is neither UTF-8 nor GBK/GB18030 text") from exc


def _read_text(path: Path) -> str:
    try:
        info = path.stat()
    except OSError as exc:
        raise GisIOError(path, f"the file cannot be read ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO or a device would block or never end.
        raise GisIOError(path, "not a regular file (a folder, pipe or device cannot be read as CSV)")
    if info.st_size > MAX_FILE_BYTES:
        raise GisIOError(path, f"the file has {info.st_size:,} bytes; an actuals table is far smaller "
                               f"(at most {MAX_FILE_BYTES:,} bytes are read)")
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise GisIOError(path, f"the file cannot be read ({exc.strerror or exc})") from exc
    if len(raw) > MAX_FILE_BYTES:  # it grew since stat()
        raise GisIOError(path, f"the file has more than {MAX_FILE_BYTES:,} bytes")
    return _decode(raw, path)


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(text: str) -> float | None:
    """'1,234.5', '７.５', '12.3%', ' 6 ' -> float; '' -> None; raises ValueError otherwise.

    Only plain decimal numbers are read: 'nan', 'inf', '0x1F' and '1_000' are not
    numbers, and values beyond ±1e15 (far past any plan figure; 1e400 overflows) are
    refused.

    >>> parse_number("1,234.5"), parse_number("-3.6%"), parse_number("—")
    (1234.5, -3.6, None)
    >>> parse_number("nan")
    Traceback (most recent call last):
    ...
    ValueError: 'nan' is not a number
    """
    original = text
    text = unicodedata.normalize("NFKC", str(text)).strip()
    text = text.replace(",", "").replace("，", "").rstrip("%").strip()
    if text in ("", "-", "—", "--"):
        return None
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"{original!r} is not a number")
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
        raise ValueError(f"{original!r} is out of range (beyond ±{MAX_ABS_VALUE:.0e})")
    return value


def parse_year(text: str) -> int:
    """'2021', '2021年', '2021.0' -> 2021; raises ValueError for '2021.9', 'twenty' or years
    outside 1990-2100.

    >>> parse_year("２０２３年度")
    2023
    >>> parse_year("2021.9")
    Traceback (most recent call last):
    ...
    ValueError: '2021.9' is not a whole year
    """
    original = text
    text = unicodedata.normalize("NFKC", str(text)).strip().removesuffix("年度").removesuffix("年").strip()
    if re.fullmatch(r"\d{4}(?:\.0*)?", text):
        year = int(text.split(".")[0])
    elif re.fullmatch(r"\d+\.\d+", text):
        raise ValueError(f"{original!r} is not a whole year")
    else:
        raise ValueError(f"{original!r} is not a year")
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ValueError(f"the year {year} is out of range ({YEAR_RANGE[0]}-{YEAR_RANGE[1]})")
    return year


def _value_problem(what_en: str, what_zh: str, text: str) -> tuple[str, str] | None:
    """Why ``text`` is no usable value (en, zh), or None if it is one."""
    try:
        parse_number(text)
    except ValueError:
        shown = _short(text)
        normal = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("，", "").rstrip("%").strip()
        if _NUMBER.fullmatch(normal):
            return (f"{what_en} '{shown}' is out of range (a plan figure lies within ±{MAX_ABS_VALUE:.0e})",
                    f"{what_zh}“{shown}”超出范围（规划数值应在 ±{MAX_ABS_VALUE:.0e} 以内）")
        return f"{what_en} '{shown}' is not a number", f"{what_zh}“{shown}”不是数字"
    return None


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
            found = self.by_id.get(_norm(ident)) or self.by_id.get(_norm(current_indicator_id(ident.strip())))
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
                return (None, f"the name '{_short(name)}' fits several indicators ({ids}); add an "
                              "indicator_id column",
                        f"名称“{_short(name)}”对应多个指标（{ids}），请增加 indicator_id 列")
            return (None, f"no indicator has the id or name '{_short(name)}'",
                    f"没有编号或名称为“{_short(name)}”的指标")
        return None, "the row names no indicator", "该行没有指标编号或名称"


def _short(text: str, limit: int = 80) -> str:
    """A cell quoted in a message, cut to a readable length."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def _header_map(header: list[str]) -> tuple[dict[str, int], dict[int, int], list[str]]:
    """Column of each known field, column of each year (wide layout), and year-like
    titles that are out of range."""
    columns: dict[str, int] = {}
    years: dict[int, int] = {}
    ignored: list[str] = []
    lookup = {_norm(alias): key for key, aliases in ALIASES.items() for alias in aliases}
    for index, title in enumerate(header):
        norm = _norm(title)
        if match := _YEAR_HEADER.match(norm):
            year = int(match[1])
            if YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
                years.setdefault(year, index)
            else:
                ignored.append(title)
            continue
        key = lookup.get(norm)
        if key and key not in columns:
            columns[key] = index
    return columns, years, ignored


def _delimiter(line: str) -> str:
    """The separator of the header line: whichever of , ; tab it holds most (',' if none)."""
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _records(text: str, path: Path | str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record; a csv error becomes a GisIOError naming the line."""
    first_line = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    # Excel may put its separator on a line of its own first ("sep=;").
    hint = re.fullmatch(r"sep=(.)", first_line.strip())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=hint[1] if hint else _delimiter(first_line))
    line = 1
    skip_hint = hint is not None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problem = str(exc)
            if "field limit" in problem:
                problem = (f"a cell is longer than {csv.field_size_limit():,} characters; an actuals "
                           "table has short cells (is this the right file?)")
            raise GisIOError(path, f"line {reader.line_num}: {problem}") from exc
        if skip_hint and any(cell.strip() for cell in row):
            skip_hint = False
        else:
            yield line, row
        line = reader.line_num + 1


def read_actuals_csv(path: str | Path, catalog: IndicatorCatalog,
                     features: Mapping[str, str] | None = None) -> ImportResult:
    """Read actuals from ``path``; nothing is stored (the caller adds ``result.actuals``).

    ``features`` maps feature names (and ids) to feature ids, so a row may name its zone.
    Raises :class:`GisIOError` (and nothing else) when the file cannot be read or has no
    usable header; rows that cannot be used are listed in ``result.problems``.
    """
    path = Path(path)
    return parse_actuals_csv(_read_text(path), catalog, features, path)


def parse_actuals_csv(text: str, catalog: IndicatorCatalog, features: Mapping[str, str] | None = None,
                      path: Path | str = "<text>") -> ImportResult:
    """Actuals from CSV text (see :func:`read_actuals_csv`). Every value it returns is a
    finite number (or None with a note) in a whole year of 1990-2100."""
    if "\x00" in text:
        raise GisIOError(path, f"line {_line_of(text, text.index(chr(0)))}: the file holds NUL bytes: "
                               "it is binary data, not CSV text")
    records = _records(text, path)
    header_line, header = next(((line, row) for line, row in records if any(c.strip() for c in row)),
                               (0, []))
    if not header:
        raise GisIOError(path, "the file is empty")
    columns, years, ignored = _header_map(header)
    if "indicator_id" not in columns and "name" not in columns:
        raise GisIOError(path, f"line {header_line}: no indicator column: the header needs "
                               "indicator_id or name (指标名称)")
    wide = bool(years) and "value" not in columns
    if not wide and ("year" not in columns or "value" not in columns):
        raise GisIOError(path, f"line {header_line}: the header needs year and value columns (年份, 数值), "
                               "or one column per year (2021, 2022, …)")
    feature_lookup = {_norm(k): v for k, v in (features or {}).items()}
    matcher = _IndicatorMatcher(catalog)
    result = ImportResult(layout="wide" if wide else "long")
    for title in ignored if wide else ():
        result.problems.append(RowProblem(
            header_line, f"the column '{_short(title)}' is a year outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}; "
                         "it was ignored",
            f"列“{_short(title)}”的年份不在 {YEAR_RANGE[0]}-{YEAR_RANGE[1]} 之间，已忽略"))
    seen: dict[tuple[str, str, int], tuple[int, Actual]] = {}

    def cell(row: list[str], key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    for line, row in records:
        if not any(c.strip() for c in row):
            continue
        result.rows_read += 1
        raw = _short(",".join(row), 200)

        def problem(en: str, zh: str, line: int = line, raw: str = raw) -> None:
            result.problems.append(RowProblem(line, en, zh, raw))

        def add(record: Actual, line: int = line) -> None:
            earlier = seen.get(record.key)
            if earlier is None:
                seen[record.key] = (line, record)
                result.actuals.append(record)
                return
            first_line, first = earlier
            what = f"{record.indicator_id} {record.year}" + (f" ({record.feature_id})" if record.feature_id else "")
            if (first.value, first.note) == (record.value, record.note):
                problem(f"a repeat of line {first_line} ({what}); read once",
                        f"与第 {first_line} 行重复（{what}），只读取一次")
            else:
                problem(f"a second value for {what}; line {first_line} already gives one, which was kept",
                        f"{what} 的第二个数值；第 {first_line} 行已有数值，保留第 {first_line} 行")

        indicator, why_en, why_zh = matcher.find(cell(row, "indicator_id"), cell(row, "name"))
        if indicator is None:
            problem(why_en, why_zh)
            continue
        feature_id = cell(row, "feature_id")
        if feature_id and features is not None:
            resolved = feature_lookup.get(_norm(feature_id))
            if resolved is None:
                problem(f"no feature has the id or name '{_short(feature_id)}'",
                        f"没有编号或名称为“{_short(feature_id)}”的要素")
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
                if why := _value_problem(f"the {year} value", f"{year}年的数值", text_value):
                    problem(*why)
                    continue
                value = parse_number(text_value)
                add(Actual(indicator.id, year, value, feature_id, note))
            continue
        year_text = cell(row, "year")
        try:
            year = parse_year(year_text)
        except ValueError:
            problem(f"the year '{_short(year_text)}' is not a whole year in {YEAR_RANGE[0]}-{YEAR_RANGE[1]}",
                    f"年份“{_short(year_text)}”不是 {YEAR_RANGE[0]}-{YEAR_RANGE[1]} 之间的整年")
            continue
        value_text = cell(row, "value")
        if why := _value_problem("the value", "数值", value_text):
            problem(*why)
            continue
        value = parse_number(value_text)
        if value is None and not note:
            problem("the row has no value", "该行没有数值")
            continue
        add(Actual(indicator.id, year, value, feature_id, note))
    if result.rows_read == 0:
        raise GisIOError(path, f"the file has a header (line {header_line}) but no data rows")
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
    for layer in project.vector_layers():
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
