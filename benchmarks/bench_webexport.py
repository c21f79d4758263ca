"""Web export: export time, HTML size and time until the page is interactive in headless
chromium, ours against geopandas' ``.explore()`` on the same layer.

    .venv/bin/python benchmarks/bench_webexport.py 100000

Both sides read the same GeoPackage. Ours exports a project holding only the parcels,
categorized by land_use with labels by name, through ``export_web_map`` with its default
options (self-contained, offline); explore() runs ../shared/bench/explore_export.py
(categorized by land_use, tooltips and popups). The export time excludes reading the
file on both sides.

In Debian's chromium (headless, every network request aborted, 1400x900 window), a page
is interactive when its load event has fired, its scripts have run and two frames have
been painted; the figure is the time since navigation started. Both pages fit the view to
the layer; we count the features each has drawn at that first view (SVG paths for
explore(), features drawn on the canvas for ours) and check that a click on a parcel
opens its information.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from common import (
    load_average,
    machine,
    parcels,
    parse_figures,
    peer,
    ratio,
    run,
    run_ours,
    style_like_qgis,
)

CHROMIUM = os.environ.get("GISAPP_CHROMIUM", "/usr/bin/chromium")
GOALS = {"size": 1 / 5, "time": 1 / 3, "interactive_s": 5.0}

READY = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(
    () => resolve(performance.now()))))"""
EXPLORE_DRAWN = """() => Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))
    .filter(p => (p.getAttribute('d') || '').length > 0).length"""


def export_ours(path: str, out: str) -> None:
    from gisapp.core.model.project import Project
    from gisapp.export.web.webmap import WebMapOptions, export_web_map
    from gisapp.io.vector import open_vector_file

    layer = open_vector_file(path)[0]
    style_like_qgis(layer, labels=True)
    project = Project(layers=[layer])
    start = time.perf_counter()
    export_web_map(project, out, WebMapOptions(lang="en"))
    print(f"export_s={time.perf_counter() - start:.3f} html_bytes={os.path.getsize(out)}")


def offline_explore(html: str) -> str:
    """explore()'s page links Leaflet and some styling from CDNs; with the network cut,
    give it Leaflet's own files inline (from the same packaged copies our export uses).
    The other links (jQuery UI to drag the legend, Bootstrap, Font Awesome) stay
    unreachable; the map does not need them."""
    from gisapp.export.web import assets

    text = Path(html).read_text(encoding="utf-8")
    for url in ("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
                "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"):
        if url.endswith(".js"):
            tag = assets.script_tag(assets.asset_path(url).read_text(encoding="utf-8"), "leaflet.js")
            text = text.replace(f'<script src="{url}"></script>', tag, 1)
        else:
            tag = assets.style_tag(assets.css_text(assets.asset_path(url)), "leaflet.css")
            text = text.replace(f'<link rel="stylesheet" href="{url}"/>', tag, 1)
    out = Path(html).with_suffix(".offline.html")
    out.write_text(text, encoding="utf-8")
    return str(out)


def open_in_chromium(html: str, ours: bool) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("file:", "data:", "blob:", "about:")) else route.abort())
        page = context.new_page()
        errors: list[str] = []
        # explore()'s legend script needs jQuery UI from a CDN: that error is expected.
        page.on("pageerror", lambda exc: errors.append(str(exc)) if "$ is not defined" not in str(exc) else None)
        page.goto(Path(html).resolve().as_uri(), timeout=600_000, wait_until="load")
        if ours:
            page.wait_for_function("window.gisappExport && window.gisappExport.ready", timeout=600_000)
        interactive_ms = page.evaluate(READY)
        if ours:
            layers = page.evaluate("gisappExport.layers()")
            drawn = sum(layer["drawn"] for layer in layers.values())
            # A click on the parcel under the middle of the map opens the info panel.
            page.mouse.click(700, 450)
            page.wait_for_selector(".gis-info:not([hidden])", timeout=10_000)
        else:
            drawn = page.evaluate(EXPLORE_DRAWN)
        browser.close()
    if errors:
        raise RuntimeError(f"page errors: {errors[:3]}")
    return {"interactive_s": interactive_ms / 1000, "drawn": drawn}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--keep", help="folder to keep the two HTML files in")
    parser.add_argument("--export", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = str(parcels(args.n))
    if args.export:
        export_ours(path, args.export)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        ours_html, explore_html = str(folder / f"ours_{args.n}.html"), str(folder / f"explore_{args.n}.html")
        ours = run_ours("bench_webexport.py", str(args.n), "--export", ours_html)
        explore = parse_figures(run([sys.executable, str(peer("explore_export.py")), path, explore_html]))
        ours.update(open_in_chromium(ours_html, ours=True))
        explore.update(open_in_chromium(offline_explore(explore_html), ours=False))
    size_ratio = ours["html_bytes"] / explore["html_bytes"]
    time_ratio = ours["export_s"] / explore["export_s"]

    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print(f"web export {args.n:,} parcels: export {ours['export_s']:.1f} s (explore() {explore['export_s']:.1f} s, "
          f"ratio {time_ratio:.2f}, goal 0.33 {met(time_ratio <= GOALS['time'])}) | HTML "
          f"{ours['html_bytes'] / 1e6:.1f} MB (explore() {explore['html_bytes'] / 1e6:.1f} MB, ratio {size_ratio:.2f}, "
          f"goal 0.20 {met(size_ratio <= GOALS['size'])}) | interactive in chromium {ours['interactive_s']:.1f} s "
          f"(explore() {explore['interactive_s']:.1f} s, ratio {ratio(ours['interactive_s'], explore['interactive_s'])}"
          f", goal 5 s {met(ours['interactive_s'] <= GOALS['interactive_s'])}) | features drawn at the first view "
          f"{ours['drawn']:,} (explore() {explore['drawn']:,}) | {machine()}, {load_average()}")


if __name__ == "__main__":
    main()
