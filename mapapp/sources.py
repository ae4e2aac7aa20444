"""Sources as records: every document has a title, a kind, and a reliability that follows from the kind.

A folder of texts may hold a ``sources.yaml`` manifest (a list of ``{doc, title, kind, author,
publisher, date, note}``); a document it does not list gets the title of its first heading (or its
file name) and the kind ``unreviewed``. The document id stays the key everywhere; titles and kinds
are what people read.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from .errors import MapappError

MANIFEST_NAME = "sources.yaml"
# kind → how far a reader may lean on it; shown beside the title wherever a source is named
KINDS: dict[str, str] = {
    "encyclopedia": "reference work",
    "textbook": "reference work",
    "archival": "primary source",
    "memoir": "first-hand account",
    "news": "journalism",
    "essay": "opinion",
    "student_work": "unreviewed",
    "unreviewed": "unreviewed",
    "fiction": "not history",
}
KIND_LABELS = {"student_work": "student work", "archival": "archival record", "fiction": "fiction / alternate history"}
FICTION_KINDS = frozenset({"fiction"})


class SourceManifestError(MapappError):
    """A ``sources.yaml`` entry is malformed: names the file, the entry and the problem."""


@dataclass(frozen=True, slots=True)
class Source:
    doc: str
    title: str
    kind: str = "unreviewed"
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    note: str | None = None

    @property
    def reliability(self) -> str:
        return KINDS[self.kind]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_fiction(self) -> bool:
        return self.kind in FICTION_KINDS

    @property
    def label(self) -> str:
        """What a person reads: the title and the kind."""
        return f"{self.title} ({self.kind_label})"

    def as_dict(self) -> dict:
        return {**asdict(self), "reliability": self.reliability, "label": self.label}


def load_manifest(path: Path, *, documents: set[str] | None = None) -> dict[str, Source]:
    """The entries of one ``sources.yaml``; every problem is an error naming the file and entry.

    ``documents``: the ids that exist; an entry for another id is an error (a typo would otherwise
    leave a text unlabelled without anybody noticing).
    """
    import yaml

    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as error:
        raise SourceManifestError(f"{path}: cannot be read as YAML ({error})") from None
    if not isinstance(entries, list):
        raise SourceManifestError(f"{path}: expected a list of entries, found {type(entries).__name__}")
    out: dict[str, Source] = {}
    for i, entry in enumerate(entries, 1):
        where = f"{path}: entry {i}"
        if not isinstance(entry, dict) or not entry.get("doc") or not entry.get("title"):
            raise SourceManifestError(f"{where}: needs at least 'doc' and 'title'")
        where = f"{path}: entry {i} ({entry['doc']})"
        unknown = set(entry) - {"doc", "title", "kind", "author", "publisher", "date", "note"}
        if unknown:
            raise SourceManifestError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        kind = entry.get("kind", "unreviewed")
        if kind not in KINDS:
            raise SourceManifestError(f"{where}: unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
        if documents is not None and entry["doc"] not in documents:
            raise SourceManifestError(f"{where}: no document with this id in {path.parent}")
        if entry["doc"] in out:
            raise SourceManifestError(f"{where}: listed twice")
        out[str(entry["doc"])] = Source(**{k: (str(v) if v is not None else None) for k, v in entry.items()})
    return out


@lru_cache(maxsize=64)
def _folder_manifest(folder: str, mtime: float) -> dict[str, Source]:
    path = Path(folder) / MANIFEST_NAME
    from .config import TEXT_SUFFIXES

    # hidden files are not read as documents (see corpus.expand_paths), so no entry can name one
    documents = {p.stem for p in Path(folder).iterdir()
                 if p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith(".")}
    return load_manifest(path, documents=documents)


def source_for(document) -> Source:
    """The source record of a :class:`~mapapp.models.Document`: its folder's manifest entry, else
    its own title (first heading or file name) as an unreviewed text."""
    folder = Path(document.source).parent
    manifest = folder / MANIFEST_NAME
    if manifest.is_file():
        entry = _folder_manifest(str(folder), manifest.stat().st_mtime).get(document.id)
        if entry is not None:
            return entry
    return Source(doc=document.id, title=document.title or document.id)


def source_label(sources: dict[str, dict], doc: str | None) -> str:
    """How a source is named to people, from a dataset's ``sources`` table; the catalog by its name."""
    if doc is None:
        return "mapapp catalog (curated records)"
    entry = sources.get(doc)
    if not entry:
        return doc
    return entry.get("label") or entry.get("title") or doc
