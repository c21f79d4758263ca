"""The same user input for our canvas and QGIS's, and an event-loop latency probe.

No gisapp imports: ``benchmarks/peers/qgis_responsiveness.py`` runs this with Debian's
Python and QGIS's PyQt5, our benchmark with PySide6; ``qt`` is whichever binding.
"""

from __future__ import annotations

import time

INTERVAL_MS = 5  # the probe timer; a gap of g ms between ticks means the loop was blocked g - 5 ms
DRAG_STEPS = 40  # mouse moves 16 ms apart (60 Hz), 12 px each
WHEEL_STEPS = 12  # wheel notches 150 ms apart, zooming in then out about the cursor


class LatencyProbe:
    """Records the longest gap between ticks of a fast timer."""

    def __init__(self, qt) -> None:
        self.timer = qt.QtCore.QTimer()
        self.timer.setTimerType(qt.QtCore.Qt.TimerType.PreciseTimer)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.last = None
        self.worst = 0.0
        self.gaps: list[float] = []  # every block over 20 ms, in ms
        self.gap_times: list[tuple[float, float]] = []  # their (start, end) perf_counter times

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.gaps, self.gap_times = [], []
        self.timer.start()

    def stop(self) -> float:
        """Longest blocked time in ms since start()."""
        self.timer.stop()
        self._tick()
        return max(0.0, self.worst - INTERVAL_MS)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.last is not None:
            gap = 1000 * (now - self.last)
            self.worst = max(self.worst, gap)
            if gap > 20 + INTERVAL_MS:
                self.gaps.append(gap - INTERVAL_MS)
                self.gap_times.append((self.last, now))
        self.last = now


def schedule_pan_and_zoom(qt, target, width: int, height: int, start_ms: int = 50) -> int:
    """Post a left-button drag across the map, then wheel zooms, on timers; returns the
    time in ms after which the last event has been posted."""
    QtCore, QtGui, QtWidgets = qt.QtCore, qt.QtGui, qt.QtWidgets
    Qt = QtCore.Qt
    left = Qt.MouseButton.LeftButton
    no_button = Qt.MouseButton.NoButton
    none = Qt.KeyboardModifier.NoModifier
    x0, y0 = width * 0.3, height * 0.4

    def post_mouse(kind, x, y, button, buttons):
        pos = QtCore.QPointF(x, y)
        event = QtGui.QMouseEvent(kind, pos, QtCore.QPointF(target.mapToGlobal(pos.toPoint())), button, buttons, none)
        QtWidgets.QApplication.postEvent(target, event)

    def post_wheel(x, y, notches):
        pos = QtCore.QPointF(x, y)
        event = QtGui.QWheelEvent(pos, QtCore.QPointF(target.mapToGlobal(pos.toPoint())), QtCore.QPoint(0, 0),
                                  QtCore.QPoint(0, 120 * notches), no_button, none,
                                  Qt.ScrollPhase.NoScrollPhase, False)
        QtWidgets.QApplication.postEvent(target, event)

    def later(ms, fn, *args):
        QtCore.QTimer.singleShot(int(ms), lambda: fn(*args))

    t = start_ms
    later(t, post_mouse, QtCore.QEvent.Type.MouseButtonPress, x0, y0, left, left)
    for step in range(1, DRAG_STEPS + 1):
        t += 16
        later(t, post_mouse, QtCore.QEvent.Type.MouseMove, x0 + 12 * step, y0 + 5 * step, no_button, left)
    t += 16
    later(t, post_mouse, QtCore.QEvent.Type.MouseButtonRelease, x0 + 12 * DRAG_STEPS, y0 + 5 * DRAG_STEPS,
          left, no_button)
    for step in range(WHEEL_STEPS):
        t += 150
        later(t, post_wheel, width / 2, height / 2, 1 if step < WHEEL_STEPS // 2 else -1)
    return t
