"""mapapp build: GeoParquet and GeoJSON with derived geometries, rebuilt only where texts changed."""
from __future__ import annotations

import json

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from mapapp.cli import app
from mapapp.dataset import build_dataset




@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("In February 1944 the Chechens were deported to Kazakhstan in Operation Lentil.\n"
                                  "Stalin was born in Gori in 1878.", encoding="utf-8")
    (folder / "b.txt").write_text("Operation Lentil began in 1943, when the Chechens were deported to Siberia.",
                                  encoding="utf-8")
    return folder


def test_build_writes_geoparquet_and_geojson(corpus, catalog, tmp_path):
    out = tmp_path / "out"
    report = build_dataset([corpus], out, catalog=catalog)
    assert report.documents == 2 and sorted(report.reprocessed) == ["a", "b"]
    for name in ("places", "mentions", "events"):
        frame = gpd.read_parquet(out / f"{name}.parquet")
        assert frame.crs.to_epsg() == 4326 and len(frame) > 0
        collection = json.loads((out / f"{name}.geojson").read_text(encoding="utf-8"))
        assert len(collection["features"]) == len(frame)
        assert "GeoNames" in collection["attribution"]
    events = {f["properties"]["id"]: f for f in json.loads((out / "events.geojson").read_text())["features"]}
    flow = events["deportation-chechens-1944"]
    assert flow["geometry"]["type"] == "LineString"
    (lon0, lat0), (lon1, lat1) = flow["geometry"]["coordinates"]
    assert 42 < lat0 < 44.5 and 44 < lon0 < 47          # starts in Chechnya
    assert 40 < lat1 < 56 and 46 < lon1 < 88           # ends in Kazakhstan
    props = flow["properties"]
    for key in ("id", "title", "theme", "year_start", "year_end", "people", "actors", "disputed", "provenance",
                "sources"):
        assert key in props
    assert props["people"] == 496000 and props["actors"] == ["Chechens", "Ingush"]
    assert {s["doc"] for s in props["sources"] if s["doc"]} == {"a", "b"}
    assert props["disputed"]  # b.txt says 1943
    line = events["front-line-1942-11-18"]
    assert line["properties"]["date"] == "1942-11-18" and line["geometry"]["type"] == "LineString"
    assert len(line["geometry"]["coordinates"]) == 6
    assert any(f["properties"]["provenance"] == "extracted" and f["properties"]["theme"] == "biography"
               for f in events.values())


def test_rebuild_redoes_only_changed_texts(corpus, catalog, tmp_path):
    out = tmp_path / "out"
    build_dataset([corpus], out, catalog=catalog)
    assert build_dataset([corpus], out, catalog=catalog).reprocessed == []
    (corpus / "b.txt").write_text("In 1944 the Kalmyks were deported to Siberia.", encoding="utf-8")
    assert build_dataset([corpus], out, catalog=catalog).reprocessed == ["b"]


def test_build_cli_reports_bad_files_and_builds_the_rest(corpus, tmp_path):
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02")
    result = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "broken.txt" in result.stderr and "built" in result.stdout
    assert (tmp_path / "out" / "events.geojson").exists()


def test_conflicts_cli_lists_disagreeing_claims_with_quotes(corpus, catalog, monkeypatch):
    import mapapp.cli as cli

    monkeypatch.setattr(cli, "_load_catalog_or_exit", lambda: catalog)
    result = CliRunner().invoke(app, ["conflicts", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "Deportation of the Chechens and Ingush" in result.stdout
    assert "Operation Lentil began in 1943" in result.stdout
    assert "dates 1943" in result.stdout


def test_a_text_changed_during_the_build_is_reported_not_mixed(tmp_path):
    """Texts are listed first and read again when their turn comes (the build holds no corpus): a text that
    changed in between is reported as such, and the others are built."""
    from mapapp.dataset import build_dataset

    folder = tmp_path / "texts"
    folder.mkdir()
    for i in range(3):
        (folder / f"t{i}.txt").write_text(f"Stalin was born in Gori in 1878. Text {i}.", encoding="utf-8")
    errors = []

    def edit_the_last(done, total):
        if done == 1:
            (folder / "t2.txt").write_text("Trotsky was exiled to Alma-Ata in 1928.", encoding="utf-8")

    report = build_dataset([folder], tmp_path / "out", catalog=[], on_error=errors.append, progress=edit_the_last)
    assert report.failed == ["t2"] and report.documents == 2
    assert len(errors) == 1 and "changed while the build was reading it" in str(errors[0])
    again = build_dataset([folder], tmp_path / "out", catalog=[])   # the next build takes the new text
    assert again.documents == 3 and "t2" in again.reprocessed and not again.failed


def test_events_share_equal_dates_and_places_and_keep_their_values(make_doc):
    """The build holds every extracted event until the join: equal dates and places are held once, unequal
    ones stay apart, and every event keeps the values it had."""
    from mapapp.dataset import _share_values
    from mapapp.events import extract_events

    text = ("In 1941 the Volga Germans were deported from Saratov to Kazakhstan. "
            "In 1944 the Chechens were deported from Grozny to Kazakhstan.")
    one, two = extract_events(make_doc(text, "a")), extract_events(make_doc(text, "b"))
    before = [(x.quote, x.first, x.last, [p.model_dump() for p in x.places]) for x in one + two]
    quotes, shared = {}, {}
    _share_values(one, quotes, shared)
    _share_values(two, quotes, shared)
    assert [(x.quote, x.first, x.last, [p.model_dump() for p in x.places]) for x in one + two] == before
    for a, b in zip(one, two):                           # the same sentence in two texts: the same objects
        assert a.quote is b.quote and a.first is b.first and all(p is q for p, q in zip(a.places, b.places))
    saratov, grozny = one[0], one[1]
    assert saratov.first is not grozny.first and saratov.places[0] is not grozny.places[0]
    assert saratov.places[-1] is grozny.places[-1]       # Kazakhstan, the destination of both
