"""The ``gisapp`` command line: the window, screenshots, and headless queries."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

from gisapp.core.texts import LANGUAGES, pick


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1600x1000, not {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000 pixels")
    return width, height


def _web_basemap(text: str) -> str:
    if text in ("none", "osm", "positron", "tianditu") or text.startswith(("xyz:", "mbtiles:")):
        return text
    raise argparse.ArgumentTypeError("expected none, osm, positron, tianditu, xyz:URL or mbtiles:FILE")


def _zoom_range(text: str) -> tuple[int, int]:
    try:
        low, high = (int(part) for part in text.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError("expected two zoom levels such as 10-15") from None
    if not 0 <= low <= high <= 22:
        raise argparse.ArgumentTypeError("zoom levels go from 0 to 22, the first not above the second")
    return low, high


SUBCOMMANDS = ("layers", "indicators", "export-web", "report", "print", "info", "georeference", "publish")
FILES_HELP = ("data files (GeoPackage, GeoJSON, Shapefile) to open in the window beside the project; "
              "a path that is also a command name needs ./ before it")


def _add_window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", metavar="PROJECT.gpkg|postgresql://USER@HOST:PORT/DB?schema=NAME",
                        help="open this project GeoPackage, or the project published in a PostGIS schema, "
                             "instead of the bundled Dalian project")
    parser.add_argument("--lang", choices=LANGUAGES, help="UI language (default: system locale)")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render the window offscreen to a PNG and exit")
    parser.add_argument("--size", type=_size, default=(1600, 1000), metavar="WxH",
                        help="window size for --screenshot (default 1600x1000)")
    parser.add_argument("--select", metavar="FEATURE_ID", help="with --screenshot: select this feature")
    parser.add_argument("--table", action="store_true", help="with --screenshot: open the attribute table")
    parser.add_argument("--dashboard", action="store_true",
                        help="with --screenshot: open the indicator dashboard")
    parser.add_argument("--edit-scene", choices=("vertex", "invalid"),
                        help="with --screenshot: show editing (the vertex tool mid-drag, or an "
                             "invalid-geometry warning)")
    parser.add_argument("--indicator", metavar="INDICATOR_ID",
                        help="with --screenshot --dashboard: choose this indicator (its zones are selected)")
    parser.add_argument("--style-by-progress", action="store_true",
                        help="with --screenshot: colour the plan zones by the progress of their indicators")
    parser.add_argument("--actuals", metavar="ACTUALS.csv",
                        help="load monitoring values (actuals) from this CSV first")
    parser.add_argument("--basemap", metavar="osm|tianditu-vec|tianditu-img|tianditu-ter|xyz:URL|mbtiles:FILE",
                        help="a tile basemap under the map (Tianditu uses the key in the system keyring)")


def build_files_parser() -> argparse.ArgumentParser:
    """``gisapp [options] FILE...``: the window (or its screenshot) with data files opened."""
    parser = argparse.ArgumentParser(
        prog="gisapp", usage="gisapp [options] [FILE ...]",
        description="Open data files in the window beside the project (as QGIS does).")
    _add_window_options(parser)
    parser.add_argument("files", nargs="*", metavar="FILE", help=FILES_HELP)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gisapp", usage=f"gisapp [options] [FILE ...]\n       gisapp [options] {{{','.join(SUBCOMMANDS)}}} ...",
        description="Desktop GIS for the Dalian High-tech Zone plan and Dalian urban blocks.",
        epilog="gisapp FILE... opens data files in the window beside the project; " + FILES_HELP.split("; ")[1])
    _add_window_options(parser)
    sub = parser.add_subparsers(dest="command")
    # Subcommands accept --lang after their name too (`gisapp export-web out.html --lang en`).
    lang_option = argparse.ArgumentParser(add_help=False)
    lang_option.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                             help="language of names and labels")
    layers = sub.add_parser("layers", parents=[lang_option], help="list the project's layers")
    layers.add_argument("--json", action="store_true", help="machine-readable output")
    indicators = sub.add_parser("indicators", parents=[lang_option], help="list plan indicators, or those linked to a feature")
    indicators.add_argument("feature_id", nargs="?", help="a feature id such as hitech.city.yingeshi")
    indicators.add_argument("--json", action="store_true", help="machine-readable output")
    indicators.add_argument("--actuals", metavar="ACTUALS.csv", default=argparse.SUPPRESS,
                            help="load monitoring values (actuals) from this CSV first")
    web = sub.add_parser("export-web", parents=[lang_option], help="export the map as an interactive web map (one HTML file)")
    web.add_argument("out", metavar="OUT.html")
    web.add_argument("--layers", help="comma-separated layer ids (default: the visible layers)")
    web.add_argument("--basemap", type=_web_basemap, default="none",
                     metavar="none|osm|positron|tianditu|xyz:URL|mbtiles:FILE",
                     help="background tiles; 'none' uses the bundled land and sea layers and works offline; "
                          "an MBTiles file is embedded in the page (the exported extent, --zooms)")
    web.add_argument("--zooms", type=_zoom_range, default=(0, 14), metavar="MIN-MAX",
                     help="zoom levels of an MBTiles basemap to embed (default 0-14)")
    web.add_argument("--tianditu-key", metavar="KEY", help="your Tianditu key (for --basemap tianditu)")
    web.add_argument("--linked", action="store_true",
                     help="load Leaflet and plugins from CDNs (smaller file, needs the network)")
    web.add_argument("--title", help="the page's title (default: the project's title)")
    web.add_argument("--subtitle", help="the line under the title (default: a note when shapes are schematic; "
                                        "'' for none)")
    web.add_argument("--actuals", metavar="ACTUALS.csv", default=argparse.SUPPRESS,
                     help="load monitoring values (actuals) from this CSV first")
    web.add_argument("--style-by-progress", action="store_true", default=argparse.SUPPRESS,
                     help="colour the plan zones by the progress status of their linked indicators")
    report = sub.add_parser("report", parents=[lang_option],
                            help="write the indicator report (PDF, HTML or CSV) without a window")
    report.add_argument("out", metavar="OUT.pdf|OUT.html|OUT.csv")
    report.add_argument("--map", choices=("progress", "current"), default="progress",
                        help="the report's map: zones coloured by progress (default) or the project's styles")
    report.add_argument("--as-of", type=int, metavar="YEAR", help="ignore actual values after this year")
    report.add_argument("--actuals", metavar="ACTUALS.csv", default=argparse.SUPPRESS,
                        help="load monitoring values (actuals) from this CSV first")
    printing = sub.add_parser("print", parents=[lang_option],
                              help="print a layout (map, legend, scale bar, north arrow...) to PDF, SVG, "
                                   "PNG or TIFF without a window; --atlas makes one page per feature")
    printing.add_argument("out", metavar="OUT.pdf|OUT.png|OUT.tif|OUT.svg")
    printing.add_argument("--template", metavar="NAME|FILE", help="a built-in layout (a3-plan-map, "
                          "a4-zone-sheet), a layout saved in the project, or a layout JSON file "
                          "(default: a3-plan-map; a4-zone-sheet with --atlas)")
    printing.add_argument("--paper", choices=("A4", "A3", "A2", "A1", "A0"), help="paper size (default: the layout's)")
    orientation = printing.add_mutually_exclusive_group()
    orientation.add_argument("--landscape", action="store_true", help="landscape paper")
    orientation.add_argument("--portrait", action="store_true", help="portrait paper")
    printing.add_argument("--scale", type=float, metavar="50000", help="print the map at 1:SCALE")
    printing.add_argument("--extent", metavar="LON0,LAT0,LON1,LAT1",
                          help="the map's extent in WGS 84 degrees (with --scale: its centre)")
    printing.add_argument("--dpi", type=float, default=300.0, help="resolution of images, and of the PDF's "
                          "device space (default 300)")
    printing.add_argument("--crs", metavar="EPSG:4547", help="the map's CRS (default: the project's map CRS; "
                          "the north arrow turns by the grid convergence)")
    printing.add_argument("--title", help="the layout's title text")
    printing.add_argument("--subtitle", help="the layout's subtitle text")
    printing.add_argument("--atlas", metavar="LAYER", help="one page per feature of this layer (zone sheets)")
    printing.add_argument("--actuals", metavar="ACTUALS.csv", default=argparse.SUPPRESS,
                          help="load monitoring values (actuals) from this CSV first")
    info = sub.add_parser("info", parents=[lang_option], help="what gisapp sees in data files: layers, geometry, features, CRS "
                                       "(and how it was decided), bounds, warnings, rejected features")
    info.add_argument("paths", nargs="+", metavar="FILE")
    info.add_argument("--json", action="store_true", help="machine-readable output")
    georef = sub.add_parser("georeference", help="place a scanned map or figure: write a GeoTIFF from "
                                                 "control points and print their residuals")
    georef.add_argument("image", metavar="IMAGE")
    georef.add_argument("out", metavar="OUT.tif")
    georef.add_argument("--gcp", type=_gcp, action="append", default=[], metavar="X,Y,LON,LAT",
                        help="a control point: image column and row (from the top-left corner) and its "
                             "map position in --gcp-crs; repeat for each point")
    georef.add_argument("--points", metavar="FILE.points",
                        help="control points from a QGIS .points file (added before any --gcp)")
    georef.add_argument("--gcp-crs", default="EPSG:4326", metavar="CRS",
                        help="CRS of the --gcp map positions (default EPSG:4326)")
    georef.add_argument("--transform", choices=("affine", "poly1", "poly2", "tps"), default="affine",
                        help="affine (default), polynomial of order 1 or 2, or thin-plate spline")
    georef.add_argument("--crs", choices=("EPSG:4326", "EPSG:3857", "EPSG:4490", "EPSG:4549"),
                        default="EPSG:4326", help="CRS of the output (default EPSG:4326)")
    georef.add_argument("--world-file", action="store_true",
                        help="also write a world file beside the image (affine only)")
    georef.add_argument("--save-points", action="store_true",
                        help="save the points beside the image as IMAGE.points for QGIS's georeferencer")
    publish = sub.add_parser("publish", help="publish the project into a PostGIS schema: layers as tables "
                                             "(primary key, spatial index), styles in QGIS's layer_styles, "
                                             "indicators, links and actuals; needs CREATE on the database")
    publish.add_argument("url", metavar="postgresql://USER@HOST:PORT/DB?schema=NAME",
                         help="the server and schema (default schema: public); the password comes from "
                              "~/.pgpass, the service file or the system keyring, never the command line")
    publish.add_argument("--schema", help="the schema (instead of the URL's ?schema=)")
    publish.add_argument("--overwrite", action="store_true",
                         help="replace a project published there before (other tables in the schema stay)")
    publish.add_argument("--actuals", metavar="ACTUALS.csv", default=argparse.SUPPRESS,
                         help="load monitoring values (actuals) from this CSV first")
    return parser


def cmd_publish(project, args) -> int:
    from gisapp.io.postgis.connection import parse_url
    from gisapp.io.postgis.project import publish_project

    try:
        spec = parse_url(args.url)
    except ValueError as exc:
        return _fail(str(exc))
    summary = publish_project(project, spec, args.schema or spec.schema, overwrite=args.overwrite)
    for layer_id, table in summary.tables.items():
        print(f"{layer_id} -> {summary.schema}.{table}")
    if summary.left_out:
        warn([f"left out (a basemap or raster is a file on this computer): {', '.join(summary.left_out)}"])
    print(f"published {len(summary.tables)} layers to {spec.display()} schema {summary.schema}")
    return 0


def _gcp(text: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"expected X,Y,LON,LAT (four numbers), not {text!r}")
    return values  # type: ignore[return-value]


def cmd_georeference(args) -> int:
    from gisapp.core.geo.georef import ControlPoint, GeorefError
    from gisapp.io.georef import (
        georeference,
        points_path,
        read_points,
        write_points,
        write_world_file,
    )

    points: list[ControlPoint] = []
    crs = args.gcp_crs
    if args.points:
        points, crs = read_points(args.points, default_crs=args.gcp_crs)
    if args.gcp and args.points and crs != args.gcp_crs:
        return _fail(f"the --gcp positions are in {args.gcp_crs} and the points file's in {crs}")
    points += [ControlPoint(x, y, lon, lat) for x, y, lon, lat in args.gcp]
    try:
        result = georeference(args.image, points, crs, args.transform, args.out, args.crs)
    except GeorefError as exc:
        return _fail(str(exc))
    fit = result.fit
    print(f"{'#':>3} {'image x':>10} {'image y':>10} {'map x':>16} {'map y':>16} {'dX px':>8} {'dY px':>8} "
          f"{'residual m':>11}")
    for number, (point, residual) in enumerate(zip(fit.points, fit.residuals, strict=True), start=1):
        off = "" if point.enabled else "  (disabled)"
        print(f"{number:>3} {point.pixel_x:>10.2f} {point.pixel_y:>10.2f} {point.map_x:>16.6f} "
              f"{point.map_y:>16.6f} {residual.dx_px:>8.3f} {residual.dy_px:>8.3f} {residual.metres:>11.3f}{off}")
    print(f"RMS: {fit.rms_m:.3f} m ({fit.rms_px:.3f} px), {args.transform}, {args.crs}")
    print(f"wrote {result.path} ({result.width} x {result.height})")
    if args.world_file:
        if args.transform != "affine":
            return _fail("a world file holds an affine transform only: use --transform affine")
        print(f"wrote {write_world_file(args.image, fit)}")
    if args.save_points:
        target = points_path(args.image)
        write_points(target, fit.points, args.crs, fit)
        print(f"wrote {target}")
    return 0


def _first_positional(argv: list[str], parser: argparse.ArgumentParser) -> str | None:
    """The first argument that is not an option or an option's value (None if there is none)."""
    options = parser._option_string_actions
    expecting_value = False
    for token in argv:
        if expecting_value:
            expecting_value = False
            continue
        if token == "--":
            return token  # everything after it is a file
        if token.startswith("-") and token != "-":
            name = token.split("=", 1)[0]
            matches = [options[name]] if name in options else [
                action for option, action in options.items() if option.startswith(name) and name.startswith("--")]
            if len({id(action) for action in matches}) == 1 and "=" not in token:
                expecting_value = matches[0].nargs != 0
            continue
        return token
    return None


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """Subcommands when the first positional names one (or there is none); else data files.

    ``gisapp layers`` is the subcommand, ``gisapp ./layers`` a file of that name.
    """
    full = build_parser()
    if _first_positional(argv, full) in (None, *SUBCOMMANDS):
        args = full.parse_args(argv)
        args.files = []
        return args
    args = build_files_parser().parse_args(argv)
    args.command = None
    return args


