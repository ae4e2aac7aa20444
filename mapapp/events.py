"""Extracting dated events from any text: one per sentence and theme, with places, roles and numbers.

The pipeline is a list of named steps over the sentences of a document:

1. ``sentences``: split into sentences (and headings, list items), keeping offsets;
2. ``dates``: find the dates a sentence states (:mod:`mapapp.dates`); a sentence without one inherits
   the last date of its paragraph (or of the heading above it), as a reader would;
3. ``themes``: weigh theme cues (``deported``, ``siege``, ``purge``, ``famine``, ``revolution``,
   ``born``, ``pact``…), keeping up to two themes a sentence supports;
4. ``places``: the geoparser's mentions inside the sentence, with roles (``from`` → origin,
   ``to``/``into`` → destination for movements), places implied by adjectives ("Siberian camps";
   ``geodata/lexicon/place_adjectives.csv``) and, for deportations, the homeland a deported people's
   name implies (``Chechens`` → Chechnya; ``geodata/lexicon/peoples_homelands.csv``);
5. ``people``: the number of people the sentence states (lower bound of a range).

Each result is an :class:`ExtractedEvent`: what this text says, in its own years and places.
"""
from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .catalog import CatalogIndex
from .config import GEODATA_DIR
from .dates import DateMention, find_dates
from .gazetteer import Gazetteer, default_gazetteer
from .models import Document, Mention
from .records import THEMES, EventPlace, HistDate
from .toponyms import geoparse

# --- step 1: sentences ------------------------------------------------------------------------
_ABBREVIATIONS = ("St.", "Mr.", "Mrs.", "Dr.", "Gen.", "Lt.", "Col.", "Capt.", "U.S.", "U.K.", "Jr.", "Sr.", "vs.",
                  "c.", "ca.", "e.g.", "i.e.", "No.", "Vol.", "pp.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.",
                  "Dec.", "U.S.S.R.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into ``text``; a blank line starts a new paragraph."""
    out: list[Sentence] = []
    paragraph = 0
    start = 0
    for m in _SENTENCE_END.finditer(text):
        candidate = text[start:m.start()]
        if "\n" not in m.group(0) and candidate.rstrip().endswith(_ABBREVIATIONS):
            continue
        _append(out, text, start, m.start(), paragraph)
        if m.group(0).count("\n") >= 2:
            paragraph += 1
        start = m.end()
    _append(out, text, start, len(text), paragraph)
    return out


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph))


