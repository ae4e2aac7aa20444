"""Event records: what happened, where and when, who says so — validated with pydantic.

An :class:`Event` has a theme, dated start and end with their precision, places with roles, people
counts with what they count, actors, and one or more :class:`Claim` s, each citing a source: a
document span with its quoted sentence, or a public reference for a curated fact. Geometry is
derived (:func:`event_geometry`): a point (or the region's polygon) for a site, a line origin →
destination for a movement, a line through the waypoints for a front line.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Theme = Literal["deportation", "front", "repression", "famine", "revolution", "biography", "diplomacy"]
THEMES: tuple[str, ...] = ("deportation", "front", "repression", "famine", "revolution", "biography", "diplomacy")
Role = Literal["origin", "destination", "site", "waypoint"]
Precision = Literal["year", "month", "day"]
CountKind = Literal["deported", "killed", "died", "casualties", "prisoners", "executed", "arrested", "soldiers",
                    "evacuated", "people"]
Provenance = Literal["curated", "extracted"]

_DATE = re.compile(r"^(\d{3,4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MIN_YEAR, MAX_YEAR = 800, 2100


class HistDate(BaseModel):
    """A calendar date known to a year, a month or a day. Works for any year (no 1970 epoch)."""

    model_config = ConfigDict(frozen=True)

    year: int
    month: int | None = None
    day: int | None = None

    @model_validator(mode="after")
    def _check(self) -> HistDate:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"year {self.year} is outside {MIN_YEAR}–{MAX_YEAR}")
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None:
            dt.date(self.year, self.month, self.day or 1)  # raises on 1944-02-30 and month 13
        return self

    @property
    def precision(self) -> Precision:
        return "day" if self.day else "month" if self.month else "year"

    @classmethod
    def parse(cls, value: object) -> HistDate:
        """From ``1944``, ``"1944"``, ``"1944-02"``, ``"1944-02-23"`` or a ``datetime.date``."""
        if isinstance(value, HistDate):
            return value
        if isinstance(value, dt.date):
            return cls(year=value.year, month=value.month, day=value.day)
        if isinstance(value, int):
            return cls(year=value)
        m = _DATE.match(str(value).strip())
        if not m:
            raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = m.groups()
        return cls(year=int(year), month=int(month) if month else None, day=int(day) if day else None)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day:
            return dt.date(self.year, self.month, self.day)
        if self.month:
            next_month = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return next_month - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def iso(self) -> str:
        return f"{self.year:04d}" + (f"-{self.month:02d}" if self.month else "") + (f"-{self.day:02d}" if self.day else "")

    def __str__(self) -> str:
        return self.iso()


class EventPlace(BaseModel):
    """A place an event happened at, started from, went to or ran through. ``lat``/``lon`` in WGS84."""

    name: str
    role: Role = "site"
    lat: float | None = None
    lon: float | None = None
    place_id: str | None = None
    kind: str | None = None
    stated: bool = True      # named in the sentence (False: implied by an adjective or a people's homeland)
    text: str | None = None  # the words the sentence names it by ("Leningrad" for Saint Petersburg)

    @field_validator("lat")
    @classmethod
    def _lat(cls, v: float | None) -> float | None:
        if v is not None and not -90 <= v <= 90:
            raise ValueError(f"latitude {v} is outside -90..90")
        return v

    @field_validator("lon")
    @classmethod
    def _lon(cls, v: float | None) -> float | None:
        if v is not None and not -180 <= v <= 180:
            raise ValueError(f"longitude {v} is outside -180..180")
        return v


class PeopleCount(BaseModel):
    count: int = Field(ge=0)
    what: CountKind = "people"
    approx: bool = False
    source: str | None = None


class Source(BaseModel):
    """A public reference (``url``) or a document of the corpus (``doc`` with a ``quote`` from it)."""

    url: str | None = None
    doc: str | None = None
    quote: str = ""
    about: str = ""

    @model_validator(mode="after")
    def _check(self) -> Source:
        if not self.url and not self.doc:
            raise ValueError("a source needs a url or a doc")
        return self


class Claim(BaseModel):
    """What one source says of an event: its years and places, with the quoted sentence.

    A claim from a document cites ``doc`` and the character span ``start``–``end`` of ``quote`` in it;
    a curated claim cites its public ``sources``.
    """

    provenance: Provenance
    doc: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str = ""
    year_start: int
    year_end: int
    places: list[EventPlace] = Field(default_factory=list)
    people: int | None = None
    sources: list[Source] = Field(default_factory=list)
    fiction: bool = False          # from a fiction / alternate-history source: contrasted, never evidence

    @model_validator(mode="after")
    def _check(self) -> Claim:
        if self.year_end < self.year_start:
            raise ValueError(f"year_end {self.year_end} is before year_start {self.year_start}")
        if self.provenance == "extracted" and (self.doc is None or self.start is None or not self.quote):
            raise ValueError("an extracted claim needs doc, start and quote")
        return self


class Event(BaseModel):
    """One event, with every claim about it. Curated events come from ``geodata/events``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    theme: Theme
    kind: Literal["event", "front_line"] = "event"
    start: HistDate
    end: HistDate
    names: list[str] = Field(default_factory=list)
    places: list[EventPlace] = Field(min_length=1)
    people: list[PeopleCount] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    provenance: Provenance = "curated"
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    disputed: bool = False
    note: str = ""
    reasons: list[str] = Field(default_factory=list)     # why its historical sources disagree, in words
    contrasts: list[str] = Field(default_factory=list)   # what a fiction source says instead, in words
    uncertain: list[str] = Field(default_factory=list)   # why an extracted event is not drawn by default
    alternate: bool = False                              # told only by fiction / alternate history

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date(cls, v: object) -> HistDate:
        return HistDate.parse(v)

    @model_validator(mode="before")
    @classmethod
    def _default_end(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("end") is None and "start" in data:
            data = {**data, "end": data["start"]}
        return data

    @model_validator(mode="after")
    def _check(self) -> Event:
        if self.end.last_day() < self.start.first_day():
            raise ValueError(f"end {self.end} is before start {self.start}")
        if self.kind == "front_line":
            if any(p.role != "waypoint" for p in self.places) or len(self.places) < 2:
                raise ValueError("a front_line needs two or more places, all with role waypoint")
        if self.provenance == "curated" and not self.sources:
            raise ValueError("a curated event needs at least one source")
        return self

    @property
    def year_start(self) -> int:
        return self.start.year

    @property
    def year_end(self) -> int:
        return self.end.year

    def all_names(self) -> list[str]:
        return [self.title, *self.names]


def places_with_role(places: list[EventPlace], *roles: str) -> list[EventPlace]:
    return [p for p in places if p.role in roles and p.lat is not None]


def event_geometry(event: Event) -> dict | None:
    """GeoJSON geometry (lon/lat, EPSG:4326): a line for a front or a movement, else point(s)."""
    if event.kind == "front_line":
        points = places_with_role(event.places, "waypoint")
        return {"type": "LineString", "coordinates": [[p.lon, p.lat] for p in points]} if len(points) > 1 else None
    origins = places_with_role(event.places, "origin")
    destinations = places_with_role(event.places, "destination")
    if origins and destinations:
        lines = [[[o.lon, o.lat], [d.lon, d.lat]] for o in origins for d in destinations]
        if len(lines) == 1:
            return {"type": "LineString", "coordinates": lines[0]}
        return {"type": "MultiLineString", "coordinates": lines}
    points = places_with_role(event.places, "site", "origin", "destination", "waypoint")
    if not points:
        return None
    if len(points) == 1:
        return {"type": "Point", "coordinates": [points[0].lon, points[0].lat]}
    return {"type": "MultiPoint", "coordinates": [[p.lon, p.lat] for p in points]}
