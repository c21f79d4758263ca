"""The indicator report: HTML, PDF and CSV, in Chinese or English, without a window.

Contents: a map (by default the plan zones coloured by the progress of their indicators,
drawn with matplotlib from the project's layers and styles), a summary of statuses, the
dashboard charts (small multiples of every category) and the indicator table with
baseline, target, latest actual, progress, status, the reason and the source.

Examples
--------
>>> from gisapp.io.catalogue import load_catalogue
>>> write_report(load_catalogue(), "report.pdf", ReportOptions(lang="zh"))  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import csv
import datetime as _dt
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

from gisapp.charts.figures import (
    LITERAL,
    ROW_INCHES,
    category_figure,
    category_figure_height,
    default_columns,
    draw_category,
    draw_map,
    fmt,
    use_cjk_font,
    wrap,
)
from gisapp.core.analysis.classify import linked_layers, style_by_progress
from gisapp.core.model.fields import citation
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.style import Style
from gisapp.core.plan.indicators import Indicator
from gisapp.core.plan.monitoring import STATUS_COLOURS, STATUSES, Progress, assess_all, status_label
from gisapp.core.texts import LANGUAGES, Bilingual, html_lang, pick
from gisapp.io.atomic import atomic_path
from gisapp.io.errors import GisIOError

FORMATS = (".pdf", ".html", ".htm", ".csv")
TEXT = {
    "title": Bilingual("规划指标监测评估报告", "Plan indicator monitoring report"),
    "generated": Bilingual("生成日期", "Generated"),
    "as_of": Bilingual("实际值截至", "Actual values up to"),
    "summary": Bilingual("指标状态汇总", "Status of the indicators"),
    "map": Bilingual("地图：各片区关联指标的进度", "Map: progress of the indicators linked to each zone"),
    "map_current": Bilingual("地图", "Map"),
    "charts": Bilingual("分类指标图", "Indicators by category"),
    "continued": Bilingual("（续）", "(continued)"),
    "table": Bilingual("指标表", "Indicator table"),
    "category": Bilingual("类别", "Category"),
    "indicator": Bilingual("指标", "Indicator"),
    "unit": Bilingual("单位", "Unit"),
    "nature": Bilingual("属性", "Nature"),
    "baseline": Bilingual("基期值", "Baseline"),
    "noBaseline": Bilingual("规划未给出基期值", "not given in the plan"),
    "target": Bilingual("目标值", "Target"),
    "latest": Bilingual("最新实际值", "Latest actual"),
    "progress": Bilingual("进度", "Progress"),
    "expected": Bilingual("预期进度", "Expected"),
    "status": Bilingual("状态", "Status"),
    "reason": Bilingual("判断依据", "Reason"),
    "source": Bilingual("来源", "Source"),
    "method_note": Bilingual(
        "进度为从基期值到目标值已走过的比例。存量和比重指标按基期（2020年）到目标年（2025年）的直线"
        "判断是否正常；增长率指标以最新年度增长率对照目标年均增长率，目标年按已录入年份的复合平均判断；"
        "单位GDP能耗下降为累计下降，按每年等比下降推算预期；上限指标（如登记失业率<4）低于上限即为完成；"
        "区间目标以下限为准，高于区间亦计为完成；定性目标不作量化评估。",
        "Progress is the share of the way from the baseline to the target. Stocks and shares are "
        "on track when at or beyond the straight line from the 2020 baseline to the 2025 target; "
        "growth rates compare the latest annual rate with the target average rate, and in the target "
        "year the compound average of the years entered decides; the decline in energy use per unit "
        "of GDP is cumulative, with an expected path that falls evenly each year; upper bounds (such "
        "as unemployment <4) are achieved while below the bound; ranges count from their low end and "
        "values above a range are achieved; qualitative targets are not assessed numerically."),
    "schematic": Bilingual(
        "地图中的规划形状为示意：依据规划文本放置，并非测绘边界。",
        "Plan shapes on the map are schematic: placed from the plan text, not surveyed."),
    "no_actuals": Bilingual("尚未录入2021年以后的实际值。", "No actual values after 2020 have been entered yet."),
}


def t(key: str, lang: str) -> str:
    return TEXT[key](lang)


@dataclass
class ReportOptions:
    lang: str = "zh"
    map_style: str = "progress"  # "progress": zones coloured by status; "current": the project's styles
    as_of: int | None = None
    map_size: tuple[float, float] = (10.0, 6.2)  # inches
    date: _dt.date = field(default_factory=_dt.date.today)


# --- rows ------------------------------------------------------------------------------------
def _value(year, value, unit="") -> str:
    if value in (None, ""):
        return "—"
    text = f"{value} {unit}".strip() if isinstance(value, str) else f"{fmt(value)} {unit}".strip()
    return f"{text} ({year})" if year else text


def _baseline(row: dict, lang: str) -> str:
    """The baseline, or a plain word that the plan gives none (a dash reads as a gap in our data)."""
    if row["baseline"] in (None, "") and row["target"] not in (None, ""):
        return t("noBaseline", lang)
    return _value(row["baseline_year"], row["baseline"])


def report_rows(project: Project, lang: str = "zh", as_of: int | None = None) -> list[dict]:
    """One row per indicator, grouped by the catalogue's category order."""
    catalog = project.indicators
    progress = assess_all(catalog, as_of)
    order = {c.id: i for i, c in enumerate(catalog.categories)}
    rows = []
    for indicator in sorted(catalog.indicators, key=lambda i: order.get(i.category, len(order))):
        p = progress[indicator.id]
        category = catalog.category(indicator.category)
        rows.append({
            "indicator": indicator, "progress": p,
            "category_id": indicator.category,
            "category": category.name(lang) if category else indicator.category,
            "indicator_id": indicator.id,
            "name": indicator.name(lang),
            "unit": indicator.unit_label(lang),
            "nature": indicator.nature_label(lang) if indicator.nature else "",
            "binding": indicator.nature == "binding",
            "baseline_year": indicator.baseline_year or "",
            "baseline": indicator.baseline_value or "",
            "target_year": indicator.target_year or "",
            "target": indicator.target_value or indicator.target_avg_growth or "",
            "latest_year": p.year or "",
            "latest": "" if p.value is None else (
                indicator.actual_value if p.value_source == "plan" else fmt(p.value)),
            "latest_source": p.value_source,
            "progress_pct": "" if p.share is None else f"{p.share * 100:.0f}",
            "expected_pct": "" if p.expected_share is None else f"{p.expected_share * 100:.0f}",
            "status_id": p.status,
            "status": status_label(p.status, lang),
            "method": p.method,
            "reason": p.reason(lang),
            "source": citation(indicator.source, lang),
        })
    return rows


