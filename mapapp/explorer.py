"""What the explorer app shows, as plain functions tested without Streamlit.

- :class:`ViewState` and :func:`view_from_query` / :func:`view_to_query`: the shareable view in the URL
  (``?years=1941-1945&themes=deportation,front&sources=<doc ids>&place=<name>``), invalid values falling
  back to defaults with a notice;
- :func:`events_per_year`, :func:`events_table`, :func:`disputed_events`, :func:`place_review`,
  :func:`find_place`: the chart, the tables and the search beside the map;
- :func:`ingest_uploads`: the user's own texts, each checked, saved and reported one by one.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .corpus import decode_bytes, load_document
from .dataset import Dataset
from .errors import CorpusError
from .maps import CATALOG_SOURCE, select_events
from .records import THEMES

MIN_YEAR, MAX_YEAR = 1878, 1991
DEFAULT_YEARS = (1937, 1945)
UPLOAD_LIMIT_BYTES = 2 * 1024 * 1024
UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True)
class ViewState:
    years: tuple[int, int] = DEFAULT_YEARS
    themes: tuple[str, ...] = tuple(THEMES)
    sources: tuple[str, ...] | None = None      # None: every source
    place: str | None = None
    basemap: str = "offline"
    uncertain: bool = False                     # also the extracted events the default map leaves out


@dataclass
class ParsedView:
    view: ViewState
    notices: list[str] = field(default_factory=list)


def _first(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return str(value)


NOTICE_CHARS = 200      # how much of a link's value a notice repeats


def _shown(text: str) -> str:
    """A value from a link as a notice repeats it: at most :data:`NOTICE_CHARS` characters (a link can be
    megabytes long). The app shows it through :func:`plain`, never as markup."""
    text = str(text)
    return text if len(text) <= NOTICE_CHARS else text[:NOTICE_CHARS] + "…"


def _known_items(value, known: set[str], what: str, notices: list[str]) -> tuple[str, ...]:
    """The comma-separated items of ``value`` that are ``known``; the others are reported in ``notices``."""
    text = _first(value)
    if not text:
        return ()
    asked = [item.strip() for item in text.split(",") if item.strip()]
    bad = [item for item in asked if item not in known]
    if bad:
        notices.append(f"unknown {what}(s) {_shown(', '.join(bad))} ignored")
    return tuple(dict.fromkeys(item for item in asked if item in known))


def view_from_query(params: dict, *, documents: Iterable[str]) -> ParsedView:
    """The view a URL asks for; every invalid part is replaced by its default and explained."""
    view, notices = ViewState(), []
    years = _first(params.get("years"))
    if years:
        m = re.fullmatch(r"\s*(\d{3,4})\s*(?:-|–)\s*(\d{3,4})\s*|\s*(\d{3,4})\s*", years)
        if m and m.group(3):
            a = b = int(m.group(3))
        elif m:
            a, b = int(m.group(1)), int(m.group(2))
        if m and MIN_YEAR <= a <= b <= MAX_YEAR:
            view = replace(view, years=(a, b))
        else:
            notices.append(f"years {_shown(repr(years))} is not a range within {MIN_YEAR}–{MAX_YEAR}; showing "
                           f"{DEFAULT_YEARS[0]}–{DEFAULT_YEARS[1]}")
    themes = _known_items(params.get("themes"), set(THEMES), "theme", notices)
    if themes:
        view = replace(view, themes=themes)
    sources = _known_items(params.get("sources"), set(documents) | {CATALOG_SOURCE}, "source", notices)
    if sources:
        view = replace(view, sources=sources)
    place = _first(params.get("place"))
    if place:
        view = replace(view, place=place.strip()[:100])
    if _first(params.get("uncertain")) in ("1", "true", "yes"):
        view = replace(view, uncertain=True)
    return ParsedView(view, notices)


def view_to_query(view: ViewState) -> dict[str, str]:
    query = {"years": f"{view.years[0]}-{view.years[1]}"}
    if set(view.themes) != set(THEMES):
        query["themes"] = ",".join(view.themes)
    if view.sources is not None:
        query["sources"] = ",".join(view.sources)
    if view.place:
        query["place"] = view.place
    if view.uncertain:
        query["uncertain"] = "1"
    return query


def view_events(dataset: Dataset, view: ViewState):
    return select_events(dataset, years=view.years, themes=view.themes, sources=view.sources,
                         include_uncertain=view.uncertain)


def events_per_year(events, years: tuple[int, int]) -> pd.DataFrame:
    """Long table (year, theme, events): an event counts in every year it spans, within ``years``."""
    rows = []
    for start, end, theme in zip(events["year_start"], events["year_end"], events["theme"]):
        for year in range(max(int(start), years[0]), min(int(end), years[1]) + 1):
            rows.append((year, theme))
    frame = pd.DataFrame(rows, columns=["year", "theme"])
    if frame.empty:
        return pd.DataFrame(columns=["year", "theme", "events"])
    return frame.groupby(["year", "theme"]).size().reset_index(name="events")


def readable_dates(start: str | None, end: str | None) -> str:
    """``1944-02-23``–``1944-03-09`` → "23 Feb – 9 Mar 1944"; years and months as written."""
    import datetime as dt

    def parts(value):
        bits = str(value or "").split("-")
        try:
            if len(bits) == 3:
                day = dt.date(int(bits[0]), int(bits[1]), int(bits[2]))
                return day.year, f"{day.day} {day.strftime('%b')}"
            if len(bits) == 2:
                return int(bits[0]), dt.date(2000, int(bits[1]), 1).strftime("%b")
            return int(bits[0]), ""
        except ValueError:
            return None, str(value or "")
    (y0, md0), (y1, md1) = parts(start), parts(end)
    if y0 is None or y1 is None:
        return " – ".join(x for x in (str(start or ""), str(end or "")) if x)
    if (y0, md0) == (y1, md1):
        return f"{md0} {y0}".strip()
    if y0 == y1:
        if not (md0 or md1):
            return str(y0)
        return f"{md0 or y0} – {md1} {y1}" if md1 else f"{md0} {y0} – {y1}"
    return f"{md0} {y0} – {md1} {y1}".replace("  ", " ").strip()


def _place_text(places) -> str:
    """Where an event happened, in few words: "Chechnya → Kazakhstan, Kyrgyzstan"; sites listed."""
    places = places or []
    origins = [p["name"] for p in places if p.get("role") == "origin"]
    destinations = [p["name"] for p in places if p.get("role") == "destination"]
    sites = [p["name"] for p in places if p.get("role") in ("site", "waypoint")]

    def few(names):
        names = list(dict.fromkeys(names))
        return ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
    if origins and destinations:
        return f"{few(origins)} → {few(destinations)}"
    return few(sites or origins or destinations)


def _claim_sources(claims, source_names: dict[str, str]) -> str:
    names = []
    for claim in claims or []:
        name = "catalog" if claim.get("provenance") == "curated" else source_names.get(claim.get("doc"), claim.get("doc"))
        if name and name not in names:
            names.append(name)
    return "; ".join(names)


TABLE_COLUMNS = ["title", "dates", "place", "people", "theme", "sources", "disputed", "uncertain", "id", "lat", "lon",
                 "year_start"]


def events_table(events, source_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The events in view, one readable row each: title, dates, place, people (when known), sources,
    and where to centre the map on them. Sorted by date."""
    if not len(events):
        return pd.DataFrame(columns=TABLE_COLUMNS)
    names = source_names or {}
    points = events.geometry.representative_point()
    people = [None if p is None or p != p else f"{int(p):,}" for p in events["people"].tolist()]
    return pd.DataFrame({
        "title": events["title"].tolist(),
        "dates": [readable_dates(a, b) for a, b in zip(events["date_start"], events["date_end"])],
        "place": [_place_text(p) for p in events["places"].tolist()],
        "people": [p or "" for p in people],
        "theme": events["theme"].tolist(),
        "sources": [_claim_sources(c, names) for c in events["claims"].tolist()],
        "disputed": events["disputed"].tolist(),
        # why the default map leaves it out (shown with "Show uncertain events")
        "uncertain": ["; ".join(r) if isinstance(r, list) else "" for r in
                      (events["uncertain"].tolist() if "uncertain" in events else [[]] * len(events))],
        "id": events["id"].tolist(),
        "lat": points.y.round(4).tolist(), "lon": points.x.round(4).tolist(),
        "year_start": events["year_start"].tolist(),
        "_sort": events["date_start"].astype(str).tolist(),
    }).sort_values(["_sort", "title"]).drop(columns="_sort").reset_index(drop=True)


