"""Fixtures for the web-map export: a small hand-made project and a headless chromium.

Browser tests fail (never skip) when chromium or Playwright is missing: the project's
test set-up (scripts/bootstrap.sh --test) installs both.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.style import CategorizedStyle, GraduatedStyle, SingleStyle, Symbol
from gisapp.core.model.style import Category as StyleCategory
from gisapp.core.plan.indicators import Category, Indicator, IndicatorCatalog, IndicatorLink

CHROMIUM = os.environ.get("GISAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-gpu"]
XSS_NAME = "<img src=x onerror=\"window.__xss=(window.__xss||0)+1\">"
BUNDLED_MANIFEST = Path(__file__).resolve().parents[2] / "layers" / "manifest.json"


def _frame(rows: list[dict], crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


def make_small_project() -> Project:
    """Three groups, every geometry family, the three style kinds, indicators and a hostile name."""
    zones = _frame([
        {"id": "t.zone.north", "name_zh": "北区", "name_en": "North zone", "kind": "core",
         "role_zh": "研发", "role_en": "Research", "geom_quality": "schematic", "empty_col": None,
         "geometry": box(121.50, 38.90, 121.56, 38.95)},
        {"id": "t.zone.south", "name_zh": "南区", "name_en": "South zone", "kind": "park",
         "role_zh": "产业", "role_en": "Industry", "geom_quality": "schematic", "empty_col": None,
         "geometry": box(121.50, 38.84, 121.56, 38.89)},
        {"id": "t.zone.xss", "name_zh": XSS_NAME, "name_en": XSS_NAME, "kind": XSS_NAME,
         "role_zh": XSS_NAME, "role_en": XSS_NAME, "geom_quality": "approximate", "empty_col": None,
         "geometry": box(121.58, 38.84, 121.64, 38.89)},
        {"id": "t.zone.nogeom", "name_zh": "无几何", "name_en": "No geometry", "kind": "core",
         "role_zh": "", "role_en": "", "geom_quality": "", "empty_col": None, "geometry": None},
    ])
    zone_style = CategorizedStyle(field="kind", categories=[
        StyleCategory("core", "核心", "Core", Symbol(fill="#e41a1c", fill_opacity=0.5, stroke="#990000")),
        StyleCategory("park", "园区", "Park", Symbol(fill="#377eb8", fill_opacity=0.4, stroke="#1f4e79",
                                                   stroke_style="dash")),
    ], default=Symbol(fill="#999999", fill_opacity=0.3, stroke="#666666"))
    plots = _frame([
        {"id": f"t.plot.{i}", "name_zh": f"地块{i}", "name_en": f"Plot {i}", "far": float(i),
         "geometry": Polygon([(121.58 + 0.01 * i, 38.91), (121.585 + 0.01 * i, 38.91),
                              (121.585 + 0.01 * i, 38.915), (121.58 + 0.01 * i, 38.915)])}
        for i in range(4)
    ])
    plot_style = GraduatedStyle(field="far", breaks=[1.0, 3.0], symbols_=[
        Symbol(fill="#fee5d9", fill_opacity=0.8, stroke="#a50f15"),
        Symbol(fill="#de2d26", fill_opacity=0.8, stroke="#a50f15")])
    road = _frame([{"id": "t.road", "name_zh": "主干道", "name_en": "Main road",
                    "geometry": LineString([(121.49, 38.895), (121.65, 38.895)])}])
    sites = _frame([
        {"id": "t.site.lab", "name_zh": "实验室", "name_en": "Lab", "geometry": Point(121.51, 38.905)},
        {"id": "t.site.hub", "name_zh": "枢纽", "name_en": "Hub", "geometry": Point(121.57, 38.86)},
    ])
    hidden = _frame([{"id": "t.hidden", "name_zh": "隐藏", "name_en": "Hidden",
                      "geometry": box(121.45, 38.80, 121.47, 38.82)}])
    layers = [
        VectorLayer("sites", "站点", "Sites", sites,
                    SingleStyle(Symbol(fill="#ffd43b", stroke="#5c3d00", size=12, marker="star")),
                    group="plan", label_field="name"),
        VectorLayer("zones", "功能区", "Zones", zones, zone_style, group="plan", label_field="name"),
        VectorLayer("plots", "地块", "Plots", plots, plot_style, group="plan", label_field="name"),
        VectorLayer("road", "道路", "Road", road,
                    SingleStyle(Symbol(stroke="#c92a2a", stroke_width=3)), group="network"),
        VectorLayer("hidden", "隐藏图层", "Hidden layer", hidden, SingleStyle(Symbol()),
                    group="base", visible=False),
    ]
    catalog = IndicatorCatalog(
        categories=[Category("innovation", "创新", "Innovation")],
        indicators=[
            Indicator("ind.rd", "innovation", "研发投入强度", "R&D intensity", unit="%", kind="share",
                      baseline_year=2020, baseline_value="4.0", target_year=2025, target_value="6.0",
                      nature="expected", actual_year=2023, actual_value="5.0",
                      source="plan.txt, 表2 <b>bold</b>"),
            Indicator("ind.firms", "innovation", "高新技术企业", "High-tech firms", unit="家", unit_en="firms",
                      baseline_year=2020, baseline_value="300", target_year=2025, target_value="600",
                      nature="binding", source="plan.txt, 表2"),
        ],
        links=[IndicatorLink("t.zone.north", "ind.rd"), IndicatorLink("t.zone.north", "ind.firms", "contributes"),
               IndicatorLink("t.zone.xss", "ind.rd")],
    )
    return Project(title_zh="测试规划 <script>alert(1)</script>", title_en="Test plan <script>alert(1)</script>",
                   groups=[LayerGroup("plan", "规划", "Plan"), LayerGroup("network", "路网", "Network"),
                           LayerGroup("base", "底图", "Base")],
                   layers=layers, indicators=catalog, attribution="© OpenStreetMap contributors (ODbL) <i>x</i>")


@pytest.fixture
def xss_name() -> str:
    return XSS_NAME


@pytest.fixture
def small_project() -> Project:
    return make_small_project()


@pytest.fixture
def bundled():
    """The bundled Dalian project; fails loudly when the catalogue is missing."""
    from gisapp.io.catalogue import load_catalogue

    assert BUNDLED_MANIFEST.exists(), "layers/manifest.json is missing"
    return load_catalogue()


# --- headless chromium ---------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"chromium is missing at {CHROMIUM}: run scripts/bootstrap.sh --test "
                    "(it installs Debian's chromium)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class OpenedPage:
    page: object
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def eval(self, script: str, arg=None):
        return self.page.evaluate(script, arg)


def _describe(error) -> str:
    """'pageerror: TypeError: message (at its first frame)': the page's scripts carry a
    sourceURL, so the frame names the module file and the line in it."""
    frames = [line.strip() for line in (error.stack or "").splitlines() if line.strip().startswith("at ")]
    return f"pageerror: {error.name}: {error.message}" + (f" ({frames[0]})" if frames else "")


MAP_READY = "!!(window.gisappExport && window.gisappExport.ready)"


def _wait_until_ready(opened: OpenedPage) -> None:
    """Return once the map is ready; fail with the page's errors when it never will be.

    The page starts the map from inline scripts, which have all run when goto() returns:
    not ready by then with an error reported means a script failed (a syntax error in a
    module, say), and waiting longer would only hide the message.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    if opened.eval(MAP_READY):
        return
    if not opened.console_errors:
        try:
            opened.page.wait_for_function(MAP_READY, timeout=15000)
            return
        except PlaywrightTimeoutError:
            pass
    pytest.fail(f"the web map never became ready; page errors: {opened.console_errors}", pytrace=False)


@pytest.fixture
def open_map(browser, tmp_path):
    """open_map(html_path) -> OpenedPage: all non-file requests aborted, errors collected."""
    contexts = []

    def _open(path: Path, width: int = 1400, height: int = 900) -> OpenedPage:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        opened = OpenedPage(page)

        def route(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:
                opened.blocked.append(url)
                route.abort()

        context.route("**/*", route)
        page.on("console", lambda msg: opened.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: opened.console_errors.append(_describe(exc)))
        page.goto(Path(path).resolve().as_uri())
        _wait_until_ready(opened)
        page.wait_for_timeout(300)
        return opened

    yield _open
    for context in contexts:
        context.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's chromium (headless, network blocked)")
