"""Georeferenced images written by GDAL (rasterio), and QGIS ``.points`` control-point files.

The fit itself is :mod:`gisapp.core.geo.georef`. Here an image is read, warped and written:

- ``affine`` keeps every pixel and writes a GeoTIFF with a geotransform when the fit is
  north-up; a rotated or sheared fit is warped north-up (as order 1, the same fit), because
  raster layers refuse rotated grids. A world file beside the image keeps the rotation;
- ``poly1``, ``poly2`` and ``tps`` go through GDAL's warper with the GCP polynomial of that
  order (``SRC_METHOD=GCP_POLYNOMIAL``, ``MAX_GCP_ORDER``) or the thin-plate spline
  (``SRC_METHOD=GCP_TPS``) into a north-up GeoTIFF with an alpha band outside the image.

QGIS's georeferencer keeps its points in ``IMAGE.points`` beside the image::

    #CRS: <WKT of the map positions' CRS>
    mapX,mapY,sourceX,sourceY,enable,dX,dY,residual
    121.55,38.95,50,-50,1,0.1,-0.2,0.2236

``sourceY`` is the row *negated* (QGIS shows the image with y growing upwards), ``enable`` is
1 or 0, and dX, dY, residual are the last residuals in pixels (QGIS ignores them on reading).
QGIS before 3.26 wrote ``pixelX,pixelY`` in the header, and very old files used tabs: both read.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS

from gisapp.core.geo.georef import ControlPoint, Fit, GeorefError, fit_points, reproject_points
from gisapp.io.atomic import atomic_path
from gisapp.io.errors import GisIOError

POINTS_HEADER = "mapX,mapY,sourceX,sourceY,enable,dX,dY,residual"
MAX_POINTS_FILE_BYTES = 16 * 1024 * 1024
MAX_WARP_BYTES = 2 * 1024 ** 3  # the image is warped in memory: a scan of 2 GB decoded at most
WORLD_FILE_SUFFIXES = {".png": ".pgw", ".jpg": ".jgw", ".jpeg": ".jgw", ".tif": ".tfw", ".tiff": ".tfw",
                       ".gif": ".gfw", ".bmp": ".bpw"}


@dataclass(frozen=True)
class ImageInfo:
    path: Path
    width: int
    height: int
    bands: int


@dataclass(frozen=True)
class GeorefResult:
    path: Path
    fit: Fit
    width: int
    height: int
    crs: str


def points_path(image: str | Path) -> Path:
    """Where QGIS looks for an image's points: ``IMAGE.EXT.points``."""
    image = Path(image)
    return image.with_name(image.name + ".points")


def world_file_path(image: str | Path) -> Path:
    image = Path(image)
    return image.with_suffix(WORLD_FILE_SUFFIXES.get(image.suffix.lower(), ".wld"))


