"""Build-once, load-fast: derived indexes pickled in the cache folder, keyed by their source files.

A cache file is named after a digest of its sources' sizes and modification times (and a version),
so a changed source is rebuilt automatically. Writes are atomic (temporary file + rename) and a
corrupt or unreadable cache is rebuilt, never fatal.
"""
from __future__ import annotations

import gc
import hashlib
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_key(sources: Iterable[Path], version: int) -> str:
    digest = hashlib.sha256(str(version).encode())
    for path in sources:
        if path.exists():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _unpickle(f):
    """``pickle.load`` with the cyclic garbage collector paused.

    Unpickling creates hundreds of thousands of small lists and tuples (coordinates, index entries); each
    batch of them triggers a collection that walks every object alive, and in a process that has imported
    pandas and folium that made loading a 3 MB cache four times slower (0.22 s instead of 0.05 s).
    The pause only postpones collection: garbage is still collected once it is over.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(f)
    finally:
        if enabled:
            gc.enable()


def load_or_build(name: str, sources: Iterable[Path], build: Callable[[], T], *, version: int,
                  cache_dir: Path | None) -> T:
    """``build()``'s result, from ``cache_dir`` when a current copy is there."""
    if cache_dir is None:
        return build()
    cache_file = Path(cache_dir) / f"{name}-{cache_key(sources, version)}.pickle"
    if cache_file.exists():
        try:
            with cache_file.open("rb") as f:
                return _unpickle(f)
        except Exception:  # stale or corrupt: rebuild below
            cache_file.unlink(missing_ok=True)
    value = build()
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_name(cache_file.name + ".tmp")
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache_file)
    except OSError:
        pass  # a read-only cache folder only costs speed
    return value
