"""What the exported HTML contains: inlined assets, styles from the model, escaping, options."""

from __future__ import annotations

import json
import re

import pytest

from gisapp.cli import main as cli_main
from gisapp.core.model.style import Symbol
from gisapp.export.web import assets
from gisapp.export.web.webmap import (
    WebMapOptions,
    build_html,
    build_payload,
    estimate_size,
    export_web_map,
    page_script_modules,
    payload_json,
    selected_layers,
)
from gisapp.paths import resources_dir


def payload_from(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="gisapp-data">(.*?)</script>', page, re.S)
    assert match, "the page carries no data block"
    return json.loads(match.group(1))


def test_every_asset_resolves_to_a_packaged_file():
    assert assets.missing_assets() == [], "run `python -m gisapp.export.web.assets fetch`"


def test_self_contained_page_has_no_remote_scripts_or_styles(small_project):
    page = build_html(small_project, WebMapOptions(lang="zh"))
    assert assets.remote_references(page) == []
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page), "every script/style must be inline"
    assert "L.Control.Search" in page and "L.Control.MiniMap" in page  # plugin code inlined
    assert "Control.FullScreen" in page and "L.Control.Measure" in page
    assert 'http-equiv="Content-Security-Policy"' in page and "connect-src 'none'" in page
    # images referenced by the plugins' stylesheets are inlined too
    assert "data:image/png;base64," in page
    # folium's defaults the page does not use are gone
    for unused in ("jquery", "bootstrap", "awesome-markers", "font-awesome", "fontawesome"):
        assert unused not in page.lower().replace("gisapp", ""), unused


def test_linked_page_uses_the_cdns_and_is_smaller(small_project):
    linked = build_html(small_project, WebMapOptions(self_contained=False))
    inline = build_html(small_project, WebMapOptions(self_contained=True))
    refs = assets.remote_references(linked)
    assert any("leaflet@1.9.3/dist/leaflet.js" in url for url in refs)
    assert all(url in assets.ASSETS for url in refs), "every CDN link has a packaged copy"
    assert len(linked) < len(inline) / 2


def test_inline_assets_refuses_unknown_cdn_links():
    with pytest.raises(assets.MissingAssetError):
        assets.inline_assets('<script src="https://example.invalid/x.js"></script>')


def test_the_page_script_inlines_every_module_once_in_the_declared_order(small_project):
    folder = resources_dir() / "web" / "js"
    modules = page_script_modules()
    assert sorted(modules) == sorted(path.name for path in folder.glob("*.js")), "js/ORDER lists each module"
    assert len(set(modules)) == len(modules)
    assert (modules[0], modules[-1]) == ("dom.js", "main.js")  # the namespace first, start-up last
    page = build_html(small_project, WebMapOptions())
    scripts = re.findall(r"<script>/\* gisapp js/([\w.]+) \*/ (.*?)</script>", page, re.S)
    assert [name for name, _code in scripts] == modules  # each once, in js/ORDER's order
    for name, code in scripts:
        assert code == (folder / name).read_text(encoding="utf-8").rstrip("\n") + \
            f"\n//# sourceURL=gisapp/js/{name}\n", name
    assert page.count("gisapp js/") == len(modules)
    last = re.search(r"<script>/\* gisapp js/main\.js", page).start()
    assert last < page.index("GisappWebMap.init(")  # all loaded before the page starts the map


def test_inlined_code_cannot_close_its_script_element():
    tag = assets.script_tag('var s = "</script><b>";')
    assert tag.count("</script>") == 1 and tag.endswith("</script>")


def test_data_block_cannot_break_out_of_its_script_element(small_project, xss_name):
    page = build_html(small_project, WebMapOptions(lang="en"))
    assert xss_name not in page
    assert "<img src=x" not in page
    assert "<script>alert(1)</script>" not in page
    assert "<title>Test plan &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    data = payload_from(page)
    zones = next(layer for layer in data["layers"] if layer["id"] == "zones")
    assert xss_name in zones["names"]
    raw = payload_json({"s": "</script><!-- \u2028 & >"})
    assert "<" not in raw and ">" not in raw and "&" not in raw and "\u2028" not in raw
    assert json.loads(raw)["s"] == "</script><!-- \u2028 & >"


def test_data_never_goes_through_the_template_engine(small_project):
    zones = small_project.layer("zones")
    zones.frame.loc[0, "name_en"] = "{{ 7*7 }} {% raw %} {#"
    page = build_html(small_project, WebMapOptions(lang="en"))
    names = next(layer for layer in payload_from(page)["layers"] if layer["id"] == "zones")["names"]
    assert names[0] == "{{ 7*7 }} {% raw %} {#"


def test_attribution_is_escaped(small_project):
    data = build_payload(small_project, WebMapOptions())
    assert data["attributions"][0] == "© OpenStreetMap contributors (ODbL) &lt;i&gt;x&lt;/i&gt;"


def test_layers_in_canvas_order_with_groups_as_in_the_tree(small_project):
    data = build_payload(small_project, WebMapOptions(lang="zh"))
    # default: the visible layers, bottom first (the order they are painted)
    assert [layer["id"] for layer in data["layers"]] == ["road", "plots", "zones", "sites"]
    assert [(g["title"], g["layers"]) for g in data["groups"]] == [
        ("规划", ["sites", "zones", "plots"]), ("路网", ["road"])]
    explicit = build_payload(small_project, WebMapOptions(layer_ids=["hidden", "zones"]))
    assert [layer["id"] for layer in explicit["layers"]] == ["hidden", "zones"]
    assert explicit["layers"][0]["visible"] is False


