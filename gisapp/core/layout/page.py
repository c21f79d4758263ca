"""Paper: ISO A sizes in millimetres, orientation and margins."""

from __future__ import annotations

from dataclasses import dataclass

# ISO 216 A series, portrait (width, height) in mm.
PAPER_SIZES_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
    "A2": (420.0, 594.0),
    "A1": (594.0, 841.0),
    "A0": (841.0, 1189.0),
}
MAX_MARGIN_MM = 100.0


@dataclass(frozen=True)
class Page:
    """One sheet: ``paper`` (A4..A0), ``landscape`` or portrait, ``margin_mm`` on every side.

    >>> Page("A3", landscape=True).size_mm
    (420.0, 297.0)
    >>> Page("A4").content_mm
    (10.0, 10.0, 190.0, 277.0)
    """

    paper: str = "A4"
    landscape: bool = False
    margin_mm: float = 10.0

    @property
    def size_mm(self) -> tuple[float, float]:
        width, height = PAPER_SIZES_MM[self.paper]
        return (height, width) if self.landscape else (width, height)

    @property
    def width_mm(self) -> float:
        return self.size_mm[0]

    @property
    def height_mm(self) -> float:
        return self.size_mm[1]

    @property
    def content_mm(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) inside the margins."""
        width, height = self.size_mm
        m = self.margin_mm
        return (m, m, width - 2 * m, height - 2 * m)
