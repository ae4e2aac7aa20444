"""Where sources disagree, as records a person can read: the reason first, then every side with its quote
and source title.

Joining (:mod:`mapapp.joins`) finds the disagreements: a text's stated date, place or figure against the
curated record, and texts against each other (dates of a brief event, figures of the same measure). A
fiction or alternate-history source is *contrasted* ("this source says…"), never counted as a dispute
among historical sources. This module turns an event's reasons into words and lists its claims.
"""
from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from functools import lru_cache

_CITED = re.compile(r"\b([A-Za-z0-9_.-]+)@\d+")
CATALOG_TITLE = "mapapp catalog (curated records)"


def reason_in_words(reason: str, names: dict[str, str]) -> str:
    """"002_84889b0b05e14acd@39980: dates 1939 against 1941" → "Joseph Stalin, 1878–1953 (encyclopedia):
    dates 1939 against 1941"."""
    return _CITED.sub(lambda m: names.get(m.group(1), m.group(1)), reason)


def dispute_records(events: Iterable[dict], sources: dict[str, dict]) -> list[dict]:
    """One record per event whose sources disagree or that fiction contradicts.

    ``events``: event properties (:func:`mapapp.dataset.event_properties` or a dataset's rows);
    ``sources``: document id → source record (title, kind). Returns dicts
    ``{"id", "title", "theme", "kind": "dispute" | "contrast", "reasons", "claims"}``; each claim
    ``{"doc", "title", "kind", "start", "end", "quote", "year_start", "year_end", "places", "people",
    "actors", "fiction"}``.
    """
    names = {doc: entry.get("label") or entry.get("title") or doc for doc, entry in sources.items()}
    out = []
    for event in events:
        reasons = list(event.get("reasons") or [])
        contrasts = list(event.get("contrasts") or [])
        if not reasons and not contrasts:
            continue
        words = [reason_in_words(r, names) for r in reasons]
        words += [f"alternate history: {reason_in_words(c, names)}" for c in contrasts]
        claims = []
        for claim in event.get("claims") or []:
            doc = claim.get("doc")
            entry = sources.get(doc, {}) if doc else {}
            claims.append({
                "doc": doc, "title": entry.get("title", doc) if doc else CATALOG_TITLE,
                "kind": entry.get("kind", "unreviewed") if doc else "catalog",
                "start": claim.get("start"), "end": claim.get("end"),
                "quote": claim.get("quote") or "; ".join(claim.get("sources") or []),
                "year_start": claim.get("year_start"), "year_end": claim.get("year_end"),
                "places": list(claim.get("places") or []), "people": claim.get("people"),
                "actors": list(event.get("actors") or []), "fiction": bool(claim.get("fiction")),
            })
        out.append({"id": event["id"], "title": event["title"], "theme": event["theme"],
                    "kind": "dispute" if reasons else "contrast", "reasons": words, "claims": claims})
    return out


# --- the same passage told with other facts ----------------------------------------------------------

PASSAGE_MIN_SHARED = 5
PASSAGE_MIN_JACCARD = 0.5
# a short passage with an opposite outcome ("German forces surrendered / repulsed the Soviets a few days
# later") shares fewer words; the same subject and opposite outcome words make up for it
OUTCOME_MIN_SHARED = 3
OUTCOME_MIN_JACCARD = 0.4
NAMES_MIN_JACCARD = 0.5     # a change of names: the same passage, by the words it shares
PASSAGE_NUMBER_RATIO = 1.1  # in one passage told twice, "some 6,000" and "some 7,000" disagree
_NAME = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
_NOT_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "the", "in", "on", "at", "after", "before", "during", "by", "when", "while"}


_QUOTED = re.compile(r"\"[^\"]{1,200}\"|“[^”]{1,200}”|«[^»]{1,200}»")


