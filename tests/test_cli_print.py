"""``gisapp print`` as a user runs it: a real subprocess, no window, files read back with poppler."""

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from gisapp.cli import main
from gisapp.core.layout.templates import zone_sheet

GISAPP = [sys.executable, "-m", "gisapp.cli"]


def run(*args):
    return subprocess.run([*GISAPP, *args], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "QT_QPA_PLATFORM": ""})  # no display: it must not matter


def text_of(pdf, *options) -> str:
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def test_print_a_portrait_a4_at_a_chosen_scale_extent_and_title(tmp_path):
    out = tmp_path / "plan.pdf"
    result = run("print", str(out), "--paper", "A4", "--portrait", "--scale", "50000",
                 "--extent", "121.45,38.85,121.6,38.95", "--dpi", "150", "--title", "英歌石测试图", "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert "595 x 842 pts (A4)" in info or "595.276 x 841.89 pts (A4)" in info
    text = text_of(out)
    assert "英歌石测试图" in text and "比例尺 1:50,000" in text


def test_print_an_atlas_from_a_layout_file_to_png_pages(tmp_path):
    template = tmp_path / "sheet.json"
    template.write_text(json.dumps(zone_sheet("hitech_core_zones").to_dict(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "zones.png"
    result = run("print", str(out), "--template", str(template), "--atlas", "hitech_city_sectors", "--dpi", "40",
                 "--lang", "en")
    assert result.returncode == 0, result.stderr
    pages = sorted(tmp_path.glob("zones-*.png"))
    assert [str(p) for p in pages] == result.stdout.split() and len(pages) == 4  # four sectors
    image = QImage(str(pages[0]))
    assert (image.width(), image.height()) == (round(210 / 25.4 * 40), round(297 / 25.4 * 40))


@pytest.mark.parametrize(("args", "message"), [
    (["out.docx"], "print to .pdf, .svg, .png, .tif or .tiff"),
    (["out.pdf", "--atlas", "no_such_layer"], "no layer 'no_such_layer' for --atlas"),
    (["out.pdf", "--extent", "121,39,120,40"], "--extent must be west,south,east,north"),
    (["out.pdf", "--template", "missing.json"], "no layout 'missing.json'"),
    (["out.pdf", "--dpi", "5000"], "1200 dpi"),
])
def test_print_refuses_what_it_cannot_do_with_one_line(tmp_path, capsys, args, message):
    # In-process: each of these is refused before Qt or any drawing starts.
    args[0] = str(tmp_path / args[0])
    assert main(["print", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gisapp: error:") and message in err
    assert not list(tmp_path.iterdir())


def test_a_damaged_layout_file_is_named(tmp_path, capsys):
    template = tmp_path / "bad.json"
    template.write_text('{"name": "x", "items": [{"id": "m", "kind": "map", "x": 0}]}', encoding="utf-8")
    assert main(["print", str(tmp_path / "out.pdf"), "--template", str(template)]) == 2
    err = capsys.readouterr().err
    assert str(template) in err and "items[0].y: required key is missing" in err


def test_print_in_a_chosen_crs_with_a_subtitle(tmp_path):
    # Gauss-Krüger CM 123E: the map is redrawn in it (the pixels differ from the default Web
    # Mercator page) and the subtitle given on the command line is printed as text.
    plain, gauss = tmp_path / "plain.png", tmp_path / "gauss.png"
    for out, extra in ((plain, []), (gauss, ["--crs", "EPSG:4550"])):
        result = run("print", str(out), "--dpi", "40", "--lang", "en", *extra)
        assert result.returncode == 0, result.stderr
    a, b = QImage(str(plain)), QImage(str(gauss))
    assert a.size() == b.size()
    map_box = [(x, y) for x in range(20, a.width() * 2 // 3, 7) for y in range(20, a.height() - 20, 7)]
    changed = sum(a.pixel(x, y) != b.pixel(x, y) for x, y in map_box)
    assert changed > len(map_box) // 10
    pdf = tmp_path / "gauss.pdf"
    result = run("print", str(pdf), "--dpi", "72", "--crs", "EPSG:4550", "--subtitle", "第一稿 · 征求意见",
                 "--title", "测试标题", "--scale", "100000")
    assert result.returncode == 0, result.stderr
    text = text_of(pdf)
    assert "第一稿 · 征求意见" in text and "测试标题" in text and "比例尺 1:100,000" in text


def test_the_print_options_reach_the_layout(bundled_project):
    from gisapp.cli import build_parser, print_layout_for

    project = bundled_project
    args = build_parser().parse_args(["print", "x.pdf", "--crs", "EPSG:4550", "--subtitle", "Draft", "--paper", "A2",
                                      "--portrait", "--scale", "25000", "--extent", "121.4,38.8,121.6,39.0"])
    layout = print_layout_for(project, args)
    assert (layout.page.paper, layout.page.landscape) == ("A2", False)
    (frame,) = layout.items_of("map")
    assert (frame.crs, frame.scale, frame.extent) == ("EPSG:4550", 25000, (121.4, 38.8, 121.6, 39.0))
    assert [item.text_en for item in layout.items_of("subtitle")] == ["Draft"]
    assert all(item.crs == "" for item in layout.items_of("overview"))  # the overview keeps its own CRS


@pytest.mark.parametrize(("crs", "message"), [("EPSG:999999", "is not a CRS pyproj knows"),
                                              ("EPSG:4978", "is not a map CRS")])
def test_print_refuses_a_crs_it_cannot_draw(tmp_path, capsys, crs, message):
    assert main(["print", str(tmp_path / "out.pdf"), "--crs", crs]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_template_names_landscape_and_a_layout_saved_in_the_project(bundled_project):
    from gisapp.cli import build_parser, print_layout_for
    from gisapp.core.layout.templates import plan_map

    parse = build_parser().parse_args
    sheet = print_layout_for(bundled_project, parse(["print", "x.pdf", "--template", "a4-zone-sheet", "--landscape"]))
    assert (sheet.name, sheet.page.paper, sheet.page.landscape, sheet.atlas_layer) == \
        ("a4-zone-sheet", "A4", True, "hitech_clusters")
    assert max(item.x + item.width for item in sheet.items) <= 297 - 12 + 0.01  # laid out again on the wide page
    saved = plan_map()
    saved.name = "我的图"
    saved.item("title").text_zh = "已保存的标题"
    bundled_project.layouts = [saved.to_dict()]
    layout = print_layout_for(bundled_project, parse(["print", "x.pdf", "--template", "我的图"]))
    assert layout.item("title").text_zh == "已保存的标题"
