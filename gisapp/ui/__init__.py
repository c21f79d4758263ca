"""PySide6 widgets: the window shell, the map, panels, editing and indicators."""
