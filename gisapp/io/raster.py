"""Raster files: GeoTIFF (Cloud-Optimized with overviews included), PNG/JPEG with world files.

:func:`open_raster` is the one entry: it refuses what is not a regular file, opens the file
with rasterio, checks that it is a raster gisapp can place and draw (a georeference, a sane
size, real numbers), decides the CRS as vector files do (the file's own, from ``.aux.xml``
beside a world file, given by the caller, or assumed/guessed from the coordinates and said in
the layer's :class:`~gisapp.core.model.load_report.LoadReport`) and reads a small overview for
the default stretch (2nd-98th percentile). Nothing stays open: rasterio datasets are not
thread-safe, so :func:`read_view` (render thread) and :func:`pixel_values` (identify) open the
file for each call and GDAL's block cache keeps repeated reads cheap.

:func:`read_view` warps only what a view shows into the view's CRS with GDAL's warper
(``WarpedVRT`` with the view's own transform and size), from the overview level whose pixels
are just finer than the view's (:func:`overview_level_for`), and colours it: RGB(A) bands as
they are (8-bit) or stretched, one band through a matplotlib colormap between the style's
limits. Nodata and pixels outside the raster come back transparent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gisapp.core.geo.crs_checks import decide_crs
from gisapp.core.geo.geodesy import transformer
from gisapp.core.model.load_report import (
    CRS_ASSUMED,
    CRS_DECLARED,
    CRS_GUESSED,
    CRS_SET,
    LoadReport,
)
from gisapp.core.model.raster_layer import (
    DEFAULT_STRETCH_PERCENT,
    RasterInfo,
    RasterLayer,
    RasterStyle,
)
from gisapp.io.errors import GisIOError
from gisapp.io.file_checks import ensure_regular_file

RASTER_SUFFIXES = (".tif", ".tiff", ".png", ".jpg", ".jpeg")
WORLD_FILE_SUFFIXES = {".png": (".pgw", ".pngw", ".wld"), ".jpg": (".jgw", ".jpgw", ".wld"),
                       ".jpeg": (".jgw", ".jpegw", ".wld"), ".tif": (".tfw", ".tifw", ".wld"),
                       ".tiff": (".tfw", ".tiffw", ".wld")}
MAX_SIDE = 10_000_000  # pixels: beyond this a header is lying (GDAL's GeoTIFF limit is 2^32)
MAX_PIXELS_WITHOUT_OVERVIEWS = 1_000_000_000  # drawing would read the whole file at every zoom out
STATS_SIDE = 1024  # the default stretch is read from an overview about this size
SUPPORTED_DTYPES = ("uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "float64", "int64", "uint64")


def is_raster_path(path: str | Path) -> bool:
    return Path(path).suffix.lower() in RASTER_SUFFIXES


def _rasterio() -> Any:
    import rasterio  # heavy (GDAL): imported when a raster is first opened

    return rasterio


def _crs_text(crs: Any) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else str(crs.to_wkt())


def world_file_of(path: Path) -> Path | None:
    for suffix in WORLD_FILE_SUFFIXES.get(path.suffix.lower(), ()):
        for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
            if candidate.exists():
                return candidate
    return None


def open_raster(path: str | Path, crs: str | None = None, layer_id: str | None = None) -> RasterLayer:
    """A RasterLayer for the file at ``path``; GisIOError naming the file and the problem.

    ``crs`` is used when the file names none (a world file without ``.aux.xml``), or replaces
    the file's own when the user set it.

    >>> open_raster("/nonexistent.tif")
    Traceback (most recent call last):
    ...
    gisapp.io.errors.GisIOError: nonexistent.tif: the file does not exist
    """
    path = Path(path)
    ensure_regular_file(path)
    world = world_file_of(path)
    if world is not None:
        try:
            ensure_regular_file(world)  # a pipe named .pgw would make GDAL wait
        except GisIOError as exc:
            raise GisIOError(path, f"its world file {world.name} cannot be used: {exc.problem}") from None
    rasterio = _rasterio()
    from rasterio.errors import RasterioError, RasterioIOError

    try:
        with rasterio.Env(GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR" if world is None else "FALSE"), \
                rasterio.open(path) as src:
            report = LoadReport(source=str(path), layer=path.stem)
            info = _describe(src, path, crs, report)
            report.crs = info.crs
            report.features_read = 0
    except GisIOError:
        raise
    except RasterioIOError as exc:
        raise GisIOError(path, _gdal_problem(str(exc))) from None
    except (RasterioError, ValueError, MemoryError, OverflowError) as exc:
        raise GisIOError(path, f"the raster cannot be read ({_gdal_problem(str(exc))})") from None
    mode = info.default_mode
    style = RasterStyle(mode=mode, ramp="Greys_r" if info.count == 1 and info.dtype == "uint8" else "viridis")
    return RasterLayer(id=layer_id or _layer_id(path), title_zh=path.stem, title_en=path.stem, path=str(path),
                       info=info, style=style, load_report=report)


def _layer_id(path: Path) -> str:
    stem = "".join(ch if ch.isalnum() else "_" for ch in path.stem.lower()).strip("_")
    return f"raster_{stem or 'image'}"


def _gdal_problem(message: str) -> str:
    text = message.strip().splitlines()[0] if message.strip() else "GDAL could not read it"
    lowered = text.lower()
    if "not recognized as" in lowered or "not recognised as" in lowered:
        return "this is not a raster file GDAL can read (not a GeoTIFF, PNG or JPEG)"
    if any(word in lowered for word in ("truncat", "read error", "short read", "tiffreaddirectory",
                                        "failed to read", "ireadblock failed")):
        return f"the file is damaged or truncated ({text})"
    return text


def _describe(src: Any, path: Path, crs: str | None, report: LoadReport) -> RasterInfo:
    width, height, count = int(src.width), int(src.height), int(src.count)
    if width <= 0 or height <= 0 or count <= 0:
        raise GisIOError(path, "the raster has no pixels or no bands")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise GisIOError(path, f"the raster says it is {width} x {height} pixels, which is not believable "
                               "(a damaged header?)")
    dtype = str(src.dtypes[0])
    if dtype not in SUPPORTED_DTYPES or len(set(src.dtypes)) > 1:
        raise GisIOError(path, f"bands of type {', '.join(sorted(set(map(str, src.dtypes))))} cannot be drawn "
                               "(only integer and real numbers, the same type in every band)")
    overviews = tuple(int(f) for f in src.overviews(1))
    if width * height > MAX_PIXELS_WITHOUT_OVERVIEWS and not overviews:
        raise GisIOError(path, f"the raster is {width} x {height} pixels without overviews; drawing it would read "
                               "the whole file at every zoom. Build overviews first (gdaladdo) or save it as a "
                               "Cloud-Optimized GeoTIFF")
    transform = src.transform
    if src.gcps[0] and transform.is_identity:
        raise GisIOError(path, "the raster is placed by ground control points only; warp it first "
                               "(the georeferencer or gdalwarp) to open it")
    if transform.is_identity and src.crs is None:
        hints = ", ".join(WORLD_FILE_SUFFIXES.get(path.suffix.lower(), (".wld",)))
        raise GisIOError(path, f"the image has no georeference: no placement in the file and no world file "
                               f"({hints}) beside it")
    if not all(math.isfinite(v) for v in tuple(transform)[:6]) or transform.a == 0 or transform.e == 0:
        raise GisIOError(path, "the raster's placement is not usable (a pixel size of zero or not a number)")
    if transform.b != 0 or transform.d != 0:
        raise GisIOError(path, "the raster is rotated; warp it to north-up first (gdalwarp)")
    bounds = tuple(float(v) for v in src.bounds)
    left, bottom, right, top = bounds
    native = src.crs
    if crs is not None:
        chosen, how = crs, CRS_SET
    elif native is not None:
        chosen, how = _crs_text(native), CRS_DECLARED
    else:
        decision = decide_crs("EPSG:4326", CRS_ASSUMED, np.array([[left, bottom, right, top]]))
        if decision.crs is None:
            raise GisIOError(path, f"the world file places the image at {left:.6g}, {bottom:.6g}, which no CRS "
                                   "gisapp knows fits; save a .aux.xml or .prj with its CRS beside it")
        chosen, how = decision.crs, decision.how
        if how == CRS_GUESSED:
            from gisapp.core.geo.crs_checks import crs_name

            report.warn("crs_guessed", crs=chosen, crs_name=crs_name(chosen))
        else:
            report.warn("no_crs")
    report.crs_how = how
    try:
        transformer(chosen, "EPSG:4326").transform_bounds(left, bottom, right, top)
    except Exception as exc:
        raise GisIOError(path, f"the raster's CRS cannot be used ({exc})") from None
    names = tuple(str(d) if d else "" for d in src.descriptions)
    nodata = src.nodata
    interp = [str(getattr(c, "name", c)) for c in src.colorinterp]
    alpha = interp.index("alpha") + 1 if "alpha" in interp else 0
    photometric = "rgb" if interp[:3] == ["red", "green", "blue"] else ""
    stretch = _default_stretch(src, path, overviews)
    return RasterInfo(width=width, height=height, count=count, dtype=dtype, crs=chosen, bounds=(left, bottom, right, top),
                      band_names=names, nodata=None if nodata is None else float(nodata),
                      overviews=overviews, stretch=stretch, alpha_band=alpha, photometric=photometric)


def _default_stretch(src: Any, path: Path, overviews: tuple[int, ...]) -> tuple[tuple[float, float], ...]:
    """Per band, the 2nd and 98th percentiles of the valid pixels of a small overview."""
    scale = max(src.width, src.height) / STATS_SIDE
    out_h, out_w = max(1, round(src.height / max(scale, 1))), max(1, round(src.width / max(scale, 1)))
    from rasterio.enums import Resampling

    data = src.read(out_shape=(src.count, out_h, out_w), masked=True, resampling=Resampling.nearest)
    limits = []
    for band in range(src.count):
        values = np.ma.compressed(data[band]).astype(np.float64, copy=False)
        values = values[np.isfinite(values)]
        if len(values) == 0:
            limits.append((0.0, 1.0))
            continue
        low, high = (float(v) for v in np.percentile(values, DEFAULT_STRETCH_PERCENT))
        if not high > low:
            low, high = float(values.min()), float(values.max())
            if not high > low:
                low, high = low - 0.5, high + 0.5
        limits.append((low, high))
    return tuple(limits)


# --- views -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RasterView:
    """A view's pixels, ready to draw: ``rgba`` (height, width, 4) uint8, straight alpha."""

    rgba: np.ndarray
    overview_level: int  # -1: full resolution; else the index into the file's overviews


