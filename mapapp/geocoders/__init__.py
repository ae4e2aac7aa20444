"""Geocoders: the offline gazetteer by default, any geopy service as an opt-in extra.

``get_geocoder(name)`` finds one by name; an unknown name raises :class:`UnknownGeocoderError`.
"""
from __future__ import annotations

from typing import Any

from geopy.geocoders import SERVICE_TO_GEOCODER

from ..errors import UnknownGeocoderError
from .base import Geocoder, Location
from .cache import GeocodeCache
from .gazetteer import GazetteerGeocoder
from .online import GeopyGeocoder, OnlineGeocoderWarning

__all__ = ["Geocoder", "Location", "GazetteerGeocoder", "GeopyGeocoder", "GeocodeCache",
           "OnlineGeocoderWarning", "get_geocoder", "geocoder_names"]


def geocoder_names() -> list[str]:
    """``gazetteer`` (offline, the default) followed by every geopy service name."""
    return ["gazetteer", *sorted(SERVICE_TO_GEOCODER)]


def get_geocoder(name: str = "gazetteer", **options: Any) -> Geocoder:
    if name == "gazetteer":
        return GazetteerGeocoder(**options)
    if name not in SERVICE_TO_GEOCODER:
        raise UnknownGeocoderError(f"unknown geocoder {name!r}; choose one of: {', '.join(geocoder_names())}")
    return GeopyGeocoder(name, **options)
