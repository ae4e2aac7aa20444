"""mapapp explorer: widgets and layout only; everything shown comes from tested ``mapapp`` functions."""
from __future__ import annotations

import gc
import os
import tempfile
import time
from pathlib import Path

import altair as alt
import folium
import streamlit as st
from streamlit_folium import st_folium

from mapapp import explorer as ex
from mapapp.config import CACHE_DIR, CORPUS_DIR
from mapapp.corrections import (USER_DIR, Correction, corrections_file, load_corrections, reset_corrections,
                                save_correction, stale_corrections)
from mapapp.dataset import load_dataset
from mapapp.errors import CorrectionsError, MapappError
from mapapp.export import View, export_view
from mapapp.gazetteer import default_gazetteer
from mapapp.layers import THEME_COLOURS
from mapapp.maps import BASEMAPS, CATALOG_SOURCE, base_map, view_layers
from mapapp.records import THEMES
from mapapp.sources import KIND_LABELS, KINDS

UPLOADS = USER_DIR / "uploads"
APP_DATA = CACHE_DIR / "app-dataset"
STATIC = Path(__file__).resolve().parent / "static"
MAP_HEIGHT = 560
STREAMLIT_COLOURS = {"deportation": "violet", "front": "red", "repression": "gray", "famine": "orange",
                     "revolution": "rainbow", "biography": "blue", "diplomacy": "green"}

st.set_page_config(page_title="mapapp — Soviet history explorer", layout="wide")
# fixed CSS, no user text: less empty space above the map on a laptop screen
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:2.2rem}"
        "[data-testid='stMainBlockContainer'] h1{font-size:1.9rem;padding:0}</style>")


@st.cache_resource(show_spinner="Building the dataset…", max_entries=4)
def dataset_for(version: tuple, use_corrections: bool = True):
    """The built-in corpus plus every saved upload, built (incrementally) and loaded once per state of the
    disk (``version``: the uploads and the corrections file, see ``ex.disk_key``), shared by every
    session and reload; or the dataset folder ``MAPAPP_DATASET`` names (``mapapp build --out DIR``), as it
    is. A few states are kept (a session still on the previous one is not rebuilt for)."""
    if os.environ.get("MAPAPP_DATASET"):
        data = load_dataset(os.environ["MAPAPP_DATASET"])
        gc.freeze()
        return data
    # a corrections file that cannot be read is shown to the user, and the texts are built without it
    data = ex.app_dataset(CORPUS_DIR, UPLOADS, APP_DATA, use_corrections=use_corrections)
    # what is loaded now lives as long as the server: keep the collector from re-walking it on every
    # rerun (profiled: a third of a new view's server time went to collections)
    gc.freeze()
    return data


@st.cache_resource(max_entries=128, show_spinner=False)
def cached_layers(version: tuple, use_corrections: bool, years: tuple, themes: tuple, sources: tuple | None,
                  year: int | None, uncertain: bool):
    # plain data (MapLayer), shared by every session; the folium objects are made anew on each run
    return tuple(view_layers(dataset_for(version, use_corrections), years=years, themes=themes, sources=sources, year=year,
                             include_uncertain=uncertain))


@st.cache_resource(show_spinner=False)
def basemap_url() -> str:
    return ex.publish_basemap(STATIC)


@st.cache_data(show_spinner=False, max_entries=16)
def corrections_status(path: str, version: tuple) -> tuple[str | None, list[str]]:
    """Whether the corrections file (its state on disk: ``version``) can be applied: the problem with
    the file, or why each correction naming a place the gazetteer lacks is skipped."""
    try:
        corrections = load_corrections(Path(path))
    except CorrectionsError as error:
        return str(error), []
    return None, stale_corrections(corrections, default_gazetteer())


@st.cache_data(show_spinner=False)
def review_for(version: tuple, use_corrections: bool):
    return ex.place_review(dataset_for(version, use_corrections))


def show_event_detail(data, event_id: str) -> None:
    detail = ex.event_detail(data, event_id)
    if detail is None:
        st.caption("Click an arrow, line or circle on the map, or a row of the Events table, to read its sources.")
        return
    st.subheader(ex.plain(detail["title"]))   # text from documents and links is never markup
    st.text(detail["summary"])
    for claim in detail["claims"]:
        st.caption(ex.plain(f"{claim['source']} · {claim['years']}"))
        st.text(claim["text"])  # document text stays plain text


