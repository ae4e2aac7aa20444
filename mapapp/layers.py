"""Map layers: one function per kind, each taking a GeoDataFrame (EPSG:4326) and returning a :class:`MapLayer`.

A :class:`MapLayer` is plain data (a name, a kind and the layer's script-safe GeoJSON payload), so a
view's layers can be cached and shared between sessions, and a fresh folium ``FeatureGroup`` is made
from them for every render (:meth:`MapLayer.to_folium`): a folium element rendered twice is not the
same element any more (streamlit-folium renames it), which left the explorer's map blank on a
second visit.

Every feature carries its own style, an HTML-escaped popup (title, dates with their precision,
numbers, every claim with its quote and source title) and tooltip, an optional permanent label, and
``year_start``/``year_end`` so the in-map year slider can show and hide it. Text from documents only
ever reaches HTML through :func:`html.escape`.

Drawn the way a historical atlas draws: one labelled arrow per deportation operation at the overview
zoom, fanning out to its destinations when zoomed in (``mapapp-maxz4`` / ``mapapp-minz5`` classes,
switched by :class:`~mapapp.controls.ZoomClasses`); arrows with no number thin and grey, under the
others; front lines bold with their date; regions faint.
"""
from __future__ import annotations

import html
import json
import math
import re
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from .conflicts import reason_in_words

THEME_COLOURS = {
    "deportation": "#8e24aa", "front": "#c62828", "repression": "#37474f", "famine": "#ef6c00",
    "revolution": "#d81b60", "biography": "#1565c0", "diplomacy": "#2e7d32",
}
# Two time scales in two hues, so an arrow is never mistaken for a front line: deportations from light
# to dark violet-blue, front lines from orange to dark red (ColorBrewer BuPu and OrRd, 7 classes).
YEAR_COLOURS = ["#8c96c6", "#8c6bb1", "#88419d", "#810f7c", "#4d004b"]
FRONT_COLOURS = ["#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#b30000", "#7f0000"]
UNKNOWN_FLOW_COLOUR = "#8d8d8d"
BASE_PANE = "mapappBase"     # under the overlay pane: the basemap may arrive after the layers
LABELLED_FLOWS = 8          # arrows labelled at the overview zoom: the largest in view
FAN_OUT_ZOOM = 5            # from this zoom on, an operation's arrows fan out to each destination


def year_colour(year: int, first: int, last: int, scale: list[str] = YEAR_COLOURS) -> str:
    """A colour on ``scale`` for ``year`` between ``first`` and ``last``."""
    if last <= first:
        return scale[-1]
    t = min(1.0, max(0.0, (year - first) / (last - first)))
    return scale[round(t * (len(scale) - 1))]


# --- popups -------------------------------------------------------------------------------------

def _dates(props: dict) -> str:
    start, end = props.get("date_start") or str(props.get("year_start")), props.get("date_end") or str(props.get("year_end"))
    precision = props.get("start_precision") or "year"
    span = start if start == end else f"{start} – {end}"
    return f"{span} (to the {precision})"


def _source_name(claim: dict, source_names: dict[str, str] | None) -> str:
    doc = claim.get("doc")
    return (source_names or {}).get(doc, str(doc))


