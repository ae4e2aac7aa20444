"""mapapp build on a Dask cluster: the same outputs as a serial build, bad files and failed tasks reported
and the rest built, and concurrent builds into one folder that never leave files of two builds."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from mapapp.cli import app
from mapapp.dataset import build_dataset, load_dataset

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("places.geojson", "mentions.geojson", "events.geojson", "manifest.json")

TEXTS = {
    "a.txt": "In February 1944 the Chechens were deported to Kazakhstan in Operation Lentil.\n"
             "Stalin was born in Gori in 1878. He studied in Tiflis.",
    "b.txt": "Operation Lentil began in 1943, when the Chechens were deported to Siberia. "
             "Trotsky was exiled to Alma-Ata in 1928.",
    "c.txt": "The siege of Leningrad began in September 1941. In 1942 the Germans reached Stalingrad and Voronezh.",
}


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each (as ``mapapp build --workers 2`` starts them)."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c, \
            distributed.Client(c) as client:
        yield c, client


def write_texts(folder: Path, texts: dict[str, str] = TEXTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    for name in ("places", "mentions", "events"):
        left, right = gpd.read_parquet(a / f"{name}.parquet"), gpd.read_parquet(b / f"{name}.parquet")
        assert left.equals(right) and left.crs == right.crs, name


def test_parallel_build_equals_serial(tmp_path, catalog, cluster):
    corpus = write_texts(tmp_path / "texts")
    serial = build_dataset([corpus], tmp_path / "serial", catalog=catalog)
    parallel = build_dataset([corpus], tmp_path / "parallel", catalog=catalog, scheduler=cluster[0].scheduler_address)
    assert parallel.reprocessed == serial.reprocessed == ["a", "b", "c"]
    assert (parallel.mentions, parallel.events, parallel.places) == (serial.mentions, serial.events, serial.places)
    assert parallel.mentions > 5 and len(parallel.worker_peak_rss) == 2
    # CPU figures of this build alone (the cluster's workers served other builds before): each worker's
    # is counted from this build's start, so it cannot exceed the build's time on its one task thread
    assert len(parallel.worker_cpu) == 2 and all(0 < cpu < parallel.seconds + 1 for cpu in parallel.worker_cpu.values())
    assert set(serial.cpu) == set(serial.phases) and 0 < sum(serial.cpu.values()) < serial.seconds + 1
    same_outputs(tmp_path / "serial", tmp_path / "parallel")
    for doc in "abc":   # the cache a worker's result was written to is the serial build's
        assert (tmp_path / "serial" / ".cache" / f"{doc}.json").read_bytes() == \
               (tmp_path / "parallel" / ".cache" / f"{doc}.json").read_bytes()
    dataset = load_dataset(tmp_path / "parallel")
    assert set(dataset.mentions["doc"]) == {"a", "b", "c"} and dataset.documents == ["a", "b", "c"]
    # mentions in document order, then text order: the order a serial build writes them
    assert list(dataset.mentions["doc"]) == sorted(dataset.mentions["doc"])
    # a rebuild with one text changed redoes that one only, on the workers, and still equals the serial build
    (corpus / "b.txt").write_text("In 1944 the Kalmyks were deported to Siberia.", encoding="utf-8")
    assert build_dataset([corpus], tmp_path / "serial", catalog=catalog).reprocessed == ["b"]
    assert build_dataset([corpus], tmp_path / "parallel", catalog=catalog,
                         scheduler=cluster[0].scheduler_address).reprocessed == ["b"]
    same_outputs(tmp_path / "serial", tmp_path / "parallel")


def _fail_on_b():
    import mapapp.dataset as dataset

    original = dataset.__dict__.setdefault("_unpatched_process", dataset.process_for_cache)

    def failing(document, *args, **kwargs):
        if document.id == "b":
            raise RuntimeError("worker fell over")
        return original(document, *args, **kwargs)
    dataset.process_for_cache = failing


def _unpatch():
    import mapapp.dataset as dataset

    dataset.process_for_cache = dataset.__dict__.pop("_unpatched_process", dataset.process_for_cache)


def test_failed_task_is_that_documents_error(tmp_path, catalog, cluster):
    c, client = cluster
    corpus = write_texts(tmp_path / "texts")
    errors = []
    client.run(_fail_on_b)
    try:
        report = build_dataset([corpus], tmp_path / "out", catalog=catalog, scheduler=c.scheduler_address,
                               on_error=errors.append)
    finally:
        client.run(_unpatch)
    assert report.failed == ["b"] and report.documents == 2 and report.reprocessed == ["a", "c"]
    assert len(errors) == 1 and "b.txt" in str(errors[0]) and "worker fell over" in str(errors[0])
    assert load_dataset(tmp_path / "out").documents == ["a", "c"]
    # the build did not vouch for its outputs: the next one tries b again (and only b)
    again = build_dataset([corpus], tmp_path / "out", catalog=catalog, scheduler=c.scheduler_address)
    assert again.reprocessed == ["b"] and again.failed == [] and load_dataset(tmp_path / "out").documents == ["a", "b", "c"]


def _record_batches():
    import mapapp.distributed as distributed

    original = distributed.__dict__.setdefault("_unpatched_batch", distributed.process_batch)

    def recording(context, documents, keys):
        distributed.__dict__.setdefault("_batch_sizes", []).append(len(documents))
        return original(context, documents, keys)
    distributed.process_batch = recording


def _batch_sizes() -> list[int]:
    import mapapp.distributed as distributed

    return distributed.__dict__.get("_batch_sizes", [])


def _unpatch_batches():
    import mapapp.distributed as distributed

    distributed.process_batch = distributed.__dict__.pop("_unpatched_batch", distributed.process_batch)
    distributed.__dict__.pop("_batch_sizes", None)


def test_documents_go_in_batches_that_shrink_and_keep_their_order(tmp_path, catalog, cluster):
    """Many documents travel a few to a task (fewer tasks for the scheduler), batches shrink towards the end
    (workers finish together), and one document failing in a batch is that document's error alone."""
    c, client = cluster
    texts = {f"d{i:02}.txt": TEXTS[f"{'abc'[i % 3]}.txt"] + f" Report {i}." for i in range(40)}
    texts["b.txt"] = TEXTS["b.txt"]
    corpus = write_texts(tmp_path / "texts", texts)
    serial = build_dataset([corpus], tmp_path / "serial", catalog=catalog)
    client.run(_record_batches)
    try:
        parallel = build_dataset([corpus], tmp_path / "parallel", catalog=catalog, scheduler=c.scheduler_address)
        sizes = [n for ns in client.run(_batch_sizes).values() for n in ns]
        client.run(_fail_on_b)
        errors = []
        failed = build_dataset([corpus], tmp_path / "failed", catalog=catalog, scheduler=c.scheduler_address,
                               on_error=errors.append)
    finally:
        client.run(_unpatch)
        client.run(_unpatch_batches)
    assert sum(sizes) == 41 and len(sizes) < 41 and max(sizes) > 1 and min(sizes) == 1
    assert parallel.reprocessed == serial.reprocessed and len(serial.reprocessed) == 41
    same_outputs(tmp_path / "serial", tmp_path / "parallel")
    assert failed.failed == ["b"] and len(errors) == 1 and "worker fell over" in str(errors[0])
    assert failed.reprocessed == [d for d in serial.reprocessed if d != "b"]
    assert load_dataset(tmp_path / "failed").documents == sorted(d for d in serial.reprocessed if d != "b")


