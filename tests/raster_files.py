"""Synthetic rasters with known pixel values and placement, written with rasterio into tmp_path.

``quadrants``: a 600 x 400 float32 GeoTIFF over the Hi-tech Zone in EPSG:4326, whose four
quadrants hold 10 (north-west), 20 (north-east), 30 (south-west) and nodata (south-east,
-9999); optionally tiled with overviews (a Cloud-Optimized layout: the driver "COG" writes
them). ``rgb_png``: a PNG with a world file and no CRS. The helpers return the path.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.enums import Resampling
from rasterio.transform import from_origin

QUADRANT_ORIGIN = (121.40, 39.00)  # west, north
QUADRANT_PIXEL = 0.0005  # degrees
QUADRANT_SIZE = (600, 400)  # width, height
NODATA = -9999.0
# One lon/lat point inside each quadrant, and its value (None: nodata).
QUADRANT_POINTS = {(121.45, 38.97): 10.0, (121.65, 38.97): 20.0, (121.45, 38.83): 30.0, (121.65, 38.83): None}


def quadrant_values() -> np.ndarray:
    width, height = QUADRANT_SIZE
    data = np.empty((height, width), dtype=np.float32)
    data[: height // 2, : width // 2] = 10
    data[: height // 2, width // 2:] = 20
    data[height // 2:, : width // 2] = 30
    data[height // 2:, width // 2:] = NODATA
    return data


def quadrants(path: Path, overviews: bool = False, cog: bool = False) -> Path:
    width, height = QUADRANT_SIZE
    profile = dict(width=width, height=height, count=1, dtype="float32", crs="EPSG:4326",
                   transform=from_origin(*QUADRANT_ORIGIN, QUADRANT_PIXEL, QUADRANT_PIXEL), nodata=NODATA)
    data = quadrant_values()
    if cog:
        # A COG: GDAL's COG driver writes tiles and overviews in the cloud-optimized order.
        memory = path.with_suffix(".src.tif")
        with rasterio.open(memory, "w", driver="GTiff", **profile) as dst:
            dst.write(data, 1)
            dst.set_band_description(1, "elevation")
        with rasterio.open(memory) as src:
            rasterio.shutil.copy(src, path, driver="COG", OVERVIEW_RESAMPLING="NEAREST", BLOCKSIZE=256)
        memory.unlink()
        return path
    with rasterio.open(path, "w", driver="GTiff", tiled=True, blockxsize=256, blockysize=256, **profile) as dst:
        dst.write(data, 1)
        dst.set_band_description(1, "elevation")
        if overviews:
            dst.build_overviews([2, 4, 8], Resampling.nearest)
    return path


def rgb_png(path: Path, west: float = 121.50, north: float = 38.90, pixel: float = 0.001,
            world_file: bool = True) -> Path:
    """A 100 x 80 PNG: red left half, blue right half; a .pgw places it in lon/lat."""
    data = np.zeros((3, 80, 100), dtype=np.uint8)
    data[0, :, :50] = 255
    data[2, :, 50:] = 255
    with rasterio.open(path, "w", driver="PNG", width=100, height=80, count=3, dtype="uint8") as dst:
        dst.write(data)
    for extra in path.parent.glob(path.name + ".aux.xml"):
        extra.unlink()  # the PNG driver notes a missing CRS there; a world file on its own is the case
    if world_file:
        path.with_suffix(".pgw").write_text(f"{pixel}\n0\n0\n{-pixel}\n{west + pixel / 2}\n{north - pixel / 2}\n")
    return path