# --- step 3: themes ---------------------------------------------------------------------------
# (pattern, weight): a weight of 2 is a cue that alone makes the theme; 1 needs support.
THEME_CUES: dict[str, list[tuple[str, int]]] = {
    "deportation": [(r"deport\w*", 3), (r"forcibly (?:re)?settl\w*|forced (?:re)?settle\w*|resettle\w*", 2),
                    (r"(?:forcibly|forcefully|forcely) (?:displac|mov|transferr|relocat)\w*", 3),
                    (r"displac\w*", 1), (r"population transfer\w*", 3), (r"special settle\w*", 2), (r"(?:were|was) sent (?:east|into exile|on|away|off)|trains? left", 2),
                    (r"expel\w*|expulsion", 1), (r"nationalit\w*|whole (?:peoples|nations)", 1),
                    # flight and removal as most history texts tell them, not only "deported"
                    (r"refugees?|evacuat\w*|evict\w*|driven out|drove (?:\w+ )*?out|forced out|uproot\w*", 2),
                    (r"population exchange|exchange of populations|compulsory transfer|remov\w+ the whole", 3),
                    (r"fled|flee\w*|flight|emigra\w*|shipped|put on board|embark\w*|convoys?|columns of", 1),
                    (r"sailed|ships?\b|vessels?|landed", 1)],
    "front": [(r"battles?", 2), (r"sieges?|besieg\w*|blockade of leningrad", 3), (r"offensives?|counter-?offensive", 2),
              (r"invasion|invad\w*", 2), (r"front(?:s|line)?\b", 1), (r"war\b|wars\b|wartime|world war", 1),
              (r"attack\w*", 1), (r"captur\w*|liberat\w*|recaptur\w*", 1), (r"occup\w*|overr[au]n|controlled", 1),
              (r"surrender\w*", 2), (r"defeat\w*", 1), (r"encircl\w*|surround\w*|bombard\w*|bombing|shelling", 1),
              (r"army|armies|troops|wehrmacht|red army|soldiers|columns|regiments|divisions|corps\b", 1),
              (r"crossed|marched|advanc\w*|rearguard|vanguard", 1), (r"fought|fighting|combat|victory", 1),
              (r"operation\b", 1), (r"uprising", 1),
              (r"fell\b|fall of|entered", 1), (r"storm\w*|mauled|counter-?attack\w*|withdr[ae]w\w*|retreat\w*|held out|skirmish\w*|routed|took\b", 1)],
    "repression": [(r"purg\w*", 2), (r"execut\w*|shot\b", 2), (r"arrest\w*", 2),
                   (r"prisoners?|inmates|convicts|zeks?", 2), (r"gulags?|labou?r camps?", 2),
                   (r"camps?\b", 1), (r"show trials?|trials?\b", 2), (r"terror\b", 2), (r"repress\w*", 2),
                   (r"persecut\w*", 2), (r"nkvd|ogpu|cheka|secret police", 1), (r"massacre\w*", 2),
                   (r"assassinat\w*|murder\w*", 2), (r"imprison\w*|prison\w*", 1), (r"killings|executions|shootings", 2), (r"killed|killing|victims", 1), (r"secret police", 2),
                   (r"dekulak\w*|kulaks?", 2), (r"mass graves?|graves?", 1), (r"bodies|corpses", 1)],
    "famine": [(r"famines?", 3), (r"starv\w*", 2), (r"holodomor|asharshylyk", 3), (r"hunger", 2), (r"blight", 3),
               (r"crop failure", 2), (r"food shortage\w*|requisition\w*", 1)],
    "revolution": [(r"revolution\w*", 2), (r"bolshevik\w*", 1), (r"civil war", 3), (r"insurrection|revolt\w*", 2),
                   (r"uprising", 1), (r"coup\b|storm\w* (?:of )?the winter palace|overthr\w*", 2),
                   (r"red guards?|white (?:army|armies|guards?)|whites\b", 1), (r"abdicat\w*", 2),
                   (r"tsar\w*|czar\w*", 1), (r"mensheviks?|soviets\b|provisional government", 1),
                   (r"robbery|expropriation", 2), (r"the reds\b|the whites\b|white generals?", 2)],
    "biography": [(r"born|birth(?:place)?", 3), (r"died|death(?!s)|funeral|buried|burial|coffin|ashes|suicide|shot himself", 2),
                  (r"stroke|illness|retire\w*|semi-retirement", 2), (r"dispatched|sent|appointed|assigned", 1),
                  (r"became|served|worked|joined|elected", 1),
                  (r"married|marriage|wife|husband|son|daughter|childhood", 1),
                  (r"studied|educated|seminary|school", 2), (r"exiled|exile", 2), (r"escaped|fled", 1),
                  (r"travel\w*|visit\w*|returned|moved to|leaving|left for|arrived|emigrated", 2),
                  (r"lived in|resided|settled in", 2), (r"residence|dacha|home\b", 1),
                  (r"sent \w+ to|transferred to|posted to", 2), (r"expulsion|expelled", 1)],
    "diplomacy": [(r"pacts?", 3), (r"treat(?:y|ies)", 3), (r"conferences?", 3), (r"agreements?|accords?", 2),
                  (r"alliance|allied|allies", 1), (r"annex\w*|ceded|incorporat\w*|merged into", 3), (r"peace\b|armistice|ceasefire", 2), (r"blockade|blocade", 2),
                  (r"negotiat\w*|diplomat\w*|summit|envoy|ambassador|embassy|delegation", 2), (r"signed|non-aggression", 2),
                  (r"communist governments?|satellite|sphere of influence|iron curtain", 2),
                  (r"recogni[sz]\w*|declared war|broke with|relations with", 2), (r"cold war|supported|ally\b", 1)],
}
# Each theme's cues in one pattern over the lower-cased sentence, each a named group "c<i>", so a
# sentence is scanned once per theme (a cue counts once however often it occurs). One pattern per theme,
# not one for all: a word that cues two themes ("emigrated": a flight, and a life) counts for both.
_THEME_PATTERNS = [(theme, re.compile(r"(?<![a-z])(?=[a-z])(?:" + "|".join(rf"(?P<c{i}>{p.lower()})"
                                                                      for i, (p, _) in enumerate(cues)) + ")"),
                    {f"c{i}": w for i, (_, w) in enumerate(cues)})
                   for theme, cues in THEME_CUES.items()]
