"""Date expressions, tested with fixed context years so results never drift."""
from __future__ import annotations

import pytest

from mapapp.dates import find_dates
from mapapp.records import HistDate


def spans(text, context_year=None):
    return [(d.text, d.first.iso(), d.last.iso()) for d in find_dates(text, context_year=context_year)]


@pytest.mark.parametrize("text, expected", [
    ("From September 1941 to January 1944, Leningrad was surrounded.",
     [("From September 1941 to January 1944", "1941-09", "1944-01")]),
    ("Stalin (18 December 1878 – 5 March 1953) was", [("18 December 1878 – 5 March 1953", "1878-12-18", "1953-03-05")]),
    ("his reign from 1927 to 1953 marked", [("from 1927 to 1953", "1927", "1953")]),
    ("the famine of 1932–33 in Ukraine", [("1932–33", "1932", "1933")]),
    ("between 1936 and 1938 the purges", [("between 1936 and 1938", "1936", "1938")]),
    ("born on December 18, 1878 in Gori", [("December 18, 1878", "1878-12-18", "1878-12-18")]),
    ("in the 1930s and the forties", [("the 1930s", "1930", "1939"), ("the forties", "1940", "1949")]),
    ("The 40s were the hardest times", [("The 40s", "1940", "1949")]),
    ("in June 1941 and in 1944", [("June 1941", "1941-06", "1941-06"), ("1944", "1944", "1944")]),
])
def test_date_forms(text, expected):
    assert spans(text) == expected


def test_two_digit_year_takes_the_context_century():
    assert spans("the Soviet Union finally defeated Germans in 45.", context_year=1941) == [("45", "1945", "1945")]


def test_month_day_without_year_uses_context_year():
    assert spans("On May 8th, the army captured Berlin.", context_year=1945) == [("May 8th", "1945-05-08", "1945-05-08")]


@pytest.mark.parametrize("text", ["147,000 men were lost", "a 1,500 km front", "in 45 days", "20 people in 1941%"])
def test_numbers_that_are_not_years(text):
    assert all(d.text not in ("147", "1,500", "45", "1500") for d in find_dates(text, context_year=1941))
    assert not [d for d in find_dates(text, context_year=1941) if d.first.year in (1945, 1500)]


def test_dates_before_1970_and_precision():
    d = HistDate.parse("1878-12-18")
    assert d.precision == "day" and d.first_day().isoformat() == "1878-12-18"
    assert HistDate.parse("1941-02").last_day().isoformat() == "1941-02-28"
    assert HistDate.parse(1918).precision == "year"


@pytest.mark.parametrize("bad", ["19441", "1944-13", "1944-02-30", "spring 1944"])
def test_impossible_dates_are_rejected(bad):
    with pytest.raises(ValueError):
        HistDate.parse(bad)
