/**
 * The control room (GET /facilitator/workshops/<id>): one socket to /facilitator, the newest
 * `control` snapshot and `results`, and every button as an acknowledged `act`
 * (docs/protocol.md). Two tabs on one workshop stay in sync because the server broadcasts
 * every change to both; this page never assumes it saw an earlier message.
 */
import { answeredText } from "../common/dom.js";
import { connect } from "../common/socket.js";
import { createActionBar } from "./action-bar.js";
import { createCare } from "./care.js";
import { describeRefusal } from "../common/refusal.js";
import { createLatest } from "../common/latest.js";
import { createPlanList } from "./plan-list.js";
import { createQuestions } from "./questions.js";
import { createRehearsal } from "./rehearsal.js";
import { createRejected, restoredText } from "./rejected.js";
import { createResources } from "./resources.js";
import { createBreaks, createModeration, createReactionTally, createWordList } from "./side.js";
import { createDoor } from "./door.js";
import { createScriptView } from "./script-view.js";
import { createStage } from "./stage.js";
import { createSummaryPanel } from "./summary.js";
import { createTabs } from "./tabs.js";
import { createToast } from "./toast.js";
import { gettext, ngettext } from "../common/i18n.js";
import { createUndo, takenAway } from "./undo.js";

const ACK_TIMEOUT_MS = 10_000;
const PHASE_LABELS = { lobby: () => gettext("Waiting to start"), live: () => gettext("Live"), ended: () => gettext("Ended") };
// data-* attributes that become fields of an action, with their types.
const ACTION_FIELDS = {
  index: ["index", Number],
  seconds: ["seconds", Number],
  responseId: ["response_id", Number],
  questionId: ["question_id", Number],
  word: ["word", String],
};

const byId = (id) => document.getElementById(id);
const root = byId("control");
// The workshop's frozen copy of its plan: every activity's full spec, in order. It cannot
// change during a workshop, so the page carries it and snapshots only say where we are.
const plan = JSON.parse(root.dataset.activities);
const latest = createLatest();
const toast = createToast(byId("toast"));
const planList = createPlanList(byId("plan-list"));
const stage = createStage(byId("stage-activity"), byId("stage-results"), byId("stage-comparison"));
const actionBar = createActionBar(byId("action-bar"));
const script = createScriptView(byId("script-panel"), byId("script-text"));
const breaks = createBreaks({
  section: byId("breaks"),
  count: byId("breaks-count"),
  hint: byId("breaks-hint"),
  noted: byId("breaks-noted"),
  storageKey: `hearth.control.${root.dataset.workshopId}.breaks-noted`,
});
const reactions = createReactionTally(byId("reactions-tally"));
const door = createDoor(
  {
    root: byId("door"),
    badge: byId("lock-badge"),
    stateText: byId("door-state-text"),
    counts: byId("door-counts"),
    turned: byId("door-turned"),
    toggle: byId("door-toggle"),
    form: byId("head-count-form"),
    input: byId("head-count"),
    warning: byId("door-warning"),
  },
  { send: (payload) => send(payload), toast },
);
// Only a rehearsal's control room has the box (templates/facilitator/_rehearsal_panel.html).
const rehearsal = createRehearsal(
  { root: byId("rehearsal-box"), form: byId("simulate-form"), input: byId("simulate-count"), button: byId("simulate-button"), hint: byId("simulate-hint") },
  { send: (payload) => send(payload), toast },
);
const moderation = createModeration({
  list: byId("moderation-list"),
  empty: byId("moderation-empty"),
  count: byId("moderation-count"),
});
const wordList = createWordList({ section: byId("words"), list: byId("words-list") });
// Where the keyboard goes when the button it was on disappears: the open side tab.
const focusSideTab = () => byId("side-tabs").querySelector("[aria-selected=true]")?.focus();
const undo = createUndo(
  { root: byId("undo"), text: byId("undo-text"), button: byId("undo-button") },
  { send: (payload) => send(payload), toast, focusAfter: focusSideTab },
);
const rejected = createRejected(
  {
    answers: { section: byId("rejected-answers"), summary: byId("rejected-answers-summary"), list: byId("rejected-answers-list") },
    questions: { section: byId("rejected-questions"), summary: byId("rejected-questions-summary"), list: byId("rejected-questions-list") },
  },
  { focusAfter: focusSideTab },
);
const questions = createQuestions({
  status: byId("qa-status"),
  toggle: byId("qa-toggle"),
  board: byId("qa-board-toggle"),
  count: byId("qa-count"),
  empty: byId("qa-empty"),
  groups: Object.fromEntries(
    ["pending", "approved", "answered"].map((state) => [state, { section: byId(`qa-${state}-group`), list: byId(`qa-${state}`) }]),
  ),
});
const resources = createResources(
  {
    banner: byId("resources-banner"),
    openers: [byId("resources-review"), byId("resources-button")],
    dialog: byId("resources-dialog"),
    form: byId("resources-form"),
    list: byId("resources-list"),
    add: byId("resources-add"),
    note: byId("resources-note"),
    error: byId("resources-error"),
    cancel: byId("resources-cancel"),
  },
  {
    save: (list, region) => send({ action: "resources", resources: list, region }),
    onSaved: () => toast.show(gettext("Support resources saved. Phones show them on their break screen.")),
  },
);
const care = createCare(
  {
    section: byId("care"),
    count: byId("care-count"),
    list: byId("care-list"),
    resources: byId("care-resources"),
    announce: byId("care-announce"),
    dialog: byId("care-release-dialog"),
    fallbackFocus: byId("breaks"),
  },
  { act: (payload) => act(payload) },
);
createTabs(byId("side-tabs"));
// The centre column: what is showing now (or, after the end, a step looked back at), and
// the Summary view (notes, downloads, the take-home page, deleting the answers).
createTabs(byId("stage-tabs"));
const summary = createSummaryPanel(byId("summary-panel"), { toast });
// The phase this page last drew, so that the moment a workshop ends opens the Summary view.
let drawnPhase = root.dataset.phase;

