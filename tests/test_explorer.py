"""The explorer's logic without Streamlit: URL state, tables, search, uploads, corrections."""
from __future__ import annotations

import json

import pytest

from mapapp import explorer as ex
from mapapp.corrections import Correction, apply_corrections, load_corrections, save_correction
from mapapp.dataset import build_dataset, load_dataset
from mapapp.errors import MapappError
from mapapp.toponyms import geoparse

DOCS = ["000_ccbcb5c07b62dda6", "002_84889b0b05e14acd"]


def test_a_good_link_is_read_back():
    parsed = ex.view_from_query({"years": "1941-1945", "themes": "deportation,front", "sources": DOCS[0],
                                 "place": "Gori"}, documents=DOCS)
    assert parsed.notices == []
    assert parsed.view == ex.ViewState(years=(1941, 1945), themes=("deportation", "front"), sources=(DOCS[0],),
                                       place="Gori")
    assert ex.view_from_query(ex.view_to_query(parsed.view), documents=DOCS).view == parsed.view


@pytest.mark.parametrize("params, notice", [
    ({"years": "1945-1941"}, "is not a range"), ({"years": "abc"}, "is not a range"),
    ({"years": "1700-1800"}, "is not a range"), ({"themes": "weather,front"}, "unknown theme(s) weather"),
    ({"sources": "nope"}, "unknown source(s) nope"),
])
def test_a_bad_link_falls_back_with_a_notice(params, notice):
    parsed = ex.view_from_query(params, documents=DOCS)
    assert any(notice in n for n in parsed.notices)
    assert parsed.view.years == ex.DEFAULT_YEARS or "years" not in params
    if params.get("themes") == "weather,front":
        assert parsed.view.themes == ("front",)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("explorer")
    build_dataset(None, out / "data", corrections_path=out / "none.json")
    return load_dataset(out / "data")


def test_events_per_year_counts_every_year_an_event_spans(dataset):
    events = ex.view_events(dataset, ex.ViewState(years=(1941, 1945), themes=("front",)))
    counts = ex.events_per_year(events, (1941, 1945))
    assert set(counts["year"]) <= set(range(1941, 1946)) and set(counts["theme"]) == {"front"}
    spanning = int(((events["year_start"] <= 1943) & (events["year_end"] >= 1943)).sum())
    assert int(counts[counts["year"] == 1943]["events"].sum()) == spanning


def test_events_table_and_disputed_claims(dataset):
    events = ex.view_events(dataset, ex.ViewState(years=(1878, 1991)))
    names = {doc: dataset.source_label(doc) for doc in dataset.documents}
    table = ex.events_table(events, names)
    assert len(table) == len(events)
    assert list(table.columns[:6]) == ["title", "dates", "place", "people", "theme", "sources"]
    chechens = table[table["id"] == "deportation-chechens-ingush-1944"].iloc[0]
    assert chechens["dates"] == "23 Feb – 9 Mar 1944" or chechens["dates"].endswith("1944")
    assert "→" in chechens["place"] and "Kazakhstan" in chechens["place"]
    assert chechens["people"] == "496,000"
    assert "None" not in " ".join(table["people"]) and not any("_" in s for s in table["sources"] if "catalog" != s)
    # sources by title and kind, never by hash id
    assert table["sources"].str.contains("(encyclopedia)", regex=False).any()
    assert not table["sources"].str.contains("84889b0b").any()
    disputed = ex.disputed_events(events, dataset.sources)
    assert disputed and all(len(d["claims"]) >= 2 and d["reasons"] for d in disputed)
    curated = set(events[events["provenance"] == "curated"]["id"])
    assert all(d["claims"][0]["kind"] == "catalog" for d in disputed if d["id"] in curated)   # the record first
    by_id = {d["id"]: d for d in disputed}
    death = by_id["biography-stalin-death-1953"]
    assert death["kind"] == "contrast"                          # fiction only: contrasted, not disputed
    assert all("alternate history" in r for r in death["reasons"])
    assert any(c["fiction"] and c["kind"] == "fiction" for c in death["claims"])


@pytest.mark.parametrize("start, end, text", [
    ("1944-02-23", "1944-03-09", "23 Feb – 9 Mar 1944"), ("1941-06-22", "1945-05-09", "22 Jun 1941 – 9 May 1945"),
    ("1937", "1937", "1937"), ("1941", "1945", "1941 – 1945"), ("1953-03-05", "1953-03-05", "5 Mar 1953"),
    ("1941-09", "1944-01", "Sep 1941 – Jan 1944"), ("1918", "1918-11", "1918 – Nov 1918"),
])
def test_dates_read_as_people_write_them(start, end, text):
    assert ex.readable_dates(start, end) == text


def test_a_clicked_popup_names_its_event():
    assert ex.clicked_event_id("Battle of Moscow\nfront · 1941\nid: front-battle-of-moscow-1941") == \
        "front-battle-of-moscow-1941"
    assert ex.clicked_event_id("Kazakhstan: 3 event(s)") is None and ex.clicked_event_id(None) is None


def test_the_basemap_is_published_once_per_content(tmp_path):
    url = ex.publish_basemap(tmp_path)
    name = url.rsplit("/", 1)[1]
    assert url.startswith("../../app/static/mapapp-basemap-") and (tmp_path / name).is_file()
    payload = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    assert payload["data"]["features"] and payload["styles"]
    mtime = (tmp_path / name).stat().st_mtime_ns
    assert ex.publish_basemap(tmp_path) == url and (tmp_path / name).stat().st_mtime_ns == mtime


