"""Map layers: one function per kind, each taking a GeoDataFrame (EPSG:4326) and returning a folium layer.

Every feature carries its own style, an HTML-escaped popup (title, dates with their precision, numbers,
every claim with its quote and source document) and tooltip, and ``year_start``/``year_end`` so the
in-map year slider can show and hide it. Text from documents only ever reaches HTML through
:func:`html.escape`.
"""
from __future__ import annotations

import html
import json
import math
import re
import uuid
from functools import lru_cache
from collections.abc import Iterable

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

THEME_COLOURS = {
    "deportation": "#8e24aa", "front": "#c62828", "repression": "#37474f", "famine": "#ef6c00",
    "revolution": "#d81b60", "biography": "#1565c0", "diplomacy": "#2e7d32",
}
YEAR_COLOURS = ["#313695", "#4575b4", "#74add1", "#abd9e9", "#fee090", "#fdae61", "#f46d43", "#d73027", "#a50026"]

def year_colour(year: int, first: int, last: int) -> str:
    """A colour on a blue → red scale from ``first`` to ``last``."""
    if last <= first:
        return YEAR_COLOURS[-1]
    t = min(1.0, max(0.0, (year - first) / (last - first)))
    return YEAR_COLOURS[round(t * (len(YEAR_COLOURS) - 1))]


# --- popups -------------------------------------------------------------------------------------

def _dates(props: dict) -> str:
    start, end = props.get("date_start") or str(props.get("year_start")), props.get("date_end") or str(props.get("year_end"))
    precision = props.get("start_precision") or "year"
    span = start if start == end else f"{start} – {end}"
    return f"{span} (to the {precision})"


def popup_html(props: dict) -> str:
    """The popup of an event: escaped title, dates, numbers, and every claim with its quote and source."""
    e = html.escape
    parts = [f"<div class='mapapp-popup'><b>{e(str(props.get('title', '')))}</b>",
             f"<div>{e(str(props.get('theme', '')))} · {e(_dates(props))}</div>"]
    if props.get("people"):
        parts.append(f"<div>{int(props['people']):,} {e(str(props.get('people_what') or 'people'))}</div>")
    if props.get("actors"):
        parts.append(f"<div>{e(', '.join(map(str, props['actors'])))}</div>")
    if props.get("disputed"):
        parts.append("<div style='color:#b71c1c'><b>Sources disagree:</b> every claim is listed.</div>")
    claims = props.get("claims") or []
    for claim in claims[:12]:
        years = f"{claim.get('year_start')}" + (f"–{claim['year_end']}" if claim.get("year_end") != claim.get("year_start") else "")
        if claim.get("provenance") == "curated":
            links = ", ".join(e(str(u)) for u in claim.get("sources") or [])
            parts.append(f"<div class='claim'>Catalog ({e(years)}): {links}</div>")
        else:
            parts.append(f"<div class='claim'><i>{e(str(claim.get('doc')))}</i> ({e(years)}): "
                         f"“{e(str(claim.get('quote', ''))[:400])}”</div>")
    if len(claims) > 12:
        parts.append(f"<div>… and {len(claims) - 12} more claims</div>")
    parts.append(f"<div class='mapapp-id' style='color:#999;font-size:10px'>id: {e(str(props.get('id', '')))}</div>")
    parts.append("</div>")
    return "".join(parts)


def tooltip_text(props: dict) -> str:
    years = f"{props.get('year_start')}" + (f"–{props['year_end']}" if props.get("year_end") != props.get("year_start") else "")
    extra = f", {int(props['people']):,} {props.get('people_what') or 'people'}" if props.get("people") else ""
    flag = " (disputed)" if props.get("disputed") else ""
    return html.escape(f"{props.get('title', '')} — {years}{extra}{flag}")


