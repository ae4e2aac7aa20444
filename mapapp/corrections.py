"""User corrections of place resolution, saved atomically and applied on the next build.

A correction is keyed by the surface form as written in a text ("Kirov", "Georgia"), optionally for one
document only, and says one of: ``not_a_place``; use gazetteer place ``place_id``; or put it at
``lat``/``lon`` (with a ``name``). They live in one JSON file (default ``.mapapp-user/corrections.json``,
``MAPAPP_USER_DIR`` to move it), written through a temporary file and a rename so a crash never leaves a
half-written file.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .config import REPO_ROOT
from .errors import MapappError
from .gazetteer import Gazetteer
from .models import Mention, Place

USER_DIR = Path(os.environ.get("MAPAPP_USER_DIR", REPO_ROOT / ".mapapp-user"))
ACTIONS = ("not_a_place", "place_id", "coordinates")


@dataclass(frozen=True, slots=True)
class Correction:
    surface: str
    action: str
    doc: str | None = None
    place_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise MapappError(f"correction of {self.surface!r}: unknown action {self.action!r}")
        if self.action == "place_id" and not self.place_id:
            raise MapappError(f"correction of {self.surface!r}: choose a place")
        if self.action == "coordinates":
            if self.lat is None or self.lon is None or not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
                raise MapappError(f"correction of {self.surface!r}: coordinates must be lat -90..90 and lon -180..180")

    def key(self) -> tuple[str, str | None]:
        return (self.surface, self.doc)


def corrections_file(user_dir: Path | None = None) -> Path:
    return Path(user_dir or USER_DIR) / "corrections.json"


def load_corrections(path: Path | None = None) -> list[Correction]:
    path = path or corrections_file()
    if not path.exists():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [Correction(**item) for item in raw]
    except (ValueError, TypeError) as error:
        raise MapappError(f"{path}: unreadable corrections file ({error})") from None


def save_correction(correction: Correction, path: Path | None = None) -> list[Correction]:
    """Add or replace the correction for its surface form (and document); write atomically."""
    path = path or corrections_file()
    current = {c.key(): c for c in load_corrections(path)}
    current[correction.key()] = correction
    items = sorted(current.values(), key=lambda c: (c.surface, c.doc or ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps([asdict(c) for c in items], ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return items


def apply_corrections(mentions: list[Mention], corrections: list[Correction], gazetteer: Gazetteer) -> list[Mention]:
    """Mentions with the user's corrections applied (a document-specific one wins over a general one)."""
    if not corrections:
        return mentions
    by_key = {c.key(): c for c in corrections}
    out = []
    for m in mentions:
        c = by_key.get((m.text, m.doc)) or by_key.get((m.text, None))
        if c is None:
            out.append(m)
        elif c.action == "not_a_place":
            continue
        elif c.action == "place_id":
            m.place, m.confidence, m.candidates = gazetteer.place(c.place_id), 1.0, []
            out.append(m)
        else:
            m.place = Place(id=f"user:{c.surface}", name=c.name or c.surface, kind="site", lat=c.lat, lon=c.lon,
                            source="user correction")
            m.confidence, m.candidates = 1.0, []
            out.append(m)
    return out