def _status_counts(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row["status_id"]] = counts.get(row["status_id"], 0) + 1
    return counts


def _latest_actual_year(project: Project) -> int | None:
    years = [r.year for r in project.indicators.actuals.records() if r.value is not None]
    return max(years) if years else None


# --- map ---------------------------------------------------------------------------------------
@dataclass
class _MapView:
    """What :func:`draw_map` needs: layers (top first) and the attribution."""

    layers: list[VectorLayer]
    attribution: str = ""

    def render_order(self) -> list[VectorLayer]:
        return list(reversed(self.layers))

    def vector_layers(self) -> list[VectorLayer]:
        return list(self.layers)


def progress_map_view(project: Project) -> _MapView:
    """Copies of the layers, plan zones coloured by the status of their linked indicators."""
    linked = {layer.id for layer in linked_layers(project)}
    layers = []
    for layer in project.vector_layers():
        copy = VectorLayer(layer.id, layer.title_zh, layer.title_en, layer.frame.copy(),
                           Style.from_dict(layer.style.to_dict()), layer.group, layer.visible, layer.opacity,
                           layer.label_field, dict(layer.metadata), label_style=layer.label_style)
        if layer.id in linked:
            style_by_progress(copy, project.indicators)
            copy.opacity = 1.0
        layers.append(copy)
    return _MapView(layers, project.attribution)


def map_png(project: Project, options: ReportOptions, dpi: int = 150) -> bytes:
    from matplotlib.figure import Figure

    use_cjk_font()
    view = progress_map_view(project) if options.map_style == "progress" else project
    fig = Figure(figsize=options.map_size)
    ax = fig.add_axes((0, 0, 1, 1))
    draw_map(ax, view, options.lang)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _category_groups(rows: list[dict]) -> list[tuple[str, list[tuple[Indicator, Progress]]]]:
    groups: dict[str, tuple[str, list]] = {}
    for row in rows:
        if row["method"] in ("qualitative", "none"):
            continue
        groups.setdefault(row["category_id"], (row["category"], []))[1].append((row["indicator"], row["progress"]))
    return list(groups.values())


