"""Scoring predicted place mentions against gold annotations (the rules of ``shared/eval``).

Recognition: one-to-one matching of overlapping spans (largest overlap first); predictions inside a
gold ``ignore_spans`` entry count neither way. Resolution: share of matched gold places whose
predicted point lies within the gold ``tolerance_km``.
"""
from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from pathlib import Path


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def load_gold(*paths: Path) -> dict[str, dict]:
    gold = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                gold[doc["doc"]] = doc
    return gold


def _overlap(a: dict, b: dict) -> int:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def _match(golds: list[dict], preds: list[dict]) -> dict[int, int]:
    pairs = sorted((-_overlap(g, p), gi, pi) for gi, g in enumerate(golds) for pi, p in enumerate(preds)
                   if _overlap(g, p) > 0)
    used_g, used_p, matched = set(), set(), {}
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            matched[gi] = pi
    return matched


def score(gold: dict[str, dict], predictions: list[dict]) -> dict:
    """Figures over every gold document; ``errors`` lists misses and false positives for inspection."""
    by_doc = defaultdict(list)
    for p in predictions:
        if p["doc"] in gold:
            by_doc[p["doc"]].append(p)
    n_gold = n_pred = tp = within = resolved = 0
    errors_km = []
    misses, false_positives, misplaced = [], [], []
    for doc_id, doc in gold.items():
        golds = doc["toponyms"]
        ignored = doc.get("ignore_spans") or []
        preds = by_doc.get(doc_id, [])
        matched = _match(golds, preds)
        used = set(matched.values())
        preds = [p for i, p in enumerate(preds) if i in used or not any(_overlap(g, p) > 0 for g in ignored)]
        matched = _match(golds, preds)
        used = set(matched.values())
        n_gold += len(golds)
        n_pred += len(preds)
        tp += len(matched)
        for gi, g in enumerate(golds):
            if gi not in matched:
                misses.append((doc_id, g["text"], g["start"]))
                continue
            p = preds[matched[gi]]
            if g.get("lat") is None:
                continue
            resolved += 1
            err = haversine_km(g["lat"], g["lon"], p["lat"], p["lon"])
            errors_km.append(err)
            if err <= float(g.get("tolerance_km") or 161.0):
                within += 1
            else:
                misplaced.append((doc_id, g["text"], p.get("name"), round(err)))
        false_positives += [(doc_id, p["text"], p["start"]) for i, p in enumerate(preds) if i not in used]
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "documents": len(gold), "gold": n_gold, "predicted": n_pred,
        "precision": precision, "recall": recall, "f1": f1,
        "acc_at_tolerance": within / resolved if resolved else 0.0,
        "median_error_km": statistics.median(errors_km) if errors_km else None,
        "end_to_end": within / n_gold if n_gold else 0.0,
        "errors": {"misses": misses, "false_positives": false_positives, "misplaced": misplaced},
    }