def cmd_report(project, args) -> int:
    from gisapp.export.report import ReportOptions, write_report

    options = ReportOptions(lang=args.lang or "zh", map_style=args.map, as_of=args.as_of)
    print(write_report(project, args.out, options))
    return 0


def _extent(text: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise ValueError(f"--extent must be LON0,LAT0,LON1,LAT1 in degrees, not {text!r}")
    return values  # type: ignore[return-value]


def print_layout_for(project, args):
    """The layout ``gisapp print`` draws: the template with the command line's changes."""
    from pathlib import Path

    from gisapp.core.layout.items import Layout, LayoutError
    from gisapp.core.layout.page import Page
    from gisapp.core.layout.templates import PLAN_MAP, ZONE_SHEET, builtin, on_page, zone_sheet

    name = args.template or (ZONE_SHEET if args.atlas else PLAN_MAP)
    saved = {entry.get("name"): entry for entry in project.layouts}
    if name in saved:
        layout = Layout.from_dict(saved[name])
    elif name in (PLAN_MAP, ZONE_SHEET):
        layout = zone_sheet(args.atlas) if name == ZONE_SHEET and args.atlas else builtin(name)
    else:
        path = Path(name)
        if not path.is_file():
            raise KeyError(f"no layout {name!r}: give a3-plan-map, a4-zone-sheet, a layout saved in the "
                           "project, or a layout JSON file")
        try:
            layout = Layout.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, LayoutError) as exc:
            raise ValueError(f"{path}: not a usable layout file ({exc})") from None
    if args.paper or args.landscape or args.portrait:
        landscape = True if args.landscape else False if args.portrait else layout.page.landscape
        layout = on_page(layout, Page(args.paper or layout.page.paper, landscape, layout.page.margin_mm))
    if args.atlas is not None:
        if args.atlas not in {layer.id for layer in project.vector_layers()}:
            raise ValueError(f"no layer {args.atlas!r} for --atlas; `gisapp layers` lists them")
        layout.atlas_layer = args.atlas
    for item in layout.items_of("map"):
        if args.scale is not None:
            if not 1 <= args.scale <= 1e9:
                raise ValueError(f"--scale must be from 1 to 1e9, not {args.scale:g}")
            item.scale = args.scale
        if args.extent:
            extent = _extent(args.extent)
            if not (extent[0] < extent[2] and extent[1] < extent[3] and all(abs(v) <= 90 for v in extent[1::2])):
                raise ValueError(f"--extent must be west,south,east,north in degrees, not {args.extent!r}")
            item.extent = extent
        if args.crs:
            item.crs = _print_crs(args.crs)
    for kind, text in (("title", args.title), ("subtitle", args.subtitle)):
        if text is not None:
            for item in layout.items_of(kind):
                item.text_zh = item.text_en = text
    return layout


