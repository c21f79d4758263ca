"""Snapping a dragged item to the margins, the page centre and the other items' edges (no Qt)."""

from __future__ import annotations

from gisapp.core.layout.items import Layout, LayoutItem

SNAP_MM = 2.0


def snap_targets(layout: Layout, moving_id: str) -> tuple[list[float], list[float]]:
    """x and y lines an item snaps to: margins, page centre and every other item's edges."""
    x0, y0, width, height = layout.page.content_mm
    xs = [x0, x0 + width, layout.page.width_mm / 2]
    ys = [y0, y0 + height, layout.page.height_mm / 2]
    for item in layout.items:
        if item.id != moving_id:
            xs += [item.x, item.x + item.width]
            ys += [item.y, item.y + item.height]
    return xs, ys


def _nearest(edges: list[float], targets: list[float], tolerance: float) -> float:
    """The shift that puts the edge nearest to a target onto it (0 if none is within ``tolerance``)."""
    best = 0.0
    best_distance = tolerance
    for edge in edges:
        for target in targets:
            distance = abs(target - edge)
            if distance <= best_distance:
                best, best_distance = target - edge, distance
    return best


def snapped_position(layout: Layout, item: LayoutItem, x: float, y: float,
                     tolerance: float = SNAP_MM) -> tuple[float, float]:
    """Where ``item`` lands when dragged to (x, y): its left, centre or right edge (top,
    middle or bottom) moved onto the nearest target line within ``tolerance`` mm.

    >>> from gisapp.core.layout.page import Page
    >>> layout = Layout("t", Page("A4", margin_mm=10), [LayoutItem("a", "text", 50, 50, 40, 10)])
    >>> snapped_position(layout, layout.items[0], 11.2, 80.0)  # left edge onto the margin
    (10.0, 80.0)
    """
    xs, ys = snap_targets(layout, item.id)
    dx = _nearest([x, x + item.width / 2, x + item.width], xs, tolerance)
    dy = _nearest([y, y + item.height / 2, y + item.height], ys, tolerance)
    return x + dx, y + dy


def snapped_size(layout: Layout, item: LayoutItem, width: float, height: float,
                 tolerance: float = SNAP_MM) -> tuple[float, float]:
    """The size when the bottom-right corner is dragged: that corner snaps like an edge."""
    xs, ys = snap_targets(layout, item.id)
    dx = _nearest([item.x + width], xs, tolerance)
    dy = _nearest([item.y + height], ys, tolerance)
    return max(5.0, width + dx), max(5.0, height + dy)
