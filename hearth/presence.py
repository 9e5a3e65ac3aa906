"""How many phones are connected to a workshop, across every worker process.

In room mode there is one process and the count is local. In server mode each worker
publishes its own count to Redis on the tick, stamped with the time; readers sum the fresh
entries, so the phones of a worker that died drop out of the total within seconds.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

PUBLISH_EVERY = 2.0  # seconds between refreshes of an unchanged count
FRESH_FOR = 6.0  # an entry older than this belongs to a worker that stopped
KEY_TTL = 60


class RedisPresence:
    """Per-worker connection counts in one Redis hash per workshop."""

    def __init__(self, url: str, channel: str) -> None:
        import redis

        self.client: Any = redis.Redis.from_url(url)
        self.prefix = f"{channel}:connected:"
        self.worker = uuid.uuid4().hex[:12]
        self.last_publish = 0.0

    def publish(self, counts: dict[int, int], force: bool = False) -> None:
        """Write this worker's counts (when they changed, or every few seconds)."""
        now = time.time()
        if not force and now - self.last_publish < PUBLISH_EVERY:
            return
        self.last_publish = now
        pipe = self.client.pipeline(transaction=False)
        for workshop_id, count in counts.items():
            key = f"{self.prefix}{workshop_id}"
            pipe.hset(key, self.worker, f"{count}:{now:.3f}")
            pipe.expire(key, KEY_TTL)
        pipe.execute()

    def total(self, workshop_id: int, local: int) -> int:
        """Phones connected to this workshop on every live worker (this one counted locally)."""
        entries = self.client.hgetall(f"{self.prefix}{workshop_id}")
        now = time.time()
        total = local
        for worker, value in entries.items():
            if worker.decode() == self.worker:
                continue
            count, _, stamp = value.decode().partition(":")
            if now - float(stamp) <= FRESH_FOR:
                total += int(count)
        return total