def event_detail(dataset: Dataset, event_id: str) -> dict | None:
    """What the detail view shows of one event: title, a summary line, and every claim (curated first),
    each with the title and kind of its source."""
    rows = dataset.events[dataset.events["id"] == event_id]
    if not len(rows):
        return None
    event = rows.iloc[0]
    people = event["people"]
    count = "" if people is None or people != people else f" · {int(people):,} {event['people_what'] or 'people'}"
    summary = (f"{event['theme']} · {readable_dates(event['date_start'], event['date_end'])} "
               f"(to the {event['start_precision']}) · {_place_text(event['places'])}"
               + count + (" · sources disagree" if event["disputed"] else ""))
    claims = []
    for claim in sorted(event["claims"] or [], key=lambda c: c.get("provenance") != "curated"):
        years = f"{claim.get('year_start')}" + (f"–{claim['year_end']}" if claim.get("year_end") != claim.get("year_start") else "")
        label = "Catalog" if claim.get("provenance") == "curated" else dataset.source_label(claim.get("doc"))
        claims.append({"source": label, "years": years,
                       "text": claim.get("quote") or ", ".join(claim.get("sources") or [])})
    return {"id": event_id, "title": event["title"], "summary": summary, "claims": claims}


def clicked_event_id(popup_text: str | None) -> str | None:
    """The event id in a clicked popup's text (every event popup ends with "id: <id>")."""
    match = re.search(r"\bid: (\S+)", popup_text or "")
    return match.group(1) if match else None