def _print_crs(text: str) -> str:
    """``--crs`` as given, if pyproj knows it and it is a map CRS (not a geocentric one)."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_user_input(text)
    except CRSError:
        raise ValueError(f"--crs {text!r} is not a CRS pyproj knows (try EPSG:3857 or EPSG:4547)") from None
    if not (crs.is_projected or crs.is_geographic):
        raise ValueError(f"--crs {text!r} is not a map CRS (it must be projected or geographic)")
    return text


def cmd_print(project, args) -> int:
    from gisapp.core.layout.items import LayoutError
    from gisapp.ui.layout.export import (
        ExportOptions,
        LayoutExportError,
        check_request,
        export_layout,
    )
    from gisapp.ui.shell.app import create_application

    try:
        check_request(args.out, args.dpi)
        layout = print_layout_for(project, args)
    except (ValueError, LayoutError) as exc:  # LayoutExportError is a ValueError
        return _fail(str(exc))
    create_application(offscreen=True)  # fonts and painting need Qt, never a window
    notes: list[str] = []
    try:
        written = export_layout(layout, project, args.out,
                                ExportOptions(lang=args.lang or "zh", dpi=args.dpi), notes)
    except LayoutExportError as exc:
        return _fail(str(exc))
    warn(notes)  # basemap tiles not held offline, rasters that could not be read
    for path in written:
        print(path)
    return 0


def warn(messages: list[str]) -> None:
    for message in messages:
        print(f"gisapp: warning: {message}", file=sys.stderr)


def cmd_export_web(project, args) -> int:
    from gisapp.core.model.tile_layer import TileSource
    from gisapp.export.web.webdata import skipped_features
    from gisapp.export.web.webmap import (
        WebMapOptions,
        export_bounds,
        export_web_map,
        mbtiles_embed_size,
    )
    from gisapp.io.tiles.mbtiles import MBTilesReader

    layer_ids = [part.strip() for part in args.layers.split(",") if part.strip()] if args.layers else None
    if layer_ids:
        known = {layer.id for layer in project.vector_layers()}
        unknown = [layer_id for layer_id in layer_ids if layer_id not in known]
        if unknown:
            return _fail(f"unknown layer id(s): {', '.join(unknown)}; `gisapp layers` lists them")
    if args.basemap == "tianditu" and not args.tianditu_key:
        return _fail("--basemap tianditu needs --tianditu-key (a free key from Tianditu)")
    basemap, source = args.basemap, None
    if basemap.startswith("xyz:"):
        basemap, source = "xyz", TileSource("xyz", url=args.basemap[4:])
    elif basemap.startswith("mbtiles:"):
        reader = MBTilesReader(args.basemap[8:])  # a broken file fails here, named
        basemap = "mbtiles"
        source = TileSource("mbtiles", path=args.basemap[8:], attribution=reader.info.attribution)
    options = WebMapOptions(layer_ids=layer_ids, basemap=basemap, lang=args.lang or "zh",
                            self_contained=not args.linked, tianditu_key=args.tianditu_key or "",
                            basemap_source=source, mbtiles_zooms=args.zooms,
                            title=args.title or "", subtitle=args.subtitle,
                            style_by_progress=args.style_by_progress)
    try:
        options.validate()
    except ValueError as exc:
        return _fail(str(exc))
    if basemap == "mbtiles":
        tiles, size = mbtiles_embed_size(source.path, export_bounds(project, options), args.zooms)
        print(f"gisapp: embedding {tiles} tiles of {Path(source.path).name} "
              f"(zoom {args.zooms[0]}-{args.zooms[1]}): {_size_text(size)}", file=sys.stderr)
    with skipped_features() as skipped:
        out = export_web_map(project, args.out, options)
    warn([str(item) for item in skipped])
    print(out)
    return 0


def _size_text(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"


def _finite(value):
    """``value`` with every non-finite float (a ratio over a zero baseline, say) as None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def print_json(payload) -> None:
    """Strict JSON (never NaN or Infinity, which JSON parsers refuse)."""
    print(json.dumps(_finite(payload), ensure_ascii=False, indent=2, allow_nan=False))


