"""Map controls as small folium elements: a title, a legend, and a year slider that works for any year.

The slider filters features by their integer ``year_start``/``year_end`` properties in the browser, so
dates before 1970 need no epoch arithmetic (folium's TimestampedGeoJson breaks on them, issues #1205
and #1273). All text is escaped in Python before it is written into the page.
"""
from __future__ import annotations

import html

from branca.element import MacroElement
from jinja2 import Template


class MapTitle(MacroElement):
    """A title box at the top of the map (escaped text)."""

    _template = Template("""
        {% macro html(this, kwargs) %}
        <div class="mapapp-title" style="position:absolute;top:10px;left:50%;transform:translateX(-50%);
             z-index:1000;background:rgba(255,255,255,0.92);padding:6px 14px;border-radius:4px;
             font:600 16px/1.3 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,0.3);pointer-events:none;">
          {{ this.text }}<div style="font:400 11px sans-serif;color:#555">{{ this.subtitle }}</div>
        </div>
        {% endmacro %}
    """)

    def __init__(self, text: str, subtitle: str = "") -> None:
        super().__init__()
        self._name = "MapTitle"
        self.text = html.escape(text)
        self.subtitle = html.escape(subtitle)


class Legend(MacroElement):
    """One legend section per visible layer: colour swatches, line widths, the year colour scale.

    ``sections`` is a list of ``(title, [(swatch_html, label), ...])``; swatches are built by mapapp
    (colours and sizes only), labels are escaped here.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: 'bottomright'});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', 'mapapp-legend');
            div.innerHTML = {{ this.body|tojson }};
            div.style.cssText = 'background:rgba(255,255,255,0.92);padding:5px 8px;font:11px sans-serif;' +
                'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.3);max-height:50vh;max-width:300px;overflow:auto;';
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]], attribution: str = "") -> None:
        super().__init__()
        self._name = "Legend"
        parts = []
        for title, entries in sections:
            parts.append(f"<div class='mapapp-legend-section' style='margin:2px 0'><b>{html.escape(title)}</b><br>")
            parts.append(" ".join(f"<span style='white-space:nowrap'>{swatch} {html.escape(label)}</span>"
                                  for swatch, label in entries))
            parts.append("</div>")
        if attribution:
            parts.append(f"<div style='margin-top:4px;color:#666;font-size:10px'>{html.escape(attribution)}</div>")
        self.body = "".join(parts)


def swatch_line(colour: str, width: float = 3, dashed: bool = False) -> str:
    dash = "stroke-dasharray='5 3'" if dashed else ""
    return (f"<svg width='28' height='10'><line x1='0' y1='5' x2='28' y2='5' stroke='{colour}' "
            f"stroke-width='{width}' {dash}/></svg>")


def swatch_dot(colour: str, radius: float = 5) -> str:
    return (f"<svg width='{2 * radius + 4}' height='{2 * radius + 4}'><circle cx='{radius + 2}' cy='{radius + 2}' "
            f"r='{radius}' fill='{colour}' fill-opacity='0.8' stroke='white'/></svg>")


def swatch_area(colour: str) -> str:
    return (f"<svg width='18' height='12'><rect width='18' height='12' fill='{colour}' fill-opacity='0.25' "
            f"stroke='{colour}'/></svg>")


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
            var control = L.control({position: 'bottomleft'});
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
        self.layers = layers
        self.first, self.last = int(first), int(last)
        self.initial = int(start_year) if start_year is not None else int(first)
        self.start_year = None if start_year is None else int(start_year)

    @property
    def layer_names(self) -> list[str]:
        return [layer.get_name() for layer in self.layers]