state = st.session_state
state.setdefault("center", None)
state.setdefault("zoom", None)
for flash_ok, flash in state.pop("flash", []):       # what a button did before its rerun
    (st.success if flash_ok else st.error)(ex.plain(flash))
corrections_path = corrections_file()
corrections_problem, stale = corrections_status(str(corrections_path), ex.disk_key(corrections_path))
version = ex.disk_key(UPLOADS, corrections_path)
try:
    try:
        dataset = dataset_for(version, corrections_problem is None)
    except CorrectionsError as error:       # the file went bad between the check and the build
        corrections_problem = str(error)
        dataset = dataset_for(version, False)
except MapappError as error:                # e.g. a hand-edited sources.yaml that cannot be read
    st.error(ex.plain(f"The texts could not be built: {error}"))
    st.stop()
documents = dataset.documents

if "view" not in state:
    parsed = ex.view_from_query(st.query_params.to_dict(), documents=documents)
    state.view, state.notices = parsed.view, parsed.notices
view: ex.ViewState = state.view
for notice in state.notices:
    st.warning(ex.plain(f"Link not fully understood: {notice}."))
if corrections_problem is not None or stale:
    # the app still opens; the texts are built without the corrections until the file is repaired or reset
    if corrections_problem is not None:
        st.error(ex.plain(f"Your place corrections are not applied: {corrections_problem}. A reset renames "
                          "the file as a backup; nothing is deleted."))
    for reason in stale:
        st.warning(ex.plain(f"{corrections_path}: {reason}. Save a new correction of that name in the Places tab, "
                            "or reset the file: it is renamed as a backup, never deleted."))
    st.code(str(corrections_path), language=None)     # the file to repair, to copy
    if st.button("Reset corrections (keeps a backup)", key="reset_corrections"):
        try:
            backup = reset_corrections(corrections_path)
            state.flash = [(True, f"Corrections reset; the old file is kept as {backup}.")]
        except (OSError, MapappError) as error:
            state.flash = [(False, f"The corrections file could not be reset: {error}")]
        st.rerun()

# --- sidebar: filters ---------------------------------------------------------------------------
with st.sidebar:
    st.header("View")
    single = st.toggle("Single year", key="single", help="Step or play through the years one at a time.")
    if single:
        state.setdefault("year", view.years[0])
        c1, c2, c3 = st.columns(3)
        if c1.button("◀", help="Previous year"):
            state.year = max(ex.MIN_YEAR, state.year - 1)
        if c3.button("▶", help="Next year"):
            state.year = min(ex.MAX_YEAR, state.year + 1)
        playing = c2.toggle("Play", key="play")
        year = st.slider("Year", ex.MIN_YEAR, ex.MAX_YEAR, key="year")
        years = (year, year)
    else:
        playing = False
        years = st.slider("Years", ex.MIN_YEAR, ex.MAX_YEAR, value=view.years, key="years")
        year = None
    st.subheader("Themes")
    themes = tuple(t for t in THEMES if st.checkbox(f":{STREAMLIT_COLOURS[t]}[●] {t}", value=t in view.themes,
                                                        key=f"theme_{t}"))
    options = documents + [CATALOG_SOURCE]
    if state.get("pending_sources"):
        # a new upload is selected on the map, beside whatever was chosen
        state["sources"] = ex.with_new_sources(state.get("sources", view.sources), options, state.pending_sources)
        del state["pending_sources"]
    chosen = st.multiselect("Sources", options, key="sources",
                            **({} if "sources" in state else {"default": list(view.sources or options)}),
                            format_func=lambda doc: "Curated catalog" if doc == CATALOG_SOURCE else dataset.source_label(doc),
                            help="Texts of the corpus and your uploads, by title and kind; the curated catalog.")
    sources = None if set(chosen) == set(options) else tuple(chosen)
    uncertain = st.toggle("Show uncertain events", value=view.uncertain, key="uncertain",
                          help="Also the events read from the texts that the map leaves out by default: no stated "
                               "year, no precise place, commentary, or another reading of a sentence.")
    place_query = st.text_input("Find a place", value=view.place or "", key="place")
    basemap = st.selectbox("Basemap", BASEMAPS, index=0, key="basemap",
                           help="offline works with no internet; osm and positron load online tiles.")

view = ex.ViewState(years=tuple(years), themes=themes, sources=sources, place=place_query or None, basemap=basemap,
                    uncertain=uncertain)
