"""How the dashboard paints an indicator's progress in a tree or table cell."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from gisapp.core.plan.monitoring import STATUS_COLOURS, Progress

PROGRESS_ROLE = Qt.UserRole + 1  # the cell's Progress; cells without one paint as usual


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
