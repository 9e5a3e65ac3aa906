/**
 * Opens a Socket.IO connection to one Hearth namespace.
 *
 *   import { connect } from "/static/js/common/socket.js";
 *   const socket = connect("/participant", () => ({ code, token: readToken() }));
 *
 * connect(namespace, auth) -> socket (a socket.io-client Socket)
 *   namespace  "/participant", "/facilitator" or "/present"
 *   auth       an object, or a function returning one; a function is called again on every
 *              reconnect, so a token saved after the first `welcome` is sent back.
 *
 * The transports come from the page's <meta name="hearth-transports"> (HEARTH_TRANSPORTS): in
 * room mode WebSocket first with long-polling as the fallback for networks that block WebSocket;
 * in server mode WebSocket only, which needs no sticky sessions behind a load balancer. Reconnection is on, with a short capped backoff,
 * because phones lose Wi-Fi and sleep. A refused connect (`connect_error` with `err.data`) is
 * final in socket.io: call `socket.connect()` to try again.
 */
import { io } from "/static/vendor/socket.io/socket.io.esm.min.js";

/** The transports the server accepts, in order of preference. */
function transports() {
  const meta = document.querySelector('meta[name="hearth-transports"]');
  const listed = (meta?.content ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  return listed.length ? listed : ["websocket", "polling"];
}

export function connect(namespace, auth) {
  const allowed = transports();
  return io(namespace, {
    auth: typeof auth === "function" ? (reply) => reply(auth()) : auth,
    transports: allowed,
    tryAllTransports: allowed.length > 1,
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
  });
}
