"""A built dataset folder of synthetic events, for loading large data into the explorer.

``write_synthetic_dataset(folder)`` takes the events of ``bench_maps.synthetic_dataset`` (every theme,
1918–1953, random points of the former USSR, deportations as arrows) and writes them the way
``mapapp build`` does: ``events.geojson``, ``places.geojson`` and ``mentions.geojson`` through
``mapapp.dataset.write_geojson``, plus a ``manifest.json`` naming one unreviewed source document. Places
and mentions are empty. The folder can then be opened with ``mapapp.dataset.load_dataset`` or served
with ``MAPAPP_DATASET=<folder> streamlit run streamlit_app.py``.

Usage: ``.venv/bin/python benchmarks/synthetic.py OUT_DIR [--events 20000] [--seed 7]``
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent):  # bench_maps next to this file, mapapp in the repository root
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_maps import synthetic_dataset  # noqa: E402

from mapapp.dataset import write_geojson  # noqa: E402

SOURCE = {"title": "Synthetic events", "kind": "unreviewed", "label": "Synthetic events (unreviewed)"}


def write_synthetic_dataset(folder: str | Path, n: int = 20_000, seed: int = 7) -> Path:
    """Write ``n`` synthetic events (random but reproducible with ``seed``) as a built dataset in ``folder``.

    Returns the folder (created if missing). Existing dataset files in it are replaced.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    events = synthetic_dataset(n, seed=seed).events
    # GeoDataFrame.to_json turns numpy scalars into plain numbers and keeps list/dict properties as they are
    features = json.loads(events.to_json(drop_id=True))["features"]
    write_geojson(folder / "events.geojson", features)
    write_geojson(folder / "places.geojson", [])
    write_geojson(folder / "mentions.geojson", [])
    manifest = {"documents": {"synthetic": dict(SOURCE)},
                "counts": {"events": len(features), "places": 0, "mentions": 0,
                           "disputed": sum(bool(f["properties"].get("disputed")) for f in features)}}
    tmp = folder / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    tmp.replace(folder / "manifest.json")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = write_synthetic_dataset(args.out, n=args.events, seed=args.seed)
    print(f"{args.events} synthetic events written to {folder}")


if __name__ == "__main__":
    main()
