"""A hostile corpus of vector files, written to disk by the tests that use it.

Each :class:`Case` makes one file (or link, pipe, folder, ...) and says what gisapp must do
with it: refuse it with a message containing ``refused``, or load it with the given
warnings, rejected features and CRS decision. The file I/O tests open every case in-process,
the command-line tests run ``gisapp info`` on all of them, the window tests open some.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

# Places in the Dalian High-tech Zone (lon, lat).
DALIAN = [(121.52, 38.86), (121.55, 38.88), (121.58, 38.87), (121.50, 38.84), (121.60, 38.90), (121.53, 38.89)]
GK_ZONE41 = [(41543210.0, 4301234.0), (41544210.0, 4302234.0), (41545210.0, 4301734.0)]  # the numbers


def feature(geometry, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def point(x, y) -> dict:
    return {"type": "Point", "coordinates": [x, y]}


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(features, **members) -> dict:
    return {"type": "FeatureCollection", **members, "features": features}


def write_json(path: Path, data, *, raw: str | None = None, encoding: str = "utf-8") -> Path:
    # allow_nan writes the NaN / Infinity tokens broken files carry
    text = raw if raw is not None else json.dumps(data, ensure_ascii=False, allow_nan=True)
    path.write_bytes(text.encode(encoding))
    return path


def projected(epsg: int, lonlat=DALIAN) -> list[tuple[float, float]]:
    to = Transformer.from_crs(4326, epsg, always_xy=True)
    return [to.transform(lon, lat) for lon, lat in lonlat]


def dalian_frame(n: int = 3) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [f"zone {i}" for i in range(n)]},
                            geometry=[shapely.box(lon, lat, lon + 0.01, lat + 0.01) for lon, lat in DALIAN[:n]],
                            crs="EPSG:4326")


def write_gpkg(path: Path, frame: gpd.GeoDataFrame | None = None) -> Path:
    (frame if frame is not None else dalian_frame()).to_file(path, layer="zones", SPATIAL_INDEX="NO")
    return path


def set_blob(path: Path, fid: int, blob: bytes, table: str = "zones") -> None:
    with sqlite3.connect(path) as con:
        con.execute(f'UPDATE "{table}" SET geom = ? WHERE fid = ?', (blob, fid))


def gpkg_blob(wkb: bytes, srs_id: int = 4326) -> bytes:
    return b"GP" + bytes([0, 1]) + struct.pack("<i", srs_id) + wkb


def write_shapefile(path: Path, frame: gpd.GeoDataFrame | None = None, drop: tuple[str, ...] = ()) -> Path:
    (frame if frame is not None else dalian_frame()).to_file(path)
    for suffix in drop:
        path.with_suffix(suffix).unlink()
    return path


# --- the cases ---------------------------------------------------------------------------
@dataclass
class Case:
    name: str
    make: Callable[[Path], Path]  # writes into the folder, returns what to open
    refused: str = ""  # part of the error message; '' when the file loads
    features: int | None = None
    rejected: tuple[tuple[int, str], ...] = ()  # (feature number, code), all of them
    warnings: tuple[str, ...] = ()  # codes that must be among the warnings
    crs: str = ""
    crs_how: str = ""
    layers: int = 1
    kind: str = ""  # the class of the issue it belongs to

    def __str__(self) -> str:
        return self.name


def _nan_token(folder: Path) -> Path:
    good = ",".join(json.dumps(feature(point(lon, lat), n=i)) for i, (lon, lat) in enumerate(DALIAN[:2]))
    text = ('{"type": "FeatureCollection", "features": [' + good +
            ', {"type": "Feature", "properties": {"n": 9}, "geometry": {"type": "Point", "coordinates": [NaN, 38.9]}}]}')
    return write_json(folder / "nan_token.geojson", None, raw=text)


def _infinity_token(folder: Path) -> Path:
    text = ('{"type": "FeatureCollection", "features": ['
            '{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": '
            '[[[121.5, 38.8], [Infinity, 38.8], [121.6, 38.9], [121.5, 38.8]]]}},'
            + json.dumps(feature(square(121.55, 38.88))) + ","
            '{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": '
            '[[121.5, 38.8], [-Infinity, 38.9]]}}]}')
    return write_json(folder / "infinity_token.geojson", None, raw=text)


def _huge_longitude(folder: Path) -> Path:
    features = [feature(point(lon, lat)) for lon, lat in DALIAN[:2]] + [feature(point(1e308, 38.9))]
    return write_json(folder / "huge_longitude.geojson", collection(features))


def _latitude_95(folder: Path) -> Path:
    features = [feature(point(121.5, 95.0))] + [feature(point(lon, lat)) for lon, lat in DALIAN[:3]]
    return write_json(folder / "latitude_95.geojson", collection(features))


def _far_point(folder: Path) -> Path:
    features = [feature(point(lon, lat)) for lon, lat in DALIAN] + [feature(point(0.0, 0.0), name="null island")]
    return write_json(folder / "far_point.geojson", collection(features))


def _gpkg_nan(folder: Path) -> Path:
    frame = dalian_frame()
    frame.loc[1, "geometry"] = shapely.Point(np.nan, 38.9)
    return write_gpkg(folder / "nan_coordinate.gpkg", frame)


def _cgcs2000_in_europe(folder: Path) -> Path:
    frame = gpd.GeoDataFrame({"name": ["Munich"]}, geometry=[shapely.Point(11.57, 48.14)], crs="EPSG:4490")
    return write_gpkg(folder / "cgcs2000_in_europe.gpkg", frame)


def _undecodable_blob(folder: Path) -> Path:
    path = write_gpkg(folder / "undecodable_blob.gpkg")
    set_blob(path, 2, b"GP\x00\x01\x00\x00\x00\x00\xde\xad\xbe\xef")
    return path


def _tin_blob(folder: Path) -> Path:
    path = write_gpkg(folder / "tin_blob.gpkg")
    triangle = struct.pack("<II", 17, 1) + struct.pack("<I", 4) + struct.pack(
        "<8d", 121.5, 38.8, 121.6, 38.8, 121.6, 38.9, 121.5, 38.8)
    set_blob(path, 3, gpkg_blob(b"\x01" + struct.pack("<II", 16, 1) + b"\x01" + triangle))
    return path


def _unclosed_ring(folder: Path) -> Path:
    unclosed = {"type": "Polygon", "coordinates": [[[121.5, 38.8], [121.6, 38.8], [121.6, 38.9], [121.5, 38.85]]]}
    features = [feature(square(121.52, 38.86), name="a"), feature(unclosed, name="b"), feature(square(121.55, 38.88), name="c")]
    return write_json(folder / "unclosed_ring.geojson", collection(features))


def _odd_features(folder: Path) -> Path:
    features = [feature(point(121.5, 38.86)), 5, "text", None, feature({"type": "Circle", "coordinates": [121.5, 38.8]}),
                feature("POINT (1 2)"), feature({"type": "Point", "coordinates": [121.5]}), feature(None),
                feature({"type": "LineString", "coordinates": []}),
                feature({"type": "Polygon", "coordinates": [[[121.5, 38.8], [121.6, 38.8], [121.5, 38.8]]]}),
                feature({"type": "GeometryCollection", "geometries": [point(121.5, 38.8),
                         {"type": "LineString", "coordinates": [[121.5, 38.8], [121.6, 38.9]]}]}),
                feature(point(121.55, 38.88))]
    return write_json(folder / "odd_features.geojson", collection(features))


def _single_type_collection(folder: Path) -> Path:
    features = [feature({"type": "GeometryCollection", "geometries": [point(121.5, 38.8), point(121.6, 38.9)]}),
                feature(point(121.55, 38.88))]
    return write_json(folder / "single_type_collection.geojson", collection(features))


def _mixed_types(folder: Path) -> Path:
    features = [feature(point(121.5, 38.86), name="p"), feature(square(121.52, 38.86), name="zone"),
                feature({"type": "LineString", "coordinates": [[121.5, 38.8], [121.6, 38.9]]}, name="road")]
    return write_json(folder / "mixed_types.geojson", collection(features))


def _nested_properties(folder: Path) -> Path:
    deep = {}
    for _ in range(60):
        deep = {"child": deep}
    features = [feature(point(121.5, 38.86), tree=deep), feature(point(121.55, 38.88), tree=None)]
    return write_json(folder / "nested_properties.geojson", collection(features))


def _features_without_type(folder: Path) -> Path:
    text = json.dumps({"features": [feature(point(121.5, 38.86)), feature(point(121.55, 38.88))]})
    return write_json(folder / "features_without_type.geojson", None, raw=text)


def _nested_without_end(folder: Path) -> Path:
    text = '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"x": ' + "[" * 200_000 + "]" * 200_000 + '}, "geometry": null}]}'
    return write_json(folder / "nested_without_end.geojson", None, raw=text)


def _gbk(folder: Path) -> Path:
    features = [feature(point(121.52, 38.86), name="英歌石科学城"), feature(point(121.55, 38.88), name="七贤岭")]
    return write_json(folder / "gbk.geojson", collection(features), encoding="gbk")


def _utf16(folder: Path) -> Path:
    return write_json(folder / "utf16.geojson", collection([feature(point(121.52, 38.86), name="甲")]), encoding="utf-16")


def _no_prj(folder: Path) -> Path:
    return write_shapefile(folder / "no_prj.shp", drop=(".prj",))


def _no_dbf(folder: Path) -> Path:
    return write_shapefile(folder / "no_dbf.shp", drop=(".dbf", ".cpg"))


def _no_shx(folder: Path) -> Path:
    return write_shapefile(folder / "no_shx.shp", drop=(".shx",))


def _bad_prj(folder: Path) -> Path:
    path = write_shapefile(folder / "bad_prj.shp")
    path.with_suffix(".prj").write_text("this is not a CRS")
    return path


def _truncated_shp(folder: Path) -> Path:
    path = write_shapefile(folder / "truncated.shp")
    data = path.read_bytes()
    path.write_bytes(data[:-40])
    return path


def _gk_geojson(folder: Path) -> Path:
    features = [feature(point(x, y), n=i) for i, (x, y) in enumerate(GK_ZONE41)]
    return write_json(folder / "gauss_kruger_zone41.geojson", collection(features))


def _gk_shapefile_no_prj(folder: Path) -> Path:
    return write_shapefile(folder / "gauss_kruger_no_prj.shp", dalian_frame().to_crs("EPSG:4529"), drop=(".prj",))


def _gk_wrong_prj(folder: Path) -> Path:
    path = write_shapefile(folder / "gauss_kruger_wrong_prj.shp", dalian_frame().to_crs("EPSG:4529"))
    path.with_suffix(".prj").write_text(dalian_frame().crs.to_wkt("WKT1_ESRI"))
    return path


def _utm51(folder: Path) -> Path:
    features = [feature(point(x, y)) for x, y in projected(32651)]
    return write_json(folder / "utm51_without_crs.geojson", collection(features))


def _cm120(folder: Path) -> Path:
    features = [feature(point(x, y)) for x, y in projected(4549)]
    return write_json(folder / "cm120_without_crs.geojson", collection(features))


def _web_mercator(folder: Path) -> Path:
    features = [feature(point(x, y)) for x, y in projected(3857)]
    return write_json(folder / "web_mercator_without_crs.geojson", collection(features))


def _europe_laea_no_prj(folder: Path) -> Path:
    frame = gpd.GeoDataFrame({"name": ["Munich"]}, geometry=[shapely.Point(11.57, 48.14)], crs=4326).to_crs(3035)
    return write_shapefile(folder / "europe_laea_no_prj.shp", frame, drop=(".prj",))


def _crs_member(folder: Path) -> Path:
    features = [feature(point(x, y)) for x, y in GK_ZONE41]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4529"}}
    return write_json(folder / "crs_member.geojson", collection(features, crs=crs))


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.geojson"
    os.mkfifo(path)
    return path


def _fifo_dbf(folder: Path) -> Path:
    path = write_shapefile(folder / "pipe_dbf.shp", drop=(".dbf",))
    os.mkfifo(path.with_suffix(".dbf"))
    return path


def _socket(folder: Path) -> Path:
    path = folder / "sock.gpkg"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.close()  # the socket file stays
    return path


def _device(folder: Path) -> Path:
    path = folder / "device.geojson"
    path.symlink_to("/dev/zero")
    return path


def _loop(folder: Path) -> Path:
    path = folder / "loop.geojson"
    path.symlink_to(path.name)
    return path


def _dangling(folder: Path) -> Path:
    path = folder / "dangling.geojson"
    path.symlink_to("nowhere.geojson")
    return path


def _folder(folder: Path) -> Path:
    path = folder / "folder.geojson"
    path.mkdir()
    return path


def _zero_bytes(folder: Path) -> Path:
    path = folder / "zero_bytes.geojson"
    path.write_bytes(b"")
    return path


def _all_nul(folder: Path) -> Path:
    path = folder / "all_nul.gpkg"
    path.write_bytes(b"\x00" * 4096)
    return path


def _nul_inside(folder: Path) -> Path:
    path = folder / "nul_inside.geojson"
    path.write_bytes(b'{"type": "FeatureCollection",' + b"\x00" * 64 + b'"features": []}')
    return path


def _truncated_geojson(folder: Path) -> Path:
    text = json.dumps(collection([feature(square(lon, lat)) for lon, lat in DALIAN]))
    return write_json(folder / "truncated.geojson", None, raw=text[: len(text) * 2 // 3])


def _truncated_gpkg(folder: Path) -> Path:
    source = write_gpkg(folder / "whole.gpkg")
    path = folder / "truncated.gpkg"
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _gpkg_named_geojson(folder: Path) -> Path:
    source = write_gpkg(folder / "real.gpkg")
    path = folder / "really_a_geopackage.geojson"
    path.write_bytes(source.read_bytes())
    return path


def _geojson_named_gpkg(folder: Path) -> Path:
    return write_json(folder / "really_geojson.gpkg", collection([feature(point(121.52, 38.86))]))


def _shapefile_named_geojson(folder: Path) -> Path:
    source = write_shapefile(folder / "real.shp")
    path = folder / "really_a_shapefile.geojson"
    path.write_bytes(source.read_bytes())
    return path


def _zip_named_gpkg(folder: Path) -> Path:
    import zipfile

    path = folder / "zipped.gpkg"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("zones.geojson", json.dumps(collection([])))
    return path


def _huge_single_line(folder: Path) -> Path:
    path = folder / "huge_single_line.geojson"
    with open(path, "wb") as handle:
        handle.write(b"x" * 65536)
        handle.truncate(300 * 1024 * 1024)  # sparse: 300 MB on one line, nothing read past the head
    return path


def _huge_json_prefix(folder: Path) -> Path:
    path = folder / "huge_json_prefix.geojson"
    with open(path, "wb") as handle:
        handle.write(b'{"type": "FeatureCollection", "features": [' + b" " * 65536)
        handle.truncate(100 * 1024 * 1024)
    return path


def _notes(folder: Path) -> Path:
    path = folder / "notes.txt"
    path.write_text("hello")
    return path


def _no_properties(folder: Path) -> Path:
    features = [{"type": "Feature", "geometry": point(lon, lat)} for lon, lat in DALIAN[:3]]
    return write_json(folder / "no_properties.geojson", collection(features))


def _geometry_only_gpkg(folder: Path) -> Path:
    return write_gpkg(folder / "geometry_only.gpkg", gpd.GeoDataFrame(geometry=dalian_frame().geometry, crs=4326))


def _empty_collection(folder: Path) -> Path:
    return write_json(folder / "empty_collection.geojson", collection([]))


def _all_rejected(folder: Path) -> Path:
    text = '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [NaN, NaN]}}]}'
    return write_json(folder / "all_rejected.geojson", None, raw=text)


CASES = [
    # 1. non-finite or absurd coordinates
    Case("nan_token", _nan_token, features=2, rejected=((3, "non_finite"),), kind="non-finite"),
    Case("infinity_token", _infinity_token, features=1, rejected=((1, "non_finite"), (3, "non_finite")), kind="non-finite"),
    Case("huge_longitude", _huge_longitude, features=2, rejected=((3, "out_of_range"),), kind="non-finite"),
    Case("latitude_95", _latitude_95, features=3, rejected=((1, "out_of_range"),), kind="non-finite"),
    Case("far_point", _far_point, features=7, warnings=("far_features",), kind="non-finite"),
    Case("gpkg_nan", _gpkg_nan, features=2, rejected=((2, "non_finite"),), kind="non-finite"),
    Case("cgcs2000_in_europe", _cgcs2000_in_europe, features=1, warnings=("outside_area_of_use",), kind="non-finite"),
    Case("all_rejected", _all_rejected, refused="none of the 1 features can be used", kind="non-finite"),
    # 2. partly good files
    Case("undecodable_blob", _undecodable_blob, features=2, rejected=((2, "undecodable"),), kind="partial"),
    Case("tin_blob", _tin_blob, features=2, rejected=((3, "unsupported_type"),), kind="partial"),
    Case("unclosed_ring", _unclosed_ring, features=2, rejected=((2, "unclosed_ring"),), kind="partial"),
    Case("odd_features", _odd_features, features=2, kind="partial", rejected=(
        (2, "not_a_feature"), (3, "not_a_feature"), (4, "not_a_feature"), (5, "unsupported_type"),
        (6, "invalid_geometry"), (7, "bad_coordinates"), (8, "no_geometry"), (9, "empty_geometry"),
        (10, "too_few_points"), (11, "mixed_collection"))),
    Case("single_type_collection", _single_type_collection, features=2, warnings=("collections_converted",), kind="partial"),
    Case("mixed_types", _mixed_types, features=3, layers=3, warnings=("split_by_type",), kind="partial"),
    Case("nested_properties", _nested_properties, features=2, kind="partial"),
    Case("features_without_type", _features_without_type, features=2, warnings=("careful_reader",), kind="partial"),
    Case("nested_without_end", _nested_without_end, refused="nested too deeply", kind="partial"),
    Case("gbk", _gbk, features=2, warnings=("not_utf8",), kind="encoding"),
    Case("utf16", _utf16, features=1, kind="encoding"),
    # 3. CRS said out loud
    Case("no_prj", _no_prj, features=3, warnings=("no_prj",), crs="EPSG:4326", crs_how="assumed", kind="crs"),
    Case("no_dbf", _no_dbf, features=3, warnings=("no_dbf",), crs="EPSG:4326", crs_how="declared", kind="crs"),
    Case("no_shx", _no_shx, refused=".shx index file is missing", kind="crs"),
    Case("bad_prj", _bad_prj, features=3, warnings=("bad_crs",), crs="EPSG:4326", crs_how="assumed", kind="crs"),
    Case("truncated_shp", _truncated_shp, features=2, warnings=("truncated",), rejected=((3, "no_geometry"),), kind="crs"),
    Case("gauss_kruger_geojson", _gk_geojson, features=3, warnings=("crs_guessed",), crs="EPSG:4529",
         crs_how="guessed", kind="crs"),
    Case("gauss_kruger_no_prj", _gk_shapefile_no_prj, features=3, warnings=("no_prj", "crs_guessed"), crs="EPSG:4529",
         crs_how="guessed", kind="crs"),
    Case("gauss_kruger_wrong_prj", _gk_wrong_prj, features=3, warnings=("crs_contradicted", "crs_guessed"),
         crs="EPSG:4529", crs_how="guessed", kind="crs"),
    Case("utm51", _utm51, features=6, warnings=("crs_guessed_ambiguous",), crs="EPSG:32651", crs_how="guessed", kind="crs"),
    Case("cm120", _cm120, features=6, warnings=("crs_guessed",), crs="EPSG:4549", crs_how="guessed", kind="crs"),
    Case("web_mercator", _web_mercator, features=6, warnings=("crs_guessed",), crs="EPSG:3857", crs_how="guessed", kind="crs"),
    Case("europe_laea_no_prj", _europe_laea_no_prj, refused="are not longitude/latitude", kind="crs"),
    Case("crs_member", _crs_member, features=3, crs="EPSG:4529", crs_how="declared", kind="crs"),
    # 4. never hang
    Case("fifo", _fifo, refused="named pipe (FIFO)", kind="hang"),
    Case("fifo_dbf", _fifo_dbf, refused="pipe_dbf.dbf: this is a named pipe", kind="hang"),
    Case("socket", _socket, refused="socket", kind="hang"),
    Case("device", _device, refused="device", kind="hang"),
    Case("symlink_loop", _loop, refused="loop", kind="hang"),
    Case("dangling_link", _dangling, refused="which does not exist", kind="hang"),
    Case("folder", _folder, refused="folder", kind="hang"),
    Case("zero_bytes", _zero_bytes, refused="empty (0 bytes)", kind="hang"),
    Case("all_nul", _all_nul, refused="only zero bytes", kind="hang"),
    Case("nul_inside", _nul_inside, refused="zero bytes (NUL)", kind="hang"),
    Case("truncated_geojson", _truncated_geojson, refused="ends early (truncated?)", kind="hang"),
    Case("truncated_gpkg", _truncated_gpkg, refused="damaged", kind="hang"),
    Case("gpkg_named_geojson", _gpkg_named_geojson, features=3, warnings=("wrong_extension",), kind="hang"),
    Case("geojson_named_gpkg", _geojson_named_gpkg, features=1, warnings=("wrong_extension",), kind="hang"),
    Case("shapefile_named_geojson", _shapefile_named_geojson, refused="this is a Shapefile", kind="hang"),
    Case("zip_named_gpkg", _zip_named_gpkg, refused="ZIP archive", kind="hang"),
    Case("huge_single_line", _huge_single_line, refused="not GeoJSON", kind="hang"),
    Case("huge_json_prefix", _huge_json_prefix, refused="not a readable vector file", kind="hang"),
    Case("unsupported_suffix", _notes, refused="unsupported file type .txt", kind="hang"),
    # 5. no attribute columns
    Case("no_properties", _no_properties, features=3, kind="no-attributes"),
    Case("geometry_only_gpkg", _geometry_only_gpkg, features=3, kind="no-attributes"),
    Case("empty_collection", _empty_collection, features=0, warnings=("empty_layer",), kind="no-attributes"),
]


def make_all(folder: Path, cases=CASES) -> dict[str, Path]:
    """Write every case into its own sub-folder; {case name: path to open}."""
    paths = {}
    for case in cases:
        sub = folder / case.name
        sub.mkdir()
        paths[case.name] = case.make(sub)
    return paths
