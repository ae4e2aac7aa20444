"""Joining what texts say to the curated records, and finding where sources disagree.

An extracted event is linked to a curated record when its sentence names the event ("the Battle of
Stalingrad", "Operation Bagration") or, failing a name, when theme, years and a precise place agree.
Linked sentences become :class:`~mapapp.records.Claim` s of that record, so the Battle of Stalingrad
named in three texts is one event with three sources. A claim whose dates (or places) disagree with
the curated record is kept beside it and the record is marked ``disputed``.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .catalog import CatalogIndex
from .events import ExtractedEvent
from .records import Claim, Event, EventPlace, HistDate

START_VERBS = re.compile(r"\b(?:began|begun|begins|launched|started|opened|commenced|initiated|implemented|unleashed)\b",
                         re.IGNORECASE)
END_VERBS = re.compile(r"\b(?:ended|concluded|finished|lifted|broken|surrendered|died|death)\b", re.IGNORECASE)
PRECISE_KINDS = ("settlement", "site")
SOFT_LINK_KM = 100.0
PLACE_DISAGREEMENT_KM = 400.0


def _km(a: EventPlace, b: EventPlace) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _overlaps(a_first: HistDate, a_last: HistDate, b_first: HistDate, b_last: HistDate, slack_years: int = 0) -> bool:
    return a_first.year <= b_last.year + slack_years and a_last.year >= b_first.year - slack_years


def _shares_precise_place(x: ExtractedEvent, event: Event) -> bool:
    for p in x.places:
        if p.kind not in PRECISE_KINDS and p.role == "site":
            continue
        for q in event.places:
            if p.place_id and p.place_id == q.place_id:
                return True
            if q.kind in PRECISE_KINDS and p.kind in PRECISE_KINDS and _km(p, q) <= SOFT_LINK_KM:
                return True
    return False


def choose_record(x: ExtractedEvent, index: CatalogIndex) -> tuple[Event | None, str | None]:
    """The curated record an extracted event is about, if any, and the name the sentence gives it."""
    named = index.named_in(x.quote)
    if named:
        same_theme = [(e, s) for e, s in named if e.theme == x.theme]
        pool = same_theme or [(e, s) for e, s in named if " " in s.strip()]
        if pool:
            # several names in one sentence: prefer the record whose years the sentence's years touch
            pool.sort(key=lambda es: (not _overlaps(x.first, x.last, es[0].start, es[0].end), -len(es[1])))
            return pool[0]
    for event in index.events:
        if event.theme == x.theme and event.kind == "event" and not x.inherited_date \
                and _overlaps(x.first, x.last, event.start, event.end) and _shares_precise_place(x, event):
            return event, None
    return None, None


# A stated date counts against a named event only when it stands near the name ("Operation Bagration
# was launched in 1940"); a date elsewhere in the sentence usually belongs to something else.
DATE_NEAR_NAME_CHARS = 120


def _date_belongs_to_name(x: ExtractedEvent, name: str | None) -> bool:
    if name is None or x.inherited_date or not x.date_spans:
        return False
    at = x.quote.find(name)
    if at < 0:
        return False
    return any(min(abs(s - (at + len(name))), abs(at - e)) <= DATE_NEAR_NAME_CHARS for s, e in x.date_spans)


def claim_disagrees(claim: Claim, quote: str, event: Event, first: HistDate, last: HistDate,
                    dated: bool = True) -> str | None:
    """Why a claim disagrees with its curated record (``None`` when it agrees).

    ``dated`` says whether the sentence states a date for this very event (not inherited, near its name).
    """
    if not dated:
        first = last = None
    if first is not None and not _overlaps(first, last, event.start, event.end):
        return f"dates {first}–{last} against {event.start}–{event.end}"
    if first is not None and first == last and first.month is not None:
        # "Barbarossa began on 22 September 1941": a start or end the text states, at its precision
        if START_VERBS.search(quote) and event.start.month is not None and \
                (first.year, first.month) != (event.start.year, event.start.month):
            return f"start {first} against {event.start}"
        if END_VERBS.search(quote) and event.end.month is not None and not START_VERBS.search(quote) and \
                (first.year, first.month) != (event.end.year, event.end.month) and first.last_day() > event.end.last_day():
            return f"end {first} against {event.end}"
    claim_sites = [p for p in claim.places if p.kind in PRECISE_KINDS]
    event_sites = [p for p in event.places if p.kind in PRECISE_KINDS]
    if claim_sites and event_sites and event.kind == "event" and \
            all(_km(p, q) > PLACE_DISAGREEMENT_KM for p in claim_sites for q in event_sites):
        return f"places {', '.join(p.name for p in claim_sites)} against {', '.join(p.name for p in event_sites)}"
    return None


@dataclass(slots=True)
class JoinResult:
    """Curated events with their claims, and events only the texts know about."""

    events: list[Event]
    extracted: list[ExtractedEvent]
    disagreements: dict[str, list[str]]

    def disputed(self) -> list[Event]:
        return [e for e in self.events if e.disputed]


def _claim(x: ExtractedEvent) -> Claim:
    return Claim(provenance="extracted", doc=x.doc, start=x.start, end=x.end, quote=x.quote,
                 year_start=x.year_start, year_end=x.year_end, places=x.places, people=x.people)


def join_events(extracted: Iterable[ExtractedEvent], catalog: Iterable[Event]) -> JoinResult:
    """Attach extracted events to curated records as claims; mark records whose claims disagree.

    Extracted events that match no record become events of their own (provenance ``extracted``).
    Each :class:`ExtractedEvent` is updated in place: ``event_id``, ``title``, ``provenance``, ``disputed``.
    """
    catalog = list(catalog)
    index = CatalogIndex(catalog)
    claims: dict[str, list[Claim]] = {e.id: [] for e in catalog}
    disagreements: dict[str, list[str]] = {}
    members: dict[str, list[ExtractedEvent]] = {e.id: [] for e in catalog}
    standalone: list[Event] = []
    extracted = list(extracted)
    for x in extracted:
        record, name = choose_record(x, index)
        claim = _claim(x)
        if record is None:
            x.title = x.default_title()
            x.event_id = f"x-{x.doc}-{x.start}-{x.theme}".lower()
            x.event_id = re.sub(r"[^a-z0-9-]", "-", x.event_id)
            standalone.append(Event(
                id=x.event_id, title=x.title, theme=x.theme, start=x.first, end=x.last, places=x.places,
                actors=x.actors, claims=[claim], provenance="extracted", confidence=0.5 if x.inherited_date else 0.7,
                people=[] if x.people is None else [{"count": x.people, "what": "people"}]))
            continue
        x.event_id, x.title, x.provenance = record.id, record.title, "curated"
        members[record.id].append(x)
        if any(c.doc == claim.doc and c.start == claim.start for c in claims[record.id]):
            continue  # one sentence read under two themes is still one claim
        claims[record.id].append(claim)
        why = claim_disagrees(claim, x.quote, record, x.first, x.last,
                              dated=_date_belongs_to_name(x, name) or (name is None and not x.inherited_date))
        if why:
            disagreements.setdefault(record.id, []).append(f"{x.doc}@{x.start}: {why}")
    joined = []
    for event in catalog:
        curated_claim = Claim(provenance="curated", year_start=event.year_start, year_end=event.year_end,
                              places=event.places, people=event.people[0].count if event.people else None,
                              sources=list(event.sources))
        disputed = event.id in disagreements
        joined.append(event.model_copy(update={"claims": [curated_claim, *claims[event.id]], "disputed": disputed}))
        for x in members[event.id]:
            x.disputed = disputed
    return JoinResult(events=joined + standalone, extracted=extracted, disagreements=disagreements)
