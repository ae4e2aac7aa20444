"""Maps: layers from GeoDataFrames, map_for, exports — rendered in headless Chromium with the network off."""
from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from mapapp.catalog import load_catalog
from mapapp.cli import app
from mapapp.dataset import build_dataset, load_dataset
from mapapp.export import View, export_view, parse_years
from mapapp.layers import curved_arrow, flow_width, popup_html
from mapapp.maps import map_for, select_events

CATALOG = """
- id: front-defence-of-tsaritsyn-1918
  title: Defence of Tsaritsyn
  theme: front
  start: 1918-07
  end: 1919-02
  names: [Tsaritsyn]
  places: [{name: Tsaritsyn, role: site}]
  people: [{count: 40000, what: casualties, approx: true, source: "https://en.wikipedia.org/wiki/Battle_for_Tsaritsyn"}]
  sources: [{url: "https://en.wikipedia.org/wiki/Battle_for_Tsaritsyn"}]
- id: deportation-koreans-1937
  title: Deportation of the Soviet Koreans
  theme: deportation
  start: 1937-09
  end: 1937-10
  actors: [Koreans]
  places: [{name: Russian Far East, role: origin}, {name: Kazakhstan, role: destination}, {name: Uzbekistan, role: destination}]
  people: [{count: 172000, what: deported, source: "https://en.wikipedia.org/wiki/Deportation_of_Koreans_in_the_Soviet_Union"}]
  sources: [{url: "https://en.wikipedia.org/wiki/Deportation_of_Koreans_in_the_Soviet_Union"}]
- id: deportation-chechens-ingush-1944
  title: Deportation of the Chechens and Ingush
  theme: deportation
  start: 1944-02-23
  names: [Operation Lentil]
  actors: [Chechens, Ingush]
  places: [{name: Chechnya, role: origin}, {name: Kazakhstan, role: destination}]
  people: [{count: 496000, what: deported, approx: true, source: "https://en.wikipedia.org/wiki/Operation_Lentil"}]
  sources: [{url: "https://en.wikipedia.org/wiki/Operation_Lentil"}]
- id: front-line-1944-06-22
  title: Eastern Front line, 22 June 1944
  theme: front
  kind: front_line
  start: 1944-06-22
  places: [{name: Narva, role: waypoint}, {name: Pskov, role: waypoint}, {name: Vitebsk, role: waypoint},
           {name: Kovel, role: waypoint}, {name: Iași, role: waypoint}]
  sources: [{url: "https://en.wikipedia.org/wiki/Operation_Bagration"}]
- id: famine-holodomor-1932-1933
  title: Holodomor
  theme: famine
  start: 1932
  end: 1933
  places: [{name: Ukraine, role: site}]
  sources: [{url: "https://en.wikipedia.org/wiki/Holodomor"}]
"""
XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, gazetteer):
    root = tmp_path_factory.mktemp("maps")
    texts = root / "texts"
    texts.mkdir()
    (texts / "evil.txt").write_text(
        f"In February 1944 the Chechens were deported to Kazakhstan in Operation Lentil {XSS}.\n"
        "In 1937 the Koreans were deported from the Russian Far East to Kazakhstan.", encoding="utf-8")
    (root / "events.yaml").write_text(CATALOG, encoding="utf-8")
    catalog = load_catalog([root / "events.yaml"], gazetteer=gazetteer)
    build_dataset([texts], root / "data", catalog=catalog)
    return load_dataset(root / "data")


