/**
 * The control room's "Room" box: whether new people may join (Lock / Unlock, shortcut L), how
 * many identities have joined against how many phones are connected, how many joins the lock
 * turned away, and the facilitator's optional head count, with a plain warning when more have
 * joined than that (docs/privacy.md explains why this matters for k).
 */
import { plural } from "../common/dom.js";

export function createDoor({ root, badge, stateText, counts, turned, toggle, form, input, warning }, { send, toast }) {
  let room = null;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    const count = text === "" ? null : Number(text);
    const ack = await send({ action: "head_count", count });
    if (!ack) return;
    if (!ack.ok) {
      toast.show(ack.error?.message ?? "That head count did not work. Please try again.", { tone: "error" });
      input.focus();
      return;
    }
    toast.show(count === null ? "Head count cleared." : `Head count set to ${count.toLocaleString()}.`);
  });

  return {
    update(control) {
      room = control.room;
      const { locked, head_count: headCount, identities, turned_away: turnedAway } = room;
      root.dataset.locked = String(locked);
      badge.hidden = !locked || control.phase === "ended";
      stateText.textContent = locked ? "Locked to new people" : "Open to new people";
      toggle.dataset.action = locked ? "unlock" : "lock";
      toggle.textContent = locked ? "Unlock the room" : "Lock the room";
      toggle.hidden = control.phase === "ended";
      form.hidden = control.phase === "ended";
      counts.textContent = `${identities.toLocaleString()} joined · ${control.connected.toLocaleString()} connected now`;
      turned.hidden = !turnedAway;
      turned.textContent = `${plural(turnedAway, "join", "joins")} turned away while locked`;
      // Never overwrite what the facilitator is typing.
      if (document.activeElement !== input) input.value = headCount ?? "";
      const over = headCount !== null && identities > headCount;
      warning.hidden = !over || control.phase === "ended";
      if (over) {
        const said = `${plural(identities, "person has", "people have")} joined, but you counted ${headCount.toLocaleString()} in the room. Someone may have joined twice or from outside.`;
        warning.textContent = locked ? `${said} The room is locked, so nobody else can join.` : `${said} Consider locking the room (L).`;
      }
    },

    /** Lock or unlock, as the button would (the L shortcut). */
    press() {
      if (room && !toggle.hidden && !toggle.disabled) toggle.click();
    },

    /** The toast to show after a lock or unlock went through. */
    confirmation(action) {
      return action === "lock"
        ? "Room locked. New people can't join; everyone already here can reconnect."
        : "Room unlocked. New people can join again.";
    },
  };
}