@lru_cache(maxsize=65_536)      # a sentence meets many others: its names are read once
def _names(sentence: str) -> frozenset[str]:
    """Proper names in a sentence (not months, not a first word that is a common word): people,
    places, armies. "Trotsky criticised…" names Trotsky; "The war…" names nothing."""
    from .lexicon import default_lexicon

    lexicon = default_lexicon()
    found = set()
    # titles of works and quoted words ("Marxism and the National Question") are not who or where
    sentence = _QUOTED.sub(lambda q: " " * len(q.group(0)), sentence)
    for m in _NAME.finditer(sentence):
        name = m.group(0)
        if name.lower() in _NOT_NAMES or (m.start() == 0 and lexicon.is_common_word(name.split()[0].split("-")[0])):
            continue
        found.add(name)
    return frozenset(found)


_PRONOUN_SUBJECT = re.compile(r"^(?:He|She)\b")


def _subject(sentence: str, previous: str) -> str | None:
    """Who the sentence is about: its leading name, or the previous sentence's leading name when it
    opens with "He"/"She" ("Lenin dictated notes. He criticized…" is Lenin's criticism)."""
    if _PRONOUN_SUBJECT.match(sentence):
        sentence = previous
    lead = _NAME.match(sentence)
    return lead.group(0) if lead and lead.group(0) in _names(sentence) else None


# What a sentence says came of it, for its subject: won or held, against lost or failed. Two tellings
# of one passage whose subject is the same ("German forces …") and whose outcomes are opposite disagree.
_WON = re.compile(r"\b(?:captured|took|taken|won|repulsed|drove back|pushed \w+ back|broke through|held (?:out|their|the)"
                  r"|paid off|succeeded|victor(?:y|ious))\b", re.IGNORECASE)
_LOST = re.compile(r"\b(?:surrendered|lost|failed|failure|stalled|collapsed|thrown back|driven out|repelled|"
                   r"defeated|retreated|never (?:taken|captured|reached))\b", re.IGNORECASE)
_DIED_OF = re.compile(r"\bdied of (?:an? )?((?:[a-z]+ ){0,2}?[a-z]+?)(?= on\b| in\b| at\b|[,.;]|$)")


def _outcome(sentence: str) -> str | None:
    won, lost = bool(_WON.search(sentence)), bool(_LOST.search(sentence))
    return "won" if won and not lost else "lost" if lost and not won else None


def _lead(sentence: str) -> str:
    """The sentence's subject as its first two words ("German forces")."""
    return " ".join(re.findall(r"[A-Za-z]+", sentence)[:2]).lower()


def _outcome_reasons(a: str, b: str) -> list[str]:
    reasons = []
    oa, ob = _outcome(a), _outcome(b)
    if oa and ob and oa != ob and _lead(a) == _lead(b):
        wa = (_WON if oa == "won" else _LOST).search(a).group(0)
        wb = (_WON if ob == "won" else _LOST).search(b).group(0)
        reasons.append(f"“{_lead(a)}… {wa}” against “{_lead(b)}… {wb}”")
    ca, cb = _DIED_OF.search(a), _DIED_OF.search(b)
    if ca and cb and ca.group(1) != cb.group(1):
        reasons.append(f"died of {ca.group(1)} against died of {cb.group(1)}")
    return reasons


@lru_cache(maxsize=262_144)     # names and words recur across pairs of sentences
def _close(a: str, b: str) -> bool:
    """The same word, or one letter or two off (a typo: "Zioviev" for "Zinoviev")."""
    from difflib import SequenceMatcher

    if a == b:
        return True
    if abs(len(a) - len(b)) > 2:
        return False
    # quick_ratio bounds ratio from above: most pairs of different words fail it without the full match
    matcher = SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


def _changed_names(sentence: str, other: str) -> set[str]:
    """Names in ``sentence`` the other telling does not have, even in part ("Kamenev" is in "Lev
    Kamenev") or misspelt: who or where the sentence says instead."""
    other_tokens = {t.lower() for name in _names(other) for t in re.split(r"[ -]", name)} | \
        set(re.findall(r"[a-z]+", other.lower()))
    from .lexicon import default_lexicon

    lexicon = default_lexicon()
    changed = set()
    for name in _names(sentence):
        # a title is not the name: "Marshal Davout" and "Marshal Ney" are two men
        tokens = [t.lower() for t in re.split(r"[ -]", name) if not lexicon.is_title(t)]
        if tokens and not any(t in other_tokens or any(_close(t, o) for o in other_tokens) for t in tokens):
            changed.add(name)
    return changed


