"""A build's per-document work on a Dask cluster: ``mapapp build --workers N`` or ``--scheduler ADDRESS``.

:func:`mapapp.dataset.build_dataset` reads the texts, checks its per-document cache and writes the outputs
itself; what it hands to :class:`DaskRunner` is only the documents that need processing, each as a
:class:`~mapapp.models.Document` (its id, title and text travel with the task: workers need not see the
client's files). Each worker process loads the gazetteer once (the shipped one, from its own ``geodata``
and disk cache) and indexes the catalog once, when the run starts (:func:`prepare_worker`, one task pinned
to each worker) or on its first task (a worker that joined later); the catalog and the user's corrections
are sent to every worker once, as one scattered object (:class:`WorkerContext`), not with each task.

Documents go a few to a task (:func:`process_batch`; see :data:`BATCH_MAX`), and results come back in
document order through a window of tasks in flight (a few per worker thread), so the client holds at most
that many results while it writes them. A document whose work fails, or every document of a task that fails
(a worker that died), is returned as that document's exception, and the build reports it and goes on.
After the documents, the passage comparison is sent to a worker (:meth:`DaskRunner.submit`) while the client
joins the events.

Dask is imported only here, and this module only when a build runs on a cluster: a serial build, or one
with nothing to do, never pays for it.
"""
from __future__ import annotations

import logging
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import MapappError

if TYPE_CHECKING:
    from .dataset import DocumentRef, DocumentResult
    from .models import Document

SCATTER_BYTES = 1_000_000      # a text larger than this goes to a worker directly, not through the scheduler
# Documents go to the workers in batches: each task costs the scheduler, which runs in the client's process,
# and the workers several milliseconds of CPU (1,953 tasks cost 26 s of CPU on 200 MB), taken from the
# per-document work on a small machine. A batch is at most BATCH_MAX documents and BATCH_CHARS of text, and
# batches shrink as the build nears its end (a share of what is left per worker thread), so that the
# workers finish together.
BATCH_MAX = 8
BATCH_CHARS = 1_000_000
BATCH_SHARE = 4
WORKER_WAIT_S = 60             # how long a build waits for a worker to connect to a remote scheduler
LOCAL_CLUSTER_CONFIG = {"distributed.worker.profile.enabled": False, "distributed.scheduler.work-stealing": False,
                        "distributed.admin.tick.interval": "500ms", "distributed.admin.system-monitor.interval": "2s"}
TASKS_PER_THREAD = 3           # tasks in flight per worker thread: enough that none waits while results are written


@dataclass(frozen=True, slots=True)
class WorkerContext:
    """What every worker needs besides the gazetteer, sent once per build: the catalog the extraction is
    steered by, the user's corrections, and the code key the client computed (a worker whose own mapapp code
    or gazetteer gives another key refuses to work: its results would not be the client's)."""

    token: str
    code_key: str
    catalog: tuple
    corrections: tuple


# --- on the worker ----------------------------------------------------------------------------

_STATE: dict[str, tuple] = {}
_STATE_LOCK = threading.Lock()


def _worker_state(context: WorkerContext) -> tuple:
    """(gazetteer, catalog index, corrections) of this worker process for ``context``, made once."""
    with _STATE_LOCK:
        state = _STATE.get(context.token)
        if state is None:
            from .catalog import CatalogIndex
            from .dataset import _code_key
            from .gazetteer import default_gazetteer

            gazetteer = default_gazetteer()          # once per process (lru_cache), from the disk cache
            mine = _code_key(gazetteer)
            if mine != context.code_key:
                raise MapappError(f"this worker's mapapp code or gazetteer differs from the client's (key {mine}, "
                                  f"client {context.code_key}): install the same mapapp and geodata on every machine")
            state = (gazetteer, CatalogIndex(list(context.catalog)), list(context.corrections))
            _STATE.clear()                           # one build's context at a time: the catalog index is small
            _STATE[context.token] = state
        return state


