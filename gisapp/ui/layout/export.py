"""Write a layout to PDF, SVG, PNG or TIFF: one page, or one page per atlas feature.

A PDF holds every atlas page; SVG and image files are one per page (``name-01.png``...).
Each file is written to a temporary file beside the target and moved over it, so a
failed export leaves the previous file as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from gisapp.core.layout.atlas import AtlasPage, atlas_pages
from gisapp.core.layout.items import Layout
from gisapp.core.model.project import Project
from gisapp.io.atomic import atomic_path
from gisapp.ui.layout.paint import PageContext, paint_page

FORMATS = {".pdf": "pdf", ".svg": "svg", ".png": "image", ".tif": "image", ".tiff": "image"}
MAX_IMAGE_PIXELS = 30_000 * 30_000  # an A0 page at 600 dpi is 19,900 x 28,100


class LayoutExportError(ValueError):
    """The layout cannot be written as asked (format, DPI, atlas layer)."""


@dataclass
class ExportOptions:
    lang: str = "zh"
    dpi: float = 300.0
    atlas_layer: str | None = None  # None: the layout's own atlas layer ("" there: one page)
    font_family: str = ""


def _family(options: ExportOptions) -> str:
    return options.font_family or QGuiApplication.font().family()


def pages_for(layout: Layout, project: Project, options: ExportOptions) -> list[AtlasPage | None]:
    layer_id = layout.atlas_layer if options.atlas_layer is None else options.atlas_layer
    if not layer_id:
        return [None]
    try:
        pages = atlas_pages(project, layer_id, options.lang)
    except KeyError:
        raise LayoutExportError(f"no layer {layer_id!r} for the atlas; `gisapp layers` lists them") from None
    if not pages:
        raise LayoutExportError(f"the atlas layer {layer_id!r} has no features")
    return list(pages)


def check_request(out: str | Path, dpi: float) -> str:
    """The output kind ("pdf", "svg", "image") for ``out``; LayoutExportError if the format or
    resolution cannot be printed (checked before any drawing starts)."""
    kind = FORMATS.get(Path(out).suffix.lower())
    if kind is None:
        raise LayoutExportError(f"{Path(out).name}: print to .pdf, .svg, .png, .tif or .tiff")
    if not 30 <= dpi <= 1200:
        raise LayoutExportError(f"the resolution must be 30 to 1200 dpi, not {dpi:g}")
    return kind


def export_layout(layout: Layout, project: Project, out: str | Path, options: ExportOptions | None = None,
                  notes: list[str] | None = None) -> list[Path]:
    """Write ``layout`` to ``out`` (its suffix picks the format); returns the files written.
    ``notes`` hears what was left out (basemap tiles not held offline, a raster that could not
    be read): print never waits on a tile server."""
    options = options or ExportOptions()
    out = Path(out)
    kind = check_request(out, options.dpi)
    pages = pages_for(layout, project, options)
    contexts: list[PageContext] = []
    if kind == "pdf":
        _write_pdf(layout, project, out, pages, options, contexts)
        _note(contexts, notes)
        return [out]
    targets = [out] if len(pages) == 1 else [out.with_name(f"{out.stem}-{n:02d}{out.suffix}")
                                             for n in range(1, len(pages) + 1)]
    for target, page in zip(targets, pages, strict=True):
        if kind == "svg":
            _write_svg(layout, project, target, page, options, contexts)
        else:
            _write_image(layout, project, target, page, options, contexts)
    _note(contexts, notes)
    return targets


def _note(contexts: list[PageContext], notes: list[str] | None) -> None:
    if notes is None:
        return
    missing = sum(ctx.tiles_missing for ctx in contexts)
    if missing:
        notes.append(f"{missing} basemap tile(s) are not in the tile cache or MBTiles file and were left blank "
                     "(print does not fetch tiles; view the area on the map first to cache them)")
    problems = dict.fromkeys(problem for ctx in contexts for problem in ctx.raster_problems)
    notes.extend(f"a raster was left out: {problem}" for problem in problems)


def _context(project: Project, options: ExportOptions, page: AtlasPage | None, vector: bool = False,
             contexts: list[PageContext] | None = None) -> PageContext:
    ctx = PageContext(project, options.lang, options.dpi, _family(options), page, vector)
    if contexts is not None:
        contexts.append(ctx)
    return ctx


def _write_pdf(layout: Layout, project: Project, out: Path, pages: list[AtlasPage | None],
               options: ExportOptions, contexts: list[PageContext] | None = None) -> None:
    width, height = layout.page.size_mm
    with atomic_path(out) as temp:
        writer = QPdfWriter(str(temp))
        writer.setResolution(int(options.dpi))
        writer.setPageLayout(QPageLayout(QPageSize(QSizeF(width, height), QPageSize.Millimeter, layout.name),
                                         QPageLayout.Portrait, QMarginsF(0, 0, 0, 0)))
        writer.setTitle(layout.name)
        writer.setCreator("gisapp")
        painter = QPainter(writer)
        if not painter.isActive():
            raise OSError(f"{out}: the PDF could not be started")
        try:
            for number, page in enumerate(pages):
                if number:
                    writer.newPage()
                paint_page(painter, layout, _context(project, options, page, vector=True, contexts=contexts))
        finally:
            painter.end()
        del writer  # the file is complete only once the writer is gone


def _write_image(layout: Layout, project: Project, out: Path, page: AtlasPage | None,
                 options: ExportOptions, contexts: list[PageContext] | None = None) -> None:
    width_mm, height_mm = layout.page.size_mm
    ppm = options.dpi / 25.4
    width, height = round(width_mm * ppm), round(height_mm * ppm)
    if width * height > MAX_IMAGE_PIXELS:
        raise LayoutExportError(f"{width} x {height} pixels is too large an image; lower the dpi")
    image = QImage(width, height, QImage.Format_RGB32)
    dots_per_metre = round(options.dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    try:
        paint_page(painter, layout, _context(project, options, page, contexts=contexts))
    finally:
        painter.end()
    fmt = "TIFF" if out.suffix.lower() in (".tif", ".tiff") else "PNG"
    with atomic_path(out) as temp:
        if not image.save(str(temp), fmt):
            raise OSError(f"{out}: the image could not be written")


def _write_svg(layout: Layout, project: Project, out: Path, page: AtlasPage | None,
               options: ExportOptions, contexts: list[PageContext] | None = None) -> None:
    from PySide6.QtSvg import QSvgGenerator

    width_mm, height_mm = layout.page.size_mm
    ppm = options.dpi / 25.4
    width, height = round(width_mm * ppm), round(height_mm * ppm)
    with atomic_path(out) as temp:
        generator = QSvgGenerator()
        generator.setFileName(str(temp))
        generator.setSize(QSize(width, height))
        generator.setViewBox(QRectF(0, 0, width, height))
        generator.setResolution(int(options.dpi))
        generator.setTitle(layout.name)
        painter = QPainter(generator)
        try:
            paint_page(painter, layout, _context(project, options, page, vector=True, contexts=contexts))
        finally:
            painter.end()
        del generator