def popup_html(props: dict, source_names: dict[str, str] | None = None) -> str:
    """The popup of an event: escaped title, dates, numbers, and every claim with its quote and source title.

    ``source_names`` maps document ids to what people read (title and kind, :mod:`mapapp.sources`).
    """
    e = html.escape
    parts = [f"<div class='mapapp-popup'><b>{e(str(props.get('title', '')))}</b>",
             f"<div>{e(str(props.get('theme', '')))} · {e(_dates(props))}</div>"]
    if props.get("people"):
        parts.append(f"<div>{int(props['people']):,} {e(str(props.get('people_what') or 'people'))}</div>")
    if props.get("actors"):
        parts.append(f"<div>{e(', '.join(map(str, props['actors'])))}</div>")
    if props.get("disputed"):
        parts.append("<div style='color:#b71c1c'><b>Sources disagree:</b> every claim is listed.</div>")
    for reason in (props.get("reasons") or [])[:4]:
        parts.append(f"<div style='color:#b71c1c'>Why: {e(reason_in_words(reason, source_names or {}))}</div>")
    if props.get("uncertain"):
        parts.append(f"<div style='color:#666'>Uncertain, shown on request: {e('; '.join(props['uncertain']))}</div>")
    for contrast in (props.get("contrasts") or [])[:4]:
        parts.append(f"<div style='color:#6a1b9a'>Alternate history — {e(reason_in_words(contrast, source_names or {}))}</div>")
    claims = props.get("claims") or []
    for claim in claims[:12]:
        years = f"{claim.get('year_start')}" + (f"–{claim['year_end']}" if claim.get("year_end") != claim.get("year_start") else "")
        if claim.get("provenance") == "curated":
            links = ", ".join(e(str(u)) for u in claim.get("sources") or [])
            parts.append(f"<div class='claim'>Catalog ({e(years)}): {links}</div>")
        else:
            said = "this source says" if claim.get("fiction") else ""
            parts.append(f"<div class='claim'><i>{e(_source_name(claim, source_names))}</i> ({e(years)}) {said}: "
                         f"“{e(str(claim.get('quote', ''))[:400])}”</div>")
    if len(claims) > 12:
        parts.append(f"<div>… and {len(claims) - 12} more claims</div>")
    parts.append(f"<div class='mapapp-id' style='color:#999;font-size:10px'>id: {e(str(props.get('id', '')))}</div>")
    parts.append("</div>")
    return "".join(parts)


def _years_text(props: dict) -> str:
    return f"{props.get('year_start')}" + (f"–{props['year_end']}" if props.get("year_end") != props.get("year_start") else "")


def tooltip_text(props: dict) -> str:
    extra = f", {int(props['people']):,} {props.get('people_what') or 'people'}" if props.get("people") else ""
    flag = " (disputed)" if props.get("disputed") else ""
    return html.escape(f"{props.get('title', '')} — {_years_text(props)}{extra}{flag}")


def _feature(props: dict, geometry: dict, style: dict, popup: bool = True, *, label: str | None = None,
             label_class: str = "", source_names: dict[str, str] | None = None) -> dict:
    keep = {k: props.get(k) for k in ("id", "theme", "year_start", "year_end", "disputed")}
    keep["_style"] = style
    keep["_tooltip"] = tooltip_text(props)
    if popup:
        keep["_popup"] = popup_html(props, source_names)
    if label:
        keep["_label"] = html.escape(label)
        keep["_label_class"] = label_class
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
    """The script-safe JSON of a StyledGeoJson: shared tables of styles and of popup and tooltip texts,
    and features pointing into them (an event drawn at five places, or as an arrow fanning out to
    five destinations, carries its popup once)."""
    styles: list[dict] = []
    texts: list[str] = []
    style_index: dict[tuple, int] = {}
    text_index: dict[str, int] = {}

    def text_ref(text: str) -> int:
        if text not in text_index:
            text_index[text] = len(texts)
            texts.append(text)
        return text_index[text]

    for feature in features:
        props = feature["properties"]
        style = props.pop("_style", {})
        key = tuple(sorted(style.items()))
        if key not in style_index:
            style_index[key] = len(styles)
            styles.append(style)
        props["_s"] = style_index[key]
        for field in ("_popup", "_tooltip"):
            if props.get(field):
                props[field] = text_ref(props[field])
    return script_json({"styles": styles, "texts": texts,
                        "data": {"type": "FeatureCollection", "features": features}})