def _feature(props: dict, geometry: dict, style: dict, popup: bool = True) -> dict:
    keep = {k: props.get(k) for k in ("id", "theme", "year_start", "year_end", "disputed")}
    keep["_style"] = style
    keep["_tooltip"] = tooltip_text(props)
    if popup:
        keep["_popup"] = popup_html(props)
    return {"type": "Feature", "properties": keep, "geometry": geometry}


def script_json(value) -> str:
    """JSON safe inside a <script> element: no "</script>" or "<!--" can close or open anything."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/").replace("<!--", "<\\!--")


class _DataScript(Element):
    """``var name = {...};`` in the page's script, rendered from a pre-compiled template, just before the
    layer that uses it.

    folium compiles every element's rendered script as a new Jinja template, which for megabytes of
    GeoJSON costs seconds; data kept here is written once and never re-parsed.
    """

    _template = Template("var {{ this.var_name }} = {{ this.payload }};")

    def __init__(self, var_name: str, payload: str) -> None:
        super().__init__()
        self.var_name = var_name
        self.payload = payload


def styled_payload(features: list[dict]) -> str:
    """The script-safe JSON of a StyledGeoJson: a shared style table and features pointing into it."""
    styles: list[dict] = []
    index: dict[tuple, int] = {}
    for feature in features:
        style = feature["properties"].pop("_style", {})
        key = tuple(sorted(style.items()))
        if key not in index:
            index[key] = len(styles)
            styles.append(style)
        feature["properties"]["_s"] = index[key]
    return script_json({"styles": styles, "data": {"type": "FeatureCollection", "features": features}})


class StyledGeoJson(MacroElement):
    """A GeoJSON layer whose features carry their own style (an index into a shared style table),
    escaped popup and tooltip; points are drawn as circle markers. Its data is written into the page once."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {% if not this.data_written %}var {{ this.data_name }} = {{ this.payload }};{% endif %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data_name }}.data, {
            interactive: {{ 'true' if this.interactive else 'false' }},
            style: function (f) { return {{ this.data_name }}.styles[f.properties._s]; },
            pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {{ this.data_name }}.styles[f.properties._s]); },
            onEachFeature: function (f, l) {
                var p = f.properties;
                if (p._popup) {
                    // a DOM node, not a string: streamlit-folium reads a clicked popup's innerText
                    var box = document.createElement('div'); box.innerHTML = p._popup;
                    l.bindPopup(box, {maxWidth: 380});
                }
                if (p._tooltip) { l.bindTooltip(p._tooltip, {sticky: true}); }
            }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, features: list[dict] | None, *, name: str = "", interactive: bool = True,
                 payload: str | None = None) -> None:
        super().__init__()
        self._name = "StyledGeoJson"
        self._data_name = f"mapapp_data_{uuid.uuid4().hex}"
        self.data_written = False
        self.interactive = interactive
        # prepared once by styled_payload() and reused (basemap, borders), or made from the features
        self.payload = payload if payload is not None else styled_payload(features or [])


    @property
    def data_name(self) -> str:
        # fixed at creation: streamlit-folium renames elements between rendering the header and the script
        return self._data_name

    def render(self, **kwargs) -> None:
        # folium compiles each element's rendered script as a new template: keep the data out of it.
        # Callers that take the script macro directly (streamlit-folium) get the data inline instead.
        self.get_root().script.add_child(_DataScript(self.data_name, self.payload), name=self.data_name)
        self.data_written = True
        try:
            super().render(**kwargs)
        finally:
            self.data_written = False


def _geojson_layer(name: str, features: list[dict], *, kind: str) -> folium.FeatureGroup:
    """One styled GeoJSON layer inside a named FeatureGroup (one legend entry, one toggle)."""
    group = folium.FeatureGroup(name=name, show=True)
    group.mapapp_kind = kind
    if not features:
        return group
    layer = StyledGeoJson(features, name=name)
    layer.add_to(group)
    group.mapapp_geojson = layer
    return group


