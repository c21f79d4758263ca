"""Packaged copies of the scripts and stylesheets folium links to, for offline web maps.

folium writes ``<script src="https://cdn...">`` tags. A self-contained export swaps
each one for the same file read from an installed package, so the page opens with the
network cut. Nothing here is hand-copied code:

- Leaflet comes from the ``XStatic-Leaflet`` package on PyPI (a dependency in
  pyproject.toml, so ``pip install`` brings it);
- the Leaflet plugins that no PyPI package ships (fullscreen, measure, search,
  mini-map) are fetched once from the npm registry with ``npm pack`` at the exact
  versions folium references, checked against pinned sha512 digests and unpacked into
  ``<prefix>/share/gisapp/web-vendor`` (``scripts/bootstrap.sh`` runs
  ``python -m gisapp.export.web.assets fetch``).

Stylesheets have their ``url(...)`` images inlined as ``data:`` URIs.

Command line::

    python -m gisapp.export.web.assets fetch   # download the pinned npm packages if missing
    python -m gisapp.export.web.assets check   # list every asset and where it resolves
"""

from __future__ import annotations

import base64
import hashlib
import io
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path


class MissingAssetError(RuntimeError):
    """A script or stylesheet has no packaged copy, so the page would need the network."""


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # the registry's dist.integrity (sha512, base64)

    @property
    def folder(self) -> str:
        return f"{self.name}@{self.version}"


# The exact versions folium 0.20 links to; digests from the npm registry.
NPM_PACKAGES = {
    p.name: p for p in (
        NpmPackage("leaflet.fullscreen", "3.0.0",
                   "sha512-81wWSUXz1ZtdneR0v5eJDWXUSx+Zo5J50WXWeydG/UcILfIEAgz/iOjZSi3p00Z9MJ/FC/P5i3CgdYuEAos0yQ=="),
        NpmPackage("leaflet-measure", "2.1.7",
                   "sha512-IvoHIoVTIQSXUgaNnAMF17qXFB+dF5ICdwmY8BHyq/Hh33/xeGqQUUYlz0pRMzFN9NUcjsT6JBhCr1ia0CG5ug=="),
        NpmPackage("leaflet-search", "2.9.7",
                   "sha512-v7CxEbXyQXqLFjSkTpvM5i1cvmrcPOos57UmTnR94qqvVZykXyz/0SKEs3cbkFHjyrmMQ3Yk2Q5W6PvyuiSuPg=="),
        NpmPackage("leaflet-minimap", "3.6.1",
                   "sha512-6px8f6cfv1rKB6ACpL6bbUFGxipZOq4KsntJgBj9nOcW1RYa5+xFp8emOZwks9X+VtVVsQEwWwfgT1kTTL/LzA=="),
    )
}


@dataclass(frozen=True)
class Asset:
    """Where the file behind one CDN URL lives: ``source`` is 'xstatic' or 'npm'."""

    source: str
    package: str
    path: str
    version: str = ""