class StyledGeoJson(MacroElement):
    """A GeoJSON layer whose features carry their own style (an index into a shared style table),
    escaped popup, tooltip and permanent label; points are drawn as circle markers.

    Its data is written into the page once (``payload``), or fetched from ``url`` when the page is
    served (the explorer's basemap: sent to a browser once, not with every view).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {% if this.url %}
        var {{ this.get_name() }} = L.geoJSON(null, {interactive: false{% if this.pane %}, pane: {{ this.pane|tojson }}{% endif %}}).addTo({{ this._parent.get_name() }});
        fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }).then(function (payload) {
            {{ this.get_name() }}.options.style = function (f) { return payload.styles[f.properties._s]; };
            {{ this.get_name() }}.addData(payload.data);
        });
        {% else %}
        {% if not this.data_written %}var {{ this.data_name }} = {{ this.payload }};{% endif %}
        var {{ this.get_name() }}_options = {interactive: {{ 'true' if this.interactive else 'false' }}{% if this.pane %}, pane: {{ this.pane|tojson }}{% endif %}{% if this.canvas %}, renderer: L.canvas({padding: 0.3}){% endif %}};
        var {{ this.get_name() }} = L.geoJSON({{ this.data_name }}.data, {
            interactive: {{ this.get_name() }}_options.interactive,{% if this.pane %}
            pane: {{ this.pane|tojson }},{% endif %}{% if this.canvas %}
            renderer: {{ this.get_name() }}_options.renderer,{% endif %}
            style: function (f) { return {{ this.data_name }}.styles[f.properties._s]; },
            pointToLayer: function (f, latlng) {
                return L.circleMarker(latlng, Object.assign({}, {{ this.get_name() }}_options, {{ this.data_name }}.styles[f.properties._s]));
            },
            onEachFeature: function (f, l) {
                var p = f.properties, texts = {{ this.data_name }}.texts;
                if (p._popup !== undefined) {
                    // a DOM node, not a string: streamlit-folium reads a clicked popup's innerText
                    var box = document.createElement('div'); box.innerHTML = texts[p._popup];
                    l.bindPopup(box, {maxWidth: 380});
                }
                if (p._label) {
                    l.bindTooltip(p._label, {permanent: true, direction: p._label_dir || 'center',
                                             className: 'mapapp-label ' + (p._label_class || '')});
                } else if (p._tooltip !== undefined) { l.bindTooltip(texts[p._tooltip], {sticky: true}); }
            }
        }).addTo({{ this._parent.get_name() }});
        {% endif %}
        {% endmacro %}
    """)

    def __init__(self, features: list[dict] | None = None, *, name: str = "", interactive: bool = True,
                 payload: str | None = None, url: str | None = None, pane: str | None = None,
                 canvas: bool = False) -> None:
        super().__init__()
        self.pane = pane
        self.canvas = canvas
        self._name = "StyledGeoJson"
        self.data_written = False
        self.interactive = interactive
        self.url = url
        # prepared once by styled_payload() and reused (basemap, borders, cached views), or made from features
        self.payload = payload if payload is not None else (None if url else styled_payload(features or []))
        # named by its content: the same view renders to the same script, so streamlit-folium sees nothing
        # new on a rerun that changes no layer (a click, a tab) and leaves the drawn map alone
        digest = hashlib.sha1((self.payload or url or "").encode("utf-8")).hexdigest()[:20]
        self._data_name = f"mapapp_data_{digest}"

    @property
    def data_name(self) -> str:
        # fixed at creation: streamlit-folium renames elements between rendering the header and the script
        return self._data_name

    def render(self, **kwargs) -> None:
        # folium compiles each element's rendered script as a new template: keep the data out of it.
        # Callers that take the script macro directly (streamlit-folium) get the data inline instead.
        if self.payload is not None:
            self.get_root().script.add_child(_DataScript(self.data_name, self.payload), name=self.data_name)
            self.data_written = True
        try:
            super().render(**kwargs)
        finally:
            self.data_written = False