state.view = view
st.query_params.from_dict(ex.view_to_query(view))
events = ex.view_events(dataset, view)

st.title("Soviet history explorer")
source_names = {doc: dataset.source_label(doc) for doc in documents}
st.caption(ex.plain(f"{len(events)} events · {years[0]}–{years[1]} · {', '.join(themes) or 'no theme'} · "
                    f"{'all sources' if sources is None else ', '.join(source_names.get(s, 'curated catalog') for s in sources)}"))

found = None
if place_query:
    found = ex.find_place(dataset, place_query)
    if found is None:
        st.info("No place of that name in the texts or the gazetteer.")
    elif state.get("centred_on") != found["name"]:
        state.center, state.zoom, state.centred_on = (found["lat"], found["lon"]), 6, found["name"]

tab_map, tab_events, tab_disputed, tab_places, tab_upload, tab_export = st.tabs(
    ["Map", "Events", "Disputed", "Places", "Your texts", "Export"])

with tab_map:
    try:
        layers = cached_layers(version, corrections_problem is None, tuple(years), themes, sources, year, uncertain)
        clicked = st_folium(
            base_map(basemap=basemap, basemap_url=basemap_url(), dynamic_layers=True), key="map", height=MAP_HEIGHT,
            use_container_width=True, feature_group_to_add=[layer.to_folium() for layer in layers],
            layer_control=folium.LayerControl(collapsed=True), returned_objects=["last_object_clicked_popup"],
            center=state.center, zoom=state.zoom)
    except Exception as error:  # a map that cannot be drawn says so, never an empty frame
        st.error(ex.plain(f"The map could not be drawn: {error}"))
        clicked = None
    popup = (clicked or {}).get("last_object_clicked_popup")
    if popup and popup != state.get("last_popup"):
        state.last_popup = popup
        state.selected = ex.clicked_event_id(popup)
    detail_column, chart_column = st.columns([3, 2])
    with detail_column:
        if state.get("selected"):
            show_event_detail(dataset, state.selected)
        elif found is not None:
            here = ex.events_at_place(events, found)
            st.subheader(ex.plain(found["name"]))
            st.dataframe(ex.events_table(here, source_names)[["title", "dates", "place"]], hide_index=True)
        else:
            show_event_detail(dataset, "")
    with chart_column:
        counts = ex.events_per_year(events, tuple(years))
        if len(counts):
            chart = alt.Chart(counts).mark_bar().encode(
                x=alt.X("year:O", title=None), y=alt.Y("events:Q", title="events"),
                color=alt.Color("theme:N", scale=alt.Scale(domain=list(THEME_COLOURS),
                                                           range=list(THEME_COLOURS.values())), legend=None),
                tooltip=["year", "theme", "events"]).properties(height=180)
            st.altair_chart(chart, width="stretch")

with tab_events:
    table = ex.events_table(events, source_names)
    table.insert(0, "shown", ["▶" if i == state.get("selected") else "" for i in table["id"]])
    selection = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="single-row", height=460,
                             key="events_table", column_config={"lat": None, "lon": None, "id": None,
                                                                "year_start": None,
                                                                "shown": st.column_config.TextColumn("", width=30)})
    rows = (selection or {}).get("selection", {}).get("rows", []) if isinstance(selection, dict) else \
        getattr(getattr(selection, "selection", None), "rows", [])
    if rows and rows[0] < len(table):
        picked = table.iloc[rows[0]]
        if state.get("centred_on") != picked["id"]:
            state.center, state.zoom, state.centred_on = (picked["lat"], picked["lon"]), 5, picked["id"]
            state.selected = picked["id"]
            st.rerun()
    if state.get("selected"):
        show_event_detail(dataset, state.selected)

with tab_disputed:
    disputed = ex.disputed_events(events, dataset.sources, dataset.passages, tuple(years))
    st.caption(f"{sum(d['kind'] == 'dispute' for d in disputed)} events where historical sources disagree · "
               f"{sum(d['kind'] == 'contrast' for d in disputed)} where an alternate-history source says otherwise")
    for item in disputed:
        label = "sources disagree" if item["kind"] == "dispute" else "alternate history says otherwise"
        with st.expander(ex.plain(f"{item['title']} ({item['theme']}) — {label}")):
            for reason in item["reasons"]:
                st.text(f"Why: {reason}")  # document text stays plain text
            for claim in item["claims"]:
                said = " — this source says" if claim["fiction"] else ""
                st.caption(ex.plain(f"{claim['title']} ({claim['kind']}) · {claim['year_start']}–{claim['year_end']}{said}"))
                st.text(claim["quote"])

