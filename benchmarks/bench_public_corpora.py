"""Geoparser benchmark on public human-annotated corpora: LGL, GeoWebNews and WOTR, mapapp beside two peers.

Scores mapapp's in-process geoparser (``mapapp.toponyms.geoparse``, the path ``mapapp geoparse`` uses) the way
``bench_geoparser.py`` scores our own gold: each corpus is converted to the gold JSONL of ``shared/eval``
(``public_corpora.py`` says how, corpus by corpus) and scored with ``toponym_scoring.load_gold/score``:
recognition precision / recall / F1 with overlapping spans, resolution (share of recognised gold places whose
predicted point is within the gold tolerance, and within a flat 161 km) and end-to-end (gold places both found
and put within tolerance, over gold places with coordinates). When ``../shared/eval/score_toponyms.py`` is
present its exact-span figures and AUC are added as a cross-check.

Peers, measured in the same run on the same text and scored the same way (``peers.py`` says how they work):
``geotext`` and ``spaCy+GeoNames`` (spaCy 3.8 ``en_core_web_sm`` GPE/LOC/FAC entities, each placed at the most
populous GeoNames place of its name). spaCy comes with the ``bench`` extra (``pip install -e '.[test,bench]'``,
which ``make bench`` runs); a peer that is not installed is reported as "not installed" and the run goes on.
Per corpus and system: P/R/F1 (overlap), acc@tol, e2e and MB/s (characters geoparsed per second, after loading).

Corpora (never committed, never shipped; fetch them yourself, see ``public_corpora.py`` for the file names):

- LGL, Lieberman, Samet & Sankaranarayanan, "Geotagging with local lexicons to build indexes for
  textually-specified spatial data", ICDE 2010: 588 US local-news articles, 5,088 toponyms; the whole corpus (no
  standard split). Copy used: ``data/Corpora/lgl.xml`` of
  https://github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation . Licence: the corpus has none of its
  own (released by its authors for research); that repository is GPL-3.0.
- GeoWebNews, Gritta, Pilehvar & Collier, "A Pragmatic Guide to Geoparsing Evaluation", Language Resources and
  Evaluation 2019: 200 web news articles with a fine-grained toponym taxonomy; the whole corpus (the paper
  cross-validates). ``data/GWN.xml`` of the same repository. Licence: GPL-3.0.
- WOTR, DeLozier, Wing, Baldridge & Nesbit, "Creating a Novel Geolocation Corpus from Historical Texts", LAW X
  2016: the published test split ``Toponym/json/wotr-topo-test.json`` (322 spans of the Official Records of the
  American Civil War, 2,214 places) of https://github.com/utcompling/WarOfTheRebellion . Licence: MIT (c) 2016
  University of Texas at Austin; the source text is a US-government work.
- WOTR train split (``wotr-train``): ``Toponym/json/wotr-topo-train.json`` of the same repository, or, when that
  JSON is absent, the same split rebuilt from its ``Toponym/trconll-classicxml/train/`` files. It is the TUNING
  split: rules may be tuned on it and on nothing else of WOTR; it is listed apart, after the test figures, and
  is not a result.

No sampling: every corpus runs whole, with both peers, in about two minutes (timings are in the output).

Error analysis: misses and false positives grouped by surface form and by a heuristic category (state
abbreviation "Ky.", all-caps abbreviation "US", ALL-CAPS heading name, county/parish, street/building, fort,
river/water, island/coast, terrain/crossing, compass-qualified region, demonym/adjective, other); recall by
gold type (GeoNames feature code for LGL, taxonomy type for GeoWebNews, geometry for WOTR); for GeoWebNews how
many ignored (Metonymic, modifier, demonym, language) and non-place (organisation, homonym...) spans were
predicted.

Usage: ``.venv/bin/python benchmarks/bench_public_corpora.py [--data DIR] [--json OUT] [--show-errors N]
[--corpus NAME ...] [--no-peers]``
(without the data it prints where to get each corpus and exits 0, "skipped").
"""
from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import peers  # noqa: E402
import public_corpora as pc  # noqa: E402
from toponym_scoring import load_gold, score  # noqa: E402

SHARED_SCORER = ROOT.parent / "shared" / "eval" / "score_toponyms.py"

# --- error categories -----------------------------------------------------------------------------------

