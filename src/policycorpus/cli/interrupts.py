"""Ctrl-C and ``kill`` during a long command: stop cleanly, keep what is stored.

``interruptible()`` makes SIGINT raise ``KeyboardInterrupt`` and SIGTERM raise
``Terminated`` (a ``KeyboardInterrupt``) in this process, so the open
transaction rolls back, the CLI prints what was stored and exits with 130 or
143. Worker processes that spaCy forks while it is active inherit a handler
that ignores both signals: a Ctrl-C reaches the whole process group, and the
parent, not each worker, decides to stop, so no worker prints a traceback.
The parent kills its workers as it stops: a worker may be blocked sending
results the parent will never read (spaCy's result pipes are inherited by
every worker, so closing the parent's end does not unblock it), and spaCy
joins its workers before the interruption can reach the CLI. Their text
queues may then hold texts no process will read, so ``exit_after_interrupt``
ends such a run without waiting for the queues' feeder threads.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

from policycorpus.errors import ExitCode

_workers_stopped = False


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM."""

    exit_code = ExitCode.TERMINATED


@contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM interrupt this process and no forked child."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    owner = os.getpid()

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            return  # a forked worker: the parent stops it
        stop_workers()
        if signum == signal.SIGTERM:
            raise Terminated()
        raise KeyboardInterrupt()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def stop_workers() -> None:
    """Kill this process's worker processes (they hold no state of their own).

    spaCy then warns that not all workers completed; we know why, so that
    warning is silenced.
    """
    global _workers_stopped
    children = multiprocessing.active_children()
    if not children:
        return
    _workers_stopped = True
    warnings.filterwarnings("ignore", message=r".*\[W127\]")
    for child in children:
        child.kill()


def exit_after_interrupt(code: int) -> NoReturn:
    """Exit with ``code``; after ``stop_workers``, at once.

    A killed worker's queue can keep its feeder thread blocked on a full pipe
    forever, and Python joins those threads at exit; everything worth keeping
    is committed and printed by now, so the streams are flushed and the
    process ends without the join.
    """
    if _workers_stopped:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
