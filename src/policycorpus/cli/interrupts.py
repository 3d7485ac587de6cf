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

A parent that cannot stop its workers (``kill -9``, the kernel's OOM killer)
must not leave them behind, blocked on a pipe and deaf to SIGTERM: a worker
forked inside ``interruptible`` asks the kernel to kill it when its parent
dies (``prctl(PR_SET_PDEATHSIG)`` on Linux) and also watches its parent's pid
from a thread, which ends it where the kernel cannot (``die_with_parent``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

from policycorpus.errors import ExitCode

_workers_stopped = False
_forked_workers = False  # this process forked workers inside ``interruptible``
_owner: int | None = None  # pid of the process inside ``interruptible``
_forking: int | None = None  # pid of the process that is forking (set just before a fork)
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5  # how often a worker checks that its parent is alive


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM."""

    exit_code = ExitCode.TERMINATED


@contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM interrupt this process and no forked child."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    global _owner
    owner = os.getpid()

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            return  # a forked worker: the parent stops it
        stop_workers()
        if signum == signal.SIGTERM:
            raise Terminated()
        raise KeyboardInterrupt()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    outer, _owner = _owner, owner
    try:
        yield
    finally:
        _owner = outer
        for sig, old in previous.items():
            signal.signal(sig, old)


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` dies: the kernel's parent-death signal
    (Linux), and a watchdog thread on the parent's pid (everywhere)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the watchdog alone
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="policycorpus-parent-watch", daemon=True).start()


def _before_fork() -> None:
    global _forking, _forked_workers
    _forking = os.getpid() if _owner == os.getpid() else None
    _forked_workers = _forked_workers or _forking is not None


def _after_fork_in_child() -> None:
    """A process forked by the one inside ``interruptible`` (a worker) dies with it."""
    global _owner, _forking
    parent, _owner, _forking = _forking, None, None
    if parent is not None:
        die_with_parent(parent)


os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)


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
    """Exit with ``code``; at once when this process had workers.

    A killed (or otherwise dead) worker's queue can keep its feeder thread
    blocked on a full pipe forever, and Python joins those threads at exit;
    everything worth keeping is committed and printed by now, so the streams
    are flushed and the process ends without the join. That holds too when
    the workers died before the parent could stop them (the OOM killer).
    """
    if _workers_stopped or _forked_workers:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
