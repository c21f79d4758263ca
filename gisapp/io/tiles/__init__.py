"""Tile sources for basemaps: presets, URL templates, MBTiles files, a disk cache and a fetcher."""
