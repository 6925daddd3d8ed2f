"""A dependency that is down (Redis for the page cache or the rate limits): the portal goes on
without it, says so in the log at most once a minute, and does not knock on its door on every
request."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

WARNING_INTERVAL_SECONDS = 60.0
# A store (Redis) that does not answer costs a request at most this long, to connect or to reply.
STORE_TIMEOUT_SECONDS = 1.0
STORE_SOCKET_OPTIONS = {
    "socket_connect_timeout": STORE_TIMEOUT_SECONDS,
    "socket_timeout": STORE_TIMEOUT_SECONDS,
}


class Outage:
    """The state of one dependency: when it failed, when to try it again, when we last said so.

    `retry_after` seconds after a failure the dependency is tried again (one request does);
    meanwhile `is_down()` lets callers skip it at once instead of waiting for a timeout.
    """

    def __init__(
        self,
        what: str,
        logger: logging.Logger,
        retry_after: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what
        self.logger = logger
        self.retry_after = retry_after
        self.clock = clock
        self._down_until = float("-inf")
        self._warned_at = float("-inf")
        self._suppressed = 0
        self._lock = threading.Lock()

    def is_down(self) -> bool:
        return self.clock() < self._down_until

    def failed(self, error: BaseException) -> None:
        """Note a failure; log it unless a warning was logged less than a minute ago."""
        now = self.clock()
        with self._lock:
            self._down_until = now + self.retry_after
            if now - self._warned_at < WARNING_INTERVAL_SECONDS:
                self._suppressed += 1
                return
            suppressed, self._suppressed, self._warned_at = self._suppressed, 0, now
        self.logger.warning(
            "%s unreachable (%s: %s); going on without it%s",
            self.what,
            error.__class__.__name__,
            error,
            f" ({suppressed} more failures since the last warning)" if suppressed else "",
        )

    def recovered(self) -> None:
        if self._down_until != float("-inf"):
            with self._lock:
                was_down, self._down_until = self._down_until != float("-inf"), float("-inf")
            if was_down:
                self.logger.warning("%s reachable again", self.what)


class OncePerInterval(logging.Filter):
    """Lets each warning through at most once per `seconds`: for a library's own warnings
    (Flask-Limiter's, about its store), which we cannot route through an `Outage`."""

    def __init__(self, seconds: float = WARNING_INTERVAL_SECONDS) -> None:
        super().__init__()
        self.seconds = seconds
        self.clock = time.monotonic
        self.last_emitted: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        now = self.clock()
        last = self.last_emitted.get(str(record.msg))
        if last is not None and now - last < self.seconds:
            return False
        self.last_emitted[str(record.msg)] = now
        return True