def publish_basemap(static_dir: Path) -> str:
    """Write the offline basemap's payload into the app's static folder (once per content) and return
    its URL relative to the map's frame, so a browser fetches it once instead of with every view."""
    import hashlib

    from .layers import basemap_payload

    payload = basemap_payload().encode("utf-8")
    name = f"mapapp-basemap-{hashlib.sha256(payload).hexdigest()[:12]}.json"
    target = static_dir / name
    if not target.exists():
        static_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
        tmp.write_bytes(payload)
        tmp.replace(target)
    # the map's frame is served from /component/<name>/index.html; static files from /app/static/
    return f"../../app/static/{name}"


def disputed_events(events, sources: dict[str, dict] | None = None, passages: list[dict] | None = None,
                    years: tuple[int, int] | None = None) -> list[dict]:
    """Events whose sources disagree or that fiction contradicts, then passages two texts tell with other
    facts (within ``years``): the reason in words first, then every claim (curated first) with its quote
    and source title (:func:`mapapp.conflicts.dispute_records`)."""
    from .conflicts import dispute_records

    rows = events.drop(columns="geometry").to_dict("records") if len(events) else []
    records = dispute_records(rows, sources or {})
    for record in records:
        record["claims"].sort(key=lambda c: c["kind"] != "catalog")
    for passage in passages or []:
        stated = [y for c in passage["claims"] for y in (c.get("year_start"), c.get("year_end")) if y]
        if years is None or not stated or (min(stated) <= years[1] and max(stated) >= years[0]):
            records.append(passage)
    return records