def _with_previous(sentences):
    previous = None
    for s in sentences:
        yield previous, s
        previous = s


_SHARE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|per ?cent\b)")


def _shares(sentence: str) -> set[float]:
    """Percentages a sentence states ("up to 43%")."""
    return {float(m.group(1)) for m in _SHARE.finditer(sentence)}


_MONTHS = ("January February March April May June July August September October November December").split()


def _calendar(sentence: str) -> dict[str, dict[tuple, str]]:
    """The days ("4 July") and months ("August 1758") a sentence states, each as it would be written;
    a bare day-month is read without its year (the year the other telling may state is compared apart)."""
    from .dates import find_dates

    out: dict[str, dict[tuple, str]] = {"day": {}, "month": {}}
    for d in find_dates(sentence, context_year=1900):    # any year: only days and months are kept
        for h in {d.first, d.last}:
            if h.month and h.day:
                out["day"][(h.month, h.day)] = f"{h.day} {_MONTHS[h.month - 1]}"
            elif h.month:
                out["month"][(h.month,)] = _MONTHS[h.month - 1]
    return out


def _years(sentence: str) -> set[int]:
    from .dates import find_dates

    out = set()
    for d in find_dates(sentence):
        if re.search(r"\b1[6-9]\d\d\b|\b20\d\d\b", d.text):
            out.update({d.first.year, d.last.year})
    return out


PASSAGE_MAX_CHARS = 600    # longer "sentences" are lists or tables, not a passage told twice
PASSAGE_MAX_BLOCK = 40


def passage_spans(text: str, sentences=None) -> list[tuple[int, int, int, int]]:
    """The sentences a passage comparison reads (shorter than :data:`PASSAGE_MAX_CHARS`), each as its span
    and the span of the sentence before it (empty at the start); ``sentences``: the text's
    :func:`~mapapp.events.split_sentences`, when known."""
    from .events import split_sentences

    out, previous = [], (0, 0)
    for s in (split_sentences(text) if sentences is None else sentences):
        if len(s.text) < PASSAGE_MAX_CHARS:
            out.append((s.start, s.end, *previous))
        previous = (s.start, s.end)
    return out


KEY_BYTES = 16     # a distinct sentence's key: 128 bits of BLAKE2b, so that two sentences never share one


def passage_keys(text: str, spans: list[tuple[int, int, int, int]]) -> bytes:
    """The key of each of ``spans`` (:func:`passage_spans`), :data:`KEY_BYTES` each, end to end: a digest of
    the sentence, and of the sentence before it when it opens with "He" or "She" (which says who that is).
    Made with the per-document work (on a worker), so that indexing a document only looks keys up."""
    out = bytearray()
    for start, end, previous_start, previous_end in spans:
        out += _passage_key(text[start:end], text, previous_start, previous_end)
    return bytes(out)


def _passage_key(sentence: str, text: str, previous_start: int, previous_end: int) -> bytes:
    from hashlib import blake2b

    key = blake2b(sentence.encode("utf-8", "surrogatepass"), digest_size=KEY_BYTES)
    if _PRONOUN_SUBJECT.match(sentence):
        key.update(b"\0" + text[previous_start:previous_end].encode("utf-8", "surrogatepass"))
    return key.digest()


