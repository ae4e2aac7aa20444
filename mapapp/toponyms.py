"""Finding the places a text names (recognition) and putting them on the map (resolution).

Recognition matches every gazetteer name in the text (Aho–Corasick, leftmost-longest), then weighs
each match as a place or not from evidence in the text:

- how strong a place the name is on its own (a country or curated region; a settlement's size);
- spatial context before or after it ("in", "near", "Battle of", "… Oblast");
- person evidence: a given name or title before it ("Sergei Kirov", "Marshal Zhukov"), a given name
  that starts a full name ("Joseph Stalin"), or a surname this document uses for a person, or one of
  the well-known people in ``geodata/lexicon/person_surnames.csv`` (one sense per discourse);
- common English words ("Union", "March", "Central"), weighed more at a sentence start.

Resolution ranks each accepted name's candidates with the document's context: the countries and
unambiguous places it names, the candidates' distance from them, kind and population, and whether
the name is the place's own, an alias or a historical name.
"""
from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from .gazetteer import ALTERNATE, HISTORICAL, Gazetteer, NameEntry, default_gazetteer
from .lexicon import Lexicon, default_lexicon
from .models import Candidate, Document, Mention, Place

# --- recognition evidence ---------------------------------------------------------------------
SPATIAL_PREPOSITIONS = frozenset(
    "in at near from to into towards toward across through throughout outside inside around via "
    "within between beyond along past reached entered occupied invaded annexed captured liberated "
    "besieged bombed visited exiled deported evacuated born moved returned fled renamed".split())
# Words that make "<word> of X" a place reference: "the city of Kirov", "the Battle of Kursk".
PLACE_OF_NOUNS = frozenset(
    "city town village port capital outskirts suburbs region province oblast district republic "
    "battle siege fall liberation defence defense occupation encirclement streets heart center "
    "centre north south east west northeast northwest southeast southwest parts areas territory "
    "territories governorate gates walls environs vicinity cities towns villages ports regions "
    "provinces districts republics battles sieges".split())
# "<noun> of X" where X names an organisation's seat or scope, not a place: "Communist Party of China".
ORGANISATION_OF_NOUNS = frozenset(
    "party church bank university academy college institute patriarchate council committee ministry "
    "commissariat league association society company corporation embassy orchestra".split())
# Military commands named after their area: "the Department of the Gulf", "the Army of the Potomac".
COMMAND_OF_NOUNS = frozenset("department army armies".split())
# Capitalised, these begin the name of a command or an office, not a reference to the place
# ("the District of Colorado" is a military district; "the district of Kharkiv" is a place).
COMMAND_NAMES = frozenset("department dept district dist division army armies".split())
# A military unit named after its state: "the 1st California Cavalry", "Third Missouri Infantry".
_ORDINALS = ("First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Eleventh Twelfth Thirteenth "
             "Fourteenth Fifteenth Sixteenth Seventeenth Eighteenth Nineteenth Twentieth").split()
_ORDINAL_BEFORE = re.compile(r"(?:\b\d+(?:st|nd|rd|th|d|ST|ND|RD|TH|D)|\b(?:" + "|".join(_ORDINALS + [o.upper() for o in _ORDINALS])
                             + r")|-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|FIRST|SECOND|THIRD|"
                               r"FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH))[ \u00a0]+$")
_UNIT_AFTER = re.compile(r"[ \u00a0]+(?i:(?:State|Colored|Heavy|Light|Mounted|Veteran|Volunteer|Home|Field|Siege)[ \u00a0]+)*"
                         r"(?i:Cavalry|Infantry|Artillery|Volunteers|Regiment|Regiments|Battery|Batteries|Militia|"
                         r"Rifles|Zouaves|Brigade|Legion|Guards|Sharpshooters|Rangers|Engineers)\b")
# An acronym before a name or a noun of people, arms or office modifies it, as an adjective would.
_MODIFIED_AFTER = re.compile(r"[ \u00a0](?:[A-Z][a-z]|(?:troops|forces|army|navy|soldiers|marines|officials|government|"
                             r"administration|military|embassy|diplomats?|envoys?|economy|policy|policies|citizens|"
                             r"companies|company|ambassador|aid|sanctions|authorities|intelligence)\b)")
