"""Building the dataset the maps and the app read: places, mentions and events with geometries.

``build_dataset(paths, out_dir)`` geoparses and extracts each document, joins the extracted events
to the curated catalog and writes, in ``out_dir``:

- ``places.parquet`` / ``places.geojson``: one point per resolved place, with mention counts;
- ``mentions.parquet`` / ``mentions.geojson``: one point per place mention (doc, offsets, text);
- ``events.parquet`` / ``events.geojson``: curated and extracted events, each with its claims and a
  derived geometry (point(s) for sites, a line origin → destination for movements, a line through
  the waypoints for a front line);
- ``manifest.json``: what was built from what.

All geometries are EPSG:4326. Per-document results are cached in ``out_dir/.cache`` keyed by the
document's text and the code and data that process it, so a rebuild only redoes changed documents.
The per-document work can run on a Dask cluster (``workers``/``scheduler``; :mod:`mapapp.distributed`);
mentions are written as results arrive, and builds into one folder take turns and never mix their files.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .corpus import CorpusError, iter_documents
from .sources import source_for
from .models import Document, Mention

if TYPE_CHECKING:
    # geopandas is imported only when a dataset is read or written; the catalog, the gazetteer and the
    # extractors (YAML, pydantic, a 79 MB index) only when something has to be (re)built
    import geopandas as gpd

    from .catalog import CatalogIndex
    from .conflicts import PassageIndex
    from .events import ExtractedEvent
    from .gazetteer import Gazetteer
    from .joins import JoinResult
    from .records import Event

ATTRIBUTION = "Places: GeoNames (CC BY 4.0), Natural Earth (public domain); events: mapapp catalog and the source texts"
_CODE_FILES = ("toponyms.py", "events.py", "dates.py", "gazetteer.py", "lexicon.py", "records.py")


def _code_key(gazetteer: Gazetteer) -> str:
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    for name in _CODE_FILES:
        digest.update((here / name).read_bytes())
    digest.update(str(len(gazetteer)).encode())
    return digest.hexdigest()[:16]


@dataclass(slots=True)
class DocumentResult:
    doc: str
    mentions: list[dict]
    events: list[ExtractedEvent]
    # the spans of the sentences the passage comparison reads (mapapp.conflicts.passage_spans), found with
    # the rest of the per-document work so that the client only looks them up
    sentences: list[tuple[int, int, int, int]] = field(default_factory=list)
    # their keys in the passage index (mapapp.conflicts.passage_keys); empty when they are to be made here
    keys: bytes = b""
    # the mentions as the build writes and counts them (GeoJSON text, an Arrow batch, place tallies), made
    # on the worker; None when they are to be made here (a result read from the cache)
    part: MentionsPart | None = None


@dataclass(slots=True)
class BuildReport:
    out_dir: Path
    documents: int = 0
    reprocessed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    places: int = 0
    mentions: int = 0
    events: int = 0
    disputed: int = 0
    seconds: float = 0.0
    failed: list[str] = field(default_factory=list)       # documents whose processing failed (also in skipped)
    worker_peak_rss: dict[str, int] = field(default_factory=dict)   # Dask worker → its peak RSS in bytes
    worker_cpu: dict[str, float] = field(default_factory=dict)      # Dask worker → its CPU seconds in the build
    phases: dict[str, float] = field(default_factory=dict)   # seconds: load, documents, join, tables(, shutdown)
    # CPU seconds of the build's own process in each phase, all its threads (with Dask, the scheduler's
    # too: a local cluster's scheduler runs in this process); "load" includes listing the texts
    cpu: dict[str, float] = field(default_factory=dict)
    cpu_start: float = field(default_factory=time.process_time, repr=False)


def _event_to_cache(x: ExtractedEvent) -> dict:
    return {"doc": x.doc, "start": x.start, "end": x.end, "quote": x.quote, "theme": x.theme,
            "first": x.first.iso(), "last": x.last.iso(), "places": [p.model_dump() for p in x.places],
            "people": x.people, "actors": x.actors, "date_text": x.date_text, "inherited_date": x.inherited_date,
            "date_spans": x.date_spans, "heading": x.heading, "date_from_heading": x.date_from_heading, "theme_stated": x.theme_stated,
            "record_choice": x.record_choice}


def _event_from_cache(d: dict) -> ExtractedEvent:
    from .events import ExtractedEvent
    from .records import EventPlace, HistDate

    return ExtractedEvent(doc=d["doc"], start=d["start"], end=d["end"], quote=d["quote"], theme=d["theme"],
                          first=HistDate.parse(d["first"]), last=HistDate.parse(d["last"]),
                          places=[EventPlace(**p) for p in d["places"]], people=d["people"], actors=d["actors"],
                          date_text=d["date_text"], inherited_date=d["inherited_date"],
                          date_spans=[tuple(span) for span in d.get("date_spans", [])],
                          heading=d.get("heading", False), date_from_heading=d.get("date_from_heading", False),
                          theme_stated=d.get("theme_stated", True),
                          record_choice=tuple(d["record_choice"]) if d.get("record_choice") else None)


def _mention_record(m: Mention) -> dict:
    return {**m.to_record(), "place_id": m.place.id, "country": m.place.country}


def process_document(document: Document, gazetteer: Gazetteer, known: CatalogIndex | None = None,
                     corrections: list | None = None) -> DocumentResult:
    from .corrections import apply_corrections
    from .events import extract_events, split_sentences
    from .toponyms import geoparse

    mentions = apply_corrections(geoparse(document, gazetteer=gazetteer), corrections or [], gazetteer)
    sentences = split_sentences(document.text)      # read by the extraction and by the passage comparison
    events = extract_events(document, mentions=mentions, gazetteer=gazetteer, known=known, sentences=sentences)
    if known is not None:
        from .joins import choose_record

        # which curated record each sentence is about depends on the sentence and the catalog alone: chosen
        # here, in parallel on a cluster, rather than in the join that follows every document
        for x in events:
            record, name = choose_record(x, known)
            x.record_choice = (record.id if record else None, name)
    from .conflicts import passage_keys, passage_spans

    records = [_mention_record(m) for m in mentions]
    spans = passage_spans(document.text, sentences)
    return DocumentResult(document.id, records, events, spans, keys=passage_keys(document.text, spans),
                          part=mentions_part(records))


def _cache_key(code_key: str, document: DocumentRef) -> str:
    return hashlib.sha256((code_key + document.digest).encode()).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A document of a build without its text, which is read again when its turn comes: a build holds the
    texts of a few documents at a time, never the corpus. ``digest`` (SHA-256 of the text) keys its cache
    entry, and a text that changed since the build listed it is reported, not mixed in."""

    id: str
    source: str
    characters: int
    digest: str

    @classmethod
    def of(cls, document: Document) -> DocumentRef:
        return cls(document.id, document.source, len(document.text), _text_digest(document.text))

    def load(self) -> Document:
        from dataclasses import replace

        from .corpus import load_document

        document = load_document(self.source)
        if _text_digest(document.text) != self.digest:
            raise CorpusError(self.source, "changed while the build was reading it; build again")
        return document if document.id == self.id else replace(document, id=self.id)


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _cache_text(key: str, result: DocumentResult) -> str:
    # "key" first: whether an entry is current is read from its first bytes (see _cache_is_current)
    return json.dumps({"key": key, "mentions": result.mentions, "events": [_event_to_cache(e) for e in result.events],
                       "sentences": result.sentences}, ensure_ascii=False)


