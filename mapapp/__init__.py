"""mapapp: turn history texts into maps.

The public facade: load texts, find and resolve the places they name, summarise them.
"""
from __future__ import annotations

from .corpus import builtin_corpus, iter_documents, load_document
from .errors import CorpusError, GazetteerError, GeocoderError, MapappError, UnknownGeocoderError
from .gazetteer import Gazetteer, default_gazetteer, load_gazetteer
from .models import Candidate, Document, Mention, Place
from .places import PlaceSummary, summarize_places
from .toponyms import geoparse, recognize_toponyms, resolve_toponyms

__all__ = [
    "builtin_corpus", "iter_documents", "load_document", "CorpusError", "GazetteerError", "GeocoderError",
    "MapappError", "UnknownGeocoderError", "Gazetteer", "default_gazetteer", "load_gazetteer",
    "GazetteerGeocoder", "GeopyGeocoder", "get_geocoder", "Candidate", "Document", "Mention", "Place",
    "PlaceSummary", "summarize_places", "geoparse", "recognize_toponyms", "resolve_toponyms",
    "extract_events", "load_catalog", "join_events", "build_dataset", "load_dataset", "default_dataset",
    "map_for", "export_view", "View",
]
__version__ = "0.1.0"

_LAZY = {
    "GazetteerGeocoder": "geocoders", "GeopyGeocoder": "geocoders", "get_geocoder": "geocoders",
    "extract_events": "events", "load_catalog": "catalog", "join_events": "joins",
    "build_dataset": "dataset", "load_dataset": "dataset", "default_dataset": "dataset",
    "map_for": "maps", "export_view": "export", "View": "export",
}


def __getattr__(name: str):
    # heavy parts (geopy, geopandas, folium) are imported only when asked for: start-up stays fast
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'mapapp' has no attribute {name!r}")