@dataclass(frozen=True, slots=True)
class MapLayer:
    """One toggleable layer of a map, as plain data: cacheable, picklable, rendered anew each time.

    ``payload`` is a :func:`styled_payload`; ``cluster_rows`` (places) are drawn with
    Leaflet.markercluster instead; ``url`` fetches the payload when the page is served.
    """

    name: str
    kind: str
    payload: str | None = None
    show: bool = True
    control: bool = True
    interactive: bool = True
    cluster_rows: tuple | None = None
    url: str | None = None
    pane: str | None = None
    controls: tuple = ()          # (position, css class, html) of controls shown while the layer is
    stamp: str | None = None      # on the map, and a token naming the view it draws
    canvas: bool = False          # drawn on a canvas: thousands of marks, one element

    @property
    def empty(self) -> bool:
        return self.payload is None and self.cluster_rows is None and self.url is None

    def to_folium(self) -> folium.FeatureGroup:
        """A new FeatureGroup holding the layer (never reuse one: rendering renames folium elements)."""
        group = folium.FeatureGroup(name=self.name, show=self.show, control=self.control)
        group.mapapp_kind = self.kind
        if self.cluster_rows is not None:
            _cluster(self.cluster_rows, self.name).add_to(group)
        elif not self.empty:
            group.mapapp_geojson = StyledGeoJson(name=self.name, interactive=self.interactive, payload=self.payload,
                                                 url=self.url, pane=self.pane, canvas=self.canvas)
            group.mapapp_geojson.add_to(group)
        if self.controls or self.stamp:
            from .controls import GroupControls

            GroupControls(self.controls, stamp=self.stamp).add_to(group)
        if not self.show:
            from .controls import HiddenAtStart

            HiddenAtStart().add_to(group)
        return group


# Above this many marks a layer is drawn on a canvas: thousands of SVG elements make every redraw slow
# (zoom classes then do not apply: each mark is drawn at every zoom).
CANVAS_ABOVE = 3000


def _layer(name: str, features: list[dict], *, kind: str, show: bool = True) -> MapLayer:
    return MapLayer(name=name, kind=kind, payload=styled_payload(features) if features else None, show=show,
                    canvas=len(features) > CANVAS_ABOVE)


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
        line.append([round(x, 3), round(y, 3)])
    (x1, y1), (x2, y2) = line[-2], line[-1]
    ux, uy = x2 - x1, y2 - y1
    norm = math.hypot(ux, uy) or 1e-9
    ux, uy = ux / norm, uy / norm
    size = max(0.4, min(1.6, length * 0.07))
    head = [[x2, y2], [round(x2 - size * (ux + 0.5 * uy), 3), round(y2 - size * (uy - 0.5 * ux), 3)],
            [round(x2 - size * (ux - 0.5 * uy), 3), round(y2 - size * (uy + 0.5 * ux), 3)], [x2, y2]]
    return line, head


# an invisible point that only carries a permanent label
_LABEL_ANCHOR = {"radius": 0, "opacity": 0, "fillOpacity": 0, "interactive": False, "className": "mapapp-label-anchor"}


def flow_width(people: float | None, largest: float) -> float:
    """Line width in pixels: 1.5 for an unknown count, 3 to 14 by people (area-true: √) up to the largest drawn."""
    if not people or not largest:
        return 1.5
    return round(3.0 + 11.0 * math.sqrt(min(people, largest) / largest), 2)


_FLOW_PREFIX = re.compile(r"^(?:deportation|forced evacuation|expulsion|resettlement|exile|deportations) of (?:the )?",
                          re.IGNORECASE)


def flow_label(props: dict) -> str:
    """An arrow's label as an atlas writes it: who, when, how many ("Chechens and Ingush 1944 · 496,000")."""
    title = str(props.get("title") or "")
    who = _FLOW_PREFIX.sub("", title)
    if who != title:  # "Deportation of Poles and Germans from the border zone to…" → "Poles and Germans"
        who = re.split(r"\s+(?:from|to|during|in)\s+", who, maxsplit=1)[0]
        who = who[:1].upper() + who[1:]
    people = f" · {int(props['people']):,}" if props.get("people") else ""
    return f"{who} {_years_text(props)}{people}"


def _near(a: dict, b: dict, km: float = 50.0) -> bool:
    dlat = math.radians(b["lat"] - a["lat"])
    dlon = math.radians(b["lon"] - a["lon"]) * math.cos(math.radians((a["lat"] + b["lat"]) / 2))
    return 6371.0 * math.hypot(dlat, dlon) < km


