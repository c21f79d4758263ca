"""The hostile files of the test suite, written to disk by the tests that use them: what
colleagues, institutes and statistics offices send, broken in the ways files really break.

Each :class:`Case` makes one file (or link, pipe, folder, ...) and says what gisapp must do
with it: refuse it with a message containing ``refused``, or load it with the given
warnings, rejected features and CRS decision. The file I/O tests open every case in-process,
the command-line tests run ``gisapp info`` on all of them, the window tests open some.

Each :class:`WindowCase` is what tests/reliability/ opens in a real window, followed by what
a user does next: data files (many of them the cases above), damaged projects and actuals CSVs.
"""

from __future__ import annotations

import json
import os
import shutil
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


# --- the window corpus (tests/reliability/): what the window owes the user -----------------------
# Each window case names the files a user opens together and what the window owes the user:
# ``message`` (a refusal or a warning must be shown), ``quiet`` (a good file: it opens and
# nothing needs saying) or ``survive`` (odd but readable: it must not crash, hang or raise;
# what it says is not checked). Where a file above is the same damage, the window opens it.
@dataclass(frozen=True)
class WindowCase:
    name: str
    kind: str  # "data", "project" or "actuals"
    expect: str  # "message", "quiet" or "survive"
    make: Callable[[Path], Path | list[Path]] | None = None  # data and actuals: writes into the folder
    damage: Callable[[dict], None] | None = None  # projects: changes the saved project's metadata

    def __str__(self) -> str:
        return self.name


GOOD = [feature(square(121.50 + i * 0.02, 38.88), name=f"区块{i}", code=i) for i in range(3)]
GOOD_TEXT = json.dumps(collection(GOOD), ensure_ascii=False)
IMG_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
           b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
           b"\x00\x00\x00IEND\xaeB`\x82")


def _text(file_name: str, data: str | bytes | Callable[[], str | bytes]) -> Callable[[Path], Path]:
    """A maker writing ``data`` (made only then, when it is a function: some are megabytes)."""
    def make(folder: Path) -> Path:
        content = data() if callable(data) else data
        path = folder / file_name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path
    return make


def _geojson(name: str, expect: str, data: str | bytes | Callable[[], str | bytes],
             suffix: str = ".geojson") -> WindowCase:
    return WindowCase(name, "data", expect, _text(name + suffix, data))


def _far_vertex_text() -> str:
    far = [*GOOD, feature(square(-170.0, -80.0), name="far")]
    far[3]["geometry"]["coordinates"][0][2] = [1e300, 1e300]
    return json.dumps(collection(far), ensure_ascii=False)


def _unclosed_among_good_text() -> str:
    features = list(GOOD)
    features[1] = feature({"type": "Polygon", "coordinates": [[[121.5, 38.9], [121.6, 38.9], [121.6, 39.0]]]},
                          name="unclosed")
    return json.dumps(collection(features), ensure_ascii=False)


