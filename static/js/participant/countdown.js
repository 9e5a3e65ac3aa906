/**
 * A calm "closes in m:ss" line for timed activities. It counts down locally from the server's
 * `closes_in` so that it keeps moving between state snapshots.
 */
import { h } from "../shared/dom.js";

// Said once, politely, when this many seconds are left.
const WARN_AT = 10;
// Snapshots re-send closes_in; a deadline that moves less than this is the same timer.
const SAME_TIMER_MS = 2000;

/** Returns { root, set(closesIn | null), stop() }. */
export function createCountdown() {
  // role=timer is not announced on every tick, which would be noisy for screen readers; the
  // polite region beside it says one line when the last ten seconds begin, once per timer.
  const line = h("p", { class: "countdown", role: "timer" });
  const warning = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const root = h("div", { class: "countdown-slot", hidden: true }, line, warning);
  let deadline = null;
  let ticker = null;
  let warned = false;

  function render() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    line.textContent = left > 0 ? `Closes in ${minutes}:${seconds}` : "Closing now";
    if (!warned && left > 0 && left <= WARN_AT) {
      warned = true;
      warning.textContent = `${WARN_AT} seconds left to answer.`;
    }
  }

  function stop() {
    clearInterval(ticker);
    ticker = null;
  }

  function set(closesIn) {
    stop();
    root.hidden = closesIn === null || closesIn === undefined;
    if (root.hidden) {
      deadline = null;
      return;
    }
    const next = Date.now() + closesIn * 1000;
    if (deadline === null || Math.abs(next - deadline) > SAME_TIMER_MS) {
      // A new timer: warn for it, unless it starts inside the last seconds (the line says enough).
      warned = closesIn <= WARN_AT;
      warning.textContent = "";
    }
    deadline = next;
    render();
    ticker = setInterval(render, 1000);
  }

  return { root, set, stop };
}
