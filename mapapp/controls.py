"""Map controls as small folium elements: a title, a collapsible legend, zoom classes, and a year
slider that works for any year.

Title and legend are HTML built here (escaped) and shown by :class:`GroupControls` while the layer
group they belong to is on the map, so the explorer can swap a view's layers, title and legend
together without rebuilding the map. The slider filters features by their integer
``year_start``/``year_end`` properties in the browser, so dates before 1970 need no epoch arithmetic
(folium's TimestampedGeoJson breaks on them, issues #1205 and #1273).
"""
from __future__ import annotations

import html

from branca.element import Element, MacroElement
from jinja2 import Template

# Where each control sits: one corner per concern, so none covers another (the layer control is
# top right, the attribution and scale are at the bottom).
TITLE_POSITION = "topleft"
LEGEND_POSITION = "bottomleft"     # over the Atlantic and Africa, not over the Soviet Union
SLIDER_POSITION = "bottomright"

MAP_CSS = """
.leaflet-container{background:#cfe3ee}
.leaflet-control-attribution{font-size:10px;max-width:60%}
.mapapp-popup .claim{margin-top:4px;font-size:12px}
.mapapp-title{background:rgba(255,255,255,0.92);padding:5px 12px;border-radius:4px;font:600 15px/1.3 sans-serif;
  box-shadow:0 1px 4px rgba(0,0,0,0.3);pointer-events:none;max-width:420px}
.mapapp-title small{display:block;font:400 11px sans-serif;color:#555}
.mapapp-legend{background:rgba(255,255,255,0.94);padding:3px 7px;font:10.5px/1.3 sans-serif;border-radius:4px;
  box-shadow:0 1px 4px rgba(0,0,0,0.3);max-width:230px;max-height:40vh;overflow:auto}
.mapapp-legend summary{cursor:pointer;font-weight:600}
.mapapp-legend-section{margin:3px 0}
.mapapp-legend svg{vertical-align:middle}
.mapapp-label{background:rgba(255,255,255,0.85);border:0;box-shadow:none;padding:0 3px;font:600 11px sans-serif;
  color:#222;white-space:nowrap}
.mapapp-label:before{display:none}
.mapapp-front-label{color:#7f0000;font-weight:600}
.mapapp-label.mapapp-selected{font-size:13px;background:#fff;outline:2px solid #7f0000}
.mapapp-zlt5 .mapapp-minz5{display:none}
.mapapp-zge5 .mapapp-maxz4{display:none}
"""


def title_html(text: str, subtitle: str = "") -> str:
    """The map's title box (escaped)."""
    small = f"<small>{html.escape(subtitle)}</small>" if subtitle else ""
    return f"{html.escape(text)}{small}"


def legend_html(sections: list[tuple[str, list[tuple[str, str]]]], attribution: str = "", *,
                open_: bool = True) -> str:
    """A compact, collapsible legend: one section per visible layer.

    ``sections`` is a list of ``(title, [(swatch_html, label), ...])``; swatches are built by mapapp
    (colours and sizes only), labels are escaped here.
    """
    parts = [f"<details{' open' if open_ else ''}><summary>Legend</summary>"]
    for title, entries in sections:
        parts.append(f"<div class='mapapp-legend-section'><b>{html.escape(title)}</b> ")
        parts.append(" ".join(f"<span style='white-space:nowrap'>{swatch} {html.escape(label)}</span>"
                              for swatch, label in entries))
        parts.append("</div>")
    if attribution:
        parts.append(f"<div style='margin-top:3px;color:#666;font-size:10px'>{html.escape(attribution)}</div>")
    parts.append("</details>")
    return "".join(parts)


