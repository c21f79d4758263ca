"""Keep Python's cyclic garbage collector from pausing the window.

A collection of the oldest generation walks every tracked object while holding the GIL.
With a million parcels open (a tracked shapely object each) that takes about 100 ms, and it
can start on any thread whenever allocations add up, so the window would freeze during a pan.
When large, long-lived data arrives we collect once and move the survivors into the
permanent generation (``gc.freeze``), which later collections skip. Frozen objects are still
freed by reference counting; cycles among them wait for the next settle.
"""

from __future__ import annotations

import gc


def settle_long_lived_objects() -> None:
    """Collect everything, then exempt what survived from future collections."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def keep_out_of_collections() -> None:
    """Exempt what lives now from future collections, without a collection first (one costs
    100 ms at a million parcels, holding the GIL): while a file is read in the background,
    after each chunk. Cycles that are garbage already wait for the next settle."""
    gc.freeze()
