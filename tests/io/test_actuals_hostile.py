"""Broken actuals CSVs as they arrive from offices: each is refused with the file and line
named, or read with its bad rows listed; no value that is not a finite number in a whole
year ever gets through, and the project is unchanged when the file is refused."""

import codecs
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gisapp.cli import main
from gisapp.io.actuals_csv import YEAR_RANGE, parse_actuals_csv, read_actuals_csv
from gisapp.io.catalogue import load_catalogue
from gisapp.io.errors import GisIOError
from gisapp.io.session import load_actuals

HEADER = "indicator_id,year,value,note\n"


@pytest.fixture(scope="module")
def catalog():
    return load_catalogue().indicators


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def assert_sound(result) -> None:
    for actual in result.actuals:
        assert isinstance(actual.year, int) and YEAR_RANGE[0] <= actual.year <= YEAR_RANGE[1]
        assert actual.value is None or (isinstance(actual.value, float) and math.isfinite(actual.value))


def test_a_cell_over_the_csv_field_limit_names_the_file_and_line(catalog, tmp_path):
    path = write(tmp_path, "huge.csv", HEADER + "plan.t2.04,2021,1,ok\n" + "plan.t2.04,2022,2," + "x" * 200_000 + "\n")
    with pytest.raises(GisIOError) as error:
        read_actuals_csv(path, catalog)
    assert str(error.value).startswith("huge.csv: line 3: a cell is longer than 131,072 characters")


@pytest.mark.parametrize("token", ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e16",
                                   "0x1F", "1_000", "--5"])
def test_values_that_are_no_finite_number_are_refused_with_their_line(catalog, token):
    result = parse_actuals_csv(HEADER + "plan.t2.04,2021,7350,\n" + f"plan.t2.04,2022,{token},\n", catalog)
    assert [(a.year, a.value) for a in result.actuals] == [(2021, 7350.0)]
    [problem] = result.problems
    assert problem.line == 3 and token in problem.message_en and token in problem.message_zh


def test_the_same_in_the_wide_form(catalog):
    result = parse_actuals_csv("指标名称,2021年,2022年,2023年\n有效发明专利,inf,1e400,8120\n", catalog)
    assert [(a.year, a.value) for a in result.actuals] == [(2023, 8120.0)]
    assert [(p.line, p.message_en) for p in result.problems] == [
        (2, "the 2021 value 'inf' is not a number"),
        (2, "the 2022 value '1e400' is out of range (a plan figure lies within ±1e+15)")]


@pytest.mark.parametrize(("year", "stored"), [("2021", 2021), ("2021.0", 2021), ("２０２２年", 2022),
                                              ("2023年度", 2023)])
def test_whole_years_are_read(catalog, year, stored):
    result = parse_actuals_csv(HEADER + f"plan.t2.04,{year},1,\n", catalog)
    assert [a.year for a in result.actuals] == [stored] and result.problems == []


@pytest.mark.parametrize("year", ["2021.9", "2021.5", "1800", "3000", "20211", "-2021", "nan", "inf", "1e3"])
def test_a_year_that_is_not_whole_or_in_range_never_overwrites_another(catalog, year):
    result = parse_actuals_csv(HEADER + "plan.t2.04,2021,7350,\n" + f"plan.t2.04,{year},9999,\n", catalog)
    assert [(a.year, a.value) for a in result.actuals] == [(2021, 7350.0)]
    assert [p.line for p in result.problems] == [3]
    assert year in result.problems[0].message_en


def test_a_year_column_out_of_range_is_ignored_and_said(catalog):
    result = parse_actuals_csv("指标名称,1800,2021\n有效发明专利,5,7350\n", catalog)
    assert [(a.year, a.value) for a in result.actuals] == [(2021, 7350.0)]
    assert [(p.line, "1800" in p.message_en) for p in result.problems] == [(1, True)]


def test_duplicate_rows_are_read_once_and_conflicts_keep_the_first(catalog):
    text = (HEADER + "plan.t2.04,2021,7350,\n"
            "plan.t2.04,2021,7350,\n"      # the same row again
            "plan.t2.04,2021,9000,\n"      # another value for the same year
            "plan.t2.04,2022,8120,\n")
    result = parse_actuals_csv(text, catalog)
    assert [(a.year, a.value) for a in result.actuals] == [(2021, 7350.0), (2022, 8120.0)]
    assert [(p.line, p.message_en) for p in result.problems] == [
        (3, "a repeat of line 2 (plan.t2.04 2021); read once"),
        (4, "a second value for plan.t2.04 2021; line 2 already gives one, which was kept")]


