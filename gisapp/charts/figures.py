"""Indicator charts and the map, drawn with matplotlib and no Qt.

The desktop dashboard draws these on a QtAgg canvas and the report on Agg/PDF, so both
show the same pictures. Chinese needs a CJK font: :func:`use_cjk_font` finds one (WenQuanYi
Micro Hei, Noto Sans CJK, …) through matplotlib's font manager and fontconfig.

Examples
--------
>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(4, 1.4))
>>> # draw_bullet(fig.add_subplot(), indicator, progress, "zh")
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from functools import lru_cache

import numpy as np

from gisapp.core.plan.indicators import Indicator
from gisapp.core.plan.monitoring import STATUS_COLOURS, Progress, status_label
from gisapp.core.texts import Bilingual

CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                "Noto Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei")
WORDS = {
    "baseline": Bilingual("基期", "Baseline"),
    "target": Bilingual("目标", "Target"),
    "latest": Bilingual("最新", "Latest"),
    "expected": Bilingual("预期", "Expected"),
    "actual": Bilingual("实际", "Actual"),
    "no_data": Bilingual("暂无实际值", "No actual value yet"),
    "trajectory": Bilingual("预期进度", "Expected path"),
    "bound": Bilingual("上限", "Bound"),
    "range": Bilingual("目标区间", "Target range"),
    "progress": Bilingual("进度", "Progress"),
}
BINDING_COLOUR = "#b00020"


# Names come from files and plan tables: drawn as written, never as mathtext ('$x$', or an
# unbalanced '$' that would make the draw fail).
LITERAL = {"parse_math": False}


def literal_texts(texts) -> None:
    for text in texts:
        text.set_parse_math(False)


def word(key: str, lang: str) -> str:
    return WORDS[key](lang)


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """A font file with Chinese glyphs, or None."""
    from matplotlib import font_manager

    for family in CJK_FAMILIES:
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=family),
                                         fallback_to_default=False)
        except ValueError:
            continue
        if path:
            return path
    if shutil.which("fc-match"):
        for family in CJK_FAMILIES:
            try:
                out = subprocess.run(["fc-match", "-f", "%{file}|%{family}", family], capture_output=True,
                                     text=True, timeout=10, check=False).stdout
            except (OSError, subprocess.SubprocessError):
                break
            path, _, families = out.partition("|")
            if path and family.lower() in families.lower():
                return path
    return None


@lru_cache(maxsize=1)
def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese (and embed TrueType in PDFs); returns the family used."""
    import logging

    import matplotlib
    from matplotlib import font_manager

    # CJK fonts usually have no bold face; matplotlib then logs a warning for every bold text.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    matplotlib.rcParams["pdf.fonttype"] = 42
    matplotlib.rcParams["axes.unicode_minus"] = False
    path = cjk_font_path()
    if path is None:
        return None
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    return family


def _is_wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def wrap(text: str, width: int) -> str:
    """Wrap to ``width`` columns: Latin words break at spaces, Chinese between any characters.

    A Chinese character takes two columns, as it is about twice as wide as a Latin letter.
    """
    if not text:
        return ""
    if not any(_is_wide(ch) for ch in text):
        return "\n".join(textwrap.wrap(text, width, break_long_words=True)) or text
    tokens: list[str] = []
    for ch in text:
        if _is_wide(ch) or ch == " " or not tokens or _is_wide(tokens[-1][-1]) or tokens[-1] == " ":
            tokens.append(ch)
        else:
            tokens[-1] += ch
    lines, line, used = [], "", 0
    for token in tokens:
        size = sum(2 if _is_wide(ch) else 1 for ch in token)
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = "", 0
            if token == " ":
                continue
        while size > width:  # a very long Latin word (a file name)
            cut = width - used
            lines.append(line + token[:cut])
            token, line, used = token[cut:], "", 0
            size = len(token)
        line += token
        used += size
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def clip_lines(text: str, count: int) -> str:
    lines = text.split("\n")
    if len(lines) <= count:
        return text
    return "\n".join(lines[:count - 1] + [lines[count - 1].rstrip(" ,;") + "…"])


def fmt(value: float | None) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def status_text(progress: Progress, lang: str) -> str:
    return status_label(progress.status, lang)


def summary_line(indicator: Indicator, progress: Progress, lang: str) -> str:
    unit = indicator.unit_label(lang)
    parts = []
    if progress.value is not None:
        year = f" ({progress.year})" if progress.year else ""
        parts.append(f"{word('latest', lang)} {fmt(progress.value)} {unit}{year}".strip())
    if progress.share is not None and progress.method not in ("upper_bound",):
        parts.append(f"{progress.share * 100:.0f}%")
    parts.append(status_text(progress, lang))
    return " · ".join(parts)


