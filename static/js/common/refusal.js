/**
 * Words for a refused socket connect (docs/protocol.md: `connect_error` carries {code, message}),
 * for the control room and the projector, whose namespaces both need a facilitator's login or key.
 */
import { gettext } from "./i18n.js";

const ADVICE = {
  unauthorized: () => gettext("Reload the page to log in again."),
  forbidden: () => gettext("Ask the workshop's owner to add you as a co-facilitator."),
};

export function describeRefusal(error) {
  const data = error?.data ?? {};
  const message = data.message ?? error?.message ?? gettext("The server refused the connection.");
  return [message, ADVICE[data.code]?.()].filter(Boolean).join(" ");
}
