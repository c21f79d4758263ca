"""Background work on a long-lived Python thread, handed back to the UI thread by job id.

- :class:`WorkerThread`: one Python thread that runs jobs in the order they come. A Python
  thread and not a Qt pool thread: pyproj keeps a PROJ context per OS thread and frees it
  with the Python thread state, which Qt's pooled threads drop after every run, so the next
  run on the same thread reused a freed context (crashes in ``proj_create``).
- :class:`Job`: one piece of work; it keeps its ``result``, or the ``error`` it raised, so
  the UI can show it (nothing is printed and lost in the worker), and can be cancelled.
- :class:`JobRunner`: a QObject on the UI thread that runs jobs on a worker thread; only the
  job id crosses threads (a queued signal), then ``finished(id)`` is emitted on the UI
  thread and the owner takes the job back with :meth:`JobRunner.take`.

Usage, on the UI thread::

    runner = JobRunner(WorkerThread("gisapp-example"), parent)
    runner.finished.connect(lambda job_id: show(runner.take(job_id)))
    runner.submit(Job(compute, data))  # show() then reads job.result or job.error
"""

from __future__ import annotations

import itertools
import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures

from PySide6.QtCore import QObject, Qt, Signal


def yield_to_the_ui_thread() -> None:
    """Keep the UI thread first in line while this thread works (the render thread).

    Each time the UI thread releases the GIL (in a pyproj or Qt call) it must win it back
    from the worker; Python makes it wait a "switch interval" (5 ms) first, which added up
    to 30 ms for one mouse move. 1 ms costs the worker little.

    The thread keeps the UI thread's OS priority. A lowered one (nice 10) inverted
    priorities on a busy machine: the kernel left the worker waiting for a CPU for
    hundreds of milliseconds while it held the GIL, and the UI thread waited for the GIL
    all that time (1.6 s blocks while a million parcels opened at load 17, 0.6 s without).
    """
    sys.setswitchinterval(min(sys.getswitchinterval(), 0.001))


class WorkerThread:
    """One long-lived Python thread that runs what it is given in order.

    The thread starts with the first job and lives until :meth:`shutdown` (or the end of
    the program). ``yield_to_ui`` applies :func:`yield_to_the_ui_thread` on it.
    """

    def __init__(self, name: str, *, yield_to_ui: bool = False) -> None:
        self.name = name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name,
                                            initializer=yield_to_the_ui_thread if yield_to_ui else None)

    def submit(self, function: Callable[..., object], *args) -> Future:
        return self._executor.submit(function, *args)

    def shutdown(self) -> None:
        """Drop what has not started, wait for what runs, and end the thread."""
        self._executor.shutdown(wait=True, cancel_futures=True)


class Job:
    """One piece of work: ``function(*args, **kwargs)``, or a subclass's :meth:`work`.

    After it has run, ``result`` holds what the work returned, or ``error`` (one line for
    the user) and ``traceback`` (for a details box or a bug report) say why it failed.
    ``cancelled`` is set by :meth:`cancel`; a job cancelled before it starts never runs,
    and long work can poll it to stop early.
    """

    _ids = itertools.count(1)

    def __init__(self, function: Callable[..., object] | None = None, /, *args, **kwargs) -> None:
        self.id = next(Job._ids)
        self.function = function
        self.args = args
        self.kwargs = kwargs
        self.cancelled = threading.Event()
        self.result: object = None
        self.error = ""
        self.traceback = ""
        self._future: Future | None = None

    def cancel(self) -> None:
        self.cancelled.set()

    def is_cancelled(self) -> bool:
        return self.cancelled.is_set()

    def work(self) -> object:
        if self.function is None:
            raise NotImplementedError("give Job a function or override work()")
        return self.function(*self.args, **self.kwargs)

    def run(self) -> None:
        """Run the work here and now (the worker thread calls this), keeping any error."""
        if self.cancelled.is_set():
            return
        try:
            self.result = self.work()
        except Exception as exc:  # kept for the UI, never lost in the worker thread
            self.error = str(exc) or exc.__class__.__name__
            self.traceback = traceback.format_exc()


class JobRunner(QObject):
    """Runs jobs on a :class:`WorkerThread` and hands each back to the UI thread by id.

    ``finished(id)`` is emitted on the UI thread for every job that ran and was not
    cancelled (failed ones too: check ``job.error``); slots connected to it get the job
    with :meth:`take`. Jobs cancelled meanwhile are dropped without a signal. Several
    runners may share one thread; each waits for and cancels only its own jobs.
    """

    finished = Signal(int)
    _ran = Signal(int)  # emitted on the worker thread: only the id crosses threads

    def __init__(self, thread: WorkerThread, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker_thread = thread
        self._pending: dict[int, Job] = {}  # submitted, not yet handed back (UI thread only)
        self._finished: dict[int, Job] = {}  # handed back while ``finished`` is emitted
        self._ran.connect(self._hand_back, Qt.QueuedConnection)

    def submit(self, job: Job) -> Job:
        self._pending[job.id] = job
        job._future = self.worker_thread.submit(self._run, job)
        return job

    def _run(self, job: Job) -> None:  # on the worker thread
        job.run()
        try:
            self._ran.emit(job.id)
        except RuntimeError:  # the runner is gone (its window was closed): nobody waits
            pass

    def _hand_back(self, job_id: int) -> None:
        job = self._pending.pop(job_id, None)
        if job is None or job.is_cancelled():
            return
        self._finished[job_id] = job
        try:
            self.finished.emit(job_id)
        finally:
            self._finished.pop(job_id, None)  # not taken: nobody wants it any more

    def take(self, job_id: int) -> Job | None:
        """The finished job with this id (only while ``finished`` is being emitted)."""
        return self._finished.pop(job_id, None)

    def busy(self) -> bool:
        """Whether a submitted job has not been handed back yet."""
        return bool(self._pending)

    def cancel_all(self) -> None:
        for job in self._pending.values():
            job.cancel()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until every submitted job has run (not handed back: that needs the event
        loop); False if ``timeout_s`` passed first."""
        futures = [job._future for job in self._pending.values() if job._future is not None]
        _done, not_done = wait_for_futures(futures, timeout=timeout_s)
        return not not_done

    def shutdown(self) -> None:
        """Cancel this runner's jobs and wait for the one that runs (Python must not be
        finalised while a worker thread still runs Python code). The thread lives on."""
        self.cancel_all()
        self.wait()
        self._pending.clear()