def place_review(dataset: Dataset) -> pd.DataFrame:
    """How each surface form was resolved, with counts: the table a user corrects places from."""
    mentions = dataset.mentions
    if not len(mentions):
        return pd.DataFrame(columns=["surface", "resolved_to", "kind", "country", "mentions", "confidence", "place_id"])
    frame = pd.DataFrame({"surface": mentions["text"].tolist(), "resolved_to": mentions["name"].tolist(),
                          "kind": mentions["kind"].tolist(), "country": mentions["country"].tolist(),
                          "confidence": mentions["confidence"].tolist(), "place_id": mentions["place_id"].tolist()})
    grouped = frame.groupby(["surface", "resolved_to", "kind", "country", "place_id"], dropna=False).agg(
        mentions=("confidence", "size"), confidence=("confidence", "mean")).reset_index()
    grouped["confidence"] = grouped["confidence"].round(2)
    return grouped.sort_values(["confidence", "mentions"], ascending=[True, False]).reset_index(drop=True)


def find_place(dataset: Dataset, query: str, gazetteer=None):
    """A place to centre on: one the texts name (by name or surface form), else the gazetteer's best."""
    from .gazetteer import default_gazetteer

    q = query.strip().lower()
    if not q:
        return None
    places = dataset.places
    for _, row in places.iterrows():
        if row["name"].lower() == q or q in [s.lower() for s in row.get("surface_forms") or []]:
            return {"name": row["name"], "lat": row.geometry.y, "lon": row.geometry.x, "place_id": row["place_id"]}
    hits = (gazetteer or default_gazetteer()).search(query.strip())
    if hits:
        return {"name": hits[0].name, "lat": hits[0].lat, "lon": hits[0].lon, "place_id": hits[0].id}
    return None


def events_at_place(events, place: dict, *, radius_km: float = 50.0):
    """Events with a place within ``radius_km`` of ``place`` (or the very same gazetteer place)."""
    import math

    def near(places) -> bool:
        for p in places or []:
            if p.get("place_id") and p.get("place_id") == place.get("place_id"):
                return True
            if p.get("lat") is None:
                continue
            dlat = math.radians(p["lat"] - place["lat"])
            dlon = math.radians(p["lon"] - place["lon"]) * math.cos(math.radians(place["lat"]))
            if 6371 * math.hypot(dlat, dlon) <= radius_km:
                return True
        return False
    return events[events["places"].apply(near)]


@dataclass
class UploadResult:
    name: str
    ok: bool
    message: str
    doc: str | None = None        # the saved text's document id


def _reserved_ids() -> set[str]:
    """Ids no upload may take: the built-in texts' and the curated catalog's."""
    from .config import CORPUS_DIR
    from .maps import CATALOG_SOURCE

    return {p.stem for p in CORPUS_DIR.glob("*.txt")} | {CATALOG_SOURCE}


def upload_paths(folder: Path) -> list[Path]:
    """The saved uploads of ``folder`` that are read as documents: its text files, without the hidden
    temporary files of a save in progress (``.upload-*``) or the manifest."""
    from .config import TEXT_SUFFIXES

    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in TEXT_SUFFIXES)


def disk_key(*paths: Path) -> tuple:
    """What is on disk under ``paths`` (name, size, modification time of every file): the key of the
    server-wide dataset cache, so every session and reload sees every saved upload and correction, and
    no tab is served another tab's stale data. Hidden files (a save's temporary file, a lock) are left out."""
    entries = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            files = [path] if path.exists() else []
        for f in files:
            try:
                st = f.stat()
            except OSError:        # removed since it was listed
                continue
            entries.append((str(f), st.st_size, st.st_mtime_ns))
    return tuple(entries)


def app_dataset(corpus_dir: Path, uploads: Path, out_dir: Path, *, use_corrections: bool = True) -> Dataset:
    """The built-in texts and every saved upload, built (incrementally) into ``out_dir`` and loaded.

    Build and load take turns with every other session and process (a lock beside ``out_dir``), and the
    uploads are listed inside it: what is loaded is always the build of what was on disk when it started,
    never an older build that finished in between. ``use_corrections=False`` builds without the user's
    corrections (a file that cannot be read is shown to the user instead)."""
    from filelock import FileLock

    from .dataset import build_dataset, load_dataset

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(out_dir.parent / f".{out_dir.name}.lock")):
        paths = sorted(corpus_dir.glob("*.txt")) + upload_paths(uploads)
        build_dataset(paths, out_dir,
                      corrections_path=None if use_corrections else out_dir.parent / "no-corrections.json")
        return load_dataset(out_dir)