class GroupControls(MacroElement):
    """Leaflet controls (title, legend…) shown while their parent layer group is on the map.

    ``controls`` is a list of ``(position, css_class, html)``; the html is built (and escaped) by
    mapapp. ``stamp`` names the view the group draws: it is set on the page's root element as
    ``data-mapapp-view`` once the group is on the map, so a test or benchmark can tell when a new
    view has been drawn.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            var controls = {{ this.controls|tojson }}.map(function (c) {
                var control = L.control({position: c[0]});
                control.onAdd = function () {
                    var div = L.DomUtil.create('div', c[1]);
                    div.innerHTML = c[2];
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                };
                return control;
            });
            function show(map) {
                controls.forEach(function (c) { c.addTo(map); });
                {% if this.stamp %}document.documentElement.setAttribute('data-mapapp-view', {{ this.stamp|tojson }});{% endif %}
            }
            group.on('add', function () { show(group._map); });
            group.on('remove', function () { controls.forEach(function (c) { c.remove(); }); });
            if (group._map) { show(group._map); }
        })();
        {% endmacro %}
    """)

    def __init__(self, controls, *, stamp: str | None = None) -> None:
        super().__init__()
        self._name = "GroupControls"
        self.controls = [list(c) for c in controls]
        self.stamp = stamp


class ZoomClasses(MacroElement):
    """Classes ``mapapp-zge{k}`` / ``mapapp-zlt{k}`` on the map's container for zoom ≥ k / < k, so CSS
    shows a layer's features only at some zooms (an operation's destinations fan out when zoomed in);
    and labels decluttered: a permanent label that would overlap one placed before it is hidden until
    zooming in gives it room (labels are placed in the order their layers draw them, largest first)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, box = map.getContainer(), pending = null;
            function mark() {
                var zoom = map.getZoom();
                for (var k = 2; k <= 10; k++) {
                    box.classList.toggle('mapapp-zge' + k, zoom >= k);
                    box.classList.toggle('mapapp-zlt' + k, zoom < k);
                }
            }
            function declutter() {
                pending = null;
                var placed = [];
                box.querySelectorAll('.leaflet-tooltip-pane .mapapp-label').forEach(function (el) {
                    el.style.visibility = '';
                    if (window.getComputedStyle(el).display === 'none') { return; }
                    var r = el.getBoundingClientRect();
                    if (!r.width) { return; }
                    var hit = placed.some(function (b) {
                        return r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top;
                    });
                    if (hit) { el.style.visibility = 'hidden'; } else { placed.push(r); }
                });
            }
            function later() { if (!pending) { pending = setTimeout(declutter, 60); } }
            map.on('zoomend', function () { mark(); later(); });
            map.on('layeradd layerremove', later);
            mark();
            later();
        })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "ZoomClasses"


class HiddenAtStart(MacroElement):
    """Keep a layer that is off by default off in the explorer, where streamlit-folium adds every layer
    group it is given to the map; the layer control can still switch it on (marked by
    :class:`DynamicLayers` on the map, so a saved page, which adds only shown groups, is left alone)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            group.once('add', function () {
                var map = group._map;
                if (map && map.mapappDynamicLayers) { setTimeout(function () { map.removeLayer(group); }, 0); }
            });
        })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "HiddenAtStart"


class DynamicLayers(MacroElement):
    """Marks a map whose layer groups arrive later, through streamlit-folium (see :class:`HiddenAtStart`)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.mapappDynamicLayers = true;
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "DynamicLayers"


class BasePane(MacroElement):
    """A map pane under the overlay pane, for the basemap (which may be fetched after the layers)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.createPane({{ this.pane|tojson }}).style.zIndex = 350;
        {% endmacro %}
    """)

    def __init__(self, pane: str) -> None:
        super().__init__()
        self._name = "BasePane"
        self.pane = pane


class FitView(MacroElement):
    """Fit the map to a box at load, with no animation (folium's FitBounds animates the zoom from the
    map's start view, and a snapshot taken meanwhile catches it half-way)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {maxZoom: {{ this.max_zoom }}, animate: false});
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]], max_zoom: float) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds = [[round(float(v), 3) for v in corner] for corner in bounds]
        self.max_zoom = float(max_zoom)