def test_place_review_and_search(dataset):
    review = ex.place_review(dataset)
    assert {"surface", "resolved_to", "mentions", "confidence"} <= set(review.columns)
    leningrad = review[review["surface"] == "Leningrad"]
    assert leningrad["resolved_to"].tolist() == ["Saint Petersburg"]
    found = ex.find_place(dataset, "Stalingrad")
    assert found["name"] == "Volgograd"
    here = ex.events_at_place(ex.view_events(dataset, ex.ViewState(years=(1878, 1991))), found)
    assert any("Stalingrad" in t for t in here["title"])
    assert ex.find_place(dataset, "Qwxzzy Nowhere") is None


def test_uploads_are_checked_one_by_one(tmp_path):
    progress = []
    results = ex.ingest_uploads([
        ("memoir.txt", "In 1944 my family was deported from Grozny to Kazakhstan.".encode("utf-8")),
        ("photo.png", b"\x89PNG\r\n"),
        ("binary.txt", b"\x00\x01\x02" * 10),
        ("huge.md", b"a" * (ex.UPLOAD_LIMIT_BYTES + 1)),
        ("empty.html", b"<html><body>  </body></html>"),
        ("../../escape.txt", "Moscow".encode("utf-8")),
    ], tmp_path, progress=lambda share, text: progress.append(share))
    ok = {r.name: r.ok for r in results}
    assert ok == {"memoir.txt": True, "photo.png": False, "binary.txt": False, "huge.md": False,
                  "empty.html": False, "escape.txt": True}
    assert "2 MB limit" in next(r.message for r in results if r.name == "huge.md")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".txt") == ["escape.txt", "memoir.txt"]
    assert progress[-1] == 1.0
    # each saved text is a source with its title and the kind chosen (unreviewed unless said otherwise)
    from mapapp.corpus import load_document
    from mapapp.sources import source_for

    memoir = source_for(load_document(tmp_path / "memoir.txt"))
    assert memoir.kind == "unreviewed" and memoir.title.startswith("In 1944 my family")
    ex.ingest_uploads([("novel.md", "# A Winter in Omsk\n\nIn 1950 nobody left Omsk.".encode())], tmp_path,
                      kind="fiction")
    novel = source_for(load_document(tmp_path / "novel.md"))
    assert novel.is_fiction and novel.title == "A Winter in Omsk" and novel.label == "A Winter in Omsk (fiction / alternate history)"


def test_corrections_are_saved_atomically_and_applied(tmp_path, gazetteer, make_doc):
    path = tmp_path / "user" / "corrections.json"
    save_correction(Correction(surface="Gori", action="not_a_place"), path)
    save_correction(Correction(surface="Georgia", action="place_id", place_id="us-state:ga"), path)
    save_correction(Correction(surface="Tiflis", action="coordinates", lat=41.7, lon=44.8, name="Old Tiflis"), path)
    save_correction(Correction(surface="Gori", action="coordinates", lat=42.0, lon=44.1), path)  # replaces
    assert [c.surface for c in load_corrections(path)] == ["Georgia", "Gori", "Tiflis"]
    assert not list(path.parent.glob("*.tmp"))
    doc = make_doc("Stalin was born in Gori, Georgia, and studied in Tiflis.")
    fixed = apply_corrections(geoparse(doc), load_corrections(path), gazetteer)
    by_text = {m.text: m.place for m in fixed}
    assert by_text["Georgia"].country == "US" and by_text["Tiflis"].name == "Old Tiflis"
    assert by_text["Gori"].lat == 42.0
    save_correction(Correction(surface="Gori", action="not_a_place"), path)
    assert "Gori" not in {m.text for m in apply_corrections(geoparse(doc), load_corrections(path), gazetteer)}


def test_bad_corrections_are_refused(tmp_path):
    with pytest.raises(MapappError, match="coordinates must be"):
        Correction(surface="X", action="coordinates", lat=95, lon=0)
    with pytest.raises(MapappError, match="unknown action"):
        Correction(surface="X", action="delete")
    bad = tmp_path / "corrections.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(MapappError, match="corrections.json: is not valid JSON"):
        load_corrections(bad)


def test_build_applies_corrections(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("Stalin was born in Gori in 1878.", encoding="utf-8")
    corrections = tmp_path / "corrections.json"
    build_dataset([texts], tmp_path / "out", corrections_path=corrections)
    assert "Gori" in {f["properties"]["text"] for f in
                      json.loads((tmp_path / "out" / "mentions.geojson").read_text())["features"]}
    save_correction(Correction(surface="Gori", action="not_a_place"), corrections)
    report = build_dataset([texts], tmp_path / "out", corrections_path=corrections)
    assert report.reprocessed == ["a"]
    assert "Gori" not in {f["properties"]["text"] for f in
                          json.loads((tmp_path / "out" / "mentions.geojson").read_text())["features"]}


def test_event_detail_lists_every_claim(dataset):
    disputed = ex.disputed_events(ex.view_events(dataset, ex.ViewState(years=(1878, 1991))))[0]
    detail = ex.event_detail(dataset, disputed["id"])
    assert detail["title"] == disputed["title"] and "sources disagree" in detail["summary"]
    assert detail["claims"][0]["source"] == "Catalog" and len(detail["claims"]) == len(disputed["claims"])
    assert any(c["source"] != "Catalog" and c["text"] for c in detail["claims"])
    assert ex.event_detail(dataset, "no-such-event") is None
