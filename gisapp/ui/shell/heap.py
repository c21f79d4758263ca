"""Keep Python's cyclic garbage collector from pausing the window.

A collection of the oldest generation walks every tracked object while holding the GIL.
With a million parcels open (a tracked shapely object each) that takes about 100 ms, and it
can start on any thread whenever allocations add up, so the window would freeze during a pan.
When large, long-lived data arrives we collect once and move the survivors into the
permanent generation (``gc.freeze``), which later collections skip. Frozen objects are still
freed by reference counting; cycles among them wait for the next settle.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
import threading


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


# --- the C heap ---------------------------------------------------------------------------
# glibc's malloc raises its mmap threshold each time a large block is freed (up to 32 MiB),
# so the arrays of a file read in chunks (each merge a few MB to a few hundred) end up in
# the heap, where freed space is rarely given back: the window kept 300 to 400 MB it no
# longer used after opening a million parcels. A fixed threshold keeps every block from
# 1 MiB up in its own mapping, returned to the system when it is freed.
_MMAP_THRESHOLD = 1 << 20
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
_libc: ctypes.CDLL | None | bool = False  # False: not looked up yet; None: not glibc


def _glibc() -> ctypes.CDLL | None:
    global _libc
    if _libc is False:
        _libc = None
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim"):
                    _libc = libc
            except OSError:
                pass
    return _libc if isinstance(_libc, ctypes.CDLL) else None


def tune_allocator() -> None:
    """Large blocks in mappings of their own (see above); nothing where malloc is not glibc's."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)


def release_free_memory() -> None:
    """Give the system back the heap's free pages (after a large file is read and its
    read-time buffers are gone), on a thread of its own: ctypes lets go of the GIL, and a
    trim of a heap of gigabytes takes tens of milliseconds."""
    libc = _glibc()
    if libc is not None:
        threading.Thread(target=libc.malloc_trim, args=(0,), name="gisapp-trim", daemon=True).start()
