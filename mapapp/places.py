"""Distinct places across mentions: how often each is named, as what, and what else it could be."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Mention, Place


@dataclass(slots=True)
class PlaceSummary:
    place: Place
    mentions: int = 0
    surface_forms: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    runner_ups: list[Place] = field(default_factory=list)
    confidence_sum: float = 0.0

    @property
    def mean_confidence(self) -> float:
        return self.confidence_sum / self.mentions if self.mentions else 0.0

    def to_record(self) -> dict:
        return {
            "name": self.place.name, "kind": self.place.kind, "lat": self.place.lat, "lon": self.place.lon,
            "geonameid": self.place.geonameid, "country": self.place.country, "mentions": self.mentions,
            "surface_forms": sorted(self.surface_forms), "documents": sorted(self.documents),
            "confidence": round(self.mean_confidence, 3),
            "candidates": [{"name": p.name, "kind": p.kind, "country": p.country, "lat": p.lat, "lon": p.lon,
                            "geonameid": p.geonameid} for p in self.runner_ups],
        }


def summarize_places(mentions: Iterable[Mention]) -> list[PlaceSummary]:
    """One summary per resolved place, most mentioned first."""
    by_id: dict[str, PlaceSummary] = {}
    for m in mentions:
        summary = by_id.setdefault(m.place.id, PlaceSummary(place=m.place))
        summary.mentions += 1
        summary.surface_forms.add(m.text)
        summary.documents.add(m.doc)
        summary.confidence_sum += m.confidence
        for c in m.candidates:
            if c.place.id != m.place.id and all(p.id != c.place.id for p in summary.runner_ups):
                summary.runner_ups.append(c.place)
    return sorted(by_id.values(), key=lambda s: (-s.mentions, s.place.name))
