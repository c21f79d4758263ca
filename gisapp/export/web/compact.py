"""Compact encodings for large layers in the web map (no Qt, no folium).

Layers above ``EncodeSettings.canvas_above`` features are drawn by the page on one canvas
straight from typed arrays (resources/web/js/canvas_layer.js, ``FastLayer``), so their
payload can be binary rather than JSON numbers:

- integers become LEB128 varints (7 bits a byte), base64 in the JSON string; signed
  deltas are zigzag-encoded first (0, -1, 1, -2 ... -> 0, 1, 2, 3), so a parcel's
  delta-encoded vertex costs about 2 bytes instead of ~9 characters of JSON;
- offsets are sent as lengths (small numbers), the page adds them up;
- text columns with few distinct values (land use) become a dictionary and one byte per
  feature;
- measures are whole metres and square metres (what the panel prints).

Everything is vectorised: no Python loop runs over features or vertices.
"""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import shapely


def varints(values: np.ndarray) -> bytes:
    """Non-negative integers as LEB128 varints."""
    v = np.asarray(values, dtype=np.uint64).ravel()
    if len(v) == 0:
        return b""
    # Bytes per value: 1 + number of further 7-bit groups.
    nbytes = np.ones(len(v), dtype=np.int64)
    rest = v >> np.uint64(7)
    while rest.any():
        nbytes += rest > 0
        rest >>= np.uint64(7)
    offsets = np.zeros(len(v) + 1, dtype=np.int64)
    np.cumsum(nbytes, out=offsets[1:])
    out = np.empty(int(offsets[-1]), dtype=np.uint8)
    for k in range(int(nbytes.max())):
        has = nbytes > k
        group = ((v[has] >> np.uint64(7 * k)) & np.uint64(0x7F)).astype(np.uint8)
        more = (nbytes[has] > k + 1).astype(np.uint8) << 7  # continuation bit
        out[offsets[:-1][has] + k] = group | more
    return out.tobytes()


def zigzag(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=np.int64)
    return ((v << 1) ^ (v >> 63)).astype(np.uint64)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def varint_b64(values: np.ndarray, signed: bool = False) -> str:
    return b64(varints(zigzag(values) if signed else values))


def delta_b64(coords: np.ndarray, precision: int) -> str:
    """(n, 2) coordinates -> integer steps of 10**-precision between consecutive
    vertices (x and y interleaved), zigzag varints, base64."""
    q = np.rint(np.asarray(coords, dtype=float) * 10.0 ** precision).astype(np.int64)
    deltas = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return varint_b64(deltas.ravel(), signed=True)


def encode_geometries_compact(geoms: np.ndarray, precision: int) -> dict | None:
    """Ragged arrays like ``webdata.encode_geometries`` but binary; None for layers that
    mix geometry families (they keep the GeoJSON fallback and the old renderer)."""
    try:
        kind, coords, offsets = shapely.to_ragged_array(geoms, include_z=False)
    except ValueError:
        return None
    kind = int(kind)
    out = {"t": kind, "b": 1}
    if kind in (int(shapely.GeometryType.POLYGON), int(shapely.GeometryType.MULTIPOLYGON)) and len(coords):
        ring_offsets = offsets[0]
        keep = np.ones(len(coords), dtype=bool)
        keep[ring_offsets[1:] - 1] = False  # rings repeat their first vertex; the page closes them
        coords = coords[keep]
        offsets = (ring_offsets - np.arange(len(ring_offsets)), *offsets[1:])
        out["open"] = 1
    out["n"] = int(len(coords))
    out["c"] = delta_b64(coords, precision)
    out["o"] = [varint_b64(np.diff(o)) for o in offsets]
    out["on"] = [int(len(o) - 1) for o in offsets]
    return out


def compact_column(values: list) -> list | dict:
    """A column of display strings: a dictionary and one byte per feature when it has few
    distinct values, else the list as it is."""
    if len(values) < 1000:
        return values
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    if len(uniques) > 255 or len(uniques) * 8 > len(values):
        return values
    return {"d": [str(u) for u in uniques], "k": b64(codes.astype(np.uint8).tobytes())}


def compact_symbols(symbol_index: np.ndarray, n_symbols: int) -> dict | list:
    if n_symbols <= 256:
        return {"k": b64(symbol_index.astype(np.uint8).tobytes())}
    return symbol_index.tolist()


def compact_measure(values: np.ndarray) -> dict:
    """Whole metres or square metres (what the info panel prints) as varints."""
    whole = np.rint(np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)).astype(np.int64)
    return {"v": varint_b64(np.maximum(whole, 0)), "n": int(len(whole))}


def compact_points(coords: np.ndarray, precision: int) -> dict:
    return {"b": delta_b64(coords, precision), "n": int(len(coords))}
