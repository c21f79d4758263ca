"""Others' committed changes as a Qt signal: the Qt-free ChangeListener of
:mod:`gisapp.io.postgis.team` calls back on its own thread; this object re-emits each notice
on the UI thread (a queued signal), so the window applies them where its data lives."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from gisapp.io.postgis.connection import ConnectionSpec


class LiveChanges(QObject):
    """One LISTEN connection to one server, for the given (schema, table) pairs."""

    changed = Signal(object)  # a ChangeNotice, on the UI thread
    failed = Signal(str)  # the listening connection broke (it is retried)
    _notice = Signal(object)  # emitted on the listener's thread
    _error = Signal(str)

    def __init__(self, spec: ConnectionSpec, tables: set[tuple[str, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        from gisapp.io.postgis.team import ChangeListener

        self.spec = spec
        self.tables = frozenset(tables)
        self._notice.connect(self.changed, Qt.QueuedConnection)
        self._error.connect(self.failed, Qt.QueuedConnection)
        self.listener = ChangeListener(spec, self._emit_notice, self.tables, on_error=self._emit_error)

    def _emit_notice(self, notice) -> None:  # on the listener's thread
        try:
            self._notice.emit(notice)
        except RuntimeError:  # the window is gone
            pass

    def _emit_error(self, exc: Exception) -> None:
        try:
            self._error.emit(str(exc))
        except RuntimeError:
            pass

    def start(self, wait_s: float = 0.0) -> bool:
        """Start listening (True when LISTEN is in place within ``wait_s``)."""
        return self.listener.start(wait_s)

    @property
    def listening(self) -> bool:
        return self.listener.listening

    def stop(self) -> None:
        self.listener.stop()
