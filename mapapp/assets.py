"""Leaflet and its plugins from installed packages, inlined, so maps draw with no network.

Folium points every element at CDN URLs (Leaflet, jQuery, Bootstrap, Font Awesome…). A map with
no network then shows a white page. mapapp's maps need only Leaflet and Leaflet.markercluster, which the
``xstatic-leaflet`` and ``xstatic-leaflet-markercluster`` packages ship; :func:`make_offline` replaces an
element's asset list with those files as ``data:`` URIs (images referenced by the CSS are inlined too).
"""
from __future__ import annotations

import base64
import mimetypes
import re
from functools import lru_cache
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet
import xstatic.pkg.leaflet_markercluster as xcluster


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _inline_css_urls(css: str, base: Path) -> str:
    """Replace ``url(images/x.png)`` by data URIs, since a data: stylesheet has no base URL."""
    def replace(m: re.Match) -> str:
        target = m.group(1).strip("'\"")
        if target.startswith(("data:", "#")):
            return m.group(0)
        path = base / target
        if not path.is_file():
            return m.group(0)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"url({_data_uri(path.read_bytes(), mime)})"
    return re.sub(r"url\(([^)]+)\)", replace, css)


@lru_cache(maxsize=None)
def _asset(package_dir: str, file_name: str) -> str:
    path = Path(package_dir) / file_name
    if path.suffix == ".css":
        css = _inline_css_urls(path.read_text(encoding="utf-8"), path.parent)
        return _data_uri(css.encode("utf-8"), "text/css")
    return _data_uri(path.read_bytes(), "text/javascript")


def leaflet_js() -> list[tuple[str, str]]:
    return [("leaflet", _asset(xleaflet.BASE_DIR, "leaflet.js"))]


def leaflet_css() -> list[tuple[str, str]]:
    return [("leaflet_css", _asset(xleaflet.BASE_DIR, "leaflet.css"))]


def markercluster_js() -> list[tuple[str, str]]:
    return [("markerclusterjs", _asset(xcluster.BASE_DIR, "leaflet.markercluster.js"))]


def markercluster_css() -> list[tuple[str, str]]:
    return [("markerclustercss", _asset(xcluster.BASE_DIR, "MarkerCluster.css")),
            ("markerclusterdefaultcss", _asset(xcluster.BASE_DIR, "MarkerCluster.Default.css"))]


OFFLINE_ASSETS = {
    "Map": (leaflet_js, leaflet_css),
    "MarkerCluster": (markercluster_js, markercluster_css),
    "FastMarkerCluster": (markercluster_js, markercluster_css),
}


def make_offline(element):
    """Point a folium element's JS/CSS at the inlined copies; return the element.

    Raises ``ValueError`` for an element class mapapp has no offline assets for, rather than letting a
    CDN link slip into a map that must work without network.
    """
    kind = type(element).__name__
    if kind not in OFFLINE_ASSETS:
        raise ValueError(f"no offline assets for folium element {kind}")
    js, css = OFFLINE_ASSETS[kind]
    element.default_js = js()
    element.default_css = css()
    return element
