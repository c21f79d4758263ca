"""Reading and writing files: vector files, the bundled catalogue, project GeoPackages, actuals CSV, recovery."""

from gisapp.io.errors import GisIOError

__all__ = ["GisIOError"]
