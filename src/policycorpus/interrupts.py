"""Ctrl-C and ``kill`` during a long command: stop cleanly, keep what is stored.

``interruptible()`` makes SIGINT raise ``KeyboardInterrupt`` and SIGTERM raise
``Terminated`` (a ``KeyboardInterrupt``) in this process, so the open
transaction rolls back, the CLI prints what was stored and exits with 130 or
143. Worker processes that spaCy forks while it is active inherit a handler
that ignores both signals: a Ctrl-C reaches the whole process group, and the
parent, not each worker, decides to stop (spaCy then sends the workers their
end-of-work sentinel and joins them), so no worker prints a traceback.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from policycorpus.errors import ExitCode


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
        if signum == signal.SIGTERM:
            raise Terminated()
        raise KeyboardInterrupt()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
