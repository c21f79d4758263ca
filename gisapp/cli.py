"""The ``gisapp`` command line: the window, screenshots, and headless queries."""

from __future__ import annotations

import argparse
import json
import sys


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1600x1000, not {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000 pixels")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gisapp", description="Desktop GIS for the Dalian High-tech Zone plan and Dalian urban blocks.")
    parser.add_argument("--project", metavar="PROJECT.gpkg",
                        help="open this project GeoPackage instead of the bundled Dalian project")
    parser.add_argument("--lang", choices=("zh", "en"), help="UI language (default: system locale)")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render the window offscreen to a PNG and exit")
    parser.add_argument("--size", type=_size, default=(1600, 1000), metavar="WxH",
                        help="window size for --screenshot (default 1600x1000)")
    parser.add_argument("--select", metavar="FEATURE_ID", help="with --screenshot: select this feature")
    parser.add_argument("--table", action="store_true", help="with --screenshot: open the attribute table")
    sub = parser.add_subparsers(dest="command")
    # Subcommands accept --lang after their name too (`gisapp export-web out.html --lang en`).
    lang_option = argparse.ArgumentParser(add_help=False)
    lang_option.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS,
                             help="language of names and labels")
    layers = sub.add_parser("layers", parents=[lang_option], help="list the project's layers")
    layers.add_argument("--json", action="store_true", help="machine-readable output")
    indicators = sub.add_parser("indicators", parents=[lang_option], help="list plan indicators, or those linked to a feature")
    indicators.add_argument("feature_id", nargs="?", help="a feature id such as hitech.city.yingeshi")
    indicators.add_argument("--json", action="store_true", help="machine-readable output")
    web = sub.add_parser("export-web", parents=[lang_option], help="export the map as an interactive web map (one HTML file)")
    web.add_argument("out", metavar="OUT.html")
    web.add_argument("--layers", help="comma-separated layer ids (default: the visible layers)")
    web.add_argument("--basemap", choices=("none", "osm", "positron", "tianditu"), default="none",
                     help="background tiles; 'none' uses the bundled land and sea layers and works offline")
    web.add_argument("--tianditu-key", metavar="KEY", help="your Tianditu key (for --basemap tianditu)")
    web.add_argument("--linked", action="store_true",
                     help="load Leaflet and plugins from CDNs (smaller file, needs the network)")
    return parser


def cmd_export_web(project, args) -> int:
    from .export.webmap import WebMapOptions, export_web_map

    layer_ids = [part.strip() for part in args.layers.split(",") if part.strip()] if args.layers else None
    if layer_ids:
        known = {layer.id for layer in project.layers}
        unknown = [layer_id for layer_id in layer_ids if layer_id not in known]
        if unknown:
            return _fail(f"unknown layer id(s): {', '.join(unknown)}; `gisapp layers` lists them")
    if args.basemap == "tianditu" and not args.tianditu_key:
        return _fail("--basemap tianditu needs --tianditu-key (a free key from Tianditu)")
    options = WebMapOptions(layer_ids=layer_ids, basemap=args.basemap, lang=args.lang or "zh",
                            self_contained=not args.linked, tianditu_key=args.tianditu_key or "")
    out = export_web_map(project, args.out, options)
    print(out)
    return 0


def _fail(message: str) -> int:
    print(f"gisapp: error: {message}", file=sys.stderr)
    return 2


def _load(project_path: str | None):
    from .io.catalogue import load_catalogue
    from .io.project_gpkg import load_project

    return load_project(project_path) if project_path else load_catalogue()


def cmd_layers(project, as_json: bool, lang: str) -> int:
    rows = [{"id": layer.id, "group": layer.group, "title_zh": layer.title_zh, "title_en": layer.title_en,
             "geometry": layer.geometry_family, "features": len(layer), "visible": layer.visible,
             "style": layer.style.kind, "crs": layer.crs} for layer in project.layers]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        title = row["title_zh"] if lang == "zh" else row["title_en"]
        print(f"{row['id']:<36} {row['group']:<10} {row['geometry']:<8} {row['features']:>6}  {title}")
    return 0


def cmd_indicators(project, feature_id: str | None, as_json: bool, lang: str) -> int:
    catalog = project.indicators
    if feature_id:
        if project.find_feature(feature_id) is None:
            return _fail(f"no feature with id {feature_id!r}; `gisapp layers` lists the layers")
        items = [(indicator, link.relation) for indicator, link in catalog.for_feature(feature_id)]
    else:
        items = [(indicator, "") for indicator in catalog.indicators]
    if as_json:
        payload = [{**indicator.to_dict(), **({"relation": relation} if relation else {}),
                    "features": catalog.features_for(indicator.id)} for indicator, relation in items]
        print(json.dumps({"feature_id": feature_id, "indicators": payload}, ensure_ascii=False, indent=2))
        return 0
    for indicator, _relation in items:
        unit = indicator.unit_label(lang)
        print(f"{indicator.id:<44} {indicator.name(lang)}: {indicator.baseline_value or '—'} → "
              f"{indicator.target_value or '—'} {unit} ({indicator.target_year or ''}) "
              f"[{indicator.nature_label(lang)}] {indicator.source}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .io.errors import GisIOError

    try:
        if args.command in ("layers", "indicators", "export-web"):
            project = _load(args.project)
            lang = args.lang or "en"
            if args.command == "layers":
                return cmd_layers(project, args.json, lang)
            if args.command == "export-web":
                return cmd_export_web(project, args)
            return cmd_indicators(project, args.feature_id, args.json, lang)
        if args.screenshot:
            from .ui.app import take_screenshot

            out = take_screenshot(args.screenshot, args.size, args.select, args.lang or "en",
                                  args.project, args.table)
            print(out)
            return 0
        from .ui.app import run_window

        return run_window(args.project, args.lang)
    except GisIOError as exc:
        return _fail(str(exc))
    except KeyError as exc:
        return _fail(exc.args[0] if exc.args else str(exc))
    except OSError as exc:
        return _fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
