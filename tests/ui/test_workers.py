"""Jobs run on one long-lived Python thread and come back to the UI thread by id."""

import os
import sys
import threading

import pytest

from gisapp.ui.workers import Job, JobRunner, WorkerThread


@pytest.fixture
def worker_thread():
    thread = WorkerThread("gisapp-test")
    yield thread
    thread.shutdown()


def _collect(runner: JobRunner) -> list[tuple[Job, int]]:
    """(job, id of the thread that handed it back) for every finished job."""
    taken = []
    runner.finished.connect(lambda job_id: taken.append((runner.take(job_id), threading.get_ident())))
    return taken


def test_results_come_back_on_the_ui_thread_from_one_python_thread(qtbot, worker_thread):
    runner = JobRunner(worker_thread)
    taken = _collect(runner)
    jobs = [runner.submit(Job(lambda: (threading.get_ident(), threading.current_thread().name)))
            for _ in range(3)]
    qtbot.waitUntil(lambda: len(taken) == 3)
    assert [job for job, _thread in taken] == jobs  # in order, each job handed back as itself
    assert {ui_thread for _job, ui_thread in taken} == {threading.main_thread().ident}
    workers = {job.result for job in jobs}
    assert len(workers) == 1  # the same thread every time: pyproj's per-thread context survives
    ident, name = workers.pop()
    assert ident != threading.main_thread().ident and name.startswith("gisapp-test")
    assert not runner.busy()
    assert runner.take(jobs[0].id) is None  # taken once, while ``finished`` is emitted


def test_an_error_stays_on_the_job_for_the_ui_to_show(qtbot, worker_thread):
    def broken():
        raise ValueError("the layer file is gone")

    runner = JobRunner(worker_thread)
    taken = _collect(runner)
    job = runner.submit(Job(broken))
    qtbot.waitUntil(lambda: bool(taken))
    assert taken[0][0] is job
    assert job.result is None
    assert job.error == "the layer file is gone"
    assert "ValueError" in job.traceback and "broken" in job.traceback


def test_a_cancelled_job_never_runs_and_is_dropped(qtbot, worker_thread):
    runner = JobRunner(worker_thread)
    taken = _collect(runner)
    release = threading.Event()
    ran = []
    first = runner.submit(Job(release.wait, 10))
    second = runner.submit(Job(ran.append, "second"))
    second.cancel()  # before it starts: the thread is still on the first job
    release.set()
    third = runner.submit(Job(ran.append, "third"))
    qtbot.waitUntil(lambda: len(taken) == 2)
    assert [job for job, _thread in taken] == [first, third]
    assert ran == ["third"]
    assert not runner.busy()


def test_shutdown_cancels_the_running_job_and_waits_for_it(qtbot, worker_thread):
    running = threading.Event()

    class UntilCancelled(Job):  # long work that polls its cancel flag, like a render
        def work(self):
            running.set()
            while not self.cancelled.wait(0.001):
                pass
            return "stopped"

    runner = JobRunner(worker_thread)
    job = runner.submit(UntilCancelled())
    assert running.wait(10)
    runner.shutdown()
    assert job.result == "stopped"  # it ran to its end before shutdown returned
    assert not runner.busy()


def test_runners_sharing_a_thread_get_only_their_own_jobs(qtbot, worker_thread):
    first, second = JobRunner(worker_thread), JobRunner(worker_thread)
    first_taken, second_taken = _collect(first), _collect(second)
    a = first.submit(Job(str, "a"))
    b = second.submit(Job(str, "b"))
    qtbot.waitUntil(lambda: bool(first_taken and second_taken))
    assert [job for job, _ in first_taken] == [a] and [job for job, _ in second_taken] == [b]


def test_a_thread_that_yields_to_the_ui_shortens_the_switch_interval_and_keeps_its_priority(qtbot):
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    thread = WorkerThread("gisapp-test-render", yield_to_ui=True)
    try:
        runner = JobRunner(thread)
        job = runner.submit(Job(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
        assert runner.wait(10)
        assert sys.getswitchinterval() <= 0.001
        # The UI thread's priority: a lower one leaves the GIL with a thread the kernel
        # does not run on a busy machine.
        assert job.result == os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    finally:
        thread.shutdown()
        sys.setswitchinterval(previous)