def test_curved_arrow_runs_from_origin_to_destination():
    line, head = curved_arrow(45.7, 43.3, 68.0, 48.0)
    assert line[0] == [45.7, 43.3] and line[-1] == [68.0, 48.0]
    assert head[0] == head[-1] == [68.0, 48.0] and len(head) == 4
    mid = line[len(line) // 2]
    assert mid != [round((45.7 + 68.0) / 2, 4), round((43.3 + 48.0) / 2, 4)]  # it bends


def test_flow_width_grows_with_people():
    assert flow_width(None, 100) == 1.5                       # no number: thin
    assert 3.0 < flow_width(10, 100) < flow_width(50, 100) < flow_width(100, 100) == 14.0
    assert flow_width(1_000, 100) == 14.0                     # never wider than the largest drawn


def _movements(rows):
    import geopandas as gpd
    from shapely.geometry import Point

    base = {"theme": "deportation", "kind": "event", "year_start": 1944, "year_end": 1944, "date_start": "1944",
            "date_end": "1944", "disputed": False, "claims": [], "actors": [], "people_what": "deported"}
    return gpd.GeoDataFrame([{**base, **r} for r in rows], geometry=[Point(0, 0)] * len(rows), crs="EPSG:4326")


def _features(layer):
    return json.loads(layer.payload)["data"]["features"] if layer.payload else []


def test_flows_never_loop_and_scale_over_the_arrows_drawn():
    from mapapp.layers import deportation_flows

    chechnya = {"name": "Chechnya", "lat": 43.4, "lon": 45.7}
    kazakhstan = {"name": "Kazakhstan", "lat": 48.0, "lon": 68.0}
    events = _movements([
        {"id": "a", "title": "Deportation of the Chechens and Ingush", "people": 496000,
         "places": [{**chechnya, "role": "origin"}, {**kazakhstan, "role": "destination"}]},
        {"id": "loop", "title": "Crimea to Crimea", "people": 1000,
         "places": [{**chechnya, "role": "origin"}, {**chechnya, "role": "destination"}]},
        {"id": "gulag", "title": "Gulag prisoners", "people": 14_000_000,    # no destination: no arrow
         "places": [{**kazakhstan, "role": "site"}]},
        {"id": "grey", "title": "Deportation of someone", "people": None,
         "places": [{**kazakhstan, "role": "origin"}, {**chechnya, "role": "destination"}]},
    ])
    features = _features(deportation_flows(events))
    ids = {f["properties"]["id"] for f in features}
    assert ids == {"a", "grey"}                                # no self-loop, no arrow without two ends
    styles = json.loads(deportation_flows(events).payload)["styles"]
    width = {f["properties"]["id"]: styles[f["properties"]["_s"]]["weight"] for f in features
             if f["geometry"]["type"] == "LineString"}
    assert width["a"] == 14.0                                  # the largest drawn, not the 14 M without arrow
    assert width["grey"] == 1.5
    colour = {f["properties"]["id"]: styles[f["properties"]["_s"]]["color"] for f in features
              if f["geometry"]["type"] == "LineString"}
    assert colour["grey"] != colour["a"]
    overview = [f["properties"]["_label"] for f in features
                if f["properties"].get("_label") and "minz5" not in f["properties"]["_label_class"]]
    assert overview == ["Chechens and Ingush 1944 · 496,000"]  # the grey arrow is labelled only when zoomed in
    # grey arrows are drawn first, under the others
    assert [f["properties"]["id"] for f in features][0] == "grey"


def test_an_operation_is_one_arrow_that_fans_out_when_zoomed_in():
    from mapapp.layers import deportation_flows

    events = _movements([{"id": "k", "title": "Deportation of the Koreans", "people": 172000,
                          "places": [{"name": "Far East", "lat": 45.0, "lon": 133.0, "role": "origin"},
                                     {"name": "Kazakhstan", "lat": 48.0, "lon": 68.0, "role": "destination"},
                                     {"name": "Uzbekistan", "lat": 41.0, "lon": 64.0, "role": "destination"}]}])
    layer = deportation_flows(events)
    styles = json.loads(layer.payload)["styles"]
    lines = [styles[f["properties"]["_s"]]["className"] for f in _features(layer)
             if f["geometry"]["type"] == "LineString"]
    assert sorted(lines) == ["mapapp-deportation mapapp-maxz4", "mapapp-deportation mapapp-minz5",
                             "mapapp-deportation mapapp-minz5"]


def test_cached_layers_render_again_and_again(dataset):
    """The explorer keeps a view's layers as data and renders them on every visit: each render must
    declare every variable its script uses (a re-rendered folium object did not: a blank map)."""
    import re

    from streamlit_folium import _get_feature_group_string

    from mapapp.maps import base_map, view_layers

    layers = view_layers(dataset, years=(1937, 1945))
    scripts = []
    for _ in range(3):
        fmap = base_map(basemap_url="../../app/static/basemap.json")
        scripts.append("".join(_get_feature_group_string(layer.to_folium(), map=fmap, idx=i)
                               for i, layer in enumerate(layers)))
    for script in scripts:
        for i in range(len(layers)):
            assert f"var feature_group_feature_group_{i} = " in script
        used = set(re.findall(r"\b(mapapp_data_[0-9a-f]+)\.", script))
        assert used and all(f"var {name} = " in script for name in used)
    assert len(scripts[0]) == len(scripts[1]) == len(scripts[2])


def test_title_and_legend_follow_the_view(dataset):
    from mapapp.maps import view_layers

    layers = view_layers(dataset, years=(1944, 1944), themes=["deportation"])
    controls = layers[-1]
    assert controls.kind == "controls" and not controls.control
    text = " ".join(html for _, _, html in controls.controls)
    assert "1944" in text and "Deportations" in text and "Front lines" not in text
    assert controls.stamp and controls.stamp != view_layers(dataset, years=(1943, 1944))[-1].stamp


def test_a_popup_says_why_an_uncertain_event_is_not_drawn_by_default():
    text = popup_html({"title": "Arrests in Kharkiv", "theme": "repression", "year_start": 1938, "year_end": 1938,
                       "uncertain": ["its year is not stated in the sentence"], "claims": []})
    assert "Uncertain, shown on request: its year is not stated in the sentence" in text


def test_popups_escape_document_text():
    text = popup_html({"title": "<b>x</b>", "theme": "front", "year_start": 1941, "year_end": 1941,
                       "claims": [{"provenance": "extracted", "doc": "d", "quote": "<script>alert(1)</script>",
                                   "year_start": 1941, "year_end": 1941}]})
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "&lt;b&gt;x" in text


def test_select_events_by_years_themes_sources(dataset):
    assert set(select_events(dataset, years=(1937, 1937))["id"]) >= {"deportation-koreans-1937"}
    assert not len(select_events(dataset, years=(1937, 1937), themes=["famine"]))
    only_text = select_events(dataset, sources=["evil"])
    assert "deportation-chechens-ingush-1944" in set(only_text["id"])
    assert "famine-holodomor-1932-1933" not in set(only_text["id"])
    assert "famine-holodomor-1932-1933" in set(select_events(dataset, sources=["catalog"])["id"])


def test_a_dataset_without_the_alternate_column_draws_nothing_as_fiction(dataset):
    older = dataset.events.drop(columns=["alternate"])
    from mapapp.dataset import Dataset

    old = Dataset(events=older, places=dataset.places, mentions=dataset.mentions, manifest=dataset.manifest)
    assert len(select_events(old)) == len(older)
    assert len(select_events(old, alternate=True)) == 0


def test_map_for_rejects_unknown_basemap(dataset):
    with pytest.raises(ValueError, match="unknown basemap"):
        map_for(dataset, basemap="satellite")


def test_geojson_export_is_exactly_the_view(dataset, tmp_path):
    view = View(years=(1941, 1945), themes=("deportation", "front"))
    path, _ = export_view(dataset, view, tmp_path / "view.geojson")
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert "GeoNames" in collection["attribution"]
    by_id = {f["properties"]["id"]: f for f in collection["features"]}
    assert "deportation-koreans-1937" not in by_id and "front-defence-of-tsaritsyn-1918" not in by_id
    flow = by_id["deportation-chechens-ingush-1944"]
    assert flow["geometry"]["type"] == "LineString"
    lon, lat = flow["geometry"]["coordinates"][0]
    assert 42 < lat < 44.5 and 44 < lon < 47   # first coordinate: the origin, Chechnya
    for key in ("id", "title", "theme", "year_start", "year_end", "people", "actors", "disputed", "provenance",
                "sources"):
        assert key in flow["properties"]
    assert any(s["doc"] == "evil" and "<img src=x" in s["quote"] for s in flow["properties"]["sources"])
    # every source by its title and kind too: an uploaded text without manifest entry is unreviewed
    evil = next(s for s in flow["properties"]["sources"] if s["doc"] == "evil")
    assert evil["kind"] == "unreviewed" and evil["title"].startswith("In February 1944")
    assert all({"doc", "title", "kind"} <= set(s) for s in flow["properties"]["sources"])
    line = by_id["front-line-1944-06-22"]
    assert line["properties"]["date"] == "1944-06-22" and line["geometry"]["type"] in ("LineString", "MultiLineString")


def test_csv_export_has_the_same_rows_and_attribution(dataset, tmp_path):
    view = View(years=(1941, 1945))
    path, _ = export_view(dataset, view, tmp_path / "view.csv")
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    header, body, last = rows[0], rows[1:-1], rows[-1]
    assert header[0] == "id" and "sources" in header and header[-1] == "geometry_wkt"
    assert len(body) == len(select_events(dataset, years=(1941, 1945)))
    assert last[0].startswith("# ") and "GeoNames" in last[0]


def test_export_cli_validates_its_options(dataset, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--data", str(dataset.path), "--years", "1945-1941", "--out",
                                 str(tmp_path / "x.geojson")])
    assert result.exit_code == 2 and "YEAR-YEAR" in result.stderr
    result = runner.invoke(app, ["export", "--data", str(dataset.path), "--themes", "weather", "--out",
                                 str(tmp_path / "x.geojson")])
    assert result.exit_code == 2 and "unknown theme" in result.stderr
    result = runner.invoke(app, ["export", "--data", str(tmp_path / "nothing"), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "not a mapapp dataset" in result.stderr
    assert parse_years("1941") == (1941, 1941)


# --- in a real browser, offline -----------------------------------------------------------------

@pytest.fixture(scope="module")
def exported_page(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "map.html"
    export_view(dataset, View(), out)
    return out


def test_html_draws_its_layers_offline_without_errors(exported_page):
    from mapapp.browser import open_page

    html_text = exported_page.read_text(encoding="utf-8")
    assert "https://cdn" not in html_text and "unpkg" not in html_text
    with open_page(exported_page) as browser:
        page = browser.page
        page.wait_for_selector(".mapapp-legend")
        assert browser.console_errors == [] and browser.blocked_requests == []
        # one arrow per operation at the overview zoom: Koreans (2 destinations) and Chechens
        assert page.locator("path.mapapp-deportation:visible").count() == 2
        assert page.locator("path.mapapp-deportation-head:visible").count() == 2
        assert "Chechens" in page.locator(".mapapp-label").all_inner_texts()[-1] or \
            any("Chechens" in t for t in page.locator(".mapapp-label").all_inner_texts())
        page.evaluate("() => { const map = Object.values(window).find(v => v instanceof L.Map);"
                      " map.setView([45, 75], 5, {animate: false}); }")
        page.wait_for_timeout(300)
        assert page.locator("path.mapapp-deportation:visible").count() == 3   # the Koreans fan out
        assert page.locator("path.mapapp-front-line").count() == 1
        assert page.locator("path.mapapp-front").count() >= 1                # Tsaritsyn
        assert page.locator("path.mapapp-region").count() >= 2               # Ukraine, Kazakhstan, Chechnya…
        assert page.locator("path.mapapp-basemap-land").count() >= 1
        assert "Deportations" in page.locator(".mapapp-legend").inner_text()
        assert "GeoNames (CC BY 4.0)" in page.locator(".leaflet-control-attribution").inner_text()
        assert "1918" in page.locator(".mapapp-title").inner_text()
        assert page.evaluate("typeof window.__xss") == "undefined"


def test_year_slider_shows_1918_1937_1944(exported_page):
    from mapapp.browser import open_page

    with open_page(exported_page) as browser:
        page = browser.page
        page.wait_for_selector(".mapapp-year")
        counts = {}
        for year in (1918, 1937, 1944):
            page.evaluate(f"window.mapappSetYear({year})")
            counts[year] = (page.locator("path.mapapp-deportation:visible").count(), page.locator("path.mapapp-front").count(),
                            page.locator("path.mapapp-front-line").count())
        assert counts[1918] == (0, 1, 0)
        assert counts[1937] == (1, 0, 0)
        assert counts[1944] == (1, 0, 1)
        assert page.locator(".mapapp-year-label").inner_text() == "1944"
        page.evaluate("window.mapappSetYear(null)")
        assert page.locator("path.mapapp-deportation:visible").count() == 2
        assert browser.console_errors == []


def test_popup_shows_document_markup_as_text(exported_page):
    from mapapp.browser import open_page

    with open_page(exported_page) as browser:
        page = browser.page
        page.wait_for_selector("path.mapapp-deportation")
        page.evaluate("window.mapappSetYear(1944)")
        page.evaluate("""() => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            map.eachLayer(l => { if (l.feature && l.feature.properties.id === 'deportation-chechens-ingush-1944'
                                     && l.getPopup()) { l.openPopup(); } });
        }""")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "<img src=x onerror" in popup.inner_text()
        assert popup.locator("img").count() == 0 and popup.locator("script").count() == 0
        assert page.evaluate("typeof window.__xss") == "undefined"


def test_png_export_is_the_requested_size_and_not_blank(dataset, tmp_path):
    from PIL import Image

    path, seconds = export_view(dataset, View(years=(1937, 1945)), tmp_path / "map.png", width=900, height=600)
    image = Image.open(path).convert("RGB")
    assert image.size == (900, 600)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50
