"""Loading texts from files and folders into :class:`~mapapp.models.Document` objects.

Plain text and Markdown are kept as decoded; HTML is reduced to its visible text. Bytes are decoded
as UTF-16 or UTF-32 when they carry a byte-order mark (or are plainly UTF-16 without one), as UTF-8 when
they are UTF-8, otherwise with the encoding ``charset-normalizer`` detects (cp1251, latin-1…). Every refusal is a :class:`~mapapp.errors.CorpusError` naming the file and the problem.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from charset_normalizer import from_bytes

from .config import CORPUS_DIR, MAX_FILE_BYTES, TEXT_SUFFIXES
from .errors import CorpusError
from .models import Document

ErrorHandler = Callable[[CorpusError], None]

# Control characters other than tab/newline/carriage return/form feed do not occur in text files.
_CONTROL = {c for c in range(32) if c not in (9, 10, 12, 13)}
_CONTROL_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CONTROL)) + "]")  # counted in C


def decode_bytes(data: bytes, *, path: object = "<bytes>") -> tuple[str, str]:
    """Decode file bytes to text; return ``(text, encoding)``.

    Raises
    ------
    CorpusError
        if the bytes look binary or no text encoding fits them.
    """
    wide = _wide_encoding(data)
    if wide is not None:
        try:
            text, encoding = data.decode(wide[0])[wide[1]:], wide[0].replace("-sig", "")
        except UnicodeDecodeError:
            raise CorpusError(path, f"starts like {wide[0].upper()} text but is not valid {wide[0].upper()}") from None
        text = text.lstrip("\ufeff")
        return _checked(text, encoding, path)
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
    return _checked(text, encoding, path)


def _checked(text: str, encoding: str, path: object) -> tuple[str, str]:
    sample = text[:8192]
    if sample and len(_CONTROL_CHARS.findall(sample)) / len(sample) > 0.01:
        raise CorpusError(path, f"looks like a binary file (control characters after decoding as {encoding})")
    return text, encoding


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _wide_encoding(data: bytes) -> tuple[str, int] | None:
    """UTF-16 or UTF-32 as Windows tools and some exports write them: by their byte-order mark, or, for
    UTF-16 without one, by the zero bytes of Latin letters falling all on odd (little-endian) or all on
    even (big-endian) positions. Returns ``(codec, characters to drop)`` or None."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, 1
    sample = data[:4096]
    if len(sample) >= 8 and len(sample) % 2 == 0 and b"\x00" in sample:
        pairs = len(sample) // 2
        odd_zero = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
        even_zero = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
        if odd_zero > 0.6 * pairs and even_zero < 0.05 * pairs:
            return "utf-16-le", 0
        if even_zero > 0.6 * pairs and odd_zero < 0.05 * pairs:
            return "utf-16-be", 0
    return None


# Pages nest a few dozen elements deep; a parser walks pathological nesting (200,000 <div>s, under the
# upload limit) in minutes. Past this depth the page's tags are stripped in one linear pass instead.
MAX_HTML_DEPTH = 1000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HIDDEN = re.compile(r"<(script|style|noscript|template|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|td|th|section|article|blockquote|pre|ul|ol|table)\b[^>]*>",
                    re.IGNORECASE)


def html_depth(html: str, *, limit: int = MAX_HTML_DEPTH) -> int:
    """How deep the page's elements nest (stops counting past ``limit``), in one pass over its tags."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        if m.group(1):
            depth = max(0, depth - 1)
        elif not m.group(3) and name not in _VOID:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def _flat_text(html: str) -> tuple[str, str]:
    """Visible text by stripping tags (for pages too deeply nested to parse as a tree)."""
    import html as html_lib

    title = _TITLE.search(html)
    body = _BLOCK.sub("\n", _HIDDEN.sub(" ", html))
    text = html_lib.unescape(_TAG.sub(" ", body))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line), \
        " ".join(html_lib.unescape(title.group(1)).split()) if title else ""


def html_to_text(html: str) -> tuple[str, str]:
    """Visible text of an HTML page and its ``<title>`` (empty if none). A page nested deeper than
    :data:`MAX_HTML_DEPTH` is read by stripping its tags, in time linear in its length."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    if html_depth(html) > MAX_HTML_DEPTH:
        return _flat_text(html)

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
    try:
        if not path.exists():
            raise CorpusError(path, "no such file or folder")
        if not path.is_file():
            raise CorpusError(path, "is not a regular file")
    except OSError as error:       # a path too long, or in a folder that cannot be listed
        raise CorpusError(path, f"cannot be opened ({error.strerror or error})") from None
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise CorpusError(path, f"unsupported file type '{path.suffix or '(none)'}'; "
                                f"expected one of {', '.join(TEXT_SUFFIXES)}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise CorpusError(path, f"is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit "
                                "for one text (set MAPAPP_MAX_FILE_BYTES to raise it)")
    try:
        data = path.read_bytes()
    except PermissionError:
        raise CorpusError(path, "cannot be read: permission denied") from None
    except OSError as error:
        raise CorpusError(path, f"cannot be read ({error.strerror or error})") from None
    text, encoding = decode_bytes(data, path=path)
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

    With ``on_error=None`` the first bad file raises. Document ids are unique: a file named like one read
    before ("notes.txt" in two folders) gets its folder's name added ("notes~b"), then a number.
    """
    seen: set[str] = set()
    for path in expand_paths(paths):
        try:
            if path.is_dir():
                raise CorpusError(path, f"folder holds no text files ({', '.join(TEXT_SUFFIXES)})")
            document = load_document(path)
            if document.id in seen:
                document = replace(document, id=unique_id(document.id, path.parent.name, seen))
            seen.add(document.id)
            yield document
        except CorpusError as error:
            if on_error is None:
                raise
            on_error(error)


def unique_id(doc_id: str, folder: str, taken: set[str]) -> str:
    """An id for a document named like one already taken: with its folder's name, then a number."""
    candidate = f"{doc_id}~{folder}" if folder else doc_id
    n = 2
    while candidate in taken:
        candidate = f"{doc_id}~{folder}-{n}" if folder else f"{doc_id}-{n}"
        n += 1
    return candidate


def builtin_corpus() -> list[Document]:
    """The five texts mapapp ships as its demo corpus (see ``geodata/corpus/README.md``)."""
    return list(iter_documents(sorted(CORPUS_DIR.glob("*.txt"))))
