"""The default geocoder: mapapp's offline gazetteer, no network."""
from __future__ import annotations

from ..gazetteer import Gazetteer, default_gazetteer
from .base import Location


class GazetteerGeocoder:
    """Looks names up in the offline gazetteer; the most prominent place of that name wins.

    For names in running text prefer :func:`mapapp.toponyms.geoparse`, which uses the document's
    context; this geocoder answers a bare name the way a search box would.
    """

    name = "gazetteer"

    def __init__(self, *, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def geocode(self, query: str) -> Location | None:
        places = self.gazetteer.search(query.strip())
        if not places:
            return None
        p = places[0]
        return Location(name=p.name, lat=p.lat, lon=p.lon, kind=p.kind, geonameid=p.geonameid,
                        source=f"gazetteer:{p.id}")