_CPU_AT_START: dict[str, float] = {}


def prepare_worker(context: WorkerContext) -> int:
    """Load the gazetteer and index the catalog on this worker (the first of a build's tasks on it)."""
    if context.token not in _CPU_AT_START:
        _CPU_AT_START.clear()                    # one build at a time, as for _STATE
        _CPU_AT_START[context.token] = time.process_time()
    _worker_state(context)
    return peak_rss()


def worker_usage(token: str) -> tuple[int, float | None]:
    """This worker's peak RSS in bytes, and the CPU seconds (all its threads) it spent since build
    ``token`` prepared it (None for a worker that joined the build later)."""
    start = _CPU_AT_START.get(token)
    return peak_rss(), (time.process_time() - start if start is not None else None)


def process_batch(context: WorkerContext, documents: list[Document], keys: list[str]
                  ) -> list[tuple[DocumentResult, str] | Exception]:
    """The per-document work of a few documents on a worker: each one's result and the text of its cache
    entry, or the exception its work raised (one document's failure is its own, not its batch's)."""
    from . import dataset

    gazetteer, known, corrections = _worker_state(context)
    out: list = []
    for document, key in zip(documents, keys):
        try:
            out.append(dataset.process_for_cache(document, gazetteer, known, corrections, key))
        except Exception as error:  # noqa: BLE001  (reported by the client as that document's message)
            out.append(error)
    return out


def peak_rss() -> int:
    """This process's peak resident set size in bytes."""
    try:
        import resource
    except ImportError:                       # Windows
        import psutil

        return int(getattr(psutil.Process().memory_info(), "peak_wset", 0))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


# --- on the client ----------------------------------------------------------------------------