def overview_level_for(info: RasterInfo, extent: tuple[float, float, float, float], crs: str,
                       width: int, height: int) -> int:
    """The coarsest overview whose pixels are still no larger than the view's (-1: full resolution).

    >>> info = RasterInfo(4096, 4096, 1, "uint8", "EPSG:3857", (0.0, 0.0, 4096.0, 4096.0), ("",), None,
    ...                   (2, 4, 8), ((0.0, 255.0),))
    >>> overview_level_for(info, (0.0, 0.0, 4096.0, 4096.0), "EPSG:3857", 512, 512)
    2
    >>> overview_level_for(info, (0.0, 0.0, 1024.0, 1024.0), "EPSG:3857", 512, 512)
    0
    >>> overview_level_for(info, (0.0, 0.0, 100.0, 100.0), "EPSG:3857", 512, 512)
    -1
    """
    if not info.overviews:
        return -1
    try:
        west, south, east, north = transformer(crs, info.crs).transform_bounds(*extent, densify_pts=11)
    except Exception:
        return -1
    native_x = (info.bounds[2] - info.bounds[0]) / info.width
    native_y = (info.bounds[3] - info.bounds[1]) / info.height
    view_x, view_y = (east - west) / max(width, 1), (north - south) / max(height, 1)
    if not all(math.isfinite(v) and v > 0 for v in (view_x, view_y, native_x, native_y)):
        return -1
    factor = min(view_x / native_x, view_y / native_y)
    level = -1
    for index, overview in enumerate(info.overviews):
        if overview <= factor:
            level = index
    return level


