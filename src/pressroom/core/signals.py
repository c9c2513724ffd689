"""SIGTERM handled like Ctrl-C: the stack unwinds, so no temporary file is left behind."""

from __future__ import annotations

import signal
import sys


def terminate_cleanly() -> None:
    """Make SIGTERM raise SystemExit(143) so `finally` blocks (atomic_path's cleanup) run."""

    def stop(signum, frame) -> None:  # noqa: ANN001, ARG001
        sys.exit(128 + signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)


def leave_interrupts_to_parent() -> None:
    """In a worker process: Ctrl-C reaches the whole process group, and the parent decides what stops."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