THEME_THRESHOLD = 2


def theme_scores(sentence: str) -> dict[str, int]:
    """Each theme's cue weight in the sentence."""
    return {theme: sum(w) for theme, w in _cue_weights(sentence).items()}


# Where any cue starts: one scan of the sentence finds the positions, and each theme's pattern is then
# tried only there (a sentence has a handful of cue words among dozens of words).
_ANY_CUE = re.compile(r"(?<![a-z])(?=[a-z])(?=(?:" + "|".join(p.lower() for cues in THEME_CUES.values()
                                                               for p, _ in cues) + "))")   # zero-width: every start


def _cue_weights(sentence: str) -> dict[str, list[int]]:
    """The weights of each theme's cues found in the sentence."""
    lowered = sentence.lower()
    starts = [m.start() for m in _ANY_CUE.finditer(lowered)]
    if not starts:
        return {}
    found: dict[str, list[int]] = {}
    for theme, pattern, weights in _THEME_PATTERNS:
        groups = set()
        for at in starts:
            m = pattern.match(lowered, at)
            if m:
                groups.add(m.lastgroup)
        if groups:
            found[theme] = [weights[g] for g in groups]
    return found


# A life is told of a person: "he", "she", or a named one ("Napoleon left the army", "Stalin died");
# "many died" and "thousands were born" are not biography.
_PERSON = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|[Hh]im|[Hh]imself|[Hh]erself)\b|"
                     r"^(?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+(?: (?:was|had|died|left|returned|arrived|married|became|moved|lived"
                     r"|[a-z]+ed)\b|,? \(?born\b)")


def choose_themes(sentence: str, *, limit: int = 3) -> list[str]:
    """Themes the sentence supports, strongest first (ties: the strongest single cue, then the order of ``THEMES``).

    A sentence can state several events ("the siege began and thousands were deported"), so every
    theme with enough cues is kept, up to ``limit``; a biography needs a person to be about.
    """
    weights = _cue_weights(sentence)
    if "biography" in weights and not _PERSON.search(sentence):
        del weights["biography"]
    scores = {t: sum(w) for t, w in weights.items()}
    # at equal weight, one strong word ("made peace") says more than two weak ones ("army", "war")
    ranked = sorted((t for t, s in scores.items() if s >= THEME_THRESHOLD),
                    key=lambda t: (-scores[t], -max(weights[t]), THEMES.index(t)))
    return ranked[:limit]


# The Russian Civil War: fighting in these years is also the revolution's story.
CIVIL_WAR_YEARS = (1917, 1922)
_CIVIL_WAR = re.compile(r"\bcivil war\b", re.IGNORECASE)


# --- step 5: people counts --------------------------------------------------------------------
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                      "ninety": 90, "hundred": 100, "a": 1, "an": 1, "several": 2, "a few": 2})
_MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "millions": 1_000_000, "billion": 1_000_000_000,
                "thousands": 1_000, "hundreds": 100}
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_COUNT = re.compile(
    rf"\b(?P<a>{_NUM})(?:\s*(?:-|–|to|or)\s*(?P<b>{_NUM}))?(?:\s*(?P<mult>thousands?|millions?|billion|hundreds))?"
    rf"(?P<of>\s+of\s+thousands)?(?P<after>\s+\w+)?", re.IGNORECASE)