def process_for_cache(document: Document, gazetteer: Gazetteer, known: CatalogIndex | None, corrections: list,
                      key: str) -> tuple[DocumentResult, str]:
    """:func:`process_document` and the text of its cache entry: the per-document work of a build, the same
    in this process and on a Dask worker (which so also does the serialising)."""
    result = process_document(document, gazetteer, known, corrections)
    text = _cache_text(key, result)
    result.mentions = []     # they are in the cache text and in ``part``: not sent a third time
    return result, text


def _cache_is_current(cache_file: Path, key: str) -> bool:
    """Whether the cache entry was written for ``key``, from its first bytes (without reading the entry)."""
    head = f'{{"key": "{key}"'.encode()
    try:
        with cache_file.open("rb") as f:
            return f.read(len(head)) == head
    except OSError:
        return False


def _read_cache(cache_file: Path, key: str, doc: str) -> DocumentResult | None:
    try:
        cached = json.loads(cache_file.read_text(encoding="utf-8"))
        if cached["key"] == key:
            return DocumentResult(doc, cached["mentions"], [_event_from_cache(e) for e in cached["events"]],
                                  [tuple(span) for span in cached["sentences"]])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # unreadable cache entry: process again
    return None


def _write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file of this process's own and a rename: concurrent writers never mix."""
    tmp = _tmp_path(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _tmp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")


# --- tables -----------------------------------------------------------------------------------

def event_properties(event: Event) -> dict:
    """The properties an event feature carries in GeoJSON exports (lists kept as lists)."""
    # an event's number is its own sourced figure (a curated record's, or the one sentence of an
    # extracted event), never one borrowed from a claim: claims keep their numbers beside it
    people = event.people[0] if event.people else None
    people_count, people_what = (people.count, people.what) if people else (None, None)
    sources = [{"doc": c.doc, "quote": c.quote, "start": c.start, "end": c.end}
               for c in event.claims if c.provenance == "extracted"]
    sources += [{"doc": s.doc, "quote": s.quote, "url": s.url} for s in event.sources]
    return {
        "id": event.id, "title": event.title, "theme": event.theme, "kind": event.kind,
        "date_start": event.start.iso(), "date_end": event.end.iso(),
        "start_precision": event.start.precision, "end_precision": event.end.precision,
        "year_start": event.year_start, "year_end": event.year_end,
        "date": event.start.iso() if event.kind == "front_line" else None,
        "people": people_count, "people_what": people_what, "actors": event.actors,
        "disputed": event.disputed, "provenance": event.provenance, "confidence": event.confidence,
        "reasons": event.reasons, "contrasts": event.contrasts, "uncertain": event.uncertain,
        "alternate": event.alternate, "sources": sources,
        "places": [{"name": p.name, "role": p.role, "lat": p.lat, "lon": p.lon, "place_id": p.place_id,
                    "kind": p.kind, "stated": p.stated} for p in event.places],
        "claims": [{"provenance": c.provenance, "doc": c.doc, "quote": c.quote, "year_start": c.year_start,
                    "year_end": c.year_end, "places": [p.name for p in c.places], "people": c.people,
                    "fiction": c.fiction, "start": c.start, "end": c.end,
                    "points": [[round(p.lat, 3), round(p.lon, 3)] for p in c.places if p.lat is not None],
                    "sources": [s.url or s.doc for s in c.sources]} for c in event.claims],
        "documents": sorted({c.doc for c in event.claims if c.doc}),
    }


def _feature(properties: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _point(lat: float, lon: float) -> dict:
    return {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}


def write_geojson(path: Path, features: list[dict]) -> None:
    collection = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
    _write_atomic(path, json.dumps(collection, ensure_ascii=False))


def write_geoparquet(path: Path, features: list[dict]) -> None:
    """GeoParquet via geopandas; list and dict properties are stored as JSON text."""
    import geopandas as gpd
    from shapely.geometry import shape

    rows, geometries = [], []
    for f in features:
        rows.append({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                     for k, v in f["properties"].items()})
        geometries.append(shape(f["geometry"]) if f["geometry"] else None)
    frame = gpd.GeoDataFrame(rows, geometry=geometries, crs="EPSG:4326")
    tmp = _tmp_path(path)
    try:
        frame.to_parquet(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# A mention's properties (see _mention_record) and their Parquet types; lat/lon are its geometry.
_MENTION_COLUMNS = (("doc", "string"), ("start", "int64"), ("end", "int64"), ("text", "string"), ("name", "string"),
                    ("kind", "string"), ("geonameid", "int64"), ("confidence", "float64"), ("place_id", "string"),
                    ("country", "string"))
PARQUET_BATCH_ROWS = 50_000   # mentions held before they are written as one row group


def mention_features(mentions: list[dict]) -> str:
    """Mentions as GeoJSON features separated by ", " (a part of a FeatureCollection's feature list)."""
    return ", ".join(json.dumps(_feature({k: v for k, v in m.items() if k not in ("lat", "lon")},
                                         _point(m["lat"], m["lon"])), ensure_ascii=False) for m in mentions)


@dataclass(slots=True)
class MentionsPart:
    """One document's mentions in the forms the build writes and counts: their GeoJSON features (text),
    an Arrow record batch of the GeoParquet's columns with its bounding box, and the places' tallies.
    Made with the per-document work (on a worker), so the client only appends and adds."""

    count: int
    features: str
    batch: object            # pyarrow.RecordBatch
    bbox: tuple[float, float, float, float] | None
    tally: dict[str, dict]


def _mention_schema():
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in _MENTION_COLUMNS] + [("geometry", pa.binary())])


def mentions_part(mentions: list[dict]) -> MentionsPart:
    import pyarrow as pa
    import shapely

    schema = _mention_schema()
    lon = [round(m["lon"], 5) for m in mentions]
    lat = [round(m["lat"], 5) for m in mentions]
    columns = [pa.array([m.get(name) for m in mentions], type=f.type)
               for name, f in zip((n for n, _ in _MENTION_COLUMNS), schema)]
    columns.append(pa.array(shapely.to_wkb(shapely.points(lon, lat)) if mentions else [], type=pa.binary()))
    bbox = (min(lon), min(lat), max(lon), max(lat)) if mentions else None
    tally: dict[str, dict] = {}
    _tally_places(tally, mentions)
    return MentionsPart(len(mentions), mention_features(mentions), pa.record_batch(columns, schema=schema), bbox, tally)


class MentionsWriter:
    """``mentions.geojson`` and ``mentions.parquet`` written as documents' results arrive, in their order:
    the GeoJSON document by document (the same bytes :func:`write_geojson` writes for the whole list), the
    GeoParquet in row groups of :data:`PARQUET_BATCH_ROWS` made of the documents' Arrow batches. At most one
    row group is held in memory."""

    def __init__(self, folder: Path) -> None:
        import pyarrow.parquet as pq

        self.count = 0
        self._batches: list = []
        self._pending = 0
        self._bbox = [float("inf"), float("inf"), float("-inf"), float("-inf")]
        self._schema = _mention_schema()
        self._geojson = (folder / "mentions.geojson").open("w", encoding="utf-8")
        self._geojson.write('{"type": "FeatureCollection", "attribution": '
                            + json.dumps(ATTRIBUTION, ensure_ascii=False) + ', "features": [')
        self._parquet = pq.ParquetWriter(folder / "mentions.parquet", self._schema)

    def add(self, part: MentionsPart) -> None:
        """One document's mentions (:func:`mentions_part`)."""
        if not part.count:
            return
        self._geojson.write((", " if self.count else "") + part.features)
        self.count += part.count
        self._bbox = [min(self._bbox[0], part.bbox[0]), min(self._bbox[1], part.bbox[1]),
                      max(self._bbox[2], part.bbox[2]), max(self._bbox[3], part.bbox[3])]
        self._batches.append(part.batch)
        self._pending += part.count
        if self._pending >= PARQUET_BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """The documents' batches held so far, as one row group."""
        if not self._batches:
            return
        import pyarrow as pa

        table = pa.Table.from_batches(self._batches, schema=self._schema).combine_chunks()
        self._batches, self._pending = [], 0
        self._parquet.write_table(table, row_group_size=table.num_rows)

    def close(self) -> None:
        """Finish both files: the GeoJSON's closing brackets, the GeoParquet's ``geo`` metadata (CRS, bbox)."""
        from pyproj import CRS

        self._flush()
        self._geojson.write("]}")
        self._geojson.close()
        column = {"encoding": "WKB", "crs": CRS.from_epsg(4326).to_json_dict(),
                  "geometry_types": ["Point"] if self.count else []}
        if self.count:
            column["bbox"] = self._bbox
        self._parquet.add_key_value_metadata({"geo": json.dumps(
            {"primary_column": "geometry", "version": "1.0.0", "columns": {"geometry": column},
             "creator": {"library": "mapapp", "version": __version__}})})
        self._parquet.close()

    def abort(self) -> None:
        self._geojson.close()
        self._parquet.close()


def _merge_tallies(by_place: dict[str, dict], tally: dict[str, dict]) -> None:
    """Add one document's place tallies (:func:`_tally_places`) to the corpus's, in document order."""
    for place_id, t in tally.items():
        p = by_place.get(place_id)
        if p is None:
            by_place[place_id] = t
        else:
            p["mentions"] += t["mentions"]
            p["documents"] |= t["documents"]
            p["surface_forms"] |= t["surface_forms"]


def _tally_places(by_place: dict[str, dict], mentions: list[dict]) -> None:
    for m in mentions:
        p = by_place.get(m["place_id"])
        if p is None:
            p = by_place[m["place_id"]] = {"place_id": m["place_id"], "name": m["name"], "kind": m["kind"],
                                           "country": m["country"], "geonameid": m["geonameid"], "mentions": 0,
                                           "documents": set(), "surface_forms": set(), "lat": m["lat"], "lon": m["lon"]}
        p["mentions"] += 1
        p["documents"].add(m["doc"])
        p["surface_forms"].add(m["text"])


_OUTPUTS = ("places.geojson", "places.parquet", "mentions.geojson", "mentions.parquet", "events.geojson",
            "events.parquet", "manifest.json")   # moved into place in this order: the manifest last
_INPUTS_STAMP = "inputs.key"
LOCK_NAME = ".build.lock"
_STAGING_PREFIX = ".tmp-"
_NOT_BUILD_CODE = frozenset({"cli.py", "export.py", "maps.py", "layers.py", "controls.py", "explorer.py",
                             "browser.py", "assets.py", "borders.py"})


def _inputs_key(documents: list[DocumentRef], catalog: list[Event] | None, corrections_path: Path | None) -> str:
    """A digest of everything a build with the shipped gazetteer reads.

    When it matches the one stored with the outputs, the outputs are current and the build can stop before
    loading the gazetteer (a 79 MB index) and parsing the catalog's YAML, which together take over a second.
    """
    from .config import CORPUS_DIR, GEODATA_DIR
    from .corrections import corrections_file
    from .diskcache import cache_key
    from .sources import MANIFEST_NAME

    digest = hashlib.sha256(__version__.encode())
    # The package's code, except the modules that only draw, export or serve what a build wrote. A module
    # not listed there counts, so new code is covered; a needless rebuild only costs time.
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        if path.name not in _NOT_BUILD_CODE:
            digest.update(path.read_bytes())
    # the gazetteer (megabytes) and the lexicon are keyed as their own caches are: name, size, mtime
    indexed = sorted((GEODATA_DIR / "gazetteer").glob("*")) + sorted((GEODATA_DIR / "lexicon").glob("*"))
    digest.update(cache_key(indexed, 0).encode())
    if catalog is None:
        # load_catalog() reads the YAML records and checks their quotes against the built-in corpus
        for path in sorted((GEODATA_DIR / "events").glob("*.yaml")) + sorted(CORPUS_DIR.glob("*.txt")):
            digest.update(f"{path.name}\0".encode() + path.read_bytes())
    else:
        digest.update("".join(e.model_dump_json() for e in catalog).encode())
    corrections = corrections_path if corrections_path is not None else corrections_file()
    digest.update(corrections.read_bytes() if corrections.is_file() else b"\0no corrections")
    for document in documents:
        digest.update(f"\0{document.id}\0{document.source}\0{document.characters}\0{document.digest}".encode())
    # titles and kinds of the documents come from a sources manifest beside them
    for folder in sorted({Path(d.source).parent for d in documents}):
        manifest = folder / MANIFEST_NAME
        digest.update(manifest.read_bytes() if manifest.is_file() else b"\0no manifest")
    return digest.hexdigest()


def _current_counts(out_dir: Path, key: str) -> dict | None:
    """The manifest's counts when the outputs in ``out_dir`` were built from inputs with digest ``key``."""
    try:
        if (out_dir / ".cache" / _INPUTS_STAMP).read_text(encoding="utf-8") != key:
            return None
        if not all((out_dir / name).is_file() for name in _OUTPUTS):
            return None
        return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["counts"]
    except (OSError, ValueError, KeyError, TypeError):
        return None



def build_dataset(paths: Iterable[str | Path] | None, out_dir: str | Path, *, catalog: list[Event] | None = None,
                  gazetteer: Gazetteer | None = None, on_error=None, corrections_path: Path | None = None,
                  workers: int = 1, scheduler: str | None = None,
                  progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """Build (or update) the dataset for the texts under ``paths`` (default: the built-in corpus).

    User corrections (``mapapp.corrections``; default file, or ``corrections_path``) are applied to the
    place mentions; a changed correction redoes every document. When nothing a build reads has changed
    since the last build into ``out_dir`` (see :func:`_inputs_key`), the outputs are left as they are.

    ``workers`` > 1 runs the per-document work (geoparsing, event extraction) on a local Dask cluster of that
    many processes; ``scheduler`` (an address, ``tcp://host:8786``) on an existing Dask cluster (see
    :mod:`mapapp.distributed`). The outputs are the same as a serial build's, record for record.
    ``progress(done, total)`` is called after each document.

    Mentions are written as each document's result arrives (:class:`MentionsWriter`); only the places'
    tallies and the extracted events, which the catalog join needs, are held for the whole corpus. Builds
    into one folder take turns (a lock on ``out_dir/.build.lock``); each writes its files into a folder of
    its own and moves them in with ``os.replace``, the manifest last: the folder always holds the outputs of
    one build. A document whose processing fails goes to ``on_error`` (as a
    :class:`~mapapp.errors.CorpusError`) like an unreadable file, and the rest are built.
    """
    from .config import CORPUS_DIR

    if workers < 1:
        raise ValueError(f"workers must be at least 1 (got {workers})")
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    cache_dir = out_dir / ".cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    report = BuildReport(out_dir=out_dir)

    def skip(error: CorpusError) -> None:
        report.skipped.append(str(error))
        if on_error:
            on_error(error)

    # one pass to list the documents and digest their texts, keeping no text (see DocumentRef)
    documents = [DocumentRef.of(d) for d in iter_documents(paths or sorted(CORPUS_DIR.glob("*.txt")), on_error=skip)]
    report.documents = len(documents)
    # a caller's own gazetteer has no cheap digest: such builds always go through the per-document cache
    key = _inputs_key(documents, catalog, corrections_path) if gazetteer is None else None
    if _up_to_date(out_dir, key, report, t0):
        return report
    from filelock import FileLock

    # builds into one folder take turns; the one that waited finds the outputs current if its inputs are the same
    with FileLock(str(out_dir / LOCK_NAME)):
        if _up_to_date(out_dir, key, report, t0):
            return report
        _build_locked(documents, out_dir, key, report, skip, catalog=catalog, gazetteer=gazetteer,
                      corrections_path=corrections_path, workers=workers, scheduler=scheduler, progress=progress)
    report.seconds = time.perf_counter() - t0
    return report


def _up_to_date(out_dir: Path, key: str | None, report: BuildReport, t0: float) -> bool:
    counts = _current_counts(out_dir, key) if key else None
    if counts is None:
        return False
    report.places, report.mentions = counts["places"], counts["mentions"]
    report.events, report.disputed = counts["events"], counts["disputed"]
    report.seconds = time.perf_counter() - t0
    return True


def _build_locked(documents: list[DocumentRef], out_dir: Path, key: str | None, report: BuildReport, skip, *,
                  catalog: list[Event] | None, gazetteer: Gazetteer | None, corrections_path: Path | None,
                  workers: int, scheduler: str | None, progress: Callable[[int, int], None] | None) -> None:
    import shutil
    from contextlib import ExitStack

    from .catalog import CatalogIndex, load_catalog
    from .corrections import load_corrections
    from .errors import MapappError
    from .gazetteer import default_gazetteer
    from .joins import join_events

    cache_dir = out_dir / ".cache"
    stamp = cache_dir / _INPUTS_STAMP
    stamp.unlink(missing_ok=True)  # the outputs are about to change: never leave a stamp that vouches for them
    for left in out_dir.glob(_STAGING_PREFIX + "*"):  # of a build that was killed (none writes now: we hold the lock)
        shutil.rmtree(left, ignore_errors=True)
    on_dask = workers > 1 or scheduler is not None
    if on_dask and gazetteer is not None:
        raise MapappError("a build on Dask workers uses the shipped gazetteer, which each worker loads itself; "
                          "build with a gazetteer of your own serially (workers=1)")
    staging = out_dir / f"{_STAGING_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
    staging.mkdir()
    try:
        with ExitStack() as stack:
            runner = None
            if on_dask:
                from .distributed import DaskRunner

                # the cluster starts (and its workers load the gazetteer) while this process loads its own
                runner = stack.enter_context(DaskRunner(workers=workers, scheduler=scheduler))
            clock = time.perf_counter()
            gazetteer = gazetteer or default_gazetteer()
            catalog = catalog if catalog is not None else load_catalog(gazetteer=gazetteer)
            # the catalog's names steer extraction, so a changed catalog redoes every document
            corrections = load_corrections(corrections_path) if corrections_path is not None else load_corrections()
            code_key = _code_key(gazetteer) + hashlib.sha256(
                ("".join(e.model_dump_json() for e in catalog) + repr(corrections)).encode()).hexdigest()[:8]
            known = CatalogIndex(catalog)
            keys = [_cache_key(code_key, d) for d in documents]
            current = [_cache_is_current(cache_dir / f"{d.id}.json", k) for d, k in zip(documents, keys)]
            todo = ((d, k) for d, k, c in zip(documents, keys, current) if not c)   # read as they are sent
            clock = _phase(report, "load", clock)
            if runner is not None and not all(current):
                computed = runner.map(todo, catalog=catalog, corrections=corrections, code_key=code_key[:16],
                                      total=current.count(False))
            else:
                computed = _process_serially(todo, gazetteer, known, corrections)
            mentions, by_place, extracted, built, passages = _stream_results(
                staging, documents, keys, current, computed, cache_dir, report, skip, progress,
                redo=lambda d, k: _process_one(d, k, gazetteer, known, corrections))
            clock = _phase(report, "documents", clock)
            from .maps import area_sizes

            fiction = {doc for doc, entry in built.items() if entry["kind"] == "fiction"}
            # the passage comparison reads the sentences alone: on a worker, while this process joins
            candidates = _compare_passages_on(runner, passages, fiction, staging) if runner is not None else None
            joined = join_events(extracted, catalog, fiction_docs=fiction, area_km2=area_sizes())
            clock = _phase(report, "join", clock)
            counts = _write_tables(staging, by_place, joined, built, passages, mentions, candidates)
            for name in _OUTPUTS:
                os.replace(staging / name, out_dir / name)
            clock = _phase(report, "tables", clock)
            if runner is not None:
                for address, (rss, cpu) in runner.usage().items():
                    report.worker_peak_rss[address] = rss
                    if cpu is not None:
                        report.worker_cpu[address] = cpu
        if runner is not None:
            _phase(report, "shutdown", clock)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if key and not report.failed:   # a document that failed is tried again by the next build
        _write_atomic(stamp, key)
    report.documents = len(built)
    report.mentions, report.events = counts["mentions"], counts["events"]
    report.places, report.disputed = counts["places"], counts["disputed"]


def _phase(report: BuildReport, name: str, since: float) -> float:
    now = time.perf_counter()
    report.phases[name] = now - since
    report.cpu[name] = time.process_time() - report.cpu_start - sum(report.cpu.values())
    return now


def _stream_results(staging: Path, documents: list[DocumentRef], keys: list[str], current: list[bool],
                    computed: Iterator, cache_dir: Path, report: BuildReport, skip, progress, redo):
    """Each document's result in document order, from its cache entry or from ``computed`` (the results
    of the documents not current, in their order: each with its document, read once), written to the
    mentions files as it comes.
    Returns the number of mentions, the places' tallies, the extracted events, the manifest entries of the
    documents built (by id) and their sentences for the passage comparison; no document's text is kept."""
    from .conflicts import PassageIndex

    writer = MentionsWriter(staging)
    by_place: dict[str, dict] = {}
    extracted: list[ExtractedEvent] = []
    built: dict[str, dict] = {}
    passages = PassageIndex()
    quotes: dict[str, str] = {}
    shared: dict = {}
    try:
        for done, (ref, doc_key, is_current) in enumerate(zip(documents, keys, current), 1):
            cache_file = cache_dir / f"{ref.id}.json"
            result = document = None
            if is_current:
                try:
                    document = ref.load()
                    result = _read_cache(cache_file, doc_key, ref.id)
                except CorpusError as error:
                    outcome = error
            if result is None:
                if not is_current:
                    document, outcome = next(computed)
                elif document is not None:
                    outcome = redo(document, doc_key)    # an entry that looked current but does not read
                if isinstance(outcome, CorpusError):
                    skip(outcome)
                    report.failed.append(ref.id)
                elif isinstance(outcome, BaseException):
                    skip(CorpusError(ref.source, f"could not be processed ({type(outcome).__name__}: {outcome})"))
                    report.failed.append(ref.id)
                else:
                    result, text = outcome
                    report.reprocessed.append(ref.id)
                    _write_atomic(cache_file, text)
            if result is not None:
                part = result.part or mentions_part(result.mentions)    # made here for a cached result
                writer.add(part)
                _merge_tallies(by_place, part.tally)
                _share_values(result.events, quotes, shared)
                extracted.extend(result.events)
                built[ref.id] = {**source_for(document).as_dict(), "source": ref.source, "characters": ref.characters}
                passages.add(document, result.sentences, result.keys or None)
            if progress:
                progress(done, len(documents))
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return writer.count, by_place, extracted, built, passages


def _share_values(events: list[ExtractedEvent], quotes: dict[str, str], shared: dict) -> None:
    """Hold equal values of the events of a corpus once: the words of a sentence reprinted in many texts,
    and the dates and places of many events (Moscow as a site, 1941). The build keeps every extracted event
    until the join, and a place (a pydantic model) costs 1.8 KB, a date 0.7 KB: on 200 MB of text this
    halves the build's memory for them. Nothing after extraction changes an event's places or dates (dates
    are frozen; places are read, and copied where an event is made of them)."""
    from .records import EventPlace

    for x in events:
        x.quote = quotes.setdefault(x.quote, x.quote)
        x.first = shared.setdefault(x.first, x.first)
        x.last = shared.setdefault(x.last, x.last)
        x.places = [shared.setdefault((EventPlace, *p.__dict__.values()), p) for p in x.places]


def _process_serially(todo: Iterable[tuple[DocumentRef, str]], gazetteer: Gazetteer, known: CatalogIndex,
                      corrections: list) -> Iterator[tuple[Document | None, tuple[DocumentResult, str] | BaseException]]:
    """Each document read and processed in turn: ``(document, (result, cache text))``, or its error."""
    for ref, key in todo:
        try:
            document = ref.load()
        except CorpusError as error:
            yield None, error
            continue
        yield document, _process_one(document, key, gazetteer, known, corrections)


def _process_one(document: Document, key: str, gazetteer: Gazetteer, known: CatalogIndex, corrections: list):
    try:
        return process_for_cache(document, gazetteer, known, corrections, key)
    except Exception as error:   # one document's failure is its error message, not the batch's end
        return error


_PASSAGES_FILE = "passages.pickle"


def _compare_passages_on(runner, passages: PassageIndex, fiction: set[str], staging: Path) -> Callable[[], list | None]:
    """Start the passage comparison on a worker; returns a function that waits for its candidates (None
    when the worker could not make them). The sentences go through the build's own staging folder, which a
    worker on this machine or a shared disk reads: sent through Dask, their tens of megabytes kept this
    process's threads busy through most of the join."""
    import pickle

    path = staging / _PASSAGES_FILE
    with path.open("wb") as f:
        pickle.dump(passages, f, protocol=pickle.HIGHEST_PROTOCOL)
    return runner.submit(_passage_candidates, str(path), sorted(fiction))


def _passage_candidates(path: str, fiction: list[str]) -> list[tuple[int, int, dict]] | None:
    """On a worker: the candidates of the passage index pickled at ``path`` by this build (in its staging
    folder, made by and writable only for the build's user), or None when this worker cannot read it."""
    import pickle

    try:
        with open(path, "rb") as f:
            passages = pickle.load(f)
    except OSError:
        return None          # a worker on another machine without the client's disk: compared there instead
    return passages.candidates(fiction_docs=fiction)


def _write_tables(folder: Path, by_place: dict[str, dict], joined: JoinResult, documents: dict[str, dict],
                  passages: PassageIndex, mention_count: int, candidates: Callable[[], list] | None = None) -> dict:
    """Places, events and the manifest, into ``folder`` (mentions are written as they arrive).
    ``candidates()``: the passage index's candidates, found elsewhere in the meantime."""
    place_features = [_feature({**{k: v for k, v in p.items() if k not in ("lat", "lon", "documents", "surface_forms")},
                                "documents": sorted(p["documents"]), "surface_forms": sorted(p["surface_forms"])},
                               _point(p["lat"], p["lon"]))
                      for p in sorted(by_place.values(), key=lambda p: (-p["mentions"], p["name"]))]
    from .records import event_geometry

    # a curated event nobody's text names still belongs on the map (front lines, deportations)
    event_features = [_feature(event_properties(e), event_geometry(e)) for e in joined.events]
    for name, features in (("places", place_features), ("events", event_features)):
        write_geojson(folder / f"{name}.geojson", features)
        write_geoparquet(folder / f"{name}.parquet", features)
    # passages two texts tell with other facts, unless an event's dispute already holds them
    fiction = {doc for doc, entry in documents.items() if entry["kind"] == "fiction"}
    found = None
    if candidates is not None:
        try:
            found = candidates()
        except Exception:  # noqa: BLE001  (a worker lost on the way: the comparison is made here instead)
            found = None
    disputed_passages = passages.conflicts(fiction_docs=fiction, events=joined.events, candidates=found)
    counts = {"places": len(place_features), "mentions": mention_count,
              "events": len(event_features), "disputed": len(joined.disputed())}
    manifest = {"mapapp": __version__, "attribution": ATTRIBUTION,
                "documents": documents, "passages": disputed_passages, "counts": counts}
    _write_atomic(folder / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return counts


# --- reading a built dataset ------------------------------------------------------------------

@dataclass(slots=True)
class Dataset:
    """A built dataset: GeoDataFrames (EPSG:4326) of events, places and mentions, and the manifest.

    ``events`` carries the properties of :func:`event_properties` (lists kept as lists) and a geometry.
    """

    events: "gpd.GeoDataFrame"
    places: "gpd.GeoDataFrame"
    mentions: "gpd.GeoDataFrame"
    manifest: dict
    path: Path | None = None

    @property
    def documents(self) -> list[str]:
        return sorted(self.manifest.get("documents", {}))

    @property
    def sources(self) -> dict[str, dict]:
        """Document id → its source record (title, kind, reliability, label; see :mod:`mapapp.sources`)."""
        return self.manifest.get("documents", {})

    @property
    def passages(self) -> list[dict]:
        """Passages two texts tell with other facts (:func:`mapapp.conflicts.passage_conflicts`)."""
        return self.manifest.get("passages", [])

    def source_label(self, doc: str | None) -> str:
        from .sources import source_label

        return source_label(self.sources, doc)


def _read_collection(path: Path):
    import geopandas as gpd

    collection = json.loads(path.read_text(encoding="utf-8"))
    features = collection["features"]
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326") if features else \
        gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    return frame


def load_dataset(path: str | Path) -> Dataset:
    """Read what ``mapapp build`` wrote into ``path``.

    Raises
    ------
    MapappError
        if the folder does not hold a built dataset.
    """
    from .errors import MapappError

    path = Path(path)
    missing = [n for n in ("events.geojson", "places.geojson", "mentions.geojson", "manifest.json")
               if not (path / n).exists()]
    if missing:
        raise MapappError(f"{path}: not a mapapp dataset (missing {', '.join(missing)}); run `mapapp build --out {path}`")
    return Dataset(events=_read_collection(path / "events.geojson"), places=_read_collection(path / "places.geojson"),
                   mentions=_read_collection(path / "mentions.geojson"),
                   manifest=json.loads((path / "manifest.json").read_text(encoding="utf-8")), path=path)


def default_dataset() -> Dataset:
    """The built-in corpus's dataset, built on first use into the cache folder (and rebuilt when stale)."""
    from .config import CACHE_DIR

    out = CACHE_DIR / "dataset"
    build_dataset(None, out)  # cheap when nothing changed: documents come from the cache
    return load_dataset(out)
