"""Event extraction from sentences, joining to curated records, and disagreement between sources."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mapapp.catalog import CatalogIndex
from mapapp.cli import app
from mapapp.events import extract_events, find_people_count, split_sentences
from mapapp.joins import join_events

EVENT_KEYS = ["doc", "start", "end", "quote", "theme", "title", "year_start", "year_end", "places", "people",
              "provenance", "disputed"]

def events_of(make_doc, text, doc_id="t"):
    return extract_events(make_doc(text, doc_id))


def test_sentences_keep_offsets():
    text = "Stalin was born in Gori. He moved to Tiflis in 1894!\n\nHeading 1941\nThe war began."
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text
    assert [s.paragraph for s in split_sentences(text)] == [0, 0, 1, 1]


def test_deportation_has_origin_from_the_people_and_destination(make_doc):
    [event] = [e for e in events_of(make_doc, "In February 1944 the Chechens and Ingush were deported to Kazakhstan.")
               if e.theme == "deportation"]
    roles = {(p.name, p.role) for p in event.places}
    assert ("Kazakhstan", "destination") in roles
    assert ("Chechnya", "origin") in roles and ("Ingushetia", "origin") in roles
    assert (event.year_start, event.year_end) == (1944, 1944)
    assert event.first.month == 2


def test_siege_with_a_date_range(make_doc):
    events = events_of(make_doc, "From September 1941 to January 1944, Leningrad was besieged by the German army.")
    front = [e for e in events if e.theme == "front"]
    assert front and (front[0].year_start, front[0].year_end) == (1941, 1944)
    assert front[0].places[0].name == "Saint Petersburg"


def test_a_dated_sentence_continues_its_headings_theme(make_doc):
    text = "900 day siege of Leningrad\n\nFrom September 1941 to January 1944, Leningrad was cut off from Russia."
    assert [e.theme for e in events_of(make_doc, text)] == ["front"]


def test_a_sentence_without_a_date_inherits_its_paragraphs(make_doc):
    text = "In 1937 the purge reached the army. Thousands of officers were arrested and shot in Moscow."
    repression = [e for e in events_of(make_doc, text) if e.theme == "repression"]
    assert repression and repression[-1].year_start == 1937 and repression[-1].inherited_date


def test_undated_or_placeless_sentences_are_not_events(make_doc):
    assert events_of(make_doc, "Many died under Stalin's purges in the camps.") == []
    assert events_of(make_doc, "In 1937 the purge reached its height.") == []


@pytest.mark.parametrize("sentence, count", [
    ("The Great Terror of 1937 alone saw 750,000 Soviet citizens executed without trial.", 750_000),
    ("It is estimated that three to seven millions died in 1932.", 3_000_000),
    ("The war took the lives of 20 million Soviet citizens.", 20_000_000),
    ("The Germans lost 147,000 men, and 91,000 were taken prisoner.", 147_000),
    ("After 4 years of war the army returned.", None),
    ("The front ran for 1,500 km.", None),
])
def test_people_counts(sentence, count):
    assert find_people_count(sentence, []) == count


def test_one_event_many_sources(make_doc, small_catalog):
    docs = [make_doc("The Battle of Stalingrad began in August 1942 and ended in 1943.", "a"),
            make_doc("In 1942 the Germans reached Stalingrad, where the battle raged until February 1943.", "b")]
    extracted = [x for d in docs for x in extract_events(d)]
    result = join_events(extracted, small_catalog)
    stalingrad = next(e for e in result.events if e.id == "front-battle-of-stalingrad-1942-1943")
    assert sorted(c.doc for c in stalingrad.claims if c.provenance == "extracted") == ["a", "b"]
    assert not stalingrad.disputed
    assert all(x.provenance == "curated" for x in extracted if x.theme == "front")


def test_alternate_history_claims_are_disputed_not_mixed(make_doc, small_catalog):
    wiki = make_doc("Operation Bagration was launched in 1940 and freed Minsk. "
                    "Operation Barbarossa began on 22 September 1941 across the Soviet Union.", "wiki")
    real = make_doc("Operation Bagration destroyed Army Group Centre near Minsk in 1944.", "real")
    known = CatalogIndex(small_catalog)
    extracted = extract_events(wiki, known=known) + extract_events(real, known=known)
    result = join_events(extracted, small_catalog)
    bagration = next(e for e in result.events if e.id == "front-operation-bagration-1944")
    assert bagration.disputed
    years = sorted((c.doc, c.year_start) for c in bagration.claims if c.provenance == "extracted")
    assert years == [("real", 1944), ("wiki", 1940)]  # each text keeps its own year
    barbarossa = next(e for e in result.events if e.id == "front-operation-barbarossa-1941")
    assert barbarossa.disputed  # September against the curated June start
    wiki_bagration = next(x for x in extracted if x.doc == "wiki" and "Bagration" in x.quote)
    assert wiki_bagration.year_start == 1940 and wiki_bagration.disputed


def test_events_cli_prints_the_documented_fields(text_files):
    result = CliRunner().invoke(app, ["events", str(text_files / "utf8.txt")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all(list(r) == EVENT_KEYS for r in records)
    birth = next(r for r in records if r["theme"] == "biography")
    assert birth["year_start"] == 1878 and birth["places"][0]["name"] == "Gori"
    assert birth["quote"] in (text_files / "utf8.txt").read_text(encoding="utf-8")


def test_a_word_that_cues_two_themes_counts_for_both():
    from mapapp.events import choose_themes, theme_scores

    # "emigrated" is a flight and a step in a life: the person makes it a biography
    assert theme_scores("Svetlana emigrated to the United States in 1967.").keys() >= {"deportation", "biography"}
    assert choose_themes("Svetlana emigrated to the United States in 1967.") == ["biography"]


def test_one_strong_cue_outranks_two_weak_ones():
    from mapapp.events import choose_themes

    # "peace" alone makes diplomacy; "army" and "war" together only reach the same weight
    assert choose_themes("In May 1812 Russia made peace at Bucharest, which freed its army for the war.")[0] == "diplomacy"