def test_line_numbers_count_lines_of_the_file_not_records(catalog):
    text = ("\n\n" + HEADER + 'plan.t2.04,2021,1,"a note\nover two lines"\n\nplan.t2.04,2022,x,\n')
    result = parse_actuals_csv(text, catalog)
    assert [p.line for p in result.problems] == [7]
    with pytest.raises(GisIOError, match="line 3: no indicator column"):
        parse_actuals_csv("\n\nfoo,bar\n", catalog)


@pytest.mark.parametrize(("encoding", "sep"), [("utf-8-sig", ","), ("utf-8", ";"), ("gbk", ","),
                                               ("gb18030", "\t"), ("utf-16", "\t")])
def test_encodings_offices_use(catalog, tmp_path, encoding, sep):
    text = sep.join(["指标名称", "年份", "数值", "备注"]) + "\r\n" + sep.join(["有效发明专利", "2021年", "7,350", "区统计局"]) + "\r\n"
    if sep == ",":
        text = text.replace("7,350", '"7,350"')
    path = write(tmp_path, f"{encoding}.csv", text.encode(encoding))
    result = read_actuals_csv(path, catalog)
    assert [(a.indicator_id, a.year, a.value, a.note) for a in result.actuals] == [
        ("plan.t2.04", 2021, 7350.0, "区统计局")]


def test_excel_separator_line_is_followed(catalog):
    result = parse_actuals_csv("sep=;\r\nindicator_id;year;value\r\nplan.t2.04;2021;7.5\r\nplan.t2.04;x;1\r\n", catalog)
    assert [(a.year, a.value) for a in result.actuals] == [(2021, 7.5)]
    assert [p.line for p in result.problems] == [4]


def test_a_damaged_utf8_file_is_reported_not_read_as_gbk(catalog, tmp_path):
    good = ("指标名称,年份,数值,备注\n" + "有效发明专利,2021,7350,区统计局公报\n" * 3).encode("utf-8")
    path = write(tmp_path, "cut.csv", good + "有效发明专利,2022,8120,区".encode()[:-1])
    with pytest.raises(GisIOError, match=r"^cut\.csv: line 5: the text is not valid UTF-8"):
        read_actuals_csv(path, catalog)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"\r\n \r\n,,,\r\n", "the file is empty"),
    (codecs.BOM_UTF8, "the file is empty"),
    (HEADER.encode(), "has a header (line 1) but no data rows"),
    (b"indicator_id,year,value\n\n,,\n", "has a header (line 1) but no data rows"),
    (b"indicator_id,year,value\nplan.t2.04,2021,\x001\n", "line 2: the file holds NUL bytes"),
    (bytes(range(256)) * 4, "line 1: the file holds NUL bytes"),
    (bytes(range(1, 256)) * 4, "neither UTF-8 nor GBK"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "line 3: the file holds NUL bytes"),
    ("指标名称,年份,数值\n".encode("gbk") + b"\x81\x20\xff\n", "line 2: the file is neither UTF-8 nor GBK"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "NUL bytes"),  # an .xlsx sent as .csv
])
def test_files_that_hold_no_table_are_refused(catalog, tmp_path, data, message):
    path = write(tmp_path, "sent.csv", data)
    with pytest.raises(GisIOError, match=re.escape(message)) as error:
        read_actuals_csv(path, catalog)
    assert str(error.value).startswith("sent.csv: ")


def test_a_folder_and_a_missing_file_are_refused(catalog, tmp_path):
    with pytest.raises(GisIOError, match="not a regular file"):
        read_actuals_csv(tmp_path, catalog)
    with pytest.raises(GisIOError, match="cannot be read"):
        read_actuals_csv(tmp_path / "missing.csv", catalog)


