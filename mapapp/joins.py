"""Joining what texts say to the curated records, and finding where sources disagree.

An extracted event is linked to a curated record when its sentence names the event ("the Battle of
Stalingrad", "Operation Bagration") or, failing a name, when theme, years and a precise place agree.
Linked sentences become :class:`~mapapp.records.Claim` s of that record, so the Battle of Stalingrad
named in three texts is one event with three sources. A claim whose dates (or places) disagree with
the curated record is kept beside it and the record is marked ``disputed``.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .catalog import CatalogIndex
from .events import ExtractedEvent
from .records import Claim, Event, EventPlace, HistDate

START_VERBS = re.compile(r"\b(?:began|begun|begins|launched|started|opened|commenced|initiated|implemented|unleashed)\b",
                         re.IGNORECASE)
END_VERBS = re.compile(r"\b(?:ended|concluded|finished|lifted|broken|surrendered|died|death)\b", re.IGNORECASE)
PRECISE_KINDS = ("settlement", "site")
SOFT_LINK_KM = 100.0
PLACE_DISAGREEMENT_KM = 400.0
THEATRE_KM = 1000.0


def _km(a: EventPlace, b: EventPlace) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _overlaps(a_first: HistDate, a_last: HistDate, b_first: HistDate, b_last: HistDate, slack_years: int = 0) -> bool:
    return a_first.year <= b_last.year + slack_years and a_last.year >= b_first.year - slack_years


def _shares_precise_place(x: ExtractedEvent, event: Event) -> bool:
    for p in x.places:
        if p.kind not in PRECISE_KINDS and p.role == "site":
            continue
        for q in event.places:
            if p.place_id and p.place_id == q.place_id:
                return True
            if q.kind in PRECISE_KINDS and p.kind in PRECISE_KINDS and _km(p, q) <= SOFT_LINK_KM:
                return True
    return False


def choose_record(x: ExtractedEvent, index: CatalogIndex) -> tuple[Event | None, str | None]:
    """The curated record an extracted event is about, if any, and the name the sentence gives it."""
    named = index.named_in(x.quote)
    if named:
        same_theme = [(e, s) for e, s in named if e.theme == x.theme]
        pool = same_theme or [(e, s) for e, s in named if " " in s.strip()]
        if pool:
            # several names in one sentence: prefer the record whose years the sentence's years touch
            pool.sort(key=lambda es: (not _overlaps(x.first, x.last, es[0].start, es[0].end), -len(es[1])))
            return pool[0]
    for event in index.events:
        if event.theme == x.theme and event.kind == "event" and not x.inherited_date \
                and _overlaps(x.first, x.last, event.start, event.end) and _shares_precise_place(x, event):
            return event, None
    # "In May 1918, Lenin dispatched Stalin to Tsaritsyn": the sentence's stated time and town are those
    # of a curated event (the defence of Tsaritsyn), whatever cue words it uses
    for event in index.events:
        if event.kind == "event" and not x.inherited_date and _overlaps(x.first, x.last, event.start, event.end) \
                and _shares_town(x, event):
            return event, None
    return None, None


def _shares_town(x: ExtractedEvent, event: Event, km: float = 30.0) -> bool:
    towns = [p for p in event.places if p.kind in PRECISE_KINDS and p.lat is not None]
    return any(p.stated and p.kind in PRECISE_KINDS and p.lat is not None and
               any(p.place_id == q.place_id or _km(p, q) <= km for q in towns) for p in x.places)


# A stated date counts against a named event only when it stands near the name ("Operation Bagration
# was launched in 1940"); a date elsewhere in the sentence usually belongs to something else.
DATE_NEAR_NAME_CHARS = 120
# An anniversary, parade or memorial of an event is dated by the commemoration, not by the event.
COMMEMORATION = re.compile(r"\b(?:anniversar\w*|commemorat\w*|parade|celebrat\w*|memorial\w*|in (?:honou?r|memory) of)\b",
                           re.IGNORECASE)


def _date_belongs_to_name(x: ExtractedEvent, name: str | None) -> bool:
    if name is None or x.inherited_date or not x.date_spans:
        return False
    at = x.quote.find(name)
    if at < 0:
        return False
    return any(min(abs(s - (at + len(name))), abs(at - e)) <= DATE_NEAR_NAME_CHARS for s, e in x.date_spans)


def claim_disagrees(claim: Claim, quote: str, event: Event, first: HistDate, last: HistDate,
                    dated: bool = True) -> str | None:
    """Why a claim disagrees with its curated record (``None`` when it agrees).

    ``dated`` says whether the sentence states a date for this very event (not inherited, near its name).
    """
    if not dated:
        first = last = None
    if first is not None and not _overlaps(first, last, event.start, event.end):
        return f"dates {first}–{last} against {event.start}–{event.end}"
    if first is not None and first == last and first.month is not None:
        # "Barbarossa began on 22 September 1941": a start or end the text states, at its precision
        if START_VERBS.search(quote) and event.start.month is not None and \
                (first.year, first.month) != (event.start.year, event.start.month):
            return f"start {first} against {event.start}"
        if END_VERBS.search(quote) and event.end.month is not None and not START_VERBS.search(quote) and \
                (first.year, first.month) != (event.end.year, event.end.month) and first.last_day() > event.end.last_day():
            return f"end {first} against {event.end}"
    claim_sites = [p for p in claim.places if p.kind in PRECISE_KINDS]
    event_sites = [p for p in event.places if p.kind in PRECISE_KINDS]
    # a theatre (the Eastern Front: Moscow to Berlin) holds every site inside it; only an event of one
    # area can be put elsewhere
    theatre = any(_km(p, q) > THEATRE_KM for p in event_sites for q in event_sites)
    if claim_sites and event_sites and event.kind == "event" and not theatre and \
            all(_km(p, q) > PLACE_DISAGREEMENT_KM for p in claim_sites for q in event_sites):
        return f"places {', '.join(p.name for p in claim_sites)} against {', '.join(p.name for p in event_sites)}"
    return None


@dataclass(slots=True)
class JoinResult:
    """Curated events with their claims, and events only the texts know about."""

    events: list[Event]
    extracted: list[ExtractedEvent]
    disagreements: dict[str, list[str]]

    def disputed(self) -> list[Event]:
        return [e for e in self.events if e.disputed]


def _claim(x: ExtractedEvent, *, fiction: bool = False) -> Claim:
    return Claim(provenance="extracted", doc=x.doc, start=x.start, end=x.end, quote=x.quote,
                 year_start=x.year_start, year_end=x.year_end, places=x.places, people=x.people, fiction=fiction)


# --- which extracted events the default map draws ------------------------------------------------

# Sentences about a time rather than of it: polls, later laws, scholarship and sources, captions,
# commemorations and namings. Their years are not the years of a happening.
COMMENTARY = re.compile(
    r"\b(?:poll\w*|surveys?|survey(?:ed)?|respondents|opinion|historians?|scholars?|researchers?|historiography|"
    r"according to|estimat\w*|archives?|archival|documents? (?:show|reveal)|stud(?:y|ies)|books?|biograph(?:y|er)|"
    r"wrote|written|published|memoirs?|novel|film|photo\w*|pictured|charts?|paint(?:ed|ing)|shown (?:here|above|below)|caption|"
    r"anniversar\w*|commemorat\w*|memorial\w*|monuments?|museums?|statues?|celebrat\w*|parade|honou?r of|"
    r"in memory of|has stood|have stood|"
    # "present-day Fredericton", "Joseph Broussard, called Beausoleil": a gloss on a name, not commentary
    r"(?:present-day|modern)(?!(?-i: [A-Z]))|"
    r"named (?:after|for)|renamed|legacy|remembered|rehabilitat\w*|today|nowadays|"
    r"law|laws|decree of 19[6-9]\d|apolog\w*|recogni[sz]ed as|shown|here he|interview\w*|television|newspapers?|"
    r"session|delegates|resolution|grandson|granddaughter|descendants?|dubbed|(?:so-|is |are |was |were |been )called|known as|considered|"
    r"argued|believed|claimed|debate\w*|told|said|remarked)\b", re.IGNORECASE)
PRECISE_PLACE_KINDS = ("settlement", "site")
# A country small enough that its point says where (Hungary, Greece), not a sub-continent (the Soviet
# Union's point lies near Tyumen, thousands of kilometres from most of what happened in it). Regions
# were tried too (Crimea, the Caucasus): precision fell from 0.87 to 0.83 for no gain in recall.
COUNTRY_POINT_MAX_KM2 = 1_000_000


def draw_reasons(x: ExtractedEvent, *, first_reading: bool = True, area_km2: dict[str, float] | None = None) -> list[str]:
    """Why an extracted event is not drawn on the default map (empty: it is precise enough to draw).

    Drawn only when its own sentence (or the heading it belongs to) states its date, it has a place
    more precise than a country, the sentence tells a happening rather than comments on one, and it
    is the sentence's first reading (one sentence gives at most one event).
    """
    reasons = []
    if x.heading:
        reasons.append("a heading, not a sentence")
    if x.inherited_date and not x.date_from_heading:
        reasons.append("its year is not stated in the sentence")
    sizes = area_km2 or {}
    # named in the sentence's words: by name, or by an adjective ("Hungarian officials"), not a homeland
    # inferred from a people's name
    stated = [p for p in x.places if p.stated or p.text]
    # "The USSR also experienced a major famine in 1947": a sentence naming one country and nothing
    # else tells of the whole country, and its point stands for it
    whole_country = len({p.place_id for p in stated}) == 1 and stated[0].kind == "country"
    if not whole_country and not any(
            p.kind in PRECISE_PLACE_KINDS or
            (p.kind == "country" and sizes.get(p.place_id or "", float("inf")) <= COUNTRY_POINT_MAX_KM2)
            for p in stated):
        reasons.append("no place more precise than a large country or region")
    cue = COMMENTARY.search(x.quote)
    if cue:
        reasons.append(f"commentary rather than a happening (“{cue.group(0)}”)")
    if not first_reading:
        reasons.append("another reading of a sentence already drawn")
    if not x.theme_stated:
        reasons.append(f"its theme ({x.theme}) comes from the sentences around it")
    return reasons


# How a sentence's own words name what happened: the first cue found gives the title's noun.
_TITLE_CUES: list[tuple[str, re.Pattern, str]] = [(theme, re.compile(pattern, re.IGNORECASE), noun) for theme, pattern, noun in [
    ("deportation", r"\bdeport\w*", "Deportation"), ("deportation", r"\bresettle\w*|\bsettle\w*", "Resettlement"),
    ("deportation", r"\bexpel\w*|\bexpulsion", "Expulsion"), ("deportation", r"\bdisplac\w*", "Displacement"),
    ("front", r"\bsiege|\bbesieg\w*|\bblockade", "Siege"), ("front", r"\bcounter-?offensive", "Counteroffensive"),
    ("front", r"\boffensive", "Offensive"), ("front", r"\bbattles?\b", "Battle"), ("front", r"\binva\w*", "Invasion"),
    ("front", r"\bcaptur\w*|\btook\b|\bfell\b", "Capture"), ("front", r"\bliberat\w*", "Liberation"),
    ("front", r"\bsurrender\w*", "Surrender"), ("front", r"\boccup\w*", "Occupation"),
    ("front", r"\battack\w*|\bbomb\w*", "Attack"), ("front", r"\bfight\w*|\bfought", "Fighting"),
    ("repression", r"\bexecut\w*|\bshot\b", "Executions"), ("repression", r"\barrest\w*", "Arrests"),
    ("repression", r"\bassassinat\w*|\bmurder\w*", "Assassination"), ("repression", r"\bpurg\w*", "Purge"),
    ("repression", r"\bgulags?|\blabou?r camps?|\bcamps?\b", "Labour camps"), ("repression", r"\btrials?\b", "Trial"),
    ("repression", r"\bmassacre\w*", "Massacre"), ("repression", r"\bimprison\w*|\bprison\w*", "Imprisonment"),
    ("repression", r"\bexile\w*", "Exile"), ("repression", r"\bkulaks?|\bdekulak\w*", "Dekulakization"),
    ("famine", r"\bholodomor", "Holodomor"), ("famine", r"\bfamine|\bstarv\w*|\bhunger", "Famine"),
    ("revolution", r"\bcivil war", "Civil war"), ("revolution", r"\brevolution", "Revolution"),
    ("revolution", r"\buprising|\brevolt\w*|\binsurrection", "Uprising"), ("revolution", r"\bexpropriation|\brobbery", "Expropriation"),
    ("biography", r"\bborn\b", "Birth"), ("biography", r"\bdied|\bdeath", "Death"), ("biography", r"\bmarri\w*", "Marriage"),
    ("biography", r"\bstudied|\bseminary|\bschool", "Studies"), ("biography", r"\bexile\w*", "Exile"),
    ("biography", r"\bescaped|\bfled", "Escape"), ("biography", r"\barrest\w*", "Arrest"),
    ("biography", r"\bappointed|\belected|\bbecame", "Appointment"), ("biography", r"\breturned|\barrived|\bmoved", "Arrival"),
    ("biography", r"\bvisit\w*|\btravel\w*", "Visit"), ("biography", r"\blived|\bresid\w*|\bdacha", "Residence"),
    ("diplomacy", r"\bpact\b", "Pact"), ("diplomacy", r"\btreaty", "Treaty"), ("diplomacy", r"\bconference", "Conference"),
    ("diplomacy", r"\bagreement", "Agreement"), ("diplomacy", r"\balliance|\ballied", "Alliance"),
    ("diplomacy", r"\bannex\w*", "Annexation"), ("diplomacy", r"\bnegotiat\w*|\btalks\b", "Negotiations"),
]]
_PREPOSITION = {"Siege": "of", "Battle": "of", "Capture": "of", "Liberation": "of", "Occupation": "of", "Invasion": "of",
                "Deportation": "from", "Expulsion": "from", "Birth": "in", "Death": "in", "Holodomor": "in"}


def event_title(x: ExtractedEvent) -> str:
    """What happened, in words from the sentence: "Siege of Leningrad", "Deportation from Chechnya",
    "Executions in Moscow"; the theme and place when the sentence has no word for it."""
    found = next(((noun, m) for theme, cue, noun in _TITLE_CUES if theme == x.theme
                  for m in [cue.search(x.quote)] if m), None)
    noun = found[0] if found else None
    places = [p for p in x.places if p.stated] or x.places
    if found:
        # "a cross-channel invasion of France": the place the sentence ties to the word comes first
        after = x.quote[found[1].end():found[1].end() + 60]
        tied = [p for p in places if p.text and re.match(rf"\W*(?:of|in|at|near|from|to)\s+(?:the\s+)?{re.escape(p.text)}\b",
                                                        after)]
        places = tied + [p for p in places if p not in tied]
    preferred = {"Deportation": ("origin",), "Expulsion": ("origin",)}.get(noun or "", ("site", "destination", "origin"))
    place = next((p for role in preferred for p in places if p.role == role and p.kind != "country"), None) or \
        next((p for p in places if p.kind != "country"), None) or (places[0] if places else None)
    if noun is None:
        return x.default_title()
    if place is None:
        return noun
    # as the sentence names it (Leningrad in 1941, not Saint Petersburg); an adjective gives the name itself
    name = (place.text if place.stated else None) or place.name
    if noun in ("Deportation", "Expulsion") and place.role != "origin":
        return f"{noun} to {name}"
    return f"{noun} {_PREPOSITION.get(noun, 'in')} {name}"


def _sentence_key(x: ExtractedEvent) -> tuple[str, str]:
    """The same sentence copied into several texts is one event: compare its words, not its bytes."""
    return re.sub(r"[^a-z0-9]+", " ", x.quote.lower()).strip(), x.theme


def join_events(extracted: Iterable[ExtractedEvent], catalog: Iterable[Event], *,
                fiction_docs: Iterable[str] = (), area_km2: dict[str, float] | None = None) -> JoinResult:
    """Attach extracted events to curated records as claims; mark records whose claims disagree.

    Extracted events that match no record become events of their own (provenance ``extracted``),
    one per sentence however many texts repeat it, titled in the sentence's words, with the reasons
    (if any) why the default map leaves them out (:func:`draw_reasons`). A sentence of a fiction or
    alternate-history source (``fiction_docs``) is contrasted with the record it names ("this source
    says…"), never counted as evidence or as a dispute; what only fiction tells is an ``alternate``
    event. Each :class:`ExtractedEvent` is updated in place: ``event_id``, ``title``, ``provenance``,
    ``disputed``.
    """
    catalog = list(catalog)
    fiction_docs = frozenset(fiction_docs)
    index = CatalogIndex(catalog)
    claims: dict[str, list[Claim]] = {e.id: [] for e in catalog}
    disagreements: dict[str, list[str]] = {}
    contrasts: dict[str, list[str]] = {}
    members: dict[str, list[ExtractedEvent]] = {e.id: [] for e in catalog}
    loose: dict[tuple[str, str], list[tuple[ExtractedEvent, Claim]]] = {}
    read: set[tuple[str, int]] = set()
    claimed: set[tuple[str, str | None, int | None]] = set()
    stated: dict[str, list[tuple[ExtractedEvent, Claim]]] = {}   # claims that state their own date
    extracted = list(extracted)
    by_id = {e.id: e for e in catalog}
    for x in extracted:
        fiction = x.doc in fiction_docs
        chosen = x.record_choice
        if chosen is not None and (chosen[0] is None or chosen[0] in by_id):
            record, name = (by_id[chosen[0]] if chosen[0] else None), chosen[1]   # chosen with the document
        else:
            record, name = choose_record(x, index)
        claim = _claim(x, fiction=fiction)
        dated = record is not None and (_date_belongs_to_name(x, name) or (name is None and not x.inherited_date)) \
            and not COMMEMORATION.search(x.quote)
        if record is not None and not dated and not _overlaps(x.first, x.last, record.start, record.end):
            # "after Stalin's death" in a sentence dated 1926: it names the event, its years are another
            # event's; not a claim of the record (so never a silent wrong date on it), judged on its own
            record = None
        if record is None:
            loose.setdefault(_sentence_key(x), []).append((x, claim))
            continue
        x.event_id, x.title, x.provenance = record.id, record.title, "curated"
        read.add((x.doc, x.start))
        members[record.id].append(x)
        if (record.id, claim.doc, claim.start) in claimed:
            continue  # one sentence read under two themes is still one claim
        claimed.add((record.id, claim.doc, claim.start))
        claims[record.id].append(claim)
        # a commemoration's date and place are the commemoration's ("the parade for the Revolution, 1941")
        why = None if COMMEMORATION.search(x.quote) else claim_disagrees(claim, x.quote, record, x.first, x.last,
                                                                         dated=dated)
        if dated:
            stated.setdefault(record.id, []).append((x, claim))
        if why and fiction:
            contrasts.setdefault(record.id, []).append(f"{x.doc}@{x.start}: this source says {why}")
        elif why:
            disagreements.setdefault(record.id, []).append(f"{x.doc}@{x.start}: {why}")
    for record in catalog:
        for why in compare_claims(record, claims[record.id], stated.get(record.id, [])):
            target = contrasts if why.startswith(FICTION_MARK) else disagreements
            target.setdefault(record.id, []).append(why.removeprefix(FICTION_MARK))
    joined = []
    for event in catalog:
        curated_claim = Claim(provenance="curated", year_start=event.year_start, year_end=event.year_end,
                              places=event.places, people=event.people[0].count if event.people else None,
                              sources=list(event.sources))
        disputed = event.id in disagreements
        joined.append(event.model_copy(update={
            "claims": [curated_claim, *claims[event.id]], "disputed": disputed,
            "reasons": disagreements.get(event.id, []), "contrasts": contrasts.get(event.id, [])}))
        for x in members[event.id]:
            x.disputed = disputed
    return JoinResult(events=joined + _standalone(loose, read, fiction_docs, area_km2), extracted=extracted,
                      disagreements=disagreements)


FICTION_MARK = "\0fiction:"
# what a number counts, from the words around it: figures are compared only when they count the same thing
MEASURES = {"deport": "deported", "resettl": "deported", "carried off": "deported", "shipped": "deported",
            "execut": "executed", "shot": "executed", "drown": "died",
            "kill": "killed", "die": "died", "death": "died", "perish": "died", "casualt": "casualties",
            "prisoner": "prisoners", "gulag": "prisoners", "camp": "prisoners", "arrest": "arrested"}
_MEASURE = re.compile(r"\b(" + "|".join(MEASURES) + r")\w*", re.IGNORECASE)
NUMBER_RATIO = 1.25   # a figure more than 25 % above another of the same measure contradicts it


def measure_of(quote: str) -> str | None:
    m = _MEASURE.search(quote)
    return MEASURES[m.group(1).lower()] if m else None


def compare_claims(record: Event, claims: list[Claim], stated: list[tuple[ExtractedEvent, Claim]]) -> list[str]:
    """Disagreements between the texts themselves about one event, in words: dates each states that do
    not overlap, and figures of the same measure more than 25 % apart (each text against the others and
    against the record's own sourced figure). A fiction source's side is marked ``FICTION_MARK``: it is
    contrasted, not counted as a dispute."""
    out = []
    # two texts dating one happening differently (a death, a launch): only for an event of days, told to
    # the day or month by both; over a period (a residence, a war) two dates are two moments of it. Copies of
    # one telling (a sentence reprinted in many texts) are one side, as in _passage_reasons.
    brief = (record.end.last_day() - record.start.first_day()).days <= 31
    dated: dict[tuple, list[Claim]] = {}
    for x, a in stated if brief else []:
        dated.setdefault((x.first, x.last, a.fiction), []).append(a)
    dates = list(dated.items())
    for i, ((first_x, last_x, fiction_x), copies_x) in enumerate(dates):
        for (first_y, last_y, fiction_y), copies_y in dates[i + 1:]:
            if len({a.doc for a in copies_x} | {b.doc for b in copies_y}) < 2 \
                    or _overlaps(first_x, last_x, first_y, last_y) or first_x.month is None \
                    or first_y.month is None or (first_x.year, first_x.month) == (first_y.year, first_y.month):
                continue
            mark = FICTION_MARK if fiction_x or fiction_y else ""
            out.append(f"{mark}{_cite(copies_x)}: dates {first_x}–{last_x} against {_cite(copies_y)}: {first_y}–{last_y}")
    # figures compare only when they count the same thing from the same years: a camp population in
    # 1941 is not a contradiction of the number who passed through the camps in 1930-1953
    counted: dict[tuple, list[Claim]] = {}
    for c in claims:
        if c.people:
            counted.setdefault((c.people, measure_of(c.quote), c.year_start, c.year_end, c.fiction), []).append(c)
    figures = list(counted.items())
    own = record.people[0] if record.people else None
    record_years = record.end.year - record.start.year + 1
    for i, ((people, what, year_start, year_end, fiction), copies) in enumerate(figures):
        if what is None:
            continue
        if own is not None and measure_of(own.what) == what and figures_apart(people, own.count) \
                and (year_end - year_start + 1) * 2 >= record_years:
            out.append(f"{FICTION_MARK if fiction else ''}{_cite(copies)}: {people:,} {what} against the "
                       f"sourced {own.count:,}")
        for (people_b, other, year_start_b, _, fiction_b), copies_b in figures[i + 1:]:
            if other == what and len({a.doc for a in copies} | {b.doc for b in copies_b}) >= 2 \
                    and figures_apart(people, people_b) and abs(year_start - year_start_b) <= 1:
                mark = FICTION_MARK if fiction or fiction_b else ""
                out.append(f"{mark}{_cite(copies)}: {people:,} {what} against {_cite(copies_b)}: {people_b:,}")
    return out


def figures_apart(a: float, b: float) -> bool:
    """Two figures of one measure that cannot both be right: the larger more than 25 % above the other."""
    return max(a, b) > NUMBER_RATIO * min(a, b)


PARALLEL_MIN_SHARED = 6       # words two sentences must share to be the same passage told twice
PARALLEL_MIN_JACCARD = 0.5


def parallel_passages(groups: list[list[tuple[ExtractedEvent, Claim]]]) -> list[list[tuple[ExtractedEvent, Claim]]]:
    """Merge the groups whose sentences are one passage told by several texts with changes ("nearly 1.6
    million … between 1941 and 1943" / "nearly 3.3 million … between 1941 and 1949"): same theme, other
    documents, at least half their words shared. Candidates come from shared word pairs, so long texts
    are not compared sentence by sentence with each other."""
    from .passages import content_words, similar_pairs

    words = [content_words(g[0][0].quote) for g in groups]
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for i, j, shared, jaccard in similar_pairs(words, key=lambda i: groups[i][0][0].theme,
                                               doc=lambda i: groups[i][0][0].doc):
        if shared >= PARALLEL_MIN_SHARED and jaccard >= PARALLEL_MIN_JACCARD \
                or _same_happening(groups[i][0][0], groups[j][0][0], shared):
            parent[root(j)] = root(i)
    merged: dict[int, list] = {}
    for i, group in enumerate(groups):
        merged.setdefault(root(i), []).extend(group)
    return list(merged.values())


SAME_TOWN_MIN_SHARED = 4   # words beyond the town two tellings of one happening share ("Pontic Greeks … Trabzon")


def _same_happening(x: ExtractedEvent, y: ExtractedEvent, shared: int) -> bool:
    """Two texts telling one happening in their own words: the same theme, a town or site both name,
    and more words in common than the town's name (the same people, the same act)."""
    towns = {p.place_id for p in x.places if p.stated and p.kind in PRECISE_KINDS} & \
        {p.place_id for p in y.places if p.stated and p.kind in PRECISE_KINDS}
    return x.theme == y.theme and bool(towns) and shared - 2 * len(towns) >= SAME_TOWN_MIN_SHARED


def _passage_reasons(members: list[tuple[ExtractedEvent, Claim]]) -> tuple[list[str], list[str]]:
    """What the texts telling one passage disagree on: the dates each states, and same-measure figures.

    Copies of one telling (the same dates, figure and measure: a sentence reprinted in many texts) are
    compared once, as one side citing each of their documents (:func:`_cite`): a passage in a hundred
    texts costs its distinct tellings squared, not a hundred squared, and each disagreement is said once."""
    tellings: dict[tuple, list[tuple[ExtractedEvent, Claim]]] = {}
    for x, a in members:
        what = measure_of(a.quote) if a.people else None
        tellings.setdefault((x.inherited_date, x.first, x.last, a.people, what, a.fiction), []).append((x, a))
    reasons, contrasts = [], []
    kinds = list(tellings.items())
    for i, ((inherited_x, first_x, last_x, people_x, what_x, fiction_x), copies_x) in enumerate(kinds):
        for (inherited_y, first_y, last_y, people_y, what_y, fiction_y), copies_y in kinds[i + 1:]:
            docs = {x.doc for x, _ in copies_x} | {y.doc for y, _ in copies_y}
            if len(docs) < 2:
                continue          # a text that tells a passage twice is not a second source
            target = contrasts if fiction_x or fiction_y else reasons
            side_x, side_y = _cite([a for _, a in copies_x]), _cite([b for _, b in copies_y])
            # at the precision both state: "September 1941" and "November 1941" differ, "1941" and "November 1941" do not
            if not inherited_x and not inherited_y and (
                    first_x.first_day() > last_y.last_day() or first_y.first_day() > last_x.last_day()):
                target.append(f"{side_x}: dates {first_x}–{last_x} against {side_y}: {first_y}–{last_y}")
            if people_x and people_y and what_x and what_x == what_y and figures_apart(people_x, people_y):
                target.append(f"{side_x}: {people_x:,} {what_x} against {side_y}: {people_y:,}")
    return reasons, contrasts


CITED_COPIES = 3    # documents named for one side of a disagreement; the rest are counted


def _cite(copies: list[Claim]) -> str:
    """"doc@start" of the first copy in each document, three at most, then how many more documents."""
    firsts: dict[str, int] = {}
    for a in copies:
        firsts.setdefault(a.doc, a.start)
    cited = ", ".join(f"{doc}@{start}" for doc, start in list(firsts.items())[:CITED_COPIES])
    more = len(firsts) - CITED_COPIES
    return cited + (f" and {more} more" if more > 0 else "")


def _standalone(loose: dict, read: set, fiction_docs: frozenset, area_km2: dict[str, float] | None) -> list[Event]:
    """Events only the texts tell: one per passage (merged across texts), in text order."""
    events = []
    groups = parallel_passages(list(loose.values()))
    for members in sorted(groups, key=lambda m: (m[0][0].doc, m[0][0].start)):
        history = [(x, c) for x, c in members if x.doc not in fiction_docs]
        x, _ = (history or members)[0]
        first_reading = (x.doc, x.start) not in read
        read.add((x.doc, x.start))
        title = event_title(x)
        event_id = re.sub(r"[^a-z0-9-]", "-", f"x-{x.doc}-{x.start}-{x.theme}".lower())
        for member, _ in members:
            member.title, member.event_id = title, event_id
        people = x.people if history else None      # a fiction source never sets a figure
        reasons, contrasts = _passage_reasons(members)
        events.append(Event(
            id=event_id, title=title, theme=x.theme, start=x.first, end=x.last, places=x.places, actors=x.actors,
            claims=[c for _, c in members], provenance="extracted", confidence=0.5 if x.inherited_date else 0.7,
            people=[] if people is None else [{"count": people, "what": "people"}],
            uncertain=draw_reasons(x, first_reading=first_reading, area_km2=area_km2), alternate=not history,
            disputed=bool(reasons), reasons=reasons, contrasts=contrasts))
    return events