def _geojson_window_cases() -> list[WindowCase]:
    def text(features, **members) -> str:
        return json.dumps(collection(features, **members), ensure_ascii=False)

    gk = [feature(square(41_543_210.0 + i * 800, 4_301_234.0, 700.0), name=f"GK{i}") for i in range(3)]
    utm = [feature(square(543_210.0 + i * 800, 4_301_234.0, 700.0), name=f"UTM{i}") for i in range(3)]
    circle = feature({"type": "Circle", "coordinates": [121.5, 38.9], "radius": 10}, name="circle")
    return [
        _geojson("good_geojson", "quiet", GOOD_TEXT),
        _geojson("utf8_bom", "quiet", "\ufeff" + GOOD_TEXT),
        _geojson("nan_in_a_polygon", "message", GOOD_TEXT.replace("121.5,", "NaN,", 1)),
        _geojson("infinity_in_a_polygon", "message", GOOD_TEXT.replace("121.5,", "Infinity,", 1)),
        _geojson("negative_infinity_in_a_polygon", "message", GOOD_TEXT.replace("121.5,", "-Infinity,", 1)),
        WindowCase("huge_longitude", "data", "message", _huge_longitude),
        _geojson("one_far_vertex", "message", _far_vertex_text),
        _geojson("gauss_kruger_squares_without_crs", "message", text(gk)),
        _geojson("utm_squares_without_crs", "message", text(utm)),
        _geojson("unclosed_ring_among_good", "message", _unclosed_among_good_text),
        WindowCase("truncated_geojson", "data", "message", _truncated_geojson),
        WindowCase("zero_bytes", "data", "message", _zero_bytes),
        _geojson("all_nul_geojson", "message", b"\x00" * 4096),
        _geojson("nul_inside_good", "message", GOOD_TEXT[:40].encode() + b"\x00\x00" + GOOD_TEXT[40:].encode()),
        _geojson("not_json", "message", "this is not a GeoJSON file, it is a planner's note\n"),
        _geojson("json_array", "message", "[1, 2, 3]"),
        _geojson("deep_nesting", "message", lambda: "[" * 100_000 + "]" * 100_000),
        _geojson("coordinates_as_strings", "message",
                 text([feature({"type": "Point", "coordinates": ["121.5", "38.9"]}, name="s")])),
        _geojson("unknown_geometry_type", "message", text([*GOOD, circle])),
        _geojson("features_not_a_list", "message", json.dumps({"type": "FeatureCollection", "features": {"a": 1}})),
        # GDAL reads the list as a field named "properties".
        _geojson("properties_not_an_object", "survive",
                 text([{"type": "Feature", "properties": [1, 2], "geometry": square(121.5, 38.9)}])),
        _geojson("null_geometries", "message", text([feature(None, name="none"), *GOOD])),
        _geojson("no_features", "message", text([])),
        _geojson("huge_property", "quiet", lambda: text([feature(square(121.5, 38.9), note="长" * 3_000_000)])),
        _geojson("rich_text_names", "quiet", text([feature(square(121.5, 38.9), **{
            "<img src=/dev/zero>": "<img src='/dev/zero'>", "name": "<b>粗体</b><img src=local.png>"})])),
        # Known gap: GDAL falls back to WGS 84 for an unknown crs member, and gisapp says "declared".
        _geojson("wrong_crs_member", "survive", text(GOOD, crs={"type": "name", "properties": {"name": "EPSG:999999"}})),
        _geojson("gbk_encoded", "message", text(GOOD).encode("gbk")),
        _geojson("latitude_out_of_range", "message", GOOD_TEXT.replace("38.88", "138.88")),
        _geojson("json_extension", "quiet", GOOD_TEXT, suffix=".json"),
        _geojson("geojson_named_shp", "message", GOOD_TEXT, suffix=".shp"),
    ]


def _chinese_shapefile(folder: Path, encoding: str = "utf-8") -> Path:
    frame = gpd.GeoDataFrame({"名称": ["甲", "乙"], "code": [1, 2]},
                             geometry=[shapely.box(121.5, 38.9, 121.51, 38.91),
                                       shapely.box(121.52, 38.9, 121.53, 38.91)], crs="EPSG:4326")
    path = folder / "zones.shp"
    frame.to_file(path, engine="pyogrio", encoding=encoding)
    return path


def _truncated_dbf(folder: Path) -> Path:
    path = _chinese_shapefile(folder)
    dbf = path.with_suffix(".dbf")
    dbf.write_bytes(dbf.read_bytes()[:20])
    return path


def _garbage_prj(folder: Path) -> Path:
    path = _chinese_shapefile(folder)
    path.with_suffix(".prj").write_text("PROJCS[this is not WKT", encoding="ascii")
    return path


def _gbk_without_cpg(folder: Path) -> Path:
    path = _chinese_shapefile(folder, encoding="gbk")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    return path


def _shp_header_garbage(folder: Path) -> Path:
    path = _chinese_shapefile(folder)
    raw = bytearray(path.read_bytes())
    raw[:100] = os.urandom(100)
    path.write_bytes(bytes(raw))
    return path


def _shapefile_window_cases() -> list[WindowCase]:
    return [
        WindowCase("good_shapefile", "data", "quiet", _chinese_shapefile),
        WindowCase("no_prj", "data", "message", _no_prj),
        WindowCase("no_dbf", "data", "message", _no_dbf),
        WindowCase("no_shx", "data", "message", _no_shx),
        WindowCase("truncated_shp", "data", "message", _truncated_shp),
        WindowCase("truncated_dbf", "data", "message", _truncated_dbf),
        WindowCase("garbage_prj", "data", "message", _garbage_prj),
        WindowCase("gbk_without_cpg", "data", "quiet", _gbk_without_cpg),
        WindowCase("shp_header_garbage", "data", "message", _shp_header_garbage),
    ]


def _nan_point_blob(folder: Path) -> Path:
    path = write_gpkg(folder / "geometry_nan_wkb.gpkg")
    set_blob(path, 1, gpkg_blob(struct.pack("<bIdd", 1, 1, float("nan"), 38.9)))
    return path