def test_a_fifo_is_refused_at_once_instead_of_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "actuals.csv"
    os.mkfifo(fifo)
    code = ("import sys\nfrom gisapp.io.actuals_csv import read_actuals_csv\n"
            "from gisapp.io.catalogue import load_catalogue\nfrom gisapp.io.errors import GisIOError\n"
            "try:\n    read_actuals_csv(sys.argv[1], load_catalogue().indicators)\n"
            "except GisIOError as exc:\n    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 0, done.stderr
    assert "actuals.csv: not a regular file" in done.stdout


def test_very_many_columns_and_a_long_note_are_read(catalog):
    header = "indicator_id,year,value,note," + ",".join(f"extra{i}" for i in range(20_000)) + "\n"
    row = "plan.t2.04,2021,7350," + "n" * 100_000 + "," + ",".join("1" for _ in range(20_000)) + "\n"
    result = parse_actuals_csv(header + row, catalog)
    assert [(a.year, a.value, len(a.note)) for a in result.actuals] == [(2021, 7350.0, 100_000)]


def test_a_refused_file_leaves_the_project_unchanged(bundled_project, tmp_path):
    bundled_project.indicators.actuals.set_value("plan.t2.04", 2021, 7350)
    bundled_project.set_modified(False)
    before = bundled_project.indicators.actuals.records()
    path = write(tmp_path, "bad.csv", HEADER + "plan.t2.04,2021,1,\nplan.t2.04,2022,2," + "x" * 200_000 + "\n")
    with pytest.raises(GisIOError):
        load_actuals(bundled_project, str(path))
    assert bundled_project.indicators.actuals.records() == before
    assert not bundled_project.modified


def test_the_command_line_prints_strict_json_and_names_the_bad_lines(tmp_path, capsys):
    path = write(tmp_path, "a.csv", HEADER + "plan.t2.04,2021,inf,\nplan.t2.04,2022,1e308,\n"
                                            "plan.t2.04,2023,8120,\nplan.t2.04,2021.9,1,\n")
    assert main(["indicators", "--json", "--actuals", str(path)]) == 0
    out, err = capsys.readouterr()

    def refuse(constant):
        raise AssertionError(f"non-JSON constant {constant} in the output")

    data = json.loads(out, parse_constant=refuse)
    [patents] = [i for i in data["indicators"] if i["id"] == "plan.t2.04"]
    assert [(a["year"], a["value"]) for a in patents["actuals"]] == [(2023, 8120.0)]
    assert "a.csv: line 2:" in err and "a.csv: line 3:" in err and "a.csv: line 5:" in err
    assert "Traceback" not in err


def test_the_command_line_refuses_a_broken_file_with_one_line(tmp_path, capsys):
    path = write(tmp_path, "b.csv", HEADER + "plan.t2.04,2021," + "9" * 150_000 + ",\n")
    assert main(["indicators", "--json", "--actuals", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("gisapp: error: b.csv: line 2: a cell is longer") and err.count("\n") == 1


# --- properties ----------------------------------------------------------------------------------
CELLS = st.one_of(
    st.sampled_from(["plan.t2.04", "plan.t2.01", "有效发明专利", "技术合同成交总额", "", " ", "全区",
                     "2021", "2021.9", "2021.0", "2022年", "1800", "nan", "inf", "-inf", "1e400", "1e308",
                     "7,350", "３.８", "12%", "—", '"', '""', "\r", "\n", ";", "\t", "\x00", "\ufeff"]),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
)
HEADERS = st.lists(st.sampled_from(["indicator_id", "name", "指标名称", "year", "年份", "value", "数值", "note",
                                    "feature_id", "2021", "2022年", "1800", "unit", "junk", ""]),
                   min_size=1, max_size=8)


@st.composite
def csv_texts(draw) -> str:
    sep = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(HEADERS)
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 2), max_size=8))
    lines = [sep.join(header)] + [sep.join(row) for row in rows]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=300), csv_texts()))
def test_random_csv_text_gives_sound_actuals_or_a_gis_error(catalog, text):
    try:
        result = parse_actuals_csv(text, catalog)
    except GisIOError:
        return
    assert_sound(result)
    assert all(problem.line >= 1 for problem in result.problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300), csv_texts().map(lambda t: t.encode("gb18030", "replace")),
                      csv_texts().map(lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"))))
def test_random_bytes_in_a_file_give_sound_actuals_or_a_gis_error(catalog, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("csv") / "random.csv"
    path.write_bytes(data)
    try:
        result = read_actuals_csv(path, catalog)
    except GisIOError as exc:
        assert str(exc).startswith("random.csv: ")
        return
    assert_sound(result)
