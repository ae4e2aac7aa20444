"""``map_for``: the one entry point that turns a dataset into a layered Folium map.

A map is two parts, so the explorer can keep the first in the browser and swap only the second:

- :func:`base_map`: what every view shares (Leaflet inlined for offline use, the basemap or
  online tiles, the scale bar, zoom classes, styles);
- :func:`view_layers`: what a view draws, as plain :class:`~mapapp.layers.MapLayer` data (the
  Soviet Union's borders for the last year shown, one layer per kind of event, the places named,
  and a title and legend that follow the layers).

:func:`map_for` puts them together with a layer control and an in-map year slider (exports).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

import folium

from .assets import make_offline
from .config import GAZETTEER_DIR
from .controls import (LEGEND_POSITION, Attribution, DynamicLayers, FitView, TITLE_POSITION, BasePane, YearSlider, ZoomClasses, legend_html, map_css,
                       swatch_area, swatch_dot, swatch_line, title_html)
from .dataset import ATTRIBUTION, Dataset
from .layers import (BASE_PANE, alternate_history, FRONT_COLOURS, THEME_COLOURS, UNKNOWN_FLOW_COLOUR, YEAR_COLOURS, MapLayer, biography_route,
                     deportation_flows, event_sites, flow_pairs, front_lines, place_mentions, region_areas,
                     soviet_border_layer, vector_basemap)
from .records import THEMES

BASEMAPS = ("offline", "osm", "positron", "none")
# Europe to the Pacific, with the Atlantic at the left for the legend to sit on
DEFAULT_BOUNDS = [[33.0, -14.0], [72.0, 132.0]]
FIT_MAX_ZOOM = 4.5   # a snapshot fitted to its events stays at the overview (one arrow per operation)
CATALOG_SOURCE = "catalog"
_TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
    "positron": ("https://{s}.basemaps.cartocdn.com/light_nolabels/{z}/{x}/{y}{r}.png",
                 "© OpenStreetMap contributors © CARTO"),
}


@lru_cache(maxsize=1)
def area_geometries(tolerance: float = 0.1) -> dict[str, dict]:
    """Cached on disk: simplifying every polygon takes seconds, reading the result milliseconds."""
    from .config import CACHE_DIR
    from .diskcache import load_or_build

    sources = [GAZETTEER_DIR / "countries.geojson", GAZETTEER_DIR / "regions.geojson"]
    return load_or_build(f"areas-{tolerance}", sources, lambda: _simplified_areas(tolerance), version=2,
                         cache_dir=CACHE_DIR)


SPRAWLING_KM2 = 15_000_000


@lru_cache(maxsize=1)
def area_sizes() -> dict[str, float]:
    """Gazetteer place id → area in km² of every country, historical state and region with a shape.

    Cached on disk with the areas: measuring every polygon takes a third of a second per process.
    """
    from .config import CACHE_DIR
    from .diskcache import load_or_build

    sources = [GAZETTEER_DIR / "countries.geojson", GAZETTEER_DIR / "regions.geojson"]
    return load_or_build("area-sizes", sources, _measure_areas, version=1, cache_dir=CACHE_DIR)


def _measure_areas() -> dict[str, float]:
    import math

    from shapely.geometry import shape

    out = {}
    for place_id, geometry in area_geometries().items():
        polygons = shape(geometry)
        parts = getattr(polygons, "geoms", [polygons])
        # square degrees to km² at each part's latitude: 111.32² · cos(latitude)
        out[place_id] = round(sum(p.area * 12_392 * math.cos(math.radians(p.centroid.y)) for p in parts))
    return out


@lru_cache(maxsize=1)
def sprawling_areas() -> frozenset[str]:
    """Ids of areas over 15 million km² (Russia, the Soviet Union, Asia…): drawn, they would hide the map."""
    return frozenset(place_id for place_id, km2 in area_sizes().items() if km2 > SPRAWLING_KM2)


def _simplified_areas(tolerance: float) -> dict[str, dict]:
    """Gazetteer place id → GeoJSON polygon of every country, historical state and region.

    Simplified to ``tolerance`` degrees (≈ 10 km: a faint backdrop, not a border) with 2 decimals
    (≈ 1 km, finer than the simplification): enough for a map of regions, and it keeps a page small.
    """
    from shapely.geometry import mapping, shape

    def rounded(coords):
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], 2), round(coords[1], 2)]
        return [rounded(c) for c in coords]

    out = {}
    for name in ("countries.geojson", "regions.geojson"):
        for feature in json.loads((GAZETTEER_DIR / name).read_text(encoding="utf-8"))["features"]:
            geometry = feature["geometry"]
            if geometry and geometry["type"] in ("Polygon", "MultiPolygon"):
                simple = mapping(shape(geometry).simplify(tolerance, preserve_topology=True))
                out[feature["properties"]["id"]] = {"type": simple["type"], "coordinates": rounded(simple["coordinates"])}
    return out


def select_events(dataset: Dataset, *, years: tuple[int, int] | None = None, themes: Iterable[str] | None = None,
                  sources: Iterable[str] | None = None, include_uncertain: bool = False, alternate: bool = False):
    """The events a map shows: overlapping ``years``, of ``themes``, attested by ``sources``.

    ``sources`` are document ids and ``"catalog"`` (curated records); an event is kept when any of its
    claims comes from one of them. By default only what a careful reader would draw: extracted events
    with reasons against drawing them (``uncertain``) are left out unless ``include_uncertain``; with
    ``alternate`` the events told only by fiction are selected instead of history.
    """
    events = dataset.events
    if not len(events):
        return events
    mask = events["year_start"].notna()
    if "alternate" in events:
        mask &= events["alternate"].fillna(False).astype(bool) == alternate
    elif alternate:
        return events.iloc[0:0]  # a dataset built before sources had kinds tells no alternate history
    if "uncertain" in events and not include_uncertain:
        mask &= events["uncertain"].apply(lambda reasons: not (isinstance(reasons, list) and reasons))
    if years is not None:
        mask &= (events["year_start"] <= years[1]) & (events["year_end"] >= years[0])
    if themes is not None:
        mask &= events["theme"].isin(list(themes))
    if sources is not None:
        wanted = set(sources)

        def attested(claims) -> bool:
            for c in claims or []:
                if (c.get("provenance") == "curated" and CATALOG_SOURCE in wanted) or c.get("doc") in wanted:
                    return True
            return False
        mask &= events["claims"].apply(attested)
    return events[mask]


def _theme_label(themes: Iterable[str] | None) -> str:
    chosen = list(themes) if themes is not None else list(THEMES)
    return "all themes" if set(chosen) >= set(THEMES) else ", ".join(chosen)


def base_map(*, basemap: str = "offline", basemap_url: str | None = None,
             bounds: list[list[float]] | None = None, dynamic_layers: bool = False) -> folium.Map:
    """What every view shares: offline Leaflet, the basemap (or online tiles), scale bar, zoom classes, styles.

    ``basemap_url``: fetch the offline basemap from there instead of carrying it in the page (the
    explorer serves it once per browser). ``bounds``: the box first shown (default: Europe to the
    Pacific). ``dynamic_layers``: the view's layers will be added by streamlit-folium (the explorer),
    which adds every group; those off by default then take themselves off. A new map each call: folium
    maps are not rendered twice.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; choose one of {', '.join(BASEMAPS)}")
    fmap = make_offline(folium.Map(location=[54, 50], zoom_start=3, tiles=None, control_scale=True,
                                   prefer_canvas=False, attribution_control=True, min_zoom=2, zoom_snap=0.25))
    # one fit, at load: a second one would animate, and a snapshot would catch it half-way
    FitView(bounds or DEFAULT_BOUNDS, FIT_MAX_ZOOM).add_to(fmap)
    Attribution(ATTRIBUTION).add_to(fmap)
    if dynamic_layers:
        DynamicLayers().add_to(fmap)
    BasePane(BASE_PANE).add_to(fmap)
    ZoomClasses().add_to(fmap)
    if basemap == "offline":
        vector_basemap(url=basemap_url).to_folium().add_to(fmap)
    elif basemap in _TILES:
        url, attribution = _TILES[basemap]
        folium.TileLayer(url, attr=attribution, name=basemap, control=False).add_to(fmap)
    fmap.get_root().header.add_child(map_css())
    return fmap


