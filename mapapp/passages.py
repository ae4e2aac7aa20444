"""Finding sentences two texts tell alike, without comparing every sentence with every other.

Texts about one history often share a source and retell its sentences with changes. Candidates are the
sentences that share a pair of content words (consecutive in sorted order), so a corpus is compared
block by block; a block shared by too many sentences is a pair of common words, not a passage.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

MAX_BLOCK = 50


def content_words(text: str) -> frozenset[str]:
    """The words of more than three letters, lower-cased: what two tellings of a passage share."""
    return frozenset(w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3)


def similar_pairs(words: Sequence[frozenset[str]], *, key: Callable[[int], object] = lambda i: None,
                  doc: Callable[[int], str], max_block: int = MAX_BLOCK) -> Iterator[tuple[int, int, int, float]]:
    """Each pair ``(i, j, shared, jaccard)`` of items of other documents (``doc(i) != doc(j)``) and the
    same ``key`` (a theme, say) that share a block of words, once."""
    blocks: dict[tuple[object, str, str], list[int]] = {}
    for i, ws in enumerate(words):
        ordered = sorted(ws)
        for a, b in zip(ordered, ordered[1:]):
            blocks.setdefault((key(i), a, b), []).append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > max_block:
            continue
        for k, i in enumerate(members):
            for j in members[k + 1:]:
                if (i, j) in seen or doc(i) == doc(j):
                    continue
                seen.add((i, j))
                shared = len(words[i] & words[j])
                yield i, j, shared, shared / max(1, len(words[i] | words[j]))
