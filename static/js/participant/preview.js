/**
 * The phone preview frame (GET /facilitator/plans/preview). The editor posts the selected
 * activity here; it is drawn by the phone's own activity view (static/js/participant/), in the
 * phone's own page frame and styles, so the preview is exactly what a participant sees. It
 * lives with the phone's code for that reason; the editor (static/js/facilitator/editor/) talks
 * to it only by messages, so neither side imports the other.
 *
 *   editor → frame: {type: "show", key, activity, index, total, minGroup}, {type: "restart"}
 *   editor → frame: {type: "hello"} when the editor starts listening
 *   frame → editor: {type: "ready"} once it listens, and again in answer to "hello"
 *
 * The two modules start in either order (the frame's may come from the cache and run first):
 * the frame's first "ready" may reach no one, so the editor says "hello" when it starts, and
 * whichever message is sent second finds the other side listening.
 *
 * Answers and passes stay in this frame: they only update the status line as on a phone.
 */
import { createActivityView } from "./activity.js";
import { gettext } from "../common/i18n.js";

const screen = document.getElementById("screen");
const placeholder = screen.firstElementChild;
const progress = document.getElementById("progress");

// What was chosen at each activity's content note, so typing in the editor does not bring the
// note back every time the preview is redrawn. Forgotten on "restart".
let noteChoices = new Map();
let view = null;
let mine = null;
let shown = null;

window.addEventListener("message", (event) => {
  if (event.origin !== location.origin || event.source !== window.parent) return;
  const message = event.data ?? {};
  if (message.type === "hello") sayReady();
  if (message.type === "show") show(message);
  if (message.type === "clear") clear();
  if (message.type === "restart") {
    noteChoices = new Map();
    if (shown) show(shown);
  }
});
sayReady();
// Tests (and anyone curious) can tell when the frame is listening.
document.documentElement.dataset.ready = "true";

function sayReady() {
  window.parent.postMessage({ type: "ready" }, location.origin);
}

/** Draw one activity as the phone draws it, open for answers. */
function show(message) {
  const { key, activity, index, total, minGroup } = message;
  // A redrawn activity may have other options: an earlier try-out answer would not fit it.
  mine = null;
  shown = message;
  view?.destroy();
  view = createActivityView(activity, {
    minGroup,
    noteChoice: noteChoices.get(key),
    onNoteChoice: (choice) => noteChoices.set(key, choice),
    onAnswer: (value) => {
      mine = { value, passed: false };
      update();
    },
    onPass: () => {
      mine = { value: null, passed: true };
      update();
    },
  });
  screen.replaceChildren(view.root);
  progress.hidden = !total;
  progress.textContent = gettext("Step %(step)s of %(total)s", { step: index + 1, total });
  update();
}

/** Nothing selected: the frame's own "nothing to show" card. */
function clear() {
  view?.destroy();
  view = null;
  shown = null;
  progress.hidden = true;
  screen.replaceChildren(placeholder);
}

function update() {
  view?.update({ accepting: true, mine, pending: undefined, error: null, online: true });
}