def _gpkg_no_layers(folder: Path) -> Path:
    path = folder / "gpkg_no_layers.gpkg"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    return path


def _geopackage_window_cases() -> list[WindowCase]:
    return [
        WindowCase("good_geopackage", "data", "quiet", lambda folder: write_gpkg(folder / "zones.gpkg")),
        WindowCase("undecodable_blob", "data", "message", _undecodable_blob),
        WindowCase("gpkg_not_sqlite", "data", "message", _text("gpkg_not_sqlite.gpkg", "plain text")),
        WindowCase("truncated_gpkg", "data", "message", _truncated_gpkg),
        WindowCase("gpkg_no_layers", "data", "message", _gpkg_no_layers),
        WindowCase("no_attribute_columns", "data", "quiet", _geometry_only_gpkg),
        WindowCase("geometry_nan_wkb", "data", "message", _nan_point_blob),
    ]


def _every_object(obj, visit: Callable[[dict], None]) -> None:
    if isinstance(obj, dict):
        visit(obj)
        for child in list(obj.values()):
            _every_object(child, visit)
    elif isinstance(obj, list):
        for child in obj:
            _every_object(child, visit)


def _set_everywhere(key: str, value) -> Callable[[dict], None]:
    return lambda data: _every_object(data, lambda obj: obj.__setitem__(key, value) if key in obj else None)


def _drop_everywhere(key: str) -> Callable[[dict], None]:
    return lambda data: _every_object(data, lambda obj: obj.pop(key, None))


NOT_JSON = object()  # the damage that replaces every metadata value with text that is not JSON


def _project_window_cases() -> list[WindowCase]:
    damages = {
        "project_invalid_crs": _set_everywhere("canvas_crs", "EPSG:999999"),
        "project_opacity_text": _set_everywhere("opacity", "abc"),
        "project_groups_as_list_of_numbers": _set_everywhere("groups", [1, 2, 3]),
        "project_layers_as_object": _set_everywhere("layers", {"a": 1}),
        "project_indicators_as_string": _set_everywhere("indicators", "none"),
        "project_style_colour_garbage": _set_everywhere("fill", "<img src=/dev/zero>"),
        "project_missing_title": _drop_everywhere("title_en"),
        "project_layer_ids_missing": _drop_everywhere("id"),
        "project_metadata_not_json": NOT_JSON,
    }
    return [WindowCase(name, "project", "message", damage=damage) for name, damage in damages.items()]


def _metadata_table(db: sqlite3.Connection) -> tuple[str, str, str]:
    """The gisapp table holding the project's JSON metadata (key/value)."""
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        if not table.startswith("gisapp"):
            continue
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
        if "key" in columns and "value" in columns:
            return table, "key", "value"
    raise LookupError(f"no gisapp key/value metadata table among {tables}")


def damage_project(path: Path, damage) -> Path:
    """Apply ``damage`` to every JSON row of a saved project's metadata (the row's own key
    counts too: "groups", "layers" rows); fails when the damage changed nothing."""
    with sqlite3.connect(path) as db:
        table, key_column, value_column = _metadata_table(db)
        if damage is NOT_JSON:
            db.execute(f'UPDATE "{table}" SET "{value_column}" = ?', ("{not json",))
            return path
        damaged_rows: list[str] = []
        for key, value in db.execute(f'SELECT "{key_column}", "{value_column}" FROM "{table}"').fetchall():
            try:
                data = json.loads(value)
            except (TypeError, ValueError):
                continue
            before = json.dumps(data, sort_keys=True)
            wrapper = {key: data}
            damage(wrapper)
            if json.dumps(wrapper[key], sort_keys=True) != before:
                damaged_rows.append(key)
                db.execute(f'UPDATE "{table}" SET "{value_column}" = ? WHERE "{key_column}" = ?',
                           (json.dumps(wrapper[key], ensure_ascii=False), key))
    assert damaged_rows, f"{path.name}: the damage changed nothing"
    return path


def _two_link_loop(folder: Path) -> Path:
    loop_a, loop_b = folder / "loop_a.geojson", folder / "loop_b.geojson"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    return loop_a


def _missing_file(folder: Path) -> Path:
    return folder / "does_not_exist.geojson"


def _rich_text_file_name(folder: Path) -> Path:
    (folder / "local.png").write_bytes(IMG_PNG)
    return _text("<img src=local.png>.geojson", GOOD_TEXT)(folder)