def _fail(message: str) -> int:
    print(f"gisapp: error: {message}", file=sys.stderr)
    return 2


def _bounds(layer) -> tuple[list[float] | None, list[float] | None]:
    from gisapp.core.geo.geodesy import STORAGE_CRS

    own = layer.bounds_in(layer.crs)
    lonlat = layer.bounds_in(STORAGE_CRS)
    return ([round(v, 9) for v in own] if own else None, [round(v, 9) for v in lonlat] if lonlat else None)


def describe_layer(layer, lang: str = "en") -> dict:
    """What ``gisapp info`` tells about one layer read from a file."""
    from pyproj import CRS

    from gisapp.core.model.load_report import crs_decision_text

    report = layer.load_report
    bounds, bounds_wgs84 = _bounds(layer)
    types = sorted({str(t) for t in layer.frame.geometry.geom_type.dropna().unique()})
    return {
        "layer": report.layer if report else layer.id, "title": layer.title_en, "geometry": layer.geometry_family,
        "geometry_types": types, "features": len(layer),
        "features_read": report.features_read if report else len(layer),
        "fields": layer.attribute_columns(), "crs": layer.crs, "crs_name": CRS.from_user_input(layer.crs).name,
        "crs_decision": report.crs_how if report else "declared",
        "crs_decision_text": crs_decision_text(report.crs_how, lang) if report else "",
        "bounds": bounds, "bounds_wgs84": bounds_wgs84,
        "warnings": [w.to_dict(lang) for w in report.warnings] if report else [],
        "rejected": [r.to_dict(lang) for r in report.rejected] if report else [],
    }