def _figure_png(fig, dpi: int = 130) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _category_figures(rows: list[dict], lang: str):
    from matplotlib.figure import Figure

    for title, items in _category_groups(rows):
        fig = Figure(figsize=(10.0, category_figure_height(len(items))))
        category_figure(fig, items, lang, title)
        yield title, fig


# --- writers -------------------------------------------------------------------------------------
def write_report(project: Project, out: str | Path, options: ReportOptions | None = None) -> Path:
    """Write the report; the format follows the suffix (.pdf, .html, .csv). Atomic."""
    options = options or ReportOptions()
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise GisIOError(out, "the report is written as .pdf, .html or .csv")
    if options.lang not in LANGUAGES:
        raise ValueError(f"unsupported language {options.lang!r}")
    writer = {".pdf": write_report_pdf, ".csv": write_report_csv}.get(suffix, write_report_html)
    try:
        with atomic_path(out) as temp:
            writer(project, temp, options)
    except GisIOError:
        raise
    except OSError as exc:
        raise GisIOError(out, f"the report could not be written ({exc.strerror or exc})") from exc
    return out


CSV_COLUMNS = ("category", "indicator_id", "name", "unit", "nature", "baseline_year", "baseline", "target_year",
               "target", "latest_year", "latest", "latest_source", "progress_pct", "expected_pct", "status",
               "method", "reason", "source")


def write_report_csv(project: Project, path: str | Path, options: ReportOptions) -> None:
    rows = report_rows(project, options.lang, options.as_of)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow([row[c] for c in CSV_COLUMNS])


HTML_STYLE = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;margin:24px auto;
 max-width:1180px;color:#222;line-height:1.45}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #ddd}
