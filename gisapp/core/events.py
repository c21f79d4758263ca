"""A minimal callback list used by the Qt-free model to announce changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Signal:
    """Holds callbacks and calls them in connection order on ``emit``.

    The UI adapts these to Qt signals; the core never depends on Qt.
    """

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            callback(*args)