def _good_and_broken_together(folder: Path) -> list[Path]:
    return [_text("mixed_good.geojson", GOOD_TEXT)(folder), _truncated_geojson(folder)]


def _special_window_cases() -> list[WindowCase]:
    return [
        WindowCase("fifo", "data", "message", _fifo),
        WindowCase("symlink_loop", "data", "message", _two_link_loop),
        WindowCase("dangling_symlink", "data", "message", _dangling),
        WindowCase("device_dev_zero", "data", "message", _device),
        WindowCase("directory", "data", "message", _folder),
        WindowCase("missing_file", "data", "message", _missing_file),
        WindowCase("unsupported_suffix", "data", "message", _text("drawing.dwg", b"AC1032\x00")),
        WindowCase("rich_text_file_name", "data", "quiet", _rich_text_file_name),
        WindowCase("rich_text_broken_file_name", "data", "message", _text("<img src='dev-zero'>broken.geojson", "{")),
        WindowCase("good_and_broken_together", "data", "message", _good_and_broken_together),
    ]


def _actuals_window_cases() -> list[WindowCase]:
    header = "indicator_id,feature_id,year,value,note\n"
    rows = {
        "actuals_good": ("quiet", header + "plan.t2.04,,2021,7400,\n"),
        "actuals_huge_field": ("message", lambda: header + "plan.t2.04,,2021,7400," + "x" * 200_000 + "\n"),
        "actuals_nan": ("message", header + "plan.t2.04,,2021,nan,\n"),
        "actuals_inf": ("message", header + "plan.t2.04,,2021,inf,\n"),
        "actuals_1e400": ("message", header + "plan.t2.04,,2021,1e400,\n"),
        "actuals_fractional_year": ("message", header + "plan.t2.04,,2021.9,7400,\n"),
        "actuals_empty": ("message", b""),
        "actuals_binary": ("message", lambda: os.urandom(2048)),
        "actuals_header_only": ("message", header),
        "actuals_many_columns": ("message", lambda: ",".join(f"c{i}" for i in range(20_000)) + "\n"
                                 + ",".join("1" * 20_000) + "\n"),
        "actuals_rich_text": ("message", header + "<img src=/dev/zero>,,2021,1,<b>note</b>\n"),
    }
    return [WindowCase(name, "actuals", expect, _text(name + ".csv", data)) for name, (expect, data) in rows.items()]


def _qgis_style_row_damaged(folder: Path) -> Path:
    from gisapp.io.qgis.layer_styles import StoredStyle, write_default_styles

    path = write_gpkg(folder / "qgis_style_row_damaged.gpkg")
    write_default_styles(path, [StoredStyle("zones", "geom", "x", "<qgis><renderer-v2 type='categorizedSymbol'")])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE layer_styles SET owner = 'li', styleName = '<b>同事</b>'")
    return path


def _qgis_entity_bomb(folder: Path) -> Path:
    bomb = '<!DOCTYPE qgis [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "' + f"&{chr(97 + n)};" * 10 + '">' for n in range(8)) + "]><qgis>&i;</qgis>"
    path = folder / "bomb.qml"
    path.write_text(bomb, encoding="utf-8")
    return path


def _qgis_zip_bomb(folder: Path) -> Path:
    import zipfile

    path = folder / "qgis_project_zip_bomb.qgz"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("plan.qgs", "<qgis/>")
    # A bomb's central directory says what it unpacks to: 3 GB here (made cheaply by saying so).
    data = bytearray(path.read_bytes())
    entry = data.rindex(b"PK\x01\x02")
    data[entry + 24:entry + 28] = struct.pack("<I", 3 * 2**30)
    path.write_bytes(bytes(data))
    return path


def _qgis_project_fifo_layer(folder: Path) -> Path:
    os.mkfifo(folder / "qgis_layer_fifo.geojson")
    (folder / "qgis_layer_good.geojson").write_text(GOOD_TEXT, encoding="utf-8")
    layers = {"fifo": "./qgis_layer_fifo.geojson", "good": "./qgis_layer_good.geojson", "wms": "type=xyz"}
    tree = "".join(f"<layer-tree-layer id='{k}' name='&lt;i&gt;{k}&lt;/i&gt;' checked='Qt::Checked'/>" for k in layers)
    maplayers = "".join(f"<maplayer type='vector'><id>{k}</id><datasource>{v}</datasource><provider>"
                        f"{'wms' if k == 'wms' else 'ogr'}</provider></maplayer>" for k, v in layers.items())
    path = folder / "qgis_project_fifo_layer.qgs"
    path.write_text(f"<qgis><layer-tree-group>{tree}</layer-tree-group><projectlayers>{maplayers}</projectlayers></qgis>",
                    encoding="utf-8")
    return path