def _number(value: float) -> str:
    """Shortest text that reads back to the same float (as QGIS's qgsDoubleToString)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def write_points(path: str | Path, points: Sequence[ControlPoint], crs: str, fit: Fit | None = None) -> None:
    """Write QGIS's ``.points`` file atomically (map positions in ``crs``)."""
    wkt = CRS.from_user_input(crs).to_wkt()
    lines = [f"#CRS: {wkt}", POINTS_HEADER]
    residuals = fit.residuals if fit is not None and len(fit.residuals) == len(points) else None
    for i, p in enumerate(points):
        dx = dy = 0.0
        if residuals is not None:
            dx, dy = residuals[i].dx_px, residuals[i].dy_px
        lines.append(",".join([_number(p.map_x), _number(p.map_y), _number(p.pixel_x), _number(-p.pixel_y),
                               "1" if p.enabled else "0", _number(dx), _number(dy),
                               _number(math.hypot(dx, dy))]))
    with atomic_path(path) as temp:
        temp.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_points(path: str | Path, default_crs: str = "EPSG:4326") -> tuple[list[ControlPoint], str]:
    """The points of a ``.points`` file and the CRS of their map positions.

    Raises :class:`GisIOError` naming the file and the line for anything malformed.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_POINTS_FILE_BYTES:
            raise GisIOError(path, f"is {size // 1024 // 1024} MB; a points file is a few kilobytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise GisIOError(path, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GisIOError(path, "is not UTF-8 text; is it a points file?") from exc
    lines = text.splitlines()
    crs = default_crs
    start = 0
    if lines and lines[0].startswith("#CRS:"):
        definition = lines[0][len("#CRS:"):].strip()
        if definition:
            try:
                parsed = CRS.from_user_input(definition)
            except Exception as exc:  # noqa: BLE001 - pyproj raises CRSError and others
                raise GisIOError(path, f"line 1: the CRS is not one PROJ knows ({exc})") from exc
            code = parsed.to_authority(min_confidence=90)
            crs = f"{code[0]}:{code[1]}" if code else parsed.to_wkt()
        start = 1
    if start < len(lines) and lines[start].strip().lower().startswith("mapx"):
        start += 1
    points: list[ControlPoint] = []
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip():
            continue
        cells = line.split(",") if "," in line else line.split("\t")
        if len(cells) < 4:
            raise GisIOError(path, f"line {number}: expected mapX,mapY,sourceX,sourceY, found {line[:80]!r}")
        try:
            map_x, map_y, source_x, source_y = (float(cell) for cell in cells[:4])
            enabled = int(float(cells[4])) != 0 if len(cells) >= 5 and cells[4].strip() else True
        except ValueError:
            raise GisIOError(path, f"line {number}: not numbers: {line[:80]!r}") from None
        if not all(math.isfinite(v) for v in (map_x, map_y, source_x, source_y)):
            raise GisIOError(path, f"line {number}: a coordinate is not a finite number")
        points.append(ControlPoint(source_x, -source_y, map_x, map_y, enabled))
    return points, crs


def image_info(path: str | Path) -> ImageInfo:
    """Size and band count of an image GDAL can read; GisIOError otherwise."""
    import rasterio
    from rasterio.errors import NotGeoreferencedWarning, RasterioIOError

    path = Path(path)
    if not path.is_file():
        raise GisIOError(path, "is not a file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            with rasterio.open(path) as src:
                return ImageInfo(path, int(src.width), int(src.height), int(src.count))
    except RasterioIOError as exc:
        raise GisIOError(path, f"is not an image GDAL can read ({exc})") from exc


def read_preview(path: str | Path, max_side: int = 4096) -> tuple[np.ndarray, float]:
    """The image as an (rows, cols, 4) uint8 RGBA array no larger than ``max_side``, and
    the factor from preview pixels to image pixels (for showing it in a dialog)."""
    import rasterio
    from rasterio.enums import ColorInterp, Resampling
    from rasterio.errors import NotGeoreferencedWarning, RasterioIOError

    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            with rasterio.open(path) as src:
                scale = max(1.0, max(src.width, src.height) / max_side)
                rows, cols = max(1, round(src.height / scale)), max(1, round(src.width / scale))
                data = src.read(out_shape=(src.count, rows, cols), resampling=Resampling.average)
                interp = list(src.colorinterp)
                colormap = src.colormap(1) if interp and interp[0] == ColorInterp.palette else None
    except (RasterioIOError, ValueError) as exc:
        raise GisIOError(path, f"is not an image GDAL can read ({exc})") from exc
    return _as_rgba(data, interp, colormap), src.width / cols


def _as_rgba(data: np.ndarray, interp: list[Any], colormap: dict[int, tuple[int, ...]] | None) -> np.ndarray:
    from rasterio.enums import ColorInterp

    bands, rows, cols = data.shape
    out = np.full((rows, cols, 4), 255, dtype=np.uint8)
    if colormap is not None:
        lut = np.zeros((256, 4), dtype=np.uint8)
        for index, colour in colormap.items():
            if 0 <= index < 256:
                lut[index] = (tuple(colour) + (255,) * 4)[:4]
        return lut[np.clip(data[0], 0, 255).astype(np.intp)]
    scaled = _to_bytes(data)
    if bands >= 3:
        out[..., :3] = np.moveaxis(scaled[:3], 0, -1)
    else:
        out[..., :3] = scaled[0][..., None]
    alpha = next((i for i, c in enumerate(interp) if c == ColorInterp.alpha), None)
    if alpha is not None:
        out[..., 3] = scaled[alpha]
    return out


def _to_bytes(data: np.ndarray) -> np.ndarray:
    if data.dtype == np.uint8:
        return data
    finite = data[np.isfinite(data)] if data.dtype.kind == "f" else data
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    span = (high - low) or 1.0
    return np.clip((np.nan_to_num(data.astype(float), nan=low) - low) / span * 255, 0, 255).astype(np.uint8)


def _gcps(points: Sequence[ControlPoint]) -> list[Any]:
    """GDAL GCPs of the enabled points. z must be a number: rasterio writes a missing z
    as the text "None" into the VRT it warps from, and GDAL then finds no transform."""
    from rasterio.control import GroundControlPoint

    return [GroundControlPoint(row=p.pixel_y, col=p.pixel_x, x=p.map_x, y=p.map_y, z=0.0)
            for p in points if p.enabled]


def _opaque(dtype: np.dtype[Any]) -> float:
    """The alpha value of a fully opaque pixel in a band of ``dtype``."""
    return float(np.iinfo(dtype).max) if dtype.kind in "ui" else 1.0


def _warp_options(kind: str) -> dict[str, Any]:
    if kind == "tps":
        return {"SRC_METHOD": "GCP_TPS"}
    return {"SRC_METHOD": "GCP_POLYNOMIAL", "MAX_GCP_ORDER": {"poly1": 1, "poly2": 2}[kind]}


def georeference(image: str | Path, points: Sequence[ControlPoint], points_crs: str, kind: str,
                 out: str | Path, out_crs: str = "EPSG:4326", *, resampling: str = "bilinear",
                 cancelled: Callable[[], bool] | None = None) -> GeorefResult:
    """Fit ``kind`` on the points and write ``out`` (a GeoTIFF in ``out_crs``), atomically.

    The map positions are given in ``points_crs`` and carried into ``out_crs`` first, so the
    fit, the residuals and the output grid are all in the output CRS.
    """
    import rasterio
    from rasterio.enums import ColorInterp, Resampling
    from rasterio.errors import NotGeoreferencedWarning, RasterioIOError
    from rasterio.transform import Affine
    from rasterio.warp import calculate_default_transform, reproject

    image, out = Path(image), Path(out)
    if out.resolve() == image.resolve():
        raise GisIOError(out, "is the image itself; write the GeoTIFF to another file")
    target_points = reproject_points(points, points_crs, out_crs)
    fit = fit_points(target_points, kind, out_crs)
    method = Resampling[resampling]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            with rasterio.open(image) as src:
                size = src.width * src.height * src.count * np.dtype(src.dtypes[0]).itemsize
                if size > MAX_WARP_BYTES:
                    raise GisIOError(image, f"is {size // 1024 ** 2:,} MB decoded, more than gisapp warps "
                                            f"({MAX_WARP_BYTES // 1024 ** 2:,} MB); scan it at a lower resolution")
                data = src.read()
                interp = list(src.colorinterp)
                nodata = src.nodata
                colormap = src.colormap(1) if interp and interp[0] == ColorInterp.palette else None
                width, height = src.width, src.height
    except RasterioIOError as exc:
        raise GisIOError(image, f"is not an image GDAL can read ({exc})") from exc
    if colormap is not None:  # a palette is expanded: the warp interpolates colours, not indices
        data = np.moveaxis(_as_rgba(data, interp, colormap), -1, 0)
        interp = [ColorInterp.red, ColorInterp.green, ColorInterp.blue, ColorInterp.alpha]
    has_alpha = ColorInterp.alpha in interp
    crs = CRS.from_user_input(out_crs)
    profile: dict[str, Any] = {"driver": "GTiff", "crs": crs.to_wkt(), "compress": "deflate",
                               "tiled": True, "dtype": data.dtype.name}
    a, b, c, d, e, f = fit.affine_coefficients() if kind == "affine" else (1.0, 0.0, 0.0, 0.0, -1.0, 0.0)
    # A rotated or sheared affine is warped north-up (as order 1, which is the same fit):
    # raster layers, gisapp's included, refuse rotated grids. A north-up one keeps every pixel.
    north_up = abs(b) <= 1e-9 * abs(a) and abs(d) <= 1e-9 * abs(e)
    if kind == "affine" and north_up:
        out_data, transform = data, Affine(a, b, c, d, e, f)
        out_interp = interp
    else:
        gcps = _gcps(target_points)
        options = _warp_options("poly1" if kind == "affine" else kind)
        try:
            transform, dst_width, dst_height = calculate_default_transform(
                crs, crs, width, height, gcps=gcps, **options)
        except Exception as exc:  # noqa: BLE001 - GDAL's errors (CPLE_*) share no public base class
            raise GeorefError(f"GDAL finds no output grid for these points ({exc})") from exc
        if dst_width * dst_height > 40000 * 40000:
            raise GeorefError("the transform spreads the image over more than 40000 x 40000 pixels: "
                              "check the points")
        bands = [data[i] for i in range(data.shape[0])]
        if not has_alpha:
            bands.append(np.full((height, width), _opaque(data.dtype), dtype=data.dtype))
        out_data = np.zeros((len(bands), dst_height, dst_width), dtype=data.dtype)
        for i, band in enumerate(bands):
            if cancelled is not None and cancelled():
                raise InterruptedError("georeferencing cancelled")
            try:
                reproject(band, out_data[i], gcps=gcps, src_crs=crs, dst_transform=transform, dst_crs=crs,
                          resampling=method, src_nodata=nodata, dst_nodata=0, **options)
            except Exception as exc:  # noqa: BLE001 - GDAL's errors (CPLE_*) share no public base class
                raise GisIOError(image, f"GDAL could not warp it ({exc})") from exc
        out_interp = (interp if has_alpha else interp + [ColorInterp.alpha])
    profile.update(width=out_data.shape[2], height=out_data.shape[1], count=out_data.shape[0],
                   transform=transform)
    if profile["count"] in (3, 4) and data.dtype == np.uint8 and ColorInterp.red in out_interp:
        profile["photometric"] = "RGB"
    if out_interp and out_interp[-1] == ColorInterp.alpha:
        profile["alpha"] = "YES"  # GTiff keeps an alpha band only as a creation option
    if cancelled is not None and cancelled():
        raise InterruptedError("georeferencing cancelled")
    with atomic_path(out) as temp:
        with rasterio.open(temp, "w", **profile) as dst:
            dst.write(out_data)
            if len(out_interp) == out_data.shape[0]:
                dst.colorinterp = out_interp
    return GeorefResult(out, fit, int(out_data.shape[2]), int(out_data.shape[1]), out_crs)


def write_world_file(image: str | Path, fit: Fit) -> Path:
    """The affine fit as a world file beside the image (pixel-centre origin, as ESRI reads)."""
    a, b, c, d, e, f = fit.affine_coefficients()
    path = world_file_path(image)
    lines = [a, d, b, e, c + 0.5 * (a + b), f + 0.5 * (d + e)]
    with atomic_path(path) as temp:
        temp.write_text("\n".join(f"{v:.12f}" for v in lines) + "\n", encoding="ascii")
    return path


__all__ = ["GeorefError", "GeorefResult", "ImageInfo", "georeference", "image_info", "points_path",
           "read_points", "read_preview", "world_file_path", "write_points", "write_world_file"]
