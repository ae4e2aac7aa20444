"""Demonyms as an optional kind of mention: "Russian" → Russia, "Sudanese" → Sudan, "Israelis" → Israel.

History maps leave them out (the annotation rules of ``shared/eval/README.md``: "Soviet", "German" are not
places), so :func:`mapapp.toponyms.geoparse` finds them only when asked (``demonyms=True``,
``mapapp geoparse --demonyms``); news-style evaluations count them. The table is
``geodata/lexicon/demonyms.csv``, built by ``scripts/build_demonyms.py``.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from .config import GEODATA_DIR
from .gazetteer import Gazetteer
from .models import Document, Mention

DEMONYMS_FILE = GEODATA_DIR / "lexicon" / "demonyms.csv"
DEMONYM_CONFIDENCE = 0.8


@lru_cache(maxsize=1)
def demonym_table() -> tuple[dict[str, str], re.Pattern]:
    """Each demonym and plural → its place id, and one pattern over them all (longest first)."""
    table: dict[str, str] = {}
    with DEMONYMS_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for word in (row["demonym"], row["plural"]):
                if word:
                    table[word] = row["place_id"]
    alternatives = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
    return table, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def find_demonyms(document: Document, gazetteer: Gazetteer, taken: list[tuple[int, int]]) -> list[Mention]:
    """Demonyms of ``document`` outside the spans already read as places ("Russian Empire" stays a place)."""
    table, pattern = demonym_table()
    mentions = []
    for m in pattern.finditer(document.text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        try:
            place = gazetteer.place(table[m.group(0)])
        except KeyError:
            continue
        mentions.append(Mention(doc=document.id, start=m.start(), end=m.end(), text=m.group(0), place=place,
                                confidence=DEMONYM_CONFIDENCE, kind="demonym"))
    return mentions
