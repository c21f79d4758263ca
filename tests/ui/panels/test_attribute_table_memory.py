"""The attribute table of a large layer holds no Python object per row of a text column:
a million-row layer's names as Python strings cost about 100 MB for as long as the table is
open (the window's memory goal, issue 17)."""

import tracemalloc

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import Qt

from gisapp.core.model.layer import VectorLayer
from gisapp.ui.panels.attribute_table import FrameTableModel

ROWS = 200_000


def _layer() -> VectorLayer:
    rng = np.random.default_rng(3)
    uses = np.array(["R2 residential", "M1 industrial", "G1 park"])
    frame = gpd.GeoDataFrame({
        "name": [f"地块 {i}" for i in rng.permutation(ROWS)],
        "land_use": uses[rng.integers(0, 3, ROWS)],
        "far": rng.uniform(0.5, 4, ROWS).round(2),
    }, geometry=shapely.points(rng.uniform(0, 1, ROWS), rng.uniform(0, 1, ROWS)), crs="EPSG:4326")
    assert frame["name"].dtype.storage == "pyarrow"  # pandas' text columns, as the reader gives them
    return VectorLayer("t", "t", "t", frame)


def _screen(model: FrameTableModel) -> list[list[str]]:
    """What the view asks for on one screen: each cell's text, tooltip and alignment."""
    cells = []
    for row in range(40):
        texts = []
        for column in range(model.columnCount()):
            index = model.index(row, column)
            texts.append(model.data(index, Qt.DisplayRole))
            model.data(index, Qt.ToolTipRole)
            model.data(index, Qt.TextAlignmentRole)
        cells.append(texts)
    return cells


def test_showing_and_sorting_text_columns_allocates_no_python_string_per_row(qapp):
    layer = _layer()
    tracemalloc.start()
    try:
        model = FrameTableModel(layer)
        first = _screen(model)
        model.sort(model.columns.index("name"), Qt.AscendingOrder)
        by_name = _screen(model)
        model.sort(model.columns.index("land_use"), Qt.DescendingOrder)
        by_use = _screen(model)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The order (8 bytes a row) and Arrow's sort indices, a few MB; one str per row of a
    # column would be about 15 MB.
    assert peak < 8 * 2**20, f"{peak / 2**20:.1f} MB traced"
    frame = layer.frame
    assert first[0] == [frame["name"].iat[0], frame["land_use"].iat[0], str(frame["far"].iat[0])]
    names = sorted(frame["name"])
    assert [row[0] for row in by_name] == names[:40]
    # Descending is the reverse of the stable ascending order, as before.
    expected = np.argsort(frame["land_use"].to_numpy(dtype=object), kind="stable")[::-1][:40]
    assert [row[0] for row in by_use] == frame["name"].to_numpy(dtype=object)[expected].tolist()