_NOT_PEOPLE = re.compile(r"\s+(?:km|kilomet\w*|miles?|years?|days?|months?|weeks?|hours?|tons?|tonnes?|rubles?|"
                         r"roubles?|dollars?|percent|per|%|st|nd|rd|th|am|pm|metres?|meters?|square)\b", re.IGNORECASE)


def _number(token: str) -> float | None:
    token = token.lower()
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


def find_people_count(sentence: str, date_spans: list[tuple[int, int]]) -> int | None:
    """The first count of people the sentence states ("750,000", "20 million", "three to seven millions")."""
    spans = sorted(date_spans)
    starts = [s for s, _ in spans]
    for m in _COUNT.finditer(sentence):
        # inside a date span? (by bisection: a long sentence with many dates and numbers stays linear)
        at = bisect.bisect_right(starts, m.start("a")) - 1
        if at >= 0 and spans[at][0] <= m.start("a") < spans[at][1]:
            continue
        after = m.group("after") or ""
        if _NOT_PEOPLE.match(after) and not m.group("mult"):
            continue
        if m.group("mult") is None and "," not in m.group("a"):
            continue  # bare small numbers ("4 years", "two sons") are rarely head counts
        value = _number(m.group("a"))
        if value is None:
            continue
        multiplier = _MULTIPLIERS.get((m.group("mult") or "").lower(), 1)
        if m.group("of"):
            multiplier *= 1_000
        count = int(value * multiplier)
        if count >= 100:
            return count
    return None


# --- step 4: places and roles -----------------------------------------------------------------
_ORIGIN_BEFORE = re.compile(r"\b(?:from|out of|leaving|left|fled|expelled from)\s+(?:the\s+)?$", re.IGNORECASE)
_DESTINATION_BEFORE = re.compile(r"\b(?:to|into|towards?|for|reached|arrived in|sent to|exiled to)\s+(?:the\s+)?$",
                                 re.IGNORECASE)
MOVEMENT_THEMES = ("deportation", "biography")


@lru_cache(maxsize=1)
def peoples_homelands() -> dict[str, str]:
    """Deported peoples and the homeland their name implies (curated, sourced)."""
    with (GEODATA_DIR / "lexicon" / "peoples_homelands.csv").open(encoding="utf-8", newline="") as f:
        return {row["people"]: row["homeland"] for row in csv.DictReader(f)}


@lru_cache(maxsize=1)
def place_adjectives() -> dict[str, str]:
    """Adjectives that point at a place ("Siberian camps" → Siberia), for events only (curated, sourced)."""
    with (GEODATA_DIR / "lexicon" / "place_adjectives.csv").open(encoding="utf-8", newline="") as f:
        return {row["adjective"]: row["place"] for row in csv.DictReader(f)}


@lru_cache(maxsize=1)
def _peoples_pattern() -> re.Pattern:
    """All the deported peoples' names in one pattern (overlapping names: "Crimean Tatars" and "Tatars"
    are both found, by a lookahead, as a search per people would find them)."""
    words = sorted(peoples_homelands(), key=len, reverse=True)
    return re.compile(r"\b(?=(" + "|".join(re.escape(w) for w in words) + r")\b)")


