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
    # the pairs met so far, as one int each (i * n + j: cheaper to hash than a tuple); members are in
    # index order, so i < j
    n = len(words)
    docs = [doc(i) for i in range(n)]
    seen: set[int] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > max_block:
            continue
        for k, i in enumerate(members):
            wi, di, base = words[i], docs[i], i * n
            for j in members[k + 1:]:
                if docs[j] == di or base + j in seen:
                    continue
                seen.add(base + j)
                wj = words[j]
                shared = len(wi & wj)
                yield i, j, shared, shared / max(1, len(wi) + len(wj) - shared)
