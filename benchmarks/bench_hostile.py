"""Pathological inputs against a normal text of the same size: does any step stop being linear?

Each input is read, geoparsed and its events extracted (``load_document`` → ``geoparse`` →
``extract_events``), the work ``mapapp events`` and ``mapapp build`` do per document, timed after the
gazetteer and catalog are loaded (median of 3):

- ``normal``: 5 MB of the built-in texts, repeated (paragraphs, sentences of every length);
- ``one_line``: the same 5 MB with every line break removed (one paragraph of 30,000 sentences);
- ``short_lines``: 200,000 short lines ("In 1941 troops entered Kyiv 17.");
- ``no_sentences``: 5 MB with no sentence end at all (one "sentence", thousands of dates and numbers);
- ``nested_html``: 200,000 nested ``<div>`` s around a paragraph (2.2 MB, under the upload limit).

Target (issue "Reliability and scale"): each ≤ 10× the time of ``normal`` (per byte for the smaller ones).

Usage: ``.venv/bin/python benchmarks/bench_hostile.py [--mb 5] [--json OUT]``
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
sys.path.insert(0, str(ROOT))

from mapapp.catalog import CatalogIndex, load_catalog  # noqa: E402
from mapapp.config import CORPUS_DIR  # noqa: E402
from mapapp.corpus import load_document  # noqa: E402
from mapapp.events import extract_events  # noqa: E402
from mapapp.gazetteer import default_gazetteer  # noqa: E402
from mapapp.toponyms import geoparse  # noqa: E402


def inputs(mb: float) -> dict[str, tuple[str, str]]:
    size = int(mb * 1_000_000)
    corpus = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt")))
    normal = (corpus * (size // len(corpus) + 1))[:size]
    lines = "\n".join(f"In {1900 + i % 90} troops entered {'Kyiv' if i % 2 else 'Minsk'} {i}." for i in range(200_000))
    no_ends = normal.replace(".", ",").replace("!", ",").replace("?", ",").replace("\n", " ")
    nested = ("<html><body>" + "<div>" * 200_000 + "<p>In 1941 the siege of Leningrad began.</p>"
              + "</div>" * 200_000 + "</body></html>")
    return {"normal": (normal, ".txt"), "one_line": (normal.replace("\n", " "), ".txt"),
            "short_lines": (lines, ".txt"), "no_sentences": (no_ends, ".txt"), "nested_html": (nested, ".html")}


def run_once(path: Path, gazetteer, known) -> float:
    t0 = time.perf_counter()
    document = load_document(path)
    mentions = geoparse(document, gazetteer=gazetteer)
    extract_events(document, gazetteer=gazetteer, known=known, mentions=mentions)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    gazetteer, known = default_gazetteer(), CatalogIndex(load_catalog())
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (text, suffix) in inputs(args.mb).items():
            path = Path(tmp) / f"{name}{suffix}"
            path.write_text(text, encoding="utf-8")
            times = [run_once(path, gazetteer, known) for _ in range(args.repeat)]
            results[name] = {"bytes": path.stat().st_size, "seconds": round(statistics.median(times), 3)}
            print(f"{name:<13} {results[name]['bytes'] / 1e6:6.2f} MB  {results[name]['seconds']:7.2f} s", flush=True)
    base = results["normal"]["seconds"] / results["normal"]["bytes"]
    for name, r in results.items():
        # against the normal text's time for the same number of bytes
        r["ratio_to_normal"] = round(r["seconds"] / (base * r["bytes"]), 2)
        print(f"{name:<13} ratio to a normal text of its size: {r['ratio_to_normal']:5.2f}× (target ≤ 10×)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