class PassageIndex:
    """The sentences of a corpus, each distinct one held once, for :func:`passage_conflicts`.

    Documents are added one at a time (a build adds each as its result arrives and keeps no text): a
    sentence is keyed by its words and the sentence before it (which says who "He" is), so a passage copied
    into a hundred texts is one entry with a hundred places, compared once with each other telling (the
    sentence before is part of the key only for a sentence that opens with "He" or "She"; see
    :func:`passage_keys`). Memory grows with the corpus's distinct sentences, not with its size."""

    def __init__(self) -> None:
        self._ids: dict[bytes, int] | None = {}
        self._texts: list[tuple[str, str]] = []                  # (sentence, previous sentence)
        # each copy of a sentence as three machine ints (document's number, start, end): a corpus holds
        # millions of sentences, and a tuple of three Python objects costs five times as much
        self._copies: list[array] = []
        self._docs: list[str] = []
        self._sources: dict[str, object] = {}

    def add(self, document, spans: list[tuple[int, int, int, int]] | None = None, keys: bytes | None = None) -> None:
        """The document's sentences; ``spans``: its :func:`passage_spans`, and ``keys`` their
        :func:`passage_keys`, when they are known already."""
        from .sources import source_for

        self._sources[document.id] = source_for(document)
        number = len(self._docs)
        self._docs.append(document.id)
        text = document.text
        spans = passage_spans(text) if spans is None else spans
        keys = passage_keys(text, spans) if keys is None else keys
        if self._ids is None:       # an index that was sent to a worker: its keys are made again
            self._ids = {_passage_key(sentence, previous, 0, len(previous)): i
                         for i, (sentence, previous) in enumerate(self._texts)}
        ids, copies = self._ids, self._copies
        for k, (start, end, previous_start, previous_end) in enumerate(spans):
            key = keys[k * KEY_BYTES:(k + 1) * KEY_BYTES]
            i = ids.get(key)
            if i is None:
                i = ids[key] = len(self._texts)
                sentence = text[start:end]
                self._texts.append((sentence, text[previous_start:previous_end]
                                    if _PRONOUN_SUBJECT.match(sentence) else ""))
                copies.append(array("q"))
            copies[i].extend((number, start, end))

    def _copies_of(self, i: int) -> list[tuple[str, int, int]]:
        """Each copy of distinct sentence ``i`` as (document id, start, end)."""
        packed, docs = self._copies[i], self._docs
        return [(docs[packed[k]], packed[k + 1], packed[k + 2]) for k in range(0, len(packed), 3)]

    def _home(self, i: int) -> str | int:
        """The document all copies of sentence ``i`` are in, or ``i`` when they are in several."""
        numbers = self._copies[i][0::3]
        return self._docs[numbers[0]] if min(numbers) == max(numbers) else i

    def __getstate__(self) -> dict:
        # sent to a Dask worker to be compared (see candidates): the keys' lookup is not, as the comparison
        # does not read it; it is made again if the copy is added to
        return {k: v for k, v in self.__dict__.items() if k != "_ids"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _ids=None)

    def conflicts(self, *, fiction_docs: Iterable[str] = (), events: Iterable = (),
                  candidates: list[tuple[int, int, dict]] | None = None) -> list[dict]:
        """See :func:`passage_conflicts`; ``candidates``: this index's :meth:`candidates` for the same
        fiction, when they were found already (on a Dask worker, while the events were joined)."""
        found = self.candidates(fiction_docs=fiction_docs) if candidates is None else candidates
        # a sentence already in an event's dispute is left to it, in every copy
        skip = {(c.doc, c.start) for e in events if e.reasons or e.contrasts for c in e.claims if c.doc}
        if not skip:
            return [record for _, _, record in found]
        return [record for i, j, record in found if not self._in(i, skip) and not self._in(j, skip)]

    def _in(self, i: int, skip: set[tuple[str, int]]) -> bool:
        """Whether a copy of sentence ``i`` is in ``skip`` (by document and start)."""
        packed, docs = self._copies[i], self._docs
        return any((docs[packed[k]], packed[k + 1]) in skip for k in range(0, len(packed), 3))

    def candidates(self, *, fiction_docs: Iterable[str] = ()) -> list[tuple[int, int, dict]]:
        """Each passage conflict with the numbers of its two sentences, before the sentences already in an
        event's dispute are left out (:meth:`conflicts`): it needs the sentences alone, not the join."""
        from .events import find_people_count
        from .joins import figures_apart, measure_of
        from .passages import content_words, similar_pairs

        fiction = frozenset(fiction_docs)
        words = [content_words(text) for text, _ in self._texts]
        # a sentence all of whose copies are in one text is that text's; one in several texts is nobody's alone
        home = [self._home(i) for i in range(len(self._texts))]
        records = []
        years: dict[int, set[int]] = {}       # a sentence is a candidate in many pairs: its years are read once

        def years_of(k: int) -> set[int]:
            found = years.get(k)
            if found is None:
                found = years[k] = _years(self._texts[k][0])
            return found

        names: dict[int, frozenset[str]] = {}

        def full_names_of(k: int) -> frozenset[str]:
            found = names.get(k)
            if found is None:
                found = names[k] = frozenset(n for n in _names(self._texts[k][0]) if " " in n or "-" in n)
            return found

        for i, j, shared, jaccard in similar_pairs(words, doc=home.__getitem__, max_block=PASSAGE_MAX_BLOCK):
            close = shared >= OUTCOME_MIN_SHARED and jaccard >= OUTCOME_MIN_JACCARD
            if not close:
                # one year's happening told in other words, with one person or place swapped for another
                # ("In a 1956 speech, Nikita Khrushchev gave…" / "In a 1956 speech, Pavel Bermondt-Avalov denounced…");
                # most candidate pairs are far apart, so the cheap tests come first: the same years, full names
                # in both, and not the same ones (see _swapped_name)
                ya = years_of(i)
                if not ya or ya != years_of(j) or shared < 2:
                    continue
                fa, fb = full_names_of(i), full_names_of(j)
                if not fa or not fb or fa == fb:
                    continue
            pair = _two_texts(self._copies_of(i), self._copies_of(j))
            if pair is None:
                continue
            (a_text, pa_text), (b_text, pb_text) = self._texts[i], self._texts[j]
            ya, yb = years_of(i), years_of(j)
            if not close:
                swapped = _swapped_name(a_text, b_text)
                if swapped:
                    records.append((i, j, self._record(pair, (a_text, b_text), (ya, yb), (None, None), [swapped], fiction)))
                continue
            reasons = _outcome_reasons(a_text, b_text)
            pa, pb = find_people_count(a_text, []), find_people_count(b_text, [])
            if shared >= PASSAGE_MIN_SHARED and jaccard >= PASSAGE_MIN_JACCARD:
                if ya and yb and not ya & yb:
                    reasons.append(f"years {', '.join(map(str, sorted(ya)))} against {', '.join(map(str, sorted(yb)))}")
                else:
                    # the same year (or none stated): the day or month each gives ("On 4 July" / "On 24 June")
                    da_, db_ = _calendar(a_text), _calendar(b_text)
                    for precision in ("day", "month"):
                        sa_, sb_ = da_[precision], db_[precision]
                        if sa_ and sb_:
                            if not set(sa_) & set(sb_):
                                reasons.append(f"{', '.join(sa_.values())} against {', '.join(sb_.values())}")
                            break
                sa, sb = _shares(a_text), _shares(b_text)
                if sa and sb and not sa & sb and figures_apart(max(sa), max(sb)):
                    reasons.append(f"{', '.join(f'{v:g}%' for v in sorted(sa))} against "
                                   f"{', '.join(f'{v:g}%' for v in sorted(sb))}")
                # one passage told twice: its figures count the same thing, and any real difference is one
                what_a, what_b = measure_of(a_text), measure_of(b_text)
                if pa and pb and (what_a == what_b or None in (what_a, what_b)) and \
                        max(pa, pb) > PASSAGE_NUMBER_RATIO * min(pa, pb):
                    reasons.append(f"{pa:,} {what_a or what_b or 'people'} against {pb:,}")
            if jaccard >= NAMES_MIN_JACCARD:
                na, nb = _changed_names(a_text, b_text), _changed_names(b_text, a_text)
                if na and nb:
                    reasons.append(f"{', '.join(sorted(na))} against {', '.join(sorted(nb))}")
                # the same words with another person doing it: "Trotsky criticised…" / "He [Lenin] criticized…"
                sub_a, sub_b = _subject(a_text, pa_text), _subject(b_text, pb_text)
                if sub_a and sub_b and not (na and nb) and not any(
                        _close(x, y) for x in sub_a.lower().split() for y in sub_b.lower().split()):
                    reasons.append(f"{sub_a} against {sub_b}")
            if reasons:
                records.append((i, j, self._record(pair, (a_text, b_text), (ya, yb), (pa, pb), reasons, fiction)))
        return records

    def _record(self, pair, texts, years, people, reasons: list[str], fiction: frozenset) -> dict:
        """A passage conflict as :func:`dispute_records` shapes one: reasons in words, both sides."""
        from .events import choose_themes

        ((da, a_start, _), more_a), ((db, b_start, _), more_b) = pair
        is_fiction = da in fiction or db in fiction
        sources = self._sources

        def says(doc: str, more: int) -> str:
            return sources[doc].label + (f" (and {more} more {'text' if more == 1 else 'texts'})" if more else "")

        themes = choose_themes(texts[0]) or choose_themes(texts[1]) or ["biography"]
        return {
            "id": f"passage-{da}-{a_start}-{db}-{b_start}",
            "title": texts[0][:80] + ("…" if len(texts[0]) > 80 else ""), "theme": themes[0],
            "kind": "contrast" if is_fiction else "dispute",
            "reasons": [("alternate history: " if is_fiction else "") + f"{says(da, more_a)} says {r.split(' against ')[0]}; "
                        f"{says(db, more_b)} says {r.split(' against ')[1]}" for r in reasons],
            "claims": [{"doc": d, "title": sources[d].title, "kind": sources[d].kind, "start": start, "end": end,
                        "quote": text, "year_start": min(y) if y else None, "year_end": max(y) if y else None,
                        "places": [], "people": p, "actors": sorted(_names(text)), "fiction": d in fiction}
                       for (d, start, end), text, y, p in ((pair[0][0], texts[0], years[0], people[0]),
                                                         (pair[1][0], texts[1], years[1], people[1]))]}