def _rows(gdf) -> Iterable[dict]:
    """Rows as plain dicts, missing values (NaN) as ``None``, the geometry under ``_geometry``."""
    columns = [c for c in gdf.columns if c != "geometry"]
    # plain Python lists per column: iterating pandas' Arrow-backed columns value by value is slow
    data = {c: gdf[c].tolist() for c in columns}
    geometries = list(gdf.geometry)
    for i, geometry in enumerate(geometries):
        props = {}
        for c in columns:
            v = data[c][i]
            props[c] = None if isinstance(v, float) and v != v else v
        props["_geometry"] = geometry
        yield props


# --- deportation flows --------------------------------------------------------------------------

def curved_arrow(lon0: float, lat0: float, lon1: float, lat1: float, *, bend: float = 0.2,
                 points: int = 18) -> tuple[list[list[float]], list[list[float]]]:
    """A curved line origin → destination and a triangular arrowhead at its end, in lon/lat.

    The curve is a quadratic Bézier whose control point sits ``bend`` × the length off the middle,
    always to the left of travel, so flows between the same two places do not hide each other.
    """
    dx, dy = lon1 - lon0, lat1 - lat0
    length = math.hypot(dx, dy) or 1e-9
    cx, cy = (lon0 + lon1) / 2 - dy * bend, (lat0 + lat1) / 2 + dx * bend
    line = []
    for i in range(points + 1):
        t = i / points
        x = (1 - t) ** 2 * lon0 + 2 * (1 - t) * t * cx + t ** 2 * lon1
        y = (1 - t) ** 2 * lat0 + 2 * (1 - t) * t * cy + t ** 2 * lat1
        line.append([round(x, 4), round(y, 4)])
    (x1, y1), (x2, y2) = line[-2], line[-1]
    ux, uy = x2 - x1, y2 - y1
    norm = math.hypot(ux, uy) or 1e-9
    ux, uy = ux / norm, uy / norm
    size = max(0.3, min(1.5, length * 0.06))
    head = [[x2, y2], [round(x2 - size * (ux + 0.5 * uy), 4), round(y2 - size * (uy - 0.5 * ux), 4)],
            [round(x2 - size * (ux - 0.5 * uy), 4), round(y2 - size * (uy + 0.5 * ux), 4)], [x2, y2]]
    return line, head


def flow_width(people: float | None, largest: float) -> float:
    """Line width in pixels: 2 for an unknown count, up to 12 for the largest flow (area-true: √)."""
    if not people or not largest:
        return 2.0
    return round(2.0 + 10.0 * math.sqrt(people / largest), 2)


def deportation_flows(events, *, colour_by: str = "year", years: tuple[int, int] | None = None) -> folium.FeatureGroup:
    """Curved arrows origin → destination for movement events, width by people, colour by year or theme.

    ``events`` needs ``theme``, ``places`` (list of {lat, lon, role}), ``people``, ``year_start``, ``year_end``.
    """
    movements = events[events["theme"] == "deportation"]
    first, last = years or ((int(movements["year_start"].min()), int(movements["year_end"].max()))
                            if len(movements) else (0, 0))
    largest = max([p for p in movements["people"].tolist() if p and p == p] or [0])
    features = []
    for props in _rows(movements):
        places = props.get("places") or []
        origins = [p for p in places if p.get("role") == "origin" and p.get("lat") is not None]
        destinations = [p for p in places if p.get("role") == "destination" and p.get("lat") is not None]
        colour = year_colour(int(props["year_start"]), first, last) if colour_by == "year" else THEME_COLOURS["deportation"]
        width = flow_width(props.get("people"), largest)
        for o in origins:
            for d in destinations:
                line, head = curved_arrow(o["lon"], o["lat"], d["lon"], d["lat"])
                style = {"color": colour, "weight": width, "opacity": 0.85, "className": "mapapp-deportation"}
                features.append(_feature(props, {"type": "LineString", "coordinates": line}, style))
                features.append(_feature(props, {"type": "Polygon", "coordinates": [head]},
                                         {**style, "weight": 1, "fillColor": colour, "fillOpacity": 0.9,
                                          "className": "mapapp-deportation-head"}, popup=False))
    return _geojson_layer("Deportations", features, kind="deportation")


