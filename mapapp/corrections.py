"""User corrections of place resolution, saved atomically and applied on the next build.

A correction is keyed by the surface form as written in a text ("Kirov", "Georgia"), optionally for one
document only, and says one of: ``not_a_place``; use gazetteer place ``place_id``; or put it at
``lat``/``lon`` (with a ``name``). They live in one JSON file (default ``.mapapp-user/corrections.json``,
``MAPAPP_USER_DIR`` to move it). A save takes a lock on the file (``filelock``), reads it, adds the
correction and writes it through a unique temporary file and a rename: any number of concurrent saves, from
threads or processes, each kept, and a crash never leaves a half-written file.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from filelock import FileLock

from .config import REPO_ROOT
from .errors import CorrectionsError, MapappError
from .gazetteer import Gazetteer
from .models import Mention, Place

USER_DIR = Path(os.environ.get("MAPAPP_USER_DIR", REPO_ROOT / ".mapapp-user"))
ACTIONS = ("not_a_place", "place_id", "coordinates")
LOCK_TIMEOUT_S = 120     # a save waits its turn this long (others hold the lock for milliseconds)


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
    """The saved corrections; a file that cannot be read or parsed is a :class:`CorrectionsError` naming
    it and the problem (the caller shows it and offers a reset; nothing is overwritten)."""
    path = path or corrections_file()
    if not path.exists():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CorrectionsError(path, f"cannot be read ({error.strerror or error})") from None
    except ValueError as error:
        raise CorrectionsError(path, f"is not valid JSON ({error}); repair it or reset it") from None
    if not isinstance(raw, list):
        raise CorrectionsError(path, "should hold a list of corrections")
    out = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise CorrectionsError(path, f"correction {number} is not an object")
        try:
            out.append(Correction(**item))
        except TypeError as error:
            raise CorrectionsError(path, f"correction {number}: {error}") from None
        except MapappError as error:
            raise CorrectionsError(path, f"correction {number}: {error}") from None
    return out


def save_correction(correction: Correction, path: Path | None = None) -> list[Correction]:
    """Add or replace the correction for its surface form (and document), under a lock; write atomically."""
    path = path or corrections_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S):
        current = {c.key(): c for c in load_corrections(path)}
        current[correction.key()] = correction
        items = sorted(current.values(), key=lambda c: (c.surface, c.doc or ""))
        _write_atomically(path, json.dumps([asdict(c) for c in items], ensure_ascii=False, indent=1))
    return items


def reset_corrections(path: Path | None = None) -> Path | None:
    """Move a (bad) corrections file aside as ``corrections.json.bad-<n>`` and start afresh; returns the
    backup's path (None when there was no file). Nothing is deleted."""
    path = path or corrections_file()
    with FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S):
        if not path.exists():
            return None
        n = 1
        while path.with_name(f"{path.name}.bad-{n}").exists():
            n += 1
        backup = path.with_name(f"{path.name}.bad-{n}")
        os.replace(path, backup)
        return backup


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stale_corrections(corrections: list[Correction], gazetteer: Gazetteer) -> list[str]:
    """Why each correction that names a place the gazetteer no longer has cannot apply (it is skipped)."""
    known = set(gazetteer.columns["id"])
    return [f"correction of {c.surface!r} names place id {c.place_id!r}, which the gazetteer does not have; "
            "it is skipped" for c in corrections if c.action == "place_id" and c.place_id not in known]


def apply_corrections(mentions: list[Mention], corrections: list[Correction], gazetteer: Gazetteer) -> list[Mention]:
    """Mentions with the user's corrections applied (a document-specific one wins over a general one).
    A correction naming a place id the gazetteer lacks is skipped (see :func:`stale_corrections`)."""
    if not corrections:
        return mentions
    known = set(gazetteer.columns["id"])
    by_key = {c.key(): c for c in corrections if c.action != "place_id" or c.place_id in known}
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
