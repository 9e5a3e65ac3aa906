/**
 * The participant app (GET /j/<code>). After a short transparency screen it joins the
 * /participant namespace and renders every `state`, `results` and `qa` (docs/protocol.md).
 * Answers, passes, questions and "delete my answers" go through the outbox, so flaky Wi-Fi and
 * sleeping screens lose nothing.
 */
import { createOutbox } from "/static/js/common/outbox.js";
import { connect } from "/static/js/common/socket.js";
import { createActivityView } from "./activity.js";
import { createBreakPanel } from "./breaks.js";
import { createQuestionsPanel } from "./questions.js";
import { createReactions } from "./reactions.js";
import * as screens from "./screens.js";
import { createPacer, isSelfPaced } from "./selfpaced.js";
import { forgetEverything, tabMemory } from "./storage.js";
import { gettext } from "/static/js/common/i18n.js";

const ACK_TIMEOUT_MS = 8000;

const app = document.getElementById("participant-app");
const code = app.dataset.code;
const memory = tabMemory(code);
const byId = (id) => document.getElementById(id);
const ui = {
  intro: byId("intro"),
  joinButton: byId("join-button"),
  screen: byId("screen"),
  panels: byId("panels"),
  tools: byId("tools"),
  questionsButton: byId("questions-button"),
  progress: byId("progress"),
  connection: byId("connection"),
  notice: byId("notice"),
  announcer: byId("announcer"),
  quickExit: byId("quick-exit"),
  breakButton: byId("break-button"),
  deleteOpen: byId("delete-open"),
  deleteConfirm: byId("delete-confirm"),
  deleteYes: byId("delete-yes"),
  deleteNo: byId("delete-no"),
  deleteStatus: byId("delete-status"),
};

const model = {
  title: "",
  state: null, // as the screen reads it: in a self-paced workshop, the activity this phone is on
  raw: null, // the last `state` as the server sent it
  results: null, // the newest results for the current activity
  qa: null,
  mine: new Map(), // activity id -> {value, passed}, from the connect snapshot and from acks
  errors: new Map(), // activity id -> message of a refused answer
  notes: memory.get("notes") ?? {}, // activity id -> "continue" | "skip" at its content note
  everConnected: false,
};

let socket = null;
let outbox = null;
let mounted = { key: null, view: null };
let panels = null;
let openPanelName = null;
let offlineTimer = null;
// Self-paced workshops: which activity this tab is on, kept in this tab only.
const pacer = createPacer({ saved: memory.get("pace_index") ?? 0, onMove: moveTo });
ui.screen.after(pacer.root);

ui.quickExit.addEventListener("click", quickExit);
if (memory.get("accepted")) {
  join();
} else {
  ui.intro.hidden = false;
  ui.joinButton.addEventListener("click", () => {
    memory.set("accepted", true);
    ui.intro.hidden = true;
    join();
  });
}

/** Leave at once: forget this tab's data and replace the page so Back does not return here. */
function quickExit(event) {
  event.preventDefault();
  forgetEverything();
  location.replace(ui.quickExit.href);
}

/** Open the connection and the outbox, and wire the session's controls. */
function join() {
  show("connecting", screens.connectingScreen);
  // `lang`: the page's language, so that the server's refusals and acks speak it too.
  const lang = document.documentElement.lang;
  socket = connect("/participant", () => ({ code, token: memory.get("token"), lang }));
  outbox = createOutbox(socket, { storageKey: memory.key("outbox"), onAck, onChange: renderStatus });
  socket.on("connect", () => setOnline(true));
  socket.on("disconnect", () => setOnline(false));
  socket.on("connect_error", onConnectError);
  socket.on("welcome", onWelcome);
  socket.on("state", onState);
  socket.on("results", onResults);
  socket.on("qa", onQa);
  buildPanels();
  wireDeleteControls();
}

/** Emit once and wait for the ack; null when it timed out or the connection dropped. */
function emitOnce(event, payload) {
  return socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload).catch(() => null);
}

function onWelcome({ token, workshop, reactions }) {
  memory.set("token", token);
  ui.deleteOpen.hidden = false;
  model.title = workshop?.title ?? "";
  if (reactions?.length && !ui.tools.querySelector(".reactions")) {
    ui.tools.prepend(createReactions(reactions, (emoji) => emitOnce("react", { emoji })));
  }
}