_CURRENCY_AFTER = re.compile(r"[ \u00a0]?(?:\$|dollars?\b|cents?\b)")
# Civic words after a town that do not make it part of a longer name: "Fargo Mayor Tim Mahoney".
CIVIC_AFTER = frozenset("Mayor Governor Police Sheriff Council Officials Residents Schools County Fire Airport "
                        "Station Court Judge Chief Manager Commissioner".split())
PLACE_SUFFIXES = ("Oblast", "oblast", "region", "Region", "province", "Province", "Governorate",
                  "Krai", "krai", "district", "District", "Raion", "raion", "Uyezd")
# "<place> Conference" still names the place (the annotation rules count "[Tehran] Conference").
EVENT_WORDS = frozenset("Conference Uprising Offensive Trials Trial Agreement Agreements Pact Treaty Accords "
                        "Massacre Operation Front Declaration Airlift Blockade Siege Battle Summit Protocol "
                        "Rising Revolt Pogrom Affair Commune Soviet Raid".split())
QUALIFIERS = frozenset("Soviet Northern Southern Eastern Western Central North South East West Upper "
                       "Lower Greater Outer Inner".split())
ACCEPT_THRESHOLD = 1.2
# A town in a state the text names, over a namesake elsewhere; less than a country's own weight, so a
# world city named beside its neighbours ("diplomats in Paris and Berlin") keeps its sense. Checked on
# WOTR's train split (e2e 54.8 % with 1.5, 54.9 % with 2.5, 54.4 % with 0.75); the big-city bonus gives +0.2.
ADMIN1_BONUS = 1.5
BIG_CITY = 500_000
BIG_CITY_BONUS = 2.5

_WORD_BEFORE = re.compile(r"([A-Za-zÀ-ÿ’'.]+)[ \u00a0]+$")
_WORD_AFTER = re.compile(r"^[ \u00a0]+([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ’'-]*)")
_FULL_NAME = re.compile(r"\b([A-Z][a-zà-ÿ]+)\.?[ \u00a0]+((?:[A-Z][a-zà-ÿ’'-]+[ \u00a0]+){0,2}[A-Z][a-zà-ÿ’'-]+)")


@dataclass(slots=True)
class Match:
    """A gazetteer name found in a text, before it is accepted as a place."""

    start: int
    end: int
    name: str
    score: float = 0.0


def _word_before(text: str, start: int) -> str:
    m = _WORD_BEFORE.search(text, max(0, start - 40), start)
    return m.group(1) if m else ""