def _year_span(events, years: tuple[int, int] | None) -> tuple[int, int]:
    if years:
        return int(years[0]), int(years[1])
    if len(events):
        return int(events["year_start"].min()), int(events["year_end"].max())
    return 1900, 1991


def view_layers(dataset: Dataset, *, years: tuple[int, int] | None = None, themes: Iterable[str] | None = None,
                sources: Iterable[str] | None = None, year: int | None = None, show_places: bool = True,
                title: str = "Soviet history", include_uncertain: bool = False) -> list[MapLayer]:
    """The layers a view draws, as plain data (cacheable; see :class:`~mapapp.layers.MapLayer`).

    By default only precise events (``include_uncertain`` adds the extracted events that fail the
    drawing rules); what only fiction tells is a layer of its own, labelled and off until switched on.
    The last layer holds the title and legend (shown while it is on the map) and a stamp naming the view.
    """
    themes = list(themes) if themes is not None else list(THEMES)
    events = select_events(dataset, years=years, themes=themes, sources=sources, include_uncertain=include_uncertain)
    first, last = _year_span(events, years)
    names = {doc: dataset.source_label(doc) for doc in dataset.documents}
    selected_front = None
    if year is not None:
        lines = events[(events["kind"] == "front_line") & (events["year_start"] <= year)]
        if len(lines):
            selected_front = lines.sort_values("date_start")["date_start"].iloc[-1]

    layers = [soviet_border_layer(border_year(last))]
    if "famine" in themes or "diplomacy" in themes or "deportation" in themes:
        layers.append(region_areas(events, area_geometries(), themes=[t for t in ("famine", "diplomacy", "deportation")
                                                                       if t in themes], sprawling=sprawling_areas()))
    if "front" in themes:
        layers.append(front_lines(events, selected=selected_front, years=(first, last), source_names=names))
        layers.append(event_sites(events, themes=["front"], name="Battles, sieges, offensives", kind="front",
                                  size_by="people", source_names=names))
    for theme, name in (("repression", "Repression"), ("revolution", "Revolution and civil war"),
                        ("diplomacy", "Diplomacy"), ("famine", "Famine")):
        if theme in themes:
            layers.append(event_sites(events, themes=[theme], name=name, kind=theme, source_names=names))
    if "biography" in themes:
        layers.append(biography_route(events, source_names=names))
    if "deportation" in themes:
        layers.append(deportation_flows(events, years=(first, last), source_names=names))
    fiction = select_events(dataset, years=years, themes=themes, sources=sources, include_uncertain=True,
                            alternate=True)
    if len(fiction):
        layers.append(alternate_history(fiction, source_names=names))
    if show_places and len(dataset.places):
        places = dataset.places
        if sources is not None:
            wanted = set(sources)
            places = places[places["documents"].apply(lambda docs: bool(set(docs or []) & wanted))]
        if len(places):
            layers.append(place_mentions(places, source_names=names))
    layers = [layer for layer in layers if not layer.empty or layer.kind == "border"]
    heading = title_html(f"{title}, {first}–{last}" if first != last else f"{title}, {first}",
                         f"{_theme_label(themes)} · {len(events)} events")
    legend = legend_html(legend_sections(layers, first, last, events))  # credits: in the attribution line
    stamp = (f"{first}-{last}|{','.join(themes)}|{','.join(sources) if sources is not None else '*'}|{year}|"
             f"{len(events)}{'|uncertain' if include_uncertain else ''}")
    layers.append(MapLayer(name="Title and legend", kind="controls", control=False, stamp=stamp,
                           controls=((TITLE_POSITION, "mapapp-title", heading),
                                     (LEGEND_POSITION, "mapapp-legend", legend))))
    return layers


