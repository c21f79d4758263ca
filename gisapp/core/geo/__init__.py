"""Geometry and coordinates: geodesic measures, geometry operations, flat vertex arrays, label points, the viewport."""