def flow_pairs(places: list[dict], *, stated_only: bool = False) -> list[tuple[dict, dict]]:
    """Every origin → destination pair of an event's places; none whose ends are the same place.

    ``stated_only``: only ends the sentence names itself ("from X to Y"), not ends implied by a
    people's homeland or an adjective — an arrow read from a text needs both ends in the text.
    """
    places = [p for p in places if p.get("lat") is not None and (p.get("stated", True) or not stated_only)]
    origins = [p for p in places if p.get("role") == "origin"]
    destinations = [p for p in places if p.get("role") == "destination"]
    return [(o, d) for o in origins for d in destinations if not _near(o, d)]


def _mean_point(points: list[dict]) -> dict:
    unique = {(p["lat"], p["lon"]) for p in points}
    return {"lat": sum(a for a, _ in unique) / len(unique), "lon": sum(b for _, b in unique) / len(unique)}


def deportation_flows(events, *, colour_by: str = "year", years: tuple[int, int] | None = None,
                      source_names: dict[str, str] | None = None) -> MapLayer:
    """Arrows origin → destination for movement events, as an atlas draws them.

    One arrow per operation at the overview zoom (from its origins to its destinations, labelled with
    the people, year and number for the largest in view); zoomed in (≥ ``FAN_OUT_ZOOM``) it fans out
    to each destination. Width by people (√, scaled over the arrows drawn), colour by year; arrows
    that carry no number are thin and grey, under the others. No arrow has the same place at both ends.

    ``events`` needs ``theme``, ``title``, ``places`` (list of {lat, lon, role}), ``people``,
    ``year_start``, ``year_end``.
    """
    movements = [(props, flow_pairs(props.get("places") or [], stated_only=props.get("provenance") == "extracted"))
                 for props in _rows(events[events["theme"] == "deportation"])]
    movements = [(props, pairs) for props, pairs in movements if pairs]
    if years is None and movements:
        years = (min(int(p["year_start"]) for p, _ in movements), max(int(p["year_end"]) for p, _ in movements))
    first, last = years or (0, 0)
    # labels for the arrows that are not the largest appear when zooming in; with hundreds of arrows
    # (a large corpus) they would be hundreds of elements to place on every redraw, so only the largest
    # are labelled then
    zoom_labels = len(movements) <= 200
    numbers = sorted((p["people"] for p, _ in movements if p.get("people")), reverse=True)
    largest = numbers[0] if numbers else 0
    labelled_floor = numbers[min(LABELLED_FLOWS, len(numbers)) - 1] if numbers else math.inf
    # grey (no number) first, then the largest: small arrows are drawn over big ones and stay visible
    movements = [m for m in movements if not m[0].get("people")] + \
        sorted([m for m in movements if m[0].get("people")], key=lambda m: -m[0]["people"])
    features = []
    for props, pairs in movements:
        people = props.get("people")
        if people:
            colour = year_colour(int(props["year_start"]), first, last) if colour_by == "year" \
                else THEME_COLOURS["deportation"]
            style = {"color": colour, "weight": flow_width(people, largest), "opacity": 0.85}
        else:
            colour = UNKNOWN_FLOW_COLOUR
            style = {"color": colour, "weight": flow_width(None, largest), "opacity": 0.6}
        label = flow_label(props)
        top = bool(people) and people >= labelled_floor

        def arrow(o: dict, d: dict, zoom_class: str, label_class: str | None) -> None:
            line, head = curved_arrow(o["lon"], o["lat"], d["lon"], d["lat"])
            line_style = {**style, "className": f"mapapp-deportation {zoom_class}".strip()}
            features.append(_feature(props, {"type": "LineString", "coordinates": line}, line_style,
                                     source_names=source_names))
            features.append(_feature(props, {"type": "Polygon", "coordinates": [head]},
                                     {**line_style, "weight": 1, "fillColor": colour, "fillOpacity": 0.9,
                                      "className": f"mapapp-deportation-head {zoom_class}".strip()}, popup=False))
            if label_class is not None:
                # labels sit two thirds of the way along, where arrows from one region have spread apart
                at = line[round(len(line) * 0.64)]
                features.append(_feature(props, {"type": "Point", "coordinates": at}, _LABEL_ANCHOR, popup=False,
                                         label=label, label_class=f"{label_class} {zoom_class}".strip()))

        if len(pairs) == 1:
            arrow(*pairs[0], "", "" if top else ("mapapp-minz5" if zoom_labels else None))
            continue
        origins = [o for o, _ in pairs]
        destinations = [d for _, d in pairs]
        overview = (_mean_point(origins), _mean_point(destinations))
        fan_class = "mapapp-minz5"
        if _near(*overview):
            fan_class = ""  # ends all around one point: no single arrow to draw, the fan is the overview
        else:
            arrow(*overview, "mapapp-maxz4", "" if top else None)
        for i, (o, d) in enumerate(pairs):
            label = ("" if top or fan_class else "mapapp-minz5") if i == 0 else None
            arrow(o, d, fan_class, label if (top or zoom_labels) else None)
    return _layer("Deportations", features, kind="deportation")


