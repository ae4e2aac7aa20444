"""Soviet borders by date (mapapp.borders) and the shipped borders/basemap geodata."""
from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point

from mapapp.borders import basemap_layers, soviet_territory, territorial_changes
from mapapp.config import GEODATA_DIR

REPO = Path(__file__).resolve().parent.parent


def soviet(lat: float, lon: float, on) -> bool:
    g = soviet_territory(on)
    return g is not None and g.contains(Point(lon, lat))


@pytest.mark.parametrize(
    "name, lat, lon, soviet_in, not_in",
    [
        ("Lviv", 49.84, 24.03, [1945], [1938]),
        ("Riga", 56.95, 24.1, [1941, 1980], [1939]),
        ("Kyzyl", 51.72, 94.45, [1950], [1943]),
        ("Kaliningrad", 54.71, 20.51, [1950], [1944]),
        ("Chisinau", 47.0, 28.86, [1941], [1939]),
        ("Moscow", 55.75, 37.62, [1930, 1923, 1991], []),
        ("Bialystok", 53.13, 23.16, [1940], [1938, 1946]),
        ("Vyborg", 60.71, 28.75, [1941, 1950], [1939]),
        ("Minsk", 53.9, 27.57, [1930], []),
        ("Tiraspol", 46.84, 29.63, [1930], []),
        ("Vilnius", 54.69, 25.28, [1941], [1939]),
        ("Klaipeda", 55.71, 21.14, [1950], [1941]),
        ("Uzhhorod", 48.62, 22.29, [1946], [1944]),
        ("Yuzhno-Sakhalinsk", 46.95, 142.73, [1946], [1944]),
        ("Nikel", 69.41, 30.22, [1946], [1941]),
        ("Warsaw", 52.23, 21.01, [], [1930, 1940, 1950]),
        ("Helsinki", 60.17, 24.94, [], [1941, 1950]),
    ],
)
def test_places_by_year(name, lat, lon, soviet_in, not_in):
    for year in soviet_in:
        assert soviet(lat, lon, year), f"{name} should be Soviet in {year}"
    for year in not_in:
        assert not soviet(lat, lon, year), f"{name} should not be Soviet in {year}"


def test_no_ussr_before_founding_or_after_dissolution():
    assert soviet_territory(1920) is None
    assert soviet_territory(1995) is None
    assert soviet_territory(dt.date(1922, 12, 29)) is None
    assert soviet_territory(dt.date(1922, 12, 30)) is not None
    assert soviet_territory(dt.date(1991, 12, 25)) is not None
    assert soviet_territory(dt.date(1991, 12, 26)) is None


def test_exact_dates_and_cache():
    riga = Point(24.1, 56.95)
    assert not soviet_territory(dt.date(1940, 8, 4)).contains(riga)
    assert soviet_territory(dt.date(1940, 8, 5)).contains(riga)
    assert soviet_territory(1950) is soviet_territory(dt.date(1950, 7, 1))
    with pytest.raises(TypeError):
        soviet_territory("1950")


def test_territory_is_valid_and_grows():
    a1930 = soviet_territory(1930)
    a1950 = soviet_territory(1950)
    assert a1930.is_valid and a1950.is_valid
    assert a1950.area > a1930.area
    assert a1950.contains(a1930.representative_point())


def test_territorial_changes_frame():
    df = territorial_changes()
    assert list(df.columns) == ["id", "name", "date", "change", "source", "note", "geometry"]
    assert df.crs.to_epsg() == 4326
    assert df.id.is_unique
    assert set(df.change) == {"base", "gain", "loss"}
    assert df[df.change == "base"].id.tolist() == ["ussr-1922"]
    assert (df[df.change == "base"].date == "1922-12-30").all()
    for d in df.date:
        dt.date.fromisoformat(d)
    assert df.source.str.startswith("https://").all()
    assert df.geometry.is_valid.all() and not df.geometry.is_empty.any()
    for key in ["west-ukraine-1939", "west-belarus-1939", "finland-1940", "bessarabia-1940", "lithuania-1940",
                "latvia-1940", "estonia-1940", "tuva-1944", "pechenga-1944", "kaliningrad-1945",
                "transcarpathia-1945", "sakhalin-kurils-1945", "poland-1945", "ussr-end-1991"]:
        assert key in set(df.id), key
    # a copy: callers may modify it
    df.loc[0, "name"] = "changed"
    assert territorial_changes().loc[0, "name"] != "changed"


def test_basemap_layers():
    layers = basemap_layers()
    # no coastline layer: the coast is the outline of the land polygons
    assert set(layers) == {"land", "lakes", "boundaries"}
    assert len(layers["land"]) > 100 and len(layers["lakes"]) > 50 and len(layers["boundaries"]) > 100
    assert layers["land"].crs.to_epsg() == 4326
    land = layers["land"].union_all()
    assert land.contains(Point(37.62, 55.75))  # Moscow
    assert not land.contains(Point(-30.0, 40.0))  # Atlantic
    assert not land.contains(Point(50.5, 42.0))  # the Caspian Sea, a hole in the land
    lakes = layers["lakes"].union_all()
    for lon, lat in [(31.5, 61.0), (108.0, 53.5), (74.5, 46.5), (45.3, 40.4)]:  # Ladoga, Baikal, Balkhash, Sevan
        assert lakes.contains(Point(lon, lat)), (lon, lat)
    # every map page carries the whole basemap: keep it small
    size = sum(p.stat().st_size for p in (Path(GEODATA_DIR) / "basemap").glob("*.geojson"))
    assert size <= 500_000


def test_simplified_territory_is_close_to_the_shipped_polygons():
    exact, simple = soviet_territory(1950, tolerance=0), soviet_territory(1950)
    assert simple.is_valid and shapely.get_num_coordinates(simple) < 0.7 * shapely.get_num_coordinates(exact)
    assert exact.hausdorff_distance(simple) < 0.03
    assert abs(simple.area - exact.area) / exact.area < 0.005
    assert soviet_territory(1950, tolerance=0) is exact  # cached per tolerance


def _load_script(name):
    spec = importlib.util.spec_from_file_location(f"_test_{name}", REPO / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("script, folder", [("build_basemap", "basemap"), ("build_borders", "borders")])
def test_rebuild_is_byte_identical(tmp_path, script, folder):
    _load_script(script).main(tmp_path)
    built = sorted(p.name for p in tmp_path.glob("*.geojson"))
    assert built
    for name in built:
        committed = REPO / "geodata" / folder / name
        assert committed.read_bytes() == (tmp_path / name).read_bytes(), f"{folder}/{name} differs from a rebuild"
