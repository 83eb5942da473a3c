"""Login throttling: failed attempts are counted per user name and per client address, and the number of
password hashes computed at once is bounded.

argon2id is slow and memory-hungry on purpose (64 MiB a hash by default), so 40 parallel wrong passwords took
the whole service down. Now at most `hashing` verifications run at once and at most `waiting` more may queue
for a slot (each holds a worker thread); anything beyond is a 429 at once. A user name or an address with too
many recent failures is a 429 with Retry-After until the oldest of them leaves the window; this applies to the
right password too, or guessing would simply go on.

Counts live in this process's memory: a restart forgets them, and several server processes count separately
(docs/security.md). Behind a reverse proxy the address is the proxy's unless uvicorn is told to trust it.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from openimr.db.settings import env_int


class Throttled(Exception):
    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))


@dataclass
class LoginThrottle:
    per_user: int = 5
    per_address: int = 20
    window: float = 60.0
    hashing: int = 2
    waiting: int = 8
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _admission: threading.BoundedSemaphore = field(init=False)
    _slots: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self._admission = threading.BoundedSemaphore(self.hashing + self.waiting)
        self._slots = threading.BoundedSemaphore(self.hashing)

    @classmethod
    def from_environment(cls) -> LoginThrottle:
        return cls(per_user=env_int("OPENIMR_LOGIN_FAILURES_PER_USER", 5),
                   per_address=env_int("OPENIMR_LOGIN_FAILURES_PER_ADDRESS", 20),
                   window=float(env_int("OPENIMR_LOGIN_WINDOW_SECONDS", 60)),
                   hashing=max(1, env_int("OPENIMR_LOGIN_CONCURRENCY", 2)))

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def check(self, user: str, address: str) -> None:
        """Throttled when the user or the address has too many failures in the window."""
        now = self.clock()
        with self._lock:
            for key, limit, what in ((f"user:{user}", self.per_user, "this user"),
                                     (f"addr:{address}", self.per_address, "this address")):
                times = self._recent(key, now)
                if len(times) >= limit:
                    raise Throttled(f"too many failed logins for {what}; try again later",
                                    times[0] + self.window - now)

    def failed(self, user: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) > 100_000:  # a flood of distinct names: forget the quiet ones
                self._failures = {k: v for k, v in self._failures.items() if self._recent(k, now)}
            for key in (f"user:{user}", f"addr:{address}"):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, user: str) -> None:
        with self._lock:
            self._failures.pop(f"user:{user}", None)

    @contextmanager
    def hashing_slot(self) -> Iterator[None]:
        """Wait for one of the `hashing` slots, unless `waiting` requests are queued already."""
        if not self._admission.acquire(blocking=False):
            raise Throttled("too many logins at once; try again in a moment", 1)
        try:
            with self._slots:
                yield
        finally:
            self._admission.release()
