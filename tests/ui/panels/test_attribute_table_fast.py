"""The attribute table's fast paths (cached columns, cheap numeric test) show and sort
exactly what the previous model did."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from PySide6.QtCore import Qt

from gisapp.core.model.layer import VectorLayer
from gisapp.ui.panels.attribute_table import FrameTableModel


def _layer(n: int = 3000) -> VectorLayer:
    rng = np.random.default_rng(1)
    frame = gpd.GeoDataFrame({
        "name": [f"地块 {i}" if i % 13 else None for i in rng.permutation(n)],
        "code": [str(v) for v in rng.integers(0, 50, n)],  # numbers written as text
        "mixed": [str(v) if i % 7 else "n/a" for i, v in enumerate(rng.integers(0, 50, n))],
        "late_text": [str(v) for v in rng.integers(0, 9, n - 1)] + ["x"],  # only the last isn't a number
        "count": rng.integers(-5, 5, n),
        "far": np.where(rng.random(n) < 0.1, np.nan, rng.uniform(0, 4, n).round(2)),
        "nullable": pd.array([None if i % 5 == 0 else int(v) for i, v in enumerate(rng.integers(0, 9, n))],
                             dtype="Int64"),
        "flag": rng.random(n) < 0.5,
        "when": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D"),
    }, geometry=shapely.points(rng.uniform(0, 1, n), rng.uniform(0, 1, n)), crs="EPSG:4326")
    return VectorLayer("t", "t", "t", frame)


def _old_order(frame: pd.DataFrame, column: str, rows: np.ndarray, descending: bool) -> np.ndarray:
    """The previous model's sort, verbatim."""
    series = frame[column].iloc[rows]
    numeric = pd.to_numeric(series, errors="coerce")
    keys = numeric if numeric.notna().sum() == series.notna().sum() else series.astype("string")
    positions = np.argsort(keys.to_numpy(na_value=np.nan) if keys is numeric
                           else keys.fillna("").to_numpy(dtype=object), kind="stable")
    if descending:
        positions = positions[::-1]
    return rows[positions]


@pytest.mark.parametrize("descending", [False, True])
def test_sorting_every_kind_of_column_gives_the_previous_order(qtbot, descending):
    layer = _layer()
    model = FrameTableModel(layer)
    rows = np.arange(len(layer.frame))
    for column_index, column in enumerate(model.columns):
        model.sort(column_index, Qt.DescendingOrder if descending else Qt.AscendingOrder)
        expected = _old_order(layer.frame, column, rows, descending)
        assert model.order.tolist() == expected.tolist(), column


def test_filtered_sort_and_cells_match_pandas(qtbot):
    layer = _layer()
    model = FrameTableModel(layer)
    model.set_filter("1", "code")
    model.sort(model.columns.index("far"))
    rows = np.flatnonzero(layer.frame["code"].str.contains("1").to_numpy())
    assert model.order.tolist() == _old_order(layer.frame, "far", rows, False).tolist()
    for row in (0, 5, len(model.order) - 1):
        for column_index, column in enumerate(model.columns):
            value = layer.frame[column].iat[int(model.order[row])]
            text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
            assert model.index(row, column_index).data() == text


def test_cells_follow_a_replaced_frame(qtbot):
    layer = _layer(50)
    model = FrameTableModel(layer)
    column = model.columns.index("count")
    assert model.index(3, column).data() == str(layer.frame["count"].iat[3])
    frame = layer.frame.copy()
    frame["count"] = frame["count"] + 100
    layer.set_frame(frame)
    assert model.index(3, column).data() == str(frame["count"].iat[3])
    assert model.view_rows(np.array([7, 3])).tolist() == [7, 3]
