"""The exported web map in a real headless chromium with every network request blocked.

Only file: and data: URLs load; anything else is aborted and recorded, so a page that
still needed a CDN would show up as blocked requests and console errors.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import shapely

from gisapp.core.model.style import Symbol
from gisapp.export.web.webmap import (
    WebMapOptions,
    export_web_map,
    page_script_modules,
    selected_layers,
)

pytestmark = pytest.mark.browser

COUNT_DRAWN = """(id) => {
    const pane = document.querySelector(`.leaflet-pane[data-layer="${id}"]`);
    return pane ? pane.querySelectorAll("path.gis-feature, .gis-marker").length : -1;
}"""


def drawable(layer) -> int:
    geoms = layer.frame.geometry.to_numpy()
    return int(np.count_nonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms))))


def export(project, tmp_path: Path, name: str = "map.html", **options) -> Path:
    return export_web_map(project, tmp_path / name, WebMapOptions(**options))


def assert_clean(opened) -> None:
    assert opened.console_errors == [], opened.console_errors
    assert opened.blocked == [], f"the page tried to reach the network: {opened.blocked}"


def test_small_map_initialises_offline_and_draws_every_feature(small_project, tmp_path, open_map):
    opened = open_map(export(small_project, tmp_path, lang="zh"))
    assert_clean(opened)
    layers = opened.eval("gisappExport.layers()")
    assert list(layers) == ["road", "plots", "zones", "sites"]
    for layer in selected_layers(small_project, WebMapOptions()):
        expected = drawable(layer)
        assert layers[layer.id]["drawn"] == layers[layer.id]["expected"] == expected, layer.id
        assert opened.eval(COUNT_DRAWN, layer.id) == expected, layer.id
    assert drawable(small_project.layer("zones")) == 3 < len(small_project.layer("zones"))
    # panes stacked in canvas order
    z = [int(opened.eval(f"getComputedStyle(document.querySelector('.leaflet-pane[data-layer=\"{i}\"]')).zIndex"))
         for i in ("road", "plots", "zones", "sites")]
    assert z == sorted(z)
    # the view is fitted to the exported layers
    bounds = opened.eval("(() => { const b = gisappExport.map.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()")
    assert bounds[0] < 121.49 and bounds[2] > 121.65 and bounds[1] < 38.84 and bounds[3] > 38.95
    for control in (".leaflet-control-scale", ".leaflet-control-zoom-fullscreen", ".leaflet-control-measure",
                    ".leaflet-control-search", ".leaflet-control-minimap", ".gis-layertree", ".gis-legend",
                    ".gis-title"):
        assert opened.page.locator(control).count() == 1, control
    assert "ODbL" in opened.page.inner_text(".leaflet-control-attribution")


def _first_middle_last(modules: list[str]) -> list[str]:
    return sorted({modules[0], modules[len(modules) // 2], modules[-1]}, key=modules.index)


# Every module is its own <script>, so one module stands for all; three keep the suite short.
@pytest.mark.parametrize("module", _first_middle_last(page_script_modules()))
def test_a_syntax_error_in_any_module_is_reported_and_the_map_never_starts(small_project, tmp_path,
                                                                          open_map, module):
    path = export(small_project, tmp_path)
    banner = f"<script>/* gisapp js/{module} */ "
    page = path.read_text(encoding="utf-8")
    assert page.count(banner) == 1
    path.write_text(page.replace(banner, banner + "}", 1), encoding="utf-8")  # a stray brace
    with pytest.raises(pytest.fail.Exception, match="SyntaxError"):
        open_map(path)


def test_clicking_a_zone_shows_its_indicators(small_project, tmp_path, open_map):
    opened = open_map(export(small_project, tmp_path, lang="zh"))
    page = opened.page
    assert page.locator(".gis-info").is_hidden()
    point = opened.eval("gisappExport.pointAt(38.945, 121.505)")  # inside 北区, clear of other features
    page.mouse.click(point["x"], point["y"])
    panel = page.locator(".gis-info")
    panel.wait_for(state="visible")
    assert panel.locator("h2").inner_text() == "北区"
    cards = panel.locator(".gis-indicator")
    assert cards.count() == 2
    rd = panel.locator('.gis-indicator[data-indicator="ind.rd"]')
    text = rd.inner_text()
    assert "研发投入强度" in text and "4.0 % (2020)" in text and "6.0 % (2025)" in text and "5.0 % (2023)" in text
    assert "预期性" in text
    assert rd.locator(".gis-progress").get_attribute("aria-valuenow") == "50"
    assert rd.get_attribute("data-status") == "behind" and "滞后" in text  # monitoring's verdict
    assert rd.locator(".gis-progress-expected").count() == 1  # where the plan's path expects it
    assert "plan.txt, 表2 <b>bold</b>" in text  # the source shows as text, markup and all
    firms = panel.locator('.gis-indicator[data-indicator="ind.firms"]').inner_text()
    assert "约束性" in firms and "贡献" in firms and "300 家 (2020)" in firms
    assert "最新实际值" not in firms  # no actual yet: the row is left out, not shown empty
    assert panel.locator('.gis-indicator[data-indicator="ind.firms"] .gis-progress').count() == 0
    body = panel.inner_text()
    assert "empty_col" not in body and "Research" not in body  # empty and other-language fields hidden
    assert "面积" in body and "km²" in body
    assert "要素类型" in body  # the field alias of `kind`, as on the desktop
    # the feature is highlighted with the desktop's selection colours, and closes again
    assert page.locator('.leaflet-pane[data-layer="zones"] path[stroke="#ff00ff"]').count() == 1
    page.locator(".gis-info-close").click()
    assert panel.is_hidden()
    assert page.locator('.leaflet-pane[data-layer="zones"] path[stroke="#ff00ff"]').count() == 0
    assert_clean(opened)


def test_values_monitored_on_the_desktop_show_in_the_panel(small_project, tmp_path, open_map):
    small_project.indicators.actuals.set_value("ind.firms", 2023, 450)
    small_project.indicators.actuals.set_value("ind.rd", 2024, 5.8, feature_id="t.zone.north")
    opened = open_map(export(small_project, tmp_path, lang="zh"))
    opened.eval("gisappExport.select('zones', 0)")
    panel = opened.page.locator(".gis-info")
    panel.wait_for(state="visible")
    firms = panel.locator('.gis-indicator[data-indicator="ind.firms"]').inner_text()
    assert "最新实际值" in firms and "450 家 (2023)" in firms
    rd = panel.locator('.gis-indicator[data-indicator="ind.rd"]').inner_text()
    assert "本区域最新值" in rd and "5.8 % (2024)" in rd
    assert_clean(opened)


def test_the_legend_hides_with_its_layer(small_project, tmp_path, open_map):
    opened = open_map(export(small_project, tmp_path, lang="zh", layer_ids=["zones", "road", "hidden"]))
    page = opened.page
    zones_legend = page.locator('.gis-legend-layer[data-layer="zones"]')
    hidden_legend = page.locator('.gis-legend-layer[data-layer="hidden"]')
    assert zones_legend.is_visible() and hidden_legend.is_hidden()
    assert "核心" in zones_legend.inner_text() and "其他" in zones_legend.inner_text()
    assert any(label["layer"] == "zones" for label in opened.eval("gisappExport.labels()"))

    page.locator('.gis-layertree input[type=checkbox][data-layer="zones"]').uncheck()
    assert zones_legend.is_hidden()
    assert opened.eval(COUNT_DRAWN, "zones") == 0
    assert not any(label["layer"] == "zones" for label in opened.eval("gisappExport.labels()"))

    page.locator('.gis-layertree input[type=checkbox][data-layer="hidden"]').check()
    assert hidden_legend.is_visible() and opened.eval(COUNT_DRAWN, "hidden") == 1
    page.locator('.gis-layertree input[type=checkbox][data-layer="zones"]').check()
    assert zones_legend.is_visible() and opened.eval(COUNT_DRAWN, "zones") == 3
    # the legend and the layer tree collapse
    page.locator(".gis-legend .gis-panel-head").click()
    assert zones_legend.is_hidden()
    page.locator(".gis-layertree .gis-panel-head").click()
    assert page.locator(".gis-layertree .gis-layer").first.is_hidden()
    assert_clean(opened)


def test_per_layer_opacity(small_project, tmp_path, open_map):
    opened = open_map(export(small_project, tmp_path))
    slider = opened.page.locator('.gis-opacity[data-layer="zones"]')
    slider.fill("30")
    assert opened.eval("getComputedStyle(document.querySelector('.leaflet-pane[data-layer=\"zones\"]')).opacity") == "0.3"


def test_chinese_labels_are_drawn(small_project, tmp_path, open_map):
    opened = open_map(export(small_project, tmp_path, lang="zh"))
    texts = {label["text"] for label in opened.eval("gisappExport.labels()")}
    assert {"北区", "南区", "实验室", "枢纽"} <= texts
    font = opened.eval("getComputedStyle(document.querySelector('.gis-label-text')).fontFamily")
    assert "Noto Sans CJK SC" in font and "WenQuanYi Micro Hei" in font
    # labels are rendered boxes with a width, not empty
    assert opened.eval("document.querySelector('.gis-label-text').getBoundingClientRect().width") > 10
    english = open_map(export(small_project, tmp_path, "en.html", lang="en"))
    assert {"North zone", "Lab"} <= {label["text"] for label in english.eval("gisappExport.labels()")}


def test_an_injected_attribute_shows_as_text_and_never_runs(small_project, tmp_path, open_map, xss_name):
    opened = open_map(export(small_project, tmp_path, lang="en"))
    page = opened.page
    labels = [label["text"] for label in opened.eval("gisappExport.labels()")]
    assert xss_name in labels  # shown, as text
    # tooltip, info panel and search results all show the name
    point = opened.eval("gisappExport.pointAt(38.885, 121.585)")
    page.mouse.move(point["x"], point["y"])
    page.locator(".gis-tooltip").wait_for(state="visible")
    assert page.locator(".gis-tooltip").inner_text() == xss_name
    page.mouse.click(point["x"], point["y"])
    panel = page.locator(".gis-info")
    panel.wait_for(state="visible")
    assert panel.locator("h2").inner_text() == xss_name
    assert xss_name in panel.inner_text()  # role and kind attributes too
    page.locator(".leaflet-control-search .search-button").click()
    page.locator(".leaflet-control-search input.search-input").type("img", delay=20)
    page.locator(".search-tooltip .gis-search-tip").first.wait_for(state="visible")
    assert xss_name in page.locator(".search-tooltip").inner_text()
    page.wait_for_timeout(300)
    assert opened.eval("window.__xss") is None
    assert opened.eval("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert_clean(opened)


def test_search_by_zone_name_opens_the_zone(small_project, tmp_path, open_map):
    opened = open_map(export(small_project, tmp_path, lang="zh"))
    page = opened.page
    page.locator(".leaflet-control-search .search-button").click()
    search = page.locator(".leaflet-control-search input.search-input")
    search.fill("南区")  # CJK text arrives at once without key events (as from an IME);
    # leaflet-search filters on keyup, reading the box when its delay ends: a keyup with no key
    # code, as an IME's commit gives (typing a space and deleting it raced that delay).
    search.dispatch_event("keyup")
    tip = page.locator(".search-tooltip .gis-search-tip", has_text="南区").first
    tip.wait_for(state="visible")
    tip.click()
    page.locator(".gis-info").wait_for(state="visible")
    assert page.locator(".gis-info h2").inner_text() == "南区"
    assert_clean(opened)


def test_a_desktop_style_change_shows_in_the_browser(small_project, tmp_path, open_map):
    zones = small_project.layer("zones")
    fill_of_core = ("document.querySelector('.leaflet-pane[data-layer=\"zones\"] path.gis-feature[data-row=\"0\"]')"
                    ".getAttribute('fill')")
    before = open_map(export(small_project, tmp_path, "before.html"))
    assert before.eval(fill_of_core) == "#e41a1c"
    zones.style.set_category_symbol("core", Symbol(fill="#00ff7f", fill_opacity=0.6, stroke="#004d26"))
    zones.style_changed()
    after = open_map(export(small_project, tmp_path, "after.html"))
    assert after.eval(fill_of_core) == "#00ff7f"
    assert after.eval(fill_of_core.replace("'fill'", "'stroke'")) == "#004d26"
    # the graduated and dashed styles come through as well
    assert after.eval("document.querySelector('.leaflet-pane[data-layer=\"plots\"] path.gis-feature[data-row=\"3\"]').getAttribute('fill')") == "#de2d26"
    assert after.eval("document.querySelector('.leaflet-pane[data-layer=\"zones\"] path.gis-feature[data-row=\"1\"]').getAttribute('stroke-dasharray')") == "4 2"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bundled_project_offline(bundled, tmp_path, open_map, lang):
    path = export(bundled, tmp_path, f"dalian_{lang}.html", lang=lang)
    opened = open_map(path)
    assert_clean(opened)
    layers = opened.eval("gisappExport.layers()")
    exported = selected_layers(bundled, WebMapOptions(lang=lang))
    assert list(layers) == [layer.id for layer in exported]
    for layer in exported:
        assert layers[layer.id]["drawn"] == drawable(layer), layer.id
        assert opened.eval(COUNT_DRAWN, layer.id) == drawable(layer), layer.id

    # a feature with linked indicators shows them in the panel
    feature_id, (layer, row) = next(
        (link.feature_id, found) for link in bundled.indicators.links
        if (found := bundled.find_feature(link.feature_id)) is not None and found[0] in exported)
    position = int(np.flatnonzero(~shapely.is_missing(layer.frame.geometry.to_numpy())).tolist().index(row))
    opened.eval(f"gisappExport.select('{layer.id}', {position})")
    panel = opened.page.locator(".gis-info")
    panel.wait_for(state="visible")
    assert panel.locator("h2").inner_text() == layer.feature_label(row, lang)
    assert panel.locator(".gis-indicator").count() == len(bundled.indicators.for_feature(feature_id)) > 0

    labels = [label["text"] for label in opened.eval("gisappExport.labels()")]
    assert len(labels) >= 5
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for text in labels for ch in text)
    opened.page.locator(".gis-info-close").click()
    shots = Path(os.environ.get("GISAPP_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    opened.page.screenshot(path=str(shots / f"webmap_{lang}.png"))
    assert_clean(opened)
