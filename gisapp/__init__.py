"""Desktop GIS for spatial planning."""
