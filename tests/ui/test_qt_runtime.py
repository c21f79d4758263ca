"""Guards against Qt binding bugs that would crash the application."""

import sys

from PySide6.QtWidgets import QApplication


def test_process_events_keeps_reference_counts(qapp):
    # PySide6 6.12.0 lost one reference to None per processEvents(); on Python 3.11
    # None is not immortal, so a long session aborted with "deallocating None".
    before = sys.getrefcount(None)
    for _ in range(200):
        QApplication.processEvents()
    assert sys.getrefcount(None) - before > -50
