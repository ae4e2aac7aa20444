"""Soviet borders by date, and the offline basemap layers.

The data are built by ``scripts/build_borders.py`` (``geodata/borders/``) and
``scripts/build_basemap.py`` (``geodata/basemap/``); see the README files there.

The territory of the Soviet Union on a day is the base territory (the USSR at its
founding, 1922-12-30) plus every gain dated on or before that day, minus every loss
dated on or before that day.  It is an approximation assembled from present-day
administrative units (see ``geodata/borders/README.md``).

Both are drawn on every map, and a map is a process's first one more often than not (``mapapp
export``), so what they cost to prepare is kept on disk (:mod:`mapapp.diskcache`, keyed by the
source files): the territory for each span of time between two dated changes, and the basemap's
frames.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from mapapp.config import CACHE_DIR, GEODATA_DIR
from mapapp.diskcache import load_or_build

if TYPE_CHECKING:  # geopandas is imported only when frames are built
    import geopandas as gpd

BORDERS_FILE = "borders/soviet_territory.geojson"
BASEMAP_DIR = "basemap"
USSR_START = dt.date(1922, 12, 30)
USSR_END = dt.date(1991, 12, 26)
COLUMNS = ["id", "name", "date", "change", "source", "note"]
# The territory as maps draw it (zoom 2-6): simplified by 0.02 deg (about 2 km, a pixel at zoom 6, and the
# scale of the coverage simplification scripts/build_borders.py already applied) on a 0.001 deg grid. It
# halves the Soviet border in every page (315 kB -> 156 kB for 1945); no place in tests/test_borders.py
# is nearer a border than 0.016 deg, and none changes side.
TOLERANCE = 0.02
GRID = 0.001
_CACHE_VERSION = 1

__all__ = ["territorial_changes", "soviet_territory", "basemap_layers", "USSR_START", "USSR_END", "TOLERANCE"]


def _borders_path() -> Path:
    return Path(GEODATA_DIR) / BORDERS_FILE


@functools.lru_cache(maxsize=1)
def _load_changes() -> gpd.GeoDataFrame:
    import geopandas as gpd

    path = _borders_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for feat in data["features"]:
        props = feat["properties"]
        row = {c: props.get(c, "") for c in COLUMNS}
        row["date"] = str(row["date"])
        row["geometry"] = shape(feat["geometry"])
        rows.append(row)
    return gpd.GeoDataFrame(rows, columns=COLUMNS + ["geometry"], geometry="geometry", crs="EPSG:4326")


def territorial_changes() -> gpd.GeoDataFrame:
    """Return the base territory and the dated territorial changes of the USSR.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature of ``geodata/borders/soviet_territory.geojson``, in EPSG:4326,
        with the columns ``id``, ``name``, ``date`` (ISO ``YYYY-MM-DD`` string), ``change``
        (``"base"``, ``"gain"`` or ``"loss"``), ``source`` (URL), ``note`` and ``geometry``.
        A copy is returned, so callers may modify it freely.
    """
    return _load_changes().copy()


def _as_date(on: dt.date | int) -> dt.date:
    if isinstance(on, bool):
        raise TypeError("on must be a datetime.date or an int year")
    if isinstance(on, int):
        return dt.date(on, 7, 1)
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    raise TypeError(f"on must be a datetime.date or an int year, not {type(on).__name__}")


def _territory_from(df, iso: str, tolerance: float) -> BaseGeometry | None:
    plus = df[(df["change"] == "base") | ((df["change"] == "gain") & (df["date"] <= iso))]
    minus = df[(df["change"] == "loss") & (df["date"] <= iso)]
    g = shapely.union_all(list(plus.geometry))
    if len(minus):
        g = shapely.difference(g, shapely.union_all(list(minus.geometry)))
    if tolerance > 0:
        g = shapely.set_precision(shapely.simplify(g, tolerance, preserve_topology=True), GRID)
    if g.is_empty:
        return None
    return g


def _build_territories(tolerance: float) -> tuple[tuple[str, ...], tuple[BaseGeometry | None, ...]]:
    """The territory from each dated change on: ISO dates (ascending, the first the founding) and geometries.

    Between two consecutive change dates the territory does not change, so these few geometries
    (one per date) answer every day from the founding to the dissolution.
    """
    df = _load_changes()
    start, end = USSR_START.isoformat(), USSR_END.isoformat()
    dates = tuple(sorted({start, *(d for d in df["date"] if start < d < end)}))
    return dates, tuple(_territory_from(df, iso, tolerance) for iso in dates)


@functools.lru_cache(maxsize=4)
def _territories(tolerance: float) -> tuple[tuple[str, ...], tuple[BaseGeometry | None, ...]]:
    # building them all takes about a second, reading them back from the cache a few milliseconds
    return load_or_build(f"soviet-territory-{tolerance:g}", [_borders_path()],
                         lambda: _build_territories(tolerance), version=_CACHE_VERSION, cache_dir=CACHE_DIR)


def _territory_on(day: dt.date, tolerance: float) -> BaseGeometry | None:
    if day < USSR_START or day >= USSR_END:
        return None
    dates, geometries = _territories(float(tolerance))
    return geometries[bisect.bisect_right(dates, day.isoformat()) - 1]


def soviet_territory(on: dt.date | int, *, tolerance: float = TOLERANCE) -> BaseGeometry | None:
    """Return the (approximate, de jure) territory of the Soviet Union on a date.

    Parameters
    ----------
    on : datetime.date or int
        The day; an ``int`` is a year and means 1 July of that year.
    tolerance : float
        Simplification in degrees, then coordinates snapped to 0.001 deg. The default,
        :data:`TOLERANCE` (0.02 deg, about 2 km), is the detail a map of Eurasia at zoom 2-6
        can show; ``0`` gives the union of the shipped polygons as they are.

    Returns
    -------
    shapely geometry or None
        A (Multi)Polygon in EPSG:4326 (lon/lat): the base territory plus every gain dated
        on or before ``on``, minus every loss dated on or before ``on``.  ``None`` before
        the founding of the USSR (1922-12-30) and from its dissolution (1991-12-26) on.
        Results are cached (in memory and on disk); do not modify the returned geometry.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> soviet_territory(1950).contains(Point(20.51, 54.71))  # Kaliningrad
    True
    >>> soviet_territory(1995) is None
    True
    """
    return _territory_on(_as_date(on), tolerance)


def _read_basemap(paths: list[Path]) -> dict[str, gpd.GeoDataFrame]:
    import geopandas as gpd

    layers: dict[str, gpd.GeoDataFrame] = {}
    for path in paths:
        gdf = gpd.read_file(path)
        if gdf.crs is None:
            gdf = gdf.set_crs("EPSG:4326")
        layers[path.stem] = gdf
    return layers


def basemap_layers() -> dict[str, gpd.GeoDataFrame]:
    """Load the offline basemap.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        Every ``geodata/basemap/*.geojson`` file keyed by its stem (``land``, ``lakes``,
        ``boundaries``; the coast is the outline of ``land``), in EPSG:4326, in name order.
        An empty dict when the folder does not exist. Frames come from the disk cache when the
        files have not changed (a millisecond instead of importing pyogrio and parsing, 0.1 s).
    """
    folder = Path(GEODATA_DIR) / BASEMAP_DIR
    if not folder.is_dir():
        return {}
    paths = sorted(folder.glob("*.geojson"))
    # the file names are part of the key too: a removed or added layer changes it
    name = "basemap-" + "-".join(p.stem for p in paths)
    return load_or_build(name, paths, lambda: _read_basemap(paths), version=_CACHE_VERSION, cache_dir=CACHE_DIR)
