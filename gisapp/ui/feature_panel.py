"""Identify panel: a feature's attributes, geodesic measures and linked plan indicators."""

from __future__ import annotations

import html

import pandas as pd
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from ..core.project import Project

# Shown in the panel header already.
HIDDEN_FIELDS = {"id", "name_zh", "name_en", "role_zh", "role_en", "industries_zh", "industries_en"}
QUALITY_COLOURS = {"schematic": "#b35806", "approximate": "#8c6d00", "surveyed": "#1a7f37"}


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


class FeaturePanel(QWidget):
    """Shows the selected feature; tests read ``plain_text()``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.project: Project | None = None
        self.lang = "en"
        self.current: tuple[str, int] | None = None
        self.show_empty()

    def set_project(self, project: Project) -> None:
        self.project = project
        self.current = None
        self.show_empty()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.refresh()

    def plain_text(self) -> str:
        return self.browser.toPlainText()

    def show_empty(self) -> None:
        hint = self.tr("Click a zone on the map to see its attributes and plan indicators.")
        self.browser.setHtml(f"<p style='color:#666'>{html.escape(hint)}</p>")

    def show_feature(self, layer_id: str | None, row: int | None) -> None:
        self.current = (layer_id, row) if layer_id is not None and row is not None else None
        self.refresh()

    def refresh(self) -> None:
        if self.project is None or self.current is None:
            self.show_empty()
            return
        layer_id, row = self.current
        try:
            layer = self.project.layer(layer_id)
        except KeyError:
            self.current = None
            self.show_empty()
            return
        if row >= len(layer):
            self.current = None
            self.show_empty()
            return
        self.browser.setHtml(self._feature_html(layer, row))

    # --- HTML ------------------------------------------------------------------------
    def _feature_html(self, layer, row: int) -> str:
        lang = self.lang
        esc = html.escape
        record = layer.frame.iloc[row]
        get = lambda name: _text(record[name]) if name in layer.frame.columns else ""  # noqa: E731
        name = layer.feature_label(row, lang)
        other = get("name_en" if lang == "zh" else "name_zh")
        parts = ["<style>td,th{padding:2px 6px;vertical-align:top} th{text-align:left;color:#444}"
                 " h3{margin:2px 0} .muted{color:#666} .binding{color:#b00020;font-weight:bold}</style>"]
        parts.append(f"<h3>{esc(name)}</h3>")
        if other and other != name:
            parts.append(f"<div class='muted'>{esc(other)}</div>")
        parts.append(f"<div class='muted'>{esc(layer.title(lang))} · {esc(get('id'))}</div>")

        quality = get("geom_quality")
        if quality:
            labels = {"schematic": self.tr("Schematic shape: placed from the plan text, not surveyed"),
                      "approximate": self.tr("Approximate shape"),
                      "surveyed": self.tr("Surveyed shape")}
            colour = QUALITY_COLOURS.get(quality, "#444")
            parts.append(f"<p style='color:{colour}'>⚠ {esc(labels.get(quality, quality))}</p>")

        role = get(f"role_{lang}")
        if role:
            parts.append(f"<p>{esc(role)}</p>")
        industries = get(f"industries_{lang}")
        if industries:
            heading = self.tr("Priority industries")
            parts.append(f"<p><b>{esc(heading)}:</b> {esc(industries)}</p>")

        measures = layer.geodesic_measures(row)
        family = layer.geometry_family
        rows = []
        if family == "polygon":
            rows.append((self.tr("Geodesic area"), f"{measures['area_m2'] / 1e6:,.2f} km²"))
            rows.append((self.tr("Perimeter"), f"{measures['length_m'] / 1000:,.2f} km"))
        elif family == "line":
            rows.append((self.tr("Geodesic length"), f"{measures['length_m'] / 1000:,.2f} km"))
        if rows:
            heading = self.tr("Measures")
            parts.append(f"<h4>{esc(heading)}</h4><table>")
            parts.extend(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
            parts.append("</table>")

        parts.append(self._indicators_html(get("id")))

        heading = self.tr("Attributes")
        parts.append(f"<h4>{esc(heading)}</h4><table>")
        for column in layer.attribute_columns():
            value = _text(record[column])
            if value and column not in HIDDEN_FIELDS:
                parts.append(f"<tr><th>{esc(column)}</th><td>{esc(value)}</td></tr>")
        parts.append("</table>")
        return "".join(parts)

    def _indicators_html(self, feature_id: str) -> str:
        esc = html.escape
        lang = self.lang
        linked = self.project.indicators.for_feature(feature_id) if feature_id else []
        heading = self.tr("Plan indicators")
        title = f"<h4>{esc(heading)} ({len(linked)})</h4>"
        if not linked:
            none_linked = self.tr("No plan indicator is linked to this feature.")
            return title + f"<p class='muted'>{esc(none_linked)}</p>"
        out = [title]
        source_word = self.tr("Source")
        for indicator, _link in linked:
            unit = indicator.unit_label(lang)

            def value(year, val, unit=unit):
                if val in (None, ""):
                    return "—"
                return f"{val} {unit}".strip() + (f" ({year})" if year else "")

            nature = ""
            if indicator.nature:
                css = "binding" if indicator.nature == "binding" else "muted"
                nature = f" <span class='{css}'>[{esc(indicator.nature_label(lang))}]</span>"
            baseline_word, target_word, actual_word = self.tr("Baseline"), self.tr("Target"), self.tr("Actual")
            line = (f"{esc(baseline_word)}: {esc(value(indicator.baseline_year, indicator.baseline_value))}"
                    f" → {esc(target_word)}: {esc(value(indicator.target_year, indicator.target_value))}")
            if indicator.actual_value not in (None, ""):
                line += f"; {esc(actual_word)}: {esc(value(indicator.actual_year, indicator.actual_value))}"
            out.append(
                "<p style='margin:4px 0 8px 0'>"
                f"<b>{esc(indicator.name(lang))}</b>{nature}<br>{line}<br>"
                f"<span class='muted' style='font-size:small'>{esc(source_word)}: {esc(indicator.source)}</span>"
                "</p>")
        return "".join(out)