.muted{color:#666;font-size:13px} img{max-width:100%;height:auto;border:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:12.5px} th,td{border-bottom:1px solid #e4e4e4;
 padding:4px 6px;text-align:left;vertical-align:top} th{background:#f4f4f4;position:sticky;top:0}
tr.cat td{background:#eef3f8;font-weight:bold} .binding{color:#b00020;font-weight:bold}
.status{display:inline-block;padding:1px 7px;border-radius:9px;color:#fff;white-space:nowrap}
.num{text-align:right;white-space:nowrap} .bar{background:#eee;width:70px;height:8px;display:inline-block}
.bar i{display:block;height:8px} .src{color:#555;font-size:11.5px} .summary span{margin-right:14px}
"""


def write_report_html(project: Project, path: str | Path, options: ReportOptions) -> None:
    lang = options.lang
    esc = html.escape
    rows = report_rows(project, lang, options.as_of)
    counts = _status_counts(rows)
    latest_year = _latest_actual_year(project)
    parts = [f"<!DOCTYPE html><html lang='{html_lang(lang)}'><head><meta charset='utf-8'>",
             f"<title>{esc(t('title', lang))} — {esc(project.title(lang))}</title>",
             f"<style>{HTML_STYLE}</style></head><body>",
             f"<h1>{esc(t('title', lang))}</h1><div>{esc(project.title(lang))}</div>",
             f"<p class='muted'>{esc(t('generated', lang))}: {options.date.isoformat()}"]
    if latest_year:
        parts.append(f" · {esc(t('as_of', lang))}: {latest_year}")
    parts.append("</p>")
    parts.append(f"<h2>{esc(t('summary', lang))}</h2><p class='summary'>")
    for status, count in counts.items():
        parts.append(f"<span><span class='status' style='background:{STATUS_COLOURS[status]}'>"
                     f"{esc(status_label(status, lang))}</span> {count}</span>")
    parts.append("</p>")
    if not latest_year:
        parts.append(f"<p class='muted'>{esc(t('no_actuals', lang))}</p>")
    parts.append(f"<p class='muted'>{esc(t('method_note', lang))}</p>")
    map_title = t("map" if options.map_style == "progress" else "map_current", lang)
    image = base64.b64encode(map_png(project, options, dpi=110)).decode("ascii")
    parts.append(f"<h2>{esc(map_title)}</h2><img alt='{esc(map_title)}' src='data:image/png;base64,{image}'>")
    parts.append(f"<p class='muted'>{esc(t('schematic', lang))}</p>")
    parts.append(f"<h2>{esc(t('charts', lang))}</h2>")
    for title, fig in _category_figures(rows, lang):
        data = base64.b64encode(_figure_png(fig, dpi=100)).decode("ascii")
        parts.append(f"<img alt='{esc(title)}' src='data:image/png;base64,{data}'>")
    parts.append(f"<h2>{esc(t('table', lang))}</h2><table><thead><tr>")
    headers = ("indicator", "unit", "nature", "baseline", "target", "latest", "progress", "status", "reason",
               "source")
    parts.extend(f"<th>{esc(t(h, lang))}</th>" for h in headers)
    parts.append("</tr></thead><tbody>")
    category = None
    for row in rows:
        if row["category"] != category:
            category = row["category"]
            parts.append(f"<tr class='cat'><td colspan='{len(headers)}'>{esc(category)}</td></tr>")
        p = row["progress"]
        share = p.share
        bar = ""
        if share is not None:
            width = max(0, min(100, share * 100))
            bar = (f"<span class='bar'><i style='width:{width:.0f}%;background:{STATUS_COLOURS[p.status]}'>"
                   f"</i></span> {share * 100:.0f}%")
        name_class = " class='binding'" if row["binding"] else ""
        nature_class = " class='binding'" if row["binding"] else ""
        parts.append(
            f"<tr><td{name_class}>{esc(row['name'])}</td><td>{esc(row['unit'])}</td>"
            f"<td{nature_class}>{esc(row['nature'])}</td>"
            f"<td class='num'>{esc(_baseline(row, lang))}</td>"
            f"<td class='num'>{esc(_value(row['target_year'], row['target']))}</td>"
            f"<td class='num'>{esc(_value(row['latest_year'], row['latest'] or None))}</td>"
            f"<td class='num'>{bar}</td>"
            f"<td><span class='status' style='background:{STATUS_COLOURS[p.status]}'>{esc(row['status'])}</span></td>"
            f"<td class='src'>{esc(row['reason'])}</td><td class='src'>{esc(row['source'])}</td></tr>")
    parts.append("</tbody></table>")
    if project.attribution:
        parts.append(f"<p class='muted'>{esc(project.attribution)}</p>")
    parts.append("</body></html>")
    Path(path).write_text("".join(parts), encoding="utf-8")


# --- PDF -----------------------------------------------------------------------------------------
A4_LANDSCAPE = (11.69, 8.27)
PDF_COLUMNS = (  # key, width (fraction of the page), wrap width in characters
    ("name", 0.2, 34), ("unit", 0.045, 7), ("nature", 0.05, 9), ("baseline", 0.08, 13), ("target", 0.085, 13),
    ("latest", 0.09, 15), ("progress", 0.05, 8), ("status", 0.08, 13), ("source", 0.26, 50))


def write_report_pdf(project: Project, path: str | Path, options: ReportOptions) -> None:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    use_cjk_font()
    lang = options.lang
    rows = report_rows(project, lang, options.as_of)
    counts = _status_counts(rows)
    latest_year = _latest_actual_year(project)
    with PdfPages(path, metadata={"Title": f"{t('title', lang)} — {project.title(lang)}",
                                  "Creator": "gisapp"}) as pdf:
        # Page 1: title, summary and the map.
        fig = Figure(figsize=A4_LANDSCAPE)
        fig.text(0.05, 0.95, t("title", lang), fontsize=17, fontweight="bold", va="top")
        fig.text(0.05, 0.905, wrap(project.title(lang), 120), fontsize=9.5, va="top", **LITERAL)
        meta = f"{t('generated', lang)}: {options.date.isoformat()}"
        if latest_year:
            meta += f"    {t('as_of', lang)}: {latest_year}"
        fig.text(0.05, 0.868, meta, fontsize=8.5, color="#555555", va="top")
        x = 0.05
        for status, count in counts.items():
            label = f" {status_label(status, lang)} {count} "
            fig.text(x, 0.835, label, fontsize=8.5, color="white", va="top",
                     bbox={"boxstyle": "round,pad=0.25", "fc": STATUS_COLOURS[status], "ec": "none"})
            x += 0.02 + 0.0085 * len(label) * pick(lang, 1.6, 1.0)  # a Chinese character is wider
        map_title = t("map" if options.map_style == "progress" else "map_current", lang)
        fig.text(0.05, 0.79, map_title, fontsize=10.5, va="top")
        ax = fig.add_axes((0.05, 0.12, 0.9, 0.65))
        view = progress_map_view(project) if options.map_style == "progress" else project
        draw_map(ax, view, lang)
        fig.text(0.05, 0.1, wrap(t("schematic", lang), 200), fontsize=7.5, color="#555555", va="top")
        fig.text(0.05, 0.075, wrap(t("method_note", lang), 190), fontsize=6.8, color="#555555", va="top")
        pdf.savefig(fig)
        # Chart pages: small multiples per category, packed onto A4 pages.
        for fig in _chart_pages(rows, lang):
            pdf.savefig(fig)
        # Table pages.
        for fig in _table_pages(rows, lang):
            pdf.savefig(fig)


def _chart_pages(rows: list[dict], lang: str):
    """Small multiples per category on A4 pages, filled from top to bottom: a category
    that does not fit the rest of a page starts there and goes on over the page, so no
    page is left mostly empty."""
    from matplotlib.figure import Figure

    page_height = A4_LANDSCAPE[1]
    margin = 0.45
    room = page_height - 2 * margin
    fig, used = None, 0.0
    for title, items in _category_groups(rows):
        columns = default_columns(len(items))
        part = 0
        while items:
            if fig is not None:
                fit_rows = int((room - used - category_figure_height(0, columns) + ROW_INCHES) // ROW_INCHES)
                if fit_rows < 1:
                    yield fig
                    fig = None
            if fig is None:
                fig = Figure(figsize=A4_LANDSCAPE)
                fig.text(0.03, 1 - 0.25 / page_height, t("charts", lang), fontsize=12, va="top")
                used = 0.25
            fit_rows = max(1, int((room - used - category_figure_height(0, columns) + ROW_INCHES) // ROW_INCHES))
            chunk, items = items[:fit_rows * columns], items[fit_rows * columns:]
            height = category_figure_height(len(chunk), columns)
            top = 1 - (margin + used) / page_height
            shown_title = title if part == 0 else f"{title} {t('continued', lang)}"
            draw_category(fig, chunk, lang, shown_title, top, top - height / page_height, columns=columns,
                          fig_height_in=page_height)
            used += height
            part += 1
    if fig is not None:
        yield fig


def _table_pages(rows: list[dict], lang: str):
    from matplotlib.figure import Figure

    line_height = 0.0148  # of the page height, at 6.6 pt
    top, bottom, left = 0.93, 0.05, 0.03
    headers = {key: t("indicator" if key == "name" else key, lang) for key, _, _ in PDF_COLUMNS}

    def new_page(page: int):
        fig = Figure(figsize=A4_LANDSCAPE)
        fig.text(left, 0.965, f"{t('table', lang)} ({page})", fontsize=10.5, va="top")
        x = left
        for key, width, _ in PDF_COLUMNS:
            fig.text(x, top, headers[key], fontsize=7, fontweight="bold", va="top")
            x += width
        fig.add_artist(_hline(fig, top - line_height * 1.1))
        return fig, top - line_height * 1.4

    page = 1
    fig, y = new_page(page)
    category = None
    for row in rows:
        p = row["progress"]
        cells = {
            "name": row["name"], "unit": row["unit"], "nature": row["nature"],
            "baseline": _baseline(row, lang),
            "target": _value(row["target_year"], row["target"]),
            "latest": _value(row["latest_year"], row["latest"] or None),
            "progress": "" if p.share is None else f"{p.share * 100:.0f}%",
            "status": row["status"], "source": row["source"],
        }
        wrapped = {key: wrap(str(cells[key]), chars) for key, _, chars in PDF_COLUMNS}
        lines = max(text.count("\n") + 1 for text in wrapped.values())
        needed = lines * line_height + 0.006 + (line_height * 1.5 if row["category"] != category else 0)
        if y - needed < bottom:
            yield fig
            page += 1
            fig, y = new_page(page)
            category = None
        if row["category"] != category:
            category = row["category"]
            fig.text(left, y, category, fontsize=7.5, fontweight="bold", color="#1f4e79", va="top", **LITERAL)
            y -= line_height * 1.5
        x = left
        for key, width, _ in PDF_COLUMNS:
            style = {}
            if key in ("name", "nature") and row["binding"]:
                style = {"color": "#b00020", "fontweight": "bold"}
            if key == "status":
                style = {"color": STATUS_COLOURS[p.status], "fontweight": "bold"}
            if key == "source":
                style = {"color": "#555555"}
            fig.text(x, y, wrapped[key], fontsize=6.6, va="top", linespacing=1.25, **style, **LITERAL)
            x += width
        y -= lines * line_height + 0.006
        fig.add_artist(_hline(fig, y + 0.003, colour="#e6e6e6"))
    yield fig


def _hline(fig, y: float, colour: str = "#999999"):
    from matplotlib.lines import Line2D

    return Line2D([0.03, 0.97], [y, y], transform=fig.transFigure, color=colour, lw=0.6)