def cmd_info(paths: list[str], as_json: bool, lang: str = "en") -> int:
    """Describe each file; a file gisapp cannot read is an error line (exit status 2)."""
    from gisapp.io.errors import GisIOError
    from gisapp.io.raster import is_raster_path, open_raster
    from gisapp.io.vector import open_vector_file

    entries, errors = [], []
    for path in paths:
        try:
            if is_raster_path(path):
                entries.append({"file": path, "raster": describe_raster(open_raster(path), lang)})
                continue
            entries.append({"file": path, "layers": [describe_layer(layer, lang) for layer in open_vector_file(path)]})
        except GisIOError as exc:
            errors.append(str(exc))
            entries.append({"file": path, "error": str(exc)})
    if as_json:
        print_json(entries)  # bounds of a layer without geometry are NaN: null in JSON
    else:
        for entry in entries:
            if "error" not in entry:
                print(_info_text(entry))
    for error in errors:
        print(f"gisapp: error: {error}", file=sys.stderr)
    return 2 if errors else 0


def describe_raster(layer, lang: str) -> dict:
    """What ``gisapp info`` says of a raster: size, bands, overviews, CRS and how it was decided."""
    from gisapp.core.geo.crs_checks import crs_name
    from gisapp.core.model.load_report import crs_decision_text

    info, report = layer.info, layer.load_report
    wgs84 = layer.bounds_in("EPSG:4326")
    return {"title": layer.title(lang), "width": info.width, "height": info.height, "bands": info.count,
            "dtype": info.dtype, "band_names": [layer.band_name(b) for b in range(1, info.count + 1)],
            "nodata": info.nodata, "overviews": list(info.overviews), "crs": info.crs, "crs_name": crs_name(info.crs),
            "crs_decision": report.crs_how, "crs_decision_text": crs_decision_text(report.crs_how, lang),
            "bounds": list(info.bounds), "bounds_wgs84": list(wgs84) if wgs84 else None,
            "default_stretch": [list(limits) for limits in info.stretch],
            "warnings": [warning.to_dict(lang) for warning in report.warnings]}


