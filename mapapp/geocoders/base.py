"""The one interface every mapapp geocoder implements: ``geocode(query) -> Location | None``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Location:
    """A geocoder's answer. ``lat``/``lon`` in WGS84 degrees; ``raw`` keeps the service's own reply."""

    name: str
    lat: float
    lon: float
    kind: str = "settlement"
    geonameid: int | None = None
    source: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_record(self) -> dict[str, Any]:
        return {"name": self.name, "lat": self.lat, "lon": self.lon, "kind": self.kind,
                "geonameid": self.geonameid, "source": self.source}


@runtime_checkable
class Geocoder(Protocol):
    """Anything that turns a place name into a :class:`Location` (or ``None`` when it finds nothing)."""

    name: str

    def geocode(self, query: str) -> Location | None: ...
