"""Where batches of work run: in this process, on the cores of this machine, or on a Dask cluster.

An executor maps a function over a stream of `(key, batch)` items and yields
`(key, result)` pairs as batches finish, in any order; the runner puts them
back in example order. At most `window` batches are in flight at once, so
neither the input stream nor the results pile up in memory, whatever the size
of the run. The function and its `job` (the summarizers and the scoring
configuration) must be picklable for `process` and `dask`.

    serial   one batch after another in this process (no start-up cost)
    process  a pool of worker processes, one per core by default
    dask     a Dask cluster: `scheduler` joins a running one, otherwise a
             local cluster is started and shut down with the run
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator

from .errors import HarnessError

EXECUTORS = ("serial", "process", "dask")

Item = tuple[Any, Any]  # (key, batch)


def available_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Executor:
    """Base class: runs `fn(job, batch)` for every item and yields `(key, result)` as they finish."""

    name = ""

    def __init__(self, workers: int | None = None) -> None:
        if workers is not None and workers < 1:
            raise HarnessError(f"--workers must be at least 1, not {workers}")
        self.workers = workers or 1

    @property
    def window(self) -> int:
        """Batches in flight: two per worker, so a worker never waits for the next one."""
        return 2 * self.workers

    def imap_unordered(self, fn: Callable, job: Any, items: Iterable[Item]) -> Iterator[Item]:
        raise NotImplementedError

    def describe(self) -> str:
        return f"{self.name} ({self.workers} worker{'s' if self.workers != 1 else ''})"

    def close(self, abort: bool = False) -> None:
        """Release the workers; `abort` (an interrupt or an error) stops the batches still running."""

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(abort=exc_type is not None)


class SerialExecutor(Executor):
    name = "serial"

    def __init__(self, workers: int | None = None) -> None:
        super().__init__(1)

    def imap_unordered(self, fn, job, items):
        for key, batch in items:
            yield key, fn(job, batch)


# --- process ---------------------------------------------------------------------------------

_JOB: Any = None  # the job of this worker process, set once by its initializer


def _init_worker(job: Any, parent: int) -> None:
    global _JOB
    _JOB = job
    # Ctrl-C reaches every process of the terminal's group: only the parent
    # handles it (it stops the pool), so a worker never dies half-way through
    # a batch with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the CLI's SIGTERM handler (`kill` stops a run as Ctrl-C does), which raises
    # KeyboardInterrupt: the pool's shutdown would then print a traceback per worker. A worker just ends.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    # A parent killed with SIGKILL cannot stop its pool; workers would wait
    # for work forever. Each one leaves once its parent is gone.
    import time

    while True:
        time.sleep(1.0)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # the pid was reused by another user's process
            os._exit(1)


def _call(fn: Callable, batch: Any) -> Any:
    return fn(_JOB, batch)


def _first_ids(items, n: int = 5) -> str:
    """` (examples 'a', 'b', ...)`: the ids of batches of examples, for a message; empty for other work."""
    ids = [getattr(ex, "id", None) for _, batch in items for ex in (batch if isinstance(batch, list) else [])]
    ids = [i for i in ids if isinstance(i, str)]
    return f" (examples {', '.join(map(repr, ids[:n]))}{', ...' if len(ids) > n else ''})" if ids else ""


class ProcessExecutor(Executor):
    """A pool of worker processes on this machine; all available cores by default.

    On Linux workers are forked (`start_method`, default "fork"): a
    summarizer class defined in a notebook or in a script without a
    `__main__` guard then works as it does serially, which `forkserver` and
    `spawn` (the default elsewhere) cannot offer, since they import the job
    afresh in each worker. A pool whose worker died (killed, out of memory)
    is replaced and the batches that were in flight run again, up to
    `max_restarts` times.
    """

    name = "process"

    def __init__(self, workers: int | None = None, max_restarts: int = 2, start_method: str | None = None) -> None:
        super().__init__(available_cores() if workers is None else workers)
        self.max_restarts = max_restarts
        if start_method is None:
            start_method = "fork" if sys.platform == "linux" else "spawn"
        self._context = multiprocessing.get_context(start_method)
        self._pool: ProcessPoolExecutor | None = None

    def _start(self, job) -> ProcessPoolExecutor:
        self._pool = ProcessPoolExecutor(self.workers, mp_context=self._context, initializer=_init_worker,
                                         initargs=(job, os.getpid()))
        return self._pool

    def imap_unordered(self, fn, job, items):
        pool = self._start(job)
        items = iter(items)
        pending: dict = {}  # future -> (key, batch)
        restarts = 0
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.window:
                try:
                    key, batch = next(items)
                except StopIteration:
                    exhausted = True
                    break
                pending[pool.submit(_call, fn, batch)] = (key, batch)
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                key, batch = pending.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    pending[fut] = (key, batch)
                    broken = True
                    continue
                yield key, result
            if broken:
                restarts += 1
                if restarts > self.max_restarts:
                    raise HarnessError(
                        f"worker processes died {restarts} times (killed or out of memory?) while running "
                        f"batches {sorted(k for k, _ in pending.values())[:10]}{_first_ids(pending.values())}; "
                        "finished batches are saved")
                logging.getLogger(__name__).warning("a worker process died; restarting the pool")
                pool.shutdown(wait=False, cancel_futures=True)
                pool = self._start(job)
                pending = {pool.submit(_call, fn, b): (k, b) for k, b in pending.values()}

    def close(self, abort: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not abort:
            pool.shutdown(wait=True)
            return
        # Stop now: on an interrupt or an error nobody waits for the batches in
        # flight (they run again on resume). `terminate_workers` is 3.14+.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            if p.is_alive():
                p.terminate()
        for p in processes:
            p.join(5)


# --- dask ------------------------------------------------------------------------------------

class DaskExecutor(Executor):
    """Batches as tasks on a Dask cluster.

    With `scheduler` ("tcp://host:8786") the run joins that cluster and leaves
    it running; without, a `LocalCluster` of `workers` single-threaded worker
    processes (threads when `processes=False`) is started and shut down with
    the run. Tasks on a worker that dies are run again elsewhere by the
    scheduler; the run only fails when a task has killed workers repeatedly.
    """

    name = "dask"

    def __init__(self, workers: int | None = None, scheduler: str | None = None, processes: bool = True) -> None:
        super().__init__(available_cores() if workers is None else workers)
        try:
            import distributed  # noqa: F401  (the optional extra: imported only when chosen)
        except ImportError:
            raise HarnessError("--executor dask needs Dask: pip install 'harness[dask]'") from None
        self.scheduler = scheduler
        self.processes = processes
        self._cluster = None
        self._client = None
        self._log_level = logging.NOTSET

    @property
    def client(self):
        if self._client is None:
            from distributed import Client, LocalCluster

            if self.scheduler:
                try:
                    self._client = Client(self.scheduler, timeout="20s")
                except (OSError, TimeoutError) as e:
                    raise HarnessError(f"cannot reach the Dask scheduler at {self.scheduler}: {e}") from None
            else:
                # The cluster's chatter is ours to silence (it reaches the terminal because
                # rouge-score's absl logging configures the root logger), errors included: a
                # task's exception comes back to the driver, which reports it once, without the
                # worker's "Compute Failed" traceback (issue 13: no traceback; --debug shows one).
                self._log_level = logging.getLogger("distributed").level
                logging.getLogger("distributed").setLevel(logging.CRITICAL)
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                             processes=self.processes, dashboard_address=None,
                                             silence_logs=logging.CRITICAL)
                self._client = Client(self._cluster)
        return self._client

    @property
    def window(self) -> int:
        if self.scheduler:
            threads = sum(self.client.nthreads().values()) or self.workers
            return 2 * threads
        return 2 * self.workers

    def describe(self) -> str:
        if self.scheduler:
            return f"dask (scheduler {self.scheduler}, {len(self.client.nthreads())} workers)"
        return f"dask (local cluster, {self.workers} worker{'s' if self.workers != 1 else ''})"

    def imap_unordered(self, fn, job, items):
        from distributed import as_completed

        client = self.client
        items = iter(items)
        window = self.window
        keys: dict = {}
        running = as_completed()

        def submit(n: int) -> None:
            for key, batch in items:
                fut = client.submit(fn, job, batch, pure=False)
                keys[fut.key] = key
                running.add(fut)
                n -= 1
                if n == 0:
                    return

        submit(window)
        for fut in running:
            result = fut.result()  # a task error (or KilledWorker) ends the run; finished batches are saved
            key = keys.pop(fut.key)
            fut.release()
            submit(1)
            yield key, result

    def close(self, abort: bool = False) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()  # the scheduler forgets this client's tasks: nothing left running on a shared cluster
        if cluster is not None:
            cluster.close()
            logging.getLogger("distributed").setLevel(self._log_level)


def make_executor(name: str, workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor `--executor NAME` means."""
    if scheduler and name not in ("dask", "auto"):
        raise HarnessError(f"--scheduler joins a Dask cluster: it needs --executor dask, not {name}")
    if name == "serial":
        return SerialExecutor()
    if name == "process":
        return ProcessExecutor(workers)
    if name == "dask":
        return DaskExecutor(workers, scheduler)
    raise HarnessError(f"unknown executor {name!r}; choose from {', '.join(EXECUTORS)}")
