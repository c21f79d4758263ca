"""Build the bundled layer catalogue of the Dalian High-tech Zone plan layout.

Run from the repository root:

    .venv/bin/python layers/build_catalogue.py [--out DIR]

Reads the catalogue's data (indicator tables, feature texts, styles, links)
from layers/source/ (see its README.md) and the shared input geometry from
../shared/data/dalian (beside the repository); builds the shapes and writes,
into layers/ (or DIR): one GeoJSON per layer, manifest.json, indicators.json
and indicator_links.csv. The output is deterministic: the same inputs give
byte-identical files.

Plan shapes are schematic: they are buffers, wedges and cuts around estimated
place points and a hand-placed road line, following the plan text. Buffers are
done in UTM zone 51N (EPSG:32651) and written back in EPSG:4326.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import shapely
import shapely.affinity
import shapely.ops
from pyproj import Transformer
from shapely.geometry import (
    LineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
    box,
    mapping,
    shape,
)
from shapely.geometry.polygon import orient

LAYERS_DIR = Path(__file__).resolve().parent
SOURCE_DIR = LAYERS_DIR / "source"
DATA_DIR = Path(__file__).resolve().parents[2] / "shared/data/dalian"

PLAN_FILE = "dalian-hitech-14th-five-year-plan.zh.txt"
PAPER_FILE = "dalian-zhongshan-xigang-blocks.en.txt"
DATA_REF = "shared/data/dalian"

# Western limit of the zone along Lvshun South Road (schematic) and the
# longitudes where the corridor is cut into its east / central / west sections.
ZONE_WEST_LON = 121.335
CUT_EAST_CENTRAL_LON = 121.495
CUT_CENTRAL_WEST_LON = 121.395
SCIENCE_CITY_LOBE_WIDTH = 1400  # m: half-width of the science city's reach to the corridor
# Jinlong Temple National Forest Park as public sources describe it (about 121°21'-25'E,
# 38°55'-59'N, Yingchengzi, Ganjingzi District); the shared place estimate lies south of it.
JINLONG_PARK_BOX = (121.35, 38.9167, 121.4167, 38.9833)

# ---------------------------------------------------------------------------
# Projection helpers
# ---------------------------------------------------------------------------

_TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32651", always_xy=True)
_TO_WGS = Transformer.from_crs("EPSG:32651", "EPSG:4326", always_xy=True)


def _reproject(geom, transformer):
    def fn(coords):
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, fn)


def to_utm(geom):
    return _reproject(geom, _TO_UTM)


def to_wgs(geom):
    return _reproject(geom, _TO_WGS)


def lonlat_box_utm(west, south, east, north):
    """A lon/lat box, densified, in UTM (meridians stay straight in lon/lat)."""
    return to_utm(shapely.segmentize(box(west, south, east, north), 0.002))


def offset(pt: Point, dx: float, dy: float) -> Point:
    return Point(pt.x + dx, pt.y + dy)


def circle(pt: Point, radius: float):
    return pt.buffer(radius, quad_segs=16)


def polygonal(geom):
    """Keep only the polygon parts of a geometry (drops slivers of lower dimension)."""
    if geom.is_empty:
        return geom
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def drop_specks(geom, min_area=20_000.0):
    """Drop polygon parts smaller than min_area m² (clip leftovers)."""
    geom = polygonal(geom)
    if geom.geom_type == "Polygon":
        return geom
    parts = [p for p in geom.geoms if p.area >= min_area]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def wedge(center: Point, radius: float, start_deg: float, end_deg: float, steps: int = 48):
    """Circular sector, angles counter-clockwise from east."""
    angles = np.linspace(math.radians(start_deg), math.radians(end_deg), steps)
    ring = [(center.x, center.y)] + [
        (center.x + radius * math.cos(a), center.y + radius * math.sin(a)) for a in angles
    ]
    return Polygon(ring)


def voronoi_cells(points: dict[str, Point]) -> dict[str, Polygon]:
    """Voronoi cell of each named point (keeps zones of different places apart)."""
    names = sorted(points)
    multi = MultiPoint([points[n] for n in names])
    frame = multi.envelope.buffer(50_000)
    cells = shapely.voronoi_polygons(multi, extend_to=frame)
    out = {}
    for name in names:
        (cell,) = [c for c in cells.geoms if c.contains(points[name])]
        out[name] = cell.intersection(frame)
    return out


# ---------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------

REQUIRED_PROPS = (
    "id",
    "name_zh",
    "name_en",
    "plan_group",
    "kind",
    "role_zh",
    "role_en",
    "industries_zh",
    "industries_en",
    "status",
    "parent_id",
    "source",
    "geom_quality",
    "geom_basis",
)


def _round_coords(obj):
    if isinstance(obj, float):
        return round(obj, 6)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(v) for v in obj]
    return obj


def finish_geometry(geom_utm=None, geom_wgs=None):
    """UTM (or lon/lat) geometry -> valid, RFC 7946 oriented GeoJSON dict, 6 decimals."""
    geom = to_wgs(geom_utm) if geom_utm is not None else geom_wgs
    geom = shapely.set_precision(geom, 1e-6)
    if geom.geom_type == "Polygon":
        geom = orient(geom, 1.0)
    elif geom.geom_type == "MultiPolygon":
        geom = MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    assert geom.is_valid and not geom.is_empty, geom.geom_type
    gj = mapping(geom)
    return {"type": gj["type"], "coordinates": _round_coords(gj["coordinates"])}


def feature(properties: dict, geom_utm=None, geom_wgs=None) -> dict:
    missing = [k for k in REQUIRED_PROPS if k not in properties]
    assert not missing, (properties.get("id"), missing)
    ordered = {k: properties[k] for k in REQUIRED_PROPS}
    ordered.update({k: v for k, v in properties.items() if k not in ordered})
    return {
        "type": "Feature",
        "properties": ordered,
        "geometry": finish_geometry(geom_utm, geom_wgs),
    }


def write_feature_collection(path: Path, name: str, features: list[dict]) -> None:
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = (
        '{"type":"FeatureCollection","name":'
        + json.dumps(name, ensure_ascii=False)
        + ',"features":[\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )
    path.write_text(text, encoding="utf-8")


def write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_csv(name: str) -> list[dict]:
    """Rows of a CSV file in layers/source as dicts keyed by the header row."""
    with (SOURCE_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_json(name: str):
    return json.loads((SOURCE_DIR / name).read_text(encoding="utf-8"))


def value_or_none(cell: str) -> str | None:
    """Source values stay strings as printed; an empty cell means no value (null)."""
    return cell or None


def year_or_none(cell: str) -> int | None:
    return int(cell) if cell else None


def plan_src(where: str) -> str:
    return f"{PLAN_FILE}, {where}"


def paper_src(where: str) -> str:
    return f"{PAPER_FILE}, {where}"


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------

# Named-place file name (zh) -> stable ascii slug.
PLACE_SLUGS = {
    "七贤岭": "qixianling",
    "凌水 / 大连理工大学": "lingshui_dut",
    "英歌石": "yingeshi",
    "鲍鱼肚": "baoyudu",
    "黄泥川": "huangnichuan",
    "龙王塘": "longwangtang",
    "凌水湾": "lingshui_bay",
    "小平岛": "xiaopingdao",
    "庙岭": "miaoling",
    "河口湾": "hekou_bay",
    "火炬路": "huoju_road",
    "金龙寺国家森林公园": "jinlong_temple_park",
    "中山广场": "zhongshan_square",
    "民主广场": "democracy_square",
    "南山": "nanshan",
    "西岗区科创区": "xigang_proxy",
    "大连高新区": "hitech_zone_label",
}


def load_inputs():
    def read(name):
        return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))

    land_fc = read("dalian_land_osm.geojson")
    coast_fc = read("dalian_coastline_osm.geojson")
    env_fc = read("dalian_central4_envelope_geoboundaries_odbl.geojson")
    places_fc = read("dalian_named_places_WGS84_estimates.geojson")
    road_fc = read("lvshun_south_road_SCHEMATIC_estimate.geojson")

    places = {}
    for f in places_fc["features"]:
        slug = PLACE_SLUGS[f["properties"]["name"]]
        places[slug] = f
    assert len(places) == len(PLACE_SLUGS), sorted(places)
    return land_fc, coast_fc, env_fc, places, road_fc


# ---------------------------------------------------------------------------
# Geometry of the plan layout
# ---------------------------------------------------------------------------


def build_geometries(land_fc, places, road_fc):
    """UTM geometry of every plan feature, keyed by feature id."""
    g = {}
    land = to_utm(shapely.make_valid(shape(land_fc["features"][0]["geometry"])))
    P = {slug: to_utm(shape(f["geometry"])) for slug, f in places.items()}

    def on_land(geom):
        return drop_specks(geom.intersection(land))

    # Cells keep the zones of neighbouring high-tech-zone places from overlapping.
    cells = voronoi_cells(
        {
            k: P[k]
            for k in (
                "qixianling",
                "lingshui_dut",
                "yingeshi",
                "baoyudu",
                "huangnichuan",
                "longwangtang",
                "lingshui_bay",
                "xiaopingdao",
                "miaoling",
            )
        }
    )

    def place_zone(slug, radius, clip_land=True):
        zone = circle(P[slug], radius).intersection(cells[slug])
        return on_land(zone) if clip_land else polygonal(zone)

    # --- corridor (一廊) ---------------------------------------------------
    road_wgs = shape(road_fc["features"][0]["geometry"])
    in_zone = road_wgs.intersection(box(ZONE_WEST_LON, 38.70, 121.60, 39.00))
    centerline = to_utm(in_zone)
    band = on_land(
        centerline.buffer(750, quad_segs=16, cap_style="flat").intersection(
            lonlat_box_utm(ZONE_WEST_LON, 38.70, 121.60, 39.00)
        )
    )
    g["hitech.corridor.centerline"] = centerline
    g["hitech.corridor"] = band
    g["hitech.corridor.east"] = drop_specks(
        band.intersection(lonlat_box_utm(CUT_EAST_CENTRAL_LON, 38.70, 121.60, 39.00))
    )
    g["hitech.corridor.central"] = drop_specks(
        band.intersection(lonlat_box_utm(CUT_CENTRAL_WEST_LON, 38.70, CUT_EAST_CENTRAL_LON, 39.00))
    )
    g["hitech.corridor.west"] = drop_specks(
        band.intersection(lonlat_box_utm(121.0, 38.70, CUT_CENTRAL_WEST_LON, 39.00))
    )

    # --- innovation centre (一心) ----------------------------------------
    g["hitech.core.qixianling_cbd"] = place_zone("qixianling", 1000)
    g["hitech.core.lingshui_cid"] = place_zone("lingshui_dut", 1100)
    # Reclaimed land is missing from the OSM-derived land polygon: do not clip.
    g["hitech.core.lingshui_bay_reclaimed"] = circle(P["lingshui_bay"], 650)
    g["hitech.core.xiaopingdao_area"] = place_zone("xiaopingdao", 1500)
    g["hitech.core"] = on_land(
        shapely.union_all(
            [g["hitech.core.qixianling_cbd"], g["hitech.core.lingshui_cid"]]
        ).convex_hull.buffer(150, quad_segs=16)
    )

    # --- Yingeshi Science City (一城) ------------------------------------
    yc = P["yingeshi"]
    # The plan builds the science city in the corridor's west section (第七章第一节 “一廊”):
    # a lobe reaches south from the Yingeshi zone until it overlaps that section's band.
    west_band = g["hitech.corridor.west"]
    reach = shapely.ops.nearest_points(yc, west_band)[1]
    reach = Point(reach.x + (reach.x - yc.x) * 150 / yc.distance(reach),
                  reach.y + (reach.y - yc.y) * 150 / yc.distance(reach))
    lobe = shapely.union_all([circle(yc, SCIENCE_CITY_LOBE_WIDTH), circle(reach, 450)]).convex_hull
    y_part = on_land(
        shapely.union_all([circle(yc, 2400), lobe]).intersection(cells["yingeshi"])
    )
    b_part = place_zone("baoyudu", 1500)
    g["hitech.city.yingeshi"] = shapely.union_all([y_part, b_part])
    big = 10_000
    north = box(yc.x - big, yc.y, yc.x + big, yc.y + big)
    south_w = box(yc.x - big, yc.y - big, yc.x, yc.y)
    south_e = box(yc.x, yc.y - big, yc.x + big, yc.y)
    south_w_part = drop_specks(y_part.intersection(south_w))
    south_e_part = drop_specks(y_part.intersection(south_e))
    # The north sector gets the vertex where the two southern sectors meet, so that the
    # three share their edges exactly and do not overlap after projection and rounding.
    g["hitech.city.yingeshi.sector.frontier_rd"] = shapely.snap(
        drop_specks(y_part.intersection(north)), shapely.union_all([south_w_part, south_e_part]), 0.01
    )
    g["hitech.city.yingeshi.sector.new_economy"] = south_w_part
    g["hitech.city.yingeshi.sector.tech_transfer"] = south_e_part
    g["hitech.city.yingeshi.sector.eco_community"] = b_part
    g["hitech.city.platform.clean_energy_institute"] = offset(yc, -900, 1000)
    g["hitech.city.platform.advanced_light_source"] = offset(yc, 800, 1500)
    g["hitech.city.platform.liaoning_laboratory"] = offset(yc, 200, 600)
    g["hitech.city.platform.ucas_energy_school"] = offset(yc, -1500, 300)
    # The talent base serves top talent's work and life: placed in the eco-community sector,
    # which the plan gives the gathering of high-end talent (高端人才集聚).
    g["hitech.city.platform.top_talent_base"] = offset(P["baoyudu"], 300, 300)

    # --- clusters (多组团) ------------------------------------------------
    g["hitech.cluster.huangnichuan"] = place_zone("huangnichuan", 1600)
    g["hitech.cluster.longwangtang"] = place_zone("longwangtang", 1500)
    g["hitech.cluster.lingshui_bay_hq"] = polygonal(
        shapely.union_all(
            [
                g["hitech.core.lingshui_bay_reclaimed"],
                circle(P["lingshui_bay"], 1200).intersection(land),
            ]
        ).intersection(cells["lingshui_bay"])
    )
    g["hitech.cluster.xiaopingdao_media"] = place_zone("xiaopingdao", 1100)
    g["hitech.cluster.miaoling_materials"] = place_zone("miaoling", 1000)

    hc = P["huangnichuan"]
    g["hitech.project.tiandi_software_park"] = offset(hc, -700, 1050)
    g["hitech.project.china_japan_life_science_corridor"] = offset(hc, 700, 1050)
    g["hitech.project.semiconductor_industrial_park"] = offset(hc, 700, -1050)
    g["hitech.project.digital_town"] = offset(hc, -700, -1050)
    # Chapter 4 section 1 names these parks without a site; they stand east of the life-science
    # corridor that the same paragraph names.
    # They are not said to lie in the Huangnichuan cluster: kept just outside it.
    g["hitech.project.life_science_park"] = offset(hc, 2100, 300)
    g["hitech.project.neusoft_health_park"] = offset(hc, 2100, -450)

    # --- expansion and ecology -------------------------------------------
    west_road = to_utm(road_wgs.intersection(box(120.9, 38.70, ZONE_WEST_LON, 39.00)))
    west_area = on_land(
        west_road.buffer(2500, quad_segs=16).difference(
            lonlat_box_utm(ZONE_WEST_LON, 38.60, 121.70, 39.10)
        )
    )
    g["hitech.expansion.west"] = west_area
    for key, frac, side in (
        ("hitech.cluster.clean_energy", 0.25, 1100),
        ("hitech.cluster.intelligent_manufacturing", 0.55, 0),
        ("hitech.cluster.life_health", 0.85, 900),
    ):
        anchor = west_road.interpolate(frac, normalized=True)
        ahead = west_road.interpolate(min(frac + 0.02, 1.0), normalized=True)
        dx, dy = ahead.x - anchor.x, ahead.y - anchor.y
        norm = math.hypot(dx, dy)
        # the road runs east to west: its right-hand normal points inland (north)
        centre = offset(anchor, dy / norm * side, -dx / norm * side)
        g[key] = drop_specks(circle(centre, 750).intersection(west_area))

    # The ecological core is built around the forest park (规划中部自然生态核，围绕金龙寺国家森林公园),
    # an ellipse inside the park's published extent; the northern belt wraps round it to the
    # east and south, on the environment the plan says it relies on (依托相对优越的生态环境).
    park = lonlat_box_utm(*JINLONG_PARK_BOX)
    park_centre = park.centroid
    core_shape = shapely.affinity.scale(circle(park_centre, 1), 2400, 3000)
    g["hitech.ecology.central_core"] = drop_specks(on_land(core_shape.intersection(park)))
    north_axis = to_utm(LineString([(121.335, 38.928), (121.43, 38.924), (121.455, 38.95),
                                    (121.50, 38.944)]))
    g["hitech.expansion.north"] = drop_specks(
        on_land(north_axis.buffer(1100, quad_segs=16))
        .difference(g["hitech.ecology.central_core"].buffer(200))
        .difference(g["hitech.city.yingeshi"])
    )

    # --- new reclamation areas (新填海区域) and the coastal landscape corridor ----
    coast = land.boundary
    for slug in ("hekou_bay", "longwangtang"):
        shore = shapely.ops.nearest_points(P[slug], coast)[1]
        # Reclaimed land is missing from the OSM-derived land polygon: the sea side of the shore.
        g[f"hitech.reclamation.{slug}"] = drop_specks(circle(shore, 550).difference(land))
    zone_coast = coast.intersection(lonlat_box_utm(ZONE_WEST_LON, 38.78, CUT_EAST_CENTRAL_LON + 0.065, 38.90))
    g["hitech.ecology.coastal_landscape_corridor"] = drop_specks(
        on_land(zone_coast.buffer(300, quad_segs=8)), min_area=200_000.0
    )

    # --- innovation streets and international communities -----------------
    hr = P["huoju_road"]
    huoju_axis = LineString([offset(hr, 0, -1100), offset(hr, 0, 1100)])
    g["hitech.street.huoju_road"] = on_land(huoju_axis.buffer(150, quad_segs=8))
    # The plan names three sub-streets along Huoju Road but not their order: thirds, schematic.
    for i, key in enumerate(("incubator", "tech_transfer", "digital_creative")):
        third = LineString([offset(hr, 0, -1100 + i * 2200 / 3), offset(hr, 0, -1100 + (i + 1) * 2200 / 3)])
        g[f"hitech.street.huoju_road.{key}"] = on_land(third.buffer(150, quad_segs=8, cap_style="flat"))
    y_street_axis = LineString([offset(yc, 300, -400), offset(yc, 1700, -1500)])
    g["hitech.street.yingeshi"] = drop_specks(
        y_street_axis.buffer(150, quad_segs=8).intersection(
            g["hitech.city.yingeshi.sector.tech_transfer"]
        )
    )
    g["hitech.community.qixianling"] = on_land(circle(offset(P["qixianling"], -250, 150), 450))
    g["hitech.community.huangnichuan"] = on_land(circle(hc, 450))

    # --- Dalian urban blocks ------------------------------------------------
    block_cells = voronoi_cells(
        {k: P[k] for k in ("nanshan", "zhongshan_square", "democracy_square")}
    )
    for slug, radius in (("nanshan", 350), ("zhongshan_square", 230), ("democracy_square", 230)):
        g[f"dalian.zhongshan.{slug}"] = on_land(
            circle(P[slug], radius).intersection(block_cells[slug])
        )
    g["dalian.zhongshan.corridor"] = LineString(
        [P["democracy_square"], P["zhongshan_square"], P["nanshan"]]
    )
    xc = P["xigang_proxy"]
    g["dalian.xigang.block"] = on_land(circle(xc, 900))
    for key, a0, a1 in (
        ("dalian.xigang.university_park", 30, 150),
        ("dalian.xigang.sci_tech_park", 150, 270),
        ("dalian.xigang.urban_community", 270, 390),
    ):
        g[key] = drop_specks(wedge(xc, 1000, a0, a1).intersection(g["dalian.xigang.block"]))
    # The paper's science-and-innovation corridor links the three parts of the block.
    g["dalian.xigang.corridor"] = LineString([
        shapely.point_on_surface(g[key]) for key in
        ("dalian.xigang.university_park", "dalian.xigang.sci_tech_park", "dalian.xigang.urban_community")
    ])

    return g


def base_geometries(land_fc, coast_fc, env_fc):
    """Lon/lat geometry of the base layers copied from the shared data, keyed by feature id."""
    return {
        "base.central_districts": polygonal(
            shapely.make_valid(shape(env_fc["features"][0]["geometry"]))
        ),
        "base.coastline": shape(coast_fc["features"][0]["geometry"]),
        "base.land": polygonal(shapely.make_valid(shape(land_fc["features"][0]["geometry"]))),
    }


# ---------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------


def place_basis(places, slug):
    p = places[slug]["properties"]
    return f"estimated {p['name_en']} point (confidence {p['confidence']})"


def text_fields(places, land_fc, coast_fc, env_fc) -> dict:
    """Values of the {...} fields in the feature texts: parts taken from the input data
    and the geometry constants, so the texts follow them."""
    return {
        "place_estimate": {slug: place_basis(places, slug) for slug in places},
        "zone_west_lon": ZONE_WEST_LON,
        "cut_east_central_lon": CUT_EAST_CENTRAL_LON,
        "cut_central_west_lon": CUT_CENTRAL_WEST_LON,
        "land": land_fc["features"][0]["properties"],
        "coastline": coast_fc["features"][0]["properties"],
        "districts": env_fc["features"][0]["properties"],
    }


def named_place_features(places) -> list[dict]:
    """The base_named_places layer: one feature per point of the shared places file."""
    features = []
    for slug in sorted(places, key=lambda s: list(PLACE_SLUGS.values()).index(s)):
        f = places[slug]
        p = f["properties"]
        quality = "approximate" if p["confidence"].startswith("medium") else "schematic"
        properties = {
            "id": f"base.place.{slug}",
            "name_zh": p["name"],
            "name_en": p["name_en"],
            "plan_group": "base",
            "kind": "reference_point",
            "role_zh": "",
            "role_en": "",
            "industries_zh": "",
            "industries_en": "",
            "status": "existing",
            "parent_id": "",
            "source": f"{DATA_REF}/dalian_named_places_WGS84_estimates.geojson",
            "geom_quality": quality,
            "geom_basis": f"{p['coord_status']}: {p['basis']} (confidence {p['confidence']})",
            "confidence": p["confidence"],
            "coord_status": p["coord_status"],
        }
        features.append(feature(properties, geom_wgs=shape(f["geometry"])))
    return features


def build_features(plan_geoms, base_geoms, fields, places) -> dict[str, list[dict]]:
    """Layers of features: texts from source/features/<layer_id>.json, geometry by feature id."""
    layers = {}
    placed = set()
    for path in sorted((SOURCE_DIR / "features").glob("*.json")):
        features = []
        for record in json.loads(path.read_text(encoding="utf-8")):
            properties = {
                k: v.format_map(fields) if isinstance(v, str) else v for k, v in record.items()
            }
            fid = properties["id"]
            if fid in plan_geoms:
                features.append(feature(properties, geom_utm=plan_geoms[fid]))
            else:
                assert fid in base_geoms, f"{path.name}: no geometry is built for {fid}"
                features.append(feature(properties, geom_wgs=base_geoms[fid]))
            placed.add(fid)
        layers[path.stem] = features
    unplaced = (set(plan_geoms) | set(base_geoms)) - placed
    assert not unplaced, f"geometry without a feature text: {sorted(unplaced)}"
    layers["base_named_places"] = named_place_features(places)
    return layers


# ---------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------


def build_manifest() -> dict:
    """Manifest from source/manifest.json; main() fills in the geometry types and the order."""
    source = read_json("manifest.json")
    layers = [
        {
            "id": lyr["id"],
            "file": f"{lyr['id']}.geojson",
            "group": lyr["group"],
            "title_zh": lyr["title_zh"],
            "title_en": lyr["title_en"],
            "geometry_type": None,
            "style": lyr["style"],
            "label_field": "name_zh",
            **({"labels": lyr["labels"]} if "labels" in lyr else {}),
            "visible": lyr["visible"],
            "opacity": 1.0,
            "provenance_zh": lyr["provenance_zh"],
            "provenance_en": lyr["provenance_en"],
        }
        for lyr in source["layers"]
    ]
    return {
        "format_version": 1,
        "project": source["project"],
        "groups": source["groups"],
        "layers": layers,
    }


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------

T1_SRC = plan_src("表1 “十三五”重点指标完成情况, 序号{row}")
T2_SRC = plan_src("表2 大连高新区“十四五”发展目标, 序号{row}")


def indicator(
    id,
    table,
    row,
    category,
    name_zh,
    name_en,
    unit,
    unit_en,
    kind,
    source,
    source_quote,
    baseline_year=None,
    baseline_value=None,
    target_year=None,
    target_value=None,
    nature="",
    actual_year=None,
    actual_value=None,
    actual_avg_growth=None,
    target_avg_growth=None,
    completion="",
    notes_zh="",
    notes_en="",
):
    return {
        "id": id,
        "table": table,
        "row": row,
        "category": category,
        "name_zh": name_zh,
        "name_en": name_en,
        "unit": unit,
        "unit_en": unit_en,
        "kind": kind,
        "baseline_year": baseline_year,
        "baseline_value": baseline_value,
        "target_year": target_year,
        "target_value": target_value,
        "nature": nature,
        "actual_year": actual_year,
        "actual_value": actual_value,
        "actual_avg_growth": actual_avg_growth,
        "target_avg_growth": target_avg_growth,
        "completion": completion,
        "source": source,
        "source_quote": source_quote,
        "notes_zh": notes_zh,
        "notes_en": notes_en,
    }


# Years of the tables' value columns, from the tables' headers.
TABLE1_YEAR = 2020
TABLE2_BASELINE_YEAR = 2020
TABLE2_TARGET_YEAR = 2025

# The plan's words in the 完成情况 (table 1) and 属性 (table 2) columns -> catalogue values.
COMPLETION = {"完成": "completed", "未完成": "not_completed"}
NATURE = {"预期性": "expected", "约束性": "binding"}


def t2_quote(name, unit, base, target, nature_zh):
    return f"{name} {unit} {base if base is not None else '-'} {target} {nature_zh}"


def check_plan_row(record: dict, table: str, categories: list[dict]) -> int:
    """The row number; the catalogue's id and category must agree with 序号 and 类别."""
    row = int(record["序号"])
    assert record["id"] == f"plan.{table}.{row:02d}", (record["id"], row)
    name_zh = {c["id"]: c["name_zh"] for c in categories}[record["category"]]
    assert record["类别"] == name_zh, (record["id"], record["类别"], record["category"])
    return row