def _info_text(entry: dict) -> str:
    def box(values) -> str:
        return "none" if not values else f"{values[0]:.10g}, {values[1]:.10g} – {values[2]:.10g}, {values[3]:.10g}"

    lines = [entry["file"]]
    if "raster" in entry:
        raster = entry["raster"]
        overviews = ", ".join(f"1/{factor}" for factor in raster["overviews"]) or "none"
        lines.append(f"  {raster['title']}: raster {raster['width']} x {raster['height']} pixels, "
                     f"{raster['bands']} band(s) of {raster['dtype']} ({', '.join(raster['band_names'])}), "
                     f"nodata {raster['nodata']}, overviews {overviews}")
        lines.append(f"    CRS: {raster['crs'] if len(raster['crs']) < 40 else 'WKT'} {raster['crs_name']} "
                     f"({raster['crs_decision_text']})")
        lines.append(f"    bounds: {box(raster['bounds'])}  (WGS 84: {box(raster['bounds_wgs84'])})")
        lines += [f"    warning: {warning['message']}" for warning in raster["warnings"]]
        return "\n".join(lines)
    for layer in entry["layers"]:
        lines.append(f"  {layer['title']}: {layer['geometry']} ({', '.join(layer['geometry_types']) or '-'}), "
                     f"{layer['features']} of {layer['features_read']} features")
        lines.append(f"    CRS: {layer['crs']} {layer['crs_name']} ("
                     f"{layer['crs_decision_text']})")
        lines.append(f"    bounds: {box(layer['bounds'])}  (WGS 84: {box(layer['bounds_wgs84'])})")
        lines.append(f"    fields: {', '.join(layer['fields']) or '(none)'}")
        lines += [f"    warning: {warning['message']}" for warning in layer["warnings"]]
        lines += [f"    rejected: {item['message']}" for item in layer["rejected"]]
    return "\n".join(lines)