def with_new_sources(current: Iterable[str] | None, options: list[str], added: Iterable[str]) -> list[str]:
    """The Sources filter after an upload: what was chosen (everything when ``current`` is None) and the
    new texts, in the order of ``options`` (a text that is not an option is left out)."""
    keep = set(options if current is None else current) | set(added)
    return [doc for doc in options if doc in keep]


MAX_NAME_BYTES = 150     # a saved upload's stem, in UTF-8 bytes (file systems allow 255 for the whole name)
# what would break a shared link (its sources are comma-separated) or a file system, or hide the file
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f,/\\:*?\"<>|]+")


def _base_name(name: object) -> str:
    """The last part of a file name as a browser (or a hostile client) sent it: no folders of either kind."""
    return re.split(r"[/\\]", str(name))[-1].strip()


def upload_name(name: str, folder: Path, reserved: set[str] | None = None) -> str:
    """The file name an upload is saved under in ``folder``; its stem is the text's document id.

    Characters that would break a shared link or a file system (commas, slashes, control characters, a
    leading dot) become "_", and the stem is cut to :data:`MAX_NAME_BYTES`. An upload of the same name as an
    earlier one replaces it (a re-upload). An id that is taken — a built-in text's or the curated catalog's
    (``reserved``; by default those), or another upload's under another name ("notes.md" beside
    "notes.txt") — gets "-2", "-3"…: no upload ever takes over another text's id, sources and links.
    """
    reserved = _reserved_ids() if reserved is None else reserved
    base = Path(_base_name(name))
    suffix = base.suffix.lower()
    stem = _UNSAFE_NAME.sub("_", base.name[: len(base.name) - len(base.suffix)]).strip().lstrip(".").strip() or "upload"
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    names_by_id: dict[str, set[str]] = {}
    for path in upload_paths(folder):
        names_by_id.setdefault(path.stem, set()).add(path.name)
    candidate, n = stem, 1
    while candidate in reserved or not names_by_id.get(candidate, set()) <= {candidate + suffix}:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate + suffix


def ingest_uploads(files: Iterable[tuple[str, bytes]], folder: Path, *,
                   progress: Callable[[float, str], None] | None = None, kind: str = "unreviewed") -> list[UploadResult]:
    """Check and save uploaded texts into ``folder`` one by one; a bad file is reported, the rest kept.

    Each file must be .txt/.md/.html, at most 2 MB, and decode to non-empty text. It is written to a
    temporary file, read back as a document, and only then moved into place (``os.replace``): a refused
    re-upload leaves the earlier file as it was. It is saved under :func:`upload_name` (the same name
    replaces an earlier upload; an id already taken gets "-2"). Each saved text is listed in the folder's
    ``sources.yaml`` with its title (first heading or file name) and the ``kind`` the user chose
    (``unreviewed`` unless said otherwise). Saves from several sessions take turns (a lock in the folder).
    """
    from filelock import FileLock

    files = list(files)
    folder.mkdir(parents=True, exist_ok=True)
    reserved = None
    results = []
    for i, (name, data) in enumerate(files):
        base = _base_name(name)
        suffix = Path(base).suffix
        shown = (base if len(base) <= 120 else f"{base[:100]}…{suffix[:10]}") or "(no name)"   # in messages
        if progress:
            progress(i / max(1, len(files)), f"reading {shown}")
        try:
            if suffix.lower() not in UPLOAD_SUFFIXES:
                raise CorpusError(shown, f"unsupported file type; upload {', '.join(UPLOAD_SUFFIXES)}")
            if len(data) > UPLOAD_LIMIT_BYTES:
                raise CorpusError(shown, f"is {len(data) / 1e6:.1f} MB, over the {UPLOAD_LIMIT_BYTES // 2**20} MB limit")
            decode_bytes(data, path=shown)
            if reserved is None:
                reserved = _reserved_ids()
            with FileLock(str(folder / ".uploads.lock")):
                _read_manifest(folder)          # a manifest that cannot be updated: refuse before saving
                safe = upload_name(base, folder, reserved)
                target = folder / safe
                fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=target.suffix)
                tmp = Path(tmp_name)
                try:
                    with os.fdopen(fd, "wb") as f:
                        f.write(data)
                    load_document(tmp)          # empty, binary…: refused here, the earlier file untouched
                    os.replace(tmp, target)
                finally:
                    tmp.unlink(missing_ok=True)
                document = load_document(target)
                record_source(folder, document.id, document.title, kind)
            # another id than its name: taken (a built-in text's, another upload's) or unsafe in a link
            renamed = f" (saved as {safe})" if Path(safe).stem != Path(base).stem else ""
            results.append(UploadResult(shown, True, f"{shown}: {len(document.text):,} characters added as "
                                                     f"“{document.title}” ({kind.replace('_', ' ')}){renamed}",
                                        document.id))
        except CorpusError as error:
            results.append(UploadResult(shown, False, str(error).replace(str(folder) + os.sep, "")))
        except OSError as error:                # a full disk, a folder that cannot be written
            results.append(UploadResult(shown, False, f"{shown}: could not be saved ({error.strerror or error})"))
    if progress:
        progress(1.0, "done")
    return results


