"""A GeoPackage layer is read from one Arrow stream (GDAL fills batches without the GIL), with
the frames and reports the skip_features reads gave; the old reads take over when it fails."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from gisapp.io import vector
from gisapp.io.vector import ReadProgress, read_layer
from tests import broken_files

ROWS = 23


@pytest.fixture
def typed_file(tmp_path):
    """Dates, datetimes, booleans and integers with gaps, text with None, one damaged blob."""
    frame = gpd.GeoDataFrame({
        "day": pd.Series([pd.Timestamp("2021-03-01").date() if i % 4 else None for i in range(ROWS)], dtype=object),
        "at": pd.to_datetime([f"2021-03-01 08:{i:02d}" if i % 5 else None for i in range(ROWS)]),
        "ok": pd.array([bool(i % 2) if i % 3 else None for i in range(ROWS)], dtype="boolean"),
        "all_ok": [bool(i % 2) for i in range(ROWS)],
        "floors": pd.array([i if i % 6 else None for i in range(ROWS)], dtype="Int32"),
        "n": list(range(ROWS)), "far": [i / 10 for i in range(ROWS)],
        "name": [f"地块 {i}" if i % 7 else None for i in range(ROWS)],
    }, geometry=[shapely.box(121.5 + i * 0.01, 38.9, 121.505 + i * 0.01, 38.905) for i in range(ROWS)],
        crs="EPSG:4326")
    path = tmp_path / "typed.gpkg"
    import pyogrio

    pyogrio.write_dataframe(frame, path, layer="zones", driver="GPKG", use_arrow=True, SPATIAL_INDEX="NO")
    broken_files.set_blob(path, 9, b"GP\x00\x01\x00\x00\x00\x00\xde\xad\xbe\xef")
    return path


def _read_with_skip_features(monkeypatch, path, chunk):
    with monkeypatch.context() as patch:
        patch.setattr(vector, "_geopackage_chunks", lambda path, layer, size, total: vector._gdal_chunks(
            path, layer, vector.KIND_GEOPACKAGE, None, size, total))
        return read_layer(path, "zones", ReadProgress(chunk))


@pytest.mark.parametrize("chunk", [4, 5000])
def test_the_stream_reads_what_skip_features_reads(typed_file, monkeypatch, chunk):
    expected, expected_report = _read_with_skip_features(monkeypatch, typed_file, chunk)

    def no_fallback(*args, **kwargs):
        raise AssertionError("the stream fell back to skip_features reads")
        yield  # pragma: no cover

    monkeypatch.setattr(vector, "_gdal_chunks", no_fallback)
    frame, report = read_layer(typed_file, "zones", ReadProgress(chunk))
    assert_geodataframe_equal(frame, expected)
    assert report.to_dict() == expected_report.to_dict()
    assert [r.number for r in report.rejected] == [9]  # the damaged blob, named by its feature number
    assert frame.attrs == expected.attrs


def test_a_stream_that_fails_halfway_is_read_on_from_where_it_stopped(typed_file, monkeypatch):
    expected, expected_report = _read_with_skip_features(monkeypatch, typed_file, 4)
    real, batches = vector._arrow_read, []

    def fails_third(*args):
        batches.append(args[-1])
        if len(batches) == 3:
            raise OSError("the disk went away")
        return real(*args)

    monkeypatch.setattr(vector, "_arrow_read", fails_third)
    frame, report = read_layer(typed_file, "zones", ReadProgress(4))
    assert batches == [0, 4, 8]  # the stream read 8 features, the reads went on from the 9th
    assert_geodataframe_equal(frame, expected)
    assert report.to_dict() == expected_report.to_dict()


def test_reads_without_the_stream_go_on_from_the_last_fid(tmp_path, monkeypatch):
    """Chunk k must not step over the k chunks before it (skip_features did: the open grew
    with the square of the size). Counted as features GDAL was asked to skip or return; the
    fids have gaps, so a cursor that counted rows instead of fids would read wrong rows."""
    import sqlite3

    import pyogrio

    frame = gpd.GeoDataFrame({"n": list(range(30))}, crs="EPSG:4326",
                             geometry=[shapely.box(121.5 + i * 0.01, 38.9, 121.505 + i * 0.01, 38.905) for i in range(30)])
    path = tmp_path / "gaps.gpkg"
    pyogrio.write_dataframe(frame, path, layer="zones", driver="GPKG")
    with sqlite3.connect(path) as con:
        con.execute("DELETE FROM zones WHERE fid IN (3, 10, 11, 30)")
    whole = pyogrio.read_dataframe(path, layer="zones")
    real, reads = pyogrio.read_dataframe, []

    def counted(*args, **kwargs):
        got = real(*args, **kwargs)
        reads.append((kwargs.get("skip_features", 0), kwargs.get("where"), len(got)))
        return got

    monkeypatch.setattr(pyogrio, "read_dataframe", counted)
    read, _report = _read_with_skip_features(monkeypatch, path, 4)
    assert read["n"].tolist() == whole["n"].tolist()  # every feature once, in the file's order
    assert sum(skip + returned for skip, _where, returned in reads) == len(whole) == 26
    assert [where for _skip, where, _returned in reads][1:3] == ['"fid" > 5', '"fid" > 9']
