from __future__ import annotations

import pytest

from mapapp.errors import GazetteerError
from mapapp.gazetteer import HISTORICAL, build_gazetteer, load_gazetteer
from mapapp.config import GAZETTEER_DIR


@pytest.mark.parametrize("old, modern, country", [
    ("Tsaritsyn", "Volgograd", "RU"), ("Stalingrad", "Volgograd", "RU"), ("Petrograd", "Saint Petersburg", "RU"),
    ("Leningrad", "Saint Petersburg", "RU"), ("Tiflis", "Tbilisi", "GE"), ("Breslau", "Wrocław", "PL"),
    ("Alma-Ata", "Almaty", "KZ"), ("Königsberg", "Kaliningrad", "RU"), ("Sverdlovsk", "Yekaterinburg", "RU"),
])
def test_historical_names_reach_the_modern_place(gazetteer, old, modern, country):
    readings = gazetteer.lookup(old)
    places = {(p.name, p.country) for p, _ in readings}
    assert (modern, country) in places


def test_historical_readings_carry_their_years(gazetteer):
    entries = [e for p, e in gazetteer.lookup("Stalingrad") if p.name == "Volgograd"]
    assert entries[0].name_type == HISTORICAL
    assert (entries[0].valid_from, entries[0].valid_to) == (1925, 1961)


@pytest.mark.parametrize("region", ["Siberia", "Central Asia", "Caucasus", "Crimea", "Volga region",
                                    "Baltic states", "Karelia", "Bessarabia", "Northern Bukovina", "Kolyma",
                                    "Chechnya", "Ingushetia", "Kalmykia", "Kazakhstan"])
def test_regions_of_the_issue_are_areas(gazetteer, region):
    kinds = {p.kind for p, _ in gazetteer.lookup(region)}
    assert kinds & {"region", "country"}, f"{region}: {kinds}"


def test_countries_have_geonames_style_points(gazetteer):
    georgia = [p for p, _ in gazetteer.lookup("Georgia") if p.kind == "country"]
    assert len(georgia) == 1
    assert 41 < georgia[0].lat < 43 and 42 < georgia[0].lon < 46


def test_index_is_cached_on_disk_and_reloaded(tmp_path):
    first = load_gazetteer(cache_dir=tmp_path)
    files = list(tmp_path.glob("gazetteer-*.pickle"))
    assert len(files) == 1
    second = load_gazetteer(cache_dir=tmp_path)
    assert len(second) == len(first)
    assert second.lookup("Gori")[0][0] == first.lookup("Gori")[0][0]


def test_corrupt_cache_is_rebuilt(tmp_path):
    load_gazetteer(cache_dir=tmp_path)
    cache_file = next(tmp_path.glob("gazetteer-*.pickle"))
    cache_file.write_bytes(b"not a pickle")
    assert load_gazetteer(cache_dir=tmp_path).lookup("Moscow")


def test_missing_gazetteer_file_is_a_clear_error(tmp_path):
    with pytest.raises(GazetteerError, match="settlements.tsv.gz"):
        build_gazetteer(tmp_path)


def test_malformed_curated_row_names_file_and_line(tmp_path):
    for name in ("settlements.tsv.gz", "countries.geojson", "regions.geojson", "historical_names.csv"):
        (tmp_path / name).symlink_to(GAZETTEER_DIR / name)
    (tmp_path / "sites.csv").write_text("id,name,aliases,kind,lat,lon,country,radius_km,source\n"
                                        "site:x,Somewhere,,site,north,10,RU,1,src\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"sites.csv:2"):
        build_gazetteer(tmp_path)