# --- front lines ----------------------------------------------------------------------------------

def front_lines(events, *, selected: str | None = None, years: tuple[int, int] | None = None) -> folium.FeatureGroup:
    """The dated front lines, coloured along the time scale; the line of ``selected`` (ISO date) emphasised."""
    lines = events[events["kind"] == "front_line"].sort_values("date_start")
    first, last = years or ((int(lines["year_start"].min()), int(lines["year_end"].max())) if len(lines) else (0, 0))
    features = []
    for props in _rows(lines):
        emphasised = selected is not None and props.get("date_start") == selected
        style = {"color": year_colour(int(props["year_start"]), first, last), "weight": 6 if emphasised else 3,
                 "opacity": 1.0 if emphasised else 0.75, "dashArray": None if emphasised else "6 4",
                 "className": "mapapp-front-line"}
        features.append(_feature(props, props["_geometry"].__geo_interface__, style))
    return _geojson_layer("Front lines", features, kind="front_line")


# --- point and area events ------------------------------------------------------------------------

def _duration_days(props: dict) -> float:
    import datetime as dt

    def parse(value: str, last: bool) -> dt.date:
        parts = [int(x) for x in str(value).split("-")]
        if len(parts) == 1:
            return dt.date(parts[0], 12 if last else 1, 31 if last else 1)
        if len(parts) == 2:
            return dt.date(parts[0], parts[1], 28 if last else 1)
        return dt.date(*parts)
    try:
        return max(1.0, (parse(props["date_end"], True) - parse(props["date_start"], False)).days + 1)
    except (KeyError, ValueError, TypeError):
        return 1.0


def event_sites(events, *, themes: Iterable[str], name: str, kind: str,
                size_by: str = "people") -> folium.FeatureGroup:
    """Circle markers at each site of the events of ``themes``, sized by people (or duration), theme-coloured."""
    chosen = events[events["theme"].isin(list(themes)) & (events["kind"] != "front_line")]
    values = [(p.get("people") or 0) if size_by == "people" else _duration_days(p) for p in _rows(chosen)]
    largest = max(values or [1]) or 1
    features = []
    for props, value in zip(_rows(chosen), values):
        if props["theme"] == "deportation":
            continue  # drawn as flows
        radius = round(5 + 13 * math.sqrt(value / largest), 1) if value else 5
        for place in props.get("places") or []:
            if place.get("lat") is None or place.get("role") not in ("site", "destination"):
                continue
            style = {"color": "#ffffff", "weight": 1, "fillColor": THEME_COLOURS[props["theme"]],
                     "fillOpacity": 0.75 if not props.get("disputed") else 0.35, "radius": radius,
                     "className": f"mapapp-{kind}"}
            features.append(_feature(props, {"type": "Point", "coordinates": [place["lon"], place["lat"]]}, style))
    return _geojson_layer(name, features, kind=kind)


_TERRITORIAL = re.compile(r"annex|incorporat|occupation|ceded|cession|transfer|partition|border|frontier", re.IGNORECASE)