# CDN URL (as folium writes it) -> packaged file. Leaflet's version is checked at lookup.
ASSETS: dict[str, Asset] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js":
        Asset("xstatic", "leaflet", "leaflet.js", "1.9.3"),
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css":
        Asset("xstatic", "leaflet", "leaflet.css", "1.9.3"),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js":
        Asset("npm", "leaflet.fullscreen", "Control.FullScreen.js"),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css":
        Asset("npm", "leaflet.fullscreen", "Control.FullScreen.css"),
    "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js":
        Asset("npm", "leaflet-measure", "dist/leaflet-measure.min.js"),
    "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css":
        Asset("npm", "leaflet-measure", "dist/leaflet-measure.css"),
    "https://cdn.jsdelivr.net/npm/leaflet-search@2.9.7/dist/leaflet-search.min.js":
        Asset("npm", "leaflet-search", "dist/leaflet-search.min.js"),
    "https://cdn.jsdelivr.net/npm/leaflet-search@2.9.7/dist/leaflet-search.min.css":
        Asset("npm", "leaflet-search", "dist/leaflet-search.min.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js":
        Asset("npm", "leaflet-minimap", "dist/Control.MiniMap.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css":
        Asset("npm", "leaflet-minimap", "dist/Control.MiniMap.min.css"),
}

_SKIP_IN_TARBALL = re.compile(r"^package/(examples?|test|tests|spec|buildscripts|scss)/")


# --- where the npm packages live ----------------------------------------------------
def vendor_dirs() -> list[Path]:
    """Folders searched for unpacked npm packages, first match wins."""
    dirs = []
    if os.environ.get("GISAPP_WEB_VENDOR"):
        dirs.append(Path(os.environ["GISAPP_WEB_VENDOR"]))
    dirs.append(Path(sys.prefix) / "share" / "gisapp" / "web-vendor")
    dirs.append(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gisapp" / "web-vendor")
    return dirs


def _writable_vendor_dir() -> Path:
    for folder in vendor_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    raise MissingAssetError("no writable folder for the web-map assets; set GISAPP_WEB_VENDOR")


def npm_package_dir(package: NpmPackage) -> Path | None:
    for folder in vendor_dirs():
        candidate = folder / package.folder
        if (candidate / "package.json").is_file():
            return candidate
    return None


def fetch_npm_package(package: NpmPackage, dest: Path | None = None) -> Path:
    """``npm pack`` one pinned package, verify its digest and unpack it (idempotent)."""
    existing = npm_package_dir(package)
    if existing is not None:
        return existing
    npm = shutil.which("npm")
    if npm is None:
        raise MissingAssetError(
            f"{package.folder} is not installed and npm is missing; install Node.js/npm and run "
            "`python -m gisapp.export.web.assets fetch`")
    dest = dest or _writable_vendor_dir()
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [npm, "pack", f"{package.name}@{package.version}", "--pack-destination", tmp,
             "--silent"], capture_output=True, text=True, timeout=300, check=False)
        tarballs = list(Path(tmp).glob("*.tgz"))
        if result.returncode != 0 or not tarballs:
            raise MissingAssetError(f"npm pack {package.folder} failed: {result.stderr.strip()[-400:]}")
        data = tarballs[0].read_bytes()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != package.integrity:
        raise MissingAssetError(f"{package.folder}: digest {digest} does not match the pinned one")
    target = dest / package.folder
    partial = dest / f".{package.folder}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        members = [m for m in archive.getmembers()
                   if m.isfile() and m.name.startswith("package/") and not _SKIP_IN_TARBALL.match(m.name)]
        for member in members:
            member.name = member.name[len("package/"):]
        archive.extractall(partial, members=members, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target


def fetch_all() -> list[Path]:
    return [fetch_npm_package(package) for package in NPM_PACKAGES.values()]


# --- resolving and reading ----------------------------------------------------------
def asset_path(url: str) -> Path:
    """The packaged file for a CDN ``url`` folium writes, or MissingAssetError."""
    asset = ASSETS.get(url)
    if asset is None:
        raise MissingAssetError(f"no packaged copy of {url}; add it to gisapp.export.web.assets.ASSETS")
    if asset.source == "xstatic":
        try:
            import xstatic.pkg.leaflet as xstatic_leaflet
        except ImportError as exc:
            raise MissingAssetError("XStatic-Leaflet is not installed (pip install XStatic-Leaflet)") from exc
        if xstatic_leaflet.VERSION.split(".")[:2] != asset.version.split(".")[:2]:
            raise MissingAssetError(
                f"XStatic-Leaflet {xstatic_leaflet.VERSION} does not match Leaflet {asset.version}")
        path = Path(xstatic_leaflet.BASE_DIR) / asset.path
    else:
        package = NPM_PACKAGES[asset.package]
        folder = npm_package_dir(package)
        if folder is None:
            raise MissingAssetError(
                f"{package.folder} is not installed; run `python -m gisapp.export.web.assets fetch` "
                "(scripts/bootstrap.sh does) or export in linked mode")
        path = folder / asset.path
    if not path.is_file():
        raise MissingAssetError(f"{url}: {path} is missing")
    return path


def missing_assets() -> list[str]:
    """Human-readable problems, empty when every asset resolves."""
    problems = []
    for url in ASSETS:
        try:
            asset_path(url)
        except MissingAssetError as exc:
            problems.append(str(exc))
    return sorted(set(problems))


_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")


def _data_uri(path: Path) -> str:
    mime = {".svg": "image/svg+xml", ".png": "image/png", ".gif": "image/gif", ".cur": "image/x-icon",
            ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf"}.get(
        path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def css_text(path: Path) -> str:
    """A stylesheet with its relative ``url(...)`` files inlined as data URIs."""
    text = path.read_text(encoding="utf-8")

    def replace(match: re.Match) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")):
            return match.group(0)
        if re.match(r"^[a-z]+:|^//", ref, re.IGNORECASE):
            raise MissingAssetError(f"{path.name} references the remote file {ref}")
        target = (path.parent / ref.split("?")[0].split("#")[0]).resolve()
        if not target.is_file():
            raise MissingAssetError(f"{path.name} references {ref}, which is missing")
        return f'url("{_data_uri(target)}")'

    return _CSS_URL.sub(replace, text)


def script_tag(code: str, label: str = "") -> str:
    banner = f"/* {label} */\n" if label else ""
    # "</script" inside the code would end the element early.
    return "<script>" + banner + re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE) + "</script>"


def style_tag(css: str, label: str = "") -> str:
    banner = f"/* {label} */\n" if label else ""
    return "<style>" + banner + re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE) + "</style>"


def _label(url: str) -> str:
    asset = ASSETS[url]
    if asset.source == "npm":
        return f"{NPM_PACKAGES[asset.package].folder} {asset.path} (npm)"
    return f"XStatic-{asset.package} {asset.path} (PyPI)"


# branca writes exactly these two forms (JavascriptLink / CssLink templates).
_SCRIPT_LINK = re.compile(r'<script src="(https?://[^"]+)"></script>')
_CSS_LINK = re.compile(r'<link rel="stylesheet" href="(https?://[^"]+)"/>')


def inline_assets(html: str) -> str:
    """Replace every CDN script/stylesheet link in folium's output with inline code."""

    def js(match: re.Match) -> str:
        url = match.group(1)
        return script_tag(asset_path(url).read_text(encoding="utf-8"), _label(url))

    def css(match: re.Match) -> str:
        url = match.group(1)
        return style_tag(css_text(asset_path(url)), _label(url))

    html = _SCRIPT_LINK.sub(js, html)
    html = _CSS_LINK.sub(css, html)
    leftover = remote_references(html)
    if leftover:
        raise MissingAssetError(f"remote references left in a self-contained page: {leftover}")
    return html


_REMOTE_REF = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)",
    re.IGNORECASE)


def remote_references(html: str) -> list[str]:
    """URLs of scripts, stylesheets, images or frames the page would load from the network."""
    return _REMOTE_REF.findall(html)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "check"
    if command == "fetch":
        for path in fetch_all():
            print(path)
        return 0
    if command == "check":
        problems = missing_assets()
        for url in ASSETS:
            try:
                print(f"{url}\n    -> {asset_path(url)}")
            except MissingAssetError:
                pass
        for problem in problems:
            print(f"MISSING: {problem}", file=sys.stderr)
        return 1 if problems else 0
    print("usage: python -m gisapp.export.web.assets [fetch|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
