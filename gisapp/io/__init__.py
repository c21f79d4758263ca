"""Reading and writing files: user vector files, the bundled catalogue, project GeoPackages."""

from .errors import GisIOError

__all__ = ["GisIOError"]
