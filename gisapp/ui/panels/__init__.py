"""Docked panels and dialogs: layer tree, attribute table, feature panel, style and export dialogs."""