# --- front lines ----------------------------------------------------------------------------------

def _short_date(iso: str | None) -> str:
    import datetime as dt

    try:
        day = dt.date.fromisoformat(str(iso))
    except ValueError:
        return str(iso or "")
    return f"{day.day} {day.strftime('%b')} {day.year}"


def front_lines(events, *, selected: str | None = None, years: tuple[int, int] | None = None,
                source_names: dict[str, str] | None = None) -> MapLayer:
    """The dated front lines, bold, coloured along the time scale, each labelled with its date near its
    southern end; the line of ``selected`` (ISO date) stands out."""
    lines = events[events["kind"] == "front_line"].sort_values("date_start")
    first, last = years or ((int(lines["year_start"].min()), int(lines["year_end"].max())) if len(lines) else (0, 0))
    features = []
    for props in _rows(lines):
        emphasised = selected is not None and props.get("date_start") == selected
        colour = year_colour(int(props["year_start"]), first, last, FRONT_COLOURS)
        style = {"color": colour, "weight": 7 if emphasised else 4, "opacity": 1.0 if emphasised else 0.85,
                 "className": "mapapp-front-line" + (" mapapp-selected" if emphasised else "")}
        geometry = props["_geometry"]
        features.append(_feature(props, geometry.__geo_interface__, style, source_names=source_names))
        # the date where the line ends in the south, a little inside it: lines often share their last point
        anchor = geometry.interpolate(0.85, normalized=True)
        label = {"radius": 3, "color": colour, "weight": 1, "fillColor": colour, "fillOpacity": 1,
                 "className": "mapapp-front-date"}
        feature = _feature(props, {"type": "Point", "coordinates": [round(anchor.x, 3), round(anchor.y, 3)]}, label,
                           popup=False, label=_short_date(props.get("date_start")),
                           label_class="mapapp-front-label" + (" mapapp-selected" if emphasised else ""))
        feature["properties"]["_label_dir"] = "right"
        features.append(feature)
    return _layer("Front lines", features, kind="front_line")


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


def event_sites(events, *, themes: Iterable[str], name: str, kind: str, size_by: str = "people",
                source_names: dict[str, str] | None = None) -> MapLayer:
    """Circle markers at each site of the events of ``themes``, sized by people (or duration), theme-coloured."""
    chosen = events[events["theme"].isin(list(themes)) & (events["kind"] != "front_line")
                    & (events["theme"] != "deportation")]  # deportations are drawn as flows
    rows = list(_rows(chosen))
    values = [(p.get("people") or 0) if size_by == "people" else _duration_days(p) for p in rows]
    largest = max(values or [1]) or 1
    features = []
    for props, value in zip(rows, values):
        radius = round(5 + 13 * math.sqrt(value / largest), 1) if value else 5
        for place in props.get("places") or []:
            if place.get("lat") is None or place.get("role") not in ("site", "destination"):
                continue
            style = {"color": "#ffffff", "weight": 1, "fillColor": THEME_COLOURS[props["theme"]],
                     "fillOpacity": 0.75 if not props.get("disputed") else 0.35, "radius": radius,
                     "className": f"mapapp-{kind}"}
            features.append(_feature(props, {"type": "Point", "coordinates": [place["lon"], place["lat"]]}, style,
                                     source_names=source_names))
    return _layer(name, features, kind=kind)