function onState(incoming) {
  if (model.raw && incoming.version <= model.raw.version) return;
  model.raw = incoming;
  for (const [id, mine] of Object.entries(incoming.mine_by_activity ?? {})) rememberMine(Number(id), mine);
  const state = isSelfPaced(incoming) ? pacer.view(incoming) : incoming;
  const previous = model.state;
  const resultsWereShown = model.results?.hidden === null;
  const activityId = state.activity?.id ?? null;
  if (activityId !== (previous?.activity?.id ?? null)) {
    model.results = null;
    ui.notice.hidden = true;
  }
  // `mine` is only in the snapshot sent on connect; broadcasts leave it out.
  if ("mine" in state && activityId !== null) rememberMine(activityId, state.mine);
  model.state = state;
  // Every snapshot is complete: no results in it means none to show.
  if (!state.results) model.results = null;
  else acceptResults(state.results);
  if (state.qa) onQa(state.qa);
  panels.pause.setResources(state.resources);
  if (state.phase === "ended") {
    memory.forget();
    openPanel(null);
  }
  showProgress(state);
  render();
  mounted.view.setCountdown?.(state.accepting ? state.closes_in : null);
  announceShift(previous, state, !resultsWereShown && model.results?.hidden === null);
  announceElsewhere(previous, state);
}

/**
 * What changed out of sight: a new activity while the phone rests on the Questions panel (said
 * calmly there and once aloud; the panel stays), and the take-home link on the end screen.
 */
function announceElsewhere(previous, state) {
  if (!previous) return;
  const opened = state.phase === "live" && state.activity && state.activity.id !== previous.activity?.id;
  if (opened && openPanelName === "questions" && state.pace !== "self") {
    panels.questions.setNews(true);
    announce(gettext("Something new has opened in the session. Your place here is kept."));
  }
  if (state.phase === "ended" && state.summary_url && state.summary_url !== previous.summary_url) {
    announce(gettext("The facilitator has shared a take-home page with what the group saw today."));
  }
}

/** A self-paced phone moved to another activity of the plan (Previous / Next). */
function moveTo(index) {
  memory.set("pace_index", index);
  const state = pacer.view(model.raw);
  model.state = state;
  model.results = state.results;
  ui.notice.hidden = true;
  showProgress(state);
  render();
}

function onResults(results) {
  // Self-paced: any activity's results may come; the plan keeps them for when the phone gets there.
  if (isSelfPaced(model.raw) && !pacer.merge(model.raw, results)) return;
  const wasVisible = model.results?.hidden === null;
  if (!acceptResults(results)) return;
  mounted.view.showResults?.(model.results);
  if (!wasVisible && results.hidden === null) announce(gettext("Results are in."));
}

/** Keep results for the current activity when newer than what is held; true if kept. */
function acceptResults(results) {
  if (results.activity_id !== model.state?.activity?.id) return false;
  if (model.results && results.version <= model.results.version) return false;
  model.results = results;
  return true;
}

function onQa(qa) {
  if (model.qa && qa.version <= model.qa.version) return;
  model.qa = qa;
  panels.questions.update(qa);
  ui.questionsButton.hidden = !qa.open && qa.questions.length === 0;
  ui.questionsButton.textContent = qa.open ? gettext("Ask a question") : gettext("Questions");
}

function rememberMine(activityId, mine) {
  if (mine) model.mine.set(activityId, mine);
  else model.mine.delete(activityId);
}

/** "Step 3 of 12": a predictable session is a calmer one. */
function showProgress({ phase, index, total }) {
  ui.progress.hidden = phase !== "live" || !Number.isInteger(index) || !total;
  if (!ui.progress.hidden) ui.progress.textContent = gettext("Step %(step)s of %(total)s", { step: index + 1, total });
}

/** Mount the screen or activity the state calls for, then bring it up to date. */
function render() {
  const state = model.state;
  pacer.update(model.raw, model.mine, openPanelName === null);
  ui.tools.hidden = state.phase === "ended" || openPanelName !== null;
  ui.breakButton.hidden = state.phase === "ended";
  if (state.phase === "ended") {
    show("ended", () => screens.endedScreen(state.resources));
    return mounted.view.setSummary?.(state.summary_url);
  }
  if (state.phase === "lobby") return show("lobby", () => screens.lobbyScreen(model.title));
  if (!state.activity) return show("waiting", screens.waitingScreen);
  const activity = state.activity;
  show(`activity:${activity.id}`, () =>
    createActivityView(activity, {
      minGroup: state.min_group ?? Number(app.dataset.minGroup),
      noteChoice: model.notes[activity.id],
      onNoteChoice: (choice) => {
        model.notes[activity.id] = choice;
        memory.set("notes", model.notes);
      },
      onAnswer: (value) => queueAnswer("answer", { activity_id: activity.id, value }),
      onPass: () => queueAnswer("pass", { activity_id: activity.id }),
    }),
  );
  mounted.view.showResults(model.results);
  renderStatus();
}

