"""Where labels go, shared by the desktop renderer and the web export."""

from __future__ import annotations

import numpy as np
import shapely


def label_points(geoms: np.ndarray, family: str) -> np.ndarray:
    """Inside polygons, mid-way along each feature's longest line part, on points."""
    if family == "polygon":
        return shapely.point_on_surface(geoms)
    if family == "line":
        parts, index = shapely.get_parts(geoms, return_index=True)
        lengths = shapely.length(parts)
        order = np.lexsort((-lengths, index))  # per feature, longest part first
        first = np.unique(index[order], return_index=True)[1]
        longest = np.empty(len(geoms), dtype=object)
        longest[index[order][first]] = parts[order][first]
        return shapely.line_interpolate_point(longest, 0.5, normalized=True)
    return shapely.centroid(geoms)