STATE_ABBREVIATIONS = {
    "ala", "al", "ark", "ar", "ariz", "az", "cal", "calif", "ca", "colo", "col", "co", "conn", "ct", "del", "de",
    "dc", "fla", "fl", "ga", "ill", "il", "ind", "in", "iowa", "ia", "kans", "kan", "ks", "ky", "la", "md", "mass",
    "ma", "mich", "mi", "minn", "mn", "miss", "ms", "mo", "mont", "mt", "nebr", "neb", "ne", "nev", "nv", "nh",
    "nj", "nmex", "nm", "ny", "nc", "ndak", "nd", "ohio", "oh", "okla", "ok", "oreg", "ore", "or", "pa", "penn",
    "ri", "sc", "sdak", "sd", "tenn", "tn", "tex", "tx", "utah", "ut", "vt", "va", "wash", "wa", "wva", "wis",
    "wisc", "wi", "wyo", "wy", "ter", "terr", "washter", "indt", "indter", "nmexter", "dakter", "ariz ter",
}
_CATEGORY_PATTERNS = [
    ("county/parish/district", re.compile(r"\b(county|parish|co\.|township|borough|district|precinct)\b", re.I)),
    ("street/building/facility", re.compile(
        r"\b(street|st\.|road|rd\.|avenue|ave\.|boulevard|blvd\.?|highway|hwy|lane|drive|park|church|school|"
        r"college|university|hospital|center|centre|airport|bridge|hall|library|court|square|plaza|mall|stadium|"
        r"building|house|palace|museum|prison|jail|arena|hotel|market)\b", re.I)),
    ("fort", re.compile(r"\b(fort|ft\.|forts|camp|barracks|arsenal)\b", re.I)),
    ("river/water", re.compile(r"\b(river|creek|run|bayou|lake|bay|sound|harbor|harbour|canal|branch|fork|"
                               r"gulf|ocean|sea|inlet|strait|springs?)\b", re.I)),
    ("island/coast", re.compile(r"\b(island|islands|isle|key|cape|point|beach|coast|peninsula)\b", re.I)),
    ("terrain/crossing", re.compile(r"\b(mount|mt\.|mountain|mountains|hill|hills|valley|ford|ferry|gap|pass|"
                                    r"ridge|landing|station|junction|cross-roads|crossroads|bluff|bluffs|plains?|"
                                    r"desert|woods|forest)\b", re.I)),
    ("compass-qualified region", re.compile(
        r"^(north|south|east|west|northern|southern|eastern|western|central|upper|lower|middle|"
        r"north(east|west)|south(east|west)|north(east|west)ern|south(east|west)ern)\b", re.I)),
]
_DEMONYM = re.compile(r"^[A-Z][a-z]+(ans|ians|ese|ish|ean|eans|ian|i|ic|er|ers)$")
_DEMONYM_WORDS = {"american", "russian", "african", "european", "mexican", "canadian", "texan", "cuban",
                  "korean", "asian", "iraqi", "israeli", "pakistani", "afghan", "arab", "arabs", "dutch", "french",
                  "greek", "thai", "swiss", "welsh", "scots", "irish", "british", "english", "chinese"}


def category(surface: str, gold_type: str | None = None) -> str:
    s = " ".join(surface.split())
    if gold_type:
        t = gold_type.split("/")[0]
        if t in ("Demonym", "Language") or gold_type.endswith("/Adjective"):
            return "demonym/adjective"
    norm = re.sub(r"[\s.]", "", s).lower()
    if s.endswith(".") and norm in STATE_ABBREVIATIONS or (len(norm) <= 4 and "." in s and norm in STATE_ABBREVIATIONS):
        return "state abbreviation"
    if re.fullmatch(r"(?:[A-Z]\.?\s?){1,5}", s):
        return "all-caps abbreviation"
    for name, pattern in _CATEGORY_PATTERNS:
        if pattern.search(s):
            return name
    letters = re.sub(r"[^A-Za-z]", "", s)
    if len(letters) > 4 and s.upper() == s:
        return "ALL-CAPS name"
    if s.lower() in _DEMONYM_WORDS or (" " not in s and _DEMONYM.match(s) and len(s) > 5):
        return "demonym/adjective (heuristic)"
    if s.endswith("."):
        return "other abbreviation"
    return "other, multi-word" if " " in s else "other, one word"


# --- scoring --------------------------------------------------------------------------------------------