def _two_texts(copies_a: list, copies_b: list):
    """A copy of each sentence from two different texts, each with how many other texts hold that
    sentence; None when there is no such pair."""
    for a in copies_a:
        for b in copies_b:
            if a[0] != b[0]:
                return (a, len({c[0] for c in copies_a}) - 1), (b, len({c[0] for c in copies_b}) - 1)
    return None


def passage_conflicts(documents, *, fiction_docs: Iterable[str] = (), events: Iterable = ()) -> list[dict]:
    """Passages two texts tell alike but with other facts (texts often share a source and change it):
    the years they state, figures of the same measure, or the names (who did it, where). Found by
    comparing sentences that share at least half their words (fewer for an opposite outcome; a swapped
    name in sentences of the same year needs only a few); candidates come from shared word pairs,
    so the texts are not compared sentence by sentence. Sentences already in a dispute of one of
    ``events`` (joined :class:`~mapapp.records.Event` s) are left to it. A sentence copied into several
    texts is compared once (:class:`PassageIndex`). Returns records shaped as :func:`dispute_records`'s."""
    index = PassageIndex()
    for document in documents:
        index.add(document)
    return index.conflicts(fiction_docs=fiction_docs, events=events)


def _swapped_name(a: str, b: str) -> str | None:
    """"X against Y" when two sentences share a name and each has exactly one name the other lacks, a
    person's or place's full name (two words or joined: not "Communism", not a sentence's first word)."""
    na, nb = _changed_names(a, b), _changed_names(b, a)
    if len(na) == 1 and len(nb) == 1 and _names(a) - na and all(" " in n or "-" in n for n in na | nb):
        return f"{next(iter(na))} against {next(iter(nb))}"
    return None
