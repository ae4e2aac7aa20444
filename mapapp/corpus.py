"""Loading texts from files and folders into :class:`~mapapp.models.Document` objects.

Plain text and Markdown are kept as decoded; HTML is reduced to its visible text. Bytes are decoded
as UTF-8 when they are UTF-8, otherwise with the encoding ``charset-normalizer`` detects (cp1251,
latin-1…). Every refusal is a :class:`~mapapp.errors.CorpusError` naming the file and the problem.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from .config import CORPUS_DIR, MAX_FILE_BYTES, TEXT_SUFFIXES
from .errors import CorpusError
from .models import Document

ErrorHandler = Callable[[CorpusError], None]

# Control characters other than tab/newline/carriage return/form feed do not occur in text files.
_CONTROL = {c for c in range(32) if c not in (9, 10, 12, 13)}


def decode_bytes(data: bytes, *, path: object = "<bytes>") -> tuple[str, str]:
    """Decode file bytes to text; return ``(text, encoding)``.

    Raises
    ------
    CorpusError
        if the bytes look binary or no text encoding fits them.
    """
    if b"\x00" in data[:8192]:
        raise CorpusError(path, "looks like a binary file (contains NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise CorpusError(path, "cannot be decoded as text in any known encoding") from None
        text, encoding = str(best), best.encoding
    sample = text[:8192]
    if sample and sum(ord(ch) in _CONTROL for ch in sample) / len(sample) > 0.01:
        raise CorpusError(path, f"looks like a binary file (control characters after decoding as {encoding})")
    return text, encoding


def html_to_text(html: str) -> tuple[str, str]:
    """Visible text of an HTML page and its ``<title>`` (empty if none)."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else ""
    for node in tree.css("script, style, noscript, template, head"):
        node.decompose()
    body = tree.body or tree.root
    text = body.text(separator="\n", strip=True) if body is not None else ""
    return text, title


def _title_from_text(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:120]
    return fallback


def load_document(path: str | Path) -> Document:
    """Read one file into a :class:`Document` (id = file stem).

    Raises
    ------
    CorpusError
        missing file, unsupported suffix, too large, binary, undecodable or empty.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError(path, "no such file or folder")
    if not path.is_file():
        raise CorpusError(path, "is not a regular file")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise CorpusError(path, f"unsupported file type '{path.suffix or '(none)'}'; "
                                f"expected one of {', '.join(TEXT_SUFFIXES)}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise CorpusError(path, f"is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit "
                                "for one text (set MAPAPP_MAX_FILE_BYTES to raise it)")
    text, encoding = decode_bytes(path.read_bytes(), path=path)
    title = ""
    if path.suffix.lower() in (".html", ".htm"):
        text, title = html_to_text(text)
    if not text.strip():
        raise CorpusError(path, "is empty (no text to read)")
    return Document(id=path.stem, title=title or _title_from_text(text, path.stem), text=text,
                    source=str(path), encoding=encoding)


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the text files inside folders named (sorted, not recursive into hidden dirs).

    A missing path or a folder with no text files is yielded as is, so that
    :func:`load_document` reports it in order with the others.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not files:
                yield path  # reported as "no text files" by iter_documents
            yield from files
        else:
            yield path


def iter_documents(paths: Iterable[str | Path], *, on_error: ErrorHandler | None = None) -> Iterator[Document]:
    """Load every document under ``paths``; a bad file goes to ``on_error`` and the batch goes on.

    With ``on_error=None`` the first bad file raises.
    """
    for path in expand_paths(paths):
        try:
            if path.is_dir():
                raise CorpusError(path, f"folder holds no text files ({', '.join(TEXT_SUFFIXES)})")
            yield load_document(path)
        except CorpusError as error:
            if on_error is None:
                raise
            on_error(error)


def builtin_corpus() -> list[Document]:
    """The five texts mapapp ships as its demo corpus (see ``geodata/corpus/README.md``)."""
    return list(iter_documents(sorted(CORPUS_DIR.glob("*.txt"))))
