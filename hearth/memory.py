"""Full garbage collections, moved out of the moments when phones are answering.

With 2,000 phones connected a process tracks about a million objects, and a full (generation
2) collection walks every one of them with the hub stopped: 120-260 ms each, measured during a
2,000-phone burst, where CPython happened to start several. So a serving process freezes what
it built at start-up (long-lived, never walked again), leaves generations 0 and 1 as they are,
and runs generation 2 itself from the ticker: once answers have been quiet for QUIET_SECONDS,
and at the latest every MAX_SECONDS (a workshop that never pauses still gets its memory back).
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)

QUIET_SECONDS = 2.0
MIN_SECONDS = 30.0
MAX_SECONDS = 300.0
# CPython starts a full collection after this many generation-1 collections: never, in effect.
_NEVER = 1_000_000


class Collector:
    """When this process last collected fully, and when it last wrote answers."""

    def __init__(self) -> None:
        self.active = False
        self.last_full = time.monotonic()
        self.last_busy = 0.0

    def take_over(self) -> None:
        """Freeze the start-up objects and stop CPython's own full collections."""
        gc.freeze()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, _NEVER)
        self.active = True
        self.last_full = time.monotonic()

    def busy(self) -> None:
        """Answers were just written: not a moment to stop the hub."""
        self.last_busy = time.monotonic()

    def tick(self) -> float | None:
        """Collect fully if it is time; return how long it took (seconds), or None."""
        if not self.active:
            return None
        now = time.monotonic()
        since = now - self.last_full
        quiet = now - self.last_busy >= QUIET_SECONDS
        if since < MAX_SECONDS and not (quiet and since >= MIN_SECONDS):
            return None
        gc.collect()
        self.last_full = time.monotonic()
        took = self.last_full - now
        log.debug("Full garbage collection: %.0f ms", took * 1000)
        return took


collector = Collector()
