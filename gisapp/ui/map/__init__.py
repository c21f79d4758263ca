"""The map canvas: off-thread render jobs, the flat renderer, overlays and symbols."""
