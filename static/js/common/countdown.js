/**
 * A calm "Closes in m:ss" for timed activities, on the phone, the projector and in the control
 * room. It counts down locally from the server's `closes_in`, so it keeps moving between
 * snapshots; each snapshot resets the deadline, so drift between clocks never accumulates.
 *
 *   const countdown = createCountdown(line, { slot, warning });
 *   countdown.set(closesIn);  // seconds left, or null to hide
 *   countdown.stop();         // stop ticking (the element is being thrown away)
 *
 *   line     the element whose text is the countdown (give it role=timer: not announced per tick)
 *   slot     the element hidden while no timer runs (default: `line`)
 *   warning  an optional polite live region: it says one line when the last ten seconds begin,
 *            once per timer, so a screen reader hears the end coming without a tick every second
 */

import { gettext, ngettext } from "./i18n.js";

// Said once, politely, when this many seconds are left.
const WARN_AT = 10;
// Snapshots re-send closes_in; a deadline that moves less than this is the same timer.
const SAME_TIMER_MS = 2000;

export function createCountdown(line, { slot = line, warning = null } = {}) {
  let deadline = null;
  let ticker = null;
  let warned = false;

  function render() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    line.textContent = left > 0 ? gettext("Closes in %(time)s", { time: formatClock(left) }) : gettext("Closing now");
    if (warning && !warned && left > 0 && left <= WARN_AT) {
      warned = true;
      warning.textContent = ngettext("%(num)s second left to answer.", "%(num)s seconds left to answer.", WARN_AT);
    }
  }

  function stop() {
    clearInterval(ticker);
    ticker = null;
  }

  function set(closesIn) {
    stop();
    slot.hidden = closesIn === null || closesIn === undefined;
    if (slot.hidden) {
      deadline = null;
      return;
    }
    const next = Date.now() + closesIn * 1000;
    if (deadline === null || Math.abs(next - deadline) > SAME_TIMER_MS) {
      // A new timer: warn for it, unless it starts inside the last seconds (the line says enough).
      warned = closesIn <= WARN_AT;
      if (warning) warning.textContent = "";
    }
    deadline = next;
    render();
    ticker = setInterval(render, 1000);
  }

  return { set, stop };
}

/** 75 → "1:15". */
function formatClock(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
