"""Saved PostGIS connections: a name and a password-free URL each, in the Qt settings.

Passwords never go to the settings: :meth:`ConnectionSpec.url` has none, and the dialog puts
a password the user asks to remember into the system keyring
(:func:`gisapp.io.postgis.connection.remember_password`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from gisapp.io.postgis.connection import ConnectionSpec, parse_url

SETTINGS_KEY = "postgis/connections"


@dataclass(frozen=True)
class SavedConnection:
    name: str
    url: str  # never a password

    def spec(self) -> ConnectionSpec:
        return parse_url(self.url)


def saved_connections() -> list[SavedConnection]:
    """The saved connections in the order saved; entries that no longer parse are left out."""
    raw = QSettings().value(SETTINGS_KEY, "[]")
    try:
        entries = json.loads(raw if isinstance(raw, str) else "[]")
    except ValueError:
        return []
    connections = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not isinstance(entry.get("url"), str):
            continue
        try:
            parse_url(entry["url"])
        except ValueError:
            continue
        connections.append(SavedConnection(entry["name"], entry["url"]))
    return connections


def save_connection(name: str, spec: ConnectionSpec, replacing: str | None = None) -> None:
    """Keep ``spec`` under ``name`` (replacing the entry named ``replacing`` or ``name``), without its password."""
    kept = [c for c in saved_connections() if c.name not in {name, replacing}]
    kept.append(SavedConnection(name, spec.url()))
    _write(kept)


def remove_connection(name: str) -> None:
    _write([c for c in saved_connections() if c.name != name])


def _write(connections: list[SavedConnection]) -> None:
    settings = QSettings()
    settings.setValue(SETTINGS_KEY, json.dumps([{"name": c.name, "url": c.url} for c in connections],
                                               ensure_ascii=False))
    settings.sync()
