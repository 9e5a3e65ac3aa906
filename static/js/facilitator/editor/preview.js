/**
 * The editor's side of the phone preview: it sends the selected activity to the preview frame
 * (static/js/participant/preview.js), which draws it with the phone's own code. On a narrow
 * screen the preview opens over the editor with the Preview button and closes with
 * "Close preview" or Escape.
 *
 *   const preview = createPreview({ frame, panel, which, closeButton, restartButton, minGroup });
 *   preview.show(item | null, index, total); preview.open(returnFocusTo);
 */
import { gettext } from "../../common/i18n.js";
import { KINDS, phoneActivity } from "./kinds.js";

const NARROW = window.matchMedia("(max-width: 60rem)");
const REDRAW_MS = 120;

export function createPreview({ frame, panel, which, closeButton, restartButton, minGroup }) {
  let ready = false;
  let pending = null;
  let timer = null;
  let returnFocus = null;

  window.addEventListener("message", (event) => {
    if (event.origin !== location.origin || event.source !== frame.contentWindow) return;
    if (event.data?.type === "ready") {
      ready = true;
      flush();
    }
  });
  // The frame says "ready" once when its script starts. If it started before this listener
  // existed (its modules came from the cache, or this page's were slow), that word was lost:
  // ask again. Whichever side is first, one of the two messages arrives after both listen.
  frame.contentWindow?.postMessage({ type: "hello" }, location.origin);
  restartButton.addEventListener("click", () => post({ type: "restart" }));
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && panel.classList.contains("is-open")) close();
  });

  function post(message) {
    if (ready) frame.contentWindow.postMessage(message, location.origin);
  }

  function flush() {
    timer = null;
    if (pending) post(pending);
  }

  // While the preview covers the editor, what is behind it takes no focus.
  const behind = () => document.querySelectorAll(".app-header, .editor-bar, .editor-main, .editor-message");

  function close() {
    for (const element of behind()) element.inert = false;
    panel.classList.remove("is-open");
    document.body.classList.remove("preview-is-open");
    returnFocus?.focus();
    returnFocus = null;
  }

  return {
    /** Show an activity (or nothing); redraws are batched while someone types. */
    show(item, index, total) {
      if (!item) {
        which.textContent = total
          ? gettext("Choose an activity to see it as a phone shows it.")
          : gettext("Add an activity to see it here.");
        pending = { type: "clear" };
        if (timer === null) timer = setTimeout(flush, REDRAW_MS);
        return;
      }
      which.textContent = gettext("Activity %(number)s of %(total)s · %(kind)s", {
        number: index + 1,
        total,
        kind: KINDS[item.activity.kind].name,
      });
      pending = {
        type: "show",
        key: item.key,
        activity: phoneActivity(item.activity, index + 1, index),
        index,
        total,
        minGroup,
      };
      if (timer === null) timer = setTimeout(flush, REDRAW_MS);
    },
    /** On a narrow screen, open the preview over the editor and move focus into it. */
    open(from) {
      if (!NARROW.matches) return;
      returnFocus = from;
      panel.classList.add("is-open");
      document.body.classList.add("preview-is-open");
      for (const element of behind()) element.inert = true;
      closeButton.focus();
    },
  };
}
