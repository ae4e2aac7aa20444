"""Soviet borders by date, and the offline basemap layers.

The data are built by ``scripts/build_borders.py`` (``geodata/borders/``) and
``scripts/build_basemap.py`` (``geodata/basemap/``); see the README files there.

The territory of the Soviet Union on a day is the base territory (the USSR at its
founding, 1922-12-30) plus every gain dated on or before that day, minus every loss
dated on or before that day.  It is an approximation assembled from present-day
administrative units (see ``geodata/borders/README.md``).
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from mapapp.config import GEODATA_DIR

BORDERS_FILE = "borders/soviet_territory.geojson"
BASEMAP_DIR = "basemap"
USSR_START = dt.date(1922, 12, 30)
USSR_END = dt.date(1991, 12, 26)
COLUMNS = ["id", "name", "date", "change", "source", "note"]

__all__ = ["territorial_changes", "soviet_territory", "basemap_layers", "USSR_START", "USSR_END"]


def _borders_path() -> Path:
    return Path(GEODATA_DIR) / BORDERS_FILE


@functools.lru_cache(maxsize=1)
def _load_changes() -> gpd.GeoDataFrame:
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


@functools.lru_cache(maxsize=256)
def _territory_on(day: dt.date) -> BaseGeometry | None:
    if day < USSR_START or day >= USSR_END:
        return None
    df = _load_changes()
    iso = day.isoformat()
    plus = df[(df["change"] == "base") | ((df["change"] == "gain") & (df["date"] <= iso))]
    minus = df[(df["change"] == "loss") & (df["date"] <= iso)]
    g = shapely.union_all(list(plus.geometry))
    if len(minus):
        g = shapely.difference(g, shapely.union_all(list(minus.geometry)))
    if g.is_empty:
        return None
    return g


def soviet_territory(on: dt.date | int) -> BaseGeometry | None:
    """Return the (approximate, de jure) territory of the Soviet Union on a date.

    Parameters
    ----------
    on : datetime.date or int
        The day; an ``int`` is a year and means 1 July of that year.

    Returns
    -------
    shapely geometry or None
        A (Multi)Polygon in EPSG:4326 (lon/lat): the base territory plus every gain dated
        on or before ``on``, minus every loss dated on or before ``on``.  ``None`` before
        the founding of the USSR (1922-12-30) and from its dissolution (1991-12-26) on.
        Results are cached; do not modify the returned geometry.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> soviet_territory(1950).contains(Point(20.51, 54.71))  # Kaliningrad
    True
    >>> soviet_territory(1995) is None
    True
    """
    return _territory_on(_as_date(on))


def basemap_layers() -> dict[str, gpd.GeoDataFrame]:
    """Load the offline basemap.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        Every ``geodata/basemap/*.geojson`` file keyed by its stem (``land``,
        ``coastline``, ``lakes``, ``boundaries``), in EPSG:4326, in name order.
        An empty dict when the folder does not exist.
    """
    folder = Path(GEODATA_DIR) / BASEMAP_DIR
    layers: dict[str, gpd.GeoDataFrame] = {}
    if not folder.is_dir():
        return layers
    for path in sorted(folder.glob("*.geojson")):
        gdf = gpd.read_file(path)
        if gdf.crs is None:
            gdf = gdf.set_crs("EPSG:4326")
        layers[path.stem] = gdf
    return layers
