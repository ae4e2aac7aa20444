"""``map_for``: the one entry point that turns a dataset into a layered Folium map.

The map is assembled from the layer functions of :mod:`mapapp.layers` and the controls of
:mod:`mapapp.controls`: an offline vector basemap (or online tiles on request), the Soviet Union's
borders for the last year shown, one layer per kind of event, a legend per visible layer, a layer
control, a scale bar, a title naming the years and themes, and an in-map year slider.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

import folium

from .assets import make_offline
from .config import GAZETTEER_DIR
from .controls import Legend, MapTitle, YearSlider, swatch_area, swatch_dot, swatch_line
from .dataset import ATTRIBUTION, Dataset
from .layers import (THEME_COLOURS, YEAR_COLOURS, biography_route, deportation_flows, event_sites, front_lines,
                     place_mentions, region_areas, soviet_border_layer, vector_basemap)
from .records import THEMES

BASEMAPS = ("offline", "osm", "positron", "none")
CATALOG_SOURCE = "catalog"
_TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
    "positron": ("https://{s}.basemaps.cartocdn.com/light_nolabels/{z}/{x}/{y}{r}.png",
                 "© OpenStreetMap contributors © CARTO"),
}


@lru_cache(maxsize=1)
def area_geometries(tolerance: float = 0.05) -> dict[str, dict]:
    """Cached on disk: simplifying every polygon takes seconds, reading the result milliseconds."""
    from .config import CACHE_DIR
    from .diskcache import load_or_build

    sources = [GAZETTEER_DIR / "countries.geojson", GAZETTEER_DIR / "regions.geojson"]
    return load_or_build(f"areas-{tolerance}", sources, lambda: _simplified_areas(tolerance), version=1,
                         cache_dir=CACHE_DIR)


SPRAWLING_KM2 = 15_000_000


@lru_cache(maxsize=1)
def sprawling_areas() -> frozenset[str]:
    """Ids of areas over 15 million km² (Russia, the Soviet Union, Asia…): drawn, they would hide the map."""
    import math

    from shapely.geometry import shape

    out = set()
    for place_id, geometry in area_geometries().items():
        polygons = shape(geometry)
        parts = getattr(polygons, "geoms", [polygons])
        # square degrees to km² at each part's latitude: 111.32² · cos(latitude)
        km2 = sum(p.area * 12_392 * math.cos(math.radians(p.centroid.y)) for p in parts)
        if km2 > SPRAWLING_KM2:
            out.add(place_id)
    return frozenset(out)


def _simplified_areas(tolerance: float) -> dict[str, dict]:
    """Gazetteer place id → GeoJSON polygon of every country, historical state and region.

    Simplified to ``tolerance`` degrees (≈ 5 km) with 3 decimals: enough for a map of regions, and it
    keeps a map's page small.
    """
    from shapely.geometry import mapping, shape

    def rounded(coords):
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], 3), round(coords[1], 3)]
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
                  sources: Iterable[str] | None = None):
    """The events a map shows: overlapping ``years``, of ``themes``, attested by ``sources``.

    ``sources`` are document ids and ``"catalog"`` (curated records); an event is kept when any of its
    claims comes from one of them.
    """
    events = dataset.events
    if not len(events):
        return events
    mask = events["year_start"].notna()
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


def map_for(dataset: Dataset, *, years: tuple[int, int] | None = None, themes: Iterable[str] | None = None,
            sources: Iterable[str] | None = None, basemap: str = "offline", year: int | None = None,
            show_places: bool = True, title: str = "Soviet history") -> folium.Map:
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
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; choose one of {', '.join(BASEMAPS)}")
    themes = list(themes) if themes is not None else list(THEMES)
    events = select_events(dataset, years=years, themes=themes, sources=sources)
    first = years[0] if years else int(events["year_start"].min()) if len(events) else 1900
    last = years[1] if years else int(events["year_end"].max()) if len(events) else 1991
    fmap = make_offline(folium.Map(location=[54, 50], zoom_start=3, tiles=None, control_scale=True,
                                   prefer_canvas=False, attribution_control=True, min_zoom=2))
    if basemap == "offline":
        vector_basemap().add_to(fmap)
    elif basemap in _TILES:
        url, attribution = _TILES[basemap]
        folium.TileLayer(url, attr=attribution, name=basemap, control=False).add_to(fmap)
    soviet_border_layer(min(max(last, 1923), 1991)).add_to(fmap)

    selected_front = None
    if year is not None:
        lines = events[(events["kind"] == "front_line") & (events["year_start"] <= year)]
        if len(lines):
            selected_front = lines.sort_values("date_start")["date_start"].iloc[-1]

    groups = []
    if "famine" in themes or "diplomacy" in themes or "deportation" in themes:
        groups.append(region_areas(events, area_geometries(), themes=[t for t in ("famine", "diplomacy", "deportation")
                                                                       if t in themes], sprawling=sprawling_areas()))
    if "front" in themes:
        groups.append(front_lines(events, selected=selected_front, years=(first, last)))
        groups.append(event_sites(events, themes=["front"], name="Battles, sieges, offensives", kind="front",
                                  size_by="people"))
    for theme, name in (("repression", "Repression"), ("revolution", "Revolution and civil war"),
                        ("diplomacy", "Diplomacy"), ("famine", "Famine")):
        if theme in themes:
            groups.append(event_sites(events, themes=[theme], name=name, kind=theme))
    if "biography" in themes:
        groups.append(biography_route(events))
    if "deportation" in themes:
        groups.append(deportation_flows(events, years=(first, last)))
    for group in groups:
        group.add_to(fmap)
    if show_places and len(dataset.places):
        places = dataset.places
        if sources is not None:
            wanted = set(sources)
            places = places[places["documents"].apply(lambda docs: bool(set(docs or []) & wanted))]
        if len(places):
            place_mentions(places).add_to(fmap)

    timed = [g.mapapp_geojson for g in groups if hasattr(g, "mapapp_geojson")]
    YearSlider(timed, first, last, start_year=year).add_to(fmap)
    Legend(legend_sections(groups, first, last, events), attribution=ATTRIBUTION).add_to(fmap)
    MapTitle(f"{title}, {first}–{last}", f"{_theme_label(themes)} · {len(events)} events").add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(
        "<style>.leaflet-container{background:#cfe3ee}.mapapp-popup .claim{margin-top:4px;font-size:12px}</style>"))
    if len(events):
        # the middle 90% of the events: one event in Mexico should not zoom the map out to the world
        points = events.geometry.representative_point()
        lats, lons = points.y.quantile([0.05, 0.95]), points.x.quantile([0.05, 0.95])
        if lats.notna().all() and lons.notna().all():
            fmap.fit_bounds([[max(lats.iloc[0] - 2, -60), lons.iloc[0] - 3], [min(lats.iloc[1] + 2, 80), lons.iloc[1] + 3]])
    return fmap


def legend_sections(groups, first: int, last: int, events) -> list:
    """Legend entries for the layers that have something to show."""
    sections = []
    kinds = {getattr(g, "mapapp_kind", None) for g in groups if hasattr(g, "mapapp_geojson")}
    if "deportation" in kinds:
        people = [p for p in events[events["theme"] == "deportation"]["people"].tolist() if p and p == p]
        largest = int(max(people)) if people else 0
        entries = [(swatch_line(YEAR_COLOURS[0], 3), f"{first}"), (swatch_line(YEAR_COLOURS[-1], 3), f"{last}")]
        if largest:
            entries += [(swatch_line("#777", 2.5), "few people"), (swatch_line("#777", 12), f"{largest:,} people")]
        sections.append(("Deportations (arrow colour: year, width: people)", entries))
    if "front_line" in kinds:
        sections.append(("Front lines (colour: date)", [(swatch_line(YEAR_COLOURS[0], 3, True), f"{first}"),
                                                        (swatch_line(YEAR_COLOURS[-1], 3, True), f"{last}"),
                                                        (swatch_line("#555", 6), "selected date")]))
    point_kinds = [("front", "Battles, sieges, offensives (size: casualties)"), ("repression", "Repression"),
                   ("revolution", "Revolution and civil war"), ("diplomacy", "Diplomacy"), ("famine", "Famine"),
                   ("biography", "Life of Joseph Stalin")]
    sites = [(swatch_dot(THEME_COLOURS[kind]), label) for kind, label in point_kinds if kind in kinds]
    if sites:
        sections.append(("Events (size: people or casualties; pale: sources disagree)", sites))
    if "region" in kinds:
        sections.append(("Regions", [(swatch_area(THEME_COLOURS[t]), t) for t in ("famine", "diplomacy", "deportation")]))
    sections.append(("Borders", [(swatch_area("#b71c1c"), f"Soviet Union in {min(max(last, 1923), 1991)}")]))
    return sections
