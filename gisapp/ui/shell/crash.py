"""Crash safety net: a crash leaves a trace, and an uncaught exception is shown, never swallowed.

- :func:`enable_fault_log` turns on :mod:`faulthandler` at start-up. A fatal signal
  (SIGSEGV in Qt or GDAL, SIGABRT, ...) then dumps every thread's Python stack both to
  ``crash.log`` in the state folder (:func:`gisapp.paths.state_dir`) and to stderr.
  faulthandler writes to one descriptor only, so it writes into a pipe read by ``tee``, a
  separate process that outlives the crash and copies the dump to both places.
- :class:`ErrorReporter` becomes ``sys.excepthook`` and ``threading.excepthook``. PySide6
  hands an exception raised in a slot or an event handler to ``sys.excepthook`` and goes on,
  so the application keeps running. Each exception is written to the log with its traceback
  and shown on the UI thread in :class:`ErrorDialog` (plain text, with *Copy details*).
  The same error shows once per session: a paint handler failing on every frame gives one
  dialog, not a storm, and errors arriving while the dialog is open are added to it.
"""

from __future__ import annotations

import contextlib
import datetime
import faulthandler
import os
import shutil
import subprocess
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gisapp.paths import state_dir

LOG_NAME = "crash.log"
MAX_LOG_BYTES = 1_000_000  # then the log moves to crash.log.1 at the next start
REPEATS_LOGGED = 3

_fault_state: dict = {}  # the open log and the tee process, kept for the whole run


def crash_log_path() -> Path:
    return state_dir() / LOG_NAME


def _open_log() -> Path | None:
    path = crash_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            os.replace(path, path.with_name(LOG_NAME + ".1"))
        return path
    except OSError:
        return None


def append_to_log(text: str) -> None:
    """Add ``text`` to the crash log; a log that cannot be written never stops the app."""
    path = _open_log()
    if path is None:
        return
    with contextlib.suppress(OSError), open(path, "a", encoding="utf-8") as log:
        log.write(text if text.endswith("\n") else text + "\n")


