"""The curated event catalog: reviewed records in ``geodata/events/*.yaml``, validated on load.

Every problem is reported with the file, the record and the field (a malformed record, an unknown
place name, an impossible date, a duplicate id), all at once, and no record is ever dropped silently:
loading either returns every record or raises :class:`CatalogError`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick
import yaml
from pydantic import ValidationError

from .config import GEODATA_DIR
from .errors import MapappError
from .gazetteer import Gazetteer, default_gazetteer
from .records import Event, EventPlace

EVENTS_DIR = GEODATA_DIR / "events"


class _DatesAsText(yaml.SafeLoader):
    """YAML without timestamp conversion: a date is validated by the record model, which names the field."""


_DatesAsText.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class CatalogError(MapappError):
    """One or more curated records are invalid; ``problems`` lists each as "file: record: field: what"."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the event catalog:\n  " + "\n  ".join(problems))


def _record_label(index: int, raw: object) -> str:
    rid = raw.get("id") if isinstance(raw, dict) else None
    return f"record {index + 1}" + (f" ({rid})" if rid else "")


def _format_validation(error: ValidationError) -> list[str]:
    out = []
    for e in error.errors():
        field = ".".join(str(x) for x in e["loc"]) or "(record)"
        out.append(f"field {field}: {e['msg']}")
    return out


def resolve_place(place: EventPlace, gazetteer: Gazetteer) -> EventPlace:
    """Fill a place's coordinates from the gazetteer (by id or name) unless they are given."""
    if place.lat is not None and place.lon is not None:
        return place
    found = None
    if place.place_id:
        try:
            found = gazetteer.place(place.place_id)
        except KeyError:
            raise ValueError(f"unknown place id {place.place_id!r}") from None
    else:
        hits = gazetteer.search(place.name)
        found = hits[0] if hits else None
    if found is None:
        raise ValueError(f"unknown place name {place.name!r} (not in the gazetteer; give lat and lon)")
    return place.model_copy(update={"lat": found.lat, "lon": found.lon, "place_id": found.id, "kind": found.kind})


def parse_records(raw_records: object, *, file_label: str, gazetteer: Gazetteer) -> tuple[list[Event], list[str]]:
    """Validate the records of one file; return the good ones and the problems of the others."""
    if not isinstance(raw_records, list):
        return [], [f"{file_label}: expected a list of records, got {type(raw_records).__name__}"]
    events, problems = [], []
    for index, raw in enumerate(raw_records):
        label = f"{file_label}: {_record_label(index, raw)}"
        if not isinstance(raw, dict):
            problems.append(f"{label}: expected a mapping of fields, got {type(raw).__name__}")
            continue
        try:
            event = Event.model_validate({**raw, "provenance": "curated"})
        except ValidationError as error:
            problems += [f"{label}: {p}" for p in _format_validation(error)]
            continue
        resolved = []
        for place_index, place in enumerate(event.places):
            try:
                resolved.append(resolve_place(place, gazetteer))
            except ValueError as error:
                problems.append(f"{label}: field places.{place_index}.name: {error}")
        if len(resolved) == len(event.places):
            events.append(event.model_copy(update={"places": resolved}))
    return events, problems


def _check_documents(event: Event, label: str, documents: dict[str, str]) -> list[str]:
    problems = []
    for i, source in enumerate(event.sources):
        if source.doc is None:
            continue
        if source.doc not in documents:
            problems.append(f"{label}: field sources.{i}.doc: cites document {source.doc!r}, which does not exist")
        elif source.quote and source.quote not in documents[source.doc]:
            problems.append(f"{label}: field sources.{i}.quote: not found in document {source.doc!r}")
    return problems


def load_catalog(paths: Iterable[Path] | None = None, *, gazetteer: Gazetteer | None = None,
                 documents: dict[str, str] | None = None) -> list[Event]:
    """Every curated event from ``paths`` (default: ``geodata/events/*.yaml``), validated and placed.

    ``documents`` (id → text) are the texts a record may cite; default: the built-in corpus.

    Raises
    ------
    CatalogError
        listing every problem found, each with its file, record and field.
    """
    gazetteer = gazetteer or default_gazetteer()
    files = sorted(paths) if paths is not None else sorted(EVENTS_DIR.glob("*.yaml"))
    events: list[Event] = []
    problems: list[str] = []
    for path in files:
        path = Path(path)
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)
        except (OSError, yaml.YAMLError) as error:
            problems.append(f"{path.name}: cannot be read as YAML ({error})")
            continue
        parsed, file_problems = parse_records(raw or [], file_label=path.name, gazetteer=gazetteer)
        if any(source.doc for event in parsed for source in event.sources):
            if documents is None:
                from .corpus import builtin_corpus

                documents = {d.id: d.text for d in builtin_corpus()}
            for event in parsed:
                file_problems += _check_documents(event, f"{path.name}: record {event.id}", documents)
        events += parsed
        problems += file_problems
    seen: dict[str, str] = {}
    for event in events:
        if event.id in seen:
            problems.append(f"record {event.id}: field id: duplicate id (also in {seen[event.id]})")
        seen[event.id] = event.title
    if problems:
        raise CatalogError(problems)
    return events


_LIFE_EVENT = re.compile(r"^(?P<what>Death|Birth|Murder|Assassination) of (?P<who>[A-Z][\w.' -]+?)(?: \(| in |$)")
_LIFE_PHRASES = {
    "Death": ["{s} died", "{s}'s death", "{s}’s death", "death of {s}", "{s} committed suicide"],
    "Birth": ["{s} was born", "birth of {s}"],
    "Murder": ["murder of {s}", "{s}'s murder", "{s}’s murder", "{s} was murdered", "{s} was killed"],
    "Assassination": ["assassination of {s}", "{s}'s assassination", "{s}’s assassination", "{s} was assassinated"],
}


def life_event_phrases(event: Event) -> list[str]:
    """How texts name a life event without its title: "Death of Joseph Stalin" → "Stalin died", "Stalin's death"."""
    m = _LIFE_EVENT.match(event.title)
    if not m or event.theme not in ("biography", "repression"):
        return []
    surname = m.group("who").split()[-1]
    return [p.format(s=surname) for p in _LIFE_PHRASES[m.group("what")]]


@dataclass(slots=True)
class CatalogIndex:
    """Curated events with one Aho–Corasick matcher over all their titles and other names (any case)."""

    events: list[Event]
    _by_name: dict[str, list[int]] = field(default_factory=dict)
    _automaton: ahocorasick.Automaton | None = None

    def __post_init__(self) -> None:
        for index, event in enumerate(self.events):
            for name in event.all_names() + life_event_phrases(event):
                if len(name) >= 4:
                    self._by_name.setdefault(name.lower(), []).append(index)
        if self._by_name:
            self._automaton = ahocorasick.Automaton()
            for name in self._by_name:
                self._automaton.add_word(name, name)
            self._automaton.make_automaton()

    def named_in(self, sentence: str) -> list[tuple[Event, str]]:
        """Events the sentence names, with the words it names them by, in text order."""
        if self._automaton is None:
            return []
        lower = sentence.lower()
        hits = []
        for end, name in self._automaton.iter(lower):
            start = end - len(name) + 1
            if (start > 0 and lower[start - 1].isalnum()) or (end + 1 < len(lower) and lower[end + 1].isalnum()):
                continue
            for index in self._by_name[name]:
                hits.append((self.events[index], sentence[start:end + 1]))
        return hits


@lru_cache(maxsize=1)
def default_catalog() -> tuple[Event, ...]:
    return tuple(load_catalog())
