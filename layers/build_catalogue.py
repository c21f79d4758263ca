"""Build the bundled layer catalogue of the Dalian High-tech Zone plan layout.

Run from the repository root:

    .venv/bin/python layers/build_catalogue.py [--out DIR]

Reads ../shared/data/dalian (beside the repository) and writes, into layers/
(or DIR): one GeoJSON per layer, manifest.json, indicators.json and
indicator_links.csv.
The output is deterministic: the same inputs give byte-identical files.

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


def feature(props: dict, geom_utm=None, geom_wgs=None) -> dict:
    missing = [k for k in REQUIRED_PROPS if k not in props]
    assert not missing, (props.get("id"), missing)
    ordered = {k: props[k] for k in REQUIRED_PROPS}
    ordered.update({k: v for k, v in props.items() if k not in ordered})
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


def plan_src(where: str) -> str:
    return f"{PLAN_FILE}, {where}"


def paper_src(where: str) -> str:
    return f"{PAPER_FILE}, {where}"


def props(
    id,
    name_zh,
    name_en,
    plan_group,
    kind,
    *,
    role_zh="",
    role_en="",
    industries_zh="",
    industries_en="",
    status,
    parent_id="",
    source,
    geom_quality="schematic",
    geom_basis,
    **extra,
):
    out = dict(
        id=id,
        name_zh=name_zh,
        name_en=name_en,
        plan_group=plan_group,
        kind=kind,
        role_zh=role_zh,
        role_en=role_en,
        industries_zh=industries_zh,
        industries_en=industries_en,
        status=status,
        parent_id=parent_id,
        source=source,
        geom_quality=geom_quality,
        geom_basis=geom_basis,
    )
    out.update(extra)
    return out


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
    g = {}
    land = to_utm(shapely.make_valid(shape(land_fc["features"][0]["geometry"])))
    P = {slug: to_utm(shape(f["geometry"])) for slug, f in places.items()}
    g["P"] = P

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
    g["corridor.centerline"] = centerline
    g["corridor"] = band
    g["corridor.east"] = drop_specks(
        band.intersection(lonlat_box_utm(CUT_EAST_CENTRAL_LON, 38.70, 121.60, 39.00))
    )
    g["corridor.central"] = drop_specks(
        band.intersection(lonlat_box_utm(CUT_CENTRAL_WEST_LON, 38.70, CUT_EAST_CENTRAL_LON, 39.00))
    )
    g["corridor.west"] = drop_specks(
        band.intersection(lonlat_box_utm(121.0, 38.70, CUT_CENTRAL_WEST_LON, 39.00))
    )

    # --- innovation centre (一心) ----------------------------------------
    g["core.qixianling_cbd"] = place_zone("qixianling", 1000)
    g["core.lingshui_cid"] = place_zone("lingshui_dut", 1100)
    # Reclaimed land is missing from the OSM-derived land polygon: do not clip.
    g["core.lingshui_bay_reclaimed"] = circle(P["lingshui_bay"], 650)
    g["core.xiaopingdao_area"] = place_zone("xiaopingdao", 1500)
    g["core"] = on_land(
        shapely.union_all([g["core.qixianling_cbd"], g["core.lingshui_cid"]]).convex_hull.buffer(
            150, quad_segs=16
        )
    )

    # --- Yingeshi Science City (一城) ------------------------------------
    y_part = place_zone("yingeshi", 2400)
    b_part = place_zone("baoyudu", 1500)
    g["city.yingeshi"] = shapely.union_all([y_part, b_part])
    yc = P["yingeshi"]
    big = 10_000
    north = box(yc.x - big, yc.y, yc.x + big, yc.y + big)
    south_w = box(yc.x - big, yc.y - big, yc.x, yc.y)
    south_e = box(yc.x, yc.y - big, yc.x + big, yc.y)
    g["sector.frontier_rd"] = drop_specks(y_part.intersection(north))
    g["sector.new_economy"] = drop_specks(y_part.intersection(south_w))
    g["sector.tech_transfer"] = drop_specks(y_part.intersection(south_e))
    g["sector.eco_community"] = b_part
    g["platform.clean_energy_institute"] = offset(yc, -900, 1000)
    g["platform.advanced_light_source"] = offset(yc, 800, 1500)
    g["platform.liaoning_laboratory"] = offset(yc, 200, 600)

    # --- clusters (多组团) ------------------------------------------------
    g["cluster.huangnichuan"] = place_zone("huangnichuan", 1600)
    g["cluster.longwangtang"] = place_zone("longwangtang", 1500)
    g["cluster.lingshui_bay_hq"] = polygonal(
        shapely.union_all(
            [g["core.lingshui_bay_reclaimed"], circle(P["lingshui_bay"], 1200).intersection(land)]
        ).intersection(cells["lingshui_bay"])
    )
    g["cluster.xiaopingdao_media"] = place_zone("xiaopingdao", 1100)
    g["cluster.miaoling_materials"] = place_zone("miaoling", 1000)

    hc = P["huangnichuan"]
    g["project.tiandi_software_park"] = offset(hc, -700, 1050)
    g["project.china_japan_life_science_corridor"] = offset(hc, 700, 1050)
    g["project.semiconductor_industrial_park"] = offset(hc, 700, -1050)
    g["project.digital_town"] = offset(hc, -700, -1050)

    # --- expansion and ecology -------------------------------------------
    west_road = to_utm(road_wgs.intersection(box(120.9, 38.70, ZONE_WEST_LON, 39.00)))
    west_area = on_land(
        west_road.buffer(2500, quad_segs=16).difference(
            lonlat_box_utm(ZONE_WEST_LON, 38.60, 121.70, 39.10)
        )
    )
    g["expansion.west"] = west_area
    for key, frac, side in (
        ("cluster.clean_energy", 0.25, 1100),
        ("cluster.intelligent_manufacturing", 0.55, 0),
        ("cluster.life_health", 0.85, 900),
    ):
        anchor = west_road.interpolate(frac, normalized=True)
        ahead = west_road.interpolate(min(frac + 0.02, 1.0), normalized=True)
        dx, dy = ahead.x - anchor.x, ahead.y - anchor.y
        norm = math.hypot(dx, dy)
        # the road runs east to west: its right-hand normal points inland (north)
        centre = offset(anchor, dy / norm * side, -dx / norm * side)
        g[key] = drop_specks(circle(centre, 750).intersection(west_area))

    north_axis = to_utm(LineString([(121.335, 38.957), (121.42, 38.952), (121.50, 38.944)]))
    ecology = on_land(circle(P["jinlong_temple_park"], 2200)).difference(g["city.yingeshi"])
    g["ecology.central_core"] = drop_specks(ecology)
    g["expansion.north"] = on_land(north_axis.buffer(1400, quad_segs=16)).difference(
        g["ecology.central_core"]
    )

    # --- innovation streets and international communities -----------------
    hr = P["huoju_road"]
    huoju_axis = LineString([offset(hr, 0, -1100), offset(hr, 0, 1100)])
    g["street.huoju_road"] = on_land(huoju_axis.buffer(150, quad_segs=8))
    y_street_axis = LineString([offset(yc, 300, -400), offset(yc, 1700, -1500)])
    g["street.yingeshi"] = drop_specks(
        y_street_axis.buffer(150, quad_segs=8).intersection(g["sector.tech_transfer"])
    )
    g["community.qixianling"] = on_land(circle(offset(P["qixianling"], -250, 150), 450))
    g["community.huangnichuan"] = on_land(circle(hc, 450))

    # --- Dalian urban blocks ------------------------------------------------
    block_cells = voronoi_cells(
        {k: P[k] for k in ("nanshan", "zhongshan_square", "democracy_square")}
    )
    for slug, radius in (("nanshan", 350), ("zhongshan_square", 230), ("democracy_square", 230)):
        g[f"zhongshan.{slug}"] = on_land(circle(P[slug], radius).intersection(block_cells[slug]))
    g["zhongshan.corridor"] = LineString(
        [P["democracy_square"], P["zhongshan_square"], P["nanshan"]]
    )
    xc = P["xigang_proxy"]
    g["xigang.block"] = on_land(circle(xc, 900))
    for key, a0, a1 in (
        ("xigang.university_park", 30, 150),
        ("xigang.sci_tech_park", 150, 270),
        ("xigang.urban_community", 270, 390),
    ):
        g[key] = drop_specks(wedge(xc, 1000, a0, a1).intersection(g["xigang.block"]))

    return g


# ---------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------

S_LAYOUT = "第七章第一节 优化园区空间布局"
S_RENEWAL = "第七章第二节 有序开展城市更新"


def place_basis(places, slug):
    p = places[slug]["properties"]
    return f"estimated {p['name_en']} point (confidence {p['confidence']})"


def build_features(g, places, land_fc, coast_fc, env_fc):
    pb = lambda slug: place_basis(places, slug)  # noqa: E731
    L = {}

    # --- platforms -------------------------------------------------------
    L["hitech_city_platforms"] = [
        feature(
            props(
                "hitech.city.platform.clean_energy_institute",
                "中科院洁净能源创新研究院总部",
                "CAS Clean Energy Innovation Institute headquarters",
                "city",
                "platform",
                role_zh="支持建设中科院洁净能源创新研究院，对标国家实验室建设要求，推动中科院能源领域核心科研力量在科学城集聚，形成我国能源领域最具优势的创新单元",
                role_en="Support building the CAS Clean Energy Innovation Institute to national-laboratory standards, concentrating the CAS core energy research forces in the science city as China's strongest innovation unit in the energy field",
                industries_zh="洁净能源",
                industries_en="Clean energy",
                status="planned",
                parent_id="hitech.city.yingeshi",
                source=plan_src("第七章第一节 “一城”；第三章第一节 建设高水平战略性创新平台"),
                geom_basis="Illustrative point 1.0 km north / 0.9 km west of the estimated Yingeshi point, inside the frontier R&D sector; the plan gives no site",
            ),
            g["platform.clean_energy_institute"],
        ),
        feature(
            props(
                "hitech.city.platform.advanced_light_source",
                "大连先进光源大科学装置",
                "Dalian Advanced Light Source (large scientific facility)",
                "city",
                "platform",
                role_zh="协助推进大连先进光源大科学装置落地，建设具有国际领先水平的基于高亮度极紫外自由电子激光装置，争取在能源环境、量子材料、生物分子等前沿科学领域产生突破性研究成果",
                role_en="Help land the Dalian Advanced Light Source facility: an internationally leading high-brightness extreme-ultraviolet free-electron laser, aiming at breakthroughs in energy and environment, quantum materials, biomolecules and other frontier fields",
                status="planned",
                parent_id="hitech.city.yingeshi",
                source=plan_src("第七章第一节 “一城”；第三章第一节；附件 名词解释11"),
                geom_basis="Illustrative point 1.5 km north / 0.8 km east of the estimated Yingeshi point, inside the frontier R&D sector; the plan gives no site",
            ),
            g["platform.advanced_light_source"],
        ),
        feature(
            props(
                "hitech.city.platform.liaoning_laboratory",
                "辽宁实验室",
                "Liaoning Laboratory",
                "city",
                "platform",
                role_zh="推动辽宁实验室精细化工与催化研究中心、智能制造研究中心建设，支持组建独立法人实体，建立目标导向、绩效管理、协同攻关、开放共享的新型管理运行机制",
                role_en="Build the Liaoning Laboratory's fine chemicals and catalysis research centre and intelligent manufacturing research centre, as an independent legal entity with a goal-oriented, performance-managed, collaborative and open management model",
                industries_zh="精细化工与催化；智能制造",
                industries_en="Fine chemicals and catalysis; intelligent manufacturing",
                status="planned",
                parent_id="hitech.city.yingeshi",
                source=plan_src("第七章第一节 “一城”；第三章第一节 建设高水平战略性创新平台"),
                geom_basis="Illustrative point 0.6 km north / 0.2 km east of the estimated Yingeshi point, inside the frontier R&D sector; the plan gives no site",
            ),
            g["platform.liaoning_laboratory"],
        ),
    ]

    # --- Huangnichuan projects --------------------------------------------
    hn_src = plan_src("第七章第一节 “多组团” 黄泥川新兴产业组团")
    hn_basis = "Illustrative point about 1.3 km {dir} of the estimated Huangnichuan point (confidence low-medium), inside the Huangnichuan cluster and outside the corridor band; the plan gives no site"
    L["hitech_cluster_projects"] = [
        feature(
            props(
                "hitech.project.tiandi_software_park",
                "天地软件园",
                "Tiandi Software Park",
                "clusters",
                "project",
                role_zh="加快天地软件园项目建设",
                role_en="Speed up construction of the Tiandi Software Park project",
                industries_zh="数字技术",
                industries_en="Digital technology",
                status="under_construction",
                parent_id="hitech.cluster.huangnichuan",
                source=hn_src,
                geom_basis=hn_basis.format(dir="north-west"),
            ),
            g["project.tiandi_software_park"],
        ),
        feature(
            props(
                "hitech.project.china_japan_life_science_corridor",
                "中日合作大连国际生命科学走廊",
                "China-Japan Dalian International Life Science Corridor",
                "clusters",
                "project",
                role_zh="加快中日合作大连国际生命科学走廊项目建设；争取中日合作国际医院、共享医学中心落户",
                role_en="Speed up the China-Japan Dalian International Life Science Corridor project; seek a China-Japan international hospital and shared medical centre",
                industries_zh="生命健康",
                industries_en="Life and health",
                status="under_construction",
                parent_id="hitech.cluster.huangnichuan",
                source=hn_src + "；第四章第一节 生命健康；第五章第三节",
                geom_basis=hn_basis.format(dir="north-east"),
            ),
            g["project.china_japan_life_science_corridor"],
        ),
        feature(
            props(
                "hitech.project.semiconductor_industrial_park",
                "半导体产业园",
                "Semiconductor industrial park",
                "clusters",
                "project",
                role_zh="加快半导体产业园项目建设",
                role_en="Speed up construction of the semiconductor industrial park project",
                industries_zh="智能制造（第三代半导体）",
                industries_en="Intelligent manufacturing (third-generation semiconductors)",
                status="under_construction",
                parent_id="hitech.cluster.huangnichuan",
                source=hn_src,
                geom_basis=hn_basis.format(dir="south-east"),
            ),
            g["project.semiconductor_industrial_park"],
        ),
        feature(
            props(
                "hitech.project.digital_town",
                "高新区数字小镇",
                "High-tech Zone digital town",
                "clusters",
                "project",
                role_zh="谋划建设高新区数字小镇",
                role_en="Plan and build a High-tech Zone digital town",
                industries_zh="数字技术",
                industries_en="Digital technology",
                status="planned",
                parent_id="hitech.cluster.huangnichuan",
                source=hn_src,
                geom_basis=hn_basis.format(dir="south-west"),
            ),
            g["project.digital_town"],
        ),
    ]

    # --- corridor centre line ------------------------------------------
    L["hitech_corridor_centerline"] = [
        feature(
            props(
                "hitech.corridor.centerline",
                "科创大走廊轴线（旅顺南路）",
                "Corridor axis (Lvshun South Road)",
                "corridor",
                "corridor_axis",
                role_zh="沿旅顺南路一线，整体上建设贯穿全区的大连高新区科创大走廊",
                role_en="The Science and Innovation Grand Corridor is built along the Lvshun South Road line and runs through the whole zone",
                status="existing",
                parent_id="hitech.corridor",
                source=plan_src(S_LAYOUT + " “一廊”"),
                geom_basis=f"Hand-placed schematic Lvshun South Road line ({DATA_REF}/lvshun_south_road_SCHEMATIC_estimate.geojson, ±0.5-1 km) clipped east of {ZONE_WEST_LON}°E as the zone's assumed western limit",
            ),
            g["corridor.centerline"],
        )
    ]

    # --- Zhongshan corridor -------------------------------------------
    zs_src = paper_src("section 4 (1) Cultural and Creative Construction in Zhongshan District")
    L["dalian_zhongshan_corridor"] = [
        feature(
            props(
                "dalian.zhongshan.corridor",
                "中山区文化创意走廊",
                "Zhongshan District cultural and creative corridor",
                "blocks",
                "corridor",
                role_zh="以“南山街区”“中山广场街区”“民主广场街区”三区为重点发展区域，打造中山区文化创意走廊，以此为平台推动三区协同发展（“三区联动”）",
                role_en='The three areas of "Nanshan Block", "Zhongshan Square Block" and "Democracy Square Block" are key development areas, creating a cultural and creative corridor in Zhongshan District as a platform to effectively promote the coordinated development of the three areas ("three-district linkage")',
                industries_zh="文化创意；商业；旅游",
                industries_en="Cultural and creative industries; commerce; tourism",
                status="planned",
                source=zs_src,
                geom_basis="Straight line linking the estimated Democracy Square, Zhongshan Square and Nanshan points; the paper gives no route",
            ),
            g["zhongshan.corridor"],
        )
    ]

    # --- innovation streets -------------------------------------------
    st_src = plan_src(S_RENEWAL + " 推进创业创新示范街区建设；第三章第三节")
    L["hitech_innovation_streets"] = [
        feature(
            props(
                "hitech.street.huoju_road",
                "火炬路沿线综合性创业创新街区",
                "Huoju Road comprehensive entrepreneurship and innovation street",
                "streets",
                "street",
                role_zh="依托成熟建筑载体高度汇聚项目、技术、资本、人才、信息等市场化的创新创业要素，强化综合性创业服务供给能力，建设以孵化器产业楼宇为核心的创业生态街区、以高校院所科技成果转化为核心的创新生态街区以及围绕老旧厂房改造的数字文创街区",
                role_en="Using mature buildings, concentrate market-based innovation and start-up resources (projects, technology, capital, talent, information) and strengthen comprehensive start-up services: a start-up street centred on incubator buildings, an innovation street centred on university technology transfer, and a digital cultural-creative street in converted old factories",
                industries_zh="创业孵化；科技成果转化；数字文创",
                industries_en="Start-up incubation; technology transfer; digital cultural and creative industries",
                status="under_construction",
                source=st_src,
                geom_basis="300 m wide band along an assumed north-south 2.2 km axis through the estimated Huoju Road midpoint (confidence low), clipped to OSM land; the road's true course is not in the data",
            ),
            g["street.huoju_road"],
        ),
        feature(
            props(
                "hitech.street.yingeshi",
                "英歌石科学城特色产业创业创新街区",
                "Yingeshi Science City specialised-industry entrepreneurship and innovation street",
                "streets",
                "street",
                role_zh="围绕技术突破方向筹建洁净能源、海洋工程等领域的专业化众创空间、科技企业孵化器，推动科学城科技成果落地转化，打造高技术转化特色街区",
                role_en="Prepare specialised maker spaces and technology-business incubators in clean energy, ocean engineering and other fields of technological breakthrough, turn science-city results into local businesses, and build a high-tech transfer street",
                industries_zh="洁净能源；海洋工程",
                industries_en="Clean energy; ocean engineering",
                status="planned",
                parent_id="hitech.city.yingeshi",
                source=st_src,
                geom_basis="Illustrative 300 m wide, 1.8 km long band inside the technology transfer and incubation sector, south-east of the estimated Yingeshi point; the plan gives no site",
            ),
            g["street.yingeshi"],
        ),
    ]

    # --- international communities ------------------------------------
    ic_src = plan_src(S_RENEWAL + " 规划建设国际社区")
    ic_role_zh = "在七贤岭、黄泥川等发展相对成熟区域试点建设国际社区。引进建设国际学校、国际医院，加强国际化公共服务配套"
    ic_role_en = "Pilot international communities in relatively mature areas such as Qixianling and Huangnichuan, with international schools, international hospitals and international public services"
    L["hitech_international_communities"] = [
        feature(
            props(
                "hitech.community.qixianling",
                "七贤岭国际社区（试点）",
                "Qixianling international community (pilot)",
                "streets",
                "community",
                role_zh=ic_role_zh,
                role_en=ic_role_en,
                status="planned",
                source=ic_src,
                geom_basis="450 m radius circle 0.3 km west-north-west of the "
                + pb("qixianling")
                + ", clipped to OSM land",
            ),
            g["community.qixianling"],
        ),
        feature(
            props(
                "hitech.community.huangnichuan",
                "黄泥川国际社区（试点）",
                "Huangnichuan international community (pilot)",
                "streets",
                "community",
                role_zh=ic_role_zh,
                role_en=ic_role_en,
                status="planned",
                source=ic_src,
                geom_basis="450 m radius circle around the "
                + pb("huangnichuan")
                + ", clipped to OSM land",
            ),
            g["community.huangnichuan"],
        ),
    ]

    # --- Dalian blocks ----------------------------------------------
    xg_src = paper_src(
        "section 4 (2) Dalian Xigang District Science and Innovation Block Construction"
    )
    xg_proxy = (
        "The Xigang point is only a proxy (centroid of the district polygon, confidence low), "
        "not the block's actual site"
    )
    link_role_en = 'The "three-district linkage" of university park, science and technology park and urban community creates a one-stop science and technology block'
    link_role_zh = "大学园区、科技园区与城市社区“三区联动”，打造一站式科技街区"
    L["dalian_blocks"] = [
        feature(
            props(
                "dalian.zhongshan.nanshan",
                "南山街区",
                "Nanshan Block",
                "blocks",
                "block",
                role_zh="经近十年保护、培育和引导，已形成集文化、餐饮、娱乐、住宿、旅游等功能于一体的多元街区；以南山文旅康养街区为基础，联动中山广场、民主广场形成“三区联动”智慧文创街区",
                role_en='After nearly ten years of protection, cultivation and guidance, "Nanshan Block" has formed a diversified block integrating culture, catering, entertainment, accommodation, tourism and other functions; based on the Nanshan cultural-tourism and health block, it is linked with Zhongshan Square and Democracy Square to form a "three-district linkage" smart cultural and creative block',
                industries_zh="文化；餐饮；娱乐；住宿；旅游；康养",
                industries_en="Culture; catering; entertainment; accommodation; tourism; health",
                status="existing",
                parent_id="dalian.zhongshan.corridor",
                source=zs_src,
                geom_basis="350 m radius circle around the "
                + pb("nanshan")
                + ", clipped to OSM land",
            ),
            g["zhongshan.nanshan"],
        ),
        feature(
            props(
                "dalian.zhongshan.zhongshan_square",
                "中山广场街区",
                "Zhongshan Square Block",
                "blocks",
                "block",
                role_zh="街区内许多老建筑为国家级保护建筑，兼具文艺复兴、巴洛克、拜占庭、古罗马、折衷主义等建筑风格，是历史与现代的完美结合",
                role_en='Many of the old buildings in "Zhongshan Square Block" are nationally-protected buildings in European Renaissance, Baroque, Byzantine, ancient Roman, eclectic and other styles: a perfect combination of history and modernity',
                industries_zh="文化创意；历史建筑；旅游",
                industries_en="Cultural and creative industries; heritage architecture; tourism",
                status="existing",
                parent_id="dalian.zhongshan.corridor",
                source=zs_src,
                geom_basis="230 m radius circle around the "
                + pb("zhongshan_square")
                + ", split from the Democracy Square block at the perpendicular bisector",
            ),
            g["zhongshan.zhongshan_square"],
        ),
        feature(
            props(
                "dalian.zhongshan.democracy_square",
                "民主广场街区",
                "Democracy Square Block",
                "blocks",
                "block",
                role_zh="地理空间上相对集中的音乐酒吧街，既记录时代变迁的痕迹，也成为现代都市人的休闲场所和外地游客的旅游胜地",
                role_en='"Democracy Square Block" is a relatively concentrated music bar street which depicts the traces of the changes of the times and has become a leisure place for modern urbanites and a tourist resort for outsiders',
                industries_zh="音乐酒吧；休闲；旅游",
                industries_en="Music bars; leisure; tourism",
                status="existing",
                parent_id="dalian.zhongshan.corridor",
                source=zs_src,
                geom_basis="230 m radius circle around the "
                + pb("democracy_square")
                + ", split from the Zhongshan Square block at the perpendicular bisector",
            ),
            g["zhongshan.democracy_square"],
        ),
        feature(
            props(
                "dalian.xigang.block",
                "西岗区科创街区",
                "Xigang District science and innovation block",
                "blocks",
                "block",
                role_zh="以科技创新为核心、以集聚人才为根本、以“科技+”产业为特色，坚持“主城区”坐标、“无边界”理念，打造大学园区、科技园区与城市社区“三区联动”的一站式科技街区",
                role_en='The science and technology innovation block takes science and technology innovation as the core, gathering talents as the fundamental and "science and technology +" industries as its feature; it keeps to the "main urban area", follows a "no boundary" concept and creates the "three-district linkage" of university park, science and technology park and urban community as a one-stop science and technology block',
                industries_zh="“科技+”产业；科技服务业",
                industries_en='"Science and technology +" industries; science and technology services',
                status="planned",
                source=xg_src,
                geom_basis="900 m radius circle around the Xigang district centroid. " + xg_proxy,
            ),
            g["xigang.block"],
        ),
        feature(
            props(
                "dalian.xigang.university_park",
                "大学园区",
                "University park",
                "blocks",
                "linkage_part",
                role_zh=link_role_zh + "；大学产业园已入驻科技创新企业",
                role_en=link_role_en
                + "; the university industrial park already hosts science and technology innovation enterprises",
                status="planned",
                parent_id="dalian.xigang.block",
                source=xg_src,
                geom_basis="Northern third (120° wedge) of the Xigang block circle; the arrangement is illustrative. "
                + xg_proxy,
            ),
            g["xigang.university_park"],
        ),
        feature(
            props(
                "dalian.xigang.sci_tech_park",
                "科技园区",
                "Science and technology park",
                "blocks",
                "linkage_part",
                role_zh=link_role_zh,
                role_en=link_role_en,
                status="planned",
                parent_id="dalian.xigang.block",
                source=xg_src,
                geom_basis="South-western third (120° wedge) of the Xigang block circle; the arrangement is illustrative. "
                + xg_proxy,
            ),
            g["xigang.sci_tech_park"],
        ),
        feature(
            props(
                "dalian.xigang.urban_community",
                "城市社区",
                "Urban community",
                "blocks",
                "linkage_part",
                role_zh=link_role_zh,
                role_en=link_role_en,
                status="planned",
                parent_id="dalian.xigang.block",
                source=xg_src,
                geom_basis="South-eastern third (120° wedge) of the Xigang block circle; the arrangement is illustrative. "
                + xg_proxy,
            ),
            g["xigang.urban_community"],
        ),
    ]

    # --- science city sectors ----------------------------------------
    sec_src = plan_src(S_LAYOUT + " “一城”")
    sec_basis = "{part} of the science city's Yingeshi part, cut at the estimated Yingeshi point; the plan names the sectors but not their sites, so the arrangement is illustrative"
    L["hitech_city_sectors"] = [
        feature(
            props(
                "hitech.city.yingeshi.sector.frontier_rd",
                "前沿科技研发区",
                "Frontier science and technology R&D area",
                "city",
                "sector",
                role_zh="承载应用基础研究功能",
                role_en="Hosts applied basic research",
                status="planned",
                parent_id="hitech.city.yingeshi",
                source=sec_src,
                geom_basis=sec_basis.format(part="Northern half"),
            ),
            g["sector.frontier_rd"],
        ),
        feature(
            props(
                "hitech.city.yingeshi.sector.tech_transfer",
                "技术转移孵化区",
                "Technology transfer and incubation area",
                "city",
                "sector",
                role_zh="承载科技成果转化功能",
                role_en="Hosts the transfer and commercialisation of research results",
                status="planned",
                parent_id="hitech.city.yingeshi",
                source=sec_src,
                geom_basis=sec_basis.format(part="South-eastern quarter"),
            ),
            g["sector.tech_transfer"],
        ),
        feature(
            props(
                "hitech.city.yingeshi.sector.new_economy",
                "新经济商务区",
                "New-economy business area",
                "city",
                "sector",
                role_zh="承载未来产业培育功能",
                role_en="Hosts the incubation of future industries",
                status="planned",
                parent_id="hitech.city.yingeshi",
                source=sec_src,
                geom_basis=sec_basis.format(part="South-western quarter"),
            ),
            g["sector.new_economy"],
        ),
        feature(
            props(
                "hitech.city.yingeshi.sector.eco_community",
                "创新生态社区",
                "Innovation eco-community",
                "city",
                "sector",
                role_zh="承载高端人才集聚功能",
                role_en="Hosts the concentration of high-end talent",
                status="planned",
                parent_id="hitech.city.yingeshi",
                source=sec_src,
                geom_basis="Whole Baoyudu part of the science city (1.5 km radius around the "
                + pb("baoyudu")
                + ", clipped to OSM land); the plan names the sectors but not their sites, so the arrangement is illustrative",
            ),
            g["sector.eco_community"],
        ),
    ]

    # --- core zones (一心) -------------------------------------------
    core_src = plan_src(S_LAYOUT + " “一心”")
    reclaim_role_zh = "开展低效用地清理再开发，推动凌水湾填海地块及小平岛区域开发建设；加强凌水湾、河口湾、小平岛、龙王塘等新填海区域用地统筹规划和收储整理，严格限制用于房地产开发、低水平重复建设及污染海洋生态环境项目"
    reclaim_role_en = "Clear and redevelop inefficiently used land and develop the Lingshui Bay reclaimed plot and the Xiaopingdao area; plan and assemble the newly reclaimed land of Lingshui Bay, Hekou Bay, Xiaopingdao, Longwangtang and others, strictly restricting its use for real estate, low-level duplicate construction and projects polluting the marine environment"
    L["hitech_core_zones"] = [
        feature(
            props(
                "hitech.core",
                "国际都市创新中心",
                "International urban innovation centre",
                "core",
                "innovation_centre",
                role_zh="建设高素质高颜值高活力现代化国际化城区，在七贤岭、凌水区域打造国际都市创新中心；打造新主体集聚、新梦想实践、新生活体验为一体的新经济集聚地与高品质生活场景培育地",
                role_en="Build a high-quality, attractive, vibrant, modern and international urban district, with an international urban innovation centre in the Qixianling and Lingshui areas: a new-economy hub and a place for high-quality urban life",
                industries_zh="数字技术产业；现代服务业；创业经济；总部经济；现代金融；高端商贸；展览展示",
                industries_en="Digital technology industry; modern services; start-up economy; headquarters economy; modern finance; high-end commerce; exhibitions",
                status="under_construction",
                source=core_src,
                geom_basis="Convex hull of the CBD and CID zones buffered by 150 m, clipped to OSM land",
            ),
            g["core"],
        ),
        feature(
            props(
                "hitech.core.qixianling_cbd",
                "七贤岭城市CBD",
                "Qixianling central business district (CBD)",
                "core",
                "cbd",
                role_zh="以七贤岭为核心，高度集中经济、科技、文化力量，完善行政服务、商务会展、商住旅游、都市休闲及创新创业功能，构筑城市CBD",
                role_en="With Qixianling as its core, concentrate economic, scientific and cultural forces and complete administrative services, business and exhibitions, commerce-housing-tourism, urban leisure and innovation/start-up functions to build the city's CBD",
                industries_zh="行政服务；商务会展；商住旅游；都市休闲；创新创业",
                industries_en="Administrative services; business and exhibitions; commerce, housing and tourism; urban leisure; innovation and entrepreneurship",
                status="under_construction",
                parent_id="hitech.core",
                source=core_src,
                geom_basis="1 km radius circle around the "
                + pb("qixianling")
                + ", split from the CID at the perpendicular bisector, clipped to OSM land",
            ),
            g["core.qixianling_cbd"],
        ),
        feature(
            props(
                "hitech.core.lingshui_cid",
                "凌水中央创新区（CID）",
                "Lingshui central innovation district (CID)",
                "core",
                "cid",
                role_zh="依托凌水高校院所资源，大力建设中央创新区(CID)，为全区产业和经济社会发展提供技术、智力和支撑",
                role_en="Relying on the universities and research institutes of Lingshui, build a central innovation district (CID) that provides technology, intellect and support for the whole zone's industry and socio-economic development",
                status="under_construction",
                parent_id="hitech.core",
                source=core_src,
                geom_basis="1.1 km radius circle around the "
                + pb("lingshui_dut")
                + ", split from the CBD at the perpendicular bisector, clipped to OSM land",
            ),
            g["core.lingshui_cid"],
        ),
        feature(
            props(
                "hitech.core.lingshui_bay_reclaimed",
                "凌水湾填海地块",
                "Lingshui Bay reclaimed plot",
                "core",
                "development_area",
                role_zh=reclaim_role_zh,
                role_en=reclaim_role_en,
                status="planned",
                parent_id="hitech.core",
                source=core_src + "；" + S_RENEWAL,
                geom_basis="650 m radius circle around the estimated Lingshui Bay water label point (confidence low-medium), not clipped: the reclaimed land is missing from the OSM-derived land polygon",
            ),
            g["core.lingshui_bay_reclaimed"],
        ),
        feature(
            props(
                "hitech.core.xiaopingdao_area",
                "小平岛区域",
                "Xiaopingdao development area",
                "core",
                "development_area",
                role_zh=reclaim_role_zh,
                role_en=reclaim_role_en,
                status="planned",
                parent_id="hitech.core",
                source=core_src + "；" + S_RENEWAL,
                geom_basis="1.5 km radius circle around the "
                + pb("xiaopingdao")
                + ", kept apart from Baoyudu by the perpendicular bisector, clipped to OSM land",
            ),
            g["core.xiaopingdao_area"],
        ),
    ]

    # --- clusters (多组团) -------------------------------------------
    cl_src = plan_src(S_LAYOUT + " “多组团”")
    future_basis = "750 m radius circle beside the schematic Lvshun South Road west of the zone (up to 1.1 km inland of it), inside the western expansion area; the plan fixes no place for this cluster"
    future_role_zh = (
        "结合未来扩区需求，规划建设洁净能源产业组团、智能制造产业组团、生命健康产业组团等"
    )
    future_role_en = "In line with future expansion needs, plan and build a clean energy cluster, an intelligent manufacturing cluster, a life and health cluster and others"
    L["hitech_clusters"] = [
        feature(
            props(
                "hitech.cluster.huangnichuan",
                "黄泥川新兴产业组团",
                "Huangnichuan emerging industries cluster",
                "clusters",
                "cluster",
                role_zh="高标准推动黄泥川区域开发建设，打造新兴产业增长极；试点新兴产业用地政策，推动工业上楼，加强高品质产业空间供给",
                role_en="Develop the Huangnichuan area to high standards as a growth pole of emerging industries; pilot new industrial land policies, put industry into multi-storey buildings and supply high-quality industrial space",
                industries_zh="数字技术；生命健康；智能制造",
                industries_en="Digital technology; life and health; intelligent manufacturing",
                status="under_construction",
                source=cl_src,
                geom_basis="1.6 km radius circle around the "
                + pb("huangnichuan")
                + ", clipped to OSM land",
            ),
            g["cluster.huangnichuan"],
        ),
        feature(
            props(
                "hitech.cluster.longwangtang",
                "龙王塘未来产业新城组团",
                "Longwangtang future industries new town cluster",
                "clusters",
                "cluster",
                role_zh="加快推动城乡环境升级，谋划建设未来产业新城；推动低端加工制造业腾笼换业，大力发展都市工业；充分利用山海、寺庙、海岸、樱花等资源，推动村镇环境品质升级，大力发展都市休闲产业，建设滨海休闲新城区，服务英歌石科学城高端人才生活居住需求",
                role_en="Upgrade the urban and rural environment and plan a future-industries new town; replace low-end processing with urban industry; use the mountains, sea, temples, coast and cherry blossoms to upgrade villages and towns and develop urban leisure and a new seaside leisure district serving the housing needs of Yingeshi Science City's top talent",
                industries_zh="都市工业；智能制造；新材料；生命健康；都市休闲",
                industries_en="Urban industry; intelligent manufacturing; new materials; life and health; urban leisure",
                status="planned",
                source=cl_src,
                geom_basis="1.5 km radius circle around the "
                + pb("longwangtang")
                + ", clipped to OSM land",
            ),
            g["cluster.longwangtang"],
        ),
        feature(
            props(
                "hitech.cluster.lingshui_bay_hq",
                "凌水湾总部组团",
                "Lingshui Bay headquarters cluster",
                "clusters",
                "cluster",
                role_zh="按照产业定位规划凌水湾总部组团",
                role_en="Plan the Lingshui Bay headquarters cluster according to its industrial positioning",
                industries_zh="总部经济",
                industries_en="Headquarters economy",
                status="planned",
                source=cl_src,
                geom_basis="OSM land within 1.2 km of the estimated Lingshui Bay water label point (confidence low-medium) plus the reclaimed plot, kept apart from the CBD by the perpendicular bisector",
            ),
            g["cluster.lingshui_bay_hq"],
        ),
        feature(
            props(
                "hitech.cluster.xiaopingdao_media",
                "小平岛传媒组团",
                "Xiaopingdao media cluster",
                "clusters",
                "cluster",
                role_zh="按照产业定位规划小平岛传媒组团",
                role_en="Plan the Xiaopingdao media cluster according to its industrial positioning",
                industries_zh="传媒",
                industries_en="Media",
                status="planned",
                source=cl_src,
                geom_basis="1.1 km radius circle around the "
                + pb("xiaopingdao")
                + ", clipped to OSM land",
            ),
            g["cluster.xiaopingdao_media"],
        ),
        feature(
            props(
                "hitech.cluster.miaoling_materials",
                "庙岭新材料组团",
                "Miaoling new materials cluster",
                "clusters",
                "cluster",
                role_zh="按照产业定位规划庙岭新材料组团",
                role_en="Plan the Miaoling new materials cluster according to its industrial positioning",
                industries_zh="新材料",
                industries_en="New materials",
                status="planned",
                source=cl_src,
                geom_basis="1 km radius circle around the "
                + pb("miaoling")
                + ", clipped to OSM land",
            ),
            g["cluster.miaoling_materials"],
        ),
        feature(
            props(
                "hitech.cluster.clean_energy",
                "洁净能源产业组团",
                "Clean energy industry cluster",
                "clusters",
                "cluster",
                role_zh=future_role_zh,
                role_en=future_role_en,
                industries_zh="洁净能源",
                industries_en="Clean energy",
                status="planned",
                source=cl_src,
                geom_basis=future_basis,
            ),
            g["cluster.clean_energy"],
        ),
        feature(
            props(
                "hitech.cluster.intelligent_manufacturing",
                "智能制造产业组团",
                "Intelligent manufacturing industry cluster",
                "clusters",
                "cluster",
                role_zh=future_role_zh,
                role_en=future_role_en,
                industries_zh="智能制造",
                industries_en="Intelligent manufacturing",
                status="planned",
                source=cl_src,
                geom_basis=future_basis,
            ),
            g["cluster.intelligent_manufacturing"],
        ),
        feature(
            props(
                "hitech.cluster.life_health",
                "生命健康产业组团",
                "Life and health industry cluster",
                "clusters",
                "cluster",
                role_zh=future_role_zh,
                role_en=future_role_en,
                industries_zh="生命健康",
                industries_en="Life and health",
                status="planned",
                source=cl_src,
                geom_basis=future_basis,
            ),
            g["cluster.life_health"],
        ),
    ]

    # --- science city outline ------------------------------------------
    L["hitech_science_city"] = [
        feature(
            props(
                "hitech.city.yingeshi",
                "英歌石科学城",
                "Yingeshi Science City",
                "city",
                "science_city",
                role_zh="包括英歌石区域和鲍鱼肚区域，坚持创新功能与城市功能融合并进，建设“科教创产融合共生、山水林湖和谐宜居”的“具有全国影响力的科技创新新地标”；聚焦“应用基础研究、科技成果孵化、科技服务支撑、品质宜居生活”四大功能",
                role_en='Comprises the Yingeshi area and the Baoyudu area; merging innovation and urban functions, it is to become a "new national landmark of scientific and technological innovation" where science, education, innovation and industry grow together amid mountains, water, forests and lakes; four functions: applied basic research, incubation of research results, science and technology services, and high-quality living',
                industries_zh="洁净能源；新一代信息技术；智能制造；生命健康；海洋技术",
                industries_en="Clean energy; new-generation information technology; intelligent manufacturing; life and health; marine technology",
                status="planned",
                source=plan_src(S_LAYOUT + " “一城”；第三章第一节 加快建设英歌石科学城"),
                geom_basis="Two parts: 2.4 km radius circle around the "
                + pb("yingeshi")
                + " and 1.5 km radius circle around the "
                + pb("baoyudu")
                + ", each clipped to OSM land and kept apart from neighbouring places by perpendicular bisectors",
            ),
            g["city.yingeshi"],
        )
    ]

    # --- corridor sections --------------------------------------------
    corr_src = plan_src(S_LAYOUT + " “一廊”")
    band_basis = "1.5 km wide band (750 m each side) along the schematic Lvshun South Road line, clipped to OSM land"
    L["hitech_corridor_sections"] = [
        feature(
            props(
                "hitech.corridor",
                "大连高新区科创大走廊",
                "Dalian High-tech Zone Science and Innovation Grand Corridor",
                "corridor",
                "corridor",
                role_zh="沿旅顺南路一线，整体上建设贯穿全区的大连高新区科创大走廊，打造全市创新策源中心；推动各功能板块的协同联动，打通知识发现、技术创新、成果转化、场景营造、产业落地的传导链条",
                role_en="Along the Lvshun South Road line, build the Dalian High-tech Zone Science and Innovation Grand Corridor running through the whole zone as the city's source of innovation; link the functional areas and connect knowledge discovery, technological innovation, transfer of results, application scenarios and industrial implementation",
                status="planned",
                source=corr_src,
                geom_basis=band_basis,
            ),
            g["corridor"],
        ),
        feature(
            props(
                "hitech.corridor.east",
                "科创大走廊东部区域",
                "Corridor eastern section",
                "corridor",
                "corridor_section",
                role_zh="东部区域以综合创新为重点，依托相对成熟的城市形态、功能业态，加速完善创新创业生态，提升创新发展活力",
                role_en="The eastern section focuses on comprehensive innovation: building on its relatively mature urban form and functions, it speeds up the improvement of the innovation and start-up ecosystem and raises innovation vitality",
                status="planned",
                parent_id="hitech.corridor",
                source=corr_src,
                geom_basis=f"{band_basis}; east of {CUT_EAST_CENTRAL_LON}°E (schematic cut between Lingshui/Qixianling and Miaoling/Huangnichuan)",
            ),
            g["corridor.east"],
        ),
        feature(
            props(
                "hitech.corridor.central",
                "科创大走廊中部区域",
                "Corridor central section",
                "corridor",
                "corridor_section",
                role_zh="中部区域以产业创新为重点，加快黄泥川区域建设发展，推动龙王塘区域城市形态升级、产业腾笼换鸟",
                role_en="The central section focuses on industrial innovation: it speeds up development of the Huangnichuan area and upgrades the urban form of the Longwangtang area, replacing old industries with new ones",
                status="planned",
                parent_id="hitech.corridor",
                source=corr_src,
                geom_basis=f"{band_basis}; between {CUT_CENTRAL_WEST_LON}°E and {CUT_EAST_CENTRAL_LON}°E (schematic cuts). With the estimated points the Longwangtang area, which the plan puts in this section, lies beside the western section's stretch of road",
            ),
            g["corridor.central"],
        ),
        feature(
            props(
                "hitech.corridor.west",
                "科创大走廊西部区域",
                "Corridor western section",
                "corridor",
                "corridor_section",
                role_zh="西部区域以技术创新为重点，加快英歌石科学城建设",
                role_en="The western section focuses on technological innovation and speeds up construction of Yingeshi Science City",
                status="planned",
                parent_id="hitech.corridor",
                source=corr_src,
                geom_basis=f"{band_basis}; west of {CUT_CENTRAL_WEST_LON}°E (schematic cut where the road comes closest to the Yingeshi part of the science city) to the assumed zone limit at {ZONE_WEST_LON}°E",
            ),
            g["corridor.west"],
        ),
    ]

    # --- expansion and ecology --------------------------------------
    exp_src = plan_src(S_LAYOUT + " 在创新新城层面谋划未来发展空间")
    L["hitech_expansion_ecology"] = [
        feature(
            props(
                "hitech.expansion.west",
                "西拓区域",
                "Western expansion area",
                "expansion",
                "expansion",
                role_zh="按照《大连2049城市愿景》中关于高新区“西拓北延，差异发展”的空间拓展策略，稳步推进扩区扩容工作。近期，推进“西拓”布局；西部区域重点承载智能制造、洁净能源、生物医药等领域项目集聚，承接英歌石科学城科技成果转化，形成“总部+基地”“研发+生产”“创新+转化”的联动发展模式",
                role_en='Following the "expand west, extend north, develop differently" strategy that the Dalian 2049 City Vision sets for the zone, steadily enlarge the zone; in the near term push the western expansion; the western area concentrates intelligent manufacturing, clean energy and biomedicine projects, takes up results of Yingeshi Science City and links "headquarters + base", "R&D + production" and "innovation + transfer"',
                industries_zh="智能制造；洁净能源；生物医药",
                industries_en="Intelligent manufacturing; clean energy; biomedicine",
                status="planned",
                source=exp_src,
                geom_basis=f"2.5 km buffer of the schematic Lvshun South Road west of {ZONE_WEST_LON}°E (towards Lushun), clipped to OSM land; the plan gives only the direction",
            ),
            g["expansion.west"],
        ),
        feature(
            props(
                "hitech.expansion.north",
                "北延活力产业带",
                "Northern extension vitality industrial belt",
                "expansion",
                "expansion",
                role_zh="北部区域建设活力产业带，依托相对优越的生态环境和配套环境，发展新一代信息技术、高端装备制造、生物医药等产业；远期逐步向渤海侧扩展",
                role_en="Build a vitality industrial belt in the northern area, using its relatively good ecological and supporting environment to develop new-generation information technology, high-end equipment manufacturing, biomedicine and other industries; in the long term expand gradually towards the Bohai side",
                industries_zh="新一代信息技术；高端装备制造；生物医药",
                industries_en="New-generation information technology; high-end equipment manufacturing; biomedicine",
                status="planned",
                source=exp_src,
                geom_basis="2.8 km wide band along a hand-drawn west-east axis (about 38.95°N, 121.335-121.50°E) north of the central ecological core, towards the Bohai coast, clipped to OSM land; the plan gives only the direction",
            ),
            g["expansion.north"],
        ),
        feature(
            props(
                "hitech.ecology.central_core",
                "中部自然生态核",
                "Central natural ecological core",
                "expansion",
                "ecology",
                role_zh="规划中部自然生态核，围绕金龙寺国家森林公园等区域，加强自然环境保护、生态景观建设，打造城市绿肺",
                role_en="Plan a central natural ecological core around the Jinlong Temple National Forest Park and other areas, strengthening nature protection and ecological landscaping as the city's green lung",
                status="planned",
                source=exp_src,
                geom_basis="2.2 km radius circle around the "
                + pb("jinlong_temple_park")
                + "; that point's location is uncertain (it may lie elsewhere in Dalian); clipped to OSM land, minus the science city",
            ),
            g["ecology.central_core"],
        ),
    ]

    # --- base layers ------------------------------------------------
    L["base_named_places"] = []
    for slug in sorted(places, key=lambda s: list(PLACE_SLUGS.values()).index(s)):
        f = places[slug]
        p = f["properties"]
        quality = "approximate" if p["confidence"].startswith("medium") else "schematic"
        L["base_named_places"].append(
            feature(
                props(
                    f"base.place.{slug}",
                    p["name"],
                    p["name_en"],
                    "base",
                    "reference_point",
                    status="existing",
                    source=f"{DATA_REF}/dalian_named_places_WGS84_estimates.geojson",
                    geom_quality=quality,
                    geom_basis=f"{p['coord_status']}: {p['basis']} (confidence {p['confidence']})",
                    confidence=p["confidence"],
                    coord_status=p["coord_status"],
                ),
                geom_wgs=shape(f["geometry"]),
            )
        )

    env = env_fc["features"][0]["properties"]
    L["base_central_districts"] = [
        feature(
            props(
                "base.central_districts",
                "大连市中心四区（中山、西岗、沙河口、甘井子）外轮廓",
                "Outline of Dalian's four central districts (Zhongshan, Xigang, Shahekou, Ganjingzi)",
                "base",
                "base",
                status="existing",
                source=f"{DATA_REF}/dalian_central4_envelope_geoboundaries_odbl.geojson; {env['source']}",
                geom_quality="approximate",
                geom_basis="geoBoundaries 'Ganjingzi District' polygon, whose outer ring also encloses Zhongshan, Xigang and Shahekou; simplified (vertex spacing about 100 m - 1 km)",
                attribution="© OpenStreetMap contributors; geoBoundaries (Runfola et al. 2020, PLOS ONE 15(4): e0231866)",
                license="ODbL-1.0",
                upstream_id=env["boundaryID"],
            ),
            geom_wgs=polygonal(shapely.make_valid(shape(env_fc["features"][0]["geometry"]))),
        )
    ]
    coast = coast_fc["features"][0]["properties"]
    L["base_coastline"] = [
        feature(
            props(
                "base.coastline",
                "海岸线",
                "Coastline",
                "base",
                "base",
                status="existing",
                source=f"{DATA_REF}/dalian_coastline_osm.geojson; {coast['source']}",
                geom_quality="approximate",
                geom_basis="Boundary of the OSM-derived land polygon with the clip frame removed; generalised, without recent reclamation",
                attribution="© OpenStreetMap contributors",
                license="ODbL-1.0",
            ),
            geom_wgs=shape(coast_fc["features"][0]["geometry"]),
        )
    ]
    landp = land_fc["features"][0]["properties"]
    L["base_land"] = [
        feature(
            props(
                "base.land",
                "陆地",
                "Land",
                "base",
                "base",
                status="existing",
                source=f"{DATA_REF}/dalian_land_osm.geojson; {landp['source']}",
                geom_quality="approximate",
                geom_basis="OSM-derived land polygon clipped to 120.95-122.45°E, 38.60-39.45°N; generalised (vertex spacing about 100 m - 1 km), without recent reclamation",
                attribution="© OpenStreetMap contributors",
                license="ODbL-1.0",
            ),
            geom_wgs=polygonal(shapely.make_valid(shape(land_fc["features"][0]["geometry"]))),
        )
    ]
    return L


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


def year_or_none(cell: str) -> int | None:
    return int(cell) if cell else None


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
    g = build_geometries(land_fc, places, road_fc)
    layers = build_features(g, places, land_fc, coast_fc, env_fc)
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