def figure_indicators(name: str, table: str, cite) -> list[dict]:
    """Indicators of figures quoted from a source text (not from a table)."""
    return [
        indicator(
            r["id"],
            table,
            None,
            r["category"],
            r["name_zh"],
            r["name_en"],
            r["unit"],
            r["unit_en"],
            r["kind"],
            cite(r["section"]),
            r["source_quote"],
            baseline_year=year_or_none(r["baseline_year"]),
            baseline_value=value_or_none(r["baseline_value"]),
            target_year=year_or_none(r["target_year"]),
            target_value=value_or_none(r["target_value"]),
            actual_year=year_or_none(r["actual_year"]),
            actual_value=value_or_none(r["actual_value"]),
            actual_avg_growth=value_or_none(r["actual_avg_growth"]),
            notes_zh=r["notes_zh"],
            notes_en=r["notes_en"],
        )
        for r in read_csv(name)
    ]


def build_indicators():
    categories = read_csv("indicator_categories.csv")
    out = []
    for r in read_csv("plan_table1.csv"):
        row = check_plan_row(r, "t1", categories)
        out.append(
            indicator(
                r["id"],
                "table1",
                row,
                r["category"],
                r["指标名称"],
                r["name_en"],
                r["单位"],
                r["unit_en"],
                r["kind"],
                T1_SRC.format(row=row),
                r["source_quote"],
                target_year=TABLE1_YEAR,
                target_value=value_or_none(r["十三五规划目标/2020年"]),
                actual_year=TABLE1_YEAR,
                actual_value=value_or_none(r["2016-2020年/2020年"]),
                actual_avg_growth=value_or_none(r["2016-2020年/平均增速"]),
                target_avg_growth=value_or_none(r["十三五规划目标/平均增速"]),
                completion=COMPLETION[r["完成情况"]],
                notes_zh=r["notes_zh"],
                notes_en=r["notes_en"],
            )
        )
    for r in read_csv("plan_table2.csv"):
        row = check_plan_row(r, "t2", categories)
        base, target = value_or_none(r["2020年"]), value_or_none(r["2025年"])
        out.append(
            indicator(
                r["id"],
                "table2",
                row,
                r["category"],
                r["指标"],
                r["name_en"],
                r["单位"],
                r["unit_en"],
                r["kind"],
                T2_SRC.format(row=row),
                t2_quote(r["指标"], r["单位"], base, target, r["属性"]),
                baseline_year=TABLE2_BASELINE_YEAR,
                baseline_value=base,
                target_year=TABLE2_TARGET_YEAR,
                target_value=target,
                nature=NATURE[r["属性"]],
                notes_zh=r["notes_zh"],
                notes_en=r["notes_en"],
            )
        )

    out += figure_indicators("plan_text_figures.csv", "text", plan_src)
    out += figure_indicators("paper_figures.csv", "paper", paper_src)
    return {"format_version": 1, "categories": categories, "indicators": out}


