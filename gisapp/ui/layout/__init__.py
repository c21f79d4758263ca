"""Print layouts drawn with QPainter (PDF, SVG, PNG/TIFF pages) and the layout editor."""
