"""PySide6 widgets: main window, map canvas, layer tree, panels and dialogs."""