# ---------------------------------------------------------------------------
# Feature -> indicator links
# ---------------------------------------------------------------------------

LINK_COLUMNS = ["feature_id", "indicator_id", "relation", "note"]


def write_links(path: Path, links: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(LINK_COLUMNS)
    for link in links:
        w.writerow([link[c] for c in LINK_COLUMNS])
    path.write_text(buf.getvalue(), encoding="utf-8")


# ---------------------------------------------------------------------------


def layer_geometry_type(features: list[dict]) -> str:
    """The one geometry type of a layer; Polygon + MultiPolygon -> MultiPolygon."""
    types = {f["geometry"]["type"] for f in features}
    if len(types) == 1:
        return types.pop()
    base = {t.removeprefix("Multi") for t in types}
    assert len(base) == 1, types
    return "Multi" + base.pop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=LAYERS_DIR,
        help="directory to write the catalogue into (default: layers/, beside this script)",
    )
    out_dir = parser.parse_args(argv).out
    out_dir.mkdir(parents=True, exist_ok=True)

    land_fc, coast_fc, env_fc, places, road_fc = load_inputs()
    layers = build_features(
        build_geometries(land_fc, places, road_fc),
        base_geometries(land_fc, coast_fc, env_fc),
        text_fields(places, land_fc, coast_fc, env_fc),
        places,
    )
    manifest = build_manifest()

    assert [lyr["id"] for lyr in manifest["layers"]] and set(layers) == {
        lyr["id"] for lyr in manifest["layers"]
    }
    # The app keeps layers sorted by group (layer tree); within a group points go
    # on top of lines, lines on top of polygons, and the listed order is kept.
    group_rank = {grp["id"]: i for i, grp in enumerate(manifest["groups"])}
    dim_rank = {"Point": 0, "LineString": 1, "Polygon": 2}
    for lyr in manifest["layers"]:
        lyr["geometry_type"] = layer_geometry_type(layers[lyr["id"]])
    manifest["layers"].sort(
        key=lambda lyr: (
            group_rank[lyr["group"]],
            dim_rank[lyr["geometry_type"].removeprefix("Multi")],
        )
    )
    for lyr in manifest["layers"]:
        write_feature_collection(out_dir / lyr["file"], lyr["id"], layers[lyr["id"]])
    write_json(out_dir / "manifest.json", manifest)

    indicators = build_indicators()
    write_json(out_dir / "indicators.json", indicators)

    all_ids = [f["properties"]["id"] for fs in layers.values() for f in fs]
    assert len(all_ids) == len(set(all_ids)), "duplicate feature ids"
    ind_ids = {i["id"] for i in indicators["indicators"]}
    assert len(ind_ids) == len(indicators["indicators"]), "duplicate indicator ids"
    links = read_csv("feature_indicator_links.csv")
    for link in links:
        assert link["feature_id"] in all_ids and link["indicator_id"] in ind_ids, link
    write_links(out_dir / "indicator_links.csv", links)

    for lyr in manifest["layers"]:
        print(f"{lyr['id']:36s} {len(layers[lyr['id']]):3d} features")
    print(f"{len(indicators['indicators'])} indicators, {len(links)} links")


if __name__ == "__main__":
    main()
