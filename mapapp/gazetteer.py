"""The offline place index: every name a text may use for a place, and the places it may mean.

Built from the files in ``geodata/gazetteer/`` (see its README for sources and licences):

- ``settlements.tsv.gz``: GeoNames populated places ≥ 1,000 people with Latin-script alternate names;
- ``countries.geojson`` / ``regions.geojson``: Natural Earth countries, historical states, regions,
  seas and rivers with aliases and a representative point;
- ``historical_names.csv``: former names with the years they were official (Tsaritsyn, Stalingrad…);
- ``sites.csv``, ``region_points.csv``, ``us_states.csv``: named sites and buildings (the Winter
  Palace, Katyn…), historical and physical regions, rivers and US states, each a point with a radius;
- ``admin_regions.csv``, ``us_counties.csv``: every country's first-level regions and the US counties
  (built from GeoNames by ``scripts/build_admin_regions.py``);
- ``physical_features.csv``, ``historical_states.csv``: rivers (a point on the middle course, a radius of
  half the length), lakes, seas, islands, mountain ranges, deserts, forts; empires, colonies, territories
  and historical regions with the years they existed (typed from facts, a source each);
- ``abbreviations.csv``: state and province abbreviations ("Ky.", "W. Va.", "Ont.") and country and
  bloc acronyms ("US", "EU", "UAE") as names of places already in the index.

The index is built once and pickled into the cache folder; later loads read the pickle
(keyed by the sizes and modification times of the source files).
"""
from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from .config import CACHE_DIR, GAZETTEER_DIR
from .diskcache import load_or_build
from .errors import GazetteerError
from .models import Place

INDEX_VERSION = 12