with tab_places:
    review = review_for(version, corrections_problem is None)
    st.dataframe(review, hide_index=True, height=300)
    with st.form("correction"):
        surface = st.selectbox("Name as written", sorted(review["surface"].unique()) if len(review) else [])
        action = st.radio("Correction", ["choose another candidate", "not a place", "enter coordinates"],
                          horizontal=True)
        candidates = {f"{p.name} ({p.kind}, {p.country or '—'})": p.id
                      for p, _ in default_gazetteer().lookup(surface or "")} if surface else {}
        candidate = st.selectbox("Candidate", list(candidates) or ["—"])
        c1, c2 = st.columns(2)
        lat = c1.number_input("Latitude", -90.0, 90.0, 0.0)
        lon = c2.number_input("Longitude", -180.0, 180.0, 0.0)
        if st.form_submit_button("Save correction") and surface:
            try:
                if action == "not a place":
                    correction = Correction(surface=surface, action="not_a_place")
                elif action == "enter coordinates":
                    correction = Correction(surface=surface, action="coordinates", lat=lat, lon=lon, name=surface)
                else:
                    correction = Correction(surface=surface, action="place_id", place_id=candidates.get(candidate))
                save_correction(correction)
                st.success(ex.plain(f"Saved: {surface} → {action}. The dataset is rebuilt with it."))
                st.rerun()
            except MapappError as error:
                st.error(ex.plain(error))

with tab_upload:
    st.write(f"Add your own texts (.txt, .md, .html; at most {ex.UPLOAD_LIMIT_BYTES // 2**20} MB each). "
             "Each becomes a source you can filter on.")
    uploads = st.file_uploader("Texts", type=["txt", "md", "html", "htm"], accept_multiple_files=True)
    kind = st.selectbox("What kind of texts are these?", list(KINDS), index=list(KINDS).index("unreviewed"),
                        format_func=lambda k: f"{KIND_LABELS.get(k, k)} — {KINDS[k]}",
                        help="Shown beside the title wherever the text is cited. Fiction is drawn only in the "
                             "alternate-history layer; no upload ever sets a curated figure.")
    if uploads and st.button("Add texts"):
        bar = st.progress(0.0)
        results = ex.ingest_uploads([(f.name, f.getvalue()) for f in uploads], UPLOADS, kind=kind,
                                    progress=lambda share, text: bar.progress(share, text=ex.plain(text)))
        state.upload_messages = [(result.ok, result.message) for result in results]   # shown after the rerun
        added = [r.doc for r in results if r.ok and r.doc]
        if added:
            state.pending_sources = added      # selected on the map after the rerun
        st.rerun()
    for ok, message in state.get("upload_messages", []):
        (st.success if ok else st.error)(ex.plain(message))

with tab_export:
    snapshot = View(years=tuple(years), themes=themes, sources=sources, basemap=basemap, year=year,
                    include_uncertain=uncertain)
    st.write(f"Export the current view: {snapshot.describe()}. HTML works offline and keeps the year slider.")
    if st.button("Prepare downloads", help="HTML, GeoJSON and CSV of exactly this view; PNG from headless Chromium."):
        with tempfile.TemporaryDirectory() as tmp, st.spinner("Exporting…"):
            files = {}
            try:
                for fmt in ("html", "geojson", "csv", "png"):
                    path, _ = export_view(dataset, snapshot, Path(tmp) / f"mapapp-view.{fmt}")
                    files[fmt] = path.read_bytes()
            except MapappError as error:
                st.error(ex.plain(f"{fmt.upper()} export failed: {error}"))
            state.exports, state.exports_for = files, snapshot
    if state.get("exports") and state.get("exports_for") == snapshot:
        columns = st.columns(4)
        mimes = {"html": "text/html", "geojson": "application/geo+json", "csv": "text/csv", "png": "image/png"}
        for column, (fmt, data) in zip(columns, state.exports.items()):
            column.download_button(fmt.upper(), data, file_name=f"mapapp-view.{fmt}", mime=mimes[fmt], key=f"dl_{fmt}")

if playing and single:
    time.sleep(1.0)
    state.year = ex.MIN_YEAR if state.year >= ex.MAX_YEAR else state.year + 1
    st.rerun()
