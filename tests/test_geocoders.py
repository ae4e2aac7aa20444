"""Every geocoder answers ``geocode(query) -> Location | None``; online ones are cached and fall back."""
from __future__ import annotations

import pytest
from geopy.exc import GeocoderUnavailable
from geopy.location import Location as GeopyLocation

from mapapp.errors import UnknownGeocoderError
from mapapp.geocoders import (GazetteerGeocoder, GeocodeCache, Geocoder, GeopyGeocoder, OnlineGeocoderWarning,
                              geocoder_names, get_geocoder)


class FakeService:
    """Stands in for a geopy geocoder: records calls, answers from a table or fails like the network."""

    def __init__(self, answers=None, fail=False):
        self.answers = answers or {}
        self.fail = fail
        self.calls = []

    def geocode(self, query, exactly_one=True):
        self.calls.append(query)
        if self.fail:
            raise GeocoderUnavailable("network is unreachable")
        if query not in self.answers:
            return None
        lat, lon = self.answers[query]
        return GeopyLocation(f"{query}, somewhere", (lat, lon), {"query": query})


class GeocoderContract:
    """The behaviour every mapapp geocoder shares (one base test class per interface)."""

    def make(self, tmp_path) -> Geocoder:
        raise NotImplementedError

    def test_is_a_geocoder(self, tmp_path):
        assert isinstance(self.make(tmp_path), Geocoder)

    def test_known_place(self, tmp_path):
        location = self.make(tmp_path).geocode("Tbilisi")
        assert location is not None
        assert abs(location.lat - 41.69) < 0.5 and abs(location.lon - 44.83) < 0.5

    def test_unknown_place_is_none(self, tmp_path):
        assert self.make(tmp_path).geocode("Qwxzzy Nowhere") is None


class TestGazetteerGeocoder(GeocoderContract):
    def make(self, tmp_path):
        return GazetteerGeocoder()

    def test_historical_name(self, tmp_path):
        assert self.make(tmp_path).geocode("Tsaritsyn").name == "Volgograd"


class TestGeopyGeocoder(GeocoderContract):
    def make(self, tmp_path):
        return GeopyGeocoder("nominatim", client=FakeService({"Tbilisi": (41.69, 44.83)}), min_delay_seconds=0,
                             cache=GeocodeCache(tmp_path / "cache.sqlite"))

    def test_answers_are_cached_on_disk(self, tmp_path):
        service = FakeService({"Gori": (41.98, 44.11)})
        cache = GeocodeCache(tmp_path / "cache.sqlite")
        first = GeopyGeocoder("nominatim", client=service, min_delay_seconds=0, cache=cache)
        assert first.geocode("Gori").lat == pytest.approx(41.98)
        assert first.geocode("Nowhere") is None
        again = GeopyGeocoder("nominatim", client=service, min_delay_seconds=0,
                              cache=GeocodeCache(tmp_path / "cache.sqlite"))
        assert again.geocode("Gori").lon == pytest.approx(44.11)
        assert again.geocode("Nowhere") is None
        assert service.calls == ["Gori", "Nowhere"]

    def test_network_failure_falls_back_to_gazetteer_with_a_warning(self, tmp_path):
        geocoder = GeopyGeocoder("nominatim", client=FakeService(fail=True), min_delay_seconds=0,
                                 cache=GeocodeCache(tmp_path / "cache.sqlite"))
        with pytest.warns(OnlineGeocoderWarning, match="nominatim geocoder failed"):
            location = geocoder.geocode("Leningrad")
        assert location.name == "Saint Petersburg"
        assert location.source.startswith("gazetteer:")

    def test_requests_are_rate_limited(self, tmp_path, monkeypatch):
        service = FakeService({"A": (1, 1), "B": (2, 2)})
        geocoder = GeopyGeocoder("nominatim", client=service, min_delay_seconds=5,
                                 cache=GeocodeCache(tmp_path / "cache.sqlite"))
        slept = []
        limiter = geocoder._geocode
        monkeypatch.setattr(limiter, "_sleep", lambda seconds: slept.append(seconds))
        geocoder.geocode("A")
        geocoder.geocode("B")
        assert slept and max(slept) > 4


def test_registry_knows_the_gazetteer_and_geopy_services():
    assert geocoder_names()[0] == "gazetteer"
    assert "nominatim" in geocoder_names() and "photon" in geocoder_names()
    assert isinstance(get_geocoder("gazetteer"), GazetteerGeocoder)


def test_unknown_geocoder_is_a_specific_error():
    with pytest.raises(UnknownGeocoderError, match="unknown geocoder 'nosuch'"):
        get_geocoder("nosuch")