@lru_cache(maxsize=1)
def _adjective_pattern() -> re.Pattern:
    words = sorted(place_adjectives(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


def _role(text: str, mention, theme: str) -> str:
    if theme not in MOVEMENT_THEMES:
        return "site"
    before = text[max(0, mention.start - 30):mention.start]
    if _ORIGIN_BEFORE.search(before):
        return "origin"
    if _DESTINATION_BEFORE.search(before):
        return "destination"
    return "site"


def _event_places(text: str, mentions: list[Mention], theme: str, sentence: Sentence,
                  gazetteer: Gazetteer) -> tuple[list[EventPlace], list[str]]:
    places: list[EventPlace] = []
    for m in mentions:
        if theme != "biography" and text[m.end:m.end + 2] in ("'s", "’s"):
            continue  # "Germany's invasion": the possessor acts; it is not where it happened
        place = EventPlace(name=m.place.name, role=_role(text, m, theme), lat=m.place.lat, lon=m.place.lon,
                           place_id=m.place.id, kind=m.place.kind, text=m.text)
        if all(p.place_id != place.place_id or p.role != place.role for p in places):
            places.append(place)
    # "Siberian camps", "Soviet citizens": an adjective implies the place when the sentence names it no other way
    named = {p.place_id for p in places}
    for m in _adjective_pattern().finditer(sentence.text):
        hits = gazetteer.search(place_adjectives()[m.group(1)])
        if not hits or hits[0].id in named or (m.group(1) == "Soviet" and places):
            continue
        at = _Span(sentence.start + m.start(), sentence.start + m.end())
        places.append(EventPlace(name=hits[0].name, role=_role(text, at, theme), lat=hits[0].lat, lon=hits[0].lon,
                                 place_id=hits[0].id, kind=hits[0].kind, stated=False, text=m.group(1)))
        named.add(hits[0].id)
    actors = list(dict.fromkeys(m.group(1) for m in _peoples_pattern().finditer(sentence.text)))
    actors = sorted(actors, key=list(peoples_homelands()).index)      # in the table's order, as before
    # "Kalmyks" inside "Crimean Tatars, Kalmyks" counts; "Tatars" inside "Crimean Tatars" is the same people
    actors = [a for a in actors if not any(a != b and a in b for b in actors)]
    if theme == "deportation":
        homes = {}
        for people in actors:
            hits = gazetteer.search(peoples_homelands()[people])
            if hits:
                homes[hits[0].id] = hits[0]
        # a deported people's homeland is where they were taken from, never where they were taken to
        for p in places:
            if p.place_id in homes:
                p.role = "origin"
        if places and not any(p.role == "destination" for p in places) and actors:
            for p in places:
                if p.role == "site":
                    p.role = "destination"
        if not any(p.role == "origin" and p.stated for p in places):
            present = {p.place_id for p in places}
            for home in homes.values():
                if home.id not in present:
                    places.append(EventPlace(name=home.name, role="origin", lat=home.lat, lon=home.lon,
                                             place_id=home.id, kind=home.kind, stated=False))
    return places, actors


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int


# --- the pipeline -----------------------------------------------------------------------------
@dataclass(slots=True)
class ExtractedEvent:
    """What one sentence of one document says happened: its own years, places and numbers."""

    doc: str
    start: int
    end: int
    quote: str
    theme: str
    first: HistDate
    last: HistDate
    places: list[EventPlace]
    people: int | None = None
    actors: list[str] = field(default_factory=list)
    date_text: str = ""
    inherited_date: bool = False
    date_spans: list[tuple[int, int]] = field(default_factory=list)  # offsets of the stated dates in ``quote``
    title: str = ""
    event_id: str | None = None
    provenance: str = "extracted"
    disputed: bool = False
    heading: bool = False              # the "sentence" is a heading (or a table-of-contents line)
    theme_stated: bool = True          # the sentence's own words carry the theme (not its neighbours')
    date_from_heading: bool = False    # an inherited date came from the section's heading
    # the curated record the sentence is about and the name it gives it (ids; ``None`` when none), chosen
    # with the per-document work (see mapapp.dataset.process_document) so the join need not; None: not chosen
    record_choice: tuple[str | None, str | None] | None = None

    @property
    def year_start(self) -> int:
        return self.first.year

    @property
    def year_end(self) -> int:
        return self.last.year

    def default_title(self) -> str:
        where = next((p.name for p in self.places if p.role in ("site", "origin")), None) or \
            (self.places[0].name if self.places else "")
        years = str(self.year_start) if self.year_start == self.year_end else f"{self.year_start}–{self.year_end}"
        return f"{self.theme.capitalize()}: {where}, {years}"

    def to_record(self) -> dict:
        """The stable JSON shape of ``mapapp events --format jsonl``."""
        return {
            "doc": self.doc, "start": self.start, "end": self.end, "quote": self.quote, "theme": self.theme,
            "title": self.title or self.default_title(), "year_start": self.year_start, "year_end": self.year_end,
            "places": [{"name": p.name, "lat": round(p.lat, 5), "lon": round(p.lon, 5), "role": p.role}
                       for p in self.places],
            "people": self.people, "provenance": self.provenance, "disputed": self.disputed,
        }


def _is_heading(sentence: Sentence) -> bool:
    return len(sentence.text) < 90 and not sentence.text.rstrip().endswith((".", "!", "?", ":", ";", ","))


def extract_events(document: Document, *, mentions: list[Mention] | None = None,
                   gazetteer: Gazetteer | None = None, known: CatalogIndex | None = None,
                   sentences: list[Sentence] | None = None) -> list[ExtractedEvent]:
    """Dated events in ``document``, one per sentence and theme, in text order.

    ``known`` (the curated catalog's names) lets a sentence that names an event ("Operation Bagration
    was launched in 1940") state it even without other cues; its places then stand for the text's.
    ``sentences``: the document's :func:`split_sentences`, when the caller has them already.
    """
    gazetteer = gazetteer or default_gazetteer()
    text = document.text
    mentions = mentions if mentions is not None else geoparse(document, gazetteer=gazetteer)
    events: list[ExtractedEvent] = []
    context: DateMention | None = None       # the last date stated in the current paragraph
    heading_context: DateMention | None = None
    theme_context: list[str] = []            # the themes of the heading or sentence before, same paragraph
    heading_themes: list[str] = []
    context_year: int | None = None
    paragraph = -1
    mention_index = 0
    sentences = split_sentences(text) if sentences is None else sentences
    born = birth_year(sentences)
    for sentence in sentences:
        if sentence.paragraph != paragraph:
            paragraph = sentence.paragraph
            context = heading_context
            theme_context = heading_themes
        dates = [d for d in find_dates(sentence.text, context_year=context_year) if not _is_lifespan(sentence.text, d)]
        if not dates and born is not None:
            dates = ages_as_dates(sentence.text, born)
        while mention_index < len(mentions) and mentions[mention_index].end <= sentence.start:
            mention_index += 1
        # the mentions of this sentence: a run from mention_index (mentions are in text order), so a text
        # of many sentences is read in one pass, not each sentence against all the mentions after it
        inside = []
        for i in range(mention_index, len(mentions)):    # (islice would skip from the list's start each time)
            m = mentions[i]
            if m.start >= sentence.end:
                break
            if m.start >= sentence.start and m.end <= sentence.end:
                inside.append(m)
        if dates:
            context_year = dates[-1].year_end
        themes = choose_themes(sentence.text)
        named = [e for e, surface in known.named_in(sentence.text) if " " in surface.strip() or e.theme in themes] \
            if known is not None else []
        for event in named:
            if event.theme not in themes:
                themes.append(event.theme)
        heading = _is_heading(sentence)
        if heading:
            heading_context = dates[0] if dates else None
            heading_themes = themes
            context = heading_context
        # a dated sentence with no cue of its own continues its heading's or predecessor's theme
        # ("900 day siege of Leningrad" / "From September 1941 to January 1944, Leningrad was…")
        use_themes = list(themes or (theme_context if dates else []))
        date, inherited = (dates[0], False) if dates else (context, True)
        if dates and not any(_states_year(d) for d in dates):
            # "on September 29th": the year is the reader's guess, not the sentence's. (Taking it from the
            # paragraph's last year was tried: it read "On 5 December" in a paragraph that had reached 1942
            # as 1942, and drawn events' precision fell from 0.91 to 0.81.)
            inherited = True
        if use_themes and date is not None:
            first, last = _span_of(dates) if dates else (date.first, date.last)
            in_civil_war = CIVIL_WAR_YEARS[0] <= first.year and last.year <= CIVIL_WAR_YEARS[1] + 1
            if {"front", "repression"} & set(use_themes) and "revolution" not in use_themes and in_civil_war:
                use_themes.append("revolution")
            if "revolution" in use_themes and _CIVIL_WAR.search(sentence.text) and first.year > CIVIL_WAR_YEARS[1] + 1:
                # another country's civil war (Greece 1946, China 1945–49) is a war, not the revolution
                use_themes = [t for t in use_themes if t != "revolution"] + (["front"] if "front" not in use_themes else [])
            date_spans = [(d.start, d.end) for d in dates]
            people = find_people_count(sentence.text, date_spans)
            # a theme the neighbours give is still the sentence's own when one of its words supports it
            # ("After Málaga fell, thousands fled east": flight, in a paragraph about refugees)
            own_cues = theme_scores(sentence.text) if not themes else {}
            for theme in use_themes:
                places, actors = _event_places(text, inside, theme, sentence, gazetteer)
                if not places:
                    places = [p.model_copy() for e in named if e.theme == theme for p in e.places][:5]
                if not places:
                    continue
                events.append(ExtractedEvent(
                    doc=document.id, start=sentence.start, end=sentence.end, quote=sentence.text, theme=theme,
                    first=first, last=last, places=places, people=people, actors=actors,
                    date_text=", ".join(d.text for d in dates) or date.text, inherited_date=inherited,
                    date_spans=date_spans, heading=heading, theme_stated=theme in themes or theme in own_cues,
                    date_from_heading=inherited and date is heading_context))
        if dates:
            context = dates[-1]
        if themes:
            theme_context = themes
    return events


_YEAR_TEXT = re.compile(r"\b(?:1[6-9]\d\d|20\d\d)\b|\d0'?s\b|\b(?:twenties|thirties|forties|fifties|sixties)\b|^'?\d\d$",
                        re.IGNORECASE)


def _states_year(date: DateMention) -> bool:
    """Whether the words of a date give its year ("1941", "the 40s", "in 45", "at sixteen" in a life),
    not only a day or month."""
    return bool(_YEAR_TEXT.search(date.text.strip()) or _AGE.match(date.text))


_AGE_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_AGE_WORDS.update({w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
                   if w != "_"})
_AGE = re.compile(r"\b(?:[Aa]t|[Aa]ged)\s+(?:the\s+age\s+of\s+)?(?P<n>\d{1,2}|(?:twenty|thirty|forty|fifty|sixty|seventy|"
                  r"eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|" +
                  "|".join(w for w in _AGE_WORDS if _AGE_WORDS[w] < 20) + r")\b(?!\s*(?:%|per|km|miles|years? (?:later|after|before)))")


def birth_year(sentences: list[Sentence]) -> int | None:
    """The year the text's subject was born, from a lifespan in its first sentences ("Joseph Stalin
    (18 December 1878 – 5 March 1953) was…") or a birth it states there ("was born … in 1878")."""
    for sentence in sentences[:3]:
        for d in find_dates(sentence.text):
            if _is_lifespan(sentence.text, d) or re.search(r"\bborn\b", sentence.text[:d.start]):
                return d.first.year
    return None


def ages_as_dates(sentence: str, born: int) -> list[DateMention]:
    """"At sixteen, he received a scholarship…": the year as a reader counts it from the subject's birth."""
    out = []
    for m in _AGE.finditer(sentence):
        token = m.group("n").lower()
        if token.isdigit():
            age = int(token)
        else:
            tens, _, unit = token.partition("-")
            age = _AGE_WORDS.get(tens, 0) + _AGE_WORDS.get(unit, 0)
        if 1 <= age <= 99:
            # a birthday falls somewhere in the year: "at 74" is 74 or 75 years after the birth year
            out.append(DateMention(m.start(), m.end(), m.group(0), HistDate(year=born + age), HistDate(year=born + age + 1)))
    return out


def _is_lifespan(text: str, date: DateMention) -> bool:
    """"Joseph Stalin (18 December 1878 – 5 March 1953) was…": a life in brackets, not the sentence's date."""
    before, after = text[:date.start].rstrip(), text[date.end:].lstrip()
    bracketed = before.endswith(("(", "(born", "(b.")) and after.startswith((")", ";", ","))
    return bracketed and date.last.year - date.first.year >= 15


def _span_of(dates: list[DateMention]):
    """The range a sentence's dates cover: the earliest start to the latest end."""
    first = min((d.first for d in dates), key=lambda h: h.first_day())
    last = max((d.last for d in dates), key=lambda h: h.last_day())
    return first, last
