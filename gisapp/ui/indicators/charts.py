"""Indicator charts in the dashboard: matplotlib's QtAgg canvas, same drawings as the report."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from gisapp.charts.figures import (
    category_figure,
    category_figure_height,
    indicator_figure,
    use_cjk_font,
)
from gisapp.core.plan.indicators import Indicator
from gisapp.core.plan.monitoring import Progress
from gisapp.ui.plain import plain_label


class IndicatorChart(QWidget):
    """One indicator (bullet chart + actuals by year) or a category's small multiples.

    ``mode`` tells tests and screenshots what is drawn: "indicator", "category" or "empty".
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        use_cjk_font()
        self.figure = Figure(figsize=(5, 3), layout=None)
        self.figure.set_facecolor("white")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.NoFrame)
        self.scroll.setWidget(self.canvas)
        self.message = plain_label(parent=self)
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#666")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll, 1)
        self.mode = "empty"
        self._height_in = 0.0
        self.show_message("")

    def show_message(self, text: str) -> None:
        self.mode = "empty"
        self.figure.clear()
        self.canvas.draw_idle()
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.scroll.setVisible(not text)

    def show_indicator(self, indicator: Indicator, progress: Progress, lang: str) -> None:
        self.mode = "indicator"
        self.message.hide()
        self.scroll.show()
        self._height_in = 0.0
        self.canvas.setMinimumHeight(0)
        indicator_figure(self.figure, indicator, progress, lang)
        self.canvas.draw_idle()

    def show_category(self, title: str, items: list[tuple[Indicator, Progress]], lang: str) -> None:
        self.mode = "category"
        self.message.hide()
        self.scroll.show()
        self._height_in = category_figure_height(len(items))
        # Tall categories scroll instead of squashing their charts.
        self.canvas.setMinimumHeight(int(self._height_in * self.figure.dpi / self.canvas.devicePixelRatioF()))
        self.figure.set_size_inches(self.figure.get_size_inches()[0], self._height_in)
        category_figure(self.figure, items, lang, title)
        self.canvas.draw_idle()
