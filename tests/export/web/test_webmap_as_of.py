"""The web map's as-of-year slider, in a real headless Chromium with the network blocked: it
shows when actuals exist for two or more years, recolours the zones coloured by progress and
the info panel's latest actual as the year changes, by mouse or keyboard, on a projector, a
phone and paper."""

from __future__ import annotations

import json
import re

import pytest

from gisapp.core.plan.monitoring import STATUS_COLOURS
from gisapp.export.web.webmap import WebMapOptions, build_payload, export_web_map

pytestmark = pytest.mark.browser

RECT = "(sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"
DISPLAY = "(sel) => getComputedStyle(document.querySelector(sel)).display"
NORTH_FILL = """() => { const i = gisappExport.featureIndex('zones', '北区');
    return document.querySelector('[data-layer="zones"] .gis-feature[data-row="' + i + '"]').getAttribute('fill'); }"""


def overlaps(a, b) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def with_years(project):
    actuals = project.indicators.actuals
    actuals.set_value("ind.firms", 2021, 320)  # zone-wide: far behind the 2025 target of 600 ...
    actuals.set_value("ind.firms", 2024, 620)  # ... then past it
    actuals.set_value("ind.rd", 2022, 4.1, feature_id="t.zone.north")  # the north zone's own values
    actuals.set_value("ind.rd", 2024, 6.2, feature_id="t.zone.north")
    return project


@pytest.fixture
def year_map(small_project, tmp_path):
    return export_web_map(with_years(small_project), tmp_path / "years.html",
                          WebMapOptions(lang="zh", style_by_progress=True))


def test_the_payload_has_each_years_figures(small_project):
    payload = build_payload(with_years(small_project), WebMapOptions(lang="en", style_by_progress=True))
    assert payload["asOf"]["years"] == [2021, 2022, 2024]
    firms = [ind["id"] for ind in payload["indicators"]].index("ind.firms")
    by_year = {year: figures[firms] for year, figures in payload["asOf"]["indicators"].items()}
    assert by_year["2021"]["status"] == "behind" and by_year["2021"]["value"] == "320"
    assert by_year["2024"]["status"] == "achieved" and by_year["2024"]["value"] == "620"
    zones = next(layer for layer in payload["layers"] if layer["id"] == "zones")
    north = zones["names"].index("North zone")
    colours = {year: zones["symbols"][sym[north]]["fillColor"].lower() for year, sym in zones["symByYear"].items()}
    assert colours["2021"] == STATUS_COLOURS["behind"].lower()
    assert colours["2024"] == STATUS_COLOURS["achieved"].lower()


def test_the_slider_recolours_the_zones_and_the_panel_follows(year_map, open_map):
    opened = open_map(year_map, 1600, 1000)
    page = opened.page
    slider = page.locator(".gis-year-input")
    assert slider.is_visible() and page.locator(".gis-year-value").inner_text() == "截至 2024 年"
    assert page.get_attribute(".gis-year-label", "for") == slider.get_attribute("id")  # a named control
    assert opened.eval(NORTH_FILL).lower() == STATUS_COLOURS["achieved"].lower()
    opened.eval("gisappExport.select('zones', gisappExport.featureIndex('zones', '北区'))")
    card = page.locator('.gis-info .gis-indicator[data-indicator="ind.firms"]')
    assert "620" in card.inner_text()
    # Keyboard: Home goes to the first year; the map, the open panel and the text follow.
    slider.focus()
    page.keyboard.press("Home")
    assert opened.eval("gisappExport.asOfYear()") == 2021
    assert page.locator(".gis-year-value").inner_text() == "截至 2021 年"
    assert slider.get_attribute("aria-valuetext") == "截至 2021 年"
    north_symbol = "gisappExport.symbolOf('zones', gisappExport.featureIndex('zones', '北区')).fillColor"
    assert opened.eval(north_symbol).lower() == STATUS_COLOURS["behind"].lower()  # drawn under the highlight
    firms = page.locator('.gis-info .gis-indicator[data-indicator="ind.firms"]').inner_text()
    assert "320" in firms and "620" not in firms
    rd = page.locator('.gis-info .gis-indicator[data-indicator="ind.rd"]').inner_text()
    assert "4.1" not in rd  # the north zone's own value starts in 2022
    page.keyboard.press("ArrowRight")
    assert opened.eval("gisappExport.asOfYear()") == 2022
    assert "4.1" in page.locator('.gis-info .gis-indicator[data-indicator="ind.rd"]').inner_text()
    page.keyboard.press("End")
    assert opened.eval("gisappExport.asOfYear()") == 2024
    assert opened.eval(north_symbol).lower() == STATUS_COLOURS["achieved"].lower()
    assert "6.2" in page.locator('.gis-info .gis-indicator[data-indicator="ind.rd"]').inner_text()
    # Dragging the slider does not pan the map.
    # The panel's pan to keep the feature in view may still be animating: wait for the map to rest.
    page.wait_for_function(
        "() => { const m = gisappExport.map; const c = JSON.stringify(m.getCenter());"
        " const rest = window.__lastCentre === c; window.__lastCentre = c; return rest; }",
        polling=300,
    )
    centre = opened.eval("gisappExport.map.project(gisappExport.map.getCenter())")
    box = slider.bounding_box()
    page.mouse.move(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 4, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    assert opened.eval("gisappExport.asOfYear()") == 2021
    after = opened.eval("gisappExport.map.project(gisappExport.map.getCenter())")
    assert abs(after["x"] - centre["x"]) < 1 and abs(after["y"] - centre["y"]) < 1  # pixels: the map did not pan
    page.click(".gis-info-close")
    assert opened.eval(NORTH_FILL).lower() == STATUS_COLOURS["behind"].lower()  # on the map, as of 2021
    assert opened.console_errors == [] and opened.blocked == []


def test_the_slider_on_a_phone_and_on_paper(year_map, open_map):
    opened = open_map(year_map, 390, 844)
    page = opened.page
    slider = opened.eval(RECT, ".gis-year-input")
    assert slider[0] >= 0 and slider[2] <= 390 and slider[3] - slider[1] >= 24  # on screen, finger-sized
    for other in (".gis-layertree", ".gis-legend", ".leaflet-control-zoom"):
        assert not overlaps(opened.eval(RECT, ".gis-year"), opened.eval(RECT, other)), other
    page.locator(".gis-year-input").focus()
    page.keyboard.press("ArrowLeft")
    assert opened.eval("gisappExport.asOfYear()") == 2022
    page.emulate_media(media="print")  # paper: the chosen year as text, no slider
    assert opened.eval(DISPLAY, ".gis-year-input") == "none"
    assert page.locator(".gis-year-value").inner_text() == "截至 2022 年"
    assert opened.eval(DISPLAY, ".gis-year-value") != "none"
    assert opened.console_errors == []


@pytest.mark.parametrize("years", [[], [2024]])
def test_no_slider_without_two_years(small_project, tmp_path, open_map, years):
    for year in years:
        small_project.indicators.actuals.set_value("ind.firms", year, 500)
    path = export_web_map(small_project, tmp_path / "one.html", WebMapOptions(lang="en", style_by_progress=True))
    payload = json.loads(re.search(r'id="gisapp-data">(.*?)</script>', path.read_text(encoding="utf-8"), re.S).group(1))
    assert payload["asOf"] is None
    opened = open_map(path, 1600, 1000)
    assert opened.page.locator(".gis-year").count() == 0
    assert opened.console_errors == []