def enable_fault_log() -> Path | None:
    """faulthandler to the crash log and stderr (see the module docstring); returns the log."""
    if _fault_state:
        return _fault_state.get("path")
    path = _open_log()
    if path is None:
        faulthandler.enable(all_threads=True)  # stderr only: the state folder is not writable
        return None
    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    append_to_log(f"=== gisapp started {stamp}, pid {os.getpid()}, Python {sys.version.split()[0]} ===")
    _fault_state.update(path=path)
    tee = shutil.which("tee")
    stderr_fd = _stderr_fd()
    if tee and stderr_fd is not None:
        read_end, write_end = os.pipe()
        try:
            # A session of its own: Ctrl+C in the terminal must not end tee before the app.
            process = subprocess.Popen([tee, "-a", str(path)], stdin=read_end, stdout=stderr_fd,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            os.close(write_end)
        else:
            _fault_state.update(tee=process, fd=write_end)
            faulthandler.enable(file=write_end, all_threads=True)
            return path
        finally:
            os.close(read_end)
    log = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open: faulthandler writes at crash time
    _fault_state.update(log=log)
    faulthandler.enable(file=log, all_threads=True)
    return path


def _stderr_fd() -> int | None:
    try:
        return sys.__stderr__.fileno() if sys.__stderr__ is not None else None
    except (OSError, ValueError):
        return None


def _summary(exc_type, exc) -> str:
    text = f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__
    return text if len(text) <= 400 else text[:400] + "…"


class ErrorReporter(QObject):
    """Logs and shows errors; safe to call from any thread."""

    _arrived = Signal(str, str, str)  # key, summary, details: queued to the UI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shown_keys: set[str] = set()
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self.dialog: ErrorDialog | None = None
        self._previous_hooks = None
        self._arrived.connect(self._show, Qt.QueuedConnection)

    # --- hooks ---------------------------------------------------------------------------
    def install(self) -> None:
        if self._previous_hooks is None:
            self._previous_hooks = (sys.excepthook, threading.excepthook)
            sys.excepthook = self.excepthook
            threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None

    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.report_exception(exc_type, exc, tb)

    def thread_excepthook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "a worker thread"
        self.report_exception(args.exc_type, args.exc_value, args.exc_traceback, f"in thread {name}")

    # --- reporting -----------------------------------------------------------------------
    def report_exception(self, exc_type, exc, tb, where: str = "") -> None:
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        frames = traceback.extract_tb(tb) if tb is not None else []
        origin = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        self.report(_summary(exc_type, exc), details, key=f"{exc_type.__name__}|{exc}|{origin}", where=where)

    def report(self, summary: str, details: str, key: str | None = None, where: str = "") -> None:
        """Log an error and show it once (from any thread)."""
        key = key or summary
        with self._lock:
            count = self._counts[key] = self._counts.get(key, 0) + 1
        # A paint handler can fail 60 times a second: the log gets the first few and then a
        # line every hundredth time, the dialog only the first.
        if count <= REPEATS_LOGGED or count % 100 == 0:
            stamp = datetime.datetime.now().isoformat(timespec="seconds")
            again = f" (time {count})" if count > 1 else ""
            heading = f"--- {stamp} uncaught error{' ' + where if where else ''}{again}: {summary}"
            append_to_log(heading if count > REPEATS_LOGGED else f"{heading}\n{details}")
            with contextlib.suppress(Exception):
                print(f"gisapp: error: {summary} (details in {crash_log_path()})", file=sys.__stderr__)
        if count == 1:
            self._arrived.emit(key, summary, details)

    def _show(self, key: str, summary: str, details: str) -> None:
        if key in self.shown_keys:
            return
        self.shown_keys.add(key)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add(summary, details)
            return
        self.dialog = ErrorDialog(summary, details, str(crash_log_path()), _dialog_parent())
        self.dialog.finished.connect(self._forget_dialog)
        self.dialog.open()

    def _forget_dialog(self, *_args) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None


def _dialog_parent() -> QWidget | None:
    window = QApplication.activeWindow()
    if window is not None:
        return window
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.objectName() == "MainWindow"]
    return shown[0] if shown else None


class ErrorDialog(QDialog):
    """An unexpected error: what happened, that the app still runs, the traceback to copy."""

    def __init__(self, summary: str, details: str, log_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ErrorDialog")
        self.setWindowTitle(self.tr("Unexpected error"))
        self.summaries = [summary]
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.PlainText)  # exception texts may hold file-derived text
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setPlainText(details)
        self.details.setMinimumSize(560, 220)
        self.log_path = log_path
        buttons = QDialogButtonBox(self)
        self.copy_button = QPushButton(self.tr("Copy details"), self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        close = buttons.addButton(QDialogButtonBox.Close)
        close.setText(self.tr("Close"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self._update_message()

    def add(self, summary: str, details: str) -> None:
        """Another, different error while this one is shown: append it instead of a new dialog."""
        self.summaries.append(summary)
        self.details.appendPlainText("\n" + details)
        self._update_message()

    def _update_message(self) -> None:
        lines = [self.tr("Something went wrong inside gisapp. The application is still running; "
                         "if anything looks wrong, save your work under a new name.")]
        if len(self.summaries) > 1:
            lines.append(self.tr("{count} different errors:").format(count=len(self.summaries)))
        lines += self.summaries[:5]
        lines.append(self.tr("The details were written to {log}.").format(log=self.log_path))
        self.message.setText("\n\n".join(lines))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


_reporter: ErrorReporter | None = None


def error_reporter() -> ErrorReporter:
    """The application's reporter (made on first use, on the UI thread)."""
    global _reporter
    if _reporter is None:
        _reporter = ErrorReporter()
    return _reporter


def install_safety_net() -> Path | None:
    """At start-up: faulthandler to the crash log and stderr, and the exception hooks."""
    path = enable_fault_log()
    error_reporter().install()
    return path
