"""The indicator report: CSV, HTML and PDF in both languages, drawn without a window."""

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gisapp.charts.figures import cjk_font_path, wrap
from gisapp.core.model.style import SingleStyle
from gisapp.core.plan.actuals import Actual
from gisapp.export.report import ReportOptions, progress_map_view, report_rows, write_report
from gisapp.io.errors import GisIOError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(bundled_project):
    bundled_project.indicators.actuals.update([
        Actual("plan.t2.04", 2022, 8150), Actual("plan.t2.05", 2022, 140),
        Actual("plan.t2.16", 2022, 3.5), Actual("plan.t2.19", 2022, 84)])
    return bundled_project


def test_rows_carry_progress_status_and_source(project):
    rows = {row["indicator_id"]: row for row in report_rows(project, "en")}
    assert rows["plan.t2.04"]["status_id"] == "on_track"
    assert rows["plan.t2.04"]["progress_pct"] == f"{(8150 - 6726) / 3274 * 100:.0f}"
    assert rows["plan.t2.05"]["status_id"] == "behind"
    assert rows["plan.t2.16"]["status"] == "Achieved"
    assert rows["plan.t2.19"]["binding"] and rows["plan.t2.19"]["nature"] == "binding"
    assert "Table 2" in rows["plan.t2.04"]["source"] and "Outline of the 14th Five-Year Plan" in rows["plan.t2.04"]["source"]
    zh = {row["indicator_id"]: row for row in report_rows(project, "zh")}
    assert (zh["plan.t2.04"]["name"], zh["plan.t2.04"]["status"]) == ("有效发明专利", "进度正常")


def test_csv_report(project, tmp_path):
    out = write_report(project, tmp_path / "report.csv", ReportOptions(lang="zh"))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(project.indicators.indicators)
    patents = next(r for r in rows if r["indicator_id"] == "plan.t2.04")
    assert (patents["name"], patents["latest"], patents["latest_year"], patents["status"]) == (
        "有效发明专利", "8,150", "2022", "进度正常")
    assert patents["category"] == "科技创新" and patents["source"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_report(project, tmp_path, lang):
    project.indicators.indicators[0].name_en = "<script>alert(1)</script>"
    out = write_report(project, tmp_path / f"report_{lang}.html", ReportOptions(lang=lang))
    text = out.read_text(encoding="utf-8")
    assert text.count("data:image/png;base64,") >= 4  # the map and the category charts
    if lang == "zh":
        assert "规划指标监测评估报告" in text and "有效发明专利" in text and "进度正常" in text
    else:
        assert "Plan indicator monitoring report" in text and "Valid invention patents" in text
        assert "<script>alert" not in text and "&lt;script&gt;" in text
    # The binding air-quality indicator stands out; every source is listed.
    assert re.search(r"<td class='binding'>[^<]*(空气质量优良天数比例|good or excellent air)", text)
    # Sources read as citations: the plan's title, then the table.
    place = {"zh": "纲要》表2 大连高新区“十四五”发展目标", "en": "Dalian High-tech Zone, Table 2 大连高新区“十四五”发展目标"}
    assert place[lang] in text


def test_pdf_report_embeds_a_chinese_font(project, tmp_path, qapp):
    from PySide6.QtGui import QColor, QImage

    assert cjk_font_path(), "install fonts-wqy-microhei (scripts/bootstrap.sh does)"
    out = write_report(project, tmp_path / "report.pdf", ReportOptions(lang="zh"))
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 4  # map, charts, table
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+(WenQuanYi|NotoSansCJK|SourceHanSans)", data)
    # The map has the print layouts' scale bar and north arrow.
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    texts = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(out), "-"], capture_output=True,
                            text=True, check=True).stdout for n in range(1, pages + 1)]
    assert re.search(r"比例尺 1:[\d,]+", texts[0]) and "北" in texts[0] and "km" in texts[0]
    # Chart pages are filled: each but the last reaches into its bottom third.
    chart_pages = [n for n, text in enumerate(texts, start=1) if "分类指标图" in text]
    assert len(chart_pages) >= 2
    for number in chart_pages[:-1]:
        stem = tmp_path / f"page{number}"
        subprocess.run(["pdftoppm", "-r", "20", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(out), str(stem)], check=True)
        image = QImage(f"{stem}.png")
        white = QColor("white")
        used = [y for y in range(image.height()) if any(image.pixelColor(x, y) != white
                                                         for x in range(0, image.width(), 2))]
        assert max(used) > image.height() * 2 / 3, f"page {number} is mostly empty"


def test_progress_map_leaves_the_project_alone(project):
    before = {layer.id: layer.style.to_dict() for layer in project.layers}
    view = progress_map_view(project)
    styled = {layer.id: layer for layer in view.layers}
    assert styled["hitech_core_zones"].style.field == "progress_status"
    assert isinstance(styled["base_land"].style, SingleStyle)
    assert {layer.id: layer.style.to_dict() for layer in project.layers} == before
    assert "progress_status" not in project.layer("hitech_core_zones").frame.columns


def test_unsupported_format(project, tmp_path):
    with pytest.raises(GisIOError, match=r"\.pdf, \.html or \.csv"):
        write_report(project, tmp_path / "report.docx")


def test_wrap_counts_chinese_as_double_width():
    assert wrap("dalian-hitech-14th-five-year-plan.zh.txt, 表2 “十四五”发展目标", 30).split("\n") == [
        "dalian-hitech-14th-five-year-p", "lan.zh.txt, 表2 “十四五”发展目", "标"]
    assert wrap("Valid invention patents", 10) == "Valid\ninvention\npatents"


def test_report_command_runs_without_qt(tmp_path):
    """`gisapp report` works on a machine without a display, and never imports Qt."""
    out = tmp_path / "report.pdf"
    code = ("import sys; sys.modules['PySide6'] = None\n"
            "from gisapp.cli import main\n"
            f"sys.exit(main(['report', {str(out)!r}, '--lang', 'en']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    assert out.read_bytes().startswith(b"%PDF")



def test_report_cites_titles_and_says_when_the_plan_gives_no_baseline(project, tmp_path):
    out = write_report(project, tmp_path / "report_zh.html", ReportOptions(lang="zh"))
    html = out.read_text(encoding="utf-8")
    assert "《大连高新区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》表2" in html
    assert "five-year-plan.zh.txt" not in html
    without = [r for r in report_rows(project, "zh") if not r["baseline"] and r["target"]]
    assert without, "the bundled plan has targets without a baseline"
    assert html.count("规划未给出基期值") >= len(without)