def cmd_layers(project, as_json: bool, lang: str) -> int:
    from gisapp.core.model.raster_layer import RasterLayer
    from gisapp.core.model.tile_layer import TileLayer

    rows = [{"id": layer.id, "group": layer.group, "title_zh": layer.title_zh, "title_en": layer.title_en,
             "geometry": "tiles", "features": 0, "visible": layer.visible, "style": layer.source.kind,
             "crs": "EPSG:3857"} if isinstance(layer, TileLayer) else
            {"id": layer.id, "group": layer.group, "title_zh": layer.title_zh, "title_en": layer.title_en,
             "geometry": "raster", "features": 0, "visible": layer.visible, "style": layer.style.mode,
             "crs": layer.info.crs} if isinstance(layer, RasterLayer) else
            {"id": layer.id, "group": layer.group, "title_zh": layer.title_zh, "title_en": layer.title_en,
             "geometry": layer.geometry_family, "features": len(layer), "visible": layer.visible,
             "style": layer.style.kind, "crs": layer.crs} for layer in project.layers]
    if as_json:
        print_json(rows)
        return 0
    for row in rows:
        title = pick(lang, row["title_zh"], row["title_en"])
        print(f"{row['id']:<36} {row['group']:<10} {row['geometry']:<8} {row['features']:>6}  {title}")
    return 0