def region_areas(events, area_geometries: dict[str, dict], *, themes: Iterable[str] = ("famine", "diplomacy", "deportation"),
                 name: str = "Regions", sprawling: frozenset[str] = frozenset()) -> folium.FeatureGroup:
    """Polygons of the regions and states events are about (famine regions, annexed territories,
    deportation homelands and destinations), each drawn once with the list of its events.

    ``area_geometries`` maps a gazetteer place id to its GeoJSON geometry; ``sprawling`` ids are not
    drawn (areas so wide they would hide the map). A region's feature spans the
    years of its events, so the year slider shows it while any of them is under way.
    """
    chosen = events[events["theme"].isin(list(themes)) & (events["kind"] != "front_line")]
    by_area: dict[str, list[dict]] = {}
    for props in _rows(chosen):
        territorial = props["theme"] != "diplomacy" or bool(_TERRITORIAL.search(props.get("title") or ""))
        for place in props.get("places") or []:
            place_id = place.get("place_id") or ""
            if place_id not in area_geometries or place.get("kind") not in ("region", "country"):
                continue
            if place_id in sprawling:
                continue  # an area as wide as a continent (the Soviet Union) would cover everything else
            if place.get("kind") == "country" and not territorial:
                continue  # a treaty partner is not a territory the event is about
            entries = by_area.setdefault(place_id, [])
            if all(e["id"] != props["id"] for e in entries):
                entries.append({**props, "_place": place["name"]})
    features = []
    for place_id, entries in sorted(by_area.items()):
        themes_here = [e["theme"] for e in entries]
        theme = max(set(themes_here), key=themes_here.count)
        colour = THEME_COLOURS[theme]
        lines = "".join(f"<div>{html.escape(str(e['title']))} ({e['year_start']}"
                        + (f"–{e['year_end']}" if e["year_end"] != e["year_start"] else "") + ")</div>"
                        for e in sorted(entries, key=lambda e: e["year_start"])[:25])
        props = {"id": place_id, "theme": theme, "year_start": min(e["year_start"] for e in entries),
                 "year_end": max(e["year_end"] for e in entries),
                 "_popup": f"<div class='mapapp-popup'><b>{html.escape(entries[0]['_place'])}</b>{lines}</div>",
                 "_tooltip": html.escape(f"{entries[0]['_place']}: {len(entries)} event(s)"),
                 "_style": {"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": 0.12,
                            "className": "mapapp-region"}}
        features.append({"type": "Feature", "properties": props, "geometry": area_geometries[place_id]})
    return _geojson_layer(name, features, kind="region")


def biography_route(events, *, actor: str = "Joseph Stalin") -> folium.FeatureGroup:
    """A life as a dated path: biography events of ``actor`` in date order, joined by a line."""
    life = events[(events["theme"] == "biography") & events["actors"].apply(
        lambda a: isinstance(a, list) and any(actor.split()[-1] in str(x) for x in a))]
    life = life.sort_values(["date_start", "date_end"])
    stops = []
    for props in _rows(life):
        places = [p for p in props.get("places") or [] if p.get("lat") is not None]
        destination = [p for p in places if p.get("role") == "destination"] or [p for p in places if p.get("role") == "site"]
        if destination:
            stops.append((props, destination[0]))
    features = []
    for i, (props, place) in enumerate(stops):
        style = {"color": "#ffffff", "weight": 1, "fillColor": THEME_COLOURS["biography"], "fillOpacity": 0.9,
                 "radius": 5, "className": "mapapp-biography"}
        features.append(_feature(props, {"type": "Point", "coordinates": [place["lon"], place["lat"]]}, style))
        if i:
            prev = stops[i - 1][1]
            features.append(_feature(props, {"type": "LineString", "coordinates": [[prev["lon"], prev["lat"]],
                                                                                  [place["lon"], place["lat"]]]},
                                     {"color": THEME_COLOURS["biography"], "weight": 2, "opacity": 0.6,
                                      "className": "mapapp-biography-path"}, popup=False))
    return _geojson_layer(f"Life of {actor}", features, kind="biography")


