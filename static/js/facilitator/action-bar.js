/**
 * The action bar under the current activity. Buttons live in the page's HTML with a
 * `data-action`; this module only decides which are shown and usable for a snapshot.
 * Groups carry `data-when` (the phases they belong to) and, for the answer and timer controls,
 * `data-needs="answers"`: slides take no answers, so those step aside while Next stays put.
 */
import { createCountdown } from "../common/countdown.js";

// Pairs that replace each other in place: when one hides while focused, focus moves to the other.
const PARTNERS = { open: "close", close: "open", reveal: "hide", hide: "reveal" };

export function createActionBar(bar) {
  const buttons = Object.fromEntries(
    [...bar.querySelectorAll("[data-action]:not([data-seconds])")].map((button) => [button.dataset.action, button]),
  );
  const timerButtons = [...bar.querySelectorAll("[data-action=timer]")];
  const timerPresets = bar.querySelector("#timer-presets");
  const timerRunning = bar.querySelector("#timer-running");
  const countdown = createCountdown(bar.querySelector("#timer-left"));

  function show(name, visible) {
    const button = buttons[name];
    const hadFocus = document.activeElement === button;
    button.hidden = !visible;
    if (!visible && hadFocus) buttons[PARTNERS[name]]?.focus();
  }

  return {
    update(control, { online }) {
      // Self-paced: no current activity to move, time or reveal (docs/protocol.md); only Start.
      const selfPacedLive = control.workshop.pace === "self" && control.phase === "live";
      bar.hidden = control.phase === "ended" || selfPacedLive;
      const activity = control.phase === "live" ? control.activities[control.index] : null;
      const answerable = Boolean(activity?.takes_answers);
      for (const group of bar.querySelectorAll("[data-when]")) {
        const inPhase = group.dataset.when.split(" ").includes(control.phase);
        group.hidden = !inPhase || (group.dataset.needs === "answers" && !answerable);
      }
      show("open", answerable && !control.accepting);
      show("close", answerable && control.accepting);
      show("reveal", answerable && !control.revealed);
      show("hide", answerable && control.revealed);
      // A running timer replaces the presets with its countdown and Cancel, so the bar keeps
      // its width; to change a timer, cancel it and pick another.
      const running = control.closes_in !== null && control.closes_in !== undefined;
      const focusInTimer = timerPresets.contains(document.activeElement) || timerRunning.contains(document.activeElement);
      timerPresets.hidden = running;
      timerRunning.hidden = !running;
      countdown.set(running ? control.closes_in : null);
      if (focusInTimer && document.activeElement.closest("[hidden]")) {
        (running ? timerRunning : timerPresets).querySelector("button").focus();
      }

      const last = control.activities.length - 1;
      for (const button of [...Object.values(buttons), ...timerButtons]) button.disabled = !online;
      buttons.prev.disabled ||= control.index <= 0;
      buttons.next.disabled ||= control.index >= last;
    },

    /** Click the button for `action` if it is shown and usable (keyboard shortcuts). */
    press(action) {
      const button = buttons[action];
      if (button && !button.disabled && !button.closest("[hidden]")) button.click();
    },
  };
}
