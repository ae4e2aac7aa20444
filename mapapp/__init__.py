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
]
__version__ = "0.1.0"

_LAZY = {"GazetteerGeocoder", "GeopyGeocoder", "get_geocoder"}


def __getattr__(name: str):
    # geopy is imported only when a geocoder is asked for: it costs 0.1 s of every start-up
    if name in _LAZY:
        from . import geocoders

        return getattr(geocoders, name)
    raise AttributeError(f"module 'mapapp' has no attribute {name!r}")