def _read_manifest(folder: Path) -> list[dict]:
    """The entries of ``folder``'s ``sources.yaml`` (none when there is no file); a file that cannot be read
    is a :class:`CorpusError` naming it."""
    import yaml

    from .sources import MANIFEST_NAME

    path = folder / MANIFEST_NAME
    if not path.exists():
        return []
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CorpusError(path, f"cannot be read as YAML ({error}); repair it or move it aside") from None
    if entries is not None and not isinstance(entries, list):
        raise CorpusError(path, "should hold a list of sources; repair it or move it aside")
    return [e for e in entries or [] if isinstance(e, dict)]


def record_source(folder: Path, doc: str, title: str, kind: str) -> None:
    """List (or update) a text in its folder's ``sources.yaml``, written through a unique temporary file and
    a rename so a crash never leaves half a manifest. Entries of texts no longer in the folder are dropped
    (a build refuses a manifest naming a missing text)."""
    import yaml

    from .sources import KINDS, MANIFEST_NAME

    if kind not in KINDS:
        raise CorpusError(doc, f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    path = folder / MANIFEST_NAME
    present = {p.stem for p in upload_paths(folder)}
    entries = [e for e in _read_manifest(folder) if e.get("doc") != doc and e.get("doc") in present]
    entries.append({"doc": doc, "title": title[:200], "kind": kind})
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{MANIFEST_NAME}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False))
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#!|<>~$:&])")
_LIST_START = re.compile(r"^(?:([-+=])|(\d+)([.)]))")
# where a browser's markdown (GitHub-flavoured, as Streamlit renders it) would still find a link after
# the escapes are read: "http://", "www.", "name@host", ":material/icon:". A word joiner (U+2060,
# invisible) after every ":", before every "@" and after "www" leaves the text as it reads and links nowhere.
WORD_JOINER = "\u2060"
_LINK_MARKS = re.compile(r"(?<=:)|(?=@)|(?i:(?<=www)(?=\.))")


def plain(text: object) -> str:
    """Text from a link, a file or a document made safe for Streamlit's markdown elements (warnings,
    captions, expander labels, subheaders, a progress bar's text): markdown and HTML characters escaped
    (a leading list or heading mark too), and an invisible word joiner where GitHub-flavoured markdown
    would still make a bare address a link (after ":", before "@", in "www."), so ``![i](http://…)`` and
    ``see www.evil.example`` show as those characters, fetch nothing and link nowhere. One line: line
    breaks would start new blocks."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))
    escaped = _LIST_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", escaped)
    return _LINK_MARKS.sub(WORD_JOINER, escaped)