class Attribution(MacroElement):
    """The data credits in Leaflet's attribution line (escaped), on every map and snapshot."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = html.escape(text)


def map_css() -> Element:
    return Element(f"<style>{MAP_CSS}</style>")


def swatch_line(colour: str, width: float = 3, dashed: bool = False) -> str:
    dash = "stroke-dasharray='5 3'" if dashed else ""
    return (f"<svg width='26' height='{max(10, int(width) + 4)}'><line x1='0' y1='50%' x2='26' y2='50%' "
            f"stroke='{colour}' stroke-width='{width}' {dash}/></svg>")


def swatch_dot(colour: str, radius: float = 5) -> str:
    return (f"<svg width='{2 * radius + 4}' height='{2 * radius + 4}'><circle cx='{radius + 2}' cy='{radius + 2}' "
            f"r='{radius}' fill='{colour}' fill-opacity='0.8' stroke='white'/></svg>")


def swatch_area(colour: str, *, faint: bool = False) -> str:
    fill, dash = ("0.08", "stroke-dasharray='3 2'") if faint else ("0.25", "")
    return (f"<svg width='18' height='12'><rect x='0.5' y='0.5' width='17' height='11' fill='{colour}' "
            f"fill-opacity='{fill}' stroke='{colour}' {dash}/></svg>")


class YearSlider(MacroElement):
    """An in-map year slider: shows the features of the registered layers active in the chosen year.

    With "all years" ticked (the default) every feature of the exported range is shown; moving the slider
    unticks it. A feature is active in year Y when ``year_start <= Y <= year_end``.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var layers = [{% for name in this.layer_names %}{{ name }}{% if not loop.last %}, {% endif %}{% endfor %}];
            var all = layers.map(function (g) { var parts = []; g.eachLayer(function (l) { parts.push(l); }); return parts; });
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () {
                var div = L.DomUtil.create('div', 'mapapp-year-slider');
                div.style.cssText = 'background:rgba(255,255,255,0.92);padding:6px 10px;font:12px sans-serif;' +
                    'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.3);';
                div.innerHTML = '<label><input type="checkbox" class="mapapp-all-years" checked> all years</label> ' +
                    '<input type="range" class="mapapp-year" min="{{ this.first }}" max="{{ this.last }}" step="1" ' +
                    'value="{{ this.initial }}" style="width:220px;vertical-align:middle"> ' +
                    '<b class="mapapp-year-label">{{ this.first }}–{{ this.last }}</b>';
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo(map);
            var root = control.getContainer();
            var range = root.querySelector('.mapapp-year'), box = root.querySelector('.mapapp-all-years'),
                label = root.querySelector('.mapapp-year-label');
            function apply() {
                var year = parseInt(range.value, 10), every = box.checked;
                label.textContent = every ? '{{ this.first }}–{{ this.last }}' : String(year);
                layers.forEach(function (group, i) {
                    all[i].forEach(function (l) {
                        var p = (l.feature && l.feature.properties) || {};
                        var on = every || (p.year_start <= year && year <= p.year_end);
                        if (on && !group.hasLayer(l)) { group.addLayer(l); }
                        if (!on && group.hasLayer(l)) { group.removeLayer(l); }
                    });
                });
                map.fire('mapapp:year', {year: every ? null : year});
            }
            range.addEventListener('input', function () { box.checked = false; apply(); });
            box.addEventListener('change', apply);
            window.mapappSetYear = function (year) { box.checked = (year === null); if (year !== null) { range.value = year; } apply(); };
            {% if this.start_year is not none %}window.mapappSetYear({{ this.start_year }});{% endif %}
        })();
        {% endmacro %}
    """)

    def __init__(self, layers: list, first: int, last: int, start_year: int | None = None) -> None:
        super().__init__()
        self._name = "YearSlider"
        self.position = SLIDER_POSITION
        self.layers = layers
        self.first, self.last = int(first), int(last)
        self.initial = int(start_year) if start_year is not None else int(first)
        self.start_year = None if start_year is None else int(start_year)

    @property
    def layer_names(self) -> list[str]:
        return [layer.get_name() for layer in self.layers]

