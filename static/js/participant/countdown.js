/**
 * A calm "closes in m:ss" line for timed activities. It counts down locally from the server's
 * `closes_in` so that it keeps moving between state snapshots.
 */
import { h } from "../shared/dom.js";

/** Returns { root, set(closesIn | null), stop() }. */
export function createCountdown() {
  // role=timer is not announced on every tick, which would be noisy for screen readers.
  const root = h("p", { class: "countdown", role: "timer", hidden: true });
  let deadline = null;
  let ticker = null;

  function render() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    root.textContent = left > 0 ? `Closes in ${minutes}:${seconds}` : "Closing now";
  }

  function stop() {
    clearInterval(ticker);
    ticker = null;
  }

  function set(closesIn) {
    stop();
    root.hidden = closesIn === null || closesIn === undefined;
    if (root.hidden) return;
    deadline = Date.now() + closesIn * 1000;
    render();
    ticker = setInterval(render, 1000);
  }

  return { root, set, stop };
}
