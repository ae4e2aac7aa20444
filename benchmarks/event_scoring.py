"""Scoring extracted events against gold events (the rules of ``shared/eval/README.md``).

A gold event is found when a prediction in the same document has the same theme, an overlapping year
range and a place within the gold place's ``tolerance_km`` (default 300 km) of one of the gold places.
Recall is the headline; precision is a proxy (predictions matching a gold event on doc, theme and years).
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from toponym_scoring import haversine_km

DEFAULT_TOLERANCE_KM = 300.0


def load_events(*paths: Path) -> list[dict]:
    out = []
    for path in paths:
        out += [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def _years(g: dict, p: dict) -> bool:
    return p["year_start"] <= g["year_end"] and p["year_end"] >= g["year_start"]


def _near(g: dict, p: dict) -> bool:
    if not g.get("places"):
        return True
    return any(haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]) <= float(a.get("tolerance_km") or DEFAULT_TOLERANCE_KM)
               for a in g["places"] for b in p.get("places") or [])


def score_events(gold: list[dict], predictions: list[dict]) -> dict:
    docs = {g["doc"] for g in gold}
    by_doc = defaultdict(list)
    for p in predictions:
        if p["doc"] in docs:
            by_doc[p["doc"]].append(p)
    found = found_any_theme = 0
    per_theme = defaultdict(lambda: [0, 0])
    missed = []
    for g in gold:
        preds = by_doc[g["doc"]]
        hit = any(p["theme"] == g["theme"] and _years(g, p) and _near(g, p) for p in preds)
        found += hit
        found_any_theme += any(_years(g, p) and _near(g, p) for p in preds)
        per_theme[g["theme"]][0] += hit
        per_theme[g["theme"]][1] += 1
        if not hit:
            missed.append((g["doc"], g["theme"], g["year_start"], g["evidence"][:80]))
    predicted = [p for ps in by_doc.values() for p in ps]
    precise = sum(any(p["theme"] == g["theme"] and _years(g, p) for g in gold if g["doc"] == p["doc"]) for p in predicted)
    return {"gold": len(gold), "predicted": len(predicted), "recall": found / len(gold) if gold else 0.0,
            "recall_any_theme": found_any_theme / len(gold) if gold else 0.0,
            "precision_proxy": precise / len(predicted) if predicted else 0.0,
            "per_theme_recall": {t: round(a / b, 3) for t, (a, b) in sorted(per_theme.items())}, "missed": missed}