# --- bullet chart ------------------------------------------------------------------------------
def draw_bullet(ax, indicator: Indicator, progress: Progress, lang: str, compact: bool = False) -> None:
    """One indicator as a bullet chart: baseline, latest actual and target on one scale.

    The bar is the latest value in its status colour; the black tick is the target (a band
    for a range, a red tick for an upper bound); the grey tick is the baseline; the dashed
    tick is where the expected path stands in the latest year.
    """
    colour = STATUS_COLOURS.get(progress.status, "#999999")
    values = [v for v in (progress.baseline, progress.value, progress.target_low, progress.target_high,
                          progress.expected) if v is not None]
    top = max(values + [0.0]) * 1.12 or 1.0
    bottom = min(values + [0.0])
    bottom = bottom * 1.12 if bottom < 0 else 0.0
    ax.set_xlim(bottom, top)
    ax.set_ylim(-0.5, 0.5)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelsize=6.5 if compact else 7.5, length=2)
    ax.xaxis.set_major_locator(_locator(3 if compact else 5))
    ax.axvspan(bottom, top, ymin=0.15, ymax=0.85, color="#f0f0f0", zorder=0)
    low, high = progress.target_low, progress.target_high
    if progress.method == "range" and low is not None and high is not None and high != low:
        ax.axvspan(low, high, ymin=0.15, ymax=0.85, color="#d9d9d9", zorder=1, label=word("range", lang))
    elif progress.method != "upper_bound" and progress.target is not None:
        ax.axvspan(bottom, progress.target, ymin=0.15, ymax=0.85, color="#e3e3e3", zorder=1)
    if progress.value is not None:
        ax.barh(0, progress.value - bottom, left=bottom, height=0.32, color=colour, zorder=3)
    if progress.baseline is not None and progress.method != "cumulative_decline":
        ax.plot([progress.baseline] * 2, [-0.28, 0.28], color="#777777", lw=2, zorder=4)
    if progress.expected is not None:
        ax.plot([progress.expected] * 2, [-0.3, 0.3], color="#333333", lw=1.2, ls="--", zorder=4)
    target = progress.target
    if target is not None:
        target_colour = "#c00000" if progress.method == "upper_bound" else "#000000"
        ax.plot([target] * 2, [-0.36, 0.36], color=target_colour, lw=2.6, zorder=5)
    name = indicator.name(lang)
    title_colour = BINDING_COLOUR if indicator.nature == "binding" else "#222222"
    if compact:
        if progress.target_year and progress.target_year != 2025 and str(progress.target_year) not in name:
            name = f"{name} ({progress.target_year})"
        ax.set_title(clip_lines(wrap(name, 50), 2), fontsize=7.5, loc="left", color=title_colour,
                     fontweight="bold" if indicator.nature == "binding" else "normal", **LITERAL)
        ax.text(1.0, -0.62, summary_line(indicator, progress, lang), transform=ax.transAxes, ha="right",
                va="top", fontsize=6.5, color=colour if progress.value is not None else "#888888", **LITERAL)
    else:
        unit = indicator.unit_label(lang)
        ax.set_title(f"{clip_lines(wrap(name, 90), 1)}  ({unit})" if unit else clip_lines(wrap(name, 90), 1),
                     fontsize=9.5, loc="left", pad=16, color=title_colour,
                     fontweight="bold" if indicator.nature == "binding" else "normal", **LITERAL)
        ax.text(0.0, 1.03, summary_line(indicator, progress, lang), transform=ax.transAxes, ha="left",
                va="bottom", fontsize=8, color=colour, **LITERAL)
    if progress.value is None:
        ax.text(0.5, 0.5, word("no_data", lang), transform=ax.transAxes, ha="center", va="center",
                fontsize=7, color="#888888", zorder=6)


def _locator(n: int):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=n, min_n_ticks=2)


def bullet_legend(ax, lang: str) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color="#4575b4", label=word("actual", lang)),
               Line2D([], [], color="#000000", lw=2.6, label=word("target", lang)),
               Line2D([], [], color="#777777", lw=2, label=word("baseline", lang)),
               Line2D([], [], color="#333333", lw=1.2, ls="--", label=word("expected", lang))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.55), ncol=4, fontsize=7,
              frameon=False, handlelength=1.5)


