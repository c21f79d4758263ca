"""Enter monitoring values by year (2021–2025) for an indicator, zone-wide or for one feature."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.model.project import Project
from gisapp.core.plan.actuals import MONITOR_YEARS, Actual, ActualsTable
from gisapp.core.plan.monitoring import STATUS_COLOURS, assess, assessment_method
from gisapp.io.actuals_csv import parse_number
from gisapp.ui.plain import escape

VALUE, NOTE = 0, 1


class ActualsDialog(QDialog):
    """Non-modal: the map and the dashboard stay usable while values are typed in."""

    def __init__(self, project: Project, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActualsDialog")
        self.setModal(False)
        self.project = project
        self.lang = lang
        self.indicator_combo = QComboBox(self)
        self.indicator_combo.setMinimumWidth(420)
        self.feature_combo = QComboBox(self)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.RichText)
        self.table = QTableWidget(len(MONITOR_YEARS), 2, self)
        self.table.setVerticalHeaderLabels([str(y) for y in MONITOR_YEARS])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(VALUE, 130)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.RichText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Apply | QDialogButtonBox.Close, self)
        self.form = QFormLayout()
        self.indicator_label = QLabel(self)
        self.feature_label = QLabel(self)
        self.form.addRow(self.indicator_label, self.indicator_combo)
        self.form.addRow(self.feature_label, self.feature_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        self.indicator_combo.currentIndexChanged.connect(self._indicator_changed)
        self.feature_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.table.itemChanged.connect(lambda _item: self.update_preview())
        self.buttons.button(QDialogButtonBox.Apply).clicked.connect(self.apply)
        self.buttons.button(QDialogButtonBox.Ok).clicked.connect(self._ok)
        self.buttons.button(QDialogButtonBox.Close).clicked.connect(self.reject)
        self.resize(620, 520)
        self._fill_indicators()
        self.retranslate()

    # --- language ------------------------------------------------------------------------
    def set_lang(self, lang: str) -> None:
        self.lang = lang
        current = self.indicator_id()
        feature = self.feature_id()
        self._fill_indicators()
        self.retranslate()
        self.choose(current, feature)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Actual values by year"))
        self.indicator_label.setText(self.tr("Indicator"))
        self.feature_label.setText(self.tr("For"))
        self.table.setHorizontalHeaderLabels([self.tr("Value"), self.tr("Note (source, remark)")])
        self.buttons.button(QDialogButtonBox.Apply).setText(self.tr("Apply"))
        self.buttons.button(QDialogButtonBox.Close).setText(self.tr("Close"))
        self._describe()

    # --- choosing ------------------------------------------------------------------------
    def _fill_indicators(self) -> None:
        catalog = self.project.indicators
        self.indicator_combo.blockSignals(True)
        self.indicator_combo.clear()
        for category in catalog.categories:
            for indicator in catalog.indicators:
                if indicator.category == category.id:
                    self.indicator_combo.addItem(f"{category.name(self.lang)} — {indicator.name(self.lang)}",
                                                 indicator.id)
        self.indicator_combo.blockSignals(False)

    def choose(self, indicator_id: str = "", feature_id: str = "") -> None:
        index = self.indicator_combo.findData(indicator_id) if indicator_id else -1
        if index < 0:
            index = max(0, self.indicator_combo.findData("plan.t2.01"))
        self.indicator_combo.blockSignals(True)
        self.indicator_combo.setCurrentIndex(index)
        self.indicator_combo.blockSignals(False)
        self._fill_features(feature_id)
        self.load()

    def indicator_id(self) -> str:
        return self.indicator_combo.currentData() or ""

    def feature_id(self) -> str:
        return self.feature_combo.currentData() or ""

    def _indicator_changed(self, _index: int) -> None:
        self._fill_features(self.feature_id())
        self.load()

    def _fill_features(self, wanted: str = "") -> None:
        """Zone-wide first, then the features linked to the indicator, then every other plan feature."""
        catalog = self.project.indicators
        indicator_id = self.indicator_id()
        linked = catalog.features_for(indicator_id) + catalog.actuals.features_with(indicator_id)
        names: dict[str, str] = {}
        for layer in self.project.vector_layers():
            if layer.group == "base" or "id" not in layer.frame.columns:
                continue
            for row, fid in enumerate(layer.frame["id"].astype("string").fillna("")):
                if fid:
                    names.setdefault(str(fid), layer.feature_label(row, self.lang))
        self.feature_combo.blockSignals(True)
        self.feature_combo.clear()
        self.feature_combo.addItem(self.tr("The whole zone (zone-wide value)"), "")
        seen = {""}
        for fid in linked:
            if fid not in seen:
                self.feature_combo.addItem(f"{names.get(fid, fid)}  ✓", fid)
                seen.add(fid)
        if len(seen) < len(names) + 1:
            self.feature_combo.insertSeparator(self.feature_combo.count())
        for fid, name in names.items():
            if fid not in seen:
                self.feature_combo.addItem(name, fid)
        index = self.feature_combo.findData(wanted) if wanted else 0
        self.feature_combo.setCurrentIndex(max(0, index))
        self.feature_combo.blockSignals(False)

    # --- values ---------------------------------------------------------------------------
    def load(self) -> None:
        actuals = self.project.indicators.actuals
        self.table.blockSignals(True)
        for row, year in enumerate(MONITOR_YEARS):
            record = actuals.get(self.indicator_id(), year, self.feature_id())
            value = "" if record is None or record.value is None else f"{record.value:g}"
            self.table.setItem(row, VALUE, QTableWidgetItem(value))
            self.table.setItem(row, NOTE, QTableWidgetItem(record.note if record else ""))
            self.table.item(row, VALUE).setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.table.blockSignals(False)
        self._describe()
        self.update_preview()

    def set_value(self, year: int, value: str, note: str = "") -> None:
        """Type a value (as a user would); tests use this."""
        row = MONITOR_YEARS.index(year)
        self.table.item(row, VALUE).setText(value)
        self.table.item(row, NOTE).setText(note)

    def entered(self) -> tuple[list[Actual], list[int], list[int]]:
        """(records to store, years to clear, rows with a value that is not a number)."""
        records, cleared, bad = [], [], []
        for row, year in enumerate(MONITOR_YEARS):
            text = self.table.item(row, VALUE).text() if self.table.item(row, VALUE) else ""
            note = self.table.item(row, NOTE).text().strip() if self.table.item(row, NOTE) else ""
            try:
                value = parse_number(text)
            except ValueError:
                bad.append(row)
                continue
            if value is None and not note:
                cleared.append(year)
            else:
                records.append(Actual(self.indicator_id(), year, value, self.feature_id(), note))
        return records, cleared, bad

    def _describe(self) -> None:
        if not self.indicator_id():
            return
        indicator = self.project.indicators.get(self.indicator_id())
        hints = {
            "stock": self.tr("Enter the year-end figure (a count or amount), not the change."),
            "share": self.tr("Enter the share in % for each year."),
            "rate": self.tr("Enter each year's growth rate in % (year on year); the target is an average "
                            "annual rate."),
            "cumulative_decline": self.tr("Enter the cumulative decline since {year} in % (for example 5.2 "
                                          "for a fall of 5.2%).").format(year=indicator.baseline_year or 2020),
            "upper_bound": self.tr("Enter the value for each year; it must stay within the bound."),
            "range": self.tr("Enter the figure for each year; the target is a range."),
            "qualitative": self.tr("A qualitative target: write the assessment in the note."),
            "none": self.tr("The plan gives no numeric target for this figure."),
        }
        unit = indicator.unit_label(self.lang)
        nature = indicator.nature_label(self.lang) if indicator.nature else ""
        nature_html = (f" <b style='color:#b00020'>[{escape(nature)}]</b>" if indicator.nature == "binding"
                       else (f" [{escape(nature)}]" if nature else ""))
        baseline = indicator.baseline_value or "—"
        target = indicator.target_value or indicator.target_avg_growth or "—"
        line = self.tr("Baseline {baseline} ({byear}) → target {target} ({tyear}), unit {unit}").format(
            baseline=baseline, byear=indicator.baseline_year or "—", target=target,
            tyear=indicator.target_year or "—", unit=unit or "—")
        self.info.setText(f"<b>{escape(indicator.name(self.lang))}</b>{nature_html}<br>{escape(line)}"
                          f"<br><span style='color:#555'>{escape(hints[assessment_method(indicator)])}</span>"
                          f"<br><span style='color:#777;font-size:small'>{escape(indicator.source)}</span>")

    def update_preview(self) -> None:
        """Show the status the values in the table would give, before they are applied."""
        if not self.indicator_id():
            return
        records, _cleared, bad = self.entered()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, VALUE)
            if item is not None:
                item.setBackground(QBrush(QColor("#ffd6d6")) if row in bad else QBrush())
        if bad:
            years = ", ".join(str(MONITOR_YEARS[row]) for row in bad)
            self.preview.setText("<span style='color:#b00020'>" + escape(
                self.tr("Not a usable number in {years}: use digits such as 1234.5 (a % sign is allowed; "
                        "values beyond ±1e15 are refused).").format(
                    years=years)) + "</span>")
            return
        indicator = self.project.indicators.get(self.indicator_id())
        table = ActualsTable(records)
        progress = assess(indicator, table, self.feature_id())
        if not records and not self.feature_id():
            progress = assess(indicator, None)
        colour = STATUS_COLOURS.get(progress.status, "#666")
        self.preview.setText(f"<b style='color:{colour}'>{escape(progress.status_label(self.lang))}</b> "
                             f"— {escape(progress.reason(self.lang))}")

    def apply(self) -> bool:
        records, cleared, bad = self.entered()
        if bad:
            self.update_preview()
            return False
        actuals = self.project.indicators.actuals
        for year in cleared:
            actuals.remove(self.indicator_id(), year, self.feature_id())
        changed = [r for r in records if actuals.get(r.indicator_id, r.year, r.feature_id) != r]
        actuals.update(changed)
        self.update_preview()
        return True

    def _ok(self) -> None:
        if self.apply():
            self.accept()
