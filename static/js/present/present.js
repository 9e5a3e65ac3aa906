/**
 * The projector (GET /facilitator/workshops/<id>/present, or /present/<key> on a second device).
 * It connects to /present, keeps the newest `present` snapshot and `results`, and draws the
 * lobby (how to join), the current activity, or the thank-you screen (with the take-home
 * summary's QR code once the facilitator publishes it); while live, also the Q&A strip under
 * content slides and a quiet row of reaction counts in the footer.
 *
 * Nothing private reaches this page: the server sends the public audience's results, which are
 * hidden until revealed and never below the group threshold, and only approved questions.
 */
import { connect } from "../common/socket.js";
import { describeRefusal } from "../common/refusal.js";
import { createCountdown } from "../common/countdown.js";
import { fill, withoutScheme } from "../common/dom.js";
import { gettext } from "../common/i18n.js";
import { createLatest } from "../common/latest.js";
import { renderReactions } from "../common/results.js";
import { fitFont, fontCap, trimList } from "./fit.js";
import { createQuestionBoard, createQuestionStrip } from "./questions.js";
import { contentSlide, fillResults, questionSlide } from "./slides.js";

const byId = (id) => document.getElementById(id);
const root = byId("present");
const stage = byId("stage");
const status = byId("status");
const latest = createLatest();
const countdown = createCountdown(byId("timer"));
const questions = createQuestionStrip({
  root: byId("questions"),
  title: byId("questions-heading"),
  ask: byId("questions-ask"),
  list: byId("questions-list"),
});
const board = createQuestionBoard({
  root,
  stage: byId("board-stage"),
  ask: byId("board-ask"),
  list: byId("board-list"),
  empty: byId("board-empty"),
});

// What the stage shows (rebuilt only when it changes) and whether its results were visible,
// so the reveal is the one moment that animates.
let shownActivityId = null;
let resultsSlot = null;
let resultsVisible = false;

const socket = connect("/present", JSON.parse(root.dataset.auth));

socket.on("connect", () => showStatus(null));
socket.on("disconnect", () => showStatus(gettext("Reconnecting…")));
socket.on("connect_error", (error) => {
  // A refused link (wrong key, workshop gone) will not fix itself: say so plainly.
  if (!socket.active) showStatus(describeRefusal(error), { refused: true });
});

socket.on("present", (snapshot) => {
  if (!latest.offerSnapshot(snapshot)) return;
  latest.offerResults(snapshot.results);
  render();
});

socket.on("results", (payload) => {
  const activity = latest.snapshot?.activity;
  if (!latest.offerResults(payload) || !activity || payload.activity_id !== activity.id) return;
  drawResults();
  fit();
});

function render() {
  const snapshot = latest.snapshot;
  root.dataset.phase = snapshot.phase;
  renderJoinDetails(snapshot.workshop, snapshot.phase);
  // A locked room takes no new people; phones already in still reconnect.
  for (const badge of root.querySelectorAll("[data-lock]")) badge.hidden = !snapshot.locked;
  countdown.set(snapshot.phase === "live" && snapshot.accepting ? snapshot.closes_in : null);
  if (snapshot.phase === "live" && snapshot.activity) renderActivity(snapshot);
  questions.update(snapshot);
  board.update(snapshot);
  renderReactions(byId("reactions"), snapshot.reactions);
  renderTakeHome(snapshot.summary_url);
  fit();
}

/** The closing screen's QR code of the take-home summary, while one is published. */
function renderTakeHome(url) {
  const qr = byId("take-home-qr");
  byId("take-home").hidden = !url;
  root.classList.toggle("has-take-home", Boolean(url));
  if (!url) {
    qr.removeAttribute("src");
    return;
  }
  // Same origin as this page, whatever address the phones use.
  const src = `${new URL(url).pathname}/qr.svg`;
  if (qr.getAttribute("src") !== src) qr.src = src;
  byId("take-home-url").textContent = withoutScheme(url);
}

function renderJoinDetails(workshop, phase) {
  const url = withoutScheme(workshop.join_url);
  // Only the lobby shows the QR, and the server refuses it once a workshop has ended.
  if (phase === "lobby") byId("qr").src = workshop.qr_url;
  byId("lobby-url").textContent = url;
  byId("footer-url").textContent = url;
  byId("lobby-code").textContent = workshop.code;
  byId("footer-code").textContent = workshop.code;
  byId("lobby-title").textContent = workshop.title;
  byId("ended-title").textContent = workshop.title;
}

function renderActivity(snapshot) {
  const { activity } = snapshot;
  byId("eyebrow").textContent = eyebrow(activity, snapshot.accepting);
  if (shownActivityId === activity.id) {
    drawResults();
    return;
  }
  shownActivityId = activity.id;
  resultsVisible = false;
  if (activity.kind === "content") {
    resultsSlot = null;
    fill(stage, contentSlide(activity));
  } else {
    resultsSlot = document.createElement("div");
    resultsSlot.className = "slide-results-slot";
    fill(stage, questionSlide(activity, resultsSlot));
    drawResults();
  }
}

/** Redraw the results of the current question (every tick while answers change). */
function drawResults() {
  const snapshot = latest.snapshot;
  if (!resultsSlot || !snapshot?.activity) return;
  const visible = fillResults(resultsSlot, snapshot, latest.resultsFor(snapshot.activity.id));
  // Restart the reveal fade only when results go from hidden to shown, never per answer.
  if (visible && !resultsVisible) {
    resultsSlot.classList.remove("is-revealing");
    void resultsSlot.offsetWidth; // a style flush, so that re-adding the class restarts the fade
    resultsSlot.classList.add("is-revealing");
  }
  resultsVisible = visible;
}

function eyebrow(activity, accepting) {
  if (activity.kind === "content") return "";
  const parts = [activity.title, accepting ? gettext("Answer on your phone") : gettext("Answers are closed")];
  return parts.filter(Boolean).join(" · ");
}

/**
 * Size the stage for this screen: up to about 28 px on 1366×768 and 40 px on 1920×1080, and
 * never below 60% of that, so that text stays readable from the back of the room; what still
 * does not fit is trimmed with "and n more".
 */
function fit() {
  if (root.dataset.phase !== "live") return;
  board.fit();
  const max = fontCap(48, 27);
  fitFont(stage, { min: max * 0.6, max });
  trimList(stage);
}

function showStatus(message, { refused = false } = {}) {
  status.hidden = !message;
  status.textContent = message ?? "";
  status.classList.toggle("is-refused", refused);
}

window.addEventListener("resize", fit);

const fullscreen = byId("fullscreen");
fullscreen.hidden = !document.fullscreenEnabled;
fullscreen.addEventListener("click", toggleFullscreen);
document.addEventListener("fullscreenchange", () => {
  fullscreen.textContent = document.fullscreenElement ? gettext("Exit full screen") : gettext("Full screen");
});
document.addEventListener("keydown", (event) => {
  if (event.key === "f" && !event.altKey && !event.ctrlKey && !event.metaKey) toggleFullscreen();
});

function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else document.documentElement.requestFullscreen();
}

// The pointer and the full-screen button show only while the mouse moves, so the room sees
// a clean screen.
const IDLE_MS = 2500;
let idleTimer = null;
function wake() {
  root.classList.remove("is-idle");
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => root.classList.add("is-idle"), IDLE_MS);
}
document.addEventListener("pointermove", wake);
wake();
