"""Editing in the window: the controller, undo commands, edit texts."""