class DaskRunner:
    """A Dask client for one build: a new ``LocalCluster(n_workers=workers, threads_per_worker=1,
    processes=True)``, or the cluster whose scheduler is at ``scheduler``.

    The local cluster starts in a background thread as soon as the runner is entered, so its workers start
    while the client loads the catalog; :meth:`map` waits for it.
    """

    def __init__(self, *, workers: int = 2, scheduler: str | None = None, window: int | None = None) -> None:
        self.workers, self.scheduler, self.window = workers, scheduler, window
        self._cluster = self._client = None
        self._error: BaseException | None = None
        self._token: str | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> DaskRunner:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise MapappError("building on a Dask cluster needs Dask: pip install 'dask[distributed]'") from None
        self._thread = threading.Thread(target=self._start, name="mapapp-dask-start", daemon=True)
        self._thread.start()
        return self

    def _start(self) -> None:
        from distributed import Client, LocalCluster

        try:
            if self.scheduler:
                try:
                    self._client = Client(self.scheduler, timeout=10)
                except (OSError, TimeoutError) as error:
                    raise MapappError(f"cannot reach the Dask scheduler at {self.scheduler}: {error}") from None
            else:
                import dask

                # the scheduler runs in this process, and on a small machine every CPU second it spends is one
                # the workers lack: no sampling profiler on the workers, no work stealing (tasks are queued on
                # the scheduler and go to the first free worker), and slower health ticks
                with dask.config.set(LOCAL_CLUSTER_CONFIG):
                    self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                                 dashboard_address=":0", silence_logs=logging.ERROR)
                self._client = Client(self._cluster)
        except BaseException as error:  # re-raised in the build's thread by client()
            self._error = error

    def client(self):
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            raise self._error
        return self._client

    def __exit__(self, *exc) -> None:
        if self._thread is not None:
            self._thread.join()
        for thing in (self._client, self._cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # noqa: BLE001  (a cluster that went away: nothing left to close)
                    pass

    def map(self, todo: Iterable[tuple[DocumentRef, str]], *, catalog, corrections, code_key: str,
            total: int | None = None) -> Iterator[tuple[Document | None, tuple[DocumentResult, str] | BaseException]]:
        """Each ``(document, cache key)``'s document, read when its task is sent, and its result (or the
        exception its task raised, or the :class:`~mapapp.errors.CorpusError` of a text that could not be
        read again), in the order given. At most a window of batches is held; ``total``, the number of
        documents in ``todo``, sizes the batches (without it, each document is a task of its own)."""
        client = self.client()
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_S)
        except (TimeoutError, OSError):
            raise MapappError(f"no Dask worker connected to {self.scheduler or 'the local cluster'} "
                              f"within {WORKER_WAIT_S} s") from None
        context = WorkerContext(token=uuid.uuid4().hex, code_key=code_key, catalog=tuple(catalog),
                                corrections=tuple(corrections))
        shared = client.scatter(context, broadcast=True, hash=False)
        self._token = context.token
        # every worker loads the gazetteer now, in parallel and in its task thread; one with other code says so
        workers = list(client.scheduler_info(n_workers=-1)["workers"])
        ready = [client.submit(prepare_worker, shared, key=f"mapapp-prepare-{context.token}-{i}", workers=[w],
                               allow_other_workers=False, pure=False) for i, w in enumerate(workers)]
        for future in ready:
            future.result()           # a MapappError (other code) ends the build with its message
        threads = sum(client.nthreads().values()) or 1
        return self._ordered(client, shared, context.token, todo, self.window or TASKS_PER_THREAD * threads,
                             total=total, threads=threads)

    @staticmethod
    def _ordered(client, shared, token: str, todo: Iterable[tuple[DocumentRef, str]], window: int, *,
                 total: int | None, threads: int) -> Iterator:
        from .errors import CorpusError

        pending = iter(todo)
        left = total
        inflight: deque = deque()     # (documents, their batch's future) or (None, a text's CorpusError)
        tasks = 0

        def send(documents: list[Document]) -> None:
            nonlocal tasks
            sent = [client.scatter(d, hash=False) if len(d.text) > SCATTER_BYTES else d for d, _ in documents]
            inflight.append(([d for d, _ in documents],
                             client.submit(process_batch, shared, sent, [k for _, k in documents],
                                           key=f"mapapp-batch-{token}-{tasks}", pure=False)))
            tasks += 1

        def fill() -> None:
            nonlocal left
            while len(inflight) < window:
                size = 1 if left is None else max(1, min(BATCH_MAX, left // (BATCH_SHARE * threads)))
                batch, chars = [], 0
                while len(batch) < size and chars < BATCH_CHARS:
                    item = next(pending, None)
                    if item is None:
                        break
                    ref, key = item
                    left = None if left is None else left - 1
                    try:
                        document = ref.load()
                    except CorpusError as error:
                        if batch:                 # the documents before it, then its error: in their order
                            send(batch)
                            batch, chars = [], 0
                        inflight.append((None, error))
                        continue
                    batch.append((document, key))
                    chars += len(document.text)
                if not batch:
                    if item is None:
                        return
                    continue
                send(batch)

        fill()
        while inflight:
            documents, future = inflight.popleft()
            if documents is None:
                outcomes, documents = [future], [None]
            else:
                try:
                    outcomes = future.result()
                except Exception as error:  # noqa: BLE001  (a killed worker, a cancel: every document of the batch)
                    outcomes = [error] * len(documents)
                future.release()
            fill()
            yield from zip(documents, outcomes)

    def submit(self, function, *args) -> Callable[[], object]:
        """``function(*args)`` on a worker (small arguments: they travel inside the task); returns a function
        that waits for its result."""
        return self.client().submit(function, *args, pure=False).result

    def usage(self) -> dict[str, tuple[int, float | None]]:
        """Each worker's peak resident set size in bytes and CPU seconds in this build, by its address."""
        try:
            return dict(self.client().run(worker_usage, self._token or ""))
        except Exception:  # noqa: BLE001  (figures for the report, not worth failing a build)
            return {}
