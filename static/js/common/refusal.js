/**
 * Words for a refused socket connect (docs/protocol.md: `connect_error` carries {code, message}),
 * for the control room and the projector, whose namespaces both need a facilitator's login or key.
 */
const ADVICE = {
  unauthorized: "Reload the page to log in again.",
  forbidden: "Ask the workshop's owner to add you as a co-facilitator.",
};

export function describeRefusal(error) {
  const data = error?.data ?? {};
  const message = data.message ?? error?.message ?? "The server refused the connection.";
  return [message, ADVICE[data.code]].filter(Boolean).join(" ");
}