def test_tile_basemaps_replace_the_offline_background(bundled):
    offline = [layer.id for layer in selected_layers(bundled, WebMapOptions(basemap="none"))]
    tiles = [layer.id for layer in selected_layers(bundled, WebMapOptions(basemap="osm"))]
    assert "base_land" in offline and "base_land" not in tiles
    assert set(tiles) < set(offline)


def test_basemaps(small_project):
    osm = build_payload(small_project, WebMapOptions(basemap="osm"))["basemap"]
    assert osm["tiles"][0]["url"].startswith("https://tile.openstreetmap.org/")
    assert "OpenStreetMap" in osm["tiles"][0]["attribution"] and "ODbL" in osm["tiles"][0]["attribution"]
    positron = build_payload(small_project, WebMapOptions(basemap="positron"))["basemap"]
    assert "basemaps.cartocdn.com/light_all" in positron["tiles"][0]["url"]
    tianditu = build_payload(small_project, WebMapOptions(basemap="tianditu", tianditu_key="abc123def456",
                                                          lang="zh"))["basemap"]
    assert [t["url"].split("/")[3] for t in tianditu["tiles"]] == ["vec_w", "cva_w"]
    assert all("tk=abc123def456" in t["url"] for t in tianditu["tiles"])
    assert build_payload(small_project, WebMapOptions())["basemap"] is None
    page = build_html(small_project, WebMapOptions(basemap="osm"))
    assert "img-src data: blob: https://tile.openstreetmap.org" in page


@pytest.mark.parametrize("options", [
    WebMapOptions(basemap="tianditu"),                       # no key
    WebMapOptions(basemap="tianditu", tianditu_key='k"};alert(1)//'),
    WebMapOptions(basemap="gaode"),                          # GCJ-02 tiles are left out on purpose
    WebMapOptions(lang="fr"),
    WebMapOptions(simplify_m=-1),
])
def test_bad_options_are_refused(small_project, options):
    with pytest.raises(ValueError):
        build_payload(small_project, options)


def test_unknown_layer_ids_are_refused(small_project):
    with pytest.raises(KeyError):
        build_payload(small_project, WebMapOptions(layer_ids=["nope"]))


def test_a_category_colour_changed_on_the_desktop_changes_in_the_export(small_project):
    zones = small_project.layer("zones")
    before = payload_from(build_html(small_project, WebMapOptions()))
    zones.style.set_category_symbol("core", Symbol(fill="#00ff7f", fill_opacity=0.6, stroke="#004d26"))
    zones.style_changed()
    after = payload_from(build_html(small_project, WebMapOptions()))

    def zone_symbols(data):
        return next(layer for layer in data["layers"] if layer["id"] == "zones")["symbols"]

    assert zone_symbols(before)[0]["fillColor"] == "#e41a1c"
    assert zone_symbols(after)[0]["fillColor"] == "#00ff7f"
    assert zone_symbols(after)[0]["color"] == "#004d26"


def test_languages(small_project):
    zh = build_payload(small_project, WebMapOptions(lang="zh"))
    en = build_payload(small_project, WebMapOptions(lang="en"))
    assert zh["title"].startswith("测试规划") and en["title"].startswith("Test plan")
    assert zh["i18n"]["legend"] == "图例" and en["i18n"]["legend"] == "Legend"
    zones_zh = next(layer for layer in zh["layers"] if layer["id"] == "zones")
    assert zones_zh["names"][:2] == ["北区", "南区"] and zones_zh["title"] == "功能区"
    assert '<html lang="zh-CN">' in build_html(small_project, WebMapOptions(lang="zh"))


def test_title_and_subtitle_options(small_project):
    data = build_payload(small_project, WebMapOptions(title="会议用图", subtitle="2025 年版"))
    assert (data["title"], data["subtitle"]) == ("会议用图", "2025 年版")
    auto = build_payload(small_project, WebMapOptions(lang="en"))
    assert "schematic" in auto["subtitle"]


def test_tolerance_and_dropped_fields_shrink_the_file(bundled):
    fine = estimate_size(bundled, WebMapOptions(simplify_m=0))
    coarse = estimate_size(bundled, WebMapOptions(simplify_m=50))
    assert coarse < fine
    dropped = estimate_size(bundled, WebMapOptions(drop_fields=("geom_basis", "source")))
    assert dropped < estimate_size(bundled, WebMapOptions())
    per_layer = build_payload(bundled, WebMapOptions(layer_simplify_m={"base_land": 25}))
    land = next(layer for layer in per_layer["layers"] if layer["id"] == "base_land")
    assert land["tolerance"] == 25 and land["precision"] == 5


def test_export_writes_the_file_and_the_cli_calls_it(small_project, tmp_path, monkeypatch):
    out = export_web_map(small_project, tmp_path / "sub" / "map.html", WebMapOptions(lang="en"))
    assert out.exists() and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert estimate_size(small_project, WebMapOptions(lang="en")) == out.stat().st_size

    monkeypatch.setattr("gisapp.io.session.open_project", lambda _path, _warnings=None: small_project)
    target = tmp_path / "cli.html"
    assert cli_main(["--lang", "en", "export-web", str(target), "--layers", "zones,road", "--linked"]) == 0
    data = payload_from(target.read_text(encoding="utf-8"))
    assert [layer["id"] for layer in data["layers"]] == ["road", "zones"]
    assert assets.remote_references(target.read_text(encoding="utf-8"))
    assert cli_main(["export-web", str(tmp_path / "x.html"), "--basemap", "tianditu"]) == 2
