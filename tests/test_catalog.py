"""The curated catalog: every shipped record valid and sourced; every bad record a precise error."""
from __future__ import annotations

import pytest

from mapapp.catalog import CatalogError, load_catalog
from mapapp.records import THEMES

GOOD = """
- id: deportation-test-1944
  title: A test deportation
  theme: deportation
  start: 1944-02-23
  end: 1944-03
  actors: [Chechens]
  places: [{name: Chechnya, role: origin}, {name: Kazakhstan, role: destination}]
  people: [{count: 496000, what: deported, approx: true, source: "https://example.org/n"}]
  sources: [{url: "https://example.org/d"}]
"""


def load_text(tmp_path, gazetteer, text, name="test.yaml", documents=None):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_catalog([path], gazetteer=gazetteer, documents=documents)


def test_a_good_record_is_placed_and_dated(tmp_path, gazetteer):
    [event] = load_text(tmp_path, gazetteer, GOOD)
    assert event.start.precision == "day" and event.end.precision == "month"
    origin, destination = event.places
    assert (origin.role, origin.kind) == ("origin", "region") and destination.kind == "country"
    assert 42 < origin.lat < 44.5 and 44 < origin.lon < 47


@pytest.mark.parametrize("change, message", [
    (("  title: A test deportation\n", ""), r"record 1 \(deportation-test-1944\): field title: Field required"),
    (("name: Kazakhstan", "name: Neverland Qwx"), r"field places.1.name: unknown place name 'Neverland Qwx'"),
    (("end: 1944-03", "end: 1943-01"), r"end 1943-01 is before start 1944-02-23"),
    (("start: 1944-02-23", "start: 19441"), r"field start: .*19441"),
    (("theme: deportation", "theme: weather"), r"field theme: Input should be 'deportation'"),
    (("sources: [{url: \"https://example.org/d\"}]", "sources: []"), r"needs at least one source"),
    (("role: origin", "role: somewhere"), r"field places.0.role"),
])
def test_bad_records_name_file_record_and_field(tmp_path, gazetteer, change, message):
    with pytest.raises(CatalogError, match=r"test.yaml: .*" + message):
        load_text(tmp_path, gazetteer, GOOD.replace(*change))


def test_a_record_citing_a_missing_document(tmp_path, gazetteer):
    text = GOOD.replace('sources: [{url: "https://example.org/d"}]',
                        'sources: [{doc: no_such_doc, quote: "deported"}]')
    with pytest.raises(CatalogError, match=r"field sources.0.doc: cites document 'no_such_doc', which does not exist"):
        load_text(tmp_path, gazetteer, text, documents={"a_doc": "text"})
    text = text.replace("no_such_doc", "a_doc")
    with pytest.raises(CatalogError, match=r"field sources.0.quote: not found in document 'a_doc'"):
        load_text(tmp_path, gazetteer, text, documents={"a_doc": "some other text"})


def test_all_problems_are_reported_at_once_and_nothing_dropped(tmp_path, gazetteer):
    text = GOOD + GOOD.replace("Chechnya", "Atlantis Qwx") + GOOD.replace("1944-02-23", "1944-02-30")
    with pytest.raises(CatalogError) as info:
        load_text(tmp_path, gazetteer, text)
    problems = info.value.problems
    assert any("record 2" in p and "Atlantis Qwx" in p for p in problems)
    assert any("record 3" in p and "field start" in p for p in problems)
    assert len(problems) == 2  # record 1 is fine; records 2 and 3 failed, so no duplicate id either


def test_duplicate_ids_are_errors(tmp_path, gazetteer):
    with pytest.raises(CatalogError, match="duplicate id"):
        load_text(tmp_path, gazetteer, GOOD + GOOD)


def test_malformed_yaml_names_the_file(tmp_path, gazetteer):
    with pytest.raises(CatalogError, match="test.yaml: cannot be read as YAML"):
        load_text(tmp_path, gazetteer, "- id: [unclosed\n")


# --- the shipped catalog ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped():
    return load_catalog()


def test_shipped_catalog_is_valid_and_covers_every_theme(shipped):
    assert {e.theme for e in shipped} == set(THEMES)


def test_every_curated_figure_and_record_has_a_source(shipped):
    for event in shipped:
        assert event.sources, event.id
        for count in event.people:
            assert count.source and count.source.startswith("http"), (event.id, count)


@pytest.mark.parametrize("people", ["Koreans", "Volga Germans", "Crimean Tatars", "Kalmyks", "Chechens", "Ingush",
                                    "Balkars", "Karachays", "Meskhetian Turks", "Finns", "Poles", "Latvians",
                                    "Lithuanians", "Estonians", "Ukrainians"])
def test_deportations_of_the_peoples_the_texts_name(shipped, people):
    deportations = [e for e in shipped if e.theme == "deportation"]
    assert any(people.split()[-1] in " ".join(e.actors + [e.title]) for e in deportations), people
    for e in deportations:
        assert {"origin", "destination"} <= {p.role for p in e.places}, e.id


@pytest.mark.parametrize("date", ["1941-06-22", "1941-12", "1942-11", "1943-08", "1944-06", "1945-01", "1945-05"])
def test_front_lines_at_the_dated_moments(shipped, date):
    lines = [e for e in shipped if e.kind == "front_line" and e.start.iso().startswith(date)]
    assert lines, date
    assert len(lines[0].places) >= 5
    lats = [p.lat for p in lines[0].places]
    assert lats[0] > lats[-1]  # north to south


@pytest.mark.parametrize("title", ["Tsaritsyn", "Warsaw", "Winter War", "Barbarossa", "Moscow", "Leningrad",
                                   "Stalingrad", "Kursk", "Bagration", "Warsaw Uprising", "Vistula", "Berlin"])
def test_fronts_the_texts_name(shipped, title):
    fronts = [e for e in shipped if e.theme == "front" and e.kind == "event"]
    assert any(title.lower() in (e.title + " " + " ".join(e.names)).lower() for e in fronts), title
