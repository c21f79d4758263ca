"""Planners' everyday tools in the window: measure, locate, spatial bookmarks and coordinates."""
