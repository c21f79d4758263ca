"""The indicator dashboard widget: plan indicators against their targets, and the spatial ones.

:class:`IndicatorDashboard` shows the indicators grouped by the plan's categories with
baseline, 2025 target, latest actual, unit, nature (binding in red and bold), a progress
bar (gisapp.ui.indicators.progress_delegate), the status and the source; a chart of the
chosen indicator or the small multiples of its category; a tab of spatial indicators
computed from the map (gisapp.ui.indicators.service). It only shows and emits requests:
gisapp.ui.indicators.controller puts it in the main window and links it to the map.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.charts.figures import fmt
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
    NOT_ACHIEVED,
    ON_TRACK,
    STATUS_COLOURS,
    Progress,
    assess_all,
    status_label,
)
from gisapp.ui.indicators.progress_delegate import PROGRESS_ROLE, ProgressDelegate
from gisapp.ui.indicators.service import coverage_text
from gisapp.ui.plain import escape, plain_label, tooltip

ID_ROLE = Qt.UserRole + 2
KIND_ROLE = Qt.UserRole + 3  # "category" or "indicator"
COLUMNS = ("name", "baseline", "target", "latest", "unit", "status", "progress", "nature", "source")
BINDING_COLOUR = QColor("#b00020")


def _value_text(year, value) -> str:
    if value in (None, ""):
        return "—"
    text = value if isinstance(value, str) else fmt(value)
    return f"{text} ({year})" if year else text


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
        self.zone_label = plain_label(parent=self)  # zone names come from the data
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
        self.spatial_status = plain_label(parent=self)  # names the land-use layer
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
        if self.chart.mode == "empty":  # its hint was written before the language was installed
            self._show_chart()

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
        if progress.status in (ACHIEVED, ON_TRACK, BEHIND, NOT_ACHIEVED):
            item.setFont(status_col, bold)
        if indicator.nature == "binding":
            for key in ("name", "nature"):
                item.setFont(COLUMNS.index(key), bold)
                item.setForeground(COLUMNS.index(key), QBrush(BINDING_COLOUR))
        tip = [indicator.name("zh"), indicator.name("en"), progress.reason(lang),
               f"{self.tr('Source')}: {indicator.source}"]
        if indicator.source_quote:
            tip.append(f"“{indicator.source_quote}”")
        item.setToolTip(0, tooltip("\n".join(t for t in tip if t)))
        item.setToolTip(status_col, tooltip(progress.reason(lang)))
        item.setToolTip(COLUMNS.index("progress"), tooltip(progress.reason(lang)))
        item.setToolTip(COLUMNS.index("source"), tooltip(indicator.source))
        return item

    def _resize_columns(self) -> None:
        header = self.tree.header()
        narrow = self.width() < 1400
        widths = {"name": 210 if narrow else 270, "baseline": 80, "target": 92, "latest": 100,
                  "unit": 44 if narrow else 52, "nature": 56, "progress": 100, "status": 76}
        for key, width in widths.items():
            column = COLUMNS.index(key)
            if key in ("unit", "status", "nature"):  # short words: never cut them
                width = max(width, min(self.tree.sizeHintForColumn(column) + 8, 140))
            header.resizeSection(column, width)

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
        counts = dict.fromkeys((ACHIEVED, ON_TRACK, BEHIND, NOT_ACHIEVED, NO_DATA), 0)
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
                    cell.setToolTip(tooltip(", ".join(feature.point_names) or feature.feature_id))
                self.features_table.setItem(row, column, cell)
        self.features_table.setSortingEnabled(True)
        self.groups_table.resizeColumnsToContents()
        self.features_table.resizeColumnsToContents()

    def show_coverage(self, result: CoverageResult | None, error: str = "") -> None:
        self.coverage = result
        if error:
            self.coverage_label.setText(f"<span style='color:#b00020'>{escape(error)}</span>")
            return
        if result is None:
            self.coverage_label.setText("")
            return
        self.coverage_label.setText(coverage_text(result, self))
