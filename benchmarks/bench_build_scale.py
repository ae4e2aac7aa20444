"""``mapapp build`` at scale: a synthetic corpus built serially and on a local Dask cluster.

The corpus is made of documents of 50–150 KB, each a seeded random run of paragraphs, ``--mb`` megabytes in
all (default 20; the issue's target is 200): by default the paragraphs of the public corpora fetched by
``bench_public_corpora.py`` (Civil War reports, news: about 25 MB) and of the built-in texts; with
``--texts builtin`` those of the built-in texts alone (a stress case: each sentence in a hundred documents). Each build runs
in a fresh process into a fresh folder (no cache), with 1 and then 2 workers (``--workers 1,2``), and reports:

- MB/s for the whole build (reading the texts, cluster start, per-document work, catalog join, passage
  comparison, writing GeoParquet and GeoJSON), and the time of the serial steps after the per-document work;
- the speed-up of each worker count over 1 worker (target: ≥ 1.8× with 2 workers on 2 cores);
- peak RSS: of the serial build's process, and of each Dask worker process and the client;
- whether every output is the same as the serial build's (GeoJSON and manifest bytes).

It then profiles the serial per-document path (``process_document``: geoparse, corrections, event
extraction) with cProfile on ``--profile-mb`` megabytes (default 5) and prints the top 15 functions and the
time per module (target: ≥ 1 MB/s single-core for the whole build).

Usage: ``.venv/bin/python benchmarks/bench_build_scale.py [--mb 20] [--workers 1,2] [--profile-mb 5]
[--json benchmarks/results/build_scale.json]``
"""
from __future__ import annotations

import argparse
import cProfile
import filecmp
import json
import os
import platform
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

COMPARED = ("places.geojson", "mentions.geojson", "events.geojson", "manifest.json")


PUBLIC_TEXTS = HERE / "public_data"    # the public corpora's texts, when bench_public_corpora.py has fetched them


def source_paragraphs(texts: str) -> list[str]:
    """The paragraphs documents are made of: the built-in texts' (``builtin``), or those and every text of
    the public corpora (``public``: Civil War reports and news, about 25 MB, far less repetitive)."""
    from mapapp.config import CORPUS_DIR

    bodies = [f.read_text(encoding="utf-8") for f in sorted(CORPUS_DIR.glob("*.txt"))]
    if texts == "public":
        gold = sorted(PUBLIC_TEXTS.glob("*/*.gold.jsonl"))
        if not gold:
            raise SystemExit(f"no public corpora under {PUBLIC_TEXTS}: run benchmarks/bench_public_corpora.py "
                             "first, or use --texts builtin")
        bodies += [json.loads(line)["text"] for path in gold for line in path.open(encoding="utf-8") if line.strip()]
    return [p for body in bodies for p in body.split("\n\n") if p.strip()]


def make_corpus(folder: Path, mb: float, seed: int = 0, texts: str = "builtin") -> tuple[int, int]:
    """Write documents of 50–150 KB, runs of paragraphs (:func:`source_paragraphs`); returns (documents, bytes)."""
    paragraphs = source_paragraphs(texts)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = count = 0
    while total < mb * 1_000_000:
        size, parts, n = rng.randint(50_000, 150_000), [], 0
        start = rng.randrange(len(paragraphs))
        while n < size:        # a run of consecutive paragraphs, then a jump: texts that read like texts
            if rng.random() < 0.1:
                start = rng.randrange(len(paragraphs))
            p = paragraphs[start % len(paragraphs)]
            start += 1
            parts.append(p)
            n += len(p) + 2
        data = "\n\n".join(parts).encode("utf-8")
        (folder / f"doc{count:05d}.txt").write_bytes(data)
        total += len(data)
        count += 1
    return count, total


def child(workers: int, corpus: Path, out: Path) -> None:
    """One build in this (fresh) process; prints its figures as JSON."""
    from mapapp.dataset import build_dataset
    from mapapp.distributed import peak_rss

    t = time.perf_counter()
    report = build_dataset([corpus], out, workers=workers)
    wall = time.perf_counter() - t
    print(json.dumps({"seconds": report.seconds, "wall": wall, "documents": report.documents,
                      "reprocessed": len(report.reprocessed), "failed": report.failed, "mentions": report.mentions,
                      "events": report.events, "places": report.places, "client_peak_rss": peak_rss(),
                      "worker_peak_rss": report.worker_peak_rss,
                      "phases": {k: round(v, 2) for k, v in report.phases.items()},
                      "cpu": {k: round(v, 2) for k, v in report.cpu.items()},
                      "worker_cpu": {k: round(v, 2) for k, v in report.worker_cpu.items()}}))


def run_build(workers: int, corpus: Path, out: Path) -> dict:
    t = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", str(workers), str(corpus), str(out)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"build with {workers} workers failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_wall"] = time.perf_counter() - t
    return figures


