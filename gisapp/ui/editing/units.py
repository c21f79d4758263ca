"""Areas and lengths as short texts for the map and the geometry check (m² or km², m or km)."""

from __future__ import annotations


def format_area(m2: float) -> str:
    return f"{m2 / 1e6:,.3f} km²" if m2 >= 1e5 else f"{m2:,.0f} m²"


def format_length(m: float) -> str:
    return f"{m / 1000:,.3f} km" if m >= 1000 else f"{m:,.1f} m"
