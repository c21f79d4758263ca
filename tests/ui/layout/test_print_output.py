"""Printed layouts checked as a reader of the file would: poppler's pdfinfo, pdffonts,
pdftotext and pdftoppm on the PDF, pixels of the rendered pages, the PNG's DPI, the SVG's text."""

import subprocess
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from PySide6.QtGui import QColor, QImage

from gisapp.core.layout.templates import plan_map, zone_sheet
from gisapp.io.catalogue import load_catalogue
from gisapp.ui.layout.export import ExportOptions, LayoutExportError, export_layout

PAGE_DPI = 50  # pdftoppm resolution for pixel checks


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


pytestmark = pytest.mark.xdist_group("print_output")  # one worker builds the module fixture once


@pytest.fixture(scope="module")
def printed(qapp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    project = load_catalogue()
    plan = plan_map()
    sheets = zone_sheet("hitech_city_sectors")
    files = {
        "pdf": export_layout(plan, project, folder / "plan.pdf", ExportOptions("zh", 150))[0],
        "pdf_en": export_layout(plan, project, folder / "plan_en.pdf", ExportOptions("en", 150))[0],
        "png": export_layout(plan, project, folder / "plan.png", ExportOptions("en", 72))[0],
        "svg": export_layout(plan, project, folder / "plan.svg", ExportOptions("zh", 60))[0],
        "atlas": export_layout(sheets, project, folder / "atlas.pdf", ExportOptions("en", 100))[0],
    }
    run("pdftoppm", "-r", str(PAGE_DPI), "-png", "-singlefile", str(files["pdf"]), str(folder / "page"))
    return {"project": project, "plan": plan, "sheets": sheets, "folder": folder, **files,
            "page": QImage(str(folder / "page.png"))}


def test_the_pdf_is_a3_landscape_with_the_cjk_font_embedded(printed):
    info = run("pdfinfo", str(printed["pdf"]))
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width_pt, height_pt = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    assert width_pt == pytest.approx(420 / 25.4 * 72, abs=0.5) and height_pt == pytest.approx(297 / 25.4 * 72, abs=0.5)
    fonts = run("pdffonts", str(printed["pdf"])).splitlines()[2:]
    cjk = [line for line in fonts if any(name in line for name in ("WenQuanYi", "NotoSansCJK", "SourceHan"))]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # the "emb" column


def test_the_pdf_text_is_selectable_title_scale_and_legend(printed):
    project = printed["project"]
    text = run("pdftotext", str(printed["pdf"]), "-")
    assert "大连高新区空间布局规划图" in text
    assert "比例尺 1:" in text and "km" in text
    sectors = project.layer("hitech_city_sectors")
    for category in sectors.style.categories:
        assert category.label_zh in text
    assert "图例" in text and "© OpenStreetMap contributors" in text
    assert f"制图日期：{date.today().isoformat()}" in text  # {today}: the day it was printed
    # -raw keeps the drawing order, so a label wrapped onto lines of a column stays together.
    english = " ".join(run("pdftotext", "-raw", str(printed["pdf_en"]), "-").split())
    assert "Scale 1:" in english and "Legend" in english and sectors.title_en in english
    for category in sectors.style.categories:
        assert category.label_en in english


def _dark(colour: QColor) -> bool:
    return colour.red() < 90 and colour.green() < 90 and colour.blue() < 90


def _rect_px(item):
    ppm = PAGE_DPI / 25.4
    return (round(item.x * ppm), round(item.y * ppm), round((item.x + item.width) * ppm),
            round((item.y + item.height) * ppm))


def test_pages_show_the_map_frame_scale_bar_and_north_arrow_where_the_layout_puts_them(printed):
    page, plan = printed["page"], printed["plan"]
    assert abs(page.width() - 420 / 25.4 * PAGE_DPI) < 2 and abs(page.height() - 297 / 25.4 * PAGE_DPI) < 2
    left, top, right, bottom = _rect_px(plan.item("map"))
    sea = page.pixelColor(left + 4, top + 4)  # the frame's top-left corner is open sea
    assert (abs(sea.red() - 0xAA), abs(sea.green() - 0xD3), abs(sea.blue() - 0xDF)) < (12, 12, 12)
    # The frame's border (0.25 mm: grey at 50 dpi) and white paper just outside it.
    middle = (top + bottom) // 2
    assert min(page.pixelColor(x, middle).lightness() for x in (left - 1, left, left + 1)) < 160
    assert page.pixelColor(left - 3, (top + bottom) // 2) == QColor("white")  # nothing outside it
    for item_id in ("scale_bar", "north_arrow"):
        x0, y0, x1, y1 = _rect_px(plan.item(item_id))
        dark = [(x, y) for x in range(x0, x1) for y in range(y0, y1) if _dark(page.pixelColor(x, y))]
        assert len(dark) > 0.04 * (x1 - x0) * (y1 - y0), item_id
        if item_id == "north_arrow":  # true north is grid up in Web Mercator: the arrow stands centred
            mean_x = sum(x for x, _ in dark) / len(dark)
            assert abs(mean_x - (x0 + x1) / 2) < 0.1 * (x1 - x0)
        else:  # the bar starts at the item's left edge and its black segments are in one row
            assert min(x for x, _ in dark) - x0 < 3 * PAGE_DPI / 25.4
    # Between the scale bar and the legend the side column is blank paper.
    bar, legend = plan.item("scale_bar"), plan.item("legend")
    gap_y = round((bar.y + bar.height + legend.y) / 2 * PAGE_DPI / 25.4)
    assert page.pixelColor(round((bar.x + 5) * PAGE_DPI / 25.4), gap_y) == QColor("white")


def test_the_atlas_has_one_page_per_feature_each_naming_its_zone(printed):
    layer = printed["project"].layer("hitech_city_sectors")
    info = run("pdfinfo", str(printed["atlas"]))
    assert f"Pages:           {len(layer)}" in info
    assert "A4" in info
    for number, name in enumerate(layer.frame["name_en"], start=1):
        text = run("pdftotext", "-f", str(number), "-l", str(number), str(printed["atlas"]), "-")
        assert name in text and "Yingeshi" in text  # its share of the science city
        assert "Indicator" in text and "Status" in text


def test_png_and_svg_pages(printed):
    image = QImage(str(printed["png"]))
    assert (image.width(), image.height()) == (round(420 / 25.4 * 72), round(297 / 25.4 * 72))
    assert round(image.dotsPerMeterX() * 0.0254) == 72
    root = ET.parse(printed["svg"]).getroot()
    texts = "".join(root.itertext())
    assert "大连高新区空间布局规划图" in texts and "图例" in texts


def test_unusable_requests_say_what_is_wrong(printed):
    with pytest.raises(LayoutExportError, match="print to .pdf"):
        export_layout(printed["plan"], printed["project"], printed["folder"] / "x.docx")
    with pytest.raises(LayoutExportError, match="1200 dpi"):
        export_layout(printed["plan"], printed["project"], printed["folder"] / "x.png", ExportOptions(dpi=5000))
    with pytest.raises(LayoutExportError, match="no layer 'nope'"):
        export_layout(printed["plan"], printed["project"], printed["folder"] / "x.pdf", ExportOptions(atlas_layer="nope"))


def test_a_zone_sheet_map_grows_over_the_room_a_short_table_leaves(printed):
    # A sector with at most one indicator: the map reaches down to just above the table's
    # rows instead of ending at half the page over an empty third.
    folder = printed["folder"]
    sheets = printed["sheets"]
    run("pdftoppm", "-r", str(PAGE_DPI), "-png", "-f", "1", "-l", "1", "-singlefile", str(printed["atlas"]),
        str(folder / "sheet"))
    page = QImage(str(folder / "sheet.png"))
    ppm = PAGE_DPI / 25.4
    frame, table = sheets.item("map"), sheets.item("indicator_table")
    # Below the template's map bottom, in the middle of the column: the map (not paper white).
    x = round((frame.x + frame.width / 2) * ppm)
    below = [page.pixelColor(x, round(y * ppm)) for y in range(round(frame.y + frame.height + 8),
                                                                round(table.y + table.height - 30), 4)]
    assert below and all(colour != QColor("white") for colour in below)
    text = run("pdftotext", "-f", "1", "-l", "1", str(printed["atlas"]), "-")
    assert "Indicator" in text and "Status" in text  # the table is still there, below the map