# How a name relates to a place: the resolver trusts a place's own name more than a variant.
PRIMARY, ALIAS, ALTERNATE, HISTORICAL = "primary", "alias", "alternate", "historical"


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One reading of a name: the place it may denote and how the name relates to it."""

    place_index: int
    name_type: str
    valid_from: int | None = None
    valid_to: int | None = None


_NAME_TYPES = (PRIMARY, ALIAS, ALTERNATE, HISTORICAL)
_PLACE_FIELDS = ("id", "name", "kind", "lat", "lon", "country", "population", "geonameid", "radius_km",
                 "valid_from", "valid_to", "source", "admin1")


class Gazetteer:
    """Places and the names that denote them, with an Aho–Corasick automaton over the names.

    Places are kept as columns of plain values and names as packed integers (place index × 4 +
    name type), so that the pickled index loads in a fraction of a second; :class:`Place` objects
    are made on demand.
    """

    def __init__(self, columns: dict[str, list], names: dict[str, tuple[int, ...]],
                 years: dict[tuple[str, int], tuple[int | None, int | None]], automaton: ahocorasick.Automaton,
                 codes: dict[str, str] | None = None):
        self.columns = columns
        self.names = names
        self.years = years
        self.automaton = automaton
        # abbreviations and acronyms ("Ky." → "state", "EU" → "acronym"): names written in capitals or
        # with full stops that are places all the same
        self.codes = codes or {}
        self._places: dict[int, Place] = {}
        self._readings: dict[str, tuple[tuple[Place, NameEntry], ...]] = {}

    def __getstate__(self) -> dict:
        return {"columns": self.columns, "names": self.names, "years": self.years, "automaton": self.automaton,
                "codes": self.codes}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)

    def __len__(self) -> int:
        return len(self.columns["id"])

    def place_at(self, index: int) -> Place:
        place = self._places.get(index)
        if place is None:
            place = self._places[index] = Place(**{f: self.columns[f][index] for f in _PLACE_FIELDS})
        return place

    @property
    def places(self) -> list[Place]:
        return [self.place_at(i) for i in range(len(self))]

    def lookup(self, name: str) -> list[tuple[Place, NameEntry]]:
        """All readings of ``name`` (case-sensitive, as written in the text)."""
        readings = self._readings.get(name)
        if readings is None:
            # a text asks for the same names again and again (every capitalised word is looked up): the
            # readings are made once; the memo is emptied when it holds many names, so it stays small
            if len(self._readings) >= LOOKUP_MEMO_NAMES:
                self._readings.clear()
            readings = self._readings[name] = tuple(self._make_readings(name))
        return list(readings)

    def _make_readings(self, name: str):
        for packed in self.names.get(name, ()):
            index, type_code = divmod(packed, 4)
            valid_from, valid_to = self.years.get((name, index), (None, None))
            yield self.place_at(index), NameEntry(index, _NAME_TYPES[type_code], valid_from, valid_to)

    def place(self, place_id: str) -> Place:
        try:
            return self.place_at(self.columns["id"].index(place_id))
        except ValueError:
            raise KeyError(place_id) from None

    def search(self, query: str) -> list[Place]:
        """Places named ``query`` (exact, then in title case), best known first."""
        hits = self.lookup(query) or self.lookup(query.strip().title())
        return sorted({p.id: p for p, _ in hits}.values(), key=_prominence, reverse=True)

    def iter_matches(self, text: str):
        """Leftmost-longest name matches ``(start, end, name)`` in ``text`` (word boundaries unchecked)."""
        for end_index, name in self.automaton.iter_long(text):
            yield end_index - len(name) + 1, end_index + 1, name


LOOKUP_MEMO_NAMES = 100_000


def _prominence(place: Place) -> float:
    bonus = {"country": 1e9, "region": 5e8, "water": 1e8}.get(place.kind, 0)
    return bonus + place.population


# ---------------------------------------------------------------------------------------------
# building the index from the shipped files

# Curated places given by a point and a radius, all in the schema of sites.csv.
POINT_FILES = ("sites.csv", "region_points.csv", "us_states.csv", "admin_regions.csv", "us_counties.csv",
               "physical_features.csv", "historical_states.csv")
ABBREVIATIONS = "abbreviations.csv"


def _source_files(directory: Path) -> list[Path]:
    return [directory / n for n in ("settlements.tsv.gz", "countries.geojson", "regions.geojson",
                                    "historical_names.csv", *POINT_FILES, ABBREVIATIONS)]


# Soviet official names are written with their abbreviation or in full: "Chechen-Ingush ASSR" and
# "Chechen-Ingush Autonomous Soviet Socialist Republic".
_SOVIET_FORMS = ((" ASSR", " Autonomous Soviet Socialist Republic"), (" SSR", " Soviet Socialist Republic"),
                 (" SFSR", " Soviet Federative Socialist Republic"), (" AO", " Autonomous Oblast"))


def _written_out(name: str) -> list[str]:
    return [name[:-len(short)] + full for short, full in _SOVIET_FORMS if name.endswith(short)]


class _Builder:
    def __init__(self) -> None:
        self.places: list[Place] = []
        self.names: dict[str, list[NameEntry]] = defaultdict(list)
        self.by_geonameid: dict[int, int] = {}
        self.codes: dict[str, str] = {}

    def add_place(self, place: Place) -> int:
        self.places.append(place)
        index = len(self.places) - 1
        if place.geonameid is not None:
            self.by_geonameid[place.geonameid] = index
        return index

    def add_name(self, name: str, index: int, name_type: str, valid_from: int | None = None,
                 valid_to: int | None = None) -> None:
        name = name.strip()
        if len(name) < 2 or not name[0].isupper():
            return
        entries = self.names[name]
        for i, existing in enumerate(entries):
            if existing.place_index == index:
                # a curated reading (historical name with its years, alias) beats a GeoNames variant
                if existing.name_type == ALTERNATE and name_type != ALTERNATE:
                    entries[i] = NameEntry(index, name_type, valid_from, valid_to)
                return
        entries.append(NameEntry(index, name_type, valid_from, valid_to))
        if "-" in name:  # texts write "Alma-ata" as well as "Alma-Ata"
            head, _, tail = name.partition("-")
            variant = f"{head}-{tail.lower()}"
            if variant != name:
                self.add_name(variant, index, name_type, valid_from, valid_to)

    def add_settlements(self, path: Path) -> None:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            if header[:2] != ["geonameid", "name"]:
                raise GazetteerError(f"{path}: unexpected header {header}")
            for line_number, line in enumerate(f, 2):
                try:
                    gid, name, lat, lon, country, admin1, population, alternates = line.rstrip("\n").split("\t")
                    place = Place(id=f"geonames:{gid}", name=name, kind="settlement", lat=float(lat),
                                  lon=float(lon), country=country, population=int(population),
                                  geonameid=int(gid), radius_km=10.0,
                                  admin1=f"{country}.{admin1}" if admin1 and country else "")
                except ValueError as error:
                    raise GazetteerError(f"{path}:{line_number}: malformed row ({error})") from None
                index = self.add_place(place)
                self.add_name(name, index, PRIMARY)
                for alternate in filter(None, alternates.split("|")):
                    self.add_name(alternate, index, ALTERNATE)

    def add_areas(self, path: Path) -> None:
        """Countries, historical states, regions and water bodies from a GeoJSON file."""
        try:
            features = json.loads(path.read_text(encoding="utf-8"))["features"]
        except (OSError, ValueError, KeyError) as error:
            raise GazetteerError(f"{path}: cannot read GeoJSON features ({error})") from None
        for feature in features:
            props = feature["properties"]
            kind = props.get("kind", "region")
            if kind not in ("country", "region", "water", "site", "settlement"):
                kind = "region" if kind != "mountain" else "site"
            place = Place(
                id=props["id"], name=props["name"], kind=kind, lat=float(props["lat"]), lon=float(props["lon"]),
                country=props.get("iso2") or "", population=int(props.get("population") or 0),
                geonameid=props.get("geonameid"), radius_km=float(props.get("radius_km") or 0.0),
                valid_from=props.get("valid_from"), valid_to=props.get("valid_to"),
                source=props.get("source") or "Natural Earth",
            )
            index = self.add_place(place)
            self.add_name(place.name, index, PRIMARY)
            for alias in props.get("aliases") or []:
                if alias.lower().startswith("the "):
                    alias = alias[4:]
                self.add_name(alias, index, ALIAS)
                for long_form in _written_out(alias):
                    self.add_name(long_form, index, ALIAS)

    def add_historical_names(self, path: Path) -> None:
        with path.open(encoding="utf-8", newline="") as f:
            for row_number, row in enumerate(csv.DictReader(f), 2):
                try:
                    gid = int(row["geonameid"]) if row.get("geonameid") else None
                    index = self.by_geonameid.get(gid) if gid is not None else None
                    if index is None:
                        index = self.add_place(Place(
                            id=f"historical:{row['modern_name']}", name=row["modern_name"], kind="settlement",
                            lat=float(row["lat"]), lon=float(row["lon"]), country=row.get("country_code", ""),
                            geonameid=gid, radius_km=10.0, source=row.get("source") or ""))
                    valid_from = int(row["valid_from"]) if row.get("valid_from") else None
                    valid_to = int(row["valid_to"]) if row.get("valid_to") else None
                except (KeyError, ValueError) as error:
                    raise GazetteerError(f"{path}:{row_number}: malformed row ({error})") from None
                self.add_name(row["name"], index, HISTORICAL, valid_from, valid_to)

    def add_points(self, path: Path) -> None:
        with path.open(encoding="utf-8", newline="") as f:
            for row_number, row in enumerate(csv.DictReader(f), 2):
                try:
                    place = Place(id=row["id"], name=row["name"], kind=row.get("kind") or "site",
                                  lat=float(row["lat"]), lon=float(row["lon"]), country=row.get("country", ""),
                                  radius_km=float(row.get("radius_km") or 1.0), source=row.get("source") or "",
                                  admin1=row.get("admin1") or "",
                                  valid_from=int(row["valid_from"]) if row.get("valid_from") else None,
                                  valid_to=int(row["valid_to"]) if row.get("valid_to") else None)
                except (KeyError, ValueError) as error:
                    raise GazetteerError(f"{path}:{row_number}: malformed row ({error})") from None
                index = self.add_place(place)
                self.add_name(place.name, index, PRIMARY)
                for alias in filter(None, (row.get("aliases") or "").split("|")):
                    self.add_name(alias, index, ALIAS)
                for name in [place.name, *filter(None, (row.get("aliases") or "").split("|"))]:
                    for long_form in _written_out(name):
                        self.add_name(long_form, index, ALIAS)

    def add_abbreviations(self, path: Path) -> None:
        """Abbreviations and acronyms of places already added: ``name,place_id,kind,source``."""
        by_id = {p.id: i for i, p in enumerate(self.places)}
        with path.open(encoding="utf-8", newline="") as f:
            for row_number, row in enumerate(csv.DictReader(f), 2):
                index = by_id.get(row.get("place_id", ""))
                if index is None or row.get("kind") not in ("state", "acronym"):
                    raise GazetteerError(f"{path}:{row_number}: unknown place id {row.get('place_id')!r} "
                                         f"or kind {row.get('kind')!r}")
                # datelines and old records write them in capitals too ("ROLLA, MO.")
                for name in dict.fromkeys((row["name"], row["name"].upper())):
                    self.add_name(name, index, ALIAS)
                    self.codes[name] = row["kind"]

    def finish(self) -> Gazetteer:
        automaton = ahocorasick.Automaton()
        for name in self.names:
            automaton.add_word(name, name)
        automaton.make_automaton()
        columns = {f: [getattr(p, f) for p in self.places] for f in _PLACE_FIELDS}
        type_code = {t: i for i, t in enumerate(_NAME_TYPES)}
        names = {n: tuple(e.place_index * 4 + type_code[e.name_type] for e in entries)
                 for n, entries in self.names.items()}
        years = {(n, e.place_index): (e.valid_from, e.valid_to) for n, entries in self.names.items()
                 for e in entries if e.valid_from is not None or e.valid_to is not None}
        return Gazetteer(columns, names, years, automaton, self.codes)


def build_gazetteer(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    """Build the index from the files in ``directory`` (no cache)."""
    settlements, countries, regions, historical, *points, abbreviations = _source_files(directory)
    for required in (settlements, countries, regions, historical):
        if not required.exists():
            raise GazetteerError(f"{required}: gazetteer file missing (see geodata/README.md to rebuild it)")
    builder = _Builder()
    builder.add_settlements(settlements)
    builder.add_areas(countries)
    builder.add_areas(regions)
    builder.add_historical_names(historical)
    for path in points:
        if path.exists():
            builder.add_points(path)
    if abbreviations.exists():
        builder.add_abbreviations(abbreviations)
    return builder.finish()


def load_gazetteer(directory: Path = GAZETTEER_DIR, *, cache_dir: Path | None = CACHE_DIR) -> Gazetteer:
    """The gazetteer, from the on-disk cache when it is current, else built and cached."""
    return load_or_build("gazetteer", _source_files(directory), lambda: build_gazetteer(directory),
                         version=INDEX_VERSION, cache_dir=cache_dir)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer over the shipped data."""
    return load_gazetteer()