def read_view(layer_path: str, info: RasterInfo, style: RasterStyle, extent: tuple[float, float, float, float],
              crs: str, width: int, height: int, limits: tuple[float, float] | None = None) -> RasterView | None:
    """The raster's pixels warped into the view (``extent`` in ``crs``, ``width`` x ``height``);
    None when the view does not meet the raster. GisIOError if the file cannot be read now."""
    if width <= 0 or height <= 0:
        return None
    rasterio = _rasterio()
    from rasterio.enums import Resampling
    from rasterio.errors import RasterioError
    from rasterio.transform import from_bounds
    from rasterio.vrt import WarpedVRT

    level = overview_level_for(info, extent, crs, width, height)
    options: dict[str, Any] = {} if level < 0 else {"overview_level": level}
    bands = _bands(info, style)
    try:
        with rasterio.open(layer_path, **options) as src:
            if src.width != (info.width if level < 0 else src.width) or src.count != info.count:
                raise GisIOError(layer_path, "the file changed since it was opened; open it again")
            vrt_options: dict[str, Any] = {
                "crs": crs, "transform": from_bounds(*extent, width, height), "width": width, "height": height,
                "resampling": Resampling.nearest}
            if src.crs is None or _crs_text(src.crs) != info.crs:
                vrt_options["src_crs"] = info.crs
            if info.nodata is not None:
                vrt_options["src_nodata"] = info.nodata
                vrt_options["nodata"] = info.nodata
            if not info.alpha_band:
                vrt_options["add_alpha"] = True
            with WarpedVRT(src, **vrt_options) as vrt:
                alpha_index = info.alpha_band or vrt.count
                data = vrt.read(bands)
                alpha = vrt.read(alpha_index)
    except GisIOError:
        raise
    except (RasterioError, ValueError, MemoryError) as exc:
        raise GisIOError(layer_path, _gdal_problem(str(exc))) from None
    if not alpha.any():
        return None
    return RasterView(colourise(data, alpha, info, style, limits), level)


