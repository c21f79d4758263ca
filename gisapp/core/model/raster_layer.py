"""RasterLayer: an image on the map (GeoTIFF, COG, PNG/JPEG with a world file) in the layer tree.

Like :class:`~gisapp.core.model.tile_layer.TileLayer` it has no features: identify asks the
pixel values instead, and whatever needs features never sees it. The file is described, not
opened: ``gisapp.io.raster`` reads what a view needs (warped to the canvas CRS, from the
overview level that view needs) and the pixel under a click. The model keeps what the file
said once (:class:`RasterInfo`) and how to colour it (:class:`RasterStyle`).

>>> style = RasterStyle.from_dict({"mode": "ramp", "ramp": "terrain", "vmin": 0, "vmax": 50})
>>> style.to_dict()
{'mode': 'ramp', 'band': 1, 'ramp': 'terrain', 'vmin': 0.0, 'vmax': 50.0}
>>> RasterStyle.from_dict({"mode": "ramp", "vmin": 5, "vmax": 1})
Traceback (most recent call last):
...
ValueError: raster style: vmin (5.0) must be below vmax (1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

from gisapp.core.events import Signal
from gisapp.core.geo.geodesy import transformer
from gisapp.core.model.layer_state import ShownLayer
from gisapp.core.model.load_report import LoadReport

RASTER_MODES = ("rgb", "ramp")
# Colour ramps offered in the style dialog: matplotlib colormap names (any other name
# matplotlib knows is accepted too; the reader checks it).
RAMPS = ("viridis", "magma", "terrain", "gist_earth", "Greys_r", "RdYlGn", "Spectral_r", "Blues")
DEFAULT_STRETCH_PERCENT = (2.0, 98.0)


@dataclass(frozen=True)
class RasterStyle:
    """How pixel values become colours.

    ``rgb``: bands 1-3 as red, green and blue (8-bit bands as they are, others stretched
    between each band's default limits). ``ramp``: ``band`` through the matplotlib colormap
    ``ramp`` from ``vmin`` to ``vmax``; ``None`` takes the layer's default stretch (the 2nd and
    98th percentiles of the valid pixels).
    """

    mode: str = "ramp"
    band: int = 1
    ramp: str = "viridis"
    vmin: float | None = None
    vmax: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"mode": self.mode, "band": self.band, "ramp": self.ramp}
        if self.vmin is not None:
            data["vmin"] = self.vmin
        if self.vmax is not None:
            data["vmax"] = self.vmax
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RasterStyle:
        mode = str(data.get("mode", "ramp"))
        if mode not in RASTER_MODES:
            raise ValueError(f"raster style: mode must be one of {', '.join(RASTER_MODES)}, not {mode!r}")
        band = data.get("band", 1)
        if not isinstance(band, int) or isinstance(band, bool) or band < 1:
            raise ValueError(f"raster style: band must be a whole number from 1, not {band!r}")
        ramp = data.get("ramp", "viridis")
        if not isinstance(ramp, str) or not ramp.strip():
            raise ValueError("raster style: ramp must be a colormap name")
        limits = [_limit(data.get(name), name) for name in ("vmin", "vmax")]
        if limits[0] is not None and limits[1] is not None and not limits[0] < limits[1]:
            raise ValueError(f"raster style: vmin ({limits[0]}) must be below vmax ({limits[1]})")
        return cls(mode, band, ramp, limits[0], limits[1])


def _limit(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"raster style: {name} must be a finite number, not {value!r}")
    return float(value)


@dataclass(frozen=True)
class RasterInfo:
    """What the file said when it was opened: size, bands, placement and default stretch."""

    width: int
    height: int
    count: int
    dtype: str
    crs: str  # as the canvas names CRSs: "EPSG:4326", or WKT when no code fits
    bounds: tuple[float, float, float, float]  # in ``crs``
    band_names: tuple[str, ...]
    nodata: float | None
    overviews: tuple[int, ...]  # decimation factors of band 1's overviews, e.g. (2, 4, 8)
    stretch: tuple[tuple[float, float], ...]  # per band: the default (low, high) limits
    alpha_band: int = 0  # 1-based index of an alpha band, 0 if none
    photometric: str = ""  # "rgb" when bands 1-3 are red, green, blue

    @property
    def default_mode(self) -> str:
        return "rgb" if self.count >= 3 and (self.photometric == "rgb" or self.dtype == "uint8") else "ramp"


@dataclass
class RasterLayer(ShownLayer):
    """One raster in the layer tree (drawn in tree order like any layer)."""

    kind: ClassVar[str] = "raster"

    id: str
    title_zh: str
    title_en: str
    path: str
    info: RasterInfo
    style: RasterStyle = field(default_factory=RasterStyle)
    group: str = ""
    visible: bool = True
    opacity: float = 1.0
    metadata: dict[str, Any] = field(default_factory=dict)
    load_report: LoadReport | None = None

    def __post_init__(self) -> None:
        self.changed = Signal()  # emitted with a reason: "visibility", "opacity", "style"

    def set_style(self, style: RasterStyle) -> None:
        if style != self.style:
            self.style = style
            self.changed.emit("style")

    def set_source(self, info: RasterInfo, report: LoadReport | None) -> None:
        """The file read again (another CRS set by the user): its description replaces this one."""
        self.info, self.load_report = info, report
        self.changed.emit("source")

    def limits(self) -> tuple[float, float]:
        """The stretch of the ramp's band: the style's limits, else the file's default."""
        band = min(max(self.style.band, 1), self.info.count)
        low, high = self.info.stretch[band - 1] if self.info.stretch else (0.0, 255.0)
        return (low if self.style.vmin is None else self.style.vmin,
                high if self.style.vmax is None else self.style.vmax)

    def band_name(self, band: int) -> str:
        names = self.info.band_names
        return names[band - 1] if 0 < band <= len(names) and names[band - 1] else f"Band {band}"

    def bounds_in(self, crs: str) -> tuple[float, float, float, float] | None:
        """The raster's extent in ``crs`` (None if PROJ cannot take it there)."""
        try:
            west, south, east, north = transformer(self.info.crs, crs).transform_bounds(*self.info.bounds,
                                                                                         densify_pts=21)
        except Exception:  # a CRS PROJ cannot reach
            return None
        box = (float(west), float(south), float(east), float(north))
        return box if all(math.isfinite(v) for v in box) and box[0] < box[2] and box[1] < box[3] else None
