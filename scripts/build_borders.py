#!/usr/bin/env python3
"""Build geodata/borders/soviet_territory.geojson from territorial_changes.yaml.

Run from the repository root:

    .venv/bin/python scripts/build_borders.py [--out FOLDER]

Every geometry comes from public-domain Natural Earth 10m data shipped in pip
packages, resolved with the part machinery of ``scripts/build_regions.py``
(countries, regions of ``geodata/gazetteer/regions.yaml``, admin-1 faces picked by a
typed interior point, hand-typed clip polygons).

Output: one feature for the base territory (the USSR at its founding,
``id`` "ussr-1922", ``change`` "base") and one per dated change (``gain`` or
``loss``), with ``id``, ``name``, ``date``, ``change``, ``source`` and ``note``.

So that the pieces fit together after simplification, the geometries are cut into
non-overlapping "atoms" (base, each gain, and the parts of gains later lost), the
atoms are simplified together as a polygon coverage (shared edges stay shared,
``shapely.coverage_simplify``), and every feature is the union of its atoms.
Hence "base + gains - losses" gives clean results without slivers.

The build is deterministic: same inputs -> byte-identical output.
See geodata/borders/README.md.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

import shapely
import yaml
from shapely.geometry import MultiPolygon, Polygon

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import build_regions as br  # noqa: E402  (admin-1 face machinery, part resolution)

OUT_DIR = ROOT / "geodata" / "borders"
YAML_PATH = ROOT / "geodata" / "borders" / "territorial_changes.yaml"
REGIONS_YAML = ROOT / "geodata" / "gazetteer" / "regions.yaml"

SIMPLIFY_TOL = 0.02  # degrees (coverage simplification)
GRID = 1e-5  # overlay precision (degrees)
OUT_GRID = 1e-4  # output precision: 4 decimals
GAP_WIDTH = 1e-3  # degrees: gaps narrower than this between atoms are closed
MIN_ATOM_AREA = 1e-6  # square degrees: drop overlay crumbs smaller than this
CHANGE_KINDS = ("gain", "loss")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def polygonal(g):
    return br.polygonal(shapely.make_valid(g))


def snap(g):
    return polygonal(shapely.set_precision(g, GRID))


def diff(a, b):
    if a.is_empty or b.is_empty:
        return a
    return polygonal(shapely.difference(a, b, grid_size=GRID))


def inter(a, b):
    if a.is_empty or b.is_empty:
        return MultiPolygon()
    return polygonal(shapely.intersection(a, b, grid_size=GRID))


def union(geoms):
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return MultiPolygon()
    return polygonal(shapely.union_all(geoms, grid_size=GRID))


def drop_crumbs(g):
    parts = [p for p in shapely.get_parts(g) if p.area >= MIN_ATOM_AREA]
    return MultiPolygon(parts) if parts else MultiPolygon()


def load_spec(path: Path = YAML_PATH) -> dict:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    ids = [spec["base"]["id"]] + [c["id"] for c in spec["changes"]]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate ids in territorial_changes.yaml")
    for c in spec["changes"]:
        if c["change"] not in CHANGE_KINDS:
            raise SystemExit(f"{c['id']}: change must be gain or loss")
        dt.date.fromisoformat(str(c["date"]))
        if not str(c.get("source", "")).startswith("http"):
            raise SystemExit(f"{c['id']}: a source URL is required")
    return spec


def resolve(builder, d) -> object:
    g = br.union([builder.part(p) for p in d["parts"]])
    if d.get("minus"):
        g = polygonal(g.difference(br.union([builder.part(p) for p in d["minus"]])))
    return snap(g)


def to_geojson(g):
    """Orient (RFC 7946), sort parts, round to 4 decimals."""
    g = shapely.orient_polygons(g, exterior_cw=False)
    parts = [p for p in shapely.get_parts(g) if not p.is_empty]
    parts.sort(key=lambda p: (-round(p.area, 8), tuple(round(x, 4) for x in p.bounds)))
    if not parts:
        raise SystemExit("empty output geometry")
    m = shapely.geometry.mapping(parts[0] if len(parts) == 1 else MultiPolygon(parts))
    return {"type": m["type"], "coordinates": br.round_coords(m["coordinates"])}


def build(spec):
    t0 = time.time()
    regions_spec = yaml.safe_load(REGIONS_YAML.read_text(encoding="utf-8"))
    countries = br.load_countries()
    builder = br.Builder(regions_spec, countries, br.Admin1Faces(countries))

    base_d = spec["base"]
    changes = sorted(spec["changes"], key=lambda c: (str(c["date"]), c["id"]))
    raw = {c["id"]: resolve(builder, c) for c in changes}
    log(f"resolved {len(raw)} changes ({time.time() - t0:.1f}s)")
    base_outer = resolve(builder, base_d)

    # Atoms: the base, every gain minus what earlier gains already cover, and the base
    # minus all gains.  Then split atoms along every loss except the final one.
    gains = [c for c in changes if c["change"] == "gain"]
    losses = [c for c in changes if c["change"] == "loss"]
    final = max(losses, key=lambda c: str(c["date"])) if losses else None
    atoms: list[tuple[str, object]] = []  # (owner id, geometry)
    covered = MultiPolygon()
    for c in gains:
        g = diff(raw[c["id"]], covered)
        if g.area < raw[c["id"]].area * 0.999:
            log(f"  note: {c['id']} overlaps earlier gains; the overlap is kept with the earlier gain")
        atoms.append((c["id"], g))
        covered = union([covered, g])
    atoms.insert(0, (base_d["id"], diff(base_outer, covered)))
    split_losses = [c for c in losses if c is not final]
    members: list[tuple[str, set[str], object]] = [(o, set(), g) for o, g in atoms]
    for c in split_losses:
        L = raw[c["id"]]
        nxt = []
        for owner, ls, g in members:
            a, b = inter(g, L), diff(g, L)
            if not a.is_empty:
                nxt.append((owner, ls | {c["id"]}, a))
            if not b.is_empty:
                nxt.append((owner, ls, b))
        members = nxt
        inside = union([g for _, ls, g in members if c["id"] in ls])
        if abs(inside.area - L.area) > 1e-3 * max(L.area, 1e-9):
            log(f"  warning: loss {c['id']} is not fully covered by earlier territory")
    # explode to single polygons so the coverage is simple; drop overlay crumbs
    cov = []
    for owner, ls, g in members:
        for p in shapely.get_parts(drop_crumbs(g)):
            cov.append((owner, frozenset(ls), p))
    geoms = [p for _, _, p in cov]
    # make shared edges identical and close slivers between neighbouring Natural Earth
    # polygons, so that the simplified atoms still fit together without gaps
    geoms = list(shapely.coverage_clean(geoms, gap_width=GAP_WIDTH))
    if not shapely.coverage_is_valid(geoms):
        log("  warning: atom coverage still not valid after cleaning")
    simp = shapely.coverage_simplify(geoms, SIMPLIFY_TOL, simplify_boundary=True)
    simp = [polygonal(shapely.set_precision(s, OUT_GRID)) for s in simp]
    log(f"{len(cov)} atoms simplified ({time.time() - t0:.1f}s)")

    def collect(pred):
        ps = [s for (o, ls, _), s in zip(cov, simp) if pred(o, ls) and not s.is_empty]
        return polygonal(shapely.set_precision(shapely.union_all(ps), OUT_GRID))

    feats = []

    def add(d, change, g):
        props = {
            "id": d["id"],
            "name": d["name"],
            "date": str(d["date"]),
            "change": change,
            "source": d["source"],
            "note": " ".join(str(d.get("note", "")).split()),
        }
        feats.append({"type": "Feature", "properties": props, "geometry": to_geojson(g)})
        km2 = br.area_km2(g)
        log(f"  {d['id']:<22} {change:<5} {props['date']}  {km2:>12,.0f} km2")

    add(base_d, "base", collect(lambda o, ls: o == base_d["id"]))
    for c in changes:
        if c["change"] == "gain":
            add(c, "gain", collect(lambda o, ls, i=c["id"]: o == i))
        elif c is final:
            # everything Soviet on the eve of the final loss
            lost = {x["id"] for x in split_losses}
            add(c, "loss", collect(lambda o, ls: not (ls & lost)))
        else:
            add(c, "loss", collect(lambda o, ls, i=c["id"]: i in ls))
    return feats


def write_fc(path: Path, feats, meta):
    fc = {"type": "FeatureCollection", "metadata": meta, "features": feats}
    txt = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    txt = txt.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    path.write_text(txt + "\n", encoding="utf-8")
    log(f"wrote {path}: {len(feats)} features, {path.stat().st_size / 1e3:.0f} kB")


def main(out_dir: Path | None = None):
    out_dir = Path(out_dir) if out_dir is not None else OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    spec = load_spec()
    feats = build(spec)
    meta = {
        "generator": "scripts/build_borders.py",
        "input": "geodata/borders/territorial_changes.yaml",
        "sources": [br.NE_COUNTRIES_URL, br.NE_ADMIN1_URL],
        "license": "Natural Earth: public domain. Typed facts carry their source URL. See geodata/borders/README.md.",
        "crs": "EPSG:4326 (RFC 7946, lon/lat)",
        "rule": "territory(on) = base + gains with date <= on - losses with date <= on",
    }
    write_fc(out_dir / "soviet_territory.geojson", feats, meta)
    log(f"done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Build soviet_territory.geojson.")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: geodata/borders)")
    main(parser.parse_args().out)
