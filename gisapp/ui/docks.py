"""View-menu actions for docks that bring a dock to the front instead of hiding it.

Qt's ``QDockWidget.toggleViewAction()`` hides a dock that is tabbed behind another one,
because the dock counts as shown: pressing F8 for the dashboard behind the attribute table
did nothing a user could see. These actions show and raise a dock that is hidden or
behind another tab, and hide it only when it is in front.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget


def show_dock(dock: QDockWidget) -> None:
    """Show ``dock`` and bring it in front of the docks it is tabbed with."""
    dock.show()
    dock.raise_()


def in_front(dock: QDockWidget) -> bool:
    """Shown and not covered by another tab (a dock tabbed behind another has no visible region)."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def dock_action(dock: QDockWidget, parent, on_show=None) -> QAction:
    """A checkable action: shows and raises the dock, or hides it when it is already in front.

    ``on_show`` runs after the dock is shown (e.g. to size it)."""
    action = QAction(dock.windowTitle(), parent)
    action.setCheckable(True)
    dock.windowTitleChanged.connect(action.setText)

    def triggered(_checked: bool = False) -> None:
        if in_front(dock):
            dock.hide()
        else:
            show_dock(dock)
            if on_show is not None:
                on_show()
        action.setChecked(not dock.isHidden())

    action.triggered.connect(triggered)
    dock.visibilityChanged.connect(lambda _visible: action.setChecked(not dock.isHidden()))
    action.setChecked(not dock.isHidden())
    return action