let online = false;
// Set by a dropped connection, so that only a real reconnect says "Connected again".
let dropped = false;
// One action at a time: a double-click on Next must not skip a slide.
let acting = false;
// After the end, the plan's rows open a step's results here, without changing the workshop.
let reviewIndex = null;

const socket = connect("/facilitator", { workshop_id: Number(root.dataset.workshopId) });

socket.on("connect", () => {
  if (dropped) toast.show(gettext("Connected again."));
  dropped = false;
  online = true;
  render();
});

socket.on("disconnect", () => {
  online = false;
  dropped = true;
  toast.show(gettext("Connection lost. Reconnecting…"), { tone: "error", sticky: true });
  render();
});

socket.on("connect_error", (error) => {
  // socket.active is false when the server refused us (not logged in, not our workshop);
  // otherwise the client keeps retrying on its own.
  if (!socket.active) toast.show(describeRefusal(error), { tone: "error", sticky: true });
});

socket.on("control", (snapshot) => {
  if (latest.offerSnapshot(snapshot)) render();
});

socket.on("results", (payload) => {
  const control = latest.snapshot;
  const activity = control && shownActivity(control);
  if (!latest.offerResults(payload) || payload.activity_id !== activity?.id) return;
  stage.showResults(control, activity, payload);
  if (control.phase === "live") wordList.update(activity, payload);
});

/**
 * The activity on the stage: the current one while live, the one being reviewed after the
 * end, else null (a self-paced workshop has no current one). Its full spec comes from the plan
 * copy, its state from the snapshot.
 */
function shownActivity(control) {
  const current = control.workshop.pace === "self" ? null : control.index;
  const index = { live: current, ended: reviewIndex }[control.phase];
  const summary = index === null || index === undefined ? null : control.activities[index];
  return summary ? { ...plan[index], id: summary.id, index, revealed: summary.revealed } : null;
}

function render() {
  const control = latest.snapshot;
  if (!control) return;
  root.dataset.phase = control.phase;
  renderStrip(control);
  const activity = shownActivity(control);
  const results = activity && latest.resultsFor(activity.id);
  const live = control.phase === "live";
  planList.update(control, activity?.index);
  stage.update(control, activity, results);
  // The plan copy has every step's script: the one showing now, or the one looked back at.
  script.show(activity?.script);
  byId("stage-view").classList.toggle("has-script", Boolean(activity?.script?.trim()));
  actionBar.update(control, { online });
  byId("end-button").hidden = control.phase === "ended";
  byId("end-button").disabled = !online;
  care.update(control);
  breaks.update(control);
  door.update(control);
  byId("door-toggle").disabled = !online;
  rehearsal.update(control, { online });
  reactions.update(control);
  moderation.update(control, live ? activity : null);
  wordList.update(live ? activity : null, results);
  questions.update(control);
  rejected.update(control);
  undo.update(control);
  resources.update(control);
  summary.update(control);
  renderCentreTabs(control);
  // Once the answers are deleted there is nothing left to moderate.
  if (control.purged) {
    for (const id of ["side-tabs", "panel-answers", "panel-questions"]) byId(id).hidden = true;
  }
}

/** After the end the stage is for looking back; the Summary view opens when the end comes. */
function renderCentreTabs(control) {
  byId("tab-stage").textContent = control.phase === "ended" ? gettext("Look back") : gettext("Now showing");
  if (control.phase === "ended" && drawnPhase !== "ended") showCentre("tab-summary");
  drawnPhase = control.phase;
}

/** Pick one of the centre column's tabs (as a click on it would). */
function showCentre(tabId) {
  const tab = byId(tabId);
  if (tab.getAttribute("aria-selected") !== "true") tab.click();
}

function renderStrip(control) {
  const phase = byId("phase");
  phase.dataset.phase = control.phase;
  phase.textContent = PHASE_LABELS[control.phase]();
  byId("join-code").textContent = control.workshop.code;
  const connected = ngettext("%(num)s connected", "%(num)s connected", control.connected);
  // A self-paced workshop has no current activity, so no progress of one to count.
  const live = control.phase === "live" && control.workshop.pace !== "self";
  const answerable = live && control.activities[control.index].takes_answers;
  byId("counts").textContent = answerable
    ? `${answeredText(control.progress.answered, control.progress.passed)} · ${connected}`
    : connected;
}