/** Replace what is on screen unless it is already showing; focus or announce its heading. */
function show(key, build) {
  if (mounted.key === key) return;
  mounted.view?.destroy?.();
  mounted = { key, view: build() };
  ui.screen.replaceChildren(mounted.view.root);
  // Removing the old screen drops focus to <body>: move it to the new heading then,
  // but never pull it away from something the participant is using, like a panel.
  const heading = mounted.view.heading();
  if (openPanelName === null && (document.activeElement === document.body || !document.activeElement)) {
    heading.focus();
  } else {
    announce(heading.textContent);
  }
}

/** Push my answer state (pending, acked, refused, online) into the current activity. */
function renderStatus() {
  pacer.update(model.raw, model.mine, openPanelName === null);
  const id = model.state?.activity?.id;
  if (id === undefined || !mounted.view?.update) return;
  mounted.view.update({
    accepting: model.state.accepting,
    mine: model.mine.get(id) ?? null,
    pending: outbox.pending(activityKey(id)),
    error: model.errors.get(id) ?? null,
    online: socket.connected,
  });
}

function activityKey(activityId) {
  return `activity:${activityId}`;
}

/** Queue an answer or a pass; a newer one for the same activity replaces an unsent one. */
function queueAnswer(event, payload) {
  model.errors.delete(payload.activity_id);
  outbox.send(event, payload, activityKey(payload.activity_id));
}

function onAck({ event, payload, ack }) {
  if (event === "retract") return retractDone(ack);
  if (event === "ask") return panels.questions.settled(payload, ack);
  const id = payload.activity_id;
  if (ack?.ok) {
    model.mine.set(id, ack.mine);
    // Someone who just pressed Send or Pass is taken to the confirmation (read out as it gets focus);
    // anyone elsewhere (a panel, another field) hears one short line instead.
    const here = id === model.state?.activity?.id && openPanelName === null && mounted.view?.confirm;
    const focusFree = document.activeElement === document.body || ui.screen.contains(document.activeElement);
    const typing = document.activeElement?.matches?.("input[type=text], textarea");
    if (here && focusFree && !typing) {
      renderStatus();
      mounted.view.confirm();
      return;
    }
    announce(event === "pass" ? gettext("You passed on this one.") : gettext("Your answer is in."));
  } else {
    const message = ack?.error?.message ?? gettext("That did not go through. Please try again.");
    model.errors.set(id, message);
    // The question may have moved on while this was in the outbox: say so outside the widget.
    if (id !== model.state?.activity?.id) showNotice(gettext("An earlier answer could not be saved: %(reason)s", { reason: message }));
  }
  renderStatus();
}

function onConnectError(err) {
  const refusal = err?.data;
  if (!refusal?.code) {
    // A network failure: socket.io keeps retrying by itself.
    setOnline(false);
    return;
  }
  if (refusal.code === "invalid_token") {
    // The key this tab kept was not issued for this workshop (the server's secret changed, or
    // it was altered): drop it and join as a new participant, which the server may refuse.
    memory.set("token", null);
    socket.connect();
    return;
  }
  openPanel(null);
  if (refusal.code === "workshop_ended") {
    memory.forget();
    ui.breakButton.hidden = true;
    show("ended", () => screens.endedScreen(model.state?.resources));
    mounted.view.setSummary?.(model.state?.summary_url);
  } else if (refusal.code === "room_locked") {
    // A calm page, not an error: the facilitator closed the room to new people on purpose.
    // Nothing of this phone is in the session yet: no break to signal, no answers to delete.
    ui.breakButton.hidden = true;
    ui.deleteOpen.hidden = true;
    show("locked", () => screens.lockedScreen(() => socket.connect()));
  } else if (refusal.code === "unknown_code") {
    show("unknown", () =>
      screens.problemScreen(gettext("We couldn't find this session"), refusal.message, {
        href: app.dataset.joinUrl,
        label: gettext("Enter a code"),
      }),
    );
  } else if (refusal.code === "rate_limited") {
    show("rate-limited", () =>
      screens.problemScreen(
        gettext("Please wait a moment"),
        gettext("%(reason)s This page will try again by itself.", { reason: refusal.message }),
      ),
    );
    setTimeout(() => socket.connect(), 60_000);
  } else {
    show(`refused-${refusal.code}`, () => screens.problemScreen(gettext("Can't join right now"), refusal.message));
  }
}