def border_year(last: int) -> int:
    """The year whose Soviet borders a view ending in ``last`` shows (the Union existed 1923–1991)."""
    return min(max(int(last), 1923), 1991)


def view_bounds(events) -> list[list[float]] | None:
    """The box of the middle 90% of the events: one event in Mexico should not zoom the map out to the world."""
    if not len(events):
        return None
    points = events.geometry.representative_point()
    lats, lons = points.y.quantile([0.05, 0.95]), points.x.quantile([0.05, 0.95])
    if not (lats.notna().all() and lons.notna().all()):
        return None
    return [[max(lats.iloc[0] - 2, -60), lons.iloc[0] - 3], [min(lats.iloc[1] + 2, 80), lons.iloc[1] + 3]]


def map_for(dataset: Dataset, *, years: tuple[int, int] | None = None, themes: Iterable[str] | None = None,
            sources: Iterable[str] | None = None, basemap: str = "offline", year: int | None = None,
            show_places: bool = True, title: str = "Soviet history", include_uncertain: bool = False) -> folium.Map:
    """A layered Folium map of the dataset's events in ``years``, of ``themes``, from ``sources``.

    Parameters
    ----------
    dataset:
        a :class:`~mapapp.dataset.Dataset` (``mapapp build`` output).
    years:
        inclusive range of years; events overlapping it are drawn. Default: every year.
    themes, sources:
        event themes and source documents (``"catalog"`` for curated records) to show. Default: all.
    basemap:
        ``offline`` (Natural Earth vectors, no network), ``osm`` or ``positron`` (online tiles), ``none``.
    year:
        the year the slider starts on (default: all years shown); its front line is emphasised.
    include_uncertain:
        also draw the extracted events that fail the drawing rules (see :func:`mapapp.joins.draw_reasons`).
    """
    events = select_events(dataset, years=years, themes=list(themes) if themes is not None else None, sources=sources,
                           include_uncertain=include_uncertain)
    fmap = base_map(basemap=basemap, bounds=view_bounds(events))
    layers = view_layers(dataset, years=years, themes=themes, sources=sources, year=year, show_places=show_places,
                         title=title, include_uncertain=include_uncertain)
    groups = [layer.to_folium().add_to(fmap) for layer in layers]
    first, last = _year_span(events, years)
    timed = [g.mapapp_geojson for g in groups if hasattr(g, "mapapp_geojson") and g.mapapp_kind not in ("border",)]
    YearSlider(timed, first, last, start_year=year).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def legend_sections(layers: list[MapLayer], first: int, last: int, events) -> list:
    """Legend entries for the layers that have something to show."""
    sections = []
    kinds = {layer.kind for layer in layers if not layer.empty}
    if "deportation" in kinds:
        movements = events[events["theme"] == "deportation"]
        people = [p for p, places in zip(movements["people"].tolist(), movements["places"].tolist())
                  if p and p == p and flow_pairs(places or [])]
        entries = []
        if people:
            entries += [(swatch_line("#555", 3), f"{int(min(people)):,}"), (swatch_line("#555", 10), f"{int(max(people)):,}")]
        if first != last:
            entries += [(swatch_line(YEAR_COLOURS[0], 4), f"{first}"), (swatch_line(YEAR_COLOURS[-1], 4), f"{last}")]
        entries.append((swatch_line(UNKNOWN_FLOW_COLOUR, 1.5), "no number"))
        sections.append(("Deportations: people" + (", year" if first != last else ""), entries))
    if "front_line" in kinds:
        sections.append(("Front lines by date", [(swatch_line(FRONT_COLOURS[0], 4), f"{first}"),
                                                        (swatch_line(FRONT_COLOURS[-1], 4), f"{last}")]))
    point_kinds = [("front", "Battles, sieges"), ("repression", "Repression"), ("revolution", "Revolution"),
                   ("diplomacy", "Diplomacy"), ("famine", "Famine"), ("biography", "Life of Stalin")]
    sites = [(swatch_dot(THEME_COLOURS[kind]), label) for kind, label in point_kinds if kind in kinds]
    if sites:
        sections.append(("Events (pale: disputed)", sites))
    if "alternate" in kinds:
        sections.append(("Alternate history (fiction, off)", [(swatch_dot("#ffffff", 5).replace("stroke='white'", "stroke='#444' stroke-dasharray='2 1'"),
                                                              "what only fiction tells")]))
    areas = [(swatch_area("#b71c1c", faint=True), f"USSR {border_year(last)}")]
    if "region" in kinds:
        areas += [(swatch_area(THEME_COLOURS[t], faint=True), t) for t in ("famine", "deportation")]
    sections.append(("Areas", areas))
    return sections
