"""Trust in every mark: fiction contrasted never mixed, precise events only, conflicts between texts with
reasons, arrows with both ends in the text, dates read as a reader reads them."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mapapp.catalog import CatalogIndex
from mapapp.cli import app
from mapapp.dataset import event_properties
from mapapp.dates import find_dates
from mapapp.events import extract_events
from mapapp.joins import draw_reasons, event_title, join_events
from mapapp.layers import deportation_flows


def _join(make_doc, small_catalog, texts: dict[str, str], fiction=()):
    known = CatalogIndex(small_catalog)
    extracted = [x for doc, text in texts.items() for x in extract_events(make_doc(text, doc), known=known)]
    return extracted, join_events(extracted, small_catalog, fiction_docs=fiction, area_km2={})


def test_fiction_is_contrasted_never_disputed_nor_counted(make_doc, small_catalog):
    _, result = _join(make_doc, small_catalog, {
        "wiki": "Operation Bagration was launched in 1940 and freed Minsk.",
        "real": "Operation Bagration destroyed Army Group Centre near Minsk in 1944."}, fiction={"wiki"})
    bagration = next(e for e in result.events if e.id == "front-operation-bagration-1944")
    assert not bagration.disputed and not bagration.reasons           # not a dispute among historians
    assert bagration.contrasts and "this source says" in bagration.contrasts[0]
    wiki = next(c for c in bagration.claims if c.doc == "wiki")
    assert wiki.fiction and wiki.year_start == 1940                   # kept, marked, beside the record
    assert bagration.year_start == 1944                               # never sets the record's dates


def test_what_only_fiction_tells_is_alternate_and_sets_no_figure(make_doc, small_catalog):
    _, result = _join(make_doc, small_catalog, {
        "wiki": "In 1942 nearly 1,600,000 people were deported from Odessa to Omsk."}, fiction={"wiki"})
    [event] = [e for e in result.events if e.provenance == "extracted"]
    assert event.alternate and event.people == []
    assert event_properties(event)["people"] is None


def test_a_sentence_copied_into_three_texts_is_one_event(make_doc, small_catalog):
    sentence = "In March 1938 the NKVD arrested hundreds of engineers in Kharkiv."
    _, result = _join(make_doc, small_catalog, {"a": sentence, "b": "Intro. " + sentence, "c": sentence})
    events = [e for e in result.events if e.provenance == "extracted" and e.theme == "repression"]
    assert len(events) == 1 and sorted(c.doc for c in events[0].claims) == ["a", "b", "c"]
    assert events[0].title == "Arrests in Kharkiv" and not events[0].uncertain


@pytest.mark.parametrize("text, reason", [
    ("In 1938 the NKVD arrested engineers in Kharkiv. Many were later shot in Kyiv.", "year is not stated"),
    ("In 1947 a famine struck Siberia and Central Asia.", "no place more precise"),
    ("A 2007 poll in Moscow found that many Russians admired Stalin's repression.", "commentary"),
    ("The 1941 parade in Moscow honoured the revolution.", "commentary"),
    ("In 1931 Stalin told a conference in Moscow that the country was behind.", "commentary"),
    ("In 1869 the engineer Minard drew a chart of the army’s retreat from Moscow.", "commentary"),
])
def test_imprecise_events_stay_in_the_data_with_their_reason(make_doc, small_catalog, text, reason):
    extracted, result = _join(make_doc, small_catalog, {"t": text})
    loose = [e for e in result.events if e.provenance == "extracted"]
    assert loose and any(any(reason in r for r in e.uncertain) for e in loose)


@pytest.mark.parametrize("text, theme", [
    # a gloss on a name is not commentary ("present-day", "called")
    ("In 1759 the British troops attacked the village of Sainte-Anne, in present-day Fredericton.", "front"),
    ("In 1764 exiles led by Joseph Broussard, called Beausoleil, were deported from Halifax.", "deportation"),
    # a weak word of the theme in the sentence itself: the paragraph gives the theme, the sentence backs it
    ("Refugees were evacuated from Leningrad in 1941. In November 1941 thousands more fled from Tikhvin.", "deportation"),
])
def test_happenings_told_with_a_gloss_or_a_weak_cue_are_drawn(make_doc, small_catalog, text, theme):
    _, result = _join(make_doc, small_catalog, {"t": text})
    drawn = [e for e in result.events if e.provenance == "extracted" and not e.uncertain]
    assert [e.theme for e in drawn if e.claims[0].quote == text.split(". ")[-1]] == [theme]


def test_a_sentence_about_a_whole_country_is_drawn_at_that_country(make_doc, small_catalog):
    _, result = _join(make_doc, small_catalog, {"t": "The USSR also experienced a major famine in 1947."})
    [famine] = [e for e in result.events if e.provenance == "extracted" and e.theme == "famine"]
    assert famine.uncertain == [] and famine.places[0].name == "Soviet Union"


def test_one_sentence_is_at_most_one_drawn_event(make_doc, small_catalog):
    _, result = _join(make_doc, small_catalog, {
        "t": "In 1944 the NKVD deported and executed villagers in Grozny during the battle."})
    drawn = [e for e in result.events if e.provenance == "extracted" and not e.uncertain]
    assert len(drawn) <= 1


def test_titles_say_what_happened_in_the_sentence_words(make_doc):
    [x] = [x for x in extract_events(make_doc("In September 1941 the Germans began the siege of Leningrad."))
           if x.theme == "front"]
    assert event_title(x) == "Siege of Leningrad"


def test_a_homeland_is_an_origin_and_text_arrows_need_both_ends(make_doc, small_catalog):
    extracted, result = _join(make_doc, small_catalog, {
        "a": "In 1944 the Chechens were deported to Kazakhstan.",
        "b": "In 1944 the Chechens were deported from Chechnya to Kazakhstan."})
    for x in extracted:
        if x.theme == "deportation":
            assert all(p.role == "origin" for p in x.places if p.name == "Chechnya")
    import geopandas as gpd
    from shapely.geometry import Point

    rows = [event_properties(e) for e in result.events if e.provenance == "extracted" and e.theme == "deportation"]
    frame = gpd.GeoDataFrame(rows, geometry=[Point(0, 0)] * len(rows), crs="EPSG:4326")
    layer = deportation_flows(frame)
    drawn = {f["properties"]["id"] for f in json.loads(layer.payload)["data"]["features"]} if layer.payload else set()
    by_doc = {e.claims[0].doc: e.id for e in result.events if e.provenance == "extracted" and e.theme == "deportation"}
    assert by_doc["b"] in drawn          # "from Chechnya to Kazakhstan": both ends named
    assert by_doc["a"] not in drawn      # the origin only implied by the people's name: no arrow


def test_texts_disagreeing_on_a_figure_is_a_dispute_with_its_reason(make_doc, small_catalog):
    _, result = _join(make_doc, small_catalog, {
        "a": "The Battle of Stalingrad (1942-1943) left 1,100,000 killed.",
        "b": "The Battle of Stalingrad (1942-1943) left 2,000,000 killed."})
    stalingrad = next(e for e in result.events if e.id == "front-battle-of-stalingrad-1942-1943")
    assert stalingrad.disputed and any("killed" in r and "against" in r for r in stalingrad.reasons)


def test_a_commemoration_never_disputes_the_event(make_doc, small_catalog):
    _, result = _join(make_doc, small_catalog, {
        "t": "In 1943 a parade in Moscow marked the anniversary of the Battle of Stalingrad."})
    stalingrad = next(e for e in result.events if e.id == "front-battle-of-stalingrad-1942-1943")
    assert not stalingrad.disputed


@pytest.mark.parametrize("text", ["He died at the age of 74.", "Aged 16, he entered the seminary."])
def test_an_age_is_not_a_year(text):
    assert find_dates(text, context_year=1953) == []


def test_a_lifespan_in_brackets_is_not_the_sentence_date(make_doc):
    events = extract_events(make_doc("Sergei Kirov (1886 – 1 December 1934) led the party in Leningrad."))
    assert all(x.year_start != 1886 for x in events)


def test_a_day_month_without_year_is_not_a_stated_year(make_doc):
    events = extract_events(make_doc("In 1933 the purge began in Moscow. On September 29th the NKVD arrested "
                                     "hundreds in Kharkiv."))
    kharkiv = [x for x in events if "September" in x.quote]
    assert kharkiv and all(x.inherited_date for x in kharkiv)
    assert any("year is not stated" in r for r in draw_reasons(kharkiv[0]))


def test_conflicts_cli_prints_one_object_per_dispute():
    result = CliRunner().invoke(app, ["conflicts", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    for record in records:
        assert set(record) == {"id", "title", "theme", "kind", "reasons", "claims"} and record["reasons"]
        for claim in record["claims"]:
            assert {"doc", "title", "kind", "start", "end", "quote", "year_start", "year_end", "places", "people",
                    "actors"} <= set(claim)
    death = next(r for r in records if r["id"] == "biography-stalin-death-1953")
    assert death["kind"] == "contrast" and any(c["kind"] == "fiction" for c in death["claims"])
    assert not any("_" in c["title"] and c["doc"] and c["title"] == c["doc"] for r in records for c in r["claims"])


def test_a_passage_two_texts_tell_with_other_facts_is_surfaced(make_doc):
    from mapapp.conflicts import passage_conflicts

    a = make_doc("It is estimated that between 1941 and 1949 nearly 3.3 million were deported to Siberia and the "
                 "Central Asian republics, and up to 43% of the resettled population died of diseases.", "a")
    b = make_doc("It is estimated that between 1941 and 1943 nearly 1.6 million were deported to Siberia and the "
                 "Central Asian republics, and up to 31% of the resettled population died of diseases.", "b")
    c = make_doc("In a 1956 speech to the party congress, Nikita Khrushchev denounced the cult of personality of his predecessor and the purges.", "c")
    d = make_doc("In a 1956 speech to the party congress, Pavel Bermondt-Avalov denounced the cult of personality of his predecessor and the purges.", "d")
    same = make_doc("In a 1956 speech to the party congress, Nikita Khrushchev denounced the cult of personality of his predecessor and the purges.", "e")
    records = passage_conflicts([a, b, c, d, same], fiction_docs={"b"})
    by_docs = {tuple(sorted(cl["doc"] for cl in r["claims"])): r for r in records}
    numbers = by_docs[("a", "b")]
    assert numbers["kind"] == "contrast"                       # b is fiction: contrasted, not disputed
    assert any("3,300,000" in r or "1,600,000" in r for r in numbers["reasons"])
    assert any("43%" in r and "31%" in r for r in numbers["reasons"])
    actors = by_docs[("c", "d")]
    assert actors["kind"] == "dispute" and "Pavel Bermondt-Avalov" in actors["reasons"][0]
    assert ("c", "e") not in by_docs                           # the same facts: nothing to surface


def test_passages_with_opposite_outcomes_or_another_actor_are_disputes(make_doc):
    from mapapp.conflicts import passage_conflicts

    docs = [
        make_doc("Zhukov's armies reached the city in April 1945. German forces surrendered a few days later.", "a"),
        make_doc("Zhukov's armies reached the city in April 1945. German forces finally repulsed the Soviets a few days later.", "b"),
        make_doc("Lenin died of a stroke on January 21, 1924.", "c"),
        make_doc("Lenin died of a heart attack on 21 January 1924.", "d"),
        make_doc("Trotsky criticised the rude manners and excessive power of the General Secretary and asked for his removal.", "e"),
        make_doc("Lenin dictated notes in his last months. He criticised the rude manners and excessive power of the "
                 "General Secretary and asked for his removal.", "f"),
        make_doc("German forces surrendered a few days later, and the war in Europe was over.", "g"),
    ]
    by_docs = {tuple(sorted(cl["doc"] for cl in r["claims"])): r for r in passage_conflicts(docs)}
    assert "surrendered" in by_docs[("a", "b")]["reasons"][0] and "repulsed" in by_docs[("a", "b")]["reasons"][0]
    assert "stroke" in by_docs[("c", "d")]["reasons"][0] and "heart attack" in by_docs[("c", "d")]["reasons"][0]
    assert "Trotsky" in by_docs[("e", "f")]["reasons"][0] and "Lenin" in by_docs[("e", "f")]["reasons"][0]
    assert ("a", "g") not in by_docs                           # the same outcome: nothing to surface


def test_one_years_happening_told_in_other_words_with_another_person(make_doc):
    from mapapp.conflicts import passage_conflicts

    docs = [make_doc("In a 1956 speech, Nikita Khrushchev gave a denunciation of Stalin's actions.", "a"),
            make_doc("In a 1956 speech, Pavel Bermondt-Avalov denounced Stalin's cult with these words.", "b"),
            make_doc("In a 1956 speech, Nikita Khrushchev denounced Stalin's cult with these words.", "c"),
            make_doc("In a 1957 speech, Pavel Bermondt-Avalov praised Stalin's cult with other words.", "d")]
    by_docs = {tuple(sorted(cl["doc"] for cl in r["claims"])): r for r in passage_conflicts(docs)}
    assert "Pavel Bermondt-Avalov" in by_docs[("a", "b")]["reasons"][0]
    assert "Nikita Khrushchev" in by_docs[("a", "b")]["reasons"][0]
    assert ("a", "c") not in by_docs and ("a", "d") not in by_docs    # same person; another year


def test_an_age_in_a_life_is_read_from_the_birth_year(make_doc):
    events = extract_events(make_doc("Joseph Stalin (18 December 1878 – 5 March 1953) was a Soviet leader. "
                                     "At sixteen, he received a scholarship to a seminary in Tiflis."))
    [seminary] = [x for x in events if "sixteen" in x.quote]
    assert (seminary.year_start, seminary.year_end) == (1894, 1895) and not seminary.inherited_date


def test_one_happening_told_in_other_words_by_two_texts_is_compared(make_doc, small_catalog):
    _, result = _join(make_doc, small_catalog, {
        "a": "In 1923 the Pontic Greeks were expelled as refugees and embarked on ships at Trabzon.",
        "b": "The Pontic Greeks, refugees expelled from the coast, sailed on ships from Trabzon only in 1926 "
             "after long delays at the harbour quays."})
    merged = [e for e in result.events if e.provenance == "extracted" and len({c.doc for c in e.claims}) == 2]
    assert merged and merged[0].disputed and any("1923" in r and "1926" in r for r in merged[0].reasons)
    _, apart = _join(make_doc, small_catalog, {
        "a": "In 1923 the Pontic Greeks were expelled as refugees and embarked on ships at Trabzon.",
        "b": "In 1916 Russian troops stormed Trabzon and the Ottoman army retreated along the coast."})
    assert not any(e.disputed for e in apart.events)          # the same town, another happening


def test_a_site_inside_a_theatre_is_not_a_disputed_place(make_doc, tmp_path, gazetteer):
    from mapapp.catalog import load_catalog

    path = tmp_path / "front.yaml"
    path.write_text("""
