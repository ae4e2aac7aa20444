"""The records that flow through mapapp: documents, gazetteer places and place mentions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PlaceKind = Literal["settlement", "country", "region", "water", "site"]


@dataclass(frozen=True, slots=True)
class Document:
    """A text to geoparse. ``id`` is the file stem; offsets index ``text`` as a Python string."""

    id: str
    title: str
    text: str
    source: str
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``lat``/``lon`` are WGS84 degrees (EPSG:4326)."""

    id: str
    name: str
    kind: PlaceKind
    lat: float
    lon: float
    country: str = ""
    population: int = 0
    geonameid: int | None = None
    radius_km: float = 0.0
    valid_from: int | None = None
    valid_to: int | None = None
    source: str = "GeoNames"
    admin1: str = ""          # "US.KY": country and first-level region code, for homonyms in one country


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a surface form may refer to, with the resolver's score for it."""

    place: Place
    score: float
    matched_name: str
    historical: bool = False


@dataclass(slots=True)
class Mention:
    """A place named in a document, resolved to coordinates.

    ``candidates`` holds the runner-ups, best first, so a user can review and correct the choice.
    """

    doc: str
    start: int
    end: int
    text: str
    place: Place
    confidence: float
    candidates: list[Candidate] = field(default_factory=list)
    kind: str = "place"             # or "demonym" ("Russian" → Russia), found only when asked for

    def to_record(self) -> dict:
        """The stable JSON shape of ``mapapp geoparse --format jsonl``."""
        return {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "name": self.place.name,
            "lat": round(self.place.lat, 5),
            "lon": round(self.place.lon, 5),
            "kind": "demonym" if self.kind == "demonym" else self.place.kind,
            "geonameid": self.place.geonameid,
            "confidence": round(self.confidence, 3),
        }

    def candidate_records(self) -> list[dict]:
        return [
            {"name": c.place.name, "kind": c.place.kind, "country": c.place.country,
             "lat": c.place.lat, "lon": c.place.lon, "geonameid": c.place.geonameid,
             "score": round(c.score, 3)}
            for c in self.candidates
        ]