def cmd_indicators(project, feature_id: str | None, as_json: bool, lang: str) -> int:
    from gisapp.core.plan.monitoring import assess_all

    catalog = project.indicators
    progress = assess_all(catalog)
    if feature_id:
        if project.find_feature(feature_id) is None:
            return _fail(f"no feature with id {feature_id!r}; `gisapp layers` lists the layers")
        items = [(indicator, link.relation) for indicator, link in catalog.for_feature(feature_id)]
    else:
        items = [(indicator, "") for indicator in catalog.indicators]
    if as_json:
        payload = [{**indicator.to_dict(), **({"relation": relation} if relation else {}),
                    "features": catalog.features_for(indicator.id),
                    "actuals": [a.to_dict() for a in catalog.actuals.records() if a.indicator_id == indicator.id],
                    "progress": progress[indicator.id].to_dict(),
                    "status": progress[indicator.id].status} for indicator, relation in items]
        print_json({"feature_id": feature_id, "indicators": payload})
        return 0
    for indicator, _relation in items:
        unit = indicator.unit_label(lang)
        print(f"{indicator.id:<44} {indicator.name(lang)}: {indicator.baseline_value or '—'} → "
              f"{indicator.target_value or '—'} {unit} ({indicator.target_year or ''}) "
              f"[{indicator.nature_label(lang)}] {progress[indicator.id].status_label(lang)} {indicator.source}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else list(argv))
    try:
        return _run(args)
    except BrokenPipeError:  # `gisapp info x.shp | head`: the reader left, which is fine
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return 0


def _run(args) -> int:
    from gisapp.io.errors import GisIOError
    from gisapp.io.postgis.connection import PostgisError

    try:
        if args.command == "info":
            return cmd_info(args.paths, args.json, args.lang or "en")
        if args.command == "georeference":
            return cmd_georeference(args)
        if args.command in ("layers", "indicators", "export-web", "report", "print", "publish"):
            from gisapp.io.session import open_project_with_actuals

            project, warnings = open_project_with_actuals(args.project, args.actuals)
            warn(warnings)
            lang = args.lang or "en"
            if args.command == "layers":
                return cmd_layers(project, args.json, lang)
            if args.command == "export-web":
                return cmd_export_web(project, args)
            if args.command == "report":
                return cmd_report(project, args)
            if args.command == "print":
                return cmd_print(project, args)
            if args.command == "publish":
                return cmd_publish(project, args)
            return cmd_indicators(project, args.feature_id, args.json, lang)
        if args.screenshot and args.edit_scene:
            from gisapp.ui.shell.edit_screenshots import take_editing_screenshot

            print(take_editing_screenshot(args.screenshot, args.edit_scene, args.size, args.lang or "en",
                                          args.project))
            return 0
        if args.screenshot:
            from gisapp.ui.shell.app import take_screenshot

            out = take_screenshot(args.screenshot, args.size, args.select, args.lang or "en",
                                  args.project, args.table, dashboard=args.dashboard,
                                  style_by_progress=args.style_by_progress, actuals=args.actuals,
                                  indicator=args.indicator, files=args.files,
                                  basemap=getattr(args, "basemap", None))
            print(out)
            return 0
        from gisapp.ui.shell.app import run_window

        return run_window(args.project, args.lang, args.actuals, files=args.files,
                          basemap=getattr(args, "basemap", None))
    except (GisIOError, PostgisError) as exc:
        return _fail(str(exc))
    except KeyError as exc:
        return _fail(exc.args[0] if exc.args else str(exc))
    except ValueError as exc:  # a --basemap the window cannot use
        return _fail(str(exc))
    except OSError as exc:
        return _fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
