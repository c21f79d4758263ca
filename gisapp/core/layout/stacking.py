"""A map frame above a short indicator table takes the room the table's rows leave (no Qt).

A zone sheet's table is sized for the zone with the most indicators; most zones have one to
three, which left the lower third of their page empty. Each page is laid out again: the
table shrinks to its rows, and the map frame stacked right above it (same column) grows
down by as much, with the items placed on the lower half of the map (the scale bar).
"""

from __future__ import annotations

from collections.abc import Mapping

from gisapp.core.layout.items import Layout, LayoutItem

COLUMN_TOLERANCE_MM = 1.0
MAX_GAP_MM = 8.0  # a table further below the map than this is not stacked under it
MIN_GROWTH_MM = 1.0


def _stacked_map(layout: Layout, table: LayoutItem) -> LayoutItem | None:
    for item in layout.items_of("map"):
        bottom = item.y + item.height
        if abs(item.x - table.x) <= COLUMN_TOLERANCE_MM and abs(item.width - table.width) <= COLUMN_TOLERANCE_MM \
                and 0 <= table.y - bottom <= MAX_GAP_MM:
            return item
    return None


def _on_lower_half(item: LayoutItem, frame: LayoutItem) -> bool:
    inside = frame.x <= item.x and item.x + item.width <= frame.x + frame.width + 0.01 and \
        frame.y <= item.y and item.y + item.height <= frame.y + frame.height + 0.01
    return inside and item.y >= frame.y + frame.height / 2


def fit_maps_to_tables(layout: Layout, needed_mm: Mapping[str, float]) -> Layout:
    """``layout``, or a copy where each indicator table (``needed_mm``: the height its rows
    take) under a map frame is that high and the map grows into the room left.

    >>> from gisapp.core.layout.templates import zone_sheet
    >>> sheet = zone_sheet()
    >>> fitted = fit_maps_to_tables(sheet, {"indicator_table": 20.0})
    >>> table, frame = fitted.item("indicator_table"), fitted.item("map")
    >>> round(table.height, 1), round(frame.height - sheet.item("map").height, 1)
    (20.0, 68.5)
    >>> round(table.y + table.height, 1) == round(sheet.item("indicator_table").y + sheet.item("indicator_table").height, 1)
    True
    """
    fitted: Layout | None = None
    for table in layout.items_of("indicator_table"):
        needed = needed_mm.get(table.id)
        frame = _stacked_map(layout, table)
        if needed is None or frame is None or table.height - needed < MIN_GROWTH_MM:
            continue
        if fitted is None:
            fitted = Layout.from_dict(layout.to_dict())
        growth = table.height - needed
        new_frame, new_table = fitted.item(frame.id), fitted.item(table.id)
        for item in fitted.items:
            if item is not new_frame and _on_lower_half(item, frame):
                item.y += growth
        new_frame.height += growth
        new_table.y += growth
        new_table.height = needed
    return fitted or layout
