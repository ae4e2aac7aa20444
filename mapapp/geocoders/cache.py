"""A persistent geocoding cache on disk (SQLite: each write is one atomic transaction)."""
from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from .base import Location

_MISS = "__miss__"


class GeocodeCache:
    """Answers keyed by ``(service, query)``; remembers misses too, so a name is asked once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS answers (service TEXT, query TEXT, answer TEXT, "
                       "PRIMARY KEY (service, query))")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def get(self, service: str, query: str) -> tuple[bool, Location | None]:
        """``(found, location)``: found is False when the cache has never seen the query."""
        with self._lock, self._connect() as db:
            row = db.execute("SELECT answer FROM answers WHERE service=? AND query=?", (service, query)).fetchone()
        if row is None:
            return False, None
        if row[0] == _MISS:
            return True, None
        data = json.loads(row[0])
        return True, Location(**data)

    def put(self, service: str, query: str, location: Location | None) -> None:
        answer = _MISS if location is None else json.dumps(
            {"name": location.name, "lat": location.lat, "lon": location.lon, "kind": location.kind,
             "geonameid": location.geonameid, "source": location.source}, ensure_ascii=False)
        with self._lock, self._connect() as db:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (service, query, answer))
