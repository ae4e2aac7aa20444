"""Word lists that tell persons and common words from places.

- given names: the US Census first-name lists shipped by the ``names`` package (MIT) plus
  ``geodata/lexicon/given_names.txt`` (names common in Soviet history);
- titles (``Marshal``, ``Comrade``…): ``geodata/lexicon/titles.txt``;
- surnames of well-known people that are also place names (Stalin, Kirov, Molotov…):
  ``geodata/lexicon/person_surnames.csv``, each with a source;
- plural names of peoples (``geodata/lexicon/peoples.txt``): "Volga Germans" is a people;
- common English words: the lower-case entries of Webster's Second International (public domain)
  as shipped by ``english-words``; a capitalised word that is also a common word ("Union", "March")
  needs more evidence before it is taken for a place.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import CACHE_DIR, GEODATA_DIR
from .diskcache import load_or_build

LEXICON_DIR = GEODATA_DIR / "lexicon"
MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split())


def _read_list(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


@dataclass(frozen=True, slots=True)
class Lexicon:
    given_names: frozenset[str]
    titles: frozenset[str]
    person_surnames: frozenset[str]
    common_words: frozenset[str]
    peoples: frozenset[str] = frozenset()

    def is_common_word(self, word: str) -> bool:
        lower = word.lower()
        return lower in self.common_words or lower in MONTHS_AND_DAYS

    def is_given_name(self, word: str) -> bool:
        return word in self.given_names

    def is_title(self, word: str) -> bool:
        return word.rstrip(".") in self.titles


def _census_first_names() -> set[str]:
    import names  # ships dist.male.first / dist.female.first (US Census 1990, public domain)

    folder = Path(names.__file__).parent
    found: set[str] = set()
    for file_name in ("dist.male.first", "dist.female.first"):
        with (folder / file_name).open(encoding="utf-8") as f:
            found.update(line.split()[0].title() for line in f if line.strip())
    return found


def _english_common_words() -> set[str]:
    from english_words import get_english_words_set

    return {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}


LEXICON_VERSION = 1


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon over the shipped lists, cached on disk after the first build."""
    sources = sorted(LEXICON_DIR.glob("*.txt")) + sorted(LEXICON_DIR.glob("*.csv"))
    return load_or_build("lexicon", sources, build_lexicon, version=LEXICON_VERSION, cache_dir=CACHE_DIR)


def build_lexicon() -> Lexicon:
    with (LEXICON_DIR / "person_surnames.csv").open(encoding="utf-8", newline="") as f:
        surnames = {row["surname"] for row in csv.DictReader(f)}
    common = _english_common_words()
    # The Census lists hold names that are far more often ordinary words ("Will", "In", "September").
    census = {n for n in _census_first_names() if len(n) > 2 and n.lower() not in common
              and n.lower() not in MONTHS_AND_DAYS}
    return Lexicon(
        given_names=frozenset(census | _read_list(LEXICON_DIR / "given_names.txt")),
        titles=frozenset(_read_list(LEXICON_DIR / "titles.txt")),
        person_surnames=frozenset(surnames),
        common_words=frozenset(common),
        peoples=frozenset(_read_list(LEXICON_DIR / "peoples.txt")),
    )