def _word_after(text: str, end: int) -> str:
    m = _WORD_AFTER.match(text[end:end + 40])
    return m.group(1) if m else ""


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(«[":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;|"


def document_persons(text: str, lexicon: Lexicon, gazetteer: Gazetteer) -> set[str]:
    """Surnames this text gives a given name or title to ("Sergei Kirov" makes "Kirov" a person).

    Names of countries and regions are never taken for surnames.
    """
    persons: set[str] = set()
    for m in _FULL_NAME.finditer(text):
        first = m.group(1)
        if lexicon.is_given_name(first) or lexicon.is_title(first):
            for token in m.group(2).split():
                if token.endswith(("’s", "'s")):
                    token = token[:-2]
                if not lexicon.is_common_word(token) and not _is_area(gazetteer.lookup(token)):
                    persons.add(token)
    return persons


def _is_area(readings: list[tuple[Place, NameEntry]]) -> bool:
    return any(p.kind in ("country", "region", "water", "site") for p, _ in readings)


def _base_strength(readings: list[tuple[Place, NameEntry]]) -> float:
    """How strongly a name denotes a place on its own: its best reading's prominence."""
    best = 0.0
    for place, entry in readings:
        if place.kind in ("country", "region", "water"):
            strength = 4.0
        elif place.kind == "site":
            strength = 3.0
        else:
            strength = max(0.0, math.log10(place.population + 1) - 3.0)
            if place.population == 0:
                strength = 1.0  # curated settlements (historical table) without a population
        if entry.name_type == ALTERNATE:
            strength -= 0.5
        best = max(best, strength)
    return best


def _common_word_penalty(readings: list[tuple[Place, NameEntry]], is_area: bool) -> float:
    """How much being a common English word ("union", "march") counts against a name.

    Big cities keep their place sense (Berlin, Baku and Perm are also rare English words).
    """
    if is_area:
        return 1.0
    population = max((p.population for p, _ in readings), default=0)
    if population >= 1_000_000:
        return 0.5
    if population >= 100_000:
        return 1.0
    return 2.5


def _context_bonus(text: str, start: int, end: int) -> tuple[float, bool]:
    """Spatial evidence around a name; the flag says whether it is strong enough to outweigh a person."""
    before = _word_before(text, start)
    after = _word_after(text, end)
    bonus, strong = 0.0, False
    lower_before = before.lower()
    if lower_before in SPATIAL_PREPOSITIONS:
        bonus += 1.5
        strong = lower_before in ("in", "near", "outside", "at", "besieged", "occupied", "captured", "renamed")
    elif lower_before == "of" or (lower_before == "the" and _word_before(text, start - 4).lower() == "of"):
        with_the = lower_before == "the"      # "the left bank of the Volga", "the Department of the Gulf"
        written = _word_before(text, start - 7 if with_the else start - len(before) - 1)
        noun = written.lower()
        if written[:1].isupper() and noun.rstrip(".") in COMMAND_NAMES:
            bonus -= 5.0                      # "District of Colorado", "DEPT. OF THE SOUTH": a command's name
        elif noun in PLACE_OF_NOUNS:
            bonus += 1.5
            strong = True
        elif noun in COMMAND_OF_NOUNS or (noun in ORGANISATION_OF_NOUNS and not with_the):
            bonus -= 5.0
    if after in PLACE_SUFFIXES:
        bonus += 1.5
        strong = True
    return bonus, strong


def recognize_toponyms(text: str, *, gazetteer: Gazetteer | None = None,
                       lexicon: Lexicon | None = None) -> list[Match]:
    """Place-name matches in ``text`` that the evidence accepts as places, in text order."""
    gazetteer = gazetteer or default_gazetteer()
    lexicon = lexicon or default_lexicon()
    doc_persons = document_persons(text, lexicon, gazetteer)
    persons = doc_persons | lexicon.person_surnames
    accepted: list[Match] = []
    n = len(text)
    for start, end, name in gazetteer.iter_matches(text):
        if (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_@/")) or \
                (end < n and text[end].isalnum()):
            continue
        if start > 0 and text[start - 1] == "-" and not _hyphen_joined(text, start, accepted):
            continue  # "Alma-Ata", not "Ata"; but "Fargo-Moorhead" is two towns
        code = gazetteer.codes.get(name)
        if code == "state" and not text[max(0, start - 2):start].endswith((", ", ",")):
            continue  # "Ky.", "Mo." name a state after a town ("Lexington, Ky."), not elsewhere
        if code == "acronym" and (_CURRENCY_AFTER.match(text, end) or _MODIFIED_AFTER.match(text, end)):
            continue  # "US $3.4 million", "US Eighth Army", "US troops": money or an adjective, not the country
        readings = gazetteer.lookup(name)
        score = _base_strength(readings)
        bonus, strong_context = _context_bonus(text, start, end)
        if not strong_context and _followed_by_state(text, end, gazetteer):
            bonus, strong_context = bonus + 1.5, True    # an address: "Washington, D. C.", "Rolla, Mo."
        score += bonus
        single_word = " " not in name
        is_area = _is_area(readings)
        is_big = is_area or any(p.population >= 100_000 for p, _ in readings)
        if name.isupper() and len(name) > 1 and lexicon.is_common_word(name) and code is None:
            score -= 5.0  # "AND", "CAN": an ISO code that is a word in capitals (but "US" is a country)
        elif single_word and lexicon.is_common_word(name):
            score -= _common_word_penalty(readings, is_area)
            if _sentence_initial(text, start) and not is_big:
                score -= 1.0
        before = _word_before(text, start)
        after = _word_after(text, end)
        possessive = text.startswith(("’s", "'s"), end)
        person = False
        if before[:1].isupper() and (lexicon.is_title(before) or lexicon.is_given_name(before)):
            person = True  # "Sergei Kirov", "Marshal Zhukov"
        elif lexicon.is_given_name(name) and not is_area and (
                after in persons or (after[:1].isupper() and not is_big)):
            person = True  # "Joseph Stalin", "Leon Trotsky": a given name opening a full name
        elif single_word and name in persons:
            # a well-known surname ("Washington") is a person when the text says so: a given name or
            # title somewhere, or no strong spatial word before it ("in Washington" is the city)
            person = name in doc_persons or not strong_context
        if person:
            # "in Kirov" is the city; "in Kirov's murder" and "Sergei Kirov" are the man
            overridden = strong_context and not possessive and not lexicon.is_given_name(before)
            score -= 1.0 if overridden else 6.0
        elif before[:1].isupper() and not before.endswith(".") and before not in QUALIFIERS \
                and not lexicon.is_common_word(before) and not gazetteer.lookup(before) \
                and not _sentence_initial(text, start - len(before) - 1) and text[start - 1] == " ":
            score -= 2.0  # part of a longer proper name the gazetteer does not know ("Khorloogiin Choibalsan")
        if _ORDINAL_BEFORE.search(text, max(0, start - 16), start) or _UNIT_AFTER.match(text, end, end + 60):
            score -= 5.0  # "1st California Cavalry": a regiment named after its state
        if after in lexicon.peoples and text[end:end + 1] == " ":
            score -= 5.0  # "Volga Germans", "Baltic peoples": a people, not a place
        elif after in EVENT_WORDS:
            score += 0.5
        elif after[:1].isupper() and after not in PLACE_SUFFIXES and after not in CIVIC_AFTER \
                and not gazetteer.lookup(after) and text[end:end + 1] in (" ", "\u00a0"):
            score -= 1.0  # a modifier in a longer name ("Marshall Plan", "Moscow Patriarchate")
        if score >= ACCEPT_THRESHOLD:
            accepted.append(Match(start, end, name, score))
    accepted += _capitalised_names(text, accepted, gazetteer, lexicon)
    accepted.sort(key=lambda m: m.start)
    return _extend_qualified(text, accepted, gazetteer)


_STATE_AFTER = re.compile(r",[ \u00a0]?([A-Z][A-Za-z]*\.?(?:[ \u00a0]?[A-Z][A-Za-z]*\.)?)")


def _followed_by_state(text: str, end: int, gazetteer: Gazetteer) -> bool:
    """The name is followed by a state's abbreviation, as in an address ("Washington, D. C.")."""
    m = _STATE_AFTER.match(text, end)
    return bool(m) and gazetteer.codes.get(m.group(1)) == "state"


def _hyphen_joined(text: str, start: int, accepted: list[Match]) -> bool:
    """The name after a hyphen is a place of its own when the name before the hyphen was accepted as
    one ("Fargo-Moorhead", "Minneapolis-St. Paul")."""
    return bool(accepted) and accepted[-1].end == start - 1


_CAPS_WORD = r"[A-Z][A-Z'’.-]*[A-Z]\.?"
_CAPS_RUN = re.compile(rf"(?<![A-Za-z]){_CAPS_WORD}(?: {_CAPS_WORD})*(?![A-Za-z])")
MAX_CAPS_WORDS = 4
# A dateline: a town in capitals at a line's start followed by its state or a dash ("ROLLA, MO., May 3";
# "LITTLE ROCK, Ark. —"; "WASHINGTON (AP) —"). There even a small town is a place.
_DATELINE_AFTER = re.compile(r"(?:,[ \u00a0]*[A-Z][A-Za-z. ]{1,14}[,.]|[ \u00a0]*(?:\(\w+\)[ \u00a0]*)?[—–-])")


def _capitalised_names(text: str, accepted: list[Match], gazetteer: Gazetteer, lexicon: Lexicon) -> list[Match]:
    """Names written in capitals (datelines, headings: "BISHKEK —", "LITTLE ROCK, Ark."), when they
    denote a prominent place, or any place in a dateline. Runs of capitalised words are tried from
    their longest span down, so "FORT SUMTER" is read whole before "SUMTER"."""
    taken = _Spans((m.start, m.end) for m in accepted)
    found = []
    for run in _CAPS_RUN.finditer(text):
        words = [(w.start() + run.start(), w.end() + run.start()) for w in re.finditer(r"\S+", run.group(0))]
        k = 0
        while k < len(words):
            for size in range(min(MAX_CAPS_WORDS, len(words) - k), 0, -1):
                start, end = words[k][0], words[k + size - 1][1]
                while end > start and text[end - 1] in ".,’'":
                    end -= 1
                match = _caps_place(text, start, end, taken, gazetteer, lexicon)
                if match:
                    found.append(match)
                    k += size
                    break
            else:
                k += 1
    return found


class _Spans:
    """Spans of text, asked whether any overlaps a given one in O(log n): a text with thousands of names
    and thousands of runs of capitals is not checked name by name for each run."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(itertools.accumulate((e for _, e in ordered), max))   # furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self._starts, end)      # the spans that start before ``end``
        return before > 0 and self._reach[before - 1] > start


def _caps_place(text: str, start: int, end: int, taken: _Spans, gazetteer: Gazetteer,
                lexicon: Lexicon) -> Match | None:
    written = text[start:end]
    if taken.overlaps(start, end) or gazetteer.lookup(written) or len(written) < 4:
        return None
    name = " ".join("-".join(part.capitalize() for part in word.split("-")) for word in written.split(" "))
    readings = gazetteer.lookup(name)
    if " " not in written and lexicon.is_common_word(written) and not _is_area(readings):
        return None  # "MARCH", "UNION"; but "RUSSIA" is the country (russia is also a leather)
    if not readings or _context_bonus(text, start, end)[0] < 0 or _UNIT_AFTER.match(text, end, end + 60):
        return None  # "DEPARTMENT OF THE MISSOURI", "NINTH MINNESOTA VOLUNTEERS"
    strength = _base_strength(readings)
    line_start = start == 0 or text[start - 1] == "\n" or text.rfind("\n", 0, start) >= start - 2
    dateline = line_start and _DATELINE_AFTER.match(text, end) is not None
    if strength >= 2.0 or (dateline and strength > 0):
        return Match(start, end, name, max(strength, ACCEPT_THRESHOLD))
    return None


def _extend_qualified(text: str, matches: list[Match], gazetteer: Gazetteer) -> list[Match]:
    """Take a capitalised qualifier or unit word into the span ("Soviet Georgia", "Moscow Oblast").

    The name keeps its reading; only the span grows, as annotators mark the usual full name.
    """
    for m in matches:
        before = _word_before(text, m.start)
        if before in QUALIFIERS and text[m.start - len(before) - 1] == " ":
            m.start -= len(before) + 1
        after = _word_after(text, m.end)
        if after in PLACE_SUFFIXES and after[0].isupper():
            m.end += text[m.end:].index(after) + len(after)
    return matches


# --- resolution -------------------------------------------------------------------------------

def _anchor_radians(anchors: tuple[tuple[float, float], ...]) -> tuple:
    """(latitudes, longitudes, cosines of latitudes) of ``anchors`` in radians, as :func:`_nearest_kms` reads them."""
    lats = np.radians([a[0] for a in anchors])
    return lats, np.radians([a[1] for a in anchors]), np.cos(lats)


def _nearest_kms(places: list[Place], radians: tuple) -> np.ndarray:
    """Great-circle distance from each of ``places`` to the nearest anchor (:func:`_anchor_radians`), in km."""
    lats, lons, cos_lats = radians
    lat = np.radians([p.lat for p in places])[:, None]
    lon = np.radians([p.lon for p in places])[:, None]
    h = np.sin((lats - lat) / 2) ** 2 + np.cos(lat) * cos_lats * np.sin((lons - lon) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(1.0, h.min(axis=1))))


def _prior(place: Place, entry: NameEntry) -> float:
    if place.kind == "country":
        score = 9.0
    elif place.kind in ("region", "water"):
        score = 8.0
    elif place.kind == "site":
        score = 7.0
    else:
        score = math.log10(place.population + 10)
    if entry.name_type == ALTERNATE:
        score -= 1.0
    elif entry.name_type == HISTORICAL:
        score += 0.5
    return score


@dataclass(frozen=True, slots=True)
class ResolutionContext:
    """What the rest of a document says about where it is: its countries and unambiguous places."""

    countries: frozenset[str]
    anchors: tuple[tuple[float, float], ...]
    # first-level regions the text names ("Kentucky", "Laurel County" → "US.KY"): a namesake town in one
    # of them beats a bigger one elsewhere (Richmond, Ky. against Richmond, Va.)
    admin1s: frozenset[str] = frozenset()
    # the anchors in radians, (latitudes, longitudes, cosines of latitudes): made once, read for every candidate
    radians: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "radians", _anchor_radians(self.anchors))


def _candidates(name: str, gazetteer: Gazetteer) -> list[tuple[Place, NameEntry]]:
    readings = gazetteer.lookup(name)
    # A name with both an area and settlements reading keeps them all; duplicates by id are merged.
    seen: dict[str, tuple[Place, NameEntry]] = {}
    for place, entry in readings:
        if place.id not in seen:
            seen[place.id] = (place, entry)
    return list(seen.values())


def build_context(matches: Iterable[Match], gazetteer: Gazetteer) -> ResolutionContext:
    readings = []
    for m in matches:
        ranked = sorted(_candidates(m.name, gazetteer), key=lambda r: _prior(*r), reverse=True)
        if ranked:
            clear = len(ranked) == 1 or _prior(*ranked[0]) - _prior(*ranked[1]) >= 2.0
            readings.append((ranked, clear))
    # the states and counties the text names clearly ("Tennessee")
    admin1s = {ranked[0][0].admin1 for ranked, clear in readings
               if clear and ranked[0][0].kind == "region" and ranked[0][0].admin1}
    countries: set[str] = set()
    anchors: list[tuple[float, float]] = []
    for ranked, clear in readings:
        top = ranked[0][0]
        # "Lebanon" in a text about Tennessee is not evidence for the country: it has a town there
        if not clear or any(p.admin1 in admin1s for p, _ in ranked[1:] if p.kind == "settlement"):
            continue
        if top.country:
            countries.add(top.country)
        if top.kind != "country" and (top.kind != "region" or top.radius_km < 600):
            anchors.append((top.lat, top.lon))
    return ResolutionContext(frozenset(countries), tuple(sorted(set(anchors))), frozenset(admin1s))


def _within(place: Place, container: Place) -> bool:
    if container.kind == "country" and container.country:
        return place.country == container.country
    distance = _nearest_kms([place], _anchor_radians(((container.lat, container.lon),)))[0]
    return distance <= max(container.radius_km * 1.5, 50.0)


def rank_candidates(name: str, context: ResolutionContext, gazetteer: Gazetteer,
                    containers: Iterable[Place] = ()) -> list[Candidate]:
    """Candidates of ``name`` scored with the document context, best first.

    ``containers`` are areas the text names right after it ("Moscow, Idaho"; "Gori, Georgia"): a
    candidate inside one of them is strongly preferred.
    """
    containers = list(containers)
    ranked = []
    candidates = _candidates(name, gazetteer)
    # a big city over a same-name state or province when nothing says otherwise ("New York",
    # "Washington"), though not over a country ("Djibouti") or a site ("Gorki")
    has_region = any(p.kind == "region" for p, _ in candidates)
    nearest = _nearest_kms([p for p, _ in candidates], context.radians) if context.anchors and candidates else None
    for k, (place, entry) in enumerate(candidates):
        score = _prior(place, entry)
        if has_region and place.kind == "settlement" and place.population >= BIG_CITY:
            score += BIG_CITY_BONUS
        if any(c.id != place.id and _within(place, c) for c in containers):
            score += 5.0
        if place.country and place.country in context.countries:
            score += 2.0
        if place.admin1 and place.admin1 in context.admin1s and place.kind != "region":
            score += ADMIN1_BONUS
        if context.anchors:
            # distance from the area's edge (roughly), so that a big country near the text's places counts
            gap = max(0.0, float(nearest[k]) - place.radius_km)
            score += 2.0 * math.exp(-gap / 1500.0)
        ranked.append(Candidate(place=place, score=score, matched_name=name,
                                historical=entry.name_type == HISTORICAL))
    ranked.sort(key=lambda c: c.score, reverse=True)
    return ranked


def _confidence(ranked: list[Candidate], recognition_score: float) -> float:
    """Probability of the top candidate (softmax over scores) times the recognition certainty."""
    top = ranked[0].score
    total = sum(math.exp(c.score - top) for c in ranked[:10])
    resolution = 1.0 / total
    recognition = 1.0 / (1.0 + math.exp(-(recognition_score - ACCEPT_THRESHOLD) * 1.5 - 1.0))
    return resolution * recognition


def resolve_toponyms(document: Document, matches: list[Match], *, gazetteer: Gazetteer | None = None,
                     max_candidates: int = 5) -> list[Mention]:
    """Resolve recognised matches to places, one sense per name per document."""
    gazetteer = gazetteer or default_gazetteer()
    context = build_context(matches, gazetteer)
    ranked_by_name: dict[str, list[Candidate]] = {}
    containers = _containers(document.text, matches, context, gazetteer)
    mentions = []
    for m in matches:
        ranked = ranked_by_name.get(m.name)
        if ranked is None:
            ranked = ranked_by_name[m.name] = rank_candidates(m.name, context, gazetteer,
                                                              containers.get(m.name, ()))
        if not ranked:
            continue
        mentions.append(Mention(doc=document.id, start=m.start, end=m.end, text=document.text[m.start:m.end],
                                place=_part_named(document.text, m.start, ranked[0].place),
                                confidence=_confidence(ranked, m.score), candidates=ranked[1:max_candidates + 1]))
    return mentions


# "western Poland", "the eastern Soviet Union": the part of an area a direction names, as a point halfway
# to its edge that way and half its radius (bearing in degrees clockwise from north).
DIRECTIONS = {"northern": 0, "northeastern": 45, "eastern": 90, "southeastern": 135, "southern": 180,
              "southwestern": 225, "western": 270, "northwestern": 315}
MIN_PART_RADIUS_KM = 100.0


def _part_named(text: str, start: int, place: Place) -> Place:
    before = _word_before(text, start)
    if before not in DIRECTIONS or place.kind not in ("country", "region") or place.radius_km < MIN_PART_RADIUS_KM:
        return place
    bearing = math.radians(DIRECTIONS[before])
    distance = place.radius_km / 2
    lat = place.lat + math.degrees(distance * math.cos(bearing) / 6371.0)
    lon = place.lon + math.degrees(distance * math.sin(bearing) / 6371.0) / max(0.2, math.cos(math.radians(place.lat)))
    # a part of a country is a region: not the whole country a sentence may be about
    return replace(place, id=f"{place.id}#{before}", name=f"{before} {place.name}", kind="region", lat=round(lat, 4),
                   lon=round((lon + 180) % 360 - 180, 4), radius_km=round(place.radius_km / 2, 1))


def _containers(text: str, matches: list[Match], context: ResolutionContext,
                gazetteer: Gazetteer) -> dict[str, list[Place]]:
    """Areas named right after a place, as in an address: "Moscow, Idaho", "Gori, Tiflis Governorate"."""
    found: dict[str, list[Place]] = {}
    for m, following in zip(matches, matches[1:]):
        if text[m.end:following.start] not in (", ", ","):
            continue
        ranked = rank_candidates(following.name, context, gazetteer)
        if ranked and ranked[0].place.kind in ("country", "region") and ranked[0].place.id not in \
                {p.id for p, _ in gazetteer.lookup(m.name)}:
            found.setdefault(m.name, []).append(ranked[0].place)
    return found


def geoparse(document: Document, *, gazetteer: Gazetteer | None = None,
             lexicon: Lexicon | None = None, demonyms: bool = False) -> list[Mention]:
    """Every place ``document`` names, resolved: recognition followed by resolution.

    ``demonyms=True`` adds mentions of kind ``"demonym"`` ("Russian" → Russia), which history maps
    leave out."""
    gazetteer = gazetteer or default_gazetteer()
    matches = recognize_toponyms(document.text, gazetteer=gazetteer, lexicon=lexicon)
    mentions = resolve_toponyms(document, matches, gazetteer=gazetteer)
    if demonyms:
        from .demonyms import find_demonyms

        mentions += find_demonyms(document, gazetteer, [(m.start, m.end) for m in mentions])
        mentions.sort(key=lambda m: m.start)
    return mentions
