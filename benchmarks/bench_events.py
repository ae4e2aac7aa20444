"""Event benchmark: recall of ``mapapp events`` on gold events, extraction speed and build time.

Gold sets: the built-in corpus (``shared/eval/sample_events.jsonl`` for texts 000 and 003 when present,
``benchmarks/gold/events_00{1,2,4}.jsonl``) and the held-out texts (``benchmarks/heldout/events.jsonl``).
Speed, measured in the same run: extraction throughput after load (median of 5 passes over the built-in
corpus, one core) beside the geoparser alone on the same texts, and ``mapapp build`` of the built-in corpus
into a fresh folder (median of 3, catalog and gazetteer already loaded; then an unchanged rebuild).

Usage: ``.venv/bin/python benchmarks/bench_events.py [--json OUT] [--show-misses]``
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from event_scoring import load_events, score_events  # noqa: E402

from mapapp.catalog import CatalogIndex, load_catalog  # noqa: E402
from mapapp.corpus import builtin_corpus, iter_documents  # noqa: E402
from mapapp.dataset import build_dataset  # noqa: E402
from mapapp.events import extract_events  # noqa: E402
from mapapp.joins import join_events  # noqa: E402
from mapapp.toponyms import geoparse  # noqa: E402

SHARED_SAMPLE = ROOT.parent / "shared" / "eval" / "sample_events.jsonl"


def predict(documents, catalog) -> list[dict]:
    known = CatalogIndex(catalog)
    extracted = [x for d in documents for x in extract_events(d, known=known)]
    join_events(extracted, catalog)
    return [x.to_record() for x in extracted]


def median_seconds(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    catalog = load_catalog()
    corpus = builtin_corpus()
    heldout = list(iter_documents([HERE / "heldout" / "texts"]))
    builtin_gold = load_events(*([SHARED_SAMPLE] if SHARED_SAMPLE.exists() else []),
                               *sorted((HERE / "gold").glob("events_*.jsonl")))
    results = {"quality": {}, "speed": {}, "catalog_records": len(catalog)}
    for name, documents, gold in (("builtin", corpus, builtin_gold),
                                  ("heldout", heldout, load_events(HERE / "heldout" / "events.jsonl"))):
        figures = score_events(gold, predict(documents, catalog))
        missed = figures.pop("missed")
        results["quality"][name] = figures
        if args.show_misses:
            for m in missed:
                print("missed", name, *m)
    size_mb = sum(len(d.text.encode("utf-8")) for d in corpus) / 1e6
    known = CatalogIndex(catalog)
    results["speed"]["geoparse_mb_per_s"] = size_mb / median_seconds(lambda: [geoparse(d) for d in corpus], 5)
    results["speed"]["geoparse_and_events_mb_per_s"] = size_mb / median_seconds(
        lambda: [extract_events(d, known=known) for d in corpus], 5)
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(100))
        results["speed"]["build_fresh_s"] = median_seconds(
            lambda: build_dataset(None, Path(tmp) / f"out{next(counter)}", catalog=catalog), 3)
        build_dataset(None, Path(tmp) / "again", catalog=catalog)
        results["speed"]["build_unchanged_s"] = median_seconds(
            lambda: build_dataset(None, Path(tmp) / "again", catalog=catalog), 3)
    for name, f in results["quality"].items():
        print(f"{name:<8} gold {f['gold']:4d}  recall {f['recall']:.3f}  (any theme {f['recall_any_theme']:.3f})  "
              f"precision proxy {f['precision_proxy']:.3f}  {f['per_theme_recall']}")
    for key, value in results["speed"].items():
        print(f"{key:<32} {value:8.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