/** Show "Reconnecting…" only after a second offline, so short blips do not flicker. */
function setOnline(online) {
  clearTimeout(offlineTimer);
  panels.questions.setOnline(online);
  if (online) {
    if (!ui.connection.hidden) announce(gettext("Connected again."));
    model.everConnected = true;
    ui.connection.hidden = true;
  } else {
    ui.connection.textContent = model.everConnected ? gettext("Reconnecting…") : gettext("Trying to connect…");
    offlineTimer = setTimeout(() => {
      ui.connection.hidden = false;
      announce(ui.connection.textContent);
    }, 1000);
  }
  renderStatus();
}

/** The break and questions panels, shown instead of the session until "Back to the session". */
function buildPanels() {
  const back = () => openPanel(null);
  panels = {
    pause: createBreakPanel({ onBack: back }),
    questions: createQuestionsPanel({
      ask: (text) => outbox.send("ask", { text }),
      upvote: (questionId) => emitOnce("upvote", { question_id: questionId }),
      onBack: back,
    }),
  };
  ui.panels.replaceChildren(panels.pause.root, panels.questions.root);
  openPanel(null);
  ui.breakButton.hidden = false;
  ui.breakButton.addEventListener("click", takeBreak);
  ui.questionsButton.addEventListener("click", () => openPanel("questions"));
}

async function takeBreak() {
  openPanel("pause");
  panels.pause.setSignalled(null);
  const ack = await emitOnce("signal", { kind: "break" });
  panels.pause.setSignalled(Boolean(ack?.ok));
}

/** Show one panel ("pause", "questions") in place of the session, or the session (null). */
function openPanel(name) {
  const changed = name !== openPanelName;
  openPanelName = name;
  if (name !== "questions") panels.questions.setNews(false);
  for (const [key, panel] of Object.entries(panels)) panel.root.hidden = key !== name;
  ui.screen.hidden = name !== null;
  ui.tools.hidden = name !== null || model.state?.phase === "ended";
  pacer.update(model.raw, model.mine, name === null);
  ui.breakButton.setAttribute("aria-pressed", String(name === "pause"));
  if (changed) (name ? panels[name].heading() : mounted.view.heading()).focus();
}

/**
 * Tell screen readers about changes to the same activity that do not move focus, in one polite
 * sentence per snapshot (a reveal that also closes answers is one line, not two).
 */
function announceShift(previous, state, resultsShown) {
  if (!previous || previous.activity?.id !== state.activity?.id || previous.phase !== state.phase) return;
  const said = [];
  if (previous.accepting && !state.accepting) said.push(gettext("This question has closed."));
  if (!previous.accepting && state.accepting) said.push(gettext("Answers are open."));
  if (resultsShown) said.push(gettext("Results are in."));
  if (said.length) announce(said.join(" "));
}

// A sentence stays in the live region this long, then goes, so it is not found again later.
const ANNOUNCE_MS = 7000;
let announceTimer = null;

function announce(text) {
  // Clearing first makes a repeat of the same sentence be read again.
  ui.announcer.textContent = "";
  clearTimeout(announceTimer);
  requestAnimationFrame(() => {
    ui.announcer.textContent = text;
    announceTimer = setTimeout(() => {
      ui.announcer.textContent = "";
    }, ANNOUNCE_MS);
  });
}

function showNotice(text) {
  ui.notice.textContent = text;
  ui.notice.hidden = false;
}

function wireDeleteControls() {
  ui.deleteOpen.hidden = false;
  ui.deleteOpen.addEventListener("click", () => toggleDeleteConfirm(ui.deleteConfirm.hidden));
  ui.deleteNo.addEventListener("click", () => toggleDeleteConfirm(false));
  ui.deleteYes.addEventListener("click", () => {
    toggleDeleteConfirm(false);
    ui.deleteStatus.textContent = socket.connected
      ? gettext("Deleting your answers…")
      : gettext("Your answers will be deleted as soon as the connection is back.");
    outbox.send("retract", { all: true }, "retract");
  });
}

function toggleDeleteConfirm(open) {
  ui.deleteConfirm.hidden = !open;
  ui.deleteOpen.setAttribute("aria-expanded", String(open));
  if (open) {
    ui.deleteStatus.textContent = "";
    ui.deleteYes.focus();
  }
}

function retractDone(ack) {
  if (ack?.ok) {
    model.mine.clear();
    model.errors.clear();
    ui.deleteStatus.textContent = gettext("Your answers from this session have been deleted.");
  } else {
    ui.deleteStatus.textContent = ack?.error?.message ?? gettext("Your answers could not be deleted. Please try again.");
  }
  renderStatus();
}
