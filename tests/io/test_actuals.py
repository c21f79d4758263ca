"""Monitoring values survive the project GeoPackage and CSV, in the forms offices send."""

import sqlite3

import pyogrio
import pytest

from gisapp.core.plan.actuals import Actual
from gisapp.core.plan.monitoring import assess
from gisapp.io.actuals_csv import (
    feature_names,
    parse_actuals_csv,
    read_actuals_csv,
    write_actuals_csv,
)
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import ACTUALS_TABLE, load_project, save_project

RECORDS = [
    Actual("plan.t2.04", 2021, 7350, "", "统计公报"),
    Actual("plan.t2.04", 2022, 8120.5),
    Actual("plan.t2.01", 2021, 8.1),
    Actual("plan.t2.09", 2023, 640, "hitech.cluster.huangnichuan", "per cluster"),
    Actual("plan.t1.09", 2022, None, "", "达到大连市要求"),
]


def test_actuals_round_trip_through_the_project_geopackage(bundled_project, tmp_path):
    bundled_project.indicators.actuals.update(RECORDS)
    assert bundled_project.modified
    path = tmp_path / "plan.gpkg"
    save_project(bundled_project, path)
    assert ACTUALS_TABLE in {name for name, _ in pyogrio.list_layers(path)}
    reopened = load_project(path)
    assert reopened.indicators.actuals.records() == bundled_project.indicators.actuals.records()
    assert not reopened.modified
    progress = assess(reopened.indicators.get("plan.t2.04"), reopened.indicators.actuals)
    assert (progress.value, progress.year) == (8120.5, 2022)
    # Editing actuals marks the reopened project as modified.
    reopened.indicators.actuals.set_value("plan.t2.04", 2023, 8800)
    assert reopened.modified


def test_a_project_saved_before_actuals_existed_still_opens(bundled_project, tmp_path):
    path = tmp_path / "old.gpkg"
    bundled_project.indicators.actuals.update(RECORDS)
    save_project(bundled_project, path)
    with sqlite3.connect(path) as db:  # make it look like a file from before the actuals table
        db.execute(f"drop table {ACTUALS_TABLE}")
        for table in ("gpkg_contents", "gpkg_ogr_contents"):
            db.execute(f"delete from {table} where table_name = ?", (ACTUALS_TABLE,))
    reopened = load_project(path)
    assert len(reopened.indicators.actuals) == 0
    assert len(reopened.layers) == len(bundled_project.layers)


def test_empty_actuals_save_and_load(bundled_project, tmp_path):
    path = tmp_path / "empty.gpkg"
    save_project(bundled_project, path)
    assert len(load_project(path).indicators.actuals) == 0


def test_csv_round_trip_long_and_wide(bundled_project, tmp_path):
    catalog = bundled_project.indicators
    catalog.actuals.update(RECORDS)
    for layout in ("long", "wide"):
        path = write_actuals_csv(tmp_path / f"{layout}.csv", catalog, layout=layout)
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
        result = read_actuals_csv(path, catalog, feature_names(bundled_project))
        assert result.problems == []
        numeric = sorted((a for a in RECORDS if a.value is not None), key=lambda a: a.key)
        got = sorted((a for a in result.actuals if a.value is not None), key=lambda a: a.key)
        assert [(a.key, a.value) for a in got] == [(a.key, float(a.value)) for a in numeric]


def test_statistics_office_form_in_chinese_and_gbk(bundled_project, tmp_path):
    catalog = bundled_project.indicators
    text = ("指标名称,单位,2021年,2022年,2023年,备注\n"
            "有效发明专利,件,\"7,350\",8120,,区统计局\n"
            "技术合同成交总额,亿元,150.2,171,,\n"         # also a table 1 name: table 2 wins
            "登记失业率,%,3.6%,３.８,,\n"                  # full-width digits
            "不存在的指标,家,1,2,3,\n"
            "有效高新技术企业数,家,1100,不详,,\n")
    path = tmp_path / "office.csv"
    path.write_bytes(text.encode("gbk"))
    result = read_actuals_csv(path, catalog)
    assert result.layout == "wide"
    values = {(a.indicator_id, a.year): a.value for a in result.actuals}
    assert values[("plan.t2.04", 2021)] == 7350
    assert values[("plan.t2.05", 2022)] == 171
    assert values[("plan.t2.16", 2022)] == 3.8
    assert values[("plan.t2.09", 2021)] == 1100
    assert [(p.line, p.message_en) for p in result.problems] == [
        (5, "no indicator has the id or name '不存在的指标'"),
        (6, "the 2022 value '不详' is not a number"),
    ]
    assert "不存在的指标" in result.problems[0].message("zh")
    assert "2 rows were not imported" in result.summary("en")


def test_long_form_with_zone_names_and_bad_rows(bundled_project):
    catalog = bundled_project.indicators
    text = ("indicator_id;zone;year;value;note\n"
            "plan.t2.09;黄泥川新兴产业组团;2023;640;\n"
            "plan.t2.09;Atlantis;2023;5;\n"
            "plan.t2.09;;twenty;5;\n"
            "plan.t2.09;;2023;;\n"
            "研发经费投入增长;;2023;9.5;ambiguous name\n")
    result = parse_actuals_csv(text, catalog, feature_names(bundled_project))
    assert [(a.indicator_id, a.feature_id, a.year, a.value) for a in result.actuals] == [
        ("plan.t2.09", "hitech.cluster.huangnichuan", 2023, 640.0),
        ("plan.t2.03", "", 2023, 9.5)]
    assert [p.line for p in result.problems] == [3, 4, 5]
    assert "Atlantis" in result.problems[0].message_en
    assert "no value" in result.problems[2].message_en


def test_unusable_files_say_why(bundled_project, tmp_path):
    catalog = bundled_project.indicators
    with pytest.raises(GisIOError, match="indicator column"):
        parse_actuals_csv("a,b\n1,2\n", catalog)
    with pytest.raises(GisIOError, match="year and value"):
        parse_actuals_csv("indicator_id,value\nplan.t2.04,1\n", catalog)
    with pytest.raises(GisIOError, match="cannot be read"):
        read_actuals_csv(tmp_path / "missing.csv", catalog)
