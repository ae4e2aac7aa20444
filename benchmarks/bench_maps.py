"""Map benchmark: map build time and page size for the built-in corpus and 20,000 synthetic events, PNG
export time, whole ``mapapp export`` processes (HTML and PNG), and a peer measured in the same run —
folium's usual way of one Python marker object per event — on the same synthetic events.

Usage: ``.venv/bin/python benchmarks/bench_maps.py [--json OUT] [--events 20000]``
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import folium  # noqa: E402
import geopandas as gpd  # noqa: E402
from shapely.geometry import LineString, Point  # noqa: E402

from mapapp.assets import make_offline  # noqa: E402
from mapapp.dataset import Dataset, default_dataset  # noqa: E402
from mapapp.export import View, export_view  # noqa: E402
from mapapp.maps import map_for  # noqa: E402
from mapapp.records import THEMES  # noqa: E402


def synthetic_dataset(n: int, seed: int = 7) -> Dataset:
    """``n`` events of every theme over 1918–1953 between random points of the former USSR."""
    rng = random.Random(seed)
    rows, geometries = [], []
    for i in range(n):
        theme = THEMES[i % len(THEMES)]
        start = rng.randint(1918, 1953)
        end = min(1953, start + rng.choice([0, 0, 1, 2]))
        o = (rng.uniform(40, 65), rng.uniform(25, 130))
        d = (rng.uniform(40, 65), rng.uniform(25, 130))
        places = ([{"name": "A", "role": "origin", "lat": o[0], "lon": o[1]},
                   {"name": "B", "role": "destination", "lat": d[0], "lon": d[1]}]
                  if theme == "deportation" else [{"name": "A", "role": "site", "lat": o[0], "lon": o[1]}])
        rows.append({
            "id": f"synthetic-{i}", "title": f"Synthetic {theme} {i}", "theme": theme, "kind": "event",
            "date_start": str(start), "date_end": str(end), "start_precision": "year", "end_precision": "year",
            "year_start": start, "year_end": end, "date": None, "people": rng.randint(100, 500_000),
            "people_what": "people", "actors": ["X"], "disputed": i % 50 == 0, "provenance": "extracted",
            "confidence": 0.7, "sources": [{"doc": "synthetic", "quote": f"Sentence {i} about {theme}."}],
            "places": places, "documents": ["synthetic"],
            "claims": [{"provenance": "extracted", "doc": "synthetic", "quote": f"Sentence {i} about {theme}.",
                        "year_start": start, "year_end": end, "places": ["A"], "people": None, "sources": []}]})
        geometries.append(LineString([o[::-1], d[::-1]]) if theme == "deportation" else Point(o[::-1]))
    events = gpd.GeoDataFrame(rows, geometry=geometries, crs="EPSG:4326")
    empty = gpd.GeoDataFrame({"mentions": []}, geometry=[], crs="EPSG:4326")
    return Dataset(events=events, places=empty, mentions=empty, manifest={"documents": {"synthetic": {}}})


def median_seconds(fn, runs: int) -> tuple[float, object]:
    result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def peer_one_object_per_event(dataset: Dataset) -> str:
    """folium's common pattern: a CircleMarker (and popup) object per event."""
    fmap = make_offline(folium.Map(location=[54, 50], zoom_start=3, tiles=None))
    for _, row in dataset.events.iterrows():
        point = row.geometry.representative_point()
        folium.CircleMarker([point.y, point.x], radius=4, popup=row["title"]).add_to(fmap)
    return fmap.get_root().render()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    results = {}
    builtin = default_dataset()
    render = lambda ds, **kw: map_for(ds, **kw).get_root().render()  # noqa: E731
    render(builtin)  # loads the basemap, borders and region polygons once, as the app does
    seconds, page = median_seconds(lambda: render(builtin), 5)
    results["builtin_map_s"], results["builtin_html_mb"] = seconds, len(page.encode()) / 1e6
    results["builtin_events"] = int(len(builtin.events))
    synthetic = synthetic_dataset(args.events)
    seconds, page = median_seconds(lambda: render(synthetic, show_places=False), 3)
    results["synthetic_events"] = args.events
    results["synthetic_map_s"], results["synthetic_html_mb"] = seconds, len(page.encode()) / 1e6
    peer_n = 2_000
    peer_data = synthetic_dataset(peer_n)
    peer_seconds, _ = median_seconds(lambda: peer_one_object_per_event(peer_data), 1)
    ours_seconds, _ = median_seconds(lambda: render(peer_data, show_places=False), 1)
    results["peer_events"] = peer_n
    results["peer_one_object_per_event_s"] = peer_seconds
    results["mapapp_same_events_s"] = ours_seconds
    results["peer_over_mapapp"] = peer_seconds / ours_seconds
    with tempfile.TemporaryDirectory() as tmp:
        times = []
        for i in range(3):
            _, took = export_view(builtin, View(years=(1937, 1945)), Path(tmp) / f"map{i}.png", width=1600, height=1000)
            times.append(took)
        results["png_export_s"] = statistics.median(times)
        # as a user runs it: a whole `mapapp export` process (start-up, imports, dataset, map, write)
        mapapp = Path(sys.executable).parent / "mapapp"
        for fmt, runs in (("html", 5), ("png", 3)):
            walls = []
            for i in range(runs):
                t0 = time.perf_counter()
                subprocess.run([str(mapapp), "export", "--years", "1941-1945", "--out", str(Path(tmp) / f"cli{i}.{fmt}")],
                               check=True, capture_output=True)
                walls.append(time.perf_counter() - t0)
            results[f"cli_export_{fmt}_s"] = statistics.median(walls)
        results["cli_export_html_mb"] = (Path(tmp) / "cli0.html").stat().st_size / 1e6
        export_view(builtin, View(), Path(tmp) / "all.html")
        results["builtin_all_years_html_mb"] = (Path(tmp) / "all.html").stat().st_size / 1e6
    for key, value in results.items():
        print(f"{key:<32} {value:10.3f}" if isinstance(value, float) else f"{key:<32} {value:10d}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
