"""Declared dates, booleans and integers are written back as such, unless the values no longer fit."""

import sqlite3
from contextlib import closing

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from gisapp.io.field_types import FIELD_TYPES, frame_for_writing
from gisapp.io.vector import read_layer


def _declared(path, table):
    with closing(sqlite3.connect(path)) as connection:
        return {row[1]: row[2] for row in connection.execute(f'PRAGMA table_info("{table}")')}


def test_a_geopackage_round_trip_keeps_dates_booleans_and_nullable_integers(tmp_path):
    source = tmp_path / "typed.gpkg"
    frame = gpd.GeoDataFrame({
        "day": pd.Series([pd.Timestamp("2021-03-01").date(), None], dtype=object),
        "ok": pd.array([True, None], dtype="boolean"), "floors": pd.array([5, None], dtype="Int32"),
        "edited": pd.array([1, None], dtype="Int64"), "at": pd.to_datetime(["2021-03-01 08:30", None]),
    }, geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs="EPSG:4326")
    pyogrio.write_dataframe(frame, source, layer="t", driver="GPKG", use_arrow=True)
    read, _report = read_layer(source, "t")
    assert read.attrs[FIELD_TYPES] == {"day": "date", "ok": "boolean", "floors": "Int32", "edited": "Int64"}
    read.loc[0, "edited"] = 2.5  # the user typed a real into an integer field: it stays a real

    written, needs_arrow = frame_for_writing(read)
    assert needs_arrow
    target = tmp_path / "out.gpkg"
    pyogrio.write_dataframe(written, target, layer="t", driver="GPKG", use_arrow=needs_arrow)
    assert _declared(target, "t") == {"fid": "INTEGER", "geom": "POLYGON", "day": "DATE", "ok": "BOOLEAN",
                                      "floors": "MEDIUMINT", "edited": "REAL", "at": "DATETIME"}
    again, _report = read_layer(target, "t")
    assert again["day"].tolist()[0] == pd.Timestamp("2021-03-01") and pd.isna(again["day"].tolist()[1])
    assert again["edited"].tolist()[0] == 2.5


def test_a_frame_without_declared_types_is_written_as_it_is():
    frame = gpd.GeoDataFrame({"n": [1.0, None]}, geometry=[shapely.Point(0, 0)] * 2, crs="EPSG:4326")
    assert frame_for_writing(frame) == (frame, False)
