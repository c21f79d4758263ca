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