def _qgis_window_cases() -> list[WindowCase]:
    """A colleague's QGIS files: a style row, a style file and projects, broken as they break."""
    return [
        WindowCase("qgis_style_row_damaged", "data", "message", _qgis_style_row_damaged),
        WindowCase("qgis_style_entity_bomb", "data", "message", _qgis_entity_bomb),
        WindowCase("qgis_project_zip_bomb", "data", "message", _qgis_zip_bomb),
        WindowCase("qgis_project_fifo_layer", "data", "message", _qgis_project_fifo_layer),
    ]


def _raster_window_cases() -> list[WindowCase]:
    """Rasters (tests/raster_files.py writes them with rasterio) opened in the window."""
    from tests import raster_files

    def truncated(folder: Path) -> Path:
        whole = raster_files.quadrants(folder / "whole.tif").read_bytes()
        whole_path = folder / "whole.tif"
        whole_path.unlink()
        (folder / "cut.tif").write_bytes(whole[: len(whole) // 3])
        return folder / "cut.tif"

    def huge(folder: Path) -> Path:
        import rasterio
        from rasterio.transform import from_origin

        path = folder / "huge_sparse.tif"
        with rasterio.open(path, "w", driver="GTiff", width=100_000, height=100_000, count=1, dtype="uint8",
                           crs="EPSG:4326", transform=from_origin(121.0, 39.0, 1e-6, 1e-6), tiled=True,
                           SPARSE_OK=True):
            pass
        return path

    def rotated(folder: Path) -> Path:
        import rasterio
        from affine import Affine

        path = folder / "rotated.tif"
        with rasterio.open(path, "w", driver="GTiff", width=10, height=10, count=1, dtype="uint8", crs="EPSG:4326",
                           transform=Affine(0.001, 0.0002, 121.5, 0.0002, -0.001, 38.9)) as dst:
            dst.write(np.ones((1, 10, 10), dtype=np.uint8))
        return path

    def world_file_pipe(folder: Path) -> Path:
        path = raster_files.rgb_png(folder / "piped.png", world_file=False)
        os.mkfifo(folder / "piped.pgw")
        return path

    return [
        WindowCase("good_geotiff", "data", "quiet", lambda folder: raster_files.quadrants(folder / "site.tif")),
        WindowCase("cog_with_overviews", "data", "quiet",
                   lambda folder: raster_files.quadrants(folder / "site_cog.tif", cog=True)),
        WindowCase("png_world_file_without_crs", "data", "message",
                   lambda folder: raster_files.rgb_png(folder / "scan.png")),
        WindowCase("png_without_world_file", "data", "message",
                   lambda folder: raster_files.rgb_png(folder / "plain.png", world_file=False)),
        WindowCase("text_named_tif", "data", "message", _text("minutes.tif", "minutes of the planning meeting\n")),
        WindowCase("zero_byte_tif", "data", "message", _text("empty.tif", b"")),
        WindowCase("truncated_geotiff", "data", "message", truncated),
        WindowCase("huge_sparse_geotiff", "data", "message", huge),
        WindowCase("rotated_geotiff", "data", "message", rotated),
        WindowCase("world_file_is_a_pipe", "data", "message", world_file_pipe),
    ]


WINDOW_CASES = (_geojson_window_cases() + _shapefile_window_cases() + _geopackage_window_cases()
                + _project_window_cases() + _special_window_cases() + _qgis_window_cases()
                + _actuals_window_cases() + _raster_window_cases())
assert len({case.name for case in WINDOW_CASES}) == len(WINDOW_CASES), "window case names must be unique"


def write_window_case(case: WindowCase, folder: Path, saved_project: Path) -> list[Path]:
    """Write ``case`` into the empty ``folder``; ``saved_project`` is a project gisapp saved
    (projects are damaged copies of it). Returns the paths the user opens together."""
    if case.kind == "project":
        path = folder / f"{case.name}.gpkg"
        shutil.copyfile(saved_project, path)
        return [damage_project(path, case.damage)]
    made = case.make(folder)
    return [Path(p) for p in made] if isinstance(made, list) else [made]
