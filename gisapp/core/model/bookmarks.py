"""Spatial bookmarks: a named extent in a CRS, saved with the project (no Qt).

They are kept as QGIS keeps project bookmarks (``QgsBookmark``: id, name, group, extent
and its CRS), so gisapp writes them into the QGIS project it stores unchanged.

>>> b = Bookmark.from_dict({"id": "b1", "name": "科学城", "extent": [0, 0, 10, 5], "crs": "EPSG:3857"})
>>> b.extent, b.to_dict()["crs"]
((0.0, 0.0, 10.0, 5.0), 'EPSG:3857')
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any


class BookmarkError(ValueError):
    """A stored bookmark that cannot be used (the message says which part and why)."""


@dataclass(frozen=True)
class Bookmark:
    id: str
    name: str
    extent: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax in ``crs``
    crs: str
    group: str = ""

    @staticmethod
    def new(name: str, extent: tuple[float, float, float, float], crs: str) -> Bookmark:
        return Bookmark(f"gisapp_{uuid.uuid4().hex[:12]}", name, tuple(float(v) for v in extent), crs)  # type: ignore[arg-type]

    def renamed(self, name: str) -> Bookmark:
        return Bookmark(self.id, name, self.extent, self.crs, self.group)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "extent": list(self.extent), "crs": self.crs, "group": self.group}

    @staticmethod
    def from_dict(data: Any, where: str = "bookmark") -> Bookmark:
        """A bookmark from stored data; BookmarkError naming ``where`` and the problem."""
        if not isinstance(data, dict):
            raise BookmarkError(f"{where}: expected an object")
        ident, name, crs, group = (data.get(key, "") for key in ("id", "name", "crs", "group"))
        for key, value in (("id", ident), ("name", name), ("crs", crs), ("group", group)):
            if not isinstance(value, str):
                raise BookmarkError(f"{where}.{key}: expected text")
        if not ident or not crs:
            raise BookmarkError(f"{where}: an id and a CRS are needed")
        extent = data.get("extent")
        if (not isinstance(extent, list) or len(extent) != 4
                or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                           for v in extent)):
            raise BookmarkError(f"{where}.extent: expected four finite numbers")
        xmin, ymin, xmax, ymax = (float(v) for v in extent)
        if xmin >= xmax or ymin >= ymax:
            raise BookmarkError(f"{where}.extent: empty or inverted")
        return Bookmark(ident, name, (xmin, ymin, xmax, ymax), crs, group)


def default_name(existing: list[Bookmark], stem: str) -> str:
    """``stem 1``, ``stem 2``…: the first not yet used."""
    used = {b.name for b in existing}
    n = len(existing) + 1
    while f"{stem} {n}" in used:
        n += 1
    return f"{stem} {n}"