# passages two texts tell with another figure and another person (a, b) and another year (c, d): the
# figures are the dispute of a curated deportation, which holds those sentences, so they are left out of
# the passage conflicts (the filter applied to a worker's candidates)
PASSAGES = {
    "a.txt": "Report one.\n\nIt is estimated that between 1941 and 1949 nearly 3.3 million were deported to Siberia "
             "and the Central Asian republics.\n\nIn a 1956 speech to the party congress, Nikita Khrushchev denounced "
             "the cult of personality of his predecessor and the purges.\n",
    "b.txt": "Report two.\n\nIt is estimated that between 1941 and 1949 nearly 1.6 million were deported to Siberia "
             "and the Central Asian republics.\n\nIn a 1956 speech to the party congress, Pavel Bermondt-Avalov "
             "denounced the cult of personality of his predecessor and the purges.\n",
    "c.txt": "Report three.\n\nIn February 1943 the NKVD deported the Chechens and Ingush to Kazakhstan in trains.\n",
    "d.txt": "Report four.\n\nIn February 1944 the NKVD deported the Chechens and Ingush to Kazakhstan in trains.\n",
}


def _record_passage_runs():
    import mapapp.dataset as dataset

    original = dataset.__dict__.setdefault("_unpatched_candidates", dataset._passage_candidates)

    def recording(path, fiction):
        dataset.__dict__["_compared_here"] = dataset.__dict__.get("_compared_here", 0) + 1
        if dataset.__dict__.get("_fail_comparison") == "error":
            raise MemoryError("the worker ran out of memory")
        if dataset.__dict__.get("_fail_comparison") == "unseen":
            return original(path + ".elsewhere", fiction)     # as a worker that does not see the folder
        return original(path, fiction)
    dataset._passage_candidates = recording


def _passage_runs(fail: str | None = None) -> int:
    import mapapp.dataset as dataset

    dataset._fail_comparison = fail
    return dataset.__dict__.get("_compared_here", 0)


