"""The indicator dashboard: plan indicators against their targets, linked to the map both ways.

- :class:`IndicatorDashboard` (a widget): the indicators grouped by the plan's categories
  with baseline, 2025 target, latest actual, unit, nature (binding in red and bold),
  a progress bar, the status and the source; a chart of the chosen indicator or the small
  multiples of its category; a tab of spatial indicators computed from the map.
- :class:`SpatialService`: recomputes the spatial indicators (and a chosen green-standard
  coverage) in a worker thread, debounced after geometry edits ("data" changes), and hands
  results back by job id: only an int crosses threads.
- :class:`IndicatorsController`: puts the dashboard in a dock and an *Indicators* menu in the
  main window, and keeps map and dashboard in step: choosing an indicator selects its zones,
  choosing a zone filters the dashboard to its indicators.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.charts.figures import fmt
from gisapp.core.analysis import classify
from gisapp.core.analysis.spatial_indicators import (
    CoverageResult,
    SpatialSummary,
)
from gisapp.core.model.project import Project
from gisapp.core.plan.indicators import Indicator
from gisapp.core.plan.monitoring import (
    ACHIEVED,
    BEHIND,
    NO_DATA,
    ON_TRACK,
    STATUS_COLOURS,
    Progress,
    assess_all,
    status_label,
)
from gisapp.ui.indicators.service import SpatialService, coverage_text

PROGRESS_ROLE = Qt.UserRole + 1
ID_ROLE = Qt.UserRole + 2
KIND_ROLE = Qt.UserRole + 3  # "category" or "indicator"
COLUMNS = ("name", "baseline", "target", "latest", "unit", "status", "progress", "nature", "source")
BINDING_COLOUR = QColor("#b00020")


def _value_text(year, value) -> str:
    if value in (None, ""):
        return "—"
    text = value if isinstance(value, str) else fmt(value)
    return f"{text} ({year})" if year else text


class ProgressDelegate(QStyledItemDelegate):
    """A bar in the status colour, the share as text, and a tick where the plan expects to be."""

    def paint(self, painter: QPainter, option, index) -> None:
        progress: Progress | None = index.data(PROGRESS_ROLE)
        if progress is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        painter.save()
        selected = bool(option.state & QStyle.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        rect = QRectF(option.rect).adjusted(4, 5, -4, -5)
        if progress.share is not None:
            bar = QRectF(rect.left(), rect.top(), rect.width() * 0.62, rect.height())
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor("#e6e6e6"))
            painter.drawRoundedRect(bar, 2, 2)
            share = max(0.0, min(1.0, progress.share))
            painter.setBrush(QColor(STATUS_COLOURS.get(progress.status, "#999999")))
            painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * share, bar.height()), 2, 2)
            if progress.expected_share is not None:
                x = bar.left() + bar.width() * max(0.0, min(1.0, progress.expected_share))
                painter.setPen(QPen(QColor("#222222"), 1.5))
                painter.drawLine(int(x), int(bar.top() - 2), int(x), int(bar.bottom() + 2))
            painter.setPen(option.palette.highlightedText().color() if selected
                           else option.palette.text().color())
            text_rect = QRectF(bar.right() + 4, option.rect.top(), rect.right() - bar.right() - 4,
                               option.rect.height())
            painter.drawText(text_rect, Qt.AlignVCenter | Qt.AlignLeft, f"{progress.share * 100:.0f}%")
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        return QSize(110, super().sizeHint(option, index).height())


class IndicatorDashboard(QWidget):
    """Tests read ``visible_indicator_ids()``, ``status_of()``, ``chart.mode`` and the tree."""

    indicatorSelected = Signal(str)  # an indicator id, "" when none
    actualsRequested = Signal(str)  # open the actuals dialog on this indicator
    importRequested = Signal()
    exportRequested = Signal()
    reportRequested = Signal()
    greenStandardRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.lang = "en"
        self.progress: dict[str, Progress] = {}
        self.zone_ids: list[str] = []
        self.zone_names: list[str] = []
        self.chart_mode = "indicator"
        self.summary: SpatialSummary | None = None
        self.coverage: CoverageResult | None = None

        self.filter_combo = QComboBox(self)
        self.filter_combo.addItems(["", ""])
        self.zone_label = QLabel(self)
        self.zone_label.setStyleSheet("color:#1f4e79")
        self.counts_label = QLabel(self)
        self.actuals_button = QPushButton(self)
        self.import_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.report_button = QPushButton(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.filter_combo)
        bar.addWidget(self.zone_label, 1)
        bar.addWidget(self.counts_label)
        for button in (self.actuals_button, self.import_button, self.export_button, self.report_button):
            bar.addWidget(button)

        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        self.tree.setItemDelegateForColumn(COLUMNS.index("progress"), ProgressDelegate(self.tree))
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(QHeaderView.Interactive)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)

        self.chart_combo = QComboBox(self)
        self.chart_combo.addItems(["", ""])
        from gisapp.ui.indicators.charts import IndicatorChart

        self.chart = IndicatorChart(self)
        chart_box = QWidget(self)
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_combo)
        chart_layout.addWidget(self.chart, 1)
        self.splitter = QSplitter(Qt.Horizontal, self)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(chart_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        plan_tab = QWidget(self)
        plan_layout = QVBoxLayout(plan_tab)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addLayout(bar)
        plan_layout.addWidget(self.splitter, 1)

        # Spatial tab: per group, per feature, and the green standard.
        self.groups_table = QTableWidget(self)
        self.features_table = QTableWidget(self)
        for table in (self.groups_table, self.features_table):
            table.setEditTriggers(QAbstractItemView.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectRows)
            table.verticalHeader().hide()
            table.setAlternatingRowColors(True)
            table.horizontalHeader().setStretchLastSection(True)
        self.features_table.setSortingEnabled(True)
        self.spatial_status = QLabel(self)
        self.spatial_status.setWordWrap(True)
        self.coverage_label = QLabel(self)
        self.coverage_label.setWordWrap(True)
        self.green_button = QPushButton(self)
        spatial_tab = QWidget(self)
        spatial_layout = QVBoxLayout(spatial_tab)
        spatial_layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(self.spatial_status, 1)
        top.addWidget(self.green_button)
        spatial_layout.addLayout(top)
        spatial_layout.addWidget(self.coverage_label)
        spatial_split = QSplitter(Qt.Horizontal, self)
        spatial_split.addWidget(self.groups_table)
        spatial_split.addWidget(self.features_table)
        spatial_split.setStretchFactor(0, 2)
        spatial_split.setStretchFactor(1, 3)
        spatial_layout.addWidget(spatial_split, 1)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(plan_tab, "")
        self.tabs.addTab(spatial_tab, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.filter_combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.chart_combo.currentIndexChanged.connect(self._chart_mode_changed)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.actuals_button.clicked.connect(lambda: self.actualsRequested.emit(self.current_indicator_id()))
        self.import_button.clicked.connect(self.importRequested)
        self.export_button.clicked.connect(self.exportRequested)
        self.report_button.clicked.connect(self.reportRequested)
        self.green_button.clicked.connect(self.greenStandardRequested)
        self.retranslate()

    # --- state ----------------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        self.project = project
        self.zone_ids, self.zone_names = [], []
        self.summary = None
        self.coverage = None
        self.refresh()
        self.show_spatial(None)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()
        self.refresh()
        self.show_spatial(self.summary)
        self.show_coverage(self.coverage)

    def retranslate(self) -> None:
        self.filter_combo.setItemText(0, self.tr("All indicators"))
        self.filter_combo.setItemText(1, self.tr("Linked to the selected zone"))
        self.chart_combo.setItemText(0, self.tr("Chart: the chosen indicator"))
        self.chart_combo.setItemText(1, self.tr("Chart: its whole category"))
        self.actuals_button.setText(self.tr("Enter actuals…"))
        self.import_button.setText(self.tr("Import CSV…"))
        self.export_button.setText(self.tr("Export CSV…"))
        self.report_button.setText(self.tr("Report…"))
        self.green_button.setText(self.tr("Green standard…"))
        self.tabs.setTabText(0, self.tr("Plan indicators"))
        self.tabs.setTabText(1, self.tr("Spatial indicators"))
        headers = {"name": self.tr("Indicator"), "baseline": self.tr("Baseline"), "target": self.tr("Target"),
                   "latest": self.tr("Latest actual"), "unit": self.tr("Unit"), "nature": self.tr("Nature"),
                   "progress": self.tr("Progress"), "status": self.tr("Status"), "source": self.tr("Source")}
        self.tree.setHeaderLabels([headers[key] for key in COLUMNS])
        self._update_zone_label()

    def refresh(self) -> None:
        """Recompute progress and rebuild the tree, keeping the chosen indicator."""
        current = self.current_indicator_id()
        self.tree.blockSignals(True)
        self.tree.clear()
        if self.project is None:
            self.tree.blockSignals(False)
            return
        catalog = self.project.indicators
        self.progress = assess_all(catalog)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for category in catalog.categories:
            members = [i for i in catalog.indicators if i.category == category.id]
            if not members:
                continue
            parent = QTreeWidgetItem(self.tree)
            parent.setData(0, KIND_ROLE, "category")
            parent.setData(0, ID_ROLE, category.id)
            parent.setFirstColumnSpanned(False)
            parent.setFont(0, bold)
            for indicator in members:
                self._indicator_item(parent, indicator, bold)
            parent.setExpanded(True)
        self.tree.blockSignals(False)
        self._apply_filter()
        self._resize_columns()
        item = self.item_for(current) if current else None
        if item is not None and not item.isHidden():
            self.select_indicator(current, emit=False)
            return
        self._show_chart()

    def _indicator_item(self, parent: QTreeWidgetItem, indicator: Indicator, bold: QFont) -> QTreeWidgetItem:
        lang = self.lang
        progress = self.progress[indicator.id]
        item = QTreeWidgetItem(parent)
        item.setData(0, KIND_ROLE, "indicator")
        item.setData(0, ID_ROLE, indicator.id)
        unit = indicator.unit_label(lang)
        latest = (indicator.actual_value if progress.value_source == "plan" else progress.value)
        texts = {
            "name": indicator.name(lang),
            "baseline": _value_text(indicator.baseline_year, indicator.baseline_value),
            "target": _value_text(indicator.target_year, indicator.target_value or indicator.target_avg_growth),
            "latest": _value_text(progress.year, latest) if progress.value is not None else "—",
            "unit": unit,
            "nature": indicator.nature_label(lang) if indicator.nature else "",
            "progress": "",
            "status": status_label(progress.status, lang),
            "source": indicator.source,
        }
        for column, key in enumerate(COLUMNS):
            item.setText(column, texts[key])
        for key in ("baseline", "target", "latest"):
            item.setTextAlignment(COLUMNS.index(key), Qt.AlignRight | Qt.AlignVCenter)
        item.setData(COLUMNS.index("progress"), PROGRESS_ROLE, progress)
        status_col = COLUMNS.index("status")
        item.setForeground(status_col, QBrush(QColor(STATUS_COLOURS.get(progress.status, "#666666")).darker(115)))
        if progress.status in (ACHIEVED, ON_TRACK, BEHIND):
            item.setFont(status_col, bold)
        if indicator.nature == "binding":
            for key in ("name", "nature"):
                item.setFont(COLUMNS.index(key), bold)
                item.setForeground(COLUMNS.index(key), QBrush(BINDING_COLOUR))
        tip = [indicator.name("zh"), indicator.name("en"), progress.reason(lang),
               f"{self.tr('Source')}: {indicator.source}"]
        if indicator.source_quote:
            tip.append(f"“{indicator.source_quote}”")
        item.setToolTip(0, "\n".join(t for t in tip if t))
        item.setToolTip(status_col, progress.reason(lang))
        item.setToolTip(COLUMNS.index("progress"), progress.reason(lang))
        item.setToolTip(COLUMNS.index("source"), indicator.source)
        return item

    def _resize_columns(self) -> None:
        header = self.tree.header()
        narrow = self.width() < 1400
        widths = {"name": 210 if narrow else 270, "baseline": 80, "target": 92, "latest": 100,
                  "unit": 44 if narrow else 52, "nature": 56, "progress": 100, "status": 76}
        for key, width in widths.items():
            header.resizeSection(COLUMNS.index(key), width)

    # --- filtering ---------------------------------------------------------------------------
    def set_zone_filter(self, feature_ids: list[str], names: list[str] | None = None) -> None:
        """Show the indicators linked to these zones (switches the filter on); [] shows all."""
        self.zone_ids = list(feature_ids)
        self.zone_names = list(names or feature_ids)
        self.filter_combo.blockSignals(True)
        self.filter_combo.setCurrentIndex(1 if self.zone_ids else 0)
        self.filter_combo.blockSignals(False)
        self._apply_filter()

    def linked_indicator_ids(self) -> set[str]:
        if self.project is None:
            return set()
        catalog = self.project.indicators
        ids = set()
        for feature_id in self.zone_ids:
            ids |= {indicator.id for indicator, _link in catalog.for_feature(feature_id)}
            ids |= set(catalog.actuals.indicators_for_feature(feature_id))
        return ids

    def _apply_filter(self) -> None:
        zone_mode = self.filter_combo.currentIndex() == 1
        wanted = self.linked_indicator_ids() if zone_mode else None
        counts = dict.fromkeys((ACHIEVED, ON_TRACK, BEHIND, NO_DATA), 0)
        for i in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(i)
            shown = 0
            for j in range(parent.childCount()):
                child = parent.child(j)
                visible = wanted is None or child.data(0, ID_ROLE) in wanted
                child.setHidden(not visible)
                if visible:
                    shown += 1
                    status = self.progress[child.data(0, ID_ROLE)].status
                    if status in counts:
                        counts[status] += 1
            parent.setHidden(shown == 0)
            self._category_text(parent, shown)
        current = self.tree.currentItem()
        if current is not None and current.isHidden():
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(None)
            self.tree.blockSignals(False)
            if self.chart_mode == "category":
                self.show_category_chart()
            else:
                self._show_chart()
        elif current is None and self.chart_mode == "category":
            self.show_category_chart()
        self.counts_label.setText("  ".join(
            f"<span style='color:{STATUS_COLOURS[s]}'>■</span> {status_label(s, self.lang)} {n}"
            for s, n in counts.items()))
        self._update_zone_label()

    def _category_text(self, parent: QTreeWidgetItem, shown: int) -> None:
        category = self.project.indicators.category(parent.data(0, ID_ROLE)) if self.project else None
        name = category.name(self.lang) if category else parent.data(0, ID_ROLE)
        behind = sum(1 for j in range(parent.childCount())
                     if not parent.child(j).isHidden()
                     and self.progress[parent.child(j).data(0, ID_ROLE)].status == BEHIND)
        text = f"{name} ({shown})"
        parent.setText(0, text)
        parent.setText(COLUMNS.index("status"), f"{status_label(BEHIND, self.lang)} {behind}" if behind else "")
        parent.setForeground(COLUMNS.index("status"), QBrush(QColor(STATUS_COLOURS[BEHIND])))

    def _update_zone_label(self) -> None:
        if self.filter_combo.currentIndex() == 1 and self.zone_names:
            names = "、".join(self.zone_names[:3]) + ("…" if len(self.zone_names) > 3 else "")
            self.zone_label.setText(self.tr("Zone: {names}").format(names=names))
        elif self.filter_combo.currentIndex() == 1:
            self.zone_label.setText(self.tr("Click a zone on the map"))
        else:
            self.zone_label.setText("")

    def visible_indicator_ids(self) -> list[str]:
        ids = []
        for i in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(i)
            ids += [parent.child(j).data(0, ID_ROLE) for j in range(parent.childCount())
                    if not parent.child(j).isHidden()]
        return ids

    def status_of(self, indicator_id: str) -> str:
        return self.progress[indicator_id].status

    # --- choosing ------------------------------------------------------------------------------
    def item_for(self, indicator_id: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(i)
            for j in range(parent.childCount()):
                if parent.child(j).data(0, ID_ROLE) == indicator_id:
                    return parent.child(j)
        return None

    def select_indicator(self, indicator_id: str, emit: bool = True) -> bool:
        item = self.item_for(indicator_id)
        if item is None:
            return False
        if item.isHidden():
            self.set_zone_filter([])
        if not emit:
            self.tree.blockSignals(True)
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item, QAbstractItemView.PositionAtCenter)
        QTimer.singleShot(0, lambda: self._scroll_to(indicator_id))
        if not emit:
            self.tree.blockSignals(False)
            self._show_chart()
        return True

    def _scroll_to(self, indicator_id: str) -> None:
        item = self.item_for(indicator_id)  # the tree may have been rebuilt since
        if item is not None:
            self.tree.scrollToItem(item, QAbstractItemView.PositionAtCenter)

    def current_indicator_id(self) -> str:
        item = self.tree.currentItem()
        if item is None or item.data(0, KIND_ROLE) != "indicator":
            return ""
        return item.data(0, ID_ROLE)

    def _current_changed(self, current, _previous) -> None:
        self._show_chart()
        if current is not None and current.data(0, KIND_ROLE) == "indicator":
            self.indicatorSelected.emit(current.data(0, ID_ROLE))
        elif current is not None:
            self.indicatorSelected.emit("")

    def _double_clicked(self, item, _column) -> None:
        if item.data(0, KIND_ROLE) == "indicator":
            self.actualsRequested.emit(item.data(0, ID_ROLE))

    def _context_menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        if item is None or item.data(0, KIND_ROLE) != "indicator":
            return
        menu = QMenu(self)
        indicator_id = item.data(0, ID_ROLE)
        menu.addAction(self.tr("Enter actuals…"), lambda: self.actualsRequested.emit(indicator_id))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # --- charts ---------------------------------------------------------------------------------
    def _chart_mode_changed(self, index: int) -> None:
        self.chart_mode = "category" if index == 1 else "indicator"
        self._show_chart()

    def show_category_chart(self, category_id: str | None = None) -> None:
        """Small multiples of a category (default: the first shown one with numeric targets)."""
        self.chart_combo.setCurrentIndex(1)
        for i in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(i)
            if parent.isHidden() or (category_id and parent.data(0, ID_ROLE) != category_id):
                continue
            numeric = any(not parent.child(j).isHidden()
                          and self.progress[parent.child(j).data(0, ID_ROLE)].method not in ("qualitative", "none")
                          for j in range(parent.childCount()))
            if numeric or category_id:
                self.tree.setCurrentItem(parent)
                break
        self._show_chart()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_sized", False) and self.width() > 200:
            self._sized = True
            self.splitter.setSizes([int(self.width() * 0.6), int(self.width() * 0.4)])
            self._resize_columns()

    def _show_chart(self) -> None:
        if self.project is None:
            return
        item = self.tree.currentItem()
        catalog = self.project.indicators
        if item is None:
            self.chart.show_message(self.tr("Choose an indicator to see its chart; its zones are "
                                            "selected on the map."))
            return
        category_id = (item.data(0, ID_ROLE) if item.data(0, KIND_ROLE) == "category"
                       else catalog.get(item.data(0, ID_ROLE)).category)
        if self.chart_mode == "category" or item.data(0, KIND_ROLE) == "category":
            parent = item if item.data(0, KIND_ROLE) == "category" else item.parent()
            ids = [parent.child(j).data(0, ID_ROLE) for j in range(parent.childCount())
                   if not parent.child(j).isHidden()]
            items = [(catalog.get(i), self.progress[i]) for i in ids
                     if self.progress[i].method not in ("qualitative", "none")]
            category = catalog.category(category_id)
            if not items:
                self.chart.show_message(self.tr("No indicator of this category has a numeric target."))
                return
            self.chart.show_category(category.name(self.lang) if category else category_id, items, self.lang)
            return
        indicator = catalog.get(item.data(0, ID_ROLE))
        self.chart.show_indicator(indicator, self.progress[indicator.id], self.lang)

    # --- spatial -------------------------------------------------------------------------------
    def show_spatial(self, summary: SpatialSummary | None, busy: bool = False) -> None:
        self.summary = summary
        if busy:
            self.spatial_status.setText(self.tr("Computing spatial indicators…"))
        elif summary is None:
            self.spatial_status.setText(self.tr("Spatial indicators are computed from the map in the "
                                                "background."))
        else:
            landuse = (self.tr("Land-use layer: {layer}").format(layer=summary.landuse_layer)
                       if summary.landuse_layer else
                       self.tr("No land-use layer: open one with a land-use field (e.g. landuse, 用地性质) "
                               "to see the land-use mix."))
            self.spatial_status.setText(
                self.tr("Areas are geodesic. Shares are of the parent zone. {landuse}").format(landuse=landuse))
        if summary is None:
            return
        lang = self.lang
        headers = [self.tr("Group"), self.tr("Zones"), self.tr("Area (km², union)"),
                   self.tr("Named projects and platforms")]
        self.groups_table.setColumnCount(len(headers))
        self.groups_table.setHorizontalHeaderLabels(headers)
        self.groups_table.setRowCount(len(summary.groups))
        for row, group in enumerate(summary.groups):
            for column, text in enumerate((group.title(lang), str(group.features), f"{group.area_km2:,.2f}",
                                           str(group.points_inside))):
                cell = QTableWidgetItem(text)
                if column:
                    cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.groups_table.setItem(row, column, cell)
        headers = [self.tr("Zone"), self.tr("Area (km²)"), self.tr("Share of parent zone"),
                   self.tr("Projects and platforms inside"), self.tr("Land-use mix")]
        self.features_table.setSortingEnabled(False)
        self.features_table.setColumnCount(len(headers))
        self.features_table.setHorizontalHeaderLabels(headers)
        self.features_table.setRowCount(len(summary.features))
        for row, feature in enumerate(summary.features):
            mix = feature.landuse_shares()
            mix_text = ", ".join(f"{k} {v * 100:.0f}%" for k, v in sorted(mix.items(), key=lambda kv: -kv[1]))
            values = (feature.name(lang), feature.area_km2,
                      None if feature.parent_share is None else feature.parent_share * 100,
                      feature.points_inside, mix_text)
            for column, value in enumerate(values):
                cell = QTableWidgetItem()
                if isinstance(value, float):
                    cell.setData(Qt.DisplayRole, round(value, 2))
                    cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                elif isinstance(value, int):
                    cell.setData(Qt.DisplayRole, value)
                    cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                else:
                    cell.setText("" if value is None else str(value))
                if column == 0:
                    cell.setData(ID_ROLE, feature.feature_id)
                    cell.setToolTip(", ".join(feature.point_names) or feature.feature_id)
                self.features_table.setItem(row, column, cell)
        self.features_table.setSortingEnabled(True)
        self.groups_table.resizeColumnsToContents()
        self.features_table.resizeColumnsToContents()

    def show_coverage(self, result: CoverageResult | None, error: str = "") -> None:
        self.coverage = result
        if error:
            self.coverage_label.setText(f"<span style='color:#b00020'>{error}</span>")
            return
        if result is None:
            self.coverage_label.setText("")
            return
        self.coverage_label.setText(coverage_text(result, self))


class IndicatorsController(QObject):
    """Dock, menu and the two-way link between the map and the indicators."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.project: Project | None = None
        self.dashboard = IndicatorDashboard(window)
        self.dock = QDockWidget(window)
        self.dock.setObjectName("IndicatorDashboardDock")
        self.dock.setWidget(self.dashboard)
        self.dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable
                              | QDockWidget.DockWidgetFloatable)
        window.addDockWidget(Qt.BottomDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.table_dock, self.dock)
        self.dock.hide()
        self.service = SpatialService(self)
        self.dialogs: dict[str, QWidget] = {}
        self._syncing = False
        self._selection_timer = QTimer(self, singleShot=True, interval=0)
        self._selection_timer.timeout.connect(self._selection_changed)
        self._refresh_timer = QTimer(self, singleShot=True, interval=50)
        self._refresh_timer.timeout.connect(self._actuals_changed)

        def action(slot, shortcut=None) -> QAction:
            act = QAction(window)
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            return act

        self.act_dashboard = self.dock.toggleViewAction()
        self.act_dashboard.setShortcut(QKeySequence("F8"))
        self.act_actuals = action(lambda: self.open_actuals_dialog())
        self.act_import = action(self.import_csv_dialog)
        self.act_export = action(self.export_csv_dialog)
        self.act_template = action(lambda: self.export_csv_dialog(layout="wide"))
        self.act_green = action(self.open_green_standard_dialog)
        self.act_style = action(lambda: self.open_style_dialog())
        self.act_progress_map = action(self.style_by_progress)
        self.act_report = action(self.report_dialog)
        self.menu = QMenu(window)
        for act in (self.act_dashboard, None, self.act_actuals, self.act_import, self.act_export,
                    self.act_template, None, self.act_style, self.act_progress_map, self.act_green, None,
                    self.act_report):
            self.menu.addSeparator() if act is None else self.menu.addAction(act)
        window.menuBar().insertMenu(window.menu_lang.menuAction(), self.menu)
        window.menu_view.addAction(self.act_dashboard)

        d = self.dashboard
        d.indicatorSelected.connect(self.select_indicator_features)
        d.actualsRequested.connect(self.open_actuals_dialog)
        d.importRequested.connect(self.import_csv_dialog)
        d.exportRequested.connect(self.export_csv_dialog)
        d.reportRequested.connect(self.report_dialog)
        d.greenStandardRequested.connect(self.open_green_standard_dialog)
        d.features_table.cellDoubleClicked.connect(self._spatial_row_activated)
        self.service.summaryReady.connect(self._summary_ready)
        self.service.coverageReady.connect(self._coverage_ready)
        self.service.busyChanged.connect(lambda busy: busy and d.show_spatial(d.summary, busy=True))
        self.dock.visibilityChanged.connect(self._dock_visibility)

    @property
    def lang(self) -> str:
        return self.window.lang

    # --- project and language ---------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        if self.project is not None:
            self.project.indicators.actuals.changed.disconnect(self._schedule_refresh)
            self.project.layers_changed.disconnect(self._watch_layers)
            for layer in self.project.layers:
                layer.selection_changed.disconnect(self._schedule_selection)
        self.project = project
        project.indicators.actuals.changed.connect(self._schedule_refresh)
        project.layers_changed.connect(self._watch_layers)
        self._watch_layers()
        self.dashboard.lang = self.lang
        self.dashboard.set_project(project)
        self.service.set_project(project)
        for dialog in list(self.dialogs.values()):
            dialog.close()
        self.dialogs.clear()

    def _watch_layers(self) -> None:
        for layer in self.project.layers:
            layer.selection_changed.connect(self._schedule_selection)  # connect() ignores repeats

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Indicators"))
        self.dock.setWindowTitle(self.tr("Indicator dashboard"))
        self.act_dashboard.setText(self.tr("Indicator dashboard"))
        self.act_actuals.setText(self.tr("Enter actual values…"))
        self.act_import.setText(self.tr("Import actuals from CSV…"))
        self.act_export.setText(self.tr("Export actuals to CSV…"))
        self.act_template.setText(self.tr("Export a form by year (CSV)…"))
        self.act_green.setText(self.tr("Green standard (50 m to green, 500 m to a park)…"))
        self.act_style.setText(self.tr("Style layer by field or indicator…"))
        self.act_progress_map.setText(self.tr("Colour plan zones by progress"))
        self.act_report.setText(self.tr("Export indicator report…"))
        if self.dashboard.lang != self.lang:
            self.dashboard.set_lang(self.lang)
        else:
            self.dashboard.retranslate()
        for dialog in self.dialogs.values():
            if hasattr(dialog, "set_lang"):
                dialog.set_lang(self.lang)

    def shutdown(self) -> None:
        self.service.shutdown()

    def show_dashboard(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.fit_dock()

    def fit_dock(self) -> None:
        height = self.window.height()
        self.window.resizeDocks([self.dock], [int(min(420, max(260, height * 0.36)))], Qt.Vertical)

    def _dock_visibility(self, visible: bool) -> None:
        if visible and self.service.summary is not None:
            self.dashboard.show_spatial(self.service.summary)

    # --- map -> dashboard ----------------------------------------------------------------------------
    def _schedule_selection(self, *_args) -> None:
        if not self._syncing:
            self._selection_timer.start()

    def selected_features(self) -> list[tuple[str, str]]:
        """(feature id, display name) of every selected feature."""
        out = []
        for layer in self.project.layers:
            for row in layer.selection.tolist():
                if row < len(layer) and "id" in layer.frame.columns:
                    out.append((str(layer.frame["id"].iat[row]), layer.feature_label(row, self.lang)))
        return out

    def _selection_changed(self) -> None:
        if self._syncing or self.project is None:
            return
        selected = self.selected_features()
        self.dashboard.set_zone_filter([fid for fid, _ in selected], [name for _, name in selected])

    # --- dashboard -> map ------------------------------------------------------------------------------
    def select_indicator_features(self, indicator_id: str) -> int:
        """Select (and so highlight) the features linked to an indicator; returns how many."""
        if self.project is None or not indicator_id:
            return 0
        catalog = self.project.indicators
        ids = set(catalog.features_for(indicator_id)) | set(catalog.actuals.features_with(indicator_id))
        count = 0
        self._syncing = True
        try:
            for layer in self.project.layers:
                rows = []
                if ids and "id" in layer.frame.columns:
                    column = layer.frame["id"].astype("string").fillna("").to_numpy()
                    rows = [i for i, value in enumerate(column) if value in ids]
                layer.select(rows)
                count += len(rows)
        finally:
            self._syncing = False
        self.window.canvas.update()
        name = catalog.get(indicator_id).name(self.lang)
        message = (self.tr("{name}: {count} linked zone(s) selected on the map").format(name=name, count=count)
                   if count else self.tr("{name}: no zone on the map carries this indicator (zone-wide)")
                   .format(name=name))
        self.window.statusBar().showMessage(message, 8000)
        return count

    def _spatial_row_activated(self, row: int, _column: int) -> None:
        item = self.dashboard.features_table.item(row, 0)
        if item is not None and item.data(ID_ROLE):
            self.window.select_feature(item.data(ID_ROLE), zoom=True)

    # --- actuals -------------------------------------------------------------------------------------
    def _schedule_refresh(self, *_args) -> None:
        self._refresh_timer.start()

    def _actuals_changed(self) -> None:
        if self.project is None:
            return
        self.dashboard.refresh()
        classify.refresh_indicator_styles(self.project.layers, self.project.indicators)
        self.window.panel.refresh()

    def open_actuals_dialog(self, indicator_id: str = "", feature_id: str = ""):
        from gisapp.ui.indicators.actuals_dialog import ActualsDialog

        indicator_id = indicator_id or self.dashboard.current_indicator_id()
        if not feature_id:
            selected = self.selected_features()
            feature_id = selected[0][0] if len(selected) == 1 else ""
        dialog = self.dialogs.get("actuals")
        if dialog is None:
            dialog = ActualsDialog(self.project, self.lang, self.window)
            dialog.finished.connect(lambda _r: self.dialogs.pop("actuals", None))
            self.dialogs["actuals"] = dialog
        dialog.choose(indicator_id, feature_id)
        dialog.show()
        dialog.raise_()
        return dialog

    def import_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Import actuals"), str(Path.home()),
                                              self.tr("CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self.import_csv(path)

    def import_csv(self, path: str):
        """Import actuals; rows that match no indicator are listed in a message."""
        from gisapp.io.actuals_csv import feature_names, read_actuals_csv
        from gisapp.io.errors import GisIOError

        try:
            result = read_actuals_csv(path, self.project.indicators, feature_names(self.project))
        except GisIOError as exc:
            self.window.show_error(self.tr("The actuals were not imported"), str(exc))
            return None
        self.project.indicators.actuals.update(result.actuals)
        summary = self.tr("Read {rows} rows from {file}: imported {count} values.").format(
            rows=result.rows_read, file=Path(path).name, count=len(result.actuals))
        if result.problems:
            lines = [self.tr("Line {line}: {message}").format(line=p.line, message=p.message(self.lang))
                     for p in result.problems[:30]]
            if len(result.problems) > 30:
                lines.append(self.tr("… and {count} more").format(count=len(result.problems) - 30))
            self.window.show_error(
                self.tr("Some rows were not imported"),
                summary + "\n" + self.tr("These rows match no indicator or have no usable value:") + "\n"
                + "\n".join(lines))
        else:
            self.window.statusBar().showMessage(summary, 8000)
        return result

    def export_csv_dialog(self, layout: str = "long") -> None:
        name = "actuals_form.csv" if layout == "wide" else "actuals.csv"
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export actuals"), str(Path.home() / name),
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.export_csv(path, layout)

    def export_csv(self, path: str, layout: str = "long") -> None:
        from gisapp.io.actuals_csv import write_actuals_csv
        from gisapp.io.errors import GisIOError

        try:
            write_actuals_csv(path, self.project.indicators, layout)
        except GisIOError as exc:
            self.window.show_error(self.tr("The actuals were not exported"), str(exc))
            return
        self.window.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 8000)

    # --- report ------------------------------------------------------------------------------------------
    def report_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Export indicator report"), str(Path.home() / "indicator_report.pdf"),
            self.tr("PDF (*.pdf);;HTML (*.html);;CSV (*.csv)"))
        if path:
            self.write_report(path)

    def write_report(self, path: str):
        from gisapp.export.report import ReportOptions, write_report
        from gisapp.io.errors import GisIOError

        if Path(path).suffix.lower() not in (".pdf", ".html", ".htm", ".csv"):
            path += ".pdf"
        themed = any(classify.STYLE_SPEC_KEY in layer.metadata for layer in self.project.layers)
        options = ReportOptions(lang=self.lang, map_style="current" if themed else "progress")
        self.window.statusBar().showMessage(self.tr("Writing the report…"))
        try:
            out = write_report(self.project, path, options)
        except (GisIOError, OSError, ValueError) as exc:
            self.window.show_error(self.tr("The report was not written"), str(exc))
            return None
        self.window.statusBar().showMessage(self.tr("Saved {path}").format(path=out), 8000)
        return out

    # --- maps ----------------------------------------------------------------------------------------------
    def style_by_progress(self) -> list[str]:
        """Colour every plan layer whose zones carry indicators by the worst status of those."""
        from gisapp.ui.panels.style_dialog import ORIGINAL_STYLE_KEY

        layers = classify.linked_layers(self.project)
        for layer in layers:
            layer.metadata.setdefault(ORIGINAL_STYLE_KEY, {"style": layer.style.to_dict(),
                                                           "label_field": layer.label_field})
            classify.style_by_progress(layer, self.project.indicators)
        if layers:  # show one legend of statuses in the layer tree
            richest = max(layers, key=lambda layer: len(layer.style.legend()))
            tree, model = self.window.tree, self.window.tree_model
            if model is not None and hasattr(model, "index_for_layer"):
                tree.expand(model.index_for_layer(richest.id))
        self.window.statusBar().showMessage(
            self.tr("{count} layers coloured by the progress of their indicators").format(count=len(layers)), 8000)
        return [layer.id for layer in layers]

    def open_style_dialog(self, layer_id: str | None = None):
        from gisapp.ui.panels.style_dialog import StyleDialog

        layer = self.project.layer(layer_id) if layer_id else self.window.current_layer()
        dialog = self.dialogs.get("style")
        if dialog is None:
            dialog = StyleDialog(self.project, self.lang, self.window)
            dialog.finished.connect(lambda _r: self.dialogs.pop("style", None))
            self.dialogs["style"] = dialog
        if layer is not None:
            dialog.choose_layer(layer.id)
        dialog.show()
        dialog.raise_()
        return dialog

    def open_green_standard_dialog(self):
        from gisapp.ui.indicators.green_standard_dialog import GreenStandardDialog

        dialog = self.dialogs.get("green")
        if dialog is None:
            dialog = GreenStandardDialog(self.project, self.service, self.lang, self.window)
            dialog.finished.connect(lambda _r: self.dialogs.pop("green", None))
            self.dialogs["green"] = dialog
        dialog.show()
        dialog.raise_()
        return dialog

    def _summary_ready(self) -> None:
        self.dashboard.show_spatial(self.service.summary)
        panel = self.window.panel
        panel.spatial = self.service.summary
        panel.refresh()

    def _coverage_ready(self) -> None:
        self.dashboard.show_coverage(self.service.coverage, self.service.coverage_error)
