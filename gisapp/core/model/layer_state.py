"""What basemap and raster layers share: a bilingual title, visibility and opacity that say
when they change (``changed`` is each layer's own Signal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gisapp.core.texts import pick

if TYPE_CHECKING:
    from gisapp.core.events import Signal


class ShownLayer:
    title_zh: str
    title_en: str
    visible: bool
    opacity: float
    changed: Signal

    def title(self, lang: str) -> str:
        return pick(lang, self.title_zh, self.title_en)

    def set_visible(self, visible: bool) -> None:
        if visible != self.visible:
            self.visible = visible
            self.changed.emit("visibility")

    def set_opacity(self, opacity: float) -> None:
        opacity = min(1.0, max(0.0, float(opacity)))
        if opacity != self.opacity:
            self.opacity = opacity
            self.changed.emit("opacity")
