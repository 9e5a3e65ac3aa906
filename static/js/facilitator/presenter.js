/**
 * The presenter view (GET /facilitator/workshops/<id>/presenter): a second laptop screen that
 * faces the facilitator. One socket to /facilitator, like the control room, drawing only the
 * newest `control` snapshot: the current activity's script (`activity.script`), the timer, the
 * next activity and the room's signals. Previous and Next (and ← →) send the same `act` as the
 * control room's buttons (docs/protocol.md).
 */
import { createCountdown } from "../common/countdown.js";
import { createLatest } from "../common/latest.js";
import { describeRefusal } from "../common/refusal.js";
import { h } from "../common/dom.js";
import { formatNumber, gettext, planLanguage } from "../common/i18n.js";
import { connect } from "../common/socket.js";
import { createScriptView } from "./script-view.js";
import { createReactionTally } from "./side.js";

const ACK_TIMEOUT_MS = 10_000;
const byId = (id) => document.getElementById(id);
const root = byId("presenter");
const latest = createLatest();
const script = createScriptView(byId("presenter-script-section"), byId("presenter-script"));
const countdown = createCountdown(byId("presenter-timer"), { slot: byId("presenter-timer-slot") });
const reactions = createReactionTally(byId("presenter-reactions"));
const status = byId("presenter-status");
let online = false;
let acting = false;

const socket = connect("/facilitator", { workshop_id: Number(root.dataset.workshopId) });
socket.on("connect", () => {
  online = true;
  status.textContent = "";
  render();
});
socket.on("disconnect", () => {
  online = false;
  status.textContent = gettext("Connection lost. Reconnecting…");
  render();
});
socket.on("connect_error", (error) => {
  if (!socket.active) status.textContent = describeRefusal(error);
});
socket.on("control", (snapshot) => {
  if (latest.offerSnapshot(snapshot)) render();
});

/** "Step 3 of 12", or what the phase says when no step is showing. */
function stepText(control) {
  if (control.phase === "lobby") return gettext("Waiting to start");
  if (control.phase === "ended") return gettext("This workshop has ended");
  return gettext("Step %(step)s of %(total)s", {
    step: formatNumber(control.index + 1),
    total: formatNumber(control.activities.length),
  });
}

function planLabel(text) {
  return h("bdi", { lang: planLanguage() }, text);
}

/** The activity after the current one (the first one in the lobby), or null. */
function nextRow(control) {
  if (control.phase === "ended") return null;
  return control.activities[control.phase === "lobby" ? 0 : control.index + 1] ?? null;
}

function render() {
  const control = latest.snapshot;
  if (!control) return;
  root.dataset.phase = control.phase;
  const live = control.phase === "live";
  const current = live ? control.activities[control.index] : null;
  byId("presenter-step").textContent = stepText(control);
  // A step's label is the plan's text, isolated in its own language and direction (<bdi>) on
  // the page's side of the line; the phase's words are the page's.
  byId("presenter-now").replaceChildren(current ? planLabel(current.label) : stepText(control));
  script.show(live ? control.activity?.script : null);
  byId("presenter-empty").hidden = !live || Boolean(control.activity?.script);
  const next = nextRow(control);
  byId("presenter-next").replaceChildren(next ? planLabel(next.label) : gettext("Nothing: this is the last step."));
  countdown.set(live ? control.closes_in : null);
  renderRoom(control, current);
  for (const button of root.querySelectorAll("button[data-action]")) {
    const edge = button.dataset.action === "prev" ? control.index <= 0 : control.index >= control.activities.length - 1;
    button.disabled = !online || !live || edge;
  }
}

function renderRoom(control, current) {
  byId("presenter-connected").textContent = formatNumber(control.connected);
  byId("presenter-answered-row").hidden = !current?.takes_answers;
  // The row is named "Answered", so the number alone (passes are in the control room).
  byId("presenter-answered").textContent = formatNumber(control.progress.answered ?? 0);
  const breaks = control.signals.break;
  byId("presenter-breaks").textContent = formatNumber(breaks);
  byId("presenter-breaks-row").classList.toggle("is-fresh", breaks > 0);
  reactions.update(control);
}

/** Send Previous or Next; a refusal is said in the status line. */
function act(action) {
  if (acting || !online) return;
  acting = true;
  socket.timeout(ACK_TIMEOUT_MS).emit("act", { action }, (timedOut, ack) => {
    acting = false;
    if (timedOut) status.textContent = gettext("The server did not answer. Check the connection and try again.");
    else if (!ack?.ok) status.textContent = ack?.error?.message ?? gettext("That did not work. Please try again.");
    else if (latest.offerSnapshot(ack.control)) render();
  });
}

root.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (button && !button.disabled) act(button.dataset.action);
});

// ← and → move through the plan, as in the control room (mirrored on a right-to-left page: Next is
// the arrow towards the end of a line); a clicker's Page Down and Page Up in every direction; a
// held key must not race ahead.
const KEYS = {
  ...(document.documentElement.dir === "rtl" ? { ArrowLeft: "next", ArrowRight: "prev" } : { ArrowRight: "next", ArrowLeft: "prev" }),
  PageDown: "next",
  PageUp: "prev",
};
document.addEventListener("keydown", (event) => {
  const action = KEYS[event.key];
  if (!action || event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  event.preventDefault();
  const button = root.querySelector(`button[data-action="${action}"]`);
  if (!button.disabled) act(action);
});
