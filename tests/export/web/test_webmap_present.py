"""The web map as a presenter uses it: on a projector (1600x1000), on a phone (390x844) and
printed, in a real headless Chromium with the network blocked (see tests/export/conftest.py)."""

from __future__ import annotations

import io
import json
import re
import subprocess

import pytest
from PIL import Image

from gisapp.cli import main
from gisapp.core.analysis.classify import style_by_progress
from gisapp.export.web.webmap import WebMapOptions, build_payload, export_web_map
from gisapp.io.project_gpkg import save_project

pytestmark = pytest.mark.browser

LABEL_RECTS = """() => gisappExport.labels().map((l, k) => {
    const r = gisappExport.map.getPane('gis-labels').querySelectorAll('.gis-label-text')[k].getBoundingClientRect();
    return {layer: l.layer, text: l.text, rect: [r.left, r.top, r.right, r.bottom]};
})"""
RECT = "(sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"
DISPLAY = "(sel) => getComputedStyle(document.querySelector(sel)).display"


def overlaps(a, b) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


@pytest.fixture
def present_map(small_project, tmp_path):
    small_project.layer("hidden").visible = True  # a background polygon (the "land")
    return export_web_map(small_project, tmp_path / "map.html", WebMapOptions(lang="zh"))


def assert_clean(opened) -> None:
    assert opened.console_errors == [], opened.console_errors
    assert opened.blocked == [], opened.blocked


def test_a_group_ticked_again_shows_all_its_layers(present_map, open_map):
    opened = open_map(present_map, 1600, 1000)
    group = opened.page.locator(".gis-group", has_text="规划").locator(".gis-group-title input")
    group.uncheck()
    layers = opened.eval("gisappExport.layers()")
    assert [layers[i]["visible"] for i in ("sites", "zones", "plots")] == [False, False, False]
    group.check()
    layers = opened.eval("gisappExport.layers()")
    assert [layers[i]["visible"] for i in ("sites", "zones", "plots")] == [True, True, True]
    assert group.evaluate("box => box.indeterminate") is False and group.is_checked()
    assert_clean(opened)


def test_a_transparent_layer_has_no_labels_and_zoom_buttons_speak_chinese(present_map, open_map):
    opened = open_map(present_map, 1600, 1000)
    page = opened.page
    assert "zones" in {label["layer"] for label in opened.eval("gisappExport.labels()")}
    slider = page.locator('.gis-opacity[data-layer="zones"]')
    slider.fill("0")
    assert "zones" not in {label["layer"] for label in opened.eval("gisappExport.labels()")}
    slider.fill("50")
    assert "zones" in {label["layer"] for label in opened.eval("gisappExport.labels()")}
    assert page.get_attribute(".leaflet-control-zoom-in", "title") == "放大"
    assert page.get_attribute(".leaflet-control-zoom-out", "title") == "缩小"
    assert_clean(opened)


def test_enter_takes_the_first_suggestion(present_map, open_map):
    opened = open_map(present_map, 1600, 1000)
    page = opened.page
    page.click(".leaflet-control-search .search-button")
    search = page.locator(".leaflet-control-search input.search-input")
    search.press_sequentially("地块")
    search.press("Space")  # CJK text arrives without key events (as from an IME);
    search.press("Backspace")  # leaflet-search filters on keyup
    tips = page.locator(".search-tooltip .gis-search-tip")
    tips.first.wait_for()
    assert tips.count() == 4
    page.keyboard.press("Enter")
    page.locator(".gis-info").wait_for(state="visible")
    assert page.locator(".gis-info h2").inner_text().startswith("地块")
    assert page.locator(".search-alert").is_hidden()
    assert_clean(opened)


def test_empty_land_opens_nothing(present_map, open_map):
    opened = open_map(present_map, 1600, 1000)
    page = opened.page
    opened.eval("gisappExport.map.setView([38.81, 121.46], 14, {animate: false})")
    point = opened.eval("gisappExport.pointAt(38.805, 121.455)")  # inside the background polygon
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_timeout(100)
    assert page.locator(".gis-info").is_hidden()
    assert page.locator(".gis-tooltip").count() == 0
    assert_clean(opened)