def _bands(info: RasterInfo, style: RasterStyle) -> list[int]:
    if style.mode == "rgb" and info.count >= 3:
        return [1, 2, 3]
    return [min(max(style.band, 1), info.count)]


def colourise(data: np.ndarray, alpha: np.ndarray, info: RasterInfo, style: RasterStyle,
              limits: tuple[float, float] | None = None) -> np.ndarray:
    """(bands, h, w) values and (h, w) alpha -> (h, w, 4) uint8 RGBA.

    >>> info = RasterInfo(2, 1, 1, "float32", "EPSG:4326", (0.0, 0.0, 2.0, 1.0), ("",), None, (), ((0.0, 10.0),))
    >>> colourise(np.array([[[0.0, 10.0]]]), np.array([[255, 255]]), info, RasterStyle(ramp="Greys_r"))[0].tolist()
    [[0, 0, 0, 255], [255, 255, 255, 255]]
    """
    height, width = data.shape[1:]
    rgba = np.empty((height, width, 4), dtype=np.uint8)
    values = data.astype(np.float64, copy=False)
    if len(data) >= 3:
        for channel in range(3):
            if info.dtype == "uint8":
                rgba[..., channel] = data[channel]
            else:
                low, high = info.stretch[channel] if channel < len(info.stretch) else (0.0, 255.0)
                rgba[..., channel] = _scaled(values[channel], low, high)
    else:
        import matplotlib

        try:
            colormap = matplotlib.colormaps[style.ramp]
        except KeyError:
            colormap = matplotlib.colormaps["viridis"]
        band = min(max(style.band, 1), info.count)
        low, high = limits or (info.stretch[band - 1] if info.stretch else (0.0, 255.0))
        if style.vmin is not None:
            low = style.vmin
        if style.vmax is not None:
            high = style.vmax
        norm = (values[0] - low) / (high - low) if high > low else np.zeros_like(values[0])
        rgba[...] = colormap(np.nan_to_num(np.clip(norm, 0.0, 1.0)), bytes=True)
        alpha = np.where(np.isfinite(values[0]), alpha, 0)
    rgba[..., 3] = alpha
    return rgba


def _scaled(values: np.ndarray, low: float, high: float) -> np.ndarray:
    if not high > low:
        return np.zeros(values.shape, dtype=np.uint8)
    return (np.clip((values - low) / (high - low), 0.0, 1.0) * 255 + 0.5).astype(np.uint8)


# --- identify --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PixelValue:
    band: int
    name: str
    value: float | int | None  # None: nodata (or masked by the alpha band)


def pixel_values(layer: RasterLayer, x: float, y: float, crs: str) -> list[PixelValue] | None:
    """Every band's value at the map point (``crs``); None when the point is off the raster."""
    rasterio = _rasterio()
    from rasterio.errors import RasterioError
    from rasterio.windows import Window

    try:
        rx, ry = transformer(crs, layer.info.crs).transform(x, y)
    except Exception:
        return None
    if not (math.isfinite(rx) and math.isfinite(ry)):
        return None
    try:
        with rasterio.open(layer.path) as src:
            row, col = src.index(rx, ry)
            if not (0 <= row < src.height and 0 <= col < src.width):
                return None
            window = Window(col, row, 1, 1)
            values = src.read(window=window)[:, 0, 0]
            masks = src.read_masks(window=window)[:, 0, 0]
    except (RasterioError, ValueError) as exc:
        raise GisIOError(layer.path, _gdal_problem(str(exc))) from None
    result = []
    for band in range(1, len(values) + 1):
        value = values[band - 1].item()
        missing = bool(masks[band - 1] == 0) or _is_nodata(value, layer.info.nodata)
        result.append(PixelValue(band, layer.band_name(band), None if missing else value))
    return result


def _is_nodata(value: float | int, nodata: float | None) -> bool:
    if nodata is None:
        return False
    if math.isnan(nodata):
        return isinstance(value, float) and math.isnan(value)
    return bool(value == nodata)
