/**
 * One polite status line for the control room: action errors, copy confirmations, and the
 * connection state. Messages disappear by themselves unless they must stay (offline).
 */
const SHOW_MS = 6000;

export function createToast(element) {
  let timer = null;

  return {
    /** Show `message`; `sticky` keeps it until the next message, `tone` is "error" or "info". */
    show(message, { tone = "info", sticky = false } = {}) {
      clearTimeout(timer);
      element.textContent = message;
      element.dataset.tone = tone;
      element.hidden = false;
      if (!sticky) timer = setTimeout(() => (element.hidden = true), SHOW_MS);
    },
  };
}
