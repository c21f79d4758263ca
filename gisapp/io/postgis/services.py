"""The service names of libpq's connection service files (``pg_service.conf``), for the dialog.

libpq reads the user's file (``$PGSERVICEFILE``, else ``~/.pg_service.conf``) and the system's
(``$PGSYSCONFDIR/pg_service.conf``); a name in both is the user's. gisapp only lists the
names: libpq itself reads the settings (and any password) when it connects.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path

SYSTEM_FOLDERS = ("/etc/postgresql-common", "/etc")  # where Debian's and other builds look


def service_files() -> list[Path]:
    """The service files libpq would read, the user's first."""
    user = os.environ.get("PGSERVICEFILE") or str(Path.home() / ".pg_service.conf")
    system = os.environ.get("PGSYSCONFDIR")
    files = [Path(user)]
    files += [Path(system) / "pg_service.conf"] if system else [Path(d) / "pg_service.conf" for d in SYSTEM_FOLDERS]
    return files


def service_names(files: list[Path] | None = None) -> list[str]:
    """Section names of the service files that exist and parse, sorted, each once.

    A file that cannot be read or parsed is skipped (libpq would say why when it is used).
    """
    names: set[str] = set()
    for path in files if files is not None else service_files():
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        if not path.is_file():  # missing, or a pipe that would block the read
            continue
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                text = handle.read(1_000_000)  # a service file is small: never read a huge or endless one whole
            parser.read_string(text, source=str(path))
        except (OSError, configparser.Error, UnicodeError):
            continue
        names.update(parser.sections())
    return sorted(names)