- id: front-eastern-front-1941-1945
  title: Eastern Front
  theme: front
  start: 1941-06-22
  end: 1945-05-09
  names: [Eastern Front]
  places: [{name: Moscow, role: site}, {name: Stalingrad, role: site}, {name: Berlin, role: site}]
  sources: [{url: "https://en.wikipedia.org/wiki/Eastern_Front_(World_War_II)"}]
- id: front-operation-typhoon-1941
  title: Operation Typhoon
  theme: front
  start: 1941-10-02
  end: 1942-01-07
  names: [Operation Typhoon]
  places: [{name: Moscow, role: site}]
  sources: [{url: "https://en.wikipedia.org/wiki/Battle_of_Moscow"}]
""", encoding="utf-8")
    catalog = load_catalog([path], gazetteer=gazetteer)
    known = CatalogIndex(catalog)
    docs = [make_doc("In 1943 the Eastern Front ran through Kursk and Kharkiv.", "a"),
            make_doc("In December 1941 Operation Typhoon was fought near Kursk.", "b")]
    result = join_events([x for d in docs for x in extract_events(d, known=known)], catalog,
                         fiction_docs=(), area_km2={})
    by_id = {e.id: e for e in result.events}
    assert not by_id["front-eastern-front-1941-1945"].disputed       # Kursk lies inside the theatre
    assert by_id["front-operation-typhoon-1941"].disputed            # 450 km from Moscow: another place


def test_one_passage_with_another_day_figure_or_marshal(make_doc):
    from mapapp.conflicts import passage_conflicts

    docs = [make_doc("On 24 June the first French columns crossed the Niemen on pontoon bridges near Kovno.", "a"),
            make_doc("On 4 July the first French columns crossed the Niemen on pontoon bridges near Kovno.", "b"),
            make_doc("At Krasnoi, between 15 and 18 November, Marshal Ney's corps was almost wiped out there.", "c"),
            make_doc("At Krasnoi, between 15 and 18 November, Marshal Davout's corps was almost wiped out there.", "d"),
            make_doc("In all, some 7,000 Acadians were deported in that first autumn and winter.", "e"),
            make_doc("Some 6,000 Acadians were deported in the first autumn and winter.", "f")]
    by_docs = {tuple(sorted(cl["doc"] for cl in r["claims"])): r["reasons"][0] for r in passage_conflicts(docs)}
    assert "24 June" in by_docs[("a", "b")] and "4 July" in by_docs[("a", "b")]
    assert "Marshal Ney" in by_docs[("c", "d")] and "Marshal Davout" in by_docs[("c", "d")]
    assert "7,000" in by_docs[("e", "f")] and "6,000" in by_docs[("e", "f")]


def test_a_passage_copied_into_many_texts_is_compared_once(make_doc):
    """Reprints: one telling in five texts against another telling is one conflict naming the copies, not
    five; copies of one telling never dispute each other."""
    from mapapp.conflicts import passage_conflicts

    told = "It is estimated that between 1941 and 1949 nearly 3.3 million were deported to Siberia and Kazakhstan."
    other = "It is estimated that between 1941 and 1943 nearly 1.6 million were deported to Siberia and Kazakhstan."
    docs = [make_doc(f"A preface of text {i}. {told}", f"copy{i}") for i in range(5)] + [make_doc(other, "other")]
    records = passage_conflicts(docs)
    assert len(records) == 1
    [record] = records
    assert {c["doc"] for c in record["claims"]} == {"copy0", "other"}
    assert any("and 4 more texts" in r for r in record["reasons"])
    assert passage_conflicts(docs[:5]) == []


def test_a_passage_in_many_texts_has_each_disagreement_once(tmp_path):
    """The join's passage reasons: copies of one telling are one side, cited by document, three at most."""
    from mapapp.dataset import build_dataset, load_dataset

    told = "In May 1930 the OGPU deported 5,000 peasants from Tambov to the Urals in cattle wagons."
    other = "In May 1930 the OGPU deported 9,000 peasants from Tambov to the Urals in cattle wagons."
    for i in range(6):
        (tmp_path / f"copy{i}.txt").write_text(f"Report {i}.\n\n{told}\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text(f"Another report.\n\n{other}\n", encoding="utf-8")
    dataset = load_dataset(build_dataset([tmp_path], tmp_path / "out", catalog=[]).out_dir)
    [event] = [e for _, e in dataset.events.iterrows() if "Tambov" in e["title"] or "OGPU" in e["title"]]
    assert len(event["claims"]) == 7                          # every copy is still a claim of the event
    assert len(event["reasons"]) == 1                         # but the disagreement is said once
    [reason] = event["reasons"]
    assert "and 3 more" in reason and "5,000" in reason and "9,000" in reason and "other@" in reason


def test_a_curated_event_told_by_many_copies_has_each_disagreement_once(tmp_path):
    """compare_claims: five reprints of one figure against the record's sourced figure and against another
    text are two reasons naming the copies, not ten."""
    from mapapp.dataset import build_dataset, load_dataset

    for i in range(5):
        (tmp_path / f"copy{i}.txt").write_text(
            f"Report {i}.\n\nIn February 1944 the NKVD deported 650,000 Chechens and Ingush to Kazakhstan.\n",
            encoding="utf-8")
    (tmp_path / "other.txt").write_text(
        "Another report.\n\nIn February 1944 the NKVD deported 300,000 Chechens and Ingush to Kazakhstan.\n",
        encoding="utf-8")
    dataset = load_dataset(build_dataset([tmp_path], tmp_path / "out").out_dir)
    [event] = [e for _, e in dataset.events.iterrows() if e["id"] == "deportation-chechens-ingush-1944"]
    reasons = list(event["reasons"])
    assert len(event["claims"]) == 7                       # the sourced claim and all six texts
    copies = [r for r in reasons if r.startswith("copy0@")]
    assert len(copies) == 2 and all("and 2 more" in r for r in copies)
    assert any("against the sourced 496,000" in r for r in copies)
    assert any("against other@" in r and "300,000" in r for r in copies)
    assert sum("copy1@" in r for r in reasons) == 2        # cited within the two, never on its own


def test_a_passage_index_sent_elsewhere_compares_and_adds_the_same(make_doc):
    """The index a build sends to a Dask worker (pickled without its key lookup) finds the same conflicts,
    and documents added to that copy meet the sentences it holds ("He" keyed with the sentence before)."""
    import pickle

    from mapapp.conflicts import PassageIndex

    lenin = "Lenin dictated notes in his last months. He criticised the rude manners and excessive power of the " \
            "General Secretary and asked for his removal."
    trotsky = "Trotsky criticised the rude manners and excessive power of the General Secretary and asked for his removal."
    stalin = "Stalin read the notes in his last months. He criticised the rude manners and excessive power of the " \
             "General Secretary and asked for his removal."
    index = PassageIndex()
    for doc in (make_doc(lenin, "a"), make_doc(trotsky, "b")):
        index.add(doc)
    copy = pickle.loads(pickle.dumps(index))
    assert copy.candidates() == index.candidates() and len(index.candidates()) == 1
    for target in (index, copy):
        target.add(make_doc(lenin, "a2"))          # a copy of a's telling: no new sentence
        target.add(make_doc(stalin, "c"))          # the same words after another sentence: another telling
    assert copy._texts == index._texts and len(index._texts) == 5
    assert copy.conflicts() == index.conflicts()
    reasons = [r for record in index.conflicts() for r in record["reasons"]]
    assert any("Stalin" in r for r in reasons) and any("(and 1 more text)" in r for r in reasons)