def draw_trajectory(ax, indicator: Indicator, progress: Progress, lang: str) -> None:
    """Actuals by year against the expected path from the baseline to the target."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7.5)
    start = progress.baseline_year or ((progress.target_year or 2025) - 5)
    end = progress.target_year or 2025
    target = progress.target
    if target is not None and progress.method in ("stock", "share", "range", "cumulative_decline"):
        base = 0.0 if progress.method == "cumulative_decline" else progress.baseline
        if base is not None:
            years = np.arange(start, end + 1)
            fraction = (years - start) / max(1, end - start)
            if progress.method == "cumulative_decline":
                path = (1 - (1 - target / 100) ** fraction) * 100
            else:
                path = base + (target - base) * fraction
            ax.plot(years, path, color="#999999", ls="--", lw=1.2, label=word("trajectory", lang))
    if target is not None:
        ax.axhline(target, color="#c00000" if progress.method == "upper_bound" else "#000000", lw=1,
                   label=word("bound" if progress.method == "upper_bound" else "target", lang))
    if progress.baseline is not None and progress.baseline_year and progress.method != "cumulative_decline":
        ax.plot([progress.baseline_year], [progress.baseline], "o", color="#777777", ms=5,
                label=word("baseline", lang))
    if progress.series:
        years, values = zip(*progress.series, strict=True)
        ax.plot(years, values, "o-", color=STATUS_COLOURS.get(progress.status, "#4575b4"), lw=1.8, ms=5,
                label=word("actual", lang))
    ax.set_xlim(start - 0.4, max(end, max((y for y, _ in progress.series), default=end)) + 0.4)
    ax.xaxis.set_major_locator(_locator(6))
    ax.xaxis.get_major_formatter().set_useOffset(False)
    unit = indicator.unit_label(lang)
    if unit:
        ax.set_ylabel(unit, fontsize=8, **LITERAL)
    literal_texts(ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                            borderaxespad=0).get_texts())


def indicator_figure(fig, indicator: Indicator, progress: Progress, lang: str) -> None:
    """Bullet chart on top, actuals by year below (what the dashboard shows for one indicator)."""
    use_cjk_font()
    fig.clear()
    grid = fig.add_gridspec(2, 1, height_ratios=[1, 2.2], hspace=1.0, left=0.09, right=0.8, top=0.8,
                            bottom=0.12)
    draw_bullet(fig.add_subplot(grid[0]), indicator, progress, lang)
    axis = fig.add_subplot(grid[1])
    if progress.method in ("qualitative", "none"):
        axis.axis("off")
        axis.text(0, 0.8, wrap(progress.reason(lang), 90), fontsize=8, va="top", transform=axis.transAxes,
                  **LITERAL)
    else:
        draw_trajectory(axis, indicator, progress, lang)


ROW_INCHES = 0.82  # one row of small multiples
TITLE_INCHES = 0.4


def default_columns(count: int) -> int:
    return 1 if count <= 1 else 2 if count <= 6 else 3


def category_figure(fig, items: list[tuple[Indicator, Progress]], lang: str, title: str = "",
                    columns: int | None = None) -> None:
    """Small multiples: one compact bullet chart per indicator of a category."""
    use_cjk_font()
    fig.clear()
    height = fig.get_size_inches()[1]
    draw_category(fig, items, lang, title, 1.0, 0.0, columns, height)


def draw_category(fig, items: list[tuple[Indicator, Progress]], lang: str, title: str, top: float,
                  bottom: float, columns: int | None = None, fig_height_in: float | None = None) -> None:
    """Small multiples of one category between ``top`` and ``bottom`` (figure fractions)."""
    fig_height_in = fig_height_in or fig.get_size_inches()[1]
    columns = columns or default_columns(len(items))
    rows = int(np.ceil(max(1, len(items)) / columns))
    title_frac = (TITLE_INCHES if title else 0.1) / fig_height_in
    if title:
        fig.text(0.03, top - 0.08 / fig_height_in, title, fontsize=10.5, fontweight="bold", va="top",
                 color="#1f4e79", **LITERAL)
    grid = fig.add_gridspec(rows, columns, hspace=2.4, wspace=0.18, left=0.03, right=0.98,
                            top=top - title_frac - 0.3 / fig_height_in, bottom=bottom + 0.3 / fig_height_in)
    for i, (indicator, progress) in enumerate(items):
        draw_bullet(fig.add_subplot(grid[i // columns, i % columns]), indicator, progress, lang, compact=True)


def category_figure_height(count: int, columns: int | None = None) -> float:
    columns = columns or default_columns(count)
    return TITLE_INCHES + 0.45 + ROW_INCHES * int(np.ceil(max(1, count) / columns))


# --- the map -----------------------------------------------------------------------------------
LINESTYLES = {"solid": "-", "dash": "--", "dot": ":", "none": "None"}
MARKERS = {"circle": "o", "square": "s", "triangle": "^", "star": "*"}
SEA_COLOUR = "#aad3df"


def plan_extent(project, crs: str = "EPSG:3857", margin: float = 0.04):
    """The extent of the visible plan layers (all layers if only base layers are visible)."""
    chosen = [layer for layer in project.layers if layer.visible and layer.group != "base" and len(layer)]
    chosen = chosen or [layer for layer in project.layers if len(layer)]
    boxes = [b for b in (layer.bounds_in(crs) for layer in chosen) if b is not None]
    if not boxes:
        return None
    arr = np.array(boxes)
    xmin, ymin, xmax, ymax = arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max()
    dx, dy = (xmax - xmin) * margin, (ymax - ymin) * margin
    return xmin - dx, ymin - dy, xmax + dx, ymax + dy


def draw_map(ax, project, lang: str, extent=None, crs: str = "EPSG:3857", labels: bool = True,
             legend: bool = True, furniture: bool = True) -> None:
    """The project's visible layers with their styles, as the canvas draws them."""
    import geopandas as gpd
    import shapely
    from matplotlib.colors import to_rgba

    use_cjk_font()
    ax.set_facecolor(SEA_COLOUR)
    extent = extent or plan_extent(project, crs)
    label_items = []
    for layer in project.render_order():
        if not layer.visible or len(layer) == 0:
            continue
        geoms = layer.projected(crs).geometries
        index = layer.symbol_index()
        symbols = layer.style.symbols()
        family = layer.geometry_family
        for symbol_id in np.unique(index):
            symbol = symbols[symbol_id]
            chosen = gpd.GeoSeries(geoms[index == symbol_id])
            chosen = chosen[~chosen.is_empty & chosen.notna()]
            if chosen.empty:
                continue
            edge = (to_rgba(symbol.stroke, layer.opacity)
                    if symbol.stroke_style != "none" and symbol.stroke_width > 0 else "none")
            style = LINESTYLES.get(symbol.stroke_style, "-")
            if family == "polygon":
                face = (to_rgba(symbol.fill, symbol.fill_opacity * layer.opacity)
                        if symbol.fill_opacity > 0 else "none")
                chosen.plot(ax=ax, facecolor=face, edgecolor=edge, linewidth=symbol.stroke_width * 0.55,
                            linestyle=style if style != "None" else "-")
            elif family == "line":
                chosen.plot(ax=ax, color=edge, linewidth=symbol.stroke_width * 0.7,
                            linestyle=style if style != "None" else "-")
            else:
                chosen.plot(ax=ax, marker=MARKERS.get(symbol.marker, "o"), markersize=(symbol.size * 0.8) ** 2,
                            color=to_rgba(symbol.fill, max(symbol.fill_opacity, 0.0) * layer.opacity),
                            edgecolor=edge, linewidth=symbol.stroke_width * 0.5, zorder=4)
        texts = layer.label_texts(lang) if labels and layer.group != "base" else None
        if texts is not None and family == "polygon":
            top_level = (layer.frame["parent_id"].astype("string").fillna("") == "").to_numpy() \
                if "parent_id" in layer.frame.columns else np.ones(len(layer), dtype=bool)
            points = shapely.point_on_surface(geoms)
            areas = shapely.area(geoms)
            for row in np.flatnonzero(top_level):
                if texts[row] and points[row] is not None and not points[row].is_empty:
                    label_items.append((areas[row], points[row].x, points[row].y, texts[row]))
    if extent is not None:
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    if label_items and extent is not None:
        spacing = (extent[2] - extent[0]) * 0.06
        placed: list[tuple[float, float]] = []
        for _area, x, y, text in sorted(label_items, key=lambda item: -item[0]):
            if not (extent[0] < x < extent[2] and extent[1] < y < extent[3]):
                continue
            if any(abs(x - px) < spacing * 1.6 and abs(y - py) < spacing * 0.45 for px, py in placed):
                continue
            placed.append((x, y))
            ax.text(x, y, wrap(str(text), 18), fontsize=6.5, ha="center", va="center", color="#222222",
                    zorder=6, bbox={"boxstyle": "round,pad=0.15", "fc": (1, 1, 1, 0.6), "ec": "none"}, **LITERAL)
    if legend:
        _map_legend(ax, project, lang)
    if furniture and extent is not None:
        draw_scale_bar_and_north_arrow(ax, crs, extent, lang)
    if project.attribution:
        ax.text(0.995, 0.005, project.attribution, transform=ax.transAxes, ha="right", va="bottom",
                fontsize=5.5, color="#333333", bbox={"fc": (1, 1, 1, 0.7), "ec": "none", "pad": 1}, **LITERAL)


