"""Where sources disagree, as records a person can read: the reason first, then every side with its quote
and source title.

Joining (:mod:`mapapp.joins`) finds the disagreements: a text's stated date, place or figure against the
curated record, and texts against each other (dates of a brief event, figures of the same measure). A
fiction or alternate-history source is *contrasted* ("this source says…"), never counted as a dispute
among historical sources. This module turns an event's reasons into words and lists its claims.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_CITED = re.compile(r"\b([A-Za-z0-9_.-]+)@\d+")
CATALOG_TITLE = "mapapp catalog (curated records)"


def reason_in_words(reason: str, names: dict[str, str]) -> str:
    """"002_84889b0b05e14acd@39980: dates 1939 against 1941" → "Joseph Stalin, 1878–1953 (encyclopedia):
    dates 1939 against 1941"."""
    return _CITED.sub(lambda m: names.get(m.group(1), m.group(1)), reason)


def dispute_records(events: Iterable[dict], sources: dict[str, dict]) -> list[dict]:
    """One record per event whose sources disagree or that fiction contradicts.

    ``events``: event properties (:func:`mapapp.dataset.event_properties` or a dataset's rows);
    ``sources``: document id → source record (title, kind). Returns dicts
    ``{"id", "title", "theme", "kind": "dispute" | "contrast", "reasons", "claims"}``; each claim
    ``{"doc", "title", "kind", "start", "end", "quote", "year_start", "year_end", "places", "people",
    "actors", "fiction"}``.
    """
    names = {doc: entry.get("label") or entry.get("title") or doc for doc, entry in sources.items()}
    out = []
    for event in events:
        reasons = list(event.get("reasons") or [])
        contrasts = list(event.get("contrasts") or [])
        if not reasons and not contrasts:
            continue
        words = [reason_in_words(r, names) for r in reasons]
        words += [f"alternate history: {reason_in_words(c, names)}" for c in contrasts]
        claims = []
        for claim in event.get("claims") or []:
            doc = claim.get("doc")
            entry = sources.get(doc, {}) if doc else {}
            claims.append({
                "doc": doc, "title": entry.get("title", doc) if doc else CATALOG_TITLE,
                "kind": entry.get("kind", "unreviewed") if doc else "catalog",
                "start": claim.get("start"), "end": claim.get("end"),
                "quote": claim.get("quote") or "; ".join(claim.get("sources") or []),
                "year_start": claim.get("year_start"), "year_end": claim.get("year_end"),
                "places": list(claim.get("places") or []), "people": claim.get("people"),
                "actors": list(event.get("actors") or []), "fiction": bool(claim.get("fiction")),
            })
        out.append({"id": event["id"], "title": event["title"], "theme": event["theme"],
                    "kind": "dispute" if reasons else "contrast", "reasons": words, "claims": claims})
    return out
