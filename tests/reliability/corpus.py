"""A corpus of hostile files, made on the spot: what colleagues, institutes and statistics
offices send, broken in the ways files really break.

Each case names the files a user opens together and what the window owes the user:
``message`` (a refusal or a warning must be shown), ``quiet`` (a good file: it opens and
nothing needs saying) or ``survive`` (odd but readable: it must not crash, hang or raise; what it
says is not checked). Every case must leave the window running.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import shapely

IMG_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
           b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
           b"\x00\x00\x00IEND\xaeB`\x82")


@dataclass
class Case:
    name: str
    kind: str  # "data", "project" or "actuals"
    expect: str  # "message", "quiet" or "survive" (must stay up; a message is not required)
    paths: list[Path] = field(default_factory=list)


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def _fc(features: list[dict], **extra) -> str:
    return json.dumps({"type": "FeatureCollection", **extra, "features": features}, ensure_ascii=False)


def _feature(geometry: dict | None, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


GOOD = [_feature(_square(121.50 + i * 0.02, 38.88), name=f"区块{i}", code=i) for i in range(3)]


def _geojson_cases(d: Path) -> list[Case]:
    cases: list[Case] = []

    def add(name: str, text: str | bytes, expect: str = "message", suffix: str = ".geojson") -> None:
        cases.append(Case(name, "data", expect, [_write(d / f"{name}{suffix}", text)]))

    good = _fc(GOOD)
    add("good_geojson", good, "quiet")
    add("utf8_bom", "\ufeff" + good, "quiet")
    add("nan_token", good.replace("121.5,", "NaN,", 1))
    add("infinity_token", good.replace("121.5,", "Infinity,", 1))
    add("negative_infinity_token", good.replace("121.5,", "-Infinity,", 1))
    add("huge_longitude", good.replace("121.5,", "1e308,", 1))
    far = [*GOOD, _feature(_square(-170.0, -80.0), name="far")]
    far[3]["geometry"]["coordinates"][0][2] = [1e300, 1e300]
    add("one_far_point", _fc(far))
    gk = [_feature(_square(41_543_210.0 + i * 800, 4_301_234.0, 700.0), name=f"GK{i}") for i in range(3)]
    add("gauss_kruger_without_crs", _fc(gk))
    utm = [_feature(_square(543_210.0 + i * 800, 4_301_234.0, 700.0), name=f"UTM{i}") for i in range(3)]
    add("utm_numbers_without_crs", _fc(utm))
    unclosed = [dict(f) for f in GOOD]
    unclosed[1] = _feature({"type": "Polygon", "coordinates": [[[121.5, 38.9], [121.6, 38.9], [121.6, 39.0]]]},
                           name="unclosed")
    add("unclosed_ring", _fc(unclosed))
    add("truncated", good[: len(good) // 2])
    add("empty_file", b"")
    add("zero_bytes", b"\x00" * 4096)
    add("nul_inside", good[:40].encode() + b"\x00\x00" + good[40:].encode())
    add("not_json", "this is not a GeoJSON file, it is a planner's note\n")
    add("json_array", "[1, 2, 3]")
    add("deep_nesting", "[" * 100_000 + "]" * 100_000)
    add("coordinates_as_strings", _fc([_feature({"type": "Point", "coordinates": ["121.5", "38.9"]}, name="s")]))
    add("unknown_geometry_type", _fc([*GOOD, _feature({"type": "Circle", "coordinates": [121.5, 38.9],
                                                      "radius": 10}, name="circle")]))
    add("features_not_a_list", json.dumps({"type": "FeatureCollection", "features": {"a": 1}}))
    # GDAL reads the list as a field named "properties".
    add("properties_not_an_object", _fc([{"type": "Feature", "properties": [1, 2], "geometry": _square(121.5, 38.9)}]),
        "survive")
    add("null_geometries", _fc([_feature(None, name="none"), *GOOD]))
    add("no_features", _fc([]))
    add("huge_property", _fc([_feature(_square(121.5, 38.9), note="长" * 3_000_000)]), "quiet")
    add("rich_text_names", _fc([_feature(_square(121.5, 38.9), **{
        "<img src=/dev/zero>": "<img src='/dev/zero'>", "name": "<b>粗体</b><img src=local.png>"})]), "quiet")
    # Known gap: GDAL falls back to WGS 84 for an unknown crs member, and gisapp says "declared".
    add("wrong_crs_member", _fc(GOOD, crs={"type": "name", "properties": {"name": "EPSG:999999"}}), "survive")
    add("gbk_encoded", _fc(GOOD).encode("gbk"))
    add("latitude_out_of_range", good.replace("38.88", "138.88"))
    add("json_extension", good, "quiet", suffix=".json")
    add("geojson_named_shp", good, suffix=".shp")
    return cases


def _shapefile(d: Path, name: str, **frame_options) -> Path:
    frame = gpd.GeoDataFrame({"名称": ["甲", "乙"], "code": [1, 2]},
                             geometry=[shapely.box(121.5, 38.9, 121.51, 38.91),
                                       shapely.box(121.52, 38.9, 121.53, 38.91)], crs="EPSG:4326")
    path = d / name / f"{name}.shp"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_file(path, engine="pyogrio", encoding=frame_options.get("encoding", "utf-8"))
    return path


def _shapefile_cases(d: Path) -> list[Case]:
    cases = [Case("good_shapefile", "data", "quiet", [_shapefile(d, "good_shapefile")])]
    path = _shapefile(d, "no_prj")
    path.with_suffix(".prj").unlink()
    cases.append(Case("no_prj", "data", "message", [path]))
    path = _shapefile(d, "no_dbf")
    path.with_suffix(".dbf").unlink()
    cases.append(Case("no_dbf", "data", "message", [path]))
    path = _shapefile(d, "no_shx")
    path.with_suffix(".shx").unlink()
    cases.append(Case("no_shx", "data", "message", [path]))
    path = _shapefile(d, "truncated_shp")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 30])
    cases.append(Case("truncated_shp", "data", "message", [path]))
    path = _shapefile(d, "truncated_dbf")
    dbf = path.with_suffix(".dbf")
    dbf.write_bytes(dbf.read_bytes()[:20])
    cases.append(Case("truncated_dbf", "data", "message", [path]))
    path = _shapefile(d, "garbage_prj")
    path.with_suffix(".prj").write_text("PROJCS[this is not WKT", encoding="ascii")
    cases.append(Case("garbage_prj", "data", "message", [path]))
    path = _shapefile(d, "gbk_without_cpg", encoding="gbk")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    cases.append(Case("gbk_without_cpg", "data", "quiet", [path]))
    path = _shapefile(d, "shp_header_garbage")
    raw = bytearray(path.read_bytes())
    raw[:100] = os.urandom(100)
    path.write_bytes(bytes(raw))
    cases.append(Case("shp_header_garbage", "data", "message", [path]))
    return cases


def _gpkg(d: Path, name: str, frame: gpd.GeoDataFrame | None = None, layer: str = "zones") -> Path:
    if frame is None:
        frame = gpd.GeoDataFrame({"name": ["a", "b", "c"]},
                                 geometry=[shapely.box(121.5 + i * 0.02, 38.9, 121.51 + i * 0.02, 38.91)
                                           for i in range(3)], crs="EPSG:4326")
    path = d / f"{name}.gpkg"
    frame.to_file(path, layer=layer, engine="pyogrio")
    return path


def _without_triggers(db: sqlite3.Connection) -> None:
    """Drop the R-tree triggers: they call SpatiaLite functions plain sqlite3 lacks."""
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f'DROP TRIGGER "{name}"')


def _geopackage_cases(d: Path) -> list[Case]:
    cases = [Case("good_geopackage", "data", "quiet", [_gpkg(d, "good_geopackage")])]
    path = _gpkg(d, "undecodable_blob")
    with sqlite3.connect(path) as db:
        _without_triggers(db)
        column = db.execute("SELECT column_name FROM gpkg_geometry_columns").fetchone()[0]
        db.execute(f'UPDATE zones SET "{column}" = ? WHERE rowid = 2', (b"GP\x00\x01garbage-not-wkb",))
    cases.append(Case("undecodable_blob", "data", "message", [path]))
    cases.append(Case("gpkg_not_sqlite", "data", "message", [_write(d / "gpkg_not_sqlite.gpkg", "plain text")]))
    path = _gpkg(d, "gpkg_truncated")
    path.write_bytes(path.read_bytes()[:3000])
    cases.append(Case("gpkg_truncated", "data", "message", [path]))
    path = d / "gpkg_no_layers.gpkg"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    cases.append(Case("gpkg_no_layers", "data", "message", [path]))
    no_columns = gpd.GeoDataFrame(geometry=[shapely.box(121.5, 38.9, 121.51, 38.91)], crs="EPSG:4326")
    cases.append(Case("no_attribute_columns", "data", "quiet", [_gpkg(d, "no_attribute_columns", no_columns)]))
    path = _gpkg(d, "geometry_nan_wkb")
    with sqlite3.connect(path) as db:
        _without_triggers(db)
        column = db.execute("SELECT column_name FROM gpkg_geometry_columns").fetchone()[0]
        nan_point = b"GP\x00\x01" + struct.pack("<i", 4326) + struct.pack("<bIdd", 1, 1, float("nan"), 38.9)
        db.execute(f'UPDATE zones SET "{column}" = ? WHERE rowid = 1', (nan_point,))
    cases.append(Case("geometry_nan_wkb", "data", "message", [path]))
    return cases


def _damaged_projects(d: Path, make_project: Callable[[Path], Path]) -> list[Case]:
    """Projects saved by gisapp, then damaged in their metadata table by hand."""
    cases = []

    def damage(name: str, change: Callable[[dict], None]) -> None:
        path = make_project(d / f"{name}.gpkg")
        damaged_rows: list[str] = []
        with sqlite3.connect(path) as db:
            table, key_column, value_column = _metadata_table(db)
            rows = db.execute(f'SELECT "{key_column}", "{value_column}" FROM "{table}"').fetchall()
            for key, value in rows:
                try:
                    data = json.loads(value)
                except (TypeError, ValueError):
                    continue
                before = json.dumps(data, sort_keys=True)
                wrapper = {key: data}  # the row's own key counts too ("groups", "layers" rows)
                change(wrapper)
                data = wrapper[key]
                if json.dumps(data, sort_keys=True) != before:
                    damaged_rows.append(key)
                    db.execute(f'UPDATE "{table}" SET "{value_column}" = ? WHERE "{key_column}" = ?',
                               (json.dumps(data, ensure_ascii=False), key))
        cases.append(Case(name, "project", "message", [path]))
        assert damaged_rows, f"{name}: the damage changed nothing"

    def every_object(obj, visit: Callable[[dict], None]) -> None:
        if isinstance(obj, dict):
            visit(obj)
            for child in list(obj.values()):
                every_object(child, visit)
        elif isinstance(obj, list):
            for child in obj:
                every_object(child, visit)

    def set_everywhere(key: str, value) -> Callable[[dict], None]:
        return lambda data: every_object(data, lambda obj: obj.__setitem__(key, value) if key in obj else None)

    def drop_everywhere(key: str) -> Callable[[dict], None]:
        return lambda data: every_object(data, lambda obj: obj.pop(key, None))

    damage("project_invalid_crs", set_everywhere("canvas_crs", "EPSG:999999"))
    damage("project_opacity_text", set_everywhere("opacity", "abc"))
    damage("project_groups_as_list_of_numbers", set_everywhere("groups", [1, 2, 3]))
    damage("project_layers_as_object", set_everywhere("layers", {"a": 1}))
    damage("project_indicators_as_string", set_everywhere("indicators", "none"))
    damage("project_style_colour_garbage", set_everywhere("fill", "<img src=/dev/zero>"))
    damage("project_missing_title", drop_everywhere("title_en"))
    damage("project_layer_ids_missing", drop_everywhere("id"))
    path = make_project(d / "project_metadata_not_json.gpkg")
    with sqlite3.connect(path) as db:
        table, key_column, value_column = _metadata_table(db)
        db.execute(f'UPDATE "{table}" SET "{value_column}" = ?', ("{not json",))
    cases.append(Case("project_metadata_not_json", "project", "message", [path]))
    return cases


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


def _special_cases(d: Path) -> list[Case]:
    cases = []
    fifo = d / "fifo.geojson"
    os.mkfifo(fifo)
    cases.append(Case("fifo", "data", "message", [fifo]))
    loop_a, loop_b = d / "loop_a.geojson", d / "loop_b.geojson"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    cases.append(Case("symlink_loop", "data", "message", [loop_a]))
    dangling = d / "dangling.geojson"
    dangling.symlink_to(d / "nowhere.geojson")
    cases.append(Case("dangling_symlink", "data", "message", [dangling]))
    device = d / "device.geojson"
    device.symlink_to("/dev/zero")
    cases.append(Case("device_dev_zero", "data", "message", [device]))
    folder = d / "folder.geojson"
    folder.mkdir()
    cases.append(Case("directory", "data", "message", [folder]))
    cases.append(Case("missing_file", "data", "message", [d / "does_not_exist.geojson"]))
    cases.append(Case("unsupported_suffix", "data", "message", [_write(d / "drawing.dwg", b"AC1032\x00")]))
    _write(d / "local.png", IMG_PNG)
    rich = _write(d / "<img src=local.png>.geojson", _fc(GOOD))
    cases.append(Case("rich_text_file_name", "data", "quiet", [rich]))
    broken_rich = _write(d / "<img src='dev-zero'>broken.geojson", "{")
    cases.append(Case("rich_text_broken_file_name", "data", "message", [broken_rich]))
    good = d / "mixed_good.geojson"
    _write(good, _fc(GOOD))
    cases.append(Case("good_and_broken_together", "data", "message", [good, d / "truncated.geojson"]))
    return cases


def _qgis_cases(d: Path) -> list[Case]:
    """A colleague's QGIS files: a style row, a style file and projects, broken as they break."""
    import zipfile

    from gisapp.io.qgis.layer_styles import StoredStyle, write_default_styles

    cases = []
    path = _gpkg(d, "qgis_style_row_damaged")
    write_default_styles(path, [StoredStyle("zones", "geom", "x", "<qgis><renderer-v2 type='categorizedSymbol'")])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE layer_styles SET owner = 'li', styleName = '<b>同事</b>'")
    cases.append(Case("qgis_style_row_damaged", "data", "message", [path]))
    bomb = '<!DOCTYPE qgis [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "' + f"&{chr(97 + n)};" * 10 + '">' for n in range(8)) + "]><qgis>&i;</qgis>"
    cases.append(Case("qgis_style_entity_bomb", "data", "message", [_write(d / "bomb.qml", bomb)]))
    archive_path = d / "qgis_project_zip_bomb.qgz"
    with zipfile.ZipFile(archive_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("plan.qgs", "<qgis/>")
    # A bomb's central directory says what it unpacks to: 3 GB here (made cheaply by saying so).
    data = bytearray(archive_path.read_bytes())
    entry = data.rindex(b"PK\x01\x02")
    data[entry + 24:entry + 28] = struct.pack("<I", 3 * 2**30)
    archive_path.write_bytes(bytes(data))
    cases.append(Case("qgis_project_zip_bomb", "data", "message", [archive_path]))
    os.mkfifo(d / "qgis_layer_fifo.geojson")
    _write(d / "qgis_layer_good.geojson", _fc(GOOD))
    layers = {"fifo": "./qgis_layer_fifo.geojson", "good": "./qgis_layer_good.geojson", "wms": "type=xyz"}
    tree = "".join(f"<layer-tree-layer id='{k}' name='&lt;i&gt;{k}&lt;/i&gt;' checked='Qt::Checked'/>" for k in layers)
    maplayers = "".join(f"<maplayer type='vector'><id>{k}</id><datasource>{v}</datasource><provider>"
                        f"{'wms' if k == 'wms' else 'ogr'}</provider></maplayer>" for k, v in layers.items())
    project = _write(d / "qgis_project_fifo_layer.qgs",
                     f"<qgis><layer-tree-group>{tree}</layer-tree-group><projectlayers>{maplayers}</projectlayers></qgis>")
    cases.append(Case("qgis_project_fifo_layer", "data", "message", [project]))
    return cases


def _actuals_cases(d: Path) -> list[Case]:
    cases = []

    def add(name: str, data: str | bytes, expect: str = "message") -> None:
        cases.append(Case(name, "actuals", expect, [_write(d / f"{name}.csv", data)]))

    header = "indicator_id,feature_id,year,value,note\n"
    add("actuals_good", header + "plan.t2.04,,2021,7400,\n", "quiet")
    add("actuals_huge_field", header + "plan.t2.04,,2021,7400," + "x" * 200_000 + "\n")
    add("actuals_nan", header + "plan.t2.04,,2021,nan,\n")
    add("actuals_inf", header + "plan.t2.04,,2021,inf,\n")
    add("actuals_1e400", header + "plan.t2.04,,2021,1e400,\n")
    add("actuals_fractional_year", header + "plan.t2.04,,2021.9,7400,\n")
    add("actuals_empty", b"")
    add("actuals_binary", os.urandom(2048))
    add("actuals_header_only", header)
    add("actuals_many_columns", ",".join(f"c{i}" for i in range(20_000)) + "\n" + ",".join("1" * 20_000) + "\n")
    add("actuals_rich_text", header + "<img src=/dev/zero>,,2021,1,<b>note</b>\n")
    return cases


def make_corpus(folder: Path, make_project: Callable[[Path], Path]) -> list[Case]:
    """Write every hostile file into ``folder``; ``make_project(path)`` saves a real gisapp project."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = (_geojson_cases(folder) + _shapefile_cases(folder) + _geopackage_cases(folder)
             + _damaged_projects(folder, make_project) + _special_cases(folder) + _qgis_cases(folder)
             + _actuals_cases(folder))
    names = [case.name for case in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    return cases