MAP_TEXTS = {"north": Bilingual("北", "N"), "scale": Bilingual("比例尺 {scale}", "Scale {scale}")}


def draw_scale_bar_and_north_arrow(ax, crs: str, extent, lang: str) -> None:
    """The print layouts' scale bar (round length, geodesic at the centre) and north arrow
    (true north, turned by the grid convergence), from gisapp.core.layout.cartography."""
    from matplotlib.patches import FancyArrow, Rectangle

    from gisapp.core.layout.cartography import (
        ground_metres_per_unit,
        scale_bar,
        scale_text,
        true_north_degrees,
    )

    ax.apply_aspect()
    figure_width_in = ax.figure.get_size_inches()[0]
    width_mm = ax.get_position().width * figure_width_in * 25.4
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    ground_per_mm = (extent[2] - extent[0]) / width_mm * ground_metres_per_unit(crs, cx, cy)
    bar = scale_bar(ground_per_mm, 0.22 * width_mm)
    if bar is not None:
        x0, y0, height = 0.72, 0.055, 0.012
        length = bar.length_mm / width_mm
        ax.add_patch(Rectangle((x0 - 0.012, y0 - 0.03), length + 0.07, 0.085, transform=ax.transAxes,
                               facecolor=(1, 1, 1, 0.8), edgecolor="none", zorder=7))
        for number in range(bar.segments):
            ax.add_patch(Rectangle((x0 + number * length / bar.segments, y0), length / bar.segments, height,
                                   transform=ax.transAxes, facecolor="#141414" if number % 2 == 0 else "white",
                                   edgecolor="#141414", linewidth=0.5, zorder=8))
        labels = bar.tick_labels()
        every = 1 if bar.segments <= 4 else 2
        for number, label in enumerate(labels):
            if (number % every and number != bar.segments) or (number != bar.segments and bar.segments - number < every):
                continue  # every other label when there are five parts; the last always
            ax.text(x0 + number * length / bar.segments, y0 + height + 0.006, label, transform=ax.transAxes,
                    fontsize=6, ha="center", va="bottom", zorder=8)
        ax.text(x0 + length + 0.008, y0 + height / 2, bar.unit, transform=ax.transAxes, fontsize=6,
                va="center", zorder=8)
        ax.text(x0, y0 - 0.008, MAP_TEXTS["scale"](lang).format(scale=scale_text(ground_per_mm * 1000)),
                transform=ax.transAxes, fontsize=6, va="top", zorder=8)
    angle = np.radians(true_north_degrees(crs, cx, cy))
    aspect = ax.get_position().height / ax.get_position().width * ax.figure.get_size_inches()[1] / figure_width_in
    length = 0.06
    dx, dy = length * np.sin(angle) * aspect, length * np.cos(angle)
    base_x, base_y = 0.965 - dx / 2, 0.86
    ax.add_patch(FancyArrow(base_x, base_y, dx, dy, width=0.006, head_width=0.02, head_length=0.025,
                            length_includes_head=True, transform=ax.transAxes, color="#141414", zorder=8))
    ax.text(base_x + dx * 1.2, base_y + dy + 0.012, MAP_TEXTS["north"](lang), transform=ax.transAxes,
            fontsize=8, fontweight="bold", ha="center", va="bottom", zorder=8)


def _map_legend(ax, project, lang: str) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch

    from gisapp.core.model.style import CategorizedStyle, GraduatedStyle
    from gisapp.core.plan.monitoring import STATUS_LABELS

    order = {text: i for i, label in enumerate(STATUS_LABELS.values()) for text in (label.zh, label.en)}
    handles, seen = [], set()
    for layer in project.layers:
        style = layer.style
        if not layer.visible or layer.group == "base":
            continue
        thematic = isinstance(style, GraduatedStyle) or (
            isinstance(style, CategorizedStyle) and style.field != "id")
        if not thematic:
            continue
        for entry in style.legend():
            label = entry.label(lang)
            if label in seen:
                continue
            seen.add(label)
            handles.append(Patch(facecolor=to_rgba(entry.symbol.fill, max(0.5, entry.symbol.fill_opacity)),
                                 edgecolor=entry.symbol.stroke, label=label))
    if handles:
        handles.sort(key=lambda handle: order.get(handle.get_label(), len(order)))
        literal_texts(ax.legend(handles=handles, loc="lower left", fontsize=7, framealpha=0.85).get_texts())
