/**
 * An outbox for messages that must reach the server despite flaky networks.
 *
 *   import { createOutbox } from "/static/js/common/outbox.js";
 *   const outbox = createOutbox(socket, { storageKey: "hearth.K7Q2MX.outbox", onAck, onChange });
 *   outbox.send("answer", { activity_id: 12, value: 2 }, "activity:12");  // -> msg_id
 *   outbox.pending("activity:12");  // -> { event, payload } while unacknowledged, else undefined
 *   outbox.send("ask", { text: "…" });  // no key: never replaced; its key is its msg_id
 *
 * createOutbox(socket, options) -> { send, pending }
 *   storageKey  sessionStorage key where unacknowledged messages survive a reload (optional)
 *   onAck       ({ key, event, payload, ack }) once per message, with the server's ack object;
 *               `{ok: false, error}` is final and is never retried
 *   onChange    () whenever the set of pending messages changes
 *
 * send(event, payload, key?) adds a random `msg_id` to the payload (the server treats a repeat of
 * the same msg_id as a no-op) and emits it with an 8-second ack timeout. A message that times out
 * or is cut off by a disconnect is sent again, now if still connected, else on the next connect.
 * Only the newest message per `key` is kept: a newer answer replaces an older unacknowledged one,
 * and a late ack for the older one is ignored. Messages go out in the order they were queued.
 */

const ACK_TIMEOUT_MS = 8000;

/** A random message id; crypto.randomUUID is missing on plain-http LAN addresses. */
export function newMessageId() {
  if (typeof crypto.randomUUID === "function" && window.isSecureContext) {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function createOutbox(socket, { storageKey = null, onAck = () => {}, onChange = () => {} } = {}) {
  const queue = new Map(restore(storageKey));
  const inFlight = new WeakSet();

  function save() {
    if (!storageKey) return;
    try {
      if (queue.size) sessionStorage.setItem(storageKey, JSON.stringify([...queue]));
      else sessionStorage.removeItem(storageKey);
    } catch {
      // Storage full or disabled: the message still lives in memory until acked.
    }
  }

  function emit(key, item) {
    if (!socket.connected || inFlight.has(item)) return;
    inFlight.add(item);
    socket.timeout(ACK_TIMEOUT_MS).emit(item.event, item.payload, (err, ack) => {
      inFlight.delete(item);
      if (queue.get(key) !== item) return;
      if (err) {
        emit(key, item);
        return;
      }
      queue.delete(key);
      save();
      onChange();
      onAck({ key, event: item.event, payload: item.payload, ack });
    });
  }

  function flush() {
    for (const [key, item] of queue) emit(key, item);
  }

  function send(event, payload, key = null) {
    const item = { event, payload: { ...payload, msg_id: newMessageId() } };
    key ??= item.payload.msg_id;
    // Delete first so a replacement moves to the back of the queue, after anything queued since.
    queue.delete(key);
    queue.set(key, item);
    save();
    onChange();
    emit(key, item);
    return item.payload.msg_id;
  }

  function pending(key) {
    const item = queue.get(key);
    return item && { event: item.event, payload: item.payload };
  }

  socket.on("connect", flush);
  flush();
  return { send, pending };
}

/** The [key, item] pairs saved by an earlier page in this tab, or none. */
function restore(storageKey) {
  if (!storageKey) return [];
  try {
    const saved = JSON.parse(sessionStorage.getItem(storageKey) ?? "[]");
    return Array.isArray(saved) ? saved : [];
  } catch {
    return [];
  }
}
