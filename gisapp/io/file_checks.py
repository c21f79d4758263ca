"""Checks before any library opens a file a user brings: nothing here can hang or read much.

GDAL and SQLite block forever on a named pipe and read a device without end, so
:func:`ensure_regular_file` refuses everything but regular files (after following links,
with a message for a dangling link or a loop) from ``stat`` alone. :func:`sniff` then reads
the first 64 KiB and tells what the content is, whatever the name says.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from gisapp.io.errors import GisIOError

SNIFF_BYTES = 64 * 1024

KIND_GEOPACKAGE = "GeoPackage"
KIND_SHAPEFILE = "Shapefile"
KIND_GEOJSON = "GeoJSON"
KIND_BY_SUFFIX = {".gpkg": KIND_GEOPACKAGE, ".shp": KIND_SHAPEFILE, ".geojson": KIND_GEOJSON,
                  ".json": KIND_GEOJSON}

_SQLITE_HEADER = b"SQLite format 3\x00"
_SHAPEFILE_CODE = (9994).to_bytes(4, "big")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "this is a folder, not a vector file"
    if stat.S_ISFIFO(mode):
        return "this is a named pipe (FIFO), not a file; reading it could wait forever"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "this is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "this is a socket, not a file"
    return "this is not a regular file"


def ensure_regular_file(path: str | Path) -> os.stat_result:
    """The file's ``stat`` if it is a regular file gisapp may open; else GisIOError saying what
    it is. Never opens the file."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise GisIOError(path, f"the link points to {os.readlink(path)}, which does not exist") from None
        raise GisIOError(path, "the file does not exist") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise GisIOError(path, "the link leads in a loop (a symbolic link that points back to itself)") from None
        if exc.errno == errno.EACCES:
            raise GisIOError(path, "permission denied: the file cannot be read") from None
        raise GisIOError(path, f"the file cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:  # an embedded NUL in the name
        raise GisIOError(path, f"the file name is not valid ({exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise GisIOError(path, _not_regular(info.st_mode))
    return info


def companion_files(path: Path, kind: str) -> list[Path]:
    """Files a reader opens beside ``path``: a shapefile's .shx/.dbf/.prj/.cpg/... (any case),
    a GeoPackage's SQLite journal files."""
    if kind == KIND_GEOPACKAGE:
        return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
    if kind != KIND_SHAPEFILE:
        return []
    stem = path.stem.casefold()
    try:
        with os.scandir(path.parent) as entries:
            return [Path(entry.path) for entry in entries
                    if entry.name != path.name and Path(entry.name).stem.casefold() == stem]
    except OSError:
        return []


def ensure_companions_are_regular(path: Path, kind: str) -> None:
    for companion in companion_files(path, kind):
        if os.path.lexists(companion):
            ensure_regular_file(companion)


@dataclass(frozen=True)
class Sniffed:
    kind: str  # KIND_GEOPACKAGE, KIND_SHAPEFILE or KIND_GEOJSON: what the content is
    size: int
    text_encoding: str = ""  # for GeoJSON with a byte-order mark or UTF-16 without one
    names_crs: bool = False  # GeoJSON: a "crs" member near the start (GeoJSON 2008)
    wrong_suffix: str = ""  # the file's suffix, when it names another kind than the content


def _read_head(path: Path) -> bytes:
    # O_NONBLOCK: if the file was swapped for a pipe since the stat, opening must not wait.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        raise GisIOError(path, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise GisIOError(path, f"the file cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise GisIOError(path, _not_regular(info.st_mode))
        return os.read(fd, SNIFF_BYTES)
    except OSError as exc:
        raise GisIOError(path, f"the file cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def _text_encoding(head: bytes) -> tuple[str, bytes]:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, head[len(bom):].decode(encoding.replace("-sig", ""), errors="ignore").encode()
    if len(head) >= 2 and head[0] != 0 and head[1] == 0:
        return "utf-16-le", head.decode("utf-16-le", errors="ignore").encode()
    if len(head) >= 2 and head[0] == 0 and head[1] != 0:
        return "utf-16-be", head.decode("utf-16-be", errors="ignore").encode()
    return "", head


def _content_kind(head: bytes) -> tuple[str, str, bytes]:
    """(kind or '' if unknown, text encoding, head as UTF-8-ish text bytes)."""
    if head.startswith(_SQLITE_HEADER):
        return KIND_GEOPACKAGE, "", head
    if head.startswith(_SHAPEFILE_CODE) and len(head) >= 100:
        return KIND_SHAPEFILE, "", head
    encoding, text = _text_encoding(head)
    if text.lstrip(b" \t\r\n")[:1] in (b"{", b"["):
        return KIND_GEOJSON, encoding, text
    return "", encoding, text


def sniff(path: str | Path, expected: str) -> Sniffed:
    """What the file holds (``wrong_suffix`` is set if that is not what its name says).
    Raises GisIOError for empty, all-zero, damaged or unsupported content."""
    path = Path(path)
    info = ensure_regular_file(path)
    if info.st_size == 0:
        raise GisIOError(path, "the file is empty (0 bytes)")
    head = _read_head(path)
    if not head:
        raise GisIOError(path, "the file is empty (0 bytes)")
    if head.count(0) == len(head):
        whole = len(head) >= info.st_size
        raise GisIOError(path, "the file holds only zero bytes; it is damaged (perhaps not fully copied or saved)"
                         if whole else "the file starts with zero bytes where its data should be; it is damaged")
    if head.startswith(b"PK\x03\x04"):
        raise GisIOError(path, "this is a ZIP archive; unpack it and open the file inside")
    kind, encoding, text = _content_kind(head)
    if not kind:
        raise GisIOError(path, _not_kind_message(expected, head))
    if kind == KIND_GEOJSON and not encoding and b"\x00" in head:
        raise GisIOError(path, "the file contains zero bytes (NUL), which GeoJSON text never does; it is damaged")
    if kind != expected and kind == KIND_SHAPEFILE:
        raise GisIOError(path, f"this is a Shapefile although its name ends {path.suffix}; "
                               "rename it (and its .shx and .dbf) to .shp")
    names_crs = kind == KIND_GEOJSON and b'"crs"' in text
    return Sniffed(kind, info.st_size, encoding, names_crs, path.suffix if kind != expected else "")


def _not_kind_message(expected: str, head: bytes) -> str:
    if expected == KIND_GEOPACKAGE:
        return "not a GeoPackage: it does not start with the SQLite header (damaged, or another kind of file)"
    if expected == KIND_SHAPEFILE:
        return "not a Shapefile: its header is wrong (damaged, or another kind of file)"
    if b"\x00" in head:
        return "not GeoJSON: the file contains zero bytes (NUL), which text never does; it is damaged"
    return "not GeoJSON: the text does not start with '{' (damaged, or another kind of file)"
