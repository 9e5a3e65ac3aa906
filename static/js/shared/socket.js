/**
 * Opens a Socket.IO connection to one Hearth namespace.
 *
 *   import { connect } from "/static/js/shared/socket.js";
 *   const socket = connect("/participant", () => ({ code, token: readToken() }));
 *
 * connect(namespace, auth) -> socket (a socket.io-client Socket)
 *   namespace  "/participant", "/facilitator" or "/present"
 *   auth       an object, or a function returning one; a function is called again on every
 *              reconnect, so a token saved after the first `welcome` is sent back.
 *
 * WebSocket is tried first (server mode needs no sticky sessions with it); long-polling is the
 * fallback for networks that block WebSocket. Reconnection is on, with a short capped backoff,
 * because phones lose Wi-Fi and sleep. A refused connect (`connect_error` with `err.data`) is
 * final in socket.io: call `socket.connect()` to try again.
 */
import { io } from "/static/vendor/socket.io/socket.io.esm.min.js";

export function connect(namespace, auth) {
  return io(namespace, {
    auth: typeof auth === "function" ? (reply) => reply(auth()) : auth,
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
  });
}
