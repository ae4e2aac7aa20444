"""Finding dates in history text: years, ranges, month dates, two-digit years and decades.

``find_dates(text)`` returns :class:`DateMention` s with character offsets and a start and end
:class:`~mapapp.records.HistDate` at the precision the text gives. Handled forms:

- years ``1878``; ranges ``1927-1953``, ``1932–33``, ``from 1927 to 1953``, ``between 1936 and 1938``,
  ``From September 1941 to January 1944``;
- month dates ``18 December 1878``, ``December 18, 1878``, ``September 1941``, ``May 8th`` (year taken from
  the context year passed in);
- two-digit years in context ``in 45``, ``in '45`` (century from the context year, else 19xx);
- decades ``the 1940s``, ``the 40s``, ``the forties``;
- with a context year: ``a year later``, ``the following year``, ``that year``, and a bare month after a
  preposition (``in October``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .records import HistDate

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
                "eighties": 80, "nineties": 90}

_MONTH = r"(?P<{n}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_YEAR = r"(?P<{n}>1[6-9]\d\d|20[0-2]\d)"
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"


def _p(template: str, name: str) -> str:
    return template.format(n=name)


# A date: [day] month year | month day, year | month year | year | month day(th)
_DATE_EXPR = (
    rf"(?:{_p(_DAY, 'd1')}\s+{_p(_MONTH, 'm1')},?\s+{_p(_YEAR, 'y1')}"
    rf"|{_p(_MONTH, 'm2')}\s+{_p(_DAY, 'd2')},?\s+{_p(_YEAR, 'y2')}"
    rf"|{_p(_MONTH, 'm3')},?\s+(?:of\s+)?{_p(_YEAR, 'y3')}"
    rf"|{_p(_YEAR, 'y4')}"
    rf"|{_p(_MONTH, 'm5')}\s+{_p(_DAY, 'd5')}(?![\d,]*\s*\d{{4}})\b"
    rf"|{_p(_DAY, 'd6')}\s+{_p(_MONTH, 'm6')}(?!,?\s+\d{{4}})\b)"
)


def _second(expr: str) -> str:
    return re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}_b>", expr)


# Every date starts with a digit or a month's capital, a range also with "From"/"Between": the leading
# lookahead lets the scan skip every other position at once (4x faster than trying each form there).
_DATE_START = r"(?=[\dJFMASOND])"
_RANGE = re.compile(
    rf"(?=[\dJFMASOND]|[Ff]rom\s|[Bb]etween\s)(?:(?:[Ff]rom|[Bb]etween)\s+)?(?P<a>{_DATE_EXPR})\s*(?:-|–|—|to|until|till|and|through)\s*"
    rf"(?P<b>{_second(_DATE_EXPR)}|(?P<short>\d\d)\b(?![\d,.]))")
_SINGLE = re.compile(rf"{_DATE_START}(?<![\d$£€.,])(?P<a>{_DATE_EXPR})(?![\d%]|,\d|\.\d|\s*(?:km|kilomet|mile|ton|%|per ?cent))")
_DECADE = re.compile(r"\b(?:(?:[Tt]he\s+)?(?P<part>early|mid-?|late)\s*-?\s*|[Tt]he\s+|(?=1[6-9]\d0s|20[0-2]0s))"
                     r"(?:(?P<c>1[6-9]|20)?(?P<d>[1-9]0)'?s|(?P<w>" + "|".join(DECADE_WORDS) + r"))\b")
_TWO_DIGIT = re.compile(r"\b(?:in|by|of|since|until|from)\s+'?(?P<yy>[1-9]\d)\b(?!\d|[,.]\d|%|\s*(?:years?|days?|men|people|km|per|[a-z]))")


_RELATIVE = re.compile(
    r"\b(?:(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d+) years? (?P<dir>later|after(?:wards)?|earlier|before)"
    r"|the (?P<next>following|next|previous|preceding) year|(?:that|the same) year)\b", re.IGNORECASE)
_BARE_MONTH = re.compile(rf"\b(?:[Ii]n|[Bb]y|[Uu]ntil|[Ss]ince|[Ff]rom|[Ll]ate|[Ee]arly|[Mm]id-?)\s+{_p(_MONTH, 'm7')}(?!\s*\d)\b")
_AGE_BEFORE = re.compile(r"\b(?:age|aged)\s+(?:of\s+)?'?$", re.IGNORECASE)
_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10}


# Cheap test that a sentence can hold a date at all (most cannot): digits, months, decades, "year".
_MAYBE_DATE = re.compile(r"(?=[\dJjFfMmAaSsOoNnDdYyTt])(?:\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|year|ties\b)",
                         re.IGNORECASE)   # the lookahead: see _DATE_START


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    first: HistDate
    last: HistDate

    @property
    def year_start(self) -> int:
        return self.first.year

    @property
    def year_end(self) -> int:
        return self.last.year


def _hist(groups: dict, suffix: str, context_year: int | None) -> HistDate | None:
    for i in ("1", "2", "3", "4", "5", "6"):
        year = groups.get(f"y{i}{suffix}")
        month = groups.get(f"m{i}{suffix}")
        day = groups.get(f"d{i}{suffix}")
        if year is None and month is None:
            continue
        if year is None:
            if context_year is None:
                return None
            year = context_year
        m = MONTHS[month.lower().rstrip(".")[:4] if month.lower().startswith("sept") else month.lower().rstrip(".")[:3]] \
            if month else None
        try:
            return HistDate(year=int(year), month=m, day=int(day) if day and m else None)
        except ValueError:
            return None
    return None


def find_dates(text: str, *, context_year: int | None = None) -> list[DateMention]:
    """Dates in ``text`` with offsets, earliest first; overlapping forms keep the longest."""
    found: list[DateMention] = []
    if not _MAYBE_DATE.search(text):
        return found
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in _DECADE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.group("w"):
            base = (context_year // 100 * 100 if context_year else 1900) + DECADE_WORDS[m.group("w").lower()]
        else:
            century = int(m.group("c")) * 100 if m.group("c") else (context_year // 100 * 100 if context_year else 1900)
            base = century + int(m.group("d"))
        first, last = base, base + 9
        part = (m.group("part") or "").lower().rstrip("-")
        if part == "early":
            last = base + 3
        elif part == "mid":
            first, last = base + 3, base + 6
        elif part == "late":
            first = base + 6
        taken.append((m.start(), m.end()))
        found.append(DateMention(m.start(), m.end(), m.group(0), HistDate(year=first), HistDate(year=last)))
    for m in _RANGE.finditer(text):
        groups = m.groupdict()
        first = _hist(groups, "", context_year)
        if groups.get("short"):
            if first is None:
                continue
            century = first.year // 100 * 100
            year = century + int(groups["short"])
            last = HistDate(year=year) if year >= first.year else None
        else:
            last = _hist(groups, "_b", first.year if first else context_year)
        if first is None or last is None or last.last_day() < first.first_day():
            continue
        if first.month and not last.month and last.year == first.year:
            continue  # "May 1945 and 12" is not a range
        if not free(m.start(), m.end()):
            continue
        taken.append((m.start(), m.end()))
        found.append(DateMention(m.start(), m.end(), m.group(0), first, last))
    for m in _SINGLE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        date = _hist(m.groupdict(), "", context_year)
        if date is None:
            continue
        if date.month is not None and date.year == context_year and not re.search(r"\d{4}", m.group(0)) \
                and not m.groupdict().get("d5") and not m.groupdict().get("d6"):
            continue
        taken.append((m.start(), m.end()))
        found.append(DateMention(m.start(), m.end(), m.group(0), date, date))
    for m in _TWO_DIGIT.finditer(text):
        if not free(m.start("yy"), m.end("yy")):
            continue
        if _AGE_BEFORE.search(text[max(0, m.start() - 12):m.start("yy")]):
            continue  # "at the age of 74", "aged 16": an age, not a year
        century = context_year // 100 * 100 if context_year else 1900
        year = HistDate(year=century + int(m.group("yy")))
        taken.append((m.start("yy"), m.end("yy")))
        found.append(DateMention(m.start("yy"), m.end(), m.group(0)[m.start("yy") - m.start():], year, year))
    if context_year is not None:
        for m in _RELATIVE.finditer(text):
            if not free(m.start(), m.end()):
                continue
            year = context_year
            if m.group("n"):
                step = _SMALL.get(m.group("n").lower()) or int(m.group("n"))
                year += step if m.group("dir").lower().startswith(("later", "after")) else -step
            elif m.group("next"):
                year += 1 if m.group("next").lower() in ("following", "next") else -1
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), m.group(0), HistDate(year=year), HistDate(year=year)))
        for m in _BARE_MONTH.finditer(text):
            if not free(m.start("m7"), m.end("m7")):
                continue
            month = MONTHS[m.group("m7").lower().rstrip(".")[:3]]
            taken.append((m.start("m7"), m.end("m7")))
            date = HistDate(year=context_year, month=month)
            found.append(DateMention(m.start("m7"), m.end("m7"), m.group("m7"), date, date))
    found.sort(key=lambda d: d.start)
    return found