def profile_per_document(corpus: Path, mb: float, top: int = 15) -> dict:
    """cProfile of the serial per-document path on the first ``mb`` megabytes of the corpus."""
    from mapapp.catalog import CatalogIndex, load_catalog
    from mapapp.corpus import iter_documents
    from mapapp.dataset import process_document
    from mapapp.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    known = CatalogIndex(load_catalog(gazetteer=gazetteer))
    documents, size = [], 0
    for document in iter_documents([corpus]):
        if size >= mb * 1_000_000:
            break
        documents.append(document)
        size += len(document.text.encode("utf-8"))
    t = time.perf_counter()
    for document in documents:
        process_document(document, gazetteer, known, [])
    plain = time.perf_counter() - t
    profiler = cProfile.Profile()
    profiler.enable()
    for document in documents:
        process_document(document, gazetteer, known, [])
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    functions = [{"function": f"{Path(f).name}:{line}({name})", "calls": nc, "tottime": round(tt, 3),
                  "cumtime": round(ct, 3), "share": round(tt / total, 3)}
                 for (f, line, name), (cc, nc, tt, ct, _) in rows]
    by_module: dict[str, float] = defaultdict(float)
    for (f, _, name), (_, _, tt, _, _) in stats.stats.items():
        by_module[Path(f).name if f.startswith(str(ROOT)) else ("builtins/C" if f == "~" else "library")] += tt
    modules = {m: round(t / total, 3) for m, t in sorted(by_module.items(), key=lambda kv: -kv[1])[:8]}
    return {"mb": round(size / 1e6, 2), "documents": len(documents), "seconds": round(plain, 2),
            "mb_per_s": round(size / 1e6 / plain, 3), "profiled_seconds": round(total, 2),
            "top": functions, "by_module": modules}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20; the target is 200)")
    parser.add_argument("--workers", default="1,2", help="worker counts to build with (default 1,2)")
    parser.add_argument("--profile-mb", type=float, default=5.0, help="MB profiled on the serial path (0: skip)")
    parser.add_argument("--texts", choices=("public", "builtin"), default="public",
                        help="paragraphs the documents are made of (default public: the public corpora and the "
                             "built-in texts; builtin: the built-in texts alone, each paragraph repeated far more)")
    parser.add_argument("--json", type=Path, help="write the results here (e.g. benchmarks/results/build_scale.json)")
    parser.add_argument("--child", nargs=3, metavar=("WORKERS", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), Path(args.child[1]), Path(args.child[2]))
        return
    counts = [int(w) for w in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="mapapp-scale-") as tmp:
        corpus = Path(tmp) / "corpus"
        documents, size = make_corpus(corpus, args.mb, texts=args.texts)
        mb = size / 1e6
        print(f"corpus: {documents} documents, {mb:.1f} MB ({args.texts} texts, cycled); {os.cpu_count()} CPUs",
              flush=True)
        runs, outputs = {}, {}
        for workers in counts:
            outputs[workers] = Path(tmp) / f"out-{workers}"
            runs[workers] = r = run_build(workers, corpus, outputs[workers])
            r["mb_per_s"] = round(mb / r["seconds"], 3)
            phases = ", ".join(f"{k} {v:.1f}" for k, v in r["phases"].items())
            rss = (f"client {r['client_peak_rss'] / 1e6:.0f} MB, workers "
                   + ", ".join(f"{v / 1e6:.0f} MB" for v in r["worker_peak_rss"].values())
                   if r["worker_peak_rss"] else f"{r['client_peak_rss'] / 1e6:.0f} MB (one process)")
            print(f"{workers} worker(s): {r['seconds']:.1f} s in the build ({r['process_wall']:.1f} s with start-up), "
                  f"{r['mb_per_s']:.2f} MB/s (s: {phases}); {r['mentions']} mentions, "
                  f"{r['events']} events; peak RSS {rss}", flush=True)
            # where the CPU went: the cores are shared, so every second of the client's is one the workers lack
            cpu = ", ".join(f"{k} {v:.1f}" for k, v in r["cpu"].items())
            workers_cpu = " + ".join(f"{v:.1f}" for v in r["worker_cpu"].values())
            print(f"  CPU s: build process {sum(r['cpu'].values()):.1f} ({cpu})"
                  + (f"; workers {workers_cpu}" if workers_cpu else ""), flush=True)
        base = counts[0]
        for workers in counts[1:]:
            runs[workers]["speedup"] = round(runs[base]["seconds"] / runs[workers]["seconds"], 2)
            runs[workers]["speedup_documents"] = round(
                runs[base]["phases"]["documents"] / runs[workers]["phases"]["documents"], 2)
            runs[workers]["identical_to_serial"] = all(
                filecmp.cmp(outputs[base] / n, outputs[workers] / n, shallow=False) for n in COMPARED)
            print(f"speed-up {workers} workers over {base}: {runs[workers]['speedup']:.2f}× for the build "
                  f"(target ≥ 1.8× for 2), {runs[workers]['speedup_documents']:.2f}× for its per-document phase; "
                  f"outputs identical: {runs[workers]['identical_to_serial']}", flush=True)
        profile = None
        if args.profile_mb > 0:
            profile = profile_per_document(corpus, args.profile_mb)
            print(f"\nserial per-document path on {profile['mb']} MB ({profile['documents']} documents): "
                  f"{profile['seconds']} s, {profile['mb_per_s']} MB/s single-core (unprofiled); "
                  f"top {len(profile['top'])} by own time (profiled {profile['profiled_seconds']} s):")
            for row in profile["top"]:
                print(f"  {row['tottime']:7.3f} s  {row['share']:6.1%}  {row['calls']:>9}  {row['function']}")
            print("  by module: " + ", ".join(f"{m} {s:.0%}" for m, s in profile["by_module"].items()))
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
               "corpus": {"documents": documents, "mb": round(mb, 2), "texts": args.texts}, "builds": {str(w): r for w, r in runs.items()},
               "profile": profile}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
