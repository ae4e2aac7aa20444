"""Explorer benchmark: server time of the Streamlit script (``streamlit.testing.v1.AppTest``) for the first
page load with warm caches, and for a move of the year slider (median of 10 moves), on the built-in corpus.

Usage: ``.venv/bin/python benchmarks/bench_app.py [--json OUT]``
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from streamlit.testing.v1 import AppTest

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    app = str(ROOT / "streamlit_app.py")
    AppTest.from_file(app, default_timeout=120).run()            # warms the on-disk caches
    loads = []
    for _ in range(3):
        import streamlit as st

        st.cache_resource.clear()
        at = AppTest.from_file(app, default_timeout=120)
        t0 = time.perf_counter()
        at.run()
        loads.append(time.perf_counter() - t0)
    moves = []
    for start in [1938, 1939, 1940, 1941, 1942, 1943, 1942, 1941, 1940, 1939]:
        t0 = time.perf_counter()
        at.slider(key="years").set_value((start, 1945)).run()
        moves.append(time.perf_counter() - t0)
    results = {"first_load_warm_s": statistics.median(loads), "slider_move_median_s": statistics.median(moves),
               "slider_move_max_s": max(moves)}
    for key, value in results.items():
        print(f"{key:<24} {value:8.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