def place_mentions(places, *, cluster_above: int = 150) -> folium.FeatureGroup:
    """Every place the texts name, sized by how often; clustered (Leaflet.markercluster) when there are many.

    ``places`` needs ``name``, ``mentions``, ``surface_forms``, ``documents`` and point geometries.
    """
    from folium.plugins import FastMarkerCluster

    from .assets import make_offline

    largest = max([int(m) for m in places["mentions"].tolist()] or [1])
    rows = []
    for props in _rows(places):
        point = props["_geometry"]
        forms = props.get("surface_forms") or []
        docs = props.get("documents") or []
        text = html.escape(f"{props['name']}: named {props['mentions']}× as {', '.join(map(str, forms))} "
                           f"in {', '.join(map(str, docs))}")
        radius = round(3 + 9 * math.sqrt(int(props["mentions"]) / largest), 1)
        rows.append((props, point, radius, text))
    if len(rows) > cluster_above:
        group = folium.FeatureGroup(name="Places named", show=False)
        cluster = make_offline(FastMarkerCluster(
            data=[[p.y, p.x, r, t] for _, p, r, t in rows], name="Places named",
            callback="""function (row) {
                var m = L.circleMarker(new L.LatLng(row[0], row[1]), {radius: row[2], color: '#455a64', weight: 1,
                    fillColor: '#90a4ae', fillOpacity: 0.7, className: 'mapapp-place'});
                m.bindTooltip(row[3]);
                return m;
            }"""))
        cluster.add_to(group)
        group.mapapp_kind = "places"
        return group
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.x, p.y]},
                 "properties": {"_tooltip": t, "_style": {"radius": r, "color": "#455a64", "weight": 1,
                                                          "fillColor": "#90a4ae", "fillOpacity": 0.7,
                                                          "className": "mapapp-place"}}}
                for _, p, r, t in rows]
    group = _geojson_layer("Places named", features, kind="places")
    group.show = False
    return group


# --- basemap ----------------------------------------------------------------------------------------

_BASEMAP_STYLES = {
    "land": {"color": "#d9d0c1", "weight": 0, "fillColor": "#efe9dd", "fillOpacity": 1},
    "lakes": {"color": "#9ec3d6", "weight": 0.5, "fillColor": "#cfe3ee", "fillOpacity": 1},
    "coastline": {"color": "#8aa9b9", "weight": 0.8, "fill": False},
    "boundaries": {"color": "#b9ad99", "weight": 0.6, "dashArray": "2 2", "fill": False},
}


@lru_cache(maxsize=1)
def basemap_payloads() -> tuple[tuple[str, str], ...]:
    """Prepared layer data of the offline basemap, made once per process (it is the same on every map)."""
    from .borders import basemap_layers

    layers = basemap_layers()
    out = []
    for key, style in _BASEMAP_STYLES.items():
        frame = layers.get(key)
        if frame is None or not len(frame):
            continue
        style = {**style, "className": f"mapapp-basemap-{key}", "interactive": False}
        features = [{"type": "Feature", "properties": {"_style": style}, "geometry": f["geometry"]}
                    for f in frame.__geo_interface__["features"]]
        out.append((key, styled_payload(features)))
    return tuple(out)


def vector_basemap() -> folium.FeatureGroup:
    """Land, lakes, coastlines and modern borders from Natural Earth, with no labels (history maps)."""
    group = folium.FeatureGroup(name="Basemap (Natural Earth)", control=False)
    for key, payload in basemap_payloads():
        StyledGeoJson(None, name=key, interactive=False, payload=payload).add_to(group)
    return group


@lru_cache(maxsize=64)
def _border_payload(year: int) -> str | None:
    from .borders import soviet_territory

    geometry = soviet_territory(year)
    if geometry is None:
        return None
    style = {"color": "#b71c1c", "weight": 2, "fillColor": "#ffcdd2", "fillOpacity": 0.15,
             "className": "mapapp-ussr-border", "interactive": False}
    return styled_payload([{"type": "Feature", "properties": {"_style": style}, "geometry": geometry.__geo_interface__}])


def soviet_border_layer(year: int) -> folium.FeatureGroup:
    """The Soviet Union's de jure territory in ``year`` (derived from modern units and dated changes)."""
    group = folium.FeatureGroup(name=f"Soviet Union, {year}")
    group.mapapp_kind = "border"
    payload = _border_payload(int(year))
    if payload is not None:
        StyledGeoJson(None, name=f"Soviet Union {year}", interactive=False, payload=payload).add_to(group)
    return group