def test_a_measured_area_is_drawn_over_the_layers_without_csp_errors(present_map, open_map):
    opened = open_map(present_map, 1600, 1000)
    page = opened.page
    page.hover(".leaflet-control-measure")
    page.click(".leaflet-control-measure .js-start")  # makes its click-capturing marker
    assert page.locator(".leaflet-marker-pane .leaflet-marker-icon").count() == 1
    # leaflet-measure draws its area with L.polygon in Leaflet's default pane, as this does:
    opened.eval("L.polygon([[38.935, 121.51], [38.935, 121.55], [38.91, 121.55], [38.91, 121.51]],"
                " {className: 'measured'}).addTo(gisappExport.map)")
    centre = opened.eval("gisappExport.pointAt(38.9225, 121.53)")  # inside 北区
    stack = opened.eval("""(p) => document.elementsFromPoint(p.x, p.y).map(n =>
        n.classList.contains('measured') ? 'measured' : n.closest('.leaflet-pane[data-layer="zones"]') ? 'zones' : '')
        .filter(Boolean)""", centre)
    assert stack[:2] == ["measured", "zones"], f"the measured area is under the data layers: {stack}"
    page.click(".leaflet-control-measure .js-cancel")
    assert_clean(opened)  # no "Refused to load the image" from the CSP


def test_png_of_this_view_matches_the_screen(present_map, open_map, tmp_path):
    opened = open_map(present_map, 1600, 1000)
    page = opened.page
    with page.expect_download() as download:
        page.click(".gis-png-button")
    saved = tmp_path / "view.png"
    download.value.save_as(saved)
    image = Image.open(saved).convert("RGB")
    screen = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    assert image.size == screen.size == (1600, 1000)
    background = screen.getpixel((1590, 990))
    for lat, lng in ((38.945, 121.505), (38.86, 121.51), (38.9105, 121.5805)):  # 北区, 南区, a plot (clear of labels)
        p = opened.eval(f"gisappExport.pointAt({lat}, {lng})")
        xy = (round(p["x"]), round(p["y"]))
        got, seen = image.getpixel(xy), screen.getpixel(xy)
        assert seen != background
        assert max(abs(a - b) for a, b in zip(got, seen, strict=True)) <= 12, (xy, got, seen)
    assert_clean(opened)


def test_presentation_mode_keeps_the_map_title_and_legend(present_map, open_map):
    opened = open_map(present_map, 1600, 1000)
    page = opened.page
    page.click(".gis-present-button")
    for hidden in (".gis-layertree", ".leaflet-control-zoom", ".leaflet-control-search", ".leaflet-control-measure"):
        assert opened.eval(DISPLAY, hidden) == "none", hidden
    assert page.locator(".gis-legend .gis-panel-body").is_visible()
    assert float(opened.eval("getComputedStyle(document.querySelector('.gis-title-main')).fontSize")[:-2]) >= 28
    page.keyboard.press("Escape")
    assert page.locator(".gis-layertree").is_visible()
    assert_clean(opened)


def test_on_a_phone_nothing_covers_the_title_and_labels_are_placed(present_map, open_map):
    opened = open_map(present_map, 390, 844)
    page = opened.page
    assert page.locator(".gis-layertree.gis-collapsed").count() == 1
    assert page.locator(".gis-legend.gis-collapsed").count() == 1
    title = opened.eval(RECT, ".gis-title")
    for other in (".gis-layertree", ".gis-legend", ".leaflet-control-zoom"):
        assert not overlaps(title, opened.eval(RECT, other)), other
    assert opened.eval("gisappExport.labels()"), "no labels at load"
    minimap = opened.eval(RECT, ".leaflet-control-minimap")
    assert minimap[2] - minimap[0] <= 100 and minimap[3] - minimap[1] <= 100
    attribution = opened.eval(RECT, ".leaflet-control-attribution")
    assert not overlaps(opened.eval(RECT, ".leaflet-control-scale"), attribution)
    assert not overlaps(minimap, attribution)
    # Opening the legend re-places the labels clear of it; folding it brings them back.
    head = page.locator(".gis-legend .gis-panel-head")
    head.click()
    legend = opened.eval(RECT, ".gis-legend")
    head.click()
    label = opened.eval("gisappExport.featurePoint('zones', 0)")  # 北区's label, moved under the legend
    opened.eval("(d) => gisappExport.map.panBy(d, {animate: false})",
                [label["x"] - (legend[0] + legend[2]) / 2, label["y"] - (legend[1] + legend[3]) / 2])
    before = opened.eval(LABEL_RECTS)
    head.click()
    assert any(overlaps(label["rect"], legend) for label in before), "no label where the legend opens"
    assert not any(overlaps(label["rect"], legend) for label in opened.eval(LABEL_RECTS))
    head.click()
    assert len(opened.eval(LABEL_RECTS)) == len(before)
    assert_clean(opened)