def _unpatch_passages():
    import mapapp.dataset as dataset

    dataset._passage_candidates = dataset.__dict__.pop("_unpatched_candidates", dataset._passage_candidates)
    dataset.__dict__.pop("_compared_here", None)
    dataset.__dict__.pop("_fail_comparison", None)


def test_passage_comparison_runs_on_a_worker_and_equals_serial(tmp_path, catalog, cluster):
    """The passage comparison is sent to a worker while the client joins the events; the sentences an
    event's dispute holds are left out afterwards, so the manifest is the serial build's, byte for byte.
    A worker that fails at it costs time, not the build: the client compares the passages itself."""
    c, client = cluster
    corpus = write_texts(tmp_path / "texts", PASSAGES)
    build_dataset([corpus], tmp_path / "serial", catalog=catalog)
    passages = json.loads((tmp_path / "serial" / "manifest.json").read_text(encoding="utf-8"))["passages"]
    reasons = " ".join(r for p in passages for r in p["reasons"])
    assert "Pavel Bermondt-Avalov" in reasons and "1943" in reasons and "3,300,000" not in reasons
    events = json.loads((tmp_path / "serial" / "events.geojson").read_text(encoding="utf-8"))["features"]
    assert any("3,300,000" in r for e in events for r in e["properties"]["reasons"])
    client.run(_record_passage_runs)
    try:
        build_dataset([corpus], tmp_path / "parallel", catalog=catalog, scheduler=c.scheduler_address)
        assert sum(client.run(_passage_runs).values()) == 1          # compared once, on a worker
        same_outputs(tmp_path / "serial", tmp_path / "parallel")
        for runs, failure in enumerate(("error", "unseen"), 2):
            client.run(_passage_runs, failure)
            build_dataset([corpus], tmp_path / failure, catalog=catalog, scheduler=c.scheduler_address)
            assert sum(client.run(_passage_runs).values()) == runs    # tried on a worker, which failed
            same_outputs(tmp_path / "serial", tmp_path / failure)
    finally:
        client.run(_unpatch_passages)


def test_cli_workers_reports_bad_file_and_builds_the_rest(tmp_path):
    corpus = write_texts(tmp_path / "texts")
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02")
    result = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "par"), "--workers", "2"])
    assert result.exit_code == 1, result.output
    assert "broken.txt" in result.stderr and "3 documents (3 reprocessed on 2 workers)" in result.stdout
    serial = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "ser")])
    assert serial.exit_code == 1, serial.output
    same_outputs(tmp_path / "ser", tmp_path / "par")
    both = CliRunner().invoke(app, ["build", str(corpus), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"])
    assert both.exit_code == 2 and "not both" in both.stderr


def test_serial_build_does_not_import_dask(tmp_path):
    corpus = write_texts(tmp_path / "texts", {"a.txt": TEXTS["a.txt"]})
    code = ("import sys; from mapapp.dataset import build_dataset; "
            f"build_dataset([{str(corpus)!r}], {str(tmp_path / 'out')!r}); "
            "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip().endswith("[]"), done.stdout + done.stderr


def test_concurrent_builds_into_one_folder_stay_consistent(tmp_path):
    """Two `mapapp build` processes with other inputs into one folder: both succeed, and every file in the
    folder comes from one of them (byte for byte what that build writes alone)."""
    one = write_texts(tmp_path / "one", {"a.txt": TEXTS["a.txt"], "b.txt": TEXTS["b.txt"]})
    two = write_texts(tmp_path / "two", {"c.txt": TEXTS["c.txt"]})
    command = [sys.executable, "-m", "mapapp.cli", "build"]
    for _ in range(2):   # the second round replaces a dataset built by the first
        shared = tmp_path / "shared"
        runs = [subprocess.Popen(command + [str(texts), "--out", str(shared)], cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for texts in (one, two)]
        for run in runs:
            out, err = run.communicate(timeout=300)
            assert run.returncode == 0, out + err
        alone = {}
        for name, texts in (("one", one), ("two", two)):
            alone[name] = tmp_path / f"alone-{name}"
            if not alone[name].exists():
                assert subprocess.run(command + [str(texts), "--out", str(alone[name])], cwd=ROOT,
                                      capture_output=True).returncode == 0
        files = {name: (shared / name).read_bytes() for name in OUTPUTS}
        winner = [name for name, folder in alone.items()
                  if all(files[n] == (folder / n).read_bytes() for n in OUTPUTS)]
        assert len(winner) == 1, "the folder mixes the files of two builds"
        manifest = json.loads(files["manifest.json"])
        mentions = gpd.read_parquet(shared / "mentions.parquet")
        assert set(mentions["doc"]) == set(manifest["documents"]) and len(mentions) == manifest["counts"]["mentions"]
        assert not list(shared.glob(".tmp-*")) and not list(shared.glob("*.tmp")) and not list(shared.glob(".*.tmp"))
