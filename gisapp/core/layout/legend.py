"""Legend content for print: the visible layers' style entries, laid out in columns (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

from gisapp.core.layout.frames import frame_layers
from gisapp.core.layout.items import LayoutItem
from gisapp.core.model.project import Project
from gisapp.core.model.style import SingleStyle, Symbol


@dataclass(frozen=True)
class LegendRow:
    """A layer heading (``symbol`` None) or one entry: its swatch symbol and label."""

    text: str
    symbol: Symbol | None
    family: str = "polygon"
    layer_id: str = ""


def legend_rows(project: Project, map_item: LayoutItem, lang: str) -> list[LegendRow]:
    """What the layer tree shows for the frame's layers, top layer first: a single-symbol
    layer is one row with its swatch; a categorized or graduated one a heading and its classes."""
    rows: list[LegendRow] = []
    for layer in reversed(frame_layers(map_item, project)):
        title = layer.title(lang)
        if isinstance(layer.style, SingleStyle):
            rows.append(LegendRow(title, layer.style.symbol, layer.geometry_family, layer.id))
            continue
        rows.append(LegendRow(title, None, layer.geometry_family, layer.id))
        rows += [LegendRow(entry.label(lang), entry.symbol, layer.geometry_family, layer.id)
                 for entry in layer.style.legend()]
    return rows


def legend_columns(rows: list[LegendRow], height_mm: float, row_mm: float | list[float], columns: int = 0
                   ) -> list[list[LegendRow]]:
    """Rows wrapped into columns that are ``height_mm`` high (rows ``row_mm`` high each, or
    one height per row when a long label takes two lines), or split evenly into ``columns``;
    a heading never ends a column without its first entry.

    >>> rows = [LegendRow(str(n), None if n % 3 == 0 else Symbol()) for n in range(7)]
    >>> [[r.text for r in c] for c in legend_columns(rows, 16.0, 5.0)]
    [['0', '1', '2'], ['3', '4', '5'], ['6']]
    >>> [[r.text for r in c] for c in legend_columns(rows, 16.0, [5, 10, 5, 5, 5, 5, 5])]
    [['0', '1'], ['2', '3', '4'], ['5', '6']]
    """
    if not rows:
        return []
    heights = [float(row_mm)] * len(rows) if isinstance(row_mm, int | float) else [float(h) for h in row_mm]
    if columns > 0:
        height_mm = max(height_mm, sum(heights) / columns)
    result: list[list[LegendRow]] = [[]]
    used = 0.0
    for number, row in enumerate(rows):
        column = result[-1]
        height = heights[number]
        heading_at_end = row.symbol is None and number + 1 < len(rows) and \
            used + height + heights[number + 1] > height_mm + 1e-9
        if column and (used + height > height_mm + 1e-9 or heading_at_end):
            result.append([])
            used = 0.0
        result[-1].append(row)
        used += height
    return result