def test_the_printed_page_has_the_map_title_and_whole_legend(present_map, open_map, tmp_path):
    opened = open_map(present_map, 1600, 1000)
    page = opened.page
    opened.eval("gisappExport.select('zones', 0)")
    page.emulate_media(media="print")
    for hidden in (".gis-layertree", ".gis-info", ".leaflet-control-zoom", ".leaflet-control-search",
                   ".leaflet-control-measure", ".leaflet-control-minimap", ".gis-present-tools"):
        assert opened.eval(DISPLAY, hidden) == "none", hidden
    cut = opened.eval("(() => { const b = document.querySelector('.gis-legend .gis-panel-body');"
                      " return b.scrollHeight - b.clientHeight; })()")
    assert cut <= 1, "the legend is cut off"
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("功能区", "核心", "园区", "地块", "道路", "站点", "隐藏图层"):  # legend entries
        assert expected in text, expected
    assert "测试规划" in text  # the title
    assert "路网" not in text and "北区" in text  # no layer tree; labels print
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    rendered = Image.open(tmp_path / "page.png").convert("RGB")
    assert rendered.width > rendered.height  # one landscape page
    sea = sum(1 for px in rendered.get_flattened_data() if px == (170, 211, 223))
    assert sea > rendered.width * rendered.height * 0.05  # the map fills the page, not a blank sheet
    assert_clean(opened)


# --- the command line and the page's data -------------------------------------------------
def test_export_web_takes_title_subtitle_actuals_and_progress_styles(small_project, tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["export-web", "--help"])
    usage = capsys.readouterr().out
    for option in ("--title", "--subtitle", "--actuals", "--style-by-progress"):
        assert option in usage, option
    project_file = tmp_path / "small.gpkg"
    save_project(small_project, project_file)
    actuals = tmp_path / "actuals.csv"
    actuals.write_text("indicator_id,feature_id,year,value\nind.rd,t.zone.north,2024,5.8\n", encoding="utf-8")
    out = tmp_path / "cli.html"
    assert main(["--project", str(project_file), "export-web", str(out), "--title", "汇报用图",
                 "--subtitle", "2024 年进展", "--actuals", str(actuals), "--style-by-progress"]) == 0
    html = out.read_text(encoding="utf-8")
    payload = json.loads(re.search(r'id="gisapp-data">(.*?)</script>', html, re.S).group(1))
    assert payload["title"] == "汇报用图" and payload["subtitle"] == "2024 年进展"
    zones = next(layer for layer in payload["layers"] if layer["id"] == "zones")
    small_project.indicators.actuals.set_value("ind.rd", 2024, 5.8, feature_id="t.zone.north")
    expected = small_project.layer("zones")
    style_by_progress(expected, small_project.indicators)
    fills = {s["fillColor"].lower() for s in zones["symbols"] if s.get("fill")}
    wanted = {s.fill.lower() for s in expected.style.symbols() if s.fill}
    assert fills and fills <= wanted
    assert "#e41a1c" not in fills  # the desktop's "core" colour gave way to status colours


def test_credits_follow_the_exported_data_and_the_basemap(small_project):
    small_project.attribution = "© OpenStreetMap contributors (ODbL); geoBoundaries (Runfola et al. 2020); Survey office"
    small_project.layer("hidden").metadata["provenance_en"] = "Land from © OpenStreetMap contributors"
    small_project.layer("road").metadata["provenance_en"] = "geoBoundaries districts"
    small_project.layer("hidden").visible = True

    def credits(**options) -> str:
        return " ".join(build_payload(small_project, WebMapOptions(**options))["attributions"])

    everything = credits()
    assert "OpenStreetMap" in everything and "geoBoundaries" in everything and "Survey office" in everything
    plan_only = credits(layer_ids=["zones", "sites"])
    assert "OpenStreetMap" not in plan_only and "geoBoundaries" not in plan_only
    assert "Survey office" in plan_only  # no layer says where it comes from: kept
    osm = build_payload(small_project, WebMapOptions(basemap="osm"))
    tiles = " ".join(t["attribution"] for t in osm["basemap"]["tiles"])
    assert (" ".join(osm["attributions"]) + tiles).count("OpenStreetMap") == 1
