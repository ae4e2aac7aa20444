"""Any geopy geocoder (Nominatim, Photon…) as an opt-in mapapp geocoder.

Wrapped with geopy's ``RateLimiter`` (the services' usage policies ask for at most one request a
second) and a persistent :class:`GeocodeCache`. A network or service failure never crashes: it is
reported as a warning and the offline gazetteer answers instead.
"""
from __future__ import annotations

import warnings
from typing import Any

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service

from ..config import CACHE_DIR
from ..errors import UnknownGeocoderError
from .base import Geocoder, Location
from .cache import GeocodeCache
from .gazetteer import GazetteerGeocoder

DEFAULT_USER_AGENT = "mapapp (https://github.com/mapapp/mapapp)"


class OnlineGeocoderWarning(UserWarning):
    """An online geocoder failed and the offline gazetteer answered instead."""


class GeopyGeocoder:
    """A geopy service behind mapapp's ``geocode(query)`` interface, cached and rate-limited.

    Parameters
    ----------
    service:
        a geopy service name (``"nominatim"``, ``"photon"``…).
    client:
        an already built geopy geocoder (tests pass a fake one); built from ``service`` if omitted.
    min_delay_seconds:
        the least time between two requests.
    cache:
        where answers are kept; ``None`` for the default file in the cache folder.
    fallback:
        who answers when the service fails; the offline gazetteer by default.
    """

    def __init__(self, service: str, *, client: Any = None, min_delay_seconds: float = 1.0,
                 cache: GeocodeCache | None = None, fallback: Geocoder | None = None,
                 user_agent: str = DEFAULT_USER_AGENT, timeout: float = 10.0, **options: Any) -> None:
        self.name = service
        if client is None:
            try:
                geocoder_class = get_geocoder_for_service(service)
            except GeopyError as error:
                raise UnknownGeocoderError(f"unknown geocoder service {service!r}: {error}") from None
            options.setdefault("user_agent", user_agent)
            client = geocoder_class(timeout=timeout, **options)
        self.client = client
        self._geocode = RateLimiter(client.geocode, min_delay_seconds=min_delay_seconds, max_retries=1,
                                    swallow_exceptions=False)
        self.cache = cache if cache is not None else GeocodeCache(CACHE_DIR / "geocode-cache.sqlite")
        self.fallback = fallback if fallback is not None else GazetteerGeocoder()

    def geocode(self, query: str) -> Location | None:
        found, location = self.cache.get(self.name, query)
        if found:
            return location
        try:
            answer = self._geocode(query, exactly_one=True)
        except (GeopyError, OSError, ValueError) as error:
            warnings.warn(f"{self.name} geocoder failed for {query!r} ({error.__class__.__name__}: {error}); "
                          "using the offline gazetteer", OnlineGeocoderWarning, stacklevel=2)
            return self.fallback.geocode(query)
        location = None if answer is None else Location(
            name=answer.address, lat=float(answer.latitude), lon=float(answer.longitude),
            kind="settlement", source=self.name, raw=dict(getattr(answer, "raw", {}) or {}))
        self.cache.put(self.name, query, location)
        return location
