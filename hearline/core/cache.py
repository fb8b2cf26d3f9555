"""A small per-process memo for configuration that changes rarely (calendars, policies).

Entries expire after `seconds`, so a change made in another process is seen within that
time; in this process, `clear()` (called from the models' save/delete signals) makes it
immediate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any


def memo(seconds: float) -> Callable:
    """Decorator caching a function's result per positional arguments for `seconds`."""

    def decorate(fn: Callable) -> Callable:
        entries: dict[tuple, tuple[float, Any]] = {}
        lock = threading.Lock()

        @wraps(fn)
        def wrapper(*args):
            now = time.monotonic()
            with lock:
                hit = entries.get(args)
            if hit and hit[0] > now:
                return hit[1]
            value = fn(*args)
            with lock:
                entries[args] = (now + seconds, value)
            return value

        def clear(*_args, **_kwargs) -> None:
            with lock:
                entries.clear()

        wrapper.clear = clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
