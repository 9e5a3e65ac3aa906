/**
 * The newest snapshot and the newest results per activity. Every message is complete and
 * versioned (docs/architecture.md), so anything not newer than what we hold is dropped: a late packet
 * after a reconnect, or an ack that crossed a broadcast, can never roll the screen back.
 */
export function createLatest() {
  let snapshot = null;
  const results = new Map();
  return {
    get snapshot() {
      return snapshot;
    },

    /** Keep `next` if it is newer; true when it was kept. */
    offerSnapshot(next) {
      if (!next || (snapshot && next.version <= snapshot.version)) return false;
      snapshot = next;
      return true;
    },

    /** Keep a `results` payload if it is newer for its activity; true when it was kept. */
    offerResults(payload) {
      if (!payload) return false;
      const held = results.get(payload.activity_id);
      if (held && payload.version <= held.version) return false;
      results.set(payload.activity_id, payload);
      return true;
    },

    resultsFor(activityId) {
      return results.get(activityId) ?? null;
    },
  };
}