def predict(gold: dict[str, dict], demonyms: bool = False) -> tuple[list[dict], float]:
    from mapapp.models import Document
    from mapapp.toponyms import geoparse

    geoparse(Document(id="warm", title="warm", text="Richmond, Va.", source="warm"))  # loads the gazetteer
    t0 = time.perf_counter()
    preds = []
    for doc_id, d in gold.items():
        document = Document(id=doc_id, title=doc_id, text=d["text"], source=doc_id)
        preds += [m.to_record() for m in geoparse(document, demonyms=demonyms)]
    return preds, time.perf_counter() - t0


def _overlaps(a: dict, b: dict) -> bool:
    return min(a["end"], b["end"]) > max(a["start"], b["start"])


def _shared_scorer():
    if not SHARED_SCORER.exists():
        return None
    spec = importlib.util.spec_from_file_location("shared_score_toponyms", SHARED_SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def predict_peer(peer, gold: dict[str, dict]) -> tuple[list[dict], float]:
    t0 = time.perf_counter()
    preds = [{**r, "doc": doc_id} for doc_id, d in gold.items() for r in peer(d["text"])]
    return preds, time.perf_counter() - t0


def summary(gold: dict[str, dict], flat: dict[str, dict], preds: list[dict], seconds: float) -> dict:
    """The comparison row: recognition, resolution, end-to-end and speed of one system on one corpus."""
    f = score(gold, preds)
    f161 = score(flat, preds)
    with_coords = sum(1 for d in gold.values() for t in d["toponyms"] if t.get("lat") is not None)
    chars = sum(len(d["text"]) for d in gold.values())
    return {
        "predicted": f["predicted"], "precision": f["precision"], "recall": f["recall"], "f1": f["f1"],
        "acc_at_tolerance": f["acc_at_tolerance"], "acc_at_161km": f161["acc_at_tolerance"],
        "median_error_km": f["median_error_km"],
        "end_to_end": round(f["end_to_end"] * f["gold"]) / with_coords if with_coords else None,
        "end_to_end_161km": round(f161["end_to_end"] * f161["gold"]) / with_coords if with_coords else None,
        "geoparse_seconds": seconds, "mb_per_s": chars / 1e6 / seconds if seconds else None,
    }


def evaluate(name: str, gold_path: Path, top: int, peer_fns: dict | None = None, peer_status: dict | None = None,
             source: Path | None = None) -> dict:
    """Score mapapp (and each peer given) on one converted corpus; ``source``: the corpus file it came from."""
    gold = load_gold(gold_path)
    preds, seconds = predict(gold)
    figures = score(gold, preds)
    errors = figures.pop("errors")
    flat = copy.deepcopy(gold)
    for d in flat.values():
        for t in d["toponyms"]:
            t["tolerance_km"] = pc.POINT_TOLERANCE_KM
    at161 = score(flat, preds)
    at161.pop("errors")

    # as the corpus annotates it: the spans moved to ignore_spans (demonyms, metonymy, modifiers) count as gold
    annotated = copy.deepcopy(gold)
    moved = 0
    for d in annotated.values():
        back = [s for s in d.get("ignore_spans") or [] if "lat" in s]
        moved += len(back)
        d["toponyms"] = sorted(d["toponyms"] + back, key=lambda t: t["start"])
        d["ignore_spans"] = [s for s in d.get("ignore_spans") or [] if "lat" not in s]
    as_annotated = score(annotated, preds) if moved else None
    # and with demonyms on (``geoparse(..., demonyms=True)``), as news-style corpora count them
    with_demonyms = score(annotated, predict(gold, demonyms=True)[0]) if moved else None

    golds = [t for d in gold.values() for t in d["toponyms"]]
    with_coords = sum(1 for t in golds if t.get("lat") is not None)
    within = round(figures["end_to_end"] * figures["gold"])
    within161 = round(at161["end_to_end"] * at161["gold"])
    chars = sum(len(d["text"]) for d in gold.values())
    out = {
        "corpus": name, "title": pc.CORPORA[name]["title"], "split": pc.CORPORA[name]["split"],
        "role": "tuning split" if pc.CORPORA[name].get("tuning") else "evaluation",
        "licence": pc.CORPORA[name]["licence"], "source": pc.CORPORA[name]["url"],
        "source_file": f"{source.parent.name}/{source.name}" if source else None,
        "documents": figures["documents"], "characters": chars, "gold": figures["gold"],
        "gold_with_coords": with_coords, "ignore_spans": sum(len(d.get("ignore_spans") or []) for d in gold.values()),
        "predicted": figures["predicted"],
        "precision": figures["precision"], "recall": figures["recall"], "f1": figures["f1"],
        "acc_at_tolerance": figures["acc_at_tolerance"], "acc_at_161km": at161["acc_at_tolerance"],
        "median_error_km": figures["median_error_km"],
        "end_to_end": within / with_coords if with_coords else None,
        "end_to_end_161km": within161 / with_coords if with_coords else None,
        "end_to_end_over_all_gold": figures["end_to_end"],
        "as_annotated": None if as_annotated is None else {
            "gold": as_annotated["gold"], "predicted": as_annotated["predicted"],
            "precision": as_annotated["precision"], "recall": as_annotated["recall"], "f1": as_annotated["f1"],
            "acc_at_tolerance": as_annotated["acc_at_tolerance"]},
        "as_annotated_with_demonyms": None if with_demonyms is None else {
            "precision": with_demonyms["precision"], "recall": with_demonyms["recall"], "f1": with_demonyms["f1"],
            "acc_at_tolerance": with_demonyms["acc_at_tolerance"], "end_to_end": with_demonyms["end_to_end"]},
        "geoparse_seconds": seconds, "mb_per_s": chars / 1e6 / seconds if seconds else None,
    }
    if source is not None and source.is_dir():
        out["split"] = out["split"].replace("(wotr-topo-train.json)", "(rebuilt from its trconll XML files, "
                                            "see public_corpora.py)")

    # the same figures for mapapp and its peers, measured in this run on the same text
    systems = {"mapapp": summary(gold, flat, preds, seconds)}
    for peer_name, peer in (peer_fns or {}).items():
        if peer is None:
            systems[peer_name] = {"status": (peer_status or {}).get(peer_name, "not installed")}
            continue
        peer.unresolved = 0
        peer_preds, peer_seconds = predict_peer(peer, gold)
        systems[peer_name] = {**summary(gold, flat, peer_preds, peer_seconds), "unresolved": peer.unresolved}
    out["systems"] = systems

    shared = _shared_scorer()
    if shared is not None:
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
            for p in preds:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        s = shared(str(gold_path), f.name)
        Path(f.name).unlink()
        out["shared_scorer"] = {k: s[k] for k in (
            "exact_precision", "exact_recall", "exact_f1", "overlap_precision", "overlap_recall", "overlap_f1",
            "acc_at_tolerance", "acc_at_161km", "end_to_end", "end_to_end_161km", "auc_log_error", "mean_error_km")}

    # --- error analysis ---
    gold_type = {(doc, t["start"]): t.get("type") for doc, d in gold.items() for t in d["toponyms"]}
    misses = Counter(m[1] for m in errors["misses"])
    miss_cats = Counter(category(m[1], gold_type.get((m[0], m[2]))) for m in errors["misses"])
    fps = Counter(p[1] for p in errors["false_positives"])
    fp_cats = Counter(category(p[1]) for p in errors["false_positives"])
    misplaced = Counter(f"{m[1]} -> {m[2]}" for m in errors["misplaced"])

    # recall by gold type; what the false positives fall on (GeoWebNews non-place types, WOTR persons/orgs)
    by_doc = {}
    for p in preds:
        by_doc.setdefault(p["doc"], []).append(p)
    missed_keys = {(m[0], m[2]) for m in errors["misses"]}
    type_total, type_found = Counter(), Counter()
    for doc, d in gold.items():
        for t in d["toponyms"]:
            key = _type_key(name, t.get("type"))
            type_total[key] += 1
            type_found[key] += (doc, t["start"]) not in missed_keys
    recall_by_type = {k: {"gold": n, "recall": type_found[k] / n} for k, n in type_total.most_common()}

    fp_on = Counter()
    for doc, text, start in errors["false_positives"]:
        p = next(p for p in by_doc[doc] if p["start"] == start and p["text"] == text)
        hit = next((o for o in gold[doc].get("other_spans") or [] if _overlaps(o, p)), None)
        fp_on[hit["type"] if hit else "(unannotated)"] += 1
    ignored_hit, ignored_total = Counter(), Counter()
    for doc, d in gold.items():
        for s in d.get("ignore_spans") or []:
            ignored_total[s["type"]] += 1
            ignored_hit[s["type"]] += any(_overlaps(s, p) for p in by_doc.get(doc, []))

    out["errors"] = {
        "misses": len(errors["misses"]), "false_positives": len(errors["false_positives"]),
        "misplaced": len(errors["misplaced"]),
        "miss_categories": dict(miss_cats.most_common()),
        "false_positive_categories": dict(fp_cats.most_common()),
        "false_positives_fall_on": dict(fp_on.most_common()),
        "recall_by_gold_type": recall_by_type,
        "ignored_spans_predicted": {k: {"spans": n, "predicted": ignored_hit[k]}
                                    for k, n in ignored_total.most_common()},
        "top_missed": misses.most_common(top),
        "top_false_positives": fps.most_common(top),
        "top_misplaced": misplaced.most_common(top),
    }
    return out


def _type_key(corpus: str, t: str | None) -> str:
    if corpus == "lgl":
        if not t:
            return "(no GeoNames point)"
        code = t.split(".", 1)[1]
        return {"PPL": "P.PPL*", "PPLA": "P.PPL*", "PPLC": "P.PPL*", "PPLX": "P.PPL*", "PPLA2": "P.PPL*",
                "PPLA3": "P.PPL*", "PPLL": "P.PPL*"}.get(code, t if code in ("PCLI", "ADM1", "ADM2") else
                                                        t.split(".")[0] + ".other")
    return t or "(none)"


# --- output ---------------------------------------------------------------------------------------------

def _pct(x) -> str:
    return "   n/a" if x is None else f"{100 * x:5.1f}%"


TUNING_NOTE = "--- tuning split: rules may be tuned on it, so these figures are not results ---"


def _ordered(results: dict) -> list[tuple[str, dict]]:
    """Evaluation corpora first, then the tuning split(s), which are printed apart."""
    return sorted(results.items(), key=lambda kv: kv[1].get("role") == "tuning split")


def _table_rows(results: dict):
    """:func:`_ordered`, with :data:`TUNING_NOTE` printed once before the first tuning split's row."""
    tuning_shown = False
    for name, r in _ordered(results):
        if r.get("role") == "tuning split" and not tuning_shown:
            print(TUNING_NOTE)
            tuning_shown = True
        yield name, r


def print_report(results: dict, show: int) -> None:
    print(f"mapapp\n{'corpus':<11} {'docs':>5} {'gold':>6} {'pred':>6} {'P':>7} {'R':>7} {'F1':>7} {'acc@tol':>8} "
          f"{'acc@161':>8} {'e2e':>7} {'e2e@161':>8} {'s':>6}")
    for name, r in _table_rows(results):
        print(f"{name:<11} {r['documents']:>5} {r['gold']:>6} {r['predicted']:>6} {_pct(r['precision']):>7} "
              f"{_pct(r['recall']):>7} {_pct(r['f1']):>7} {_pct(r['acc_at_tolerance']):>8} "
              f"{_pct(r['acc_at_161km']):>8} {_pct(r['end_to_end']):>7} {_pct(r['end_to_end_161km']):>8} "
              f"{r['geoparse_seconds']:6.1f}")
    print("P/R/F1: overlapping spans, one-to-one; acc: recognised gold places with coordinates placed within "
          "tolerance / 161 km; e2e: found and placed within tolerance / gold places with coordinates.")

    print(f"\nmapapp and peers, same run, same text\n{'corpus':<11} {'system':<15} {'pred':>6} {'P':>7} {'R':>7} "
          f"{'F1':>7} {'acc@tol':>8} {'acc@161':>8} {'e2e':>7} {'MB/s':>7}")
    for name, r in _table_rows(results):
        for i, (system, f) in enumerate(r.get("systems", {}).items()):
            label = name if i == 0 else ""
            if "status" in f:
                print(f"{label:<11} {system:<15} {f['status']}")
                continue
            print(f"{label:<11} {system:<15} {f['predicted']:>6} {_pct(f['precision']):>7} {_pct(f['recall']):>7} "
                  f"{_pct(f['f1']):>7} {_pct(f['acc_at_tolerance']):>8} {_pct(f['acc_at_161km']):>8} "
                  f"{_pct(f['end_to_end']):>7} {f['mb_per_s']:7.3f}")
    print("MB/s: million characters geoparsed per second, one process, after loading (model, gazetteer).")

    for name, r in _ordered(results):
        e = r["errors"]
        tuning = " [TUNING SPLIT, not a result]" if r.get("role") == "tuning split" else ""
        print(f"\n=== {name}{tuning}: {r['title']} — {r['split']}; {r['gold_with_coords']} of {r['gold']} gold "
              f"places have coordinates; {r['ignore_spans']} ignore-spans")
        if "shared_scorer" in r:
            s = r["shared_scorer"]
            auc = "n/a" if s["auc_log_error"] is None else f"{s['auc_log_error']:.3f}"
            print(f"shared scorer: exact P/R/F1 {_pct(s['exact_precision'])} {_pct(s['exact_recall'])} "
                  f"{_pct(s['exact_f1'])}; overlap F1 {_pct(s['overlap_f1'])}; e2e {_pct(s['end_to_end'])}; "
                  f"AUC (log error, lower is better) {auc}")
        if r.get("as_annotated"):
            a = r["as_annotated"]
            print(f"as annotated (the {r['ignore_spans']} ignore-spans counted as gold, {a['gold']} gold): "
                  f"P {_pct(a['precision'])} R {_pct(a['recall'])} F1 {_pct(a['f1'])} "
                  f"acc@tol {_pct(a['acc_at_tolerance'])}")
        if r.get("as_annotated_with_demonyms"):
            a = r["as_annotated_with_demonyms"]
            print(f"as annotated, geoparse(demonyms=True): P {_pct(a['precision'])} R {_pct(a['recall'])} "
                  f"F1 {_pct(a['f1'])} acc@tol {_pct(a['acc_at_tolerance'])} e2e {_pct(a['end_to_end'])}")
        print(f"misses {e['misses']}, false positives {e['false_positives']}, misplaced {e['misplaced']}")
        print("recall by gold type: " + ", ".join(f"{k} {v['recall']:.2f} (n={v['gold']})"
                                                  for k, v in e["recall_by_gold_type"].items()))
        print("misses by category: " + ", ".join(f"{k} {v}" for k, v in e["miss_categories"].items()))
        print("false positives by category: "
              + ", ".join(f"{k} {v}" for k, v in e["false_positive_categories"].items()))
        print("false positives fall on: " + ", ".join(f"{k} {v}" for k, v in e["false_positives_fall_on"].items()))
        if e["ignored_spans_predicted"]:
            print("ignore-spans predicted (neither right nor wrong): " + ", ".join(
                f"{k} {v['predicted']}/{v['spans']}" for k, v in e["ignored_spans_predicted"].items()))
        if show:
            print("top missed: " + ", ".join(f"{s!r} {n}" for s, n in e["top_missed"][:show]))
            print("top false positives: " + ", ".join(f"{s!r} {n}" for s, n in e["top_false_positives"][:show]))
            print("top misplaced: " + ", ".join(f"{s!r} {n}" for s, n in e["top_misplaced"][:show]))


def _revision() -> dict:
    """The commit measured, and whether mapapp/ or geodata/ had uncommitted changes then."""
    import subprocess

    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    return {"commit": git("rev-parse", "--short", "HEAD") or None,
            "uncommitted_changes": bool(git("status", "--porcelain", "--", "mapapp", "geodata"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=pc.DEFAULT_DATA, help="folder holding the corpora")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--show-errors", type=int, default=20, metavar="N",
                        help="print the N most frequent misses / false positives / misplacements (0: none)")
    parser.add_argument("--corpus", action="append", choices=sorted(pc.CORPORA), help="only these corpora")
    parser.add_argument("--no-peers", action="store_true", help="mapapp only (no geotext / spaCy figures)")
    args = parser.parse_args()

    wanted = args.corpus or list(pc.CORPORA)
    present = pc.available(args.data)
    missing = [n for n in wanted if n not in present]
    if missing:
        print(pc.missing_message(args.data, missing))
    todo = [n for n in wanted if n in present]
    if not todo:
        print("skipped: no public corpus available")
        return 0
    tol = pc.Tolerances()
    peer_fns, peer_status = ({}, {}) if args.no_peers else peers.load_peers()
    for peer_name, status in peer_status.items():
        if status != "ok":
            print(f"peer {peer_name}: {status}")
    results = {}
    for name in todo:
        gold_path = pc.convert(name, args.data, tol)
        results[name] = evaluate(name, gold_path, max(args.show_errors, 30), peer_fns, peer_status,
                                 pc.source_path(name, args.data))
    print_report(results, args.show_errors)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        peer_info = {"status": peer_status, "versions": peers.versions(), "notes": {
            "geotext": "geotext names (cities >= 15,000, countries), every whole-word occurrence, most populous "
                       "GeoNames place of the name",
            "spaCy+GeoNames": f"spaCy {peers.SPACY_MODEL} entities {'/'.join(peers.SPACY_LABELS)}, most "
                              "populous GeoNames place of the name; unresolved entities not output",
        }} if peer_status else None
        args.json.write_text(json.dumps({"mapapp": _revision(), "peers": peer_info, "corpora": results,
                                         "skipped": missing}, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
