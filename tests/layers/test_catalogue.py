"""Checks of the bundled layer catalogue (layers/) against its sources.

Plain json/csv/shapely/geopandas, no Qt. The shared folder with the plan text and
the blocks paper always sits beside the repository.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

REPO = Path(__file__).resolve().parents[2]
LAYERS = REPO / "layers"
SOURCES = Path(__file__).resolve().parents[3] / "shared/sources"
PLAN = SOURCES / "dalian-hitech-14th-five-year-plan.zh.txt"
PAPER = SOURCES / "dalian-zhongshan-xigang-blocks.en.txt"

REQUIRED_PROPS = (
    "id", "name_zh", "name_en", "plan_group", "kind", "role_zh", "role_en", "industries_zh",
    "industries_en", "status", "parent_id", "source", "geom_quality", "geom_basis",
)
GROUP_IDS = ["corridor", "core", "city", "clusters", "expansion", "streets", "blocks", "base"]
STATUSES = {"existing", "under_construction", "planned"}
GEOM_QUALITIES = {"schematic", "approximate"}
KINDS = {"stock", "rate", "share", "upper_bound", "range", "qualitative"}
RELATIONS = {"carries", "contributes", "zone_wide", "context"}
HEX = re.compile(r"^#[0-9a-f]{6}$")
DIM = {"Point": 0, "LineString": 1, "Polygon": 2}


def load_json(name):
    return json.loads((LAYERS / name).read_text(encoding="utf-8"))


MANIFEST = load_json("manifest.json")
INDICATORS = load_json("indicators.json")
RAW = {lyr["id"]: load_json(lyr["file"]) for lyr in MANIFEST["layers"]}
FEATURES = {
    f["properties"]["id"]: (lyr_id, f) for lyr_id, fc in RAW.items() for f in fc["features"]
}


def geom(feature_id):
    return shape(FEATURES[feature_id][1]["geometry"])


def props(feature_id):
    return FEATURES[feature_id][1]["properties"]


def norm_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------
# (a) layers
# ---------------------------------------------------------------------------


def test_manifest_header_and_groups():
    assert MANIFEST["format_version"] == 1
    assert MANIFEST["project"]["crs"] == "EPSG:4326"
    assert "OpenStreetMap" in MANIFEST["project"]["attribution"]
    assert "geoBoundaries" in MANIFEST["project"]["attribution"]
    assert [g["id"] for g in MANIFEST["groups"]] == GROUP_IDS
    for g in MANIFEST["groups"]:
        assert g["title_zh"] and g["title_en"]


def test_layer_order_follows_groups_points_on_top_and_land_at_bottom():
    layers = MANIFEST["layers"]
    keys = [
        (GROUP_IDS.index(lyr["group"]), DIM[lyr["geometry_type"].removeprefix("Multi")])
        for lyr in layers
    ]
    assert keys == sorted(keys)
    assert layers[-1]["id"] == "base_land"
    assert all(lyr["group"] == "base" for lyr in layers[-4:])
    assert len({lyr["id"] for lyr in layers}) == len(layers)


@pytest.mark.parametrize("entry", MANIFEST["layers"], ids=lambda e: e["id"])
def test_layer_file_loads_in_epsg4326_with_complete_properties(entry):
    path = LAYERS / entry["file"]
    assert path.exists()
    frame = gpd.read_file(path)
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert len(frame) > 0
    for key in ("title_zh", "title_en", "provenance_zh", "provenance_en", "label_field"):
        assert isinstance(entry[key], str) and entry[key]
    assert isinstance(entry["visible"], bool) and 0.0 <= entry["opacity"] <= 1.0
    assert entry["label_field"] in frame.columns
    # one geometry family per layer, as declared
    types = set(frame.geom_type)
    assert {t.removeprefix("Multi") for t in types} == {
        entry["geometry_type"].removeprefix("Multi")
    }
    raw = RAW[entry["id"]]
    assert raw["type"] == "FeatureCollection" and "crs" not in raw  # RFC 7946
    for feature in raw["features"]:
        p = feature["properties"]
        for key in REQUIRED_PROPS:
            assert isinstance(p.get(key), str), (p.get("id"), key)
        assert p["plan_group"] == entry["group"]
        assert p["status"] in STATUSES
        assert p["geom_quality"] in GEOM_QUALITIES
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)*", p["id"]), p["id"]
        for key in ("id", "name_zh", "name_en", "kind", "source", "geom_basis"):
            assert p[key], (p["id"], key)
        g = shape(feature["geometry"])
        assert g.is_valid and not g.is_empty, p["id"]


def test_feature_ids_unique_across_catalogue():
    ids = [f["properties"]["id"] for fc in RAW.values() for f in fc["features"]]
    assert len(ids) == len(set(ids))


def test_parent_ids_exist():
    for feature_id, (_, f) in FEATURES.items():
        parent = f["properties"]["parent_id"]
        assert parent == "" or parent in FEATURES, (feature_id, parent)


def test_only_base_layers_are_approximate():
    for feature_id, (_, f) in FEATURES.items():
        if f["properties"]["plan_group"] != "base":
            assert f["properties"]["geom_quality"] == "schematic", feature_id
    for feature_id in ("base.land", "base.coastline", "base.central_districts"):
        assert props(feature_id)["geom_quality"] == "approximate"
        assert "OpenStreetMap" in props(feature_id)["attribution"]


def _coords(obj):
    if isinstance(obj, float | int):
        yield obj
    else:
        for item in obj:
            yield from _coords(item)


def test_coordinates_rounded_and_rings_counter_clockwise():
    for feature_id, (_, f) in FEATURES.items():
        for value in _coords(f["geometry"]["coordinates"]):
            assert round(value, 6) == value, feature_id
        g = shape(f["geometry"])
        for poly in getattr(g, "geoms", [g]):
            if poly.geom_type == "Polygon":
                assert poly.exterior.is_ccw, feature_id
                assert all(not ring.is_ccw for ring in poly.interiors), feature_id


def _symbols(style):
    if style["type"] == "single":
        return [style["symbol"]]
    assert style["type"] == "categorized"
    return [c["symbol"] for c in style["categories"]] + [style["default"]]


@pytest.mark.parametrize("entry", MANIFEST["layers"], ids=lambda e: e["id"])
def test_styles_are_complete_and_match_the_data(entry):
    style = entry["style"]
    for sym in _symbols(style):
        assert HEX.match(sym["fill"]) and HEX.match(sym["stroke"])
        assert 0.0 <= sym["fill_opacity"] <= 1.0 and sym["stroke_width"] >= 0
        assert sym["stroke_style"] in {"solid", "dash", "dot"}
        assert sym["marker"] in {"circle", "square", "triangle", "star"} and sym["size"] > 0
    if style["type"] == "categorized":
        values = {f["properties"][style["field"]] for f in RAW[entry["id"]]["features"]}
        cats = [c["value"] for c in style["categories"]]
        assert set(cats) == values
        for c in style["categories"]:
            assert c["label_zh"] and c["label_en"]


def test_base_land_is_beige_without_stroke_and_named_places_hidden():
    land = next(lyr for lyr in MANIFEST["layers"] if lyr["id"] == "base_land")
    assert land["style"]["symbol"]["stroke_width"] == 0.0
    places = next(lyr for lyr in MANIFEST["layers"] if lyr["id"] == "base_named_places")
    assert places["visible"] is False
    assert len(RAW["base_named_places"]["features"]) == 17


# ---------------------------------------------------------------------------
# (b) indicators against the sources
# ---------------------------------------------------------------------------


def _source_text(source: str) -> str:
    name = source.split(",")[0].strip()
    path = SOURCES / name
    assert path.exists(), source
    return path.read_text(encoding="utf-8")


def test_indicator_records_are_well_formed():
    categories = {c["id"] for c in INDICATORS["categories"]}
    assert {"economy", "innovation", "industry", "opening", "livelihood", "environment"} <= categories
    ids = [i["id"] for i in INDICATORS["indicators"]]
    assert len(ids) == len(set(ids))
    for ind in INDICATORS["indicators"]:
        assert ind["category"] in categories, ind["id"]
        assert ind["kind"] in KINDS, ind["id"]
        assert ind["table"] in {"table1", "table2", "text", "paper"}
        assert ind["nature"] in {"expected", "binding", ""}
        assert ind["completion"] in {"completed", "not_completed", ""}
        if ind["table"] in ("table1", "table2"):
            assert isinstance(ind["row"], int)
        else:
            assert ind["row"] is None
        for key in ("name_zh", "name_en", "unit", "unit_en", "source", "source_quote"):
            assert isinstance(ind[key], str) and ind[key], (ind["id"], key)
        for key in ("baseline_value", "target_value", "actual_value"):
            assert ind[key] is None or isinstance(ind[key], str), (ind["id"], key)
            assert ind[key] not in ("-", "—", ""), (ind["id"], key)
        assert ind["target_value"] or ind["actual_value"], ind["id"]


@pytest.mark.parametrize("ind", INDICATORS["indicators"], ids=lambda i: i["id"])
def test_source_quote_is_in_the_source(ind):
    assert norm_ws(ind["source_quote"]) in norm_ws(_source_text(ind["source"]))


# Values derived from words in the source, not digits.
WORDED = {
    "plan.text.emerging_industries_scale",  # 千亿元
    "plan.text.digital_cluster_scale",  # 千亿级
    "plan.text.ten_billion_clusters",  # 百亿级
    "plan.text.park_5min",  # 五分钟
    "plan.text.fitness_15min",  # 一刻钟
}


@pytest.mark.parametrize(
    "ind",
    [i for i in INDICATORS["indicators"] if i["table"] in ("text", "paper")],
    ids=lambda i: i["id"],
)
def test_text_and_paper_values_appear_in_their_quote(ind):
    quote = ind["source_quote"].replace(",", "")
    for key in ("baseline_value", "target_value", "actual_value"):
        value = ind[key]
        if value is None or ind["id"] in WORDED:
            continue
        for number in re.findall(r"\d+(?:\.\d+)?", value):
            assert number in quote, (ind["id"], key, value)


def _table_rows(start: str, end: str) -> list[list[str]]:
    """Rows of a tab-indented table: fields are lines starting with a tab,
    other lines continue the previous field."""
    text = PLAN.read_text(encoding="utf-8")
    i = text.index(start)
    segment = text[i : text.index(end, i)]
    rows = []
    for block in re.split(r"\n[ ]*\n", segment):
        fields: list[str] = []
        for line in block.split("\n"):
            if line.startswith("\t"):
                fields.append(line[1:].strip())
            elif fields:
                fields[-1] += "\n" + line.strip()
        if fields and fields[0].isdigit():
            rows.append(fields)
    return rows


def _value(cell: str):
    first = cell.split("\n")[0].strip().replace("＞", ">")
    return None if first in ("-", "—", "") else first


def _label(cell: str) -> str:
    return cell.replace("\n", "")


CATEGORY_IDS = {
    "经济发展": "economy",
    "科技创新": "innovation",
    "产业培育": "industry",
    "对外开放": "opening",
    "社会民生": "livelihood",
    "资源环境": "environment",
}


def _by_table(table):
    return {i["row"]: i for i in INDICATORS["indicators"] if i["table"] == table}


def test_table2_all_rows_match_the_source():
    rows = _table_rows("表2大连高新区“十四五”发展目标", "第三章 坚持创新驱动发展")
    assert [int(r[0]) for r in rows] == list(range(1, 21))
    indicators = _by_table("table2")
    assert sorted(indicators) == list(range(1, 21))
    category = None
    for row in rows:
        no, cat, name, unit, y2020, y2025, nature = row
        category = CATEGORY_IDS[_label(cat)] if cat else category
        ind = indicators[int(no)]
        assert ind["id"] == f"plan.t2.{int(no):02d}"
        assert ind["name_zh"] == _label(name)
        assert ind["unit"] == unit
        assert ind["category"] == category
        assert (ind["baseline_year"], ind["target_year"]) == (2020, 2025)
        assert ind["baseline_value"] == _value(y2020), no
        assert ind["target_value"] == _value(y2025), no
        assert ind["nature"] == {"预期性": "expected", "约束性": "binding"}[nature]
    assert indicators[20]["notes_en"] and "cumulative" in indicators[20]["notes_en"]


def test_table1_all_rows_match_the_source():
    rows = _table_rows("表1：“十三五”重点指标完成情况", "特色产业发展取得新成就")
    assert [int(r[0]) for r in rows] == list(range(1, 11))
    indicators = _by_table("table1")
    assert sorted(indicators) == list(range(1, 11))
    category = None
    for row in rows:
        if len(row) == 9:
            no, cat, name, unit, actual, actual_g, target, target_g, done = row
        else:  # rows 9-10: one merged target cell
            no, cat, name, unit, actual, actual_g, target, done = row
            target_g = "—"
        category = CATEGORY_IDS[_label(cat)] if cat else category
        ind = indicators[int(no)]
        assert ind["id"] == f"plan.t1.{int(no):02d}"
        assert ind["name_zh"] == _label(name)
        assert ind["unit"] == unit
        assert ind["category"] == category
        assert (ind["actual_year"], ind["target_year"]) == (2020, 2020)
        assert ind["actual_value"] == _value(actual), no
        assert ind["actual_avg_growth"] == _value(actual_g), no
        assert ind["target_value"] == _value(target), no
        assert ind["target_avg_growth"] == _value(target_g), no
        assert ind["completion"] == {"完成": "completed", "未完成": "not_completed"}[done]
        if ind["target_value"] == "达到大连市要求":
            assert ind["kind"] == "qualitative"


def test_key_text_targets():
    by_id = {i["id"]: i for i in INDICATORS["indicators"]}
    expected = {
        "plan.text.scicity_researchers": ">=6000",
        "plan.text.scicity_national_rd_institutions": "30",
        "plan.text.hightech_enterprises": "2000",
        "plan.text.high_growth_firms": "600",
        "plan.text.rd_growth": "10",
        "plan.text.emerging_industries_scale": "1000",
        "plan.text.kindergartens": ">=10",
        "plan.text.primary_secondary_schools": "4-5",
        "plan.text.community_health_centres": "4-5",
        "plan.text.green_50m": "50",
        "plan.text.park_500m": "500",
    }
    for key, value in expected.items():
        assert by_id[key]["target_value"] == value, key
    assert by_id["plan.text.emerging_industries_scale"]["unit"] == "亿元"
    assert any(i.startswith("paper.zhongshan.") for i in by_id)
    assert any(i.startswith("paper.xigang.") for i in by_id)


# ---------------------------------------------------------------------------
# (c) links
# ---------------------------------------------------------------------------


def test_links_reference_existing_features_and_indicators():
    with open(LAYERS / "indicator_links.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["feature_id", "indicator_id", "relation", "note"]
        links = list(reader)
    indicator_ids = {i["id"] for i in INDICATORS["indicators"]}
    assert links
    for link in links:
        assert link["feature_id"] in FEATURES, link
        assert link["indicator_id"] in indicator_ids, link
        assert link["relation"] in RELATIONS, link
        assert link["note"], link
    pairs = {(lk["feature_id"], lk["indicator_id"]) for lk in links}
    assert len(pairs) == len(links)
    assert ("hitech.city.yingeshi", "plan.text.scicity_researchers") in pairs
    assert ("hitech.city.yingeshi", "plan.text.scicity_national_rd_institutions") in pairs


# ---------------------------------------------------------------------------
# (d) required features
# ---------------------------------------------------------------------------

SECTORS = ["frontier_rd", "tech_transfer", "new_economy", "eco_community"]
PLATFORMS = ["clean_energy_institute", "advanced_light_source", "liaoning_laboratory"]
CLUSTERS = [
    "huangnichuan", "longwangtang", "lingshui_bay_hq", "xiaopingdao_media",
    "miaoling_materials", "clean_energy", "intelligent_manufacturing", "life_health",
]


def test_required_features_exist():
    required = [
        "hitech.city.yingeshi", "hitech.corridor", "hitech.corridor.centerline",
        "hitech.core", "hitech.core.qixianling_cbd", "hitech.core.lingshui_cid",
        "hitech.core.lingshui_bay_reclaimed", "hitech.core.xiaopingdao_area",
        "hitech.expansion.west", "hitech.expansion.north", "hitech.ecology.central_core",
        "hitech.street.huoju_road", "hitech.street.yingeshi",
        "hitech.community.qixianling", "hitech.community.huangnichuan",
        "hitech.project.tiandi_software_park", "dalian.zhongshan.corridor",
        "dalian.zhongshan.nanshan", "dalian.zhongshan.zhongshan_square",
        "dalian.zhongshan.democracy_square", "dalian.xigang.block",
        "dalian.xigang.university_park", "dalian.xigang.sci_tech_park",
        "dalian.xigang.urban_community", "base.land", "base.coastline", "base.central_districts",
    ]
    required += [f"hitech.city.yingeshi.sector.{s}" for s in SECTORS]
    required += [f"hitech.city.platform.{p}" for p in PLATFORMS]
    required += [f"hitech.cluster.{c}" for c in CLUSTERS]
    missing = [r for r in required if r not in FEATURES]
    assert not missing
    for s in SECTORS:
        assert props(f"hitech.city.yingeshi.sector.{s}")["parent_id"] == "hitech.city.yingeshi"
    for p in PLATFORMS:
        assert props(f"hitech.city.platform.{p}")["parent_id"] == "hitech.city.yingeshi"
        assert geom(f"hitech.city.platform.{p}").geom_type == "Point"
    for c in CLUSTERS:
        assert props(f"hitech.cluster.{c}")["kind"] == "cluster"
    for c in ("clean_energy", "intelligent_manufacturing", "life_health"):
        p = props(f"hitech.cluster.{c}")
        assert p["status"] == "planned" and p["geom_quality"] == "schematic"
    for b in ("nanshan", "zhongshan_square", "democracy_square"):
        assert props(f"dalian.zhongshan.{b}")["parent_id"] == "dalian.zhongshan.corridor"
    assert "proxy" in props("dalian.xigang.block")["geom_basis"]


def test_corridor_sections_carry_their_roles():
    roles = {
        "east": "综合创新",
        "central": "产业创新",
        "west": "技术创新",
    }
    plan_text = PLAN.read_text(encoding="utf-8")
    for section, focus in roles.items():
        p = props(f"hitech.corridor.{section}")
        assert p["kind"] == "corridor_section" and p["parent_id"] == "hitech.corridor"
        assert focus in p["role_zh"] and p["role_en"]
        assert p["role_zh"] in plan_text


def test_plan_features_have_roles_and_sources():
    for feature_id, (_, f) in FEATURES.items():
        p = f["properties"]
        if p["plan_group"] == "base":
            continue
        assert p["role_zh"] and p["role_en"], feature_id
        assert p["source"].split(",")[0] in {
            "dalian-hitech-14th-five-year-plan.zh.txt",
            "dalian-zhongshan-xigang-blocks.en.txt",
        }, feature_id


# ---------------------------------------------------------------------------
# (e) geometry relations and plausibility
# ---------------------------------------------------------------------------


def _metric(*feature_ids):
    frame = gpd.GeoDataFrame(
        {"id": list(feature_ids)}, geometry=[geom(i) for i in feature_ids], crs="EPSG:4326"
    ).to_crs(32651)
    return dict(zip(frame["id"], frame.geometry, strict=True))


CONTAINED = [
    *[(f"hitech.city.yingeshi.sector.{s}", "hitech.city.yingeshi") for s in SECTORS],
    ("hitech.street.yingeshi", "hitech.city.yingeshi"),
    ("hitech.core.qixianling_cbd", "hitech.core"),
    ("hitech.core.lingshui_cid", "hitech.core"),
    ("hitech.corridor.east", "hitech.corridor"),
    ("hitech.corridor.central", "hitech.corridor"),
    ("hitech.corridor.west", "hitech.corridor"),
    ("dalian.xigang.university_park", "dalian.xigang.block"),
    ("dalian.xigang.sci_tech_park", "dalian.xigang.block"),
    ("dalian.xigang.urban_community", "dalian.xigang.block"),
    ("hitech.cluster.clean_energy", "hitech.expansion.west"),
    ("hitech.cluster.intelligent_manufacturing", "hitech.expansion.west"),
    ("hitech.cluster.life_health", "hitech.expansion.west"),
]


@pytest.mark.parametrize("child,parent", CONTAINED)
def test_polygons_lie_within_their_parent(child, parent):
    g = _metric(child, parent)
    assert g[child].intersection(g[parent]).area / g[child].area > 0.9


def test_sectors_tile_the_science_city():
    ids = [f"hitech.city.yingeshi.sector.{s}" for s in SECTORS] + ["hitech.city.yingeshi"]
    g = _metric(*ids)
    union = shapely.union_all([g[i] for i in ids[:-1]])
    city = g["hitech.city.yingeshi"]
    assert union.symmetric_difference(city).area / city.area < 0.02
    assert sum(g[i].area for i in ids[:-1]) / union.area < 1.02  # no overlaps


def test_points_lie_inside_their_parent_zone():
    for feature_id, (_, f) in FEATURES.items():
        parent = f["properties"]["parent_id"]
        if f["geometry"]["type"] == "Point" and parent:
            assert geom(parent).contains(geom(feature_id)), feature_id


def test_shapes_are_plausible_in_size():
    ids = [
        "hitech.city.yingeshi", "hitech.cluster.huangnichuan", "hitech.corridor",
        "hitech.corridor.centerline", "dalian.zhongshan.nanshan", "dalian.zhongshan.zhongshan_square",
        "hitech.street.huoju_road",
    ]
    g = _metric(*ids)
    km2 = {i: g[i].area / 1e6 for i in ids}
    assert 20 <= km2["hitech.city.yingeshi"] <= 40
    assert 2 <= km2["hitech.cluster.huangnichuan"] <= 12
    width = g["hitech.corridor"].area / g["hitech.corridor.centerline"].length
    assert 1000 <= width <= 2000
    assert 0.05 <= km2["dalian.zhongshan.zhongshan_square"] <= 1.0
    assert 0.05 <= km2["dalian.zhongshan.nanshan"] <= 1.0
    assert km2["hitech.street.huoju_road"] < 1.5


def test_shapes_sit_at_their_place_points():
    places = {
        f["properties"]["id"]: shape(f["geometry"]) for f in RAW["base_named_places"]["features"]
    }
    at = {
        "hitech.city.yingeshi": "base.place.yingeshi",
        "hitech.cluster.huangnichuan": "base.place.huangnichuan",
        "hitech.cluster.longwangtang": "base.place.longwangtang",
        "hitech.cluster.miaoling_materials": "base.place.miaoling",
        "hitech.core.qixianling_cbd": "base.place.qixianling",
        "hitech.core.lingshui_cid": "base.place.lingshui_dut",
        "hitech.core.lingshui_bay_reclaimed": "base.place.lingshui_bay",
        "hitech.core.xiaopingdao_area": "base.place.xiaopingdao",
        "dalian.zhongshan.nanshan": "base.place.nanshan",
        "dalian.zhongshan.zhongshan_square": "base.place.zhongshan_square",
        "dalian.zhongshan.democracy_square": "base.place.democracy_square",
        "dalian.xigang.block": "base.place.xigang_proxy",
    }
    for feature_id, place_id in at.items():
        assert geom(feature_id).buffer(1e-4).contains(places[place_id]), feature_id


def test_ecological_core_lies_in_the_forest_parks_published_extent():
    """The core is built round Jinlong Temple National Forest Park (121°21'-25'E, 38°55'-59'N),
    not round the shared estimate of the park point, which lies south of that extent."""
    core = geom("hitech.ecology.central_core")
    park = shapely.box(121.35, 38.9167, 121.4167, 38.9833)
    assert core.intersection(park).area / core.area > 0.99
    g = _metric("hitech.ecology.central_core", "hitech.expansion.north")
    assert g["hitech.ecology.central_core"].area / 1e6 > 10  # most of the park, not 2 of 14 km²
    assert g["hitech.ecology.central_core"].intersection(g["hitech.expansion.north"]).area == 0
    assert "121°21'-25'E" in props("hitech.ecology.central_core")["geom_basis"]


def test_science_city_reaches_the_corridors_west_section():
    g = _metric("hitech.city.yingeshi", "hitech.corridor.west")
    assert g["hitech.city.yingeshi"].intersects(g["hitech.corridor.west"])


def test_sectors_share_edges_without_overlap():
    ids = [f"hitech.city.yingeshi.sector.{s}" for s in SECTORS]
    g = _metric(*ids)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            assert g[a].intersection(g[b]).area < 1.0, (a, b)


def test_land_zones_sit_on_land():
    land = geom("base.land")
    for lyr_id in ("hitech_clusters", "hitech_city_sectors", "hitech_expansion_ecology", "dalian_blocks"):
        for f in RAW[lyr_id]["features"]:
            g = shape(f["geometry"])
            if f["properties"]["id"] == "hitech.cluster.lingshui_bay_hq" \
                    or f["properties"]["kind"] == "reclamation_area":
                continue  # reclaimed land is missing from the land polygon
            assert g.intersection(land).area / g.area > 0.98, f["properties"]["id"]


NAMED_IN_THE_SOURCES = {
    # chapter 3 section 1
    "hitech.city.platform.top_talent_base": "英歌石顶尖人才创新基地",
    "hitech.city.platform.ucas_energy_school": "国科大能源学院",
    # chapter 7 section 2
    "hitech.reclamation.hekou_bay": "河口湾",
    "hitech.reclamation.longwangtang": "龙王塘",
    "hitech.street.huoju_road.incubator": "以孵化器产业楼宇为核心的创业生态街区",
    "hitech.street.huoju_road.tech_transfer": "以高校院所科技成果转化为核心的创新生态街区",
    "hitech.street.huoju_road.digital_creative": "围绕老旧厂房改造的数字文创街区",
    # chapter 7 section 4
    "hitech.ecology.coastal_landscape_corridor": "滨海景观廊道",
    # chapter 4 section 1
    "hitech.project.life_science_park": "生命科学产业园",
    "hitech.project.neusoft_health_park": "东软健康医疗科技园",
}


@pytest.mark.parametrize("feature_id,quoted", sorted(NAMED_IN_THE_SOURCES.items()))
def test_elements_named_in_the_plan_are_features(feature_id, quoted):
    p = props(feature_id)
    assert quoted in p["name_zh"] and quoted in PLAN.read_text(encoding="utf-8")
    assert p["name_en"] and p["role_zh"] and p["role_en"] and p["geom_quality"] == "schematic"


def test_huoju_sub_streets_lie_in_the_street():
    ids = [f"hitech.street.huoju_road.{k}" for k in ("incubator", "tech_transfer", "digital_creative")]
    g = _metric("hitech.street.huoju_road", *ids)
    for i in ids:
        assert props(i)["parent_id"] == "hitech.street.huoju_road"
        assert g[i].intersection(g["hitech.street.huoju_road"]).area / g[i].area > 0.99


def test_blocks_paper_elements():
    paper = PAPER.read_text(encoding="utf-8")
    corridor = props("dalian.xigang.corridor")
    assert geom("dalian.xigang.corridor").geom_type == "LineString"
    assert "Science and Innovation Corridor" in paper and "corridor" in corridor["name_en"]
    assert props("dalian.xigang.block")["parent_id"] == "dalian.xigang.corridor"
    assert "Three-circle Integration" in paper and "三圈融合" in props("dalian.xigang.block")["role_zh"]
    assert "Youjian" in paper and "Youjian" in props("dalian.zhongshan.nanshan")["role_en"]


def test_links_say_how_far_a_figure_belongs_to_a_feature():
    with open(LAYERS / "indicator_links.csv", encoding="utf-8", newline="") as handle:
        links = {(r["feature_id"], r["indicator_id"]): r["relation"] for r in csv.DictReader(handle)}
    xigang = [k for k in links if k[0] == "dalian.xigang.block"]
    assert xigang and all(links[k] == "context" for k in xigang)  # district-wide figures
    assert all(links[k] == "context" for k in links
               if k[0] == "dalian.zhongshan.democracy_square" and "national_day" in k[1])
    for green in ("plan.text.green_50m", "plan.text.park_500m", "plan.t2.19"):
        assert links[("hitech.corridor", green)] == "zone_wide"
        assert links.get(("hitech.ecology.central_core", green)) in (None, "context")
    for cluster in ("clean_energy", "intelligent_manufacturing", "life_health"):
        assert links[(f"hitech.cluster.{cluster}", "plan.text.ten_billion_clusters")] == "context"
    assert not any("hundred_billion" in k[1] for k in links)


def test_base_land_has_no_sea_patches():
    """The simplified OSM land had 43 small holes (mostly triangles) that showed as sea on land;
    the shared data fills them, and the catalogue is built from it."""
    land = geom("base.land")
    assert sum(len(part.interiors) for part in shapely.get_parts(land)) == 0
    coast = geom("base.coastline")
    assert not coast.intersection(land.buffer(-0.002)).length, "no coastline runs inside the land"