/**
 * Send one action and show the new snapshot on success. Resolves to the ack (a time-out
 * becomes a refusal with a sentence to show), or to null when nothing was sent: offline, or
 * another action still on its way.
 */
function send(payload) {
  if (acting || !online) return Promise.resolve(null);
  acting = true;
  return new Promise((resolve) => {
    socket.timeout(ACK_TIMEOUT_MS).emit("act", payload, (timedOut, ack) => {
      acting = false;
      if (timedOut) {
        resolve({ ok: false, error: { message: gettext("The server did not answer. Check the connection and try again.") } });
        return;
      }
      if (ack?.ok && latest.offerSnapshot(ack.control)) render();
      resolve(ack ?? { ok: false });
    });
  });
}

/** Send one action from a button; a refusal shows the server's sentence in the toast. */
async function act(payload) {
  const before = latest.snapshot;
  const ack = await send(payload);
  const taken = ack?.ok ? takenAway(payload, before) : null;
  if (taken) undo.offer(taken);
  if (ack?.ok && restoredText(payload)) toast.show(restoredText(payload));
  if (ack && !ack.ok) toast.show(ack.error?.message ?? gettext("That did not work. Please try again."), { tone: "error" });
  if (ack?.ok && (payload.action === "lock" || payload.action === "unlock")) toast.show(door.confirmation(payload.action));
}

/** The action described by a button's data-* attributes. */
function actionOf(button) {
  const payload = { action: button.dataset.action };
  for (const [attribute, [field, type]] of Object.entries(ACTION_FIELDS)) {
    if (button.dataset[attribute] !== undefined) payload[field] = type(button.dataset[attribute]);
  }
  return payload;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button || button.disabled) return;
  const payload = actionOf(button);
  // Moving through the plan brings the stage back into view.
  if (["start", "goto", "next", "prev"].includes(payload.action)) showCentre("tab-stage");
  if (payload.action === "goto" && latest.snapshot?.phase === "ended") {
    reviewIndex = payload.index;
    render();
    return;
  }
  // Clicking the activity already showing is not a move.
  if (payload.action === "goto" && payload.index === latest.snapshot?.index) return;
  act(payload);
});

const endDialog = byId("end-dialog");
byId("end-button").addEventListener("click", () => endDialog.showModal());
endDialog.addEventListener("close", () => {
  if (endDialog.returnValue === "end") act({ action: "end" });
  endDialog.returnValue = "";
});

// ← and → move through the plan, except while typing, in a dialog, or when a widget used the
// key (the side tabs); a held key repeats, and must not race through several slides.
// L locks or unlocks the room, under the same conditions. Next is the arrow towards the end of a
// line, as on its button: ← on a right-to-left (Arabic) page. Page Down and Page Up (what a
// presentation clicker sends) are Next and Previous in every direction.
const RTL = document.documentElement.dir === "rtl";
const SHORTCUTS = {
  [RTL ? "ArrowLeft" : "ArrowRight"]: "next",
  [RTL ? "ArrowRight" : "ArrowLeft"]: "prev",
  PageDown: "next",
  PageUp: "prev",
  l: "lock",
  L: "lock",
};
const shortcutsDialog = byId("shortcuts-dialog");
byId("shortcuts-button").addEventListener("click", () => shortcutsDialog.showModal());
// "?" opens the list of shortcuts (it needs Shift on most keyboards, so it is checked apart).
document.addEventListener("keydown", (event) => {
  if (event.key !== "?" || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable]") || document.querySelector("dialog[open]")) return;
  event.preventDefault();
  shortcutsDialog.showModal();
});
document.addEventListener("keydown", (event) => {
  const action = SHORTCUTS[event.key];
  if (!action || event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable]") || document.querySelector("dialog[open]")) return;
  event.preventDefault();
  if (action === "lock") door.press();
  else actionBar.press(action);
});

// The projector's colours travel in its links (?theme=dark), so a second device keeps them too.
byId("projector-theme").addEventListener("change", (event) => {
  for (const [element, attribute] of [[byId("open-projector"), "href"], [byId("present-url"), "value"]]) {
    const url = new URL(element[attribute], location.href);
    if (event.target.value === "dark") url.searchParams.set("theme", "dark");
    else url.searchParams.delete("theme");
    element[attribute] = element === byId("present-url") ? url.href : url.pathname + url.search;
  }
});

byId("copy-present-url").addEventListener("click", async () => {
  const input = byId("present-url");
  try {
    await navigator.clipboard.writeText(input.value);
    toast.show(gettext("Projector link copied."));
  } catch {
    // The clipboard API needs HTTPS or localhost; on a LAN address, let the person copy it.
    input.select();
    toast.show(gettext("Press Ctrl+C (or ⌘C) to copy the selected link."));
  }
});
