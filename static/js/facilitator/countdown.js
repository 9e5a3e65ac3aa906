/**
 * A calm "Closes in m:ss" in a given element. It counts down locally from the server's
 * `closes_in`, so it keeps moving between snapshots; each snapshot resets it, so drift between
 * clocks never accumulates. Used by the control room and the projector.
 */
export function createCountdown(element) {
  let deadline = null;
  let ticker = null;

  function render() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    element.textContent = left > 0 ? `Closes in ${formatClock(left)}` : "Closing now";
  }

  return {
    /** Show `seconds` left, or hide the countdown for null. */
    set(seconds) {
      clearInterval(ticker);
      ticker = null;
      element.hidden = seconds === null || seconds === undefined;
      if (element.hidden) return;
      deadline = Date.now() + seconds * 1000;
      render();
      ticker = setInterval(render, 1000);
    },
  };
}

/** 75 → "1:15". */
function formatClock(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