_TERRITORIAL = re.compile(r"annex|incorporat|occupation|ceded|cession|transfer|partition|border|frontier", re.IGNORECASE)


def region_areas(events, area_geometries: dict[str, dict], *, themes: Iterable[str] = ("famine", "diplomacy", "deportation"),
                 name: str = "Regions", sprawling: frozenset[str] = frozenset()) -> MapLayer:
    """Faint polygons of the regions and states events are about (famine regions, annexed territories,
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
        lines = "".join(f"<div>{html.escape(str(e['title']))} ({_years_text(e)})</div>"
                        for e in sorted(entries, key=lambda e: e["year_start"])[:25])
        props = {"id": place_id, "theme": theme, "year_start": min(e["year_start"] for e in entries),
                 "year_end": max(e["year_end"] for e in entries),
                 "_popup": f"<div class='mapapp-popup'><b>{html.escape(entries[0]['_place'])}</b>{lines}</div>",
                 "_tooltip": html.escape(f"{entries[0]['_place']}: {len(entries)} event(s)"),
                 # faint: a region is the setting of the arrows and dots, not the figure itself
                 "_style": {"color": colour, "weight": 1, "opacity": 0.45, "dashArray": "4 3", "fillColor": colour,
                            "fillOpacity": 0.05, "className": "mapapp-region"}}
        features.append({"type": "Feature", "properties": props, "geometry": area_geometries[place_id]})
    return _layer(name, features, kind="region")


def alternate_history(events, *, source_names: dict[str, str] | None = None) -> MapLayer:
    """What only fiction or alternate-history sources tell: hollow dashed circles in a layer labelled as
    such and off until switched on — contrasted with history, never drawn as it."""
    features = []
    for props in _rows(events):
        for place in props.get("places") or []:
            if place.get("lat") is None:
                continue
            style = {"color": "#444444", "weight": 1.5, "dashArray": "3 2", "fillColor": "#ffffff", "fillOpacity": 0.6,
                     "radius": 6, "className": "mapapp-alternate"}
            features.append(_feature({**props, "title": f"Alternate history: {props.get('title')}"},
                                     {"type": "Point", "coordinates": [place["lon"], place["lat"]]}, style,
                                     source_names=source_names))
    return _layer("Alternate history (fiction — not history)", features, kind="alternate", show=False)


def biography_route(events, *, actor: str = "Joseph Stalin", source_names: dict[str, str] | None = None) -> MapLayer:
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
        features.append(_feature(props, {"type": "Point", "coordinates": [place["lon"], place["lat"]]}, style,
                                 source_names=source_names))
        if i:
            prev = stops[i - 1][1]
            features.append(_feature(props, {"type": "LineString", "coordinates": [[prev["lon"], prev["lat"]],
                                                                                  [place["lon"], place["lat"]]]},
                                     {"color": THEME_COLOURS["biography"], "weight": 2, "opacity": 0.6,
                                      "className": "mapapp-biography-path"}, popup=False))
    return _layer(f"Life of {actor}", features, kind="biography")


def _cluster(rows: tuple, name: str):
    from folium.plugins import FastMarkerCluster

    from .assets import make_offline

    return make_offline(FastMarkerCluster(
        data=[list(r) for r in rows], name=name,
        callback="""function (row) {
            var m = L.circleMarker(new L.LatLng(row[0], row[1]), {radius: row[2], color: '#455a64', weight: 1,
                fillColor: '#90a4ae', fillOpacity: 0.7, className: 'mapapp-place'});
            m.bindTooltip(row[3]);
            return m;
        }"""))


def place_mentions(places, *, cluster_above: int = 150, source_names: dict[str, str] | None = None) -> MapLayer:
    """Every place the texts name, sized by how often; clustered (Leaflet.markercluster) when there are many.
    Off until switched on in the layer control.

    ``places`` needs ``name``, ``mentions``, ``surface_forms``, ``documents`` and point geometries.
    """
    largest = max([int(m) for m in places["mentions"].tolist()] or [1])
    rows = []
    for props in _rows(places):
        point = props["_geometry"]
        forms = props.get("surface_forms") or []
        docs = [(source_names or {}).get(d, str(d)) for d in props.get("documents") or []]
        text = html.escape(f"{props['name']}: named {props['mentions']}× as {', '.join(map(str, forms))} "
                           f"in {'; '.join(docs)}")
        radius = round(3 + 9 * math.sqrt(int(props["mentions"]) / largest), 1)
        rows.append((round(point.y, 4), round(point.x, 4), radius, text))
    if len(rows) > cluster_above:
        return MapLayer(name="Places named", kind="places", show=False, cluster_rows=tuple(rows))
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
                 "properties": {"_tooltip": t, "_style": {"radius": r, "color": "#455a64", "weight": 1,
                                                          "fillColor": "#90a4ae", "fillOpacity": 0.7,
                                                          "className": "mapapp-place"}}}
                for y, x, r, t in rows]
    return _layer("Places named", features, kind="places", show=False)


# --- basemap ----------------------------------------------------------------------------------------

_BASEMAP_STYLES = {
    # the land's outline is the coast (no separate coastline layer: it repeated the same line)
    "land": {"color": "#8aa9b9", "weight": 0.8, "fillColor": "#efe9dd", "fillOpacity": 1},
    "lakes": {"color": "#9ec3d6", "weight": 0.5, "fillColor": "#cfe3ee", "fillOpacity": 1},
    "boundaries": {"color": "#b9ad99", "weight": 0.6, "dashArray": "2 2", "fill": False},
}


@lru_cache(maxsize=1)
def basemap_payload() -> str:
    """The offline basemap as one prepared payload, made once per process (it is the same on every map)."""
    from .borders import basemap_layers

    layers = basemap_layers()
    features = []
    for key, style in _BASEMAP_STYLES.items():
        frame = layers.get(key)
        if frame is None or not len(frame):
            continue
        style = {**style, "className": f"mapapp-basemap-{key}", "interactive": False}
        features += [{"type": "Feature", "properties": {"_style": style}, "geometry": f["geometry"]}
                     for f in frame.__geo_interface__["features"]]
    return styled_payload(features)


def vector_basemap(*, url: str | None = None) -> MapLayer:
    """Land, lakes, coastlines and modern borders from Natural Earth, with no labels (history maps).

    With ``url`` the page fetches the same payload from there (served by the explorer), instead of
    carrying it inline.
    """
    return MapLayer(name="Basemap (Natural Earth)", kind="basemap", payload=None if url else basemap_payload(),
                    url=url, control=False, interactive=False, pane=BASE_PANE)


@lru_cache(maxsize=64)
def _border_payload(year: int) -> str | None:
    from .borders import soviet_territory

    geometry = soviet_territory(year)
    if geometry is None:
        return None
    style = {"color": "#b71c1c", "weight": 1.5, "opacity": 0.8, "fillColor": "#b71c1c", "fillOpacity": 0.03,
             "className": "mapapp-ussr-border", "interactive": False}
    return styled_payload([{"type": "Feature", "properties": {"_style": style}, "geometry": geometry.__geo_interface__}])


def soviet_border_layer(year: int) -> MapLayer:
    """The Soviet Union's de jure territory in ``year`` (derived from modern units and dated changes)."""
    return MapLayer(name=f"Soviet Union, {year}", kind="border", payload=_border_payload(int(year)), interactive=False)
