"""The project model: projects, vector layers, styles, identify and per-feature measures."""
